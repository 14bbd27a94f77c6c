"""What every part of the daily-question service holds: the connection, the bank, the points rules, the grade feed
and the repositories."""

from __future__ import annotations

from datetime import date

from bot.domain import scoring
from bot.domain.bank import Bank, Question
from bot.domain.errors import DomainError
from bot.services.grades import GradeFeed
from bot.storage.answers import AnswerRepository, ReactionRepository
from bot.storage.database import Database
from bot.storage.points import LedgerEntry, PointsRepository
from bot.storage.posts import PostRepository
from bot.storage.rows import AnswerRow, PostRow, ScheduleRow
from bot.storage.schedules import ReportRepository, ScheduleRepository


class QotdBase:
    def __init__(self, conn: Database, bank: Bank, rules: scoring.PointsRules | None = None,
                 grades: GradeFeed | None = None) -> None:
        self.conn = conn
        self.bank = bank
        self.rules = rules or scoring.PointsRules()
        self.grades = grades or GradeFeed()
        self.problems: list[tuple[ScheduleRow, date, DomainError]] = []  # claims refused, for the runner to report
        # Schedules whose pass through their pool has at most LOW_POOL unused questions left: (schedule, cycle, left)
        self.low_pools: list[tuple[ScheduleRow, int, int]] = []
        self.reports = ReportRepository(conn)
        self.schedules = ScheduleRepository(conn)
        self.posts = PostRepository(conn)
        self.answers = AnswerRepository(conn)
        self.reactions = ReactionRepository(conn)
        self.points = PointsRepository(conn)

    async def post(self, post_id: int) -> PostRow | None:
        return await self.posts.get(post_id)

    async def open_post(self, post_id: int, *, lock: bool = False) -> tuple[PostRow, Question]:
        """The post members may answer; `lock` (inside a unit of work) holds it against the scoring transaction."""
        post = await (self.posts.get_locked(post_id) if lock else self.posts.get(post_id))
        # A pending post is one Discord may show already (the bot records it right after Discord accepts it):
        # members can answer it. A failed one was never shown.
        if post is None or post.status == "failed":
            raise DomainError("answer.no_post")
        question = self.bank.get(post.question_id)
        if question is None:
            raise DomainError("answer.no_post")
        return post, question

    def _entry(self, post: PostRow, answer: AnswerRow, points: int, reason: str, question: Question) -> LedgerEntry:
        return LedgerEntry(guild_id=post.guild_id, user_id=answer.user_id, points=points, reason=reason,
                           source_type="answer", source_id=answer.id, local_date=post.local_date,
                           topic_id=question.topic_id)
