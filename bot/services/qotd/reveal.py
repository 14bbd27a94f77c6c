"""The reveal: scoring the day once (coverage, streaks, points) and recording what was sent."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime

from bot.domain import scoring
from bot.domain.coverage import Coverage, coverage
from bot.services.grades import GradeEvent
from bot.services.qotd.base import QotdBase
from bot.services.qotd.plans import (
    LATE_REPOST_WINDOW,
    AnswerOutcome,
    RevealedMember,
    RevealPlan,
)
from bot.storage.database import transaction
from bot.storage.points import StreakRow

log = logging.getLogger(__name__)


class Reveal(QotdBase):
    async def due_reveals(self, now: datetime) -> list[RevealPlan]:
        plans = []
        for post in await self.posts.due_reveals(now):
            plan = await self.prepare_reveal(post.id)
            if plan is not None:
                plans.append(plan)
        return plans

    async def prepare_reveal(self, post_id: int) -> RevealPlan | None:
        """Score the day (coverage, streaks, points) once; running it again changes nothing."""
        post = await self.posts.get(post_id)
        schedule = await self.schedules.get(post.schedule_id) if post else None
        question = self.bank.get(post.question_id) if post else None
        if post is None or schedule is None or question is None or post.status != "posted":
            return None
        day = date.fromisoformat(post.local_date)
        members: list[RevealedMember] = []
        async with transaction(self.conn):
            await self.posts.close_answers(post.id, post.reveal_due_at)  # every later answer transaction sees it
            for answer in await self.answers.for_post(post.id):
                result = coverage(answer.content, question.key_points)
                await self.answers.set_coverage(answer.id, result.covered)
                stored = await self.points.streak(post.guild_id, answer.user_id)
                streak = scoring.advance(scoring.Streak(stored.current, stored.best, stored.last_day), day)
                await self.points.save_streak(post.guild_id, answer.user_id,
                                              StreakRow(streak.current, streak.best, streak.last_day))
                awards = scoring.reveal_awards(self.rules, [scoring.RevealedAnswer(
                    user_id=answer.user_id, late=answer.late, coverage_ratio=result.ratio,
                    streak=streak.current)])
                for award in awards:
                    await self.points.award(self._entry(post, answer, award.points, award.reason, question))
                members.append(RevealedMember(answer, result, sum(a.points for a in awards), streak.current))
        for member in members:  # the review deck learns of on-time answers only now that the answer is public
            await self.grades.publish(GradeEvent(post.guild_id, member.answer.user_id, question.id, "qotd",
                                                 post.reveal_due_at))
        reactions = await self.reactions.spread(post.id)
        standings = []
        for standing in await self.points.top(post.guild_id, limit=5):
            stored = await self.points.streak(post.guild_id, standing.user_id)
            current = scoring.current_as_of(scoring.Streak(stored.current, stored.best, stored.last_day), day)
            standings.append((standing, current))
        return RevealPlan(post, schedule, question, members, reactions, standings)

    async def record_reveal_message(self, answer_ids: Sequence[int], message_id: int) -> set[int]:
        """Record the thread message that carries these answers; returns those deleted meanwhile (/privacy
        delete), which the caller takes off the message."""
        async with transaction(self.conn):
            kept = await self.answers.set_reveal_message(answer_ids, message_id)
        return set(answer_ids) - kept

    async def unposted_late_answers(self, now: datetime) -> list[AnswerOutcome]:
        """Late answers acknowledged but not in their thread (a crash or a Discord error right after the
        member was told): the sweep posts them."""
        outcomes = []
        for answer in await self.answers.unposted_late(now - LATE_REPOST_WINDOW):
            post = await self.posts.get(answer.post_id)
            question = self.bank.get(post.question_id) if post else None
            if post is None or question is None:
                continue
            result = Coverage(tuple(answer.coverage or ()), len(question.key_points))
            outcomes.append(AnswerOutcome(answer, False, True, result, post, question))
        return outcomes

    async def first_report(self, guild_id: int, key: str, now: datetime) -> bool:
        """Whether this problem is new for the guild's admins (each is reported once)."""
        async with transaction(self.conn):
            return await self.reports.first(guild_id, key, now)

    async def record_reveal_progress(self, post_id: int, *, parts_sent: int | None = None,
                                     thread_id: int | None = None, prompt_id: int | None = None) -> None:
        async with transaction(self.conn):
            await self.posts.record_reveal_progress(post_id, parts_sent=parts_sent, thread_id=thread_id,
                                                    prompt_id=prompt_id)

    async def finish_reveal(self, post_id: int, thread_id: int | None, now: datetime) -> None:
        async with transaction(self.conn):
            await self.posts.mark_revealed(post_id, now, thread_id)
