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
