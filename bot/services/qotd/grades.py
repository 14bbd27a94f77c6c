"""A member grading their own answer after the reveal."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.domain import scoring
from bot.domain.bank import Question
from bot.domain.errors import DomainError
from bot.domain.quiz import SELF_GRADES
from bot.services.grades import GradeEvent
from bot.services.qotd.base import QotdBase
from bot.storage.rows import AnswerRow, PostRow

log = logging.getLogger(__name__)


class SelfGrades(QotdBase):
    async def self_grade(self, post_id: int, user_id: int, grade: str, now: datetime) -> AnswerRow:
        if grade not in SELF_GRADES:
            raise DomainError("grade.unknown")
        post, question, graded = await self.conn.run(self._grade, post_id, user_id, grade)
        await self.grades.publish(GradeEvent(post.guild_id, user_id, question.id, "qotd", now, grade=grade))  # type: ignore[arg-type]
        return graded

    async def _grade(self, post_id: int, user_id: int, grade: str) -> tuple[PostRow, Question, AnswerRow]:
        """The unit of work of `self_grade` (one trip on SQLite)."""
        post, question = await self.open_post(post_id)
        answer = await self.answers.get(post.id, user_id)
        if answer is None:
            raise DomainError("grade.no_answer")
        await self.answers.set_self_grade(answer.id, grade)
        if not answer.late:  # a late answer earns its late points and nothing else
            award = scoring.self_grade_award(self.rules, user_id)
            await self.points.award(self._entry(post, answer, award.points, award.reason, question))
        graded = await self.answers.get(post.id, user_id)
        assert graded is not None
        return post, question, graded
