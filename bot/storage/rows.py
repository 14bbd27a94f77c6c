"""Typed rows read from the database (plain values; the domain never sees a sqlite Row)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, time

from bot.clock import parse_iso


def _time(text: str | None) -> time | None:
    return time.fromisoformat(text) if text else None


def _when(text: str | None) -> datetime | None:
    return parse_iso(text) if text else None


@dataclass(frozen=True, slots=True)
class ScheduleSettings:
    """What a manager sets with /qotd setup."""

    guild_id: int
    channel_id: int
    post_time: time
    timezone: str
    reveal_time: time | None
    reveal_after_minutes: int | None
    topics: frozenset[str]
    min_difficulty: int
    max_difficulty: int
    ping_role_id: int | None
    language: str


@dataclass(frozen=True, slots=True)
class ScheduleRow(ScheduleSettings):
    id: int
    paused: bool

    @classmethod
    def from_row(cls, row) -> ScheduleRow:
        return cls(
            id=row["id"], guild_id=row["guild_id"], channel_id=row["channel_id"],
            post_time=time.fromisoformat(row["post_time"]), timezone=row["timezone"],
            reveal_time=_time(row["reveal_time"]), reveal_after_minutes=row["reveal_after_minutes"],
            topics=frozenset(json.loads(row["topics"])), min_difficulty=row["min_difficulty"],
            max_difficulty=row["max_difficulty"], ping_role_id=row["ping_role_id"], language=row["language"],
            paused=bool(row["paused"]),
        )


@dataclass(frozen=True, slots=True)
class PostRow:
    id: int
    schedule_id: int
    guild_id: int
    channel_id: int
    local_date: str
    question_id: str
    cycle: int
    status: str
    message_id: int | None
    thread_id: int | None
    post_due_at: datetime
    posted_at: datetime | None
    reveal_due_at: datetime
    revealed_at: datetime | None
    answers_closed_at: datetime | None = None  # set by the transaction that scores the day
    reveal_parts_sent: int = 0
    reveal_prompt_id: int | None = None

    @classmethod
    def from_row(cls, row) -> PostRow:
        return cls(
            id=row["id"], schedule_id=row["schedule_id"], guild_id=row["guild_id"], channel_id=row["channel_id"],
            local_date=row["local_date"], question_id=row["question_id"], cycle=row["cycle"], status=row["status"],
            message_id=row["message_id"], thread_id=row["thread_id"], post_due_at=parse_iso(row["post_due_at"]),
            posted_at=_when(row["posted_at"]), reveal_due_at=parse_iso(row["reveal_due_at"]),
            revealed_at=_when(row["revealed_at"]), answers_closed_at=_when(row["answers_closed_at"]),
            reveal_parts_sent=row["reveal_parts_sent"], reveal_prompt_id=row["reveal_prompt_id"],
        )


@dataclass(frozen=True, slots=True)
class AnswerRow:
    id: int
    post_id: int
    guild_id: int
    user_id: int
    content: str
    late: bool
    edits: int
    coverage: tuple[int, ...] | None
    self_grade: str | None
    reveal_message_id: int | None

    @classmethod
    def from_row(cls, row) -> AnswerRow:
        coverage = row["coverage"]
        return cls(
            id=row["id"], post_id=row["post_id"], guild_id=row["guild_id"], user_id=row["user_id"],
            content=row["content"], late=bool(row["late"]), edits=row["edits"],
            coverage=tuple(json.loads(coverage)) if coverage is not None else None,
            self_grade=row["self_grade"], reveal_message_id=row["reveal_message_id"],
        )
