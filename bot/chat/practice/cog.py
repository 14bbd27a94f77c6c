"""`/practice`: private flashcards for one member; every message is ephemeral, nothing is posted in the channel.

A personal command: it also comes with a user install and works in any DM (`bot.chat.shared.installs`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.chat.practice import render
from bot.chat.practice.views import PRACTICE_ITEMS, show_view
from bot.chat.shared.audience import audience, home_guild
from bot.chat.shared.autocomplete import MIXED, topic_choices, topic_of
from bot.chat.shared.feature import Feature
from bot.chat.shared.installs import personal
from bot.chat.shared.locale import language_of
from bot.services.grades import GradeFeed
from bot.services.practice import MAX_CARDS, PracticeService

if TYPE_CHECKING:
    pass


class PracticeCog(Feature, commands.Cog):
    items = PRACTICE_ITEMS

    def parts(self) -> list[object]:
        self.service = PracticeService(self.bot.db, self.bot.bank, self.bot.services.get(GradeFeed))
        return [self.service]

    @app_commands.command(name="practice", description="Private flashcards: a question, its answer, grade yourself")
    @app_commands.describe(topic="A topic of the bank, or mixed", count=f"How many cards (1-{MAX_CARDS})")
    @personal
    async def practice(self, interaction: discord.Interaction, topic: str = MIXED,
                       count: app_commands.Range[int, 1, MAX_CARDS] = 5) -> None:
        language = language_of(interaction)
        card = await self.service.start(guild_id=home_guild(interaction), user_id=interaction.user.id,
                                        topic_id=topic_of(topic), count=count, now=self.bot.clock.now(),
                                        scope=audience(interaction))
        await interaction.response.send_message(embed=render.card_embed(self.bot.bank, card, language),
                                                view=show_view(card.run.id, card.run.position, language),
                                                ephemeral=True)

    @practice.autocomplete("topic")
    async def _topics(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return topic_choices(self.bot.bank.for_guild(interaction.guild_id), current, language_of(interaction),
                             mixed=True)
