"""Solo practice (`/practice`): a member's private flashcard run, stored as it goes so its buttons survive a restart.

Self-grades are published on the grade feed (source "quiz", like quiz self-grades) so personal review learns from
them; practice earns no points. A run outside a server the bot is in (a DM, a private channel, a server where only
the member installed the app) has no server: it is stored under guild 0 and its grades reach the deck as from a DM.
"""

from __future__ import annotations

import random
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from bot.clock import iso
from bot.domain import practice
from bot.domain.bank import Bank, Question
from bot.domain.errors import DomainError
from bot.domain.practice import CardDoneError, Run
from bot.services.grades import GradeEvent, GradeFeed
from bot.services.withholding import Withholding
from bot.storage.database import Database, transaction
from bot.storage.posts import PostRepository
from bot.storage.practice import PracticeRepository

MAX_CARDS = 20
SOURCE = "quiz"
NO_GUILD = 0  # practice_runs.guild_id of a run started outside any server the bot is in


@dataclass(frozen=True)
class Card:
    """The run as it stands and the question of its current card (None once every card is graded)."""

    run: Run
    question: Question | None


class PracticeService:
    def __init__(self, conn: Database, bank: Bank, grades: GradeFeed | None = None) -> None:
        self.conn = conn
        self.bank = bank
        self.grades = grades or GradeFeed()
        self.runs = PracticeRepository(conn)
        self.withholding = Withholding(PostRepository(conn))

    def _card(self, run: Run) -> Card:
        if run.finished:
            return Card(run, None)
        question = self.bank.get(run.question_ids[run.position])
        if question is None:
            raise CardDoneError()  # removed from the bank since the run started
        return Card(run, question)

    async def start(self, *, guild_id: int | None, user_id: int, topic_id: str | None, count: int, now: datetime,
                    scope: Collection[int], seed: str | None = None) -> Card:
        bank = self.bank.for_guild(guild_id)
        if topic_id is not None and topic_id not in {t.id for t in bank.topics}:
            raise DomainError("quiz.unknown_topic", topic=topic_id[:50])
        if not 1 <= count <= MAX_CARDS:
            raise DomainError("quiz.bad_count", high=MAX_CARDS)
        withheld = await self.withholding.pending(scope)
        pool = [q for q in (bank.in_topic(topic_id) if topic_id else bank) if q.id not in withheld]
        cards = practice.pick_cards(pool, count, random.Random(seed or f"{guild_id}:{user_id}:{iso(now)}"))
        async with transaction(self.conn):
            run = await self.runs.create(NO_GUILD if guild_id is None else guild_id, user_id, topic_id,
                                         [q.id for q in cards], now)
        return self._card(run)

    async def _load(self, run_id: int) -> tuple[Run, int]:
        found = await self.runs.get(run_id)
        if found is None:
            raise CardDoneError()
        return found

    async def show(self, run_id: int, position: int, user_id: int, now: datetime, *,
                   scope: Collection[int]) -> Card:
        run, _guild = await self._load(run_id)
        if 0 <= position < len(run.question_ids):  # a run drawn before a daily post went out: not its answer now
            await self.withholding.check(run.question_ids[position], scope)
        async with transaction(self.conn):
            run, _guild = await self._load(run_id)
            shown = practice.show(run, user_id, position)
            await self.runs.save(shown, now)
        return self._card(shown)

    async def grade(self, run_id: int, position: int, user_id: int, grade: str, now: datetime) -> Card:
        """Grade the current card; returns the next card (or the finished run)."""
        async with transaction(self.conn):
            run, guild_id = await self._load(run_id)
            graded = practice.grade(run, user_id, position, grade)
            await self.runs.save(graded, now)
        question_id = run.question_ids[position]
        home = None if guild_id == NO_GUILD else guild_id
        await self.grades.publish(GradeEvent(home, user_id, question_id, SOURCE, now,
                                             grade=grade))  # type: ignore[arg-type]
        return self._card(graded)
