"""`/history [topic]`: this server's past daily questions for any member, newest first, a page at a time."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.chat.history.render import history_embed
from bot.chat.history.views import DYNAMIC_ITEMS, history_view, topic_name
from bot.chat.shared.autocomplete import topic_choices
from bot.chat.shared.feature import Feature
from bot.chat.shared.locale import language_of
from bot.services.qotd import QotdService


class HistoryCog(Feature, commands.Cog):
    items = DYNAMIC_ITEMS

    @app_commands.command(name="history", description="This server's past daily questions, with your own answers")
    @app_commands.guild_only()
    @app_commands.describe(topic="Only the questions of one topic")
    async def history(self, interaction: discord.Interaction, topic: str | None = None) -> None:
        language = language_of(interaction)
        page = await self.bot.services.get(QotdService).history(
            interaction.guild_id or 0, interaction.user.id, topic.strip() if topic else None)
        await interaction.response.send_message(
            embed=history_embed(page, topic_name(self.bot.bank, page, language), language),
            view=history_view(page, interaction.user.id, language), ephemeral=True)

    @history.autocomplete("topic")
    async def _topics(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return topic_choices(self.bot.bank.for_guild(interaction.guild_id), current, language_of(interaction))
