"""`/stats [member]`: a member's figures in an embed, and their heatmap and topic mastery as a PNG."""

from __future__ import annotations

import asyncio
import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.chat.shared.feature import Feature
from bot.chat.shared.locale import language_of
from bot.chat.stats.chart import render_png
from bot.chat.stats.render import stats_embed
from bot.i18n import t
from bot.services.boards import BoardService
from bot.services.stats import StatsService

if TYPE_CHECKING:
    pass

CHART_NAME = "stats.png"


class StatsCog(Feature, commands.Cog):
    def parts(self) -> list[object]:
        self.service = StatsService(self.bot.db, self.bot.bank, self.bot.services.get(BoardService))
        return [self.service]

    @app_commands.command(name="stats", description="Progress charts: activity over 26 weeks and mastery by topic")
    @app_commands.guild_only()
    @app_commands.describe(member="Whose progress (you by default)")
    async def stats(self, interaction: discord.Interaction, member: discord.Member | None = None) -> None:
        # Rendering takes a moment: acknowledge first, render off the event loop, then send.
        await interaction.response.defer(ephemeral=True, thinking=True)
        guild_id = interaction.guild_id or 0
        target = member or interaction.user
        figures = await self.service.stats(guild_id, interaction.user.id, target.id, self.bot.clock.now())
        language = language_of(interaction)
        names = {topic.id: topic.name(language) for topic in self.bot.bank.topics}
        png = await asyncio.to_thread(render_png, figures.heatmap, figures.topics, names, language)
        embed = stats_embed(figures, self.bot.bank, await self.service.board_service.timezone(guild_id), language)
        embed.set_image(url=f"attachment://{CHART_NAME}")
        chart = discord.File(io.BytesIO(png), filename=CHART_NAME, description=t("stats.image_alt", language))
        await interaction.followup.send(embed=embed, file=chart, ephemeral=True)
