"""`/recap config|season|preview` for server managers, and the weekly recap's and season summary's jobs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.chat.recap.render import recap_embed
from bot.chat.recap.runner import RecapRunner
from bot.chat.shared.embeds import discord_time
from bot.chat.shared.feature import Feature
from bot.chat.shared.locale import language_of
from bot.domain.recap import WEEKDAYS
from bot.domain.timetext import parse_clock
from bot.i18n import t
from bot.services.boards import BoardService
from bot.services.recap import RecapService

if TYPE_CHECKING:
    pass

Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class RecapCog(Feature, commands.GroupCog, group_name="recap",
               group_description="The weekly recap (server managers)"):

    def parts(self) -> list[object]:
        self.service = RecapService(self.bot.db, self.bot.bank, self.bot.services.get(BoardService))
        # The runner's catch-up at start posts this week's recap if it was missed less than a day ago.
        self.runner = RecapRunner(self.bot, self.service)
        return [self.service, self.runner]


    @app_commands.command(name="config", description="When and where the weekly recap is posted")
    @app_commands.describe(day="Day of the week (server time zone)", time="Local time, 24h HH:MM",
                           channel="Where to post it (default: the first daily-question channel)",
                           enabled="Post recaps at all")
    async def config(self, interaction: discord.Interaction, day: Weekday | None = None, time: str | None = None,
                     channel: discord.TextChannel | None = None, enabled: bool | None = None) -> None:
        guild_id = interaction.guild_id or 0
        now = self.bot.clock.now()
        settings, upcoming = await self.service.configure(
            guild_id, weekday=WEEKDAYS.index(day) if day else None, at=parse_clock(time) if time else None,
            channel_id=channel.id if channel else None, enabled=enabled, by=interaction.user.id, now=now)
        language = language_of(interaction)
        target = await self.service.channel(settings)
        self.runner.arm_guild(guild_id, upcoming.due_at if settings.enabled and target is not None else None)
        await interaction.response.send_message(t(
            "recap.saved", language, state=t("recap.on" if settings.enabled else "recap.off", language),
            weekday=t(f"recap.weekday.{settings.weekday}", language), time=settings.at.strftime("%H:%M"),
            timezone=await self.service.board_service.timezone(guild_id), channel=f"<#{target}>" if target else "—",
            next=discord_time(upcoming.due_at)), ephemeral=True)

    @app_commands.command(name="season", description="A season summary at each month's end (opt-in)")
    @app_commands.describe(enabled="Post the monthly season summary")
    async def season(self, interaction: discord.Interaction, enabled: bool) -> None:
        channel_id, timezone = await self.service.set_season(interaction.guild_id or 0, enabled, interaction.user.id)
        language = language_of(interaction)
        await interaction.response.send_message(t(
            "season.saved", language, state=t("recap.on" if enabled else "recap.off", language),
            channel=f"<#{channel_id}>" if channel_id else "—", timezone=timezone), ephemeral=True)

    @app_commands.command(name="preview", description="The recap of the last 7 days as it would read now")
    async def preview(self, interaction: discord.Interaction) -> None:
        content = await self.service.preview(interaction.guild_id or 0, self.bot.clock.now())
        language = language_of(interaction)
        if content.empty:
            await interaction.response.send_message(t("recap.preview_empty", language), ephemeral=True)
            return
        await interaction.response.send_message(embed=recap_embed(content, language), ephemeral=True)
