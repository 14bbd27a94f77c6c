"""Members' answers: blind until the reveal, late (and scored at once) after it."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.domain import scoring
from bot.domain.answers import clean_answer
from bot.domain.coverage import coverage
from bot.domain.errors import DomainError
from bot.services.grades import GradeEvent
from bot.services.qotd.base import QotdBase
from bot.services.qotd.plans import (
    AnswerOutcome,
)
from bot.storage.rows import AnswerRow

log = logging.getLogger(__name__)


class Answers(QotdBase):
    async def submit_answer(self, post_id: int, user_id: int, text: str, now: datetime,
                            question_id: str | None = None) -> AnswerOutcome:
        """Store a member's answer. `question_id` is the question the member's form showed (None: trust the post).

        Refused while the reveal is being sent (the reference may already be public, and the day is being
        scored): the member gets their text back and may send it again, as a late answer, once it is revealed.
        """
        content = clean_answer(text, empty="answer.empty", too_long="answer.too_long")
        outcome = await self.conn.run(self._save_answer, post_id, user_id, content, now, question_id)
        if outcome.created and outcome.late:
            await self.grades.publish(GradeEvent(outcome.post.guild_id, user_id, outcome.question.id, "qotd", now))
        return outcome

    async def _save_answer(self, post_id: int, user_id: int, content: str, now: datetime,
                           question_id: str | None) -> AnswerOutcome:
        """The unit of work of `submit_answer`: database statements only, so SQLite runs it whole in one trip."""
        post, question = await self.open_post(post_id, lock=True)
        if question_id is not None and question_id != post.question_id:
            raise DomainError("answer.question_changed")
        # Decided from the post as this transaction reads it: before the scoring transaction an answer is on
        # time (and the reveal takes it), after it and before the reveal it is refused, after the reveal late.
        revealed = post.status == "revealed"
        if not revealed and post.answers_closed_at is not None:
            raise DomainError("answer.revealing")
        saved = await self.answers.save(
            post_id=post.id, guild_id=post.guild_id, user_id=user_id, content=content, late=revealed, now=now)
        if saved is None:  # a late answer is there already
            raise DomainError("answer.locked")
        answer, created = saved
        result = None
        if revealed:
            result = coverage(content, question.key_points)
            await self.answers.set_coverage(answer.id, result.covered)
            for award in scoring.reveal_awards(self.rules, [scoring.RevealedAnswer(
                    user_id=user_id, late=True, coverage_ratio=result.ratio, streak=0)]):
                await self.points.award(self._entry(post, answer, award.points, award.reason, question))
        return AnswerOutcome(answer, created, revealed, result, post, question)

    async def my_answer(self, post_id: int, user_id: int) -> AnswerRow | None:
        return await self.answers.get(post_id, user_id)
