"""Personal spaced repetition: cards, ratings, review order, due forecasts and reminder days. Pure; `now` is passed in.

All scheduling maths is py-fsrs's (`fsrs.Scheduler`); this module only maps the bot's values to the library's
and back, so the rest of the bot never imports fsrs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

from fsrs import Card, Rating, Scheduler, State

from bot.domain.errors import DomainError
from bot.domain.schedule import local_date, local_instant, zone
from bot.domain.timetext import parse_clock

# FSRS-6 with the library's default weights: 90 % desired retention, learning steps 1 min and 10 min, relearning
# 10 min, at most 100 years. No fuzz: a study group adds one card a day, so there is no pile-up to spread, and due
# dates stay reproducible (the tests check them against the library).
SCHEDULER: Final = Scheduler(enable_fuzzing=False)

RATINGS: Final = (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy)
RATING_NAMES: Final = {Rating.Again: "again", Rating.Hard: "hard", Rating.Good: "good", Rating.Easy: "easy"}
SELF_GRADE_RATINGS: Final = {"missed": Rating.Again, "partly": Rating.Hard, "got": Rating.Good}
REGRADE_WINDOW: Final = timedelta(days=7)
# The daily question lets a member change their self-grade; quizzes and practice take the first grade as final.
REGRADABLE_SOURCES: Final = frozenset({"qotd"})


@dataclass(frozen=True, slots=True)
class CardState:
    """An FSRS card's schedule as plain values (what storage keeps); `due` and `last_review` are UTC."""

    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None

    @property
    def is_new(self) -> bool:
        return self.last_review is None

    def to_fsrs(self, card_id: int) -> Card:
        return Card(card_id=card_id, state=State(self.state), step=self.step, stability=self.stability,
                    difficulty=self.difficulty, due=_utc(self.due),
                    last_review=_utc(self.last_review) if self.last_review else None)

    @classmethod
    def from_fsrs(cls, card: Card) -> CardState:
        return cls(state=int(card.state), step=card.step, stability=card.stability, difficulty=card.difficulty,
                   due=_utc(card.due), last_review=_utc(card.last_review) if card.last_review else None)

    def to_json(self, card_id: int) -> str:
        """The library's own serialisation (`Card.to_json`), kept in the review log as the state before a rating."""
        return self.to_fsrs(card_id).to_json()

    @classmethod
    def from_json(cls, text: str) -> CardState:
        return cls.from_fsrs(Card.from_json(text))


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"expected an aware datetime, got naive {moment.isoformat()}")
    return moment.astimezone(UTC)


def new_card(now: datetime) -> CardState:
    """A card that was never rated, due at once (FSRS's Learning state, first step)."""
    return CardState.from_fsrs(Card(card_id=0, due=_utc(now)))


def review(card: CardState, rating: Rating, now: datetime, card_id: int = 0) -> CardState:
    """The card after `rating` at `now`, as FSRS schedules it."""
    reviewed, _log = SCHEDULER.review_card(card.to_fsrs(card_id), rating, review_datetime=_utc(now))
    return CardState.from_fsrs(reviewed)


def retrievability(card: CardState, now: datetime) -> float:
    """FSRS's predicted chance of recall at `now` (0 for a card never rated)."""
    return float(SCHEDULER.get_card_retrievability(card.to_fsrs(0), current_datetime=_utc(now)))


def most_forgotten_first(card: CardState, now: datetime) -> tuple[float, datetime]:
    """Sort key for a session: lowest retrievability first, then the longest overdue."""
    return retrievability(card, now), card.due


def rating_named(name: str) -> Rating:
    for rating, rating_name in RATING_NAMES.items():
        if rating_name == name:
            return rating
    raise DomainError("review.unknown_rating")


def rating_for_grade(grade: str | None, correct: bool | None) -> Rating | None:
    """A grade event's rating: a self-grade maps missed/partly/got to Again/Hard/Good; an auto-graded answer is Good
    when correct and Again when wrong; an answer with neither adds a card without a rating (None)."""
    if grade is not None:
        if grade not in SELF_GRADE_RATINGS:
            raise DomainError("review.unknown_rating")
        return SELF_GRADE_RATINGS[grade]
    if correct is not None:
        return Rating.Good if correct else Rating.Again
    return None


@dataclass(frozen=True, slots=True)
class PastRating:
    """What the regrade rule needs to know about a card's latest rating."""

    source: str
    guild_id: int | None
    self_graded: bool
    at: datetime


def is_regrade(latest: PastRating | None, source: str, guild_id: int | None, at: datetime) -> bool:
    """A self-grade that corrects the member's previous self-grade of the same answer, rather than a new recall.

    True when the card's latest rating was a self-grade from the same feature (one that allows a change of grade)
    and guild within a week, with no review in between: the member changed their mind ("Got it", then "Missed").
    """
    return (latest is not None and source in REGRADABLE_SOURCES and latest.self_graded and latest.source == source
            and latest.guild_id == guild_id and timedelta(0) <= at - latest.at <= REGRADE_WINDOW)


def retention(ratings: Iterable[int]) -> float | None:
    """The share of ratings that were recalls (anything but Again); None without ratings."""
    counted = list(ratings)
    if not counted:
        return None
    return sum(1 for r in counted if r != Rating.Again) / len(counted)


@dataclass(frozen=True, slots=True)
class DueForecast:
    """Cards due now, by the end of the local day (overdue included), and on each of the next 7 local days."""

    now: int
    today: int
    days: tuple[tuple[date, int], ...]

    @property
    def next_7_days(self) -> int:
        return sum(count for _day, count in self.days)


def forecast(dues: Iterable[datetime], now: datetime, tz: str) -> DueForecast:
    zone_info = zone(tz)
    today = local_date(now, zone_info)
    by_day: Counter[date] = Counter()
    due_now = due_today = 0
    for due in dues:
        day = local_date(due, zone_info)
        if due <= now:
            due_now += 1
        if day <= today:
            due_today += 1
        elif day <= today + timedelta(days=7):
            by_day[day] += 1
    days = tuple((today + timedelta(days=n), by_day[today + timedelta(days=n)]) for n in range(1, 8))
    return DueForecast(due_now, due_today, days)


def parse_remind_time(text: str) -> time:
    """'9:00', '09:00', '21:30' → a wall-clock time; DomainError otherwise."""
    return parse_clock(text, "review.bad_time")


def check_zone(name: str) -> str:
    try:
        zone(name)
    except ValueError as exc:
        raise DomainError("review.bad_timezone", value=name[:50]) from exc
    return name


def reminder_at(day: date, remind_time: time, tz: str) -> datetime:
    """The UTC instant of the member's reminder on local `day` (DST gaps resolve to the end of the gap)."""
    return local_instant(day, remind_time, zone(tz))


def reminder_day(remind_time: time, tz: str, now: datetime) -> date | None:
    """Today's local date when today's reminder time has come, else None."""
    today = local_date(now, tz)
    return today if now >= reminder_at(today, remind_time, tz) else None


def next_reminder(remind_time: time, tz: str, now: datetime, claimed: Iterable[date] = ()) -> datetime:
    """The next reminder instant at or after `now` on a local day not already claimed."""
    taken = set(claimed)
    day = local_date(now, tz)
    while day in taken or reminder_at(day, remind_time, tz) < now:
        day += timedelta(days=1)
    return reminder_at(day, remind_time, tz)

