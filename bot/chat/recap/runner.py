"""Sends the weekly recaps and monthly season summaries the service plans, and keeps APScheduler's recap jobs in
step with the database.

As for the daily question, the database decides: a sweep every few minutes ("recap:sweep") plus one job at each
guild's next recap instant ("recap:due:<guild>") only wake the bot, and every sweep asks the service what is due.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from bot.chat.recap.render import recap_embed, season_embed
from bot.chat.shared.reports import report_to_admins
from bot.chat.shared.runner import Runner
from bot.i18n import t
from bot.services.recap import RecapPlan, RecapService, SeasonPlan

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)
SWEEP_SECONDS = 300


class RecapRunner(Runner):
    name = "recap"
    sweep_seconds = SWEEP_SECONDS
    service: RecapService
    prefixes = ("recap:next",)
    next_job = "recap:next"

    async def wanted(self, now: datetime) -> dict[str, datetime]:
        """One wake-up, at the earliest recap instant ahead over every guild (one query reads them all)."""
        return self.earliest(self.next_job, (await self.service.next_times(now)).values())

    def arm_guild(self, guild_id: int, when: datetime | None) -> None:
        """Bring the one wake-up forward to this guild's next recap if that comes first: what /recap config changes
        (a disabled recap is simply not due). Its cost does not grow with the number of servers."""
        if when is not None:
            self.bring_forward(self.next_job, when)

    async def run(self, now: datetime) -> None:
        """Post every recap and season summary that is due; one guild's failure never stops another's."""
        await self.each(await self.service.due(now), self.send,
                        lambda plan: f"weekly recap of guild {plan.recap.guild_id} week {plan.recap.week}")
        await self.each(await self.service.seasons_due(now, self.guild_locale), self.send_season,
                        lambda plan: f"season summary of guild {plan.season.guild_id} month {plan.season.month}")

    def guild_locale(self, guild_id: int) -> str | None:
        guild = self.bot.get_guild(guild_id)
        return str(guild.preferred_locale) if guild is not None else None

    async def send_season(self, plan: SeasonPlan) -> None:
        season = plan.season
        channel = self.bot.get_partial_messageable(season.channel_id, guild_id=season.guild_id)
        try:
            message = await channel.send(embed=season_embed(plan.content, self.bot.bank, plan.language),
                                         allowed_mentions=discord.AllowedMentions.none())
        except (discord.Forbidden, discord.NotFound) as error:
            log.warning("guild %s: cannot post the season summary in %s: %s", season.guild_id, season.channel_id,
                        error.text)
            await self.service.give_up_season(season.id)
            await report_to_admins(self.bot, season.guild_id, t(
                "season.report_failed", plan.language, channel=f"<#{season.channel_id}>",
                reason=error.text or type(error).__name__))
            return
        await self.service.confirm_season(season.id, message.id, self.bot.clock.now())

    async def send(self, plan: RecapPlan) -> None:
        channel = self.bot.get_partial_messageable(plan.recap.channel_id, guild_id=plan.recap.guild_id)
        try:
            message = await channel.send(embed=recap_embed(plan.content, plan.language),
                                         allowed_mentions=discord.AllowedMentions.none())
        except (discord.Forbidden, discord.NotFound) as error:
            log.warning("guild %s: cannot post the weekly recap in %s: %s", plan.recap.guild_id,
                        plan.recap.channel_id, error.text)
            await self.service.give_up(plan.recap.id)
            await report_to_admins(self.bot, plan.recap.guild_id, t(
                "recap.report_failed", plan.language, channel=f"<#{plan.recap.channel_id}>",
                reason=error.text or type(error).__name__))
            return
        await self.service.confirm(plan.recap.id, message.id, self.bot.clock.now())
