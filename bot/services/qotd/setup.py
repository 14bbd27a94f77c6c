"""Setting up a channel's daily question: its schedule, its status, pausing it."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.domain.errors import DomainError
from bot.domain.schedule import ScheduleRule, local_date, next_post, reveal_at
from bot.services.qotd.base import QotdBase
from bot.services.qotd.plans import (
    ScheduleStatus,
    rule_of,
)
from bot.storage.database import transaction
from bot.storage.rows import ScheduleRow
from bot.storage.schedules import ScheduleInput

log = logging.getLogger(__name__)


class ScheduleSetup(QotdBase):
    async def configure(self, value: ScheduleInput) -> ScheduleRow:
        try:
            ScheduleRule(value.post_time, value.timezone, value.reveal_time,
                         timedelta(minutes=value.reveal_after_minutes) if value.reveal_after_minutes else None)
        except ValueError as exc:
            raise DomainError("qotd.bad_schedule", reason=str(exc)) from exc
        unknown = sorted(value.topics - {t.id for t in self.bank.for_guild(value.guild_id).topics})
        if unknown:
            raise DomainError("qotd.unknown_topics", topics=", ".join(unknown))
        if value.min_difficulty > value.max_difficulty:
            raise DomainError("qotd.bad_difficulty")
        if not self._eligible(value.guild_id, value.topics, value.min_difficulty, value.max_difficulty):
            raise DomainError("qotd.no_eligible_questions")
        return await self.schedules.save(value)

    async def status(self, guild_id: int, now: datetime) -> list[ScheduleStatus]:
        result = []
        for schedule in await self.schedules.for_guild(guild_id):
            rule = rule_of(schedule)
            day, post_time = next_post(rule, now)
            today = await self.posts.for_day(schedule.id, local_date(now, schedule.timezone).isoformat())
            result.append(ScheduleStatus(schedule, post_time, reveal_at(rule, day), today))
        return result

    async def set_paused(self, channel_id: int, paused: bool) -> ScheduleRow:
        async with transaction(self.conn):
            changed = await self.schedules.set_paused(channel_id, paused)
        if not changed:
            raise DomainError("qotd.no_schedule")
        schedule = await self.schedules.by_channel(channel_id)
        assert schedule is not None
        return schedule
