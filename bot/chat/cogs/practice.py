"""`/practice`: private flashcards for one member; every message is ephemeral, nothing is posted in the channel."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.chat import quiz_render as render
from bot.chat.audience import audience
from bot.chat.cogs.quiz import MIXED, topic_choices, topic_of
from bot.chat.locale import language_of
from bot.chat.quiz_views import PRACTICE_ITEMS, show_view
from bot.services.practice import MAX_CARDS, PracticeService

if TYPE_CHECKING:
    from bot.chat.client import StudyBot


class PracticeCog(commands.Cog):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.service = PracticeService(self.bot.db, self.bot.bank, self.bot.grades)
        self.bot.add_dynamic_items(*PRACTICE_ITEMS)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*PRACTICE_ITEMS)

    @app_commands.command(name="practice", description="Private flashcards: a question, its answer, grade yourself")
    @app_commands.describe(topic="A topic of the bank, or mixed", count=f"How many cards (1-{MAX_CARDS})")
    @app_commands.guild_only()
    async def practice(self, interaction: discord.Interaction, topic: str = MIXED,
                       count: app_commands.Range[int, 1, MAX_CARDS] = 5) -> None:
        language = language_of(interaction)
        card = await self.service.start(guild_id=interaction.guild_id or 0, user_id=interaction.user.id,
                                        topic_id=topic_of(topic), count=count, now=self.bot.clock.now(),
                                        scope=audience(interaction))
        await interaction.response.send_message(embed=render.card_embed(self.bot.bank, card, language),
                                                view=show_view(card.run.id, card.run.position, language),
                                                ephemeral=True)

    @practice.autocomplete("topic")
    async def _topics(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return topic_choices(self.bot.bank, current, language_of(interaction))
