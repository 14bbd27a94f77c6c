"""The weekly recap: when it is due in the guild's time zone, which week it covers, and the week's hardest question.

A recap on local day D covers the seven local days D-6 .. D (Monday to Sunday for the default Sunday recap) and is
keyed by the ISO week of D, so a guild gets at most one recap per ISO week. A recap missed while the bot was down is
still posted within `CATCH_UP` of its time, never later.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.domain.boards import week_key
from bot.domain.schedule import local_date, local_instant, zone

DEFAULT_WEEKDAY = 6  # Sunday (Monday is 0)
DEFAULT_TIME = time(20, 0)
CATCH_UP = timedelta(hours=24)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True, slots=True)
class RecapRule:
    weekday: int  # 0 Monday .. 6 Sunday
    at: time
    timezone: str

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), got {self.weekday}")
        zone(self.timezone)


@dataclass(frozen=True, slots=True)
class RecapWeek:
    key: str  # the ISO week of `last`, e.g. "2026-W49": the once-per-week key
    first: date
    last: date  # the recap's own local day
    due_at: datetime


def week_ending(rule: RecapRule, day: date) -> RecapWeek:
    return RecapWeek(week_key(day), day - timedelta(days=6), day, local_instant(day, rule.at, zone(rule.timezone)))


def latest(rule: RecapRule, now: datetime) -> RecapWeek:
    """The most recent recap whose time is at or before `now`."""
    today = local_date(now, rule.timezone)
    day = today - timedelta(days=(today.weekday() - rule.weekday) % 7)
    week = week_ending(rule, day)
    return week if week.due_at <= now else week_ending(rule, day - timedelta(days=7))


def next_after(rule: RecapRule, now: datetime) -> RecapWeek:
    """The first recap whose time is strictly after `now`."""
    return week_ending(rule, latest(rule, now).last + timedelta(days=7))


def due(rule: RecapRule, now: datetime, done: Collection[str]) -> RecapWeek | None:
    """The recap to post now: the latest one, if not posted yet for its week and at most `CATCH_UP` late."""
    week = latest(rule, now)
    if week.key in done or now - week.due_at > CATCH_UP:
        return None
    return week


@dataclass(frozen=True, slots=True)
class PostDifficulty:
    """How one daily post went: answers, their mean key-point coverage (None without answers), 🔴 reactions."""

    post_id: int
    question_id: str
    answers: int
    coverage: float | None
    red: int


def hardest(posts: Sequence[PostDifficulty]) -> PostDifficulty | None:
    """The lowest mean coverage among answered posts (ties: more 🔴); with no answers at all, the most 🔴."""
    answered = [p for p in posts if p.answers and p.coverage is not None]
    if answered:
        return min(answered, key=lambda p: (p.coverage, -p.red, p.post_id))
    flagged = [p for p in posts if p.red]
    return max(flagged, key=lambda p: (p.red, -p.post_id)) if flagged else None


# -- the season summary: one per guild and local month, posted once the month is over ---------------------------
SEASON_CATCH_UP = timedelta(days=3)


@dataclass(frozen=True, slots=True)
class SeasonMonth:
    key: str  # "2026-11": the once-per-month key, as the month boards name it
    first: date
    last: date
    due_at: datetime  # the month's end: the first instant of the next local month


def season_of(key: str, timezone: str) -> SeasonMonth:
    first = date.fromisoformat(f"{key}-01")
    following = (first + timedelta(days=32)).replace(day=1)
    return SeasonMonth(key, first, following - timedelta(days=1), local_instant(following, time(0, 0), zone(timezone)))


def latest_season(timezone: str, now: datetime) -> SeasonMonth:
    """The most recent month that is over at `now`, in the guild's zone."""
    this_month = local_date(now, timezone).replace(day=1)
    return season_of((this_month - timedelta(days=1)).isoformat()[:7], timezone)


def season_due(timezone: str, now: datetime, last_claimed: str | None) -> SeasonMonth | None:
    """The summary to post now: the month just over, unless it (or a later one) was claimed already or it is more
    than `SEASON_CATCH_UP` late (a bot down for days does not post a stale summary)."""
    season = latest_season(timezone, now)
    if last_claimed is not None and last_claimed >= season.key:
        return None
    if now - season.due_at > SEASON_CATCH_UP:
        return None
    return season


def longest_run(days: Collection[date]) -> int:
    """The longest run of consecutive days among `days` (a member's on-time answers within a month)."""
    best = run = 0
    previous: date | None = None
    for day in sorted(set(days)):
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        best, previous = max(best, run), day
    return best
