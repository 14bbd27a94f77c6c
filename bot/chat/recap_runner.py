"""Sends the weekly recaps the service plans, and keeps APScheduler's recap jobs in step with the database.

As for the daily question, the database decides: a sweep every few minutes ("recap:sweep") plus one job at each
guild's next recap instant ("recap:due:<guild>") only wake the bot, and every sweep asks the service what is due.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from bot.chat.boards_render import recap_embed
from bot.i18n import t
from bot.services.recap import RecapPlan, RecapService
from bot.wakeups import keep_in_step

if TYPE_CHECKING:
    from bot.chat.client import StudyBot

log = logging.getLogger(__name__)
SWEEP_SECONDS = 300


class RecapRunner:
    def __init__(self, bot: StudyBot, service: RecapService) -> None:
        self.bot = bot
        self.service = service
        self.lock = asyncio.Lock()

    async def start(self) -> None:
        self.bot.wakeups.every("recap:sweep", SWEEP_SECONDS, self.sweep)
        await self.arm()

    def stop(self) -> None:
        self.bot.wakeups.cancel("recap:sweep")
        for job_id in self.bot.wakeups.armed("recap:"):
            self.bot.wakeups.cancel(job_id)

    async def arm(self) -> None:
        now = self.bot.clock.now()
        wanted = {f"recap:due:{guild_id}": when for guild_id, when in (await self.service.next_times(now)).items()}
        keep_in_step(self.bot.wakeups, ("recap:due:",), wanted, self.sweep)

    def arm_guild(self, guild_id: int, when: datetime | None) -> None:
        """Arm (or, with None, disarm) one guild's recap wake-up: what /recap config changes. Its cost does not
        grow with the number of servers."""
        if when is None:
            self.bot.wakeups.cancel(f"recap:due:{guild_id}")
        else:
            self.bot.wakeups.at(f"recap:due:{guild_id}", when, self.sweep)

    async def sweep(self) -> None:
        """Post every recap that is due; one guild's failure never stops another's."""
        await self.bot.wait_until_ready()
        try:
            async with self.lock:
                for plan in await self.service.due(self.bot.clock.now()):
                    try:
                        await self.send(plan)
                    except Exception:
                        log.exception("weekly recap failed for guild %s week %s", plan.recap.guild_id,
                                      plan.recap.week)
        finally:
            if not self.bot.is_closed():  # a sweep cancelled by the shutdown leaves the jobs alone
                await self.arm()

    async def send(self, plan: RecapPlan) -> None:
        channel = self.bot.get_partial_messageable(plan.recap.channel_id, guild_id=plan.recap.guild_id)
        try:
            message = await channel.send(embed=recap_embed(plan.content, plan.language),
                                         allowed_mentions=discord.AllowedMentions.none())
        except (discord.Forbidden, discord.NotFound) as error:
            log.warning("guild %s: cannot post the weekly recap in %s: %s", plan.recap.guild_id,
                        plan.recap.channel_id, error.text)
            await self.service.give_up(plan.recap.id)
            await self.bot.qotd_runner.report(plan.recap.guild_id, t(
                "recap.report_failed", plan.language, channel=f"<#{plan.recap.channel_id}>",
                reason=error.text or type(error).__name__))
            return
        await self.service.confirm(plan.recap.id, message.id, self.bot.clock.now())
