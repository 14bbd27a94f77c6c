"""Sends the daily review reminders the service claims, on an APScheduler sweep (job ids prefixed "review:").

The database decides what is due (one claim per member and local day, taken before sending); the job only wakes
the bot, so a missed, doubled or post-restart sweep never sends a reminder twice.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from bot.chat.review import render
from bot.chat.review.views import start_view
from bot.chat.shared.direct import send_direct
from bot.chat.shared.runner import Runner
from bot.services.review import ReminderPlan, ReviewService

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)
SWEEP_JOB = "review:reminders"
SWEEP_SECONDS = 60


class ReviewReminders(Runner):
    name = "review"
    sweep_seconds = SWEEP_SECONDS
    sweep_id = SWEEP_JOB
    service: ReviewService

    async def run(self, now: datetime) -> None:
        """Send the reminders that are due. After downtime (the catch-up at start), today's reminders whose time
        passed while the bot was down go out now, once."""
        await self.each(await self.service.due_reminders(now), self.send,
                        lambda plan: f"reminder for user {plan.user_id} on {plan.day}")

    async def send(self, plan: ReminderPlan) -> None:
        sent = await send_direct(self.bot, plan.user_id, "review reminder",
                                 embed=render.reminder_embed(plan, plan.language),
                                 view=start_view(plan.user_id, plan.language))
        if sent.message is None:
            await self.service.reminder_failed(plan, self.bot.clock.now(), refused=sent.refused)
            return
        await self.service.reminder_sent(plan, sent.message.id)
