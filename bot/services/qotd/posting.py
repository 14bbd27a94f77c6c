"""Claiming and planning posts: today's question, catch-up after downtime, /qotd now and skip."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from bot.domain.bank import Question
from bot.domain.errors import DomainError
from bot.domain.schedule import catch_up, local_date, next_post, post_at, reveal_at
from bot.domain.selection import choose, eligible
from bot.services.qotd.base import QotdBase
from bot.services.qotd.plans import (
    PostPlan,
    rule_of,
)
from bot.storage.database import transaction
from bot.storage.rows import PostRow, ScheduleRow

log = logging.getLogger(__name__)

LOW_POOL = 7  # a week of daily questions: the managers are told once per pass, in time to add more


class Posting(QotdBase):
    def _eligible(self, guild_id: int, topics: frozenset[str], low: int, high: int) -> list[Question]:
        return eligible(self.bank.for_guild(guild_id), topics, low, high)

    async def _claim(self, schedule: ScheduleRow, day: date, *, retry_failed: bool = False) -> PostRow | None:
        rule = rule_of(schedule)
        pool = self._eligible(schedule.guild_id, schedule.topics, schedule.min_difficulty, schedule.max_difficulty)
        if not pool:
            raise DomainError("qotd.no_eligible_questions")
        history = await self.posts.guild_history(schedule.guild_id)
        picked = choose(pool, history, seed=f"{schedule.guild_id}:{schedule.id}:{day.isoformat()}")
        post = await self.posts.claim(
            schedule_id=schedule.id, guild_id=schedule.guild_id, channel_id=schedule.channel_id,
            local_date=day.isoformat(), question_id=picked.question.id, cycle=picked.cycle,
            post_due_at=post_at(rule, day), reveal_due_at=reveal_at(rule, day), retry_failed=retry_failed,
        )
        if post is not None and picked.remaining_after <= LOW_POOL:
            self.low_pools.append((schedule, picked.cycle, picked.remaining_after))
        return post

    def _plan(self, post: PostRow, schedule: ScheduleRow) -> PostPlan | None:
        question = self.bank.get(post.question_id)
        return PostPlan(post, schedule, question) if question else None

    async def due_posts(self, now: datetime) -> list[PostPlan]:
        """Posts to send now: today's missing post inside its window, and claimed posts never confirmed sent."""
        plans: list[PostPlan] = []
        active = await self.schedules.active_with_latest(due_by=now)  # only those whose next post has come
        by_id = {schedule.id: schedule for schedule, _latest in active}
        looked: list[tuple[int, datetime]] = []  # (schedule, its next post instant) once decided for now
        looks = [(schedule, local_date(now, schedule.timezone) - timedelta(days=rule_of(schedule).longest_window.days
                                                                             + 2)) for schedule, _ in active]
        first = min((day for _, day in looks), default=None)
        days = await self.posts.days_since(first.isoformat()) if first is not None else {}
        for schedule, latest in active:
            rule = rule_of(schedule)
            existing = {date.fromisoformat(d) for d in days.get(schedule.id, ())}
            day = catch_up(rule, now, existing, date.fromisoformat(latest) if latest else None)
            if day is not None:
                try:
                    async with transaction(self.conn):
                        await self._claim(schedule, day)
                except DomainError as exc:  # e.g. the bank no longer has questions for its filters
                    log.warning("guild %s schedule %s: cannot claim %s: %s", schedule.guild_id, schedule.id,
                                day, exc)
                    self.problems.append((schedule, day, exc))
                    continue  # still due: the next sweep tries again
            # Claimed, or nothing to claim: catch_up posts the latest missing day only, so nothing more can come
            # due before the next post instant (a change to the schedule clears it).
            looked.append((schedule.id, next_post(rule, now)[1]))
        if looked:
            async with transaction(self.conn):
                await self.schedules.set_next_posts(looked)
        unsent = await self.posts.unsent()
        if missing := {post.schedule_id for post in unsent} - by_id.keys():  # not due now, but a claim is unsent
            by_id |= {schedule.id: schedule for schedule in await self.schedules.active_by_ids(missing)}
        for post in unsent:
            schedule = by_id.get(post.schedule_id)  # paused or gone when absent
            if schedule is None or now >= post.reveal_due_at:
                async with transaction(self.conn):
                    await self.posts.mark_failed(post.id)
                continue
            if (plan := self._plan(post, schedule)) is not None:
                plans.append(plan)
        return plans

    async def post_now(self, channel_id: int, now: datetime) -> PostPlan:
        """/qotd now: today's post at once, if the channel has a schedule and today has none yet."""
        schedule = await self.schedules.by_channel(channel_id)
        if schedule is None:
            raise DomainError("qotd.no_schedule")
        today = local_date(now, schedule.timezone)
        async with transaction(self.conn):
            post = await self._claim(schedule, today, retry_failed=True)  # a failed day may be posted again
        if post is None:
            raise DomainError("qotd.already_posted")
        if post.reveal_due_at <= now:
            # The day's reveal time has passed: reveal a full window after now instead of at once.
            window = rule_of(schedule).reveal_after or timedelta(hours=12)
            async with transaction(self.conn):
                await self.posts.move_reveal(post.id, now + window)
            post = await self.posts.get(post.id)
            assert post is not None
        plan = self._plan(post, schedule)
        assert plan is not None
        return plan

    async def skip(self, channel_id: int, now: datetime) -> PostPlan:
        """/qotd skip: replace today's question, only while nobody has answered it."""
        schedule = await self.schedules.by_channel(channel_id)
        if schedule is None:
            raise DomainError("qotd.no_schedule")
        post = await self.posts.for_day(schedule.id, local_date(now, schedule.timezone).isoformat())
        if post is None or post.status != "posted":
            raise DomainError("qotd.nothing_to_skip")
        filters = (schedule.topics, schedule.min_difficulty, schedule.max_difficulty)
        pool = [q for q in self._eligible(schedule.guild_id, *filters) if q.id != post.question_id]
        if not pool:
            raise DomainError("qotd.no_eligible_questions")
        history = await self.posts.guild_history(schedule.guild_id)
        picked = choose(pool, history, seed=f"skip:{post.id}:{post.question_id}")
        async with transaction(self.conn):
            if await self.answers.for_post(post.id):
                raise DomainError("qotd.skip_has_answers")
            await self.posts.replace_question(post.id, picked.question.id)
        updated = await self.posts.get(post.id)
        assert updated is not None
        plan = self._plan(updated, schedule)
        assert plan is not None
        return plan

    async def confirm_posted(self, post_id: int, message_id: int, now: datetime) -> None:
        async with transaction(self.conn):
            await self.posts.mark_posted(post_id, message_id, now)

    async def give_up(self, post_id: int) -> None:
        async with transaction(self.conn):
            await self.posts.mark_failed(post_id)
