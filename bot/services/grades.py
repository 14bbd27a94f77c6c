"""Grade events: what a member answered or how they graded themselves, for features that learn from it.

The daily question and quizzes publish; personal review subscribes. Publishers never know who listens.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

log = logging.getLogger(__name__)

SelfGrade = Literal["got", "partly", "missed"]


@dataclass(frozen=True, slots=True)
class GradeEvent:
    """`grade` is None when the member answered without grading; `correct` is set for auto-graded choices."""

    guild_id: int | None  # None: outside any server the bot is in (a DM, or a member's own install)
    user_id: int
    question_id: str
    source: str  # "qotd" or "quiz"
    at: datetime
    grade: SelfGrade | None = None
    correct: bool | None = None


Handler = Callable[[GradeEvent], Awaitable[None]]


class GradeFeed:
    def __init__(self) -> None:
        self._handlers: list[Handler] = []

    def subscribe(self, handler: Handler) -> None:
        self._handlers.append(handler)

    async def publish(self, event: GradeEvent) -> None:
        """Deliver to every subscriber; one failing subscriber is logged and never blocks the publisher."""
        for handler in self._handlers:
            try:
                await handler(event)
            except Exception:
                log.exception("grade subscriber %r failed for %s", handler, event)
