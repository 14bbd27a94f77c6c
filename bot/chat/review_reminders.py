"""Sends the daily review reminders the service claims, on an APScheduler sweep (job ids prefixed "review:").

The database decides what is due (one claim per member and local day, taken before sending); the job only wakes
the bot, so a missed, doubled or post-restart sweep never sends a reminder twice.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord

from bot.chat import review_render as render
from bot.chat.review_views import start_view
from bot.services.review import ReminderPlan, ReviewService

if TYPE_CHECKING:
    from bot.chat.client import StudyBot

log = logging.getLogger(__name__)
SWEEP_JOB = "review:reminders"
SWEEP_SECONDS = 60


class ReviewReminders:
    def __init__(self, bot: StudyBot, service: ReviewService) -> None:
        self.bot = bot
        self.service = service
        self.lock = asyncio.Lock()
        self.catch_up: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.bot.wakeups.every(SWEEP_JOB, SWEEP_SECONDS, self.sweep)
        # After downtime: today's reminders whose time passed while the bot was down go out now (once).
        self.catch_up = asyncio.create_task(self.sweep(), name="review-reminders-catch-up")

    def stop(self) -> None:
        if self.catch_up is not None and not self.catch_up.done():
            self.catch_up.cancel()
        self.bot.wakeups.cancel(SWEEP_JOB)

    async def sweep(self) -> None:
        await self.bot.wait_until_ready()
        async with self.lock:
            for plan in await self.service.due_reminders(self.bot.clock.now()):
                try:
                    await self.send(plan)
                except Exception:
                    log.exception("review: reminder for user %s on %s failed", plan.user_id, plan.day)

    async def send(self, plan: ReminderPlan) -> None:
        try:
            channel = await self.bot.create_dm(discord.Object(plan.user_id))
            message = await channel.send(embed=render.reminder_embed(plan, plan.language),
                                         view=start_view(plan.user_id, plan.language))
        except discord.Forbidden as error:
            log.info("review: user %s does not take DMs (%s); reminders paused", plan.user_id, error.text)
            await self.service.reminder_failed(plan, self.bot.clock.now(), refused=True)
            return
        except discord.HTTPException:
            log.warning("review: reminder DM to user %s failed", plan.user_id, exc_info=True)
            await self.service.reminder_failed(plan, self.bot.clock.now(), refused=False)
            return
        await self.service.reminder_sent(plan, message.id)
