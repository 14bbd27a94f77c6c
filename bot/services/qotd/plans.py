"""What the daily question's use cases hand the chat layer: plans, outcomes, and the constants they share."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.bank import Question
from bot.domain.coverage import Coverage
from bot.domain.schedule import ScheduleRule
from bot.storage.points import Standing
from bot.storage.rows import AnswerRow, PostRow, ScheduleRow

CONFIDENCE_EMOJI = ("🟢", "🟡", "🔴")
VOTE_EMOJI = "👍"
LATE_REPOST_WINDOW = timedelta(days=2)  # how far back the sweep looks for late answers missing from a thread


def rule_of(schedule: ScheduleRow) -> ScheduleRule:
    return ScheduleRule(
        post_time=schedule.post_time,
        timezone=schedule.timezone,
        reveal_time=schedule.reveal_time,
        reveal_after=timedelta(minutes=schedule.reveal_after_minutes) if schedule.reveal_after_minutes else None,
    )


@dataclass(frozen=True, slots=True)
class PostPlan:
    """A claimed post for the chat layer to send (or, after /qotd skip, to edit)."""

    post: PostRow
    schedule: ScheduleRow
    question: Question


@dataclass(frozen=True, slots=True)
class ScheduleStatus:
    schedule: ScheduleRow
    next_post_at: datetime
    next_reveal_at: datetime
    today: PostRow | None


@dataclass(frozen=True, slots=True)
class AnswerOutcome:
    answer: AnswerRow
    created: bool
    late: bool
    coverage: Coverage | None  # shown to a late answerer at once; on-time answers wait for the reveal
    post: PostRow
    question: Question


@dataclass(frozen=True, slots=True)
class RevealedMember:
    answer: AnswerRow
    coverage: Coverage
    points: int
    streak: int


@dataclass(frozen=True, slots=True)
class VoteOutcome:
    answer: AnswerRow
    votes: int  # the answer's 👍 count now
    changed: bool  # False: it already was as asked
    added: bool


@dataclass(frozen=True, slots=True)
class RevealPlan:
    post: PostRow
    schedule: ScheduleRow
    question: Question
    members: list[RevealedMember]
    reactions: Counter[str]
    standings: list[tuple[Standing, int]]  # (standing, current streak)


