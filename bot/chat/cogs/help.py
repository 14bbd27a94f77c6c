"""`/help` and `/question show`: what the bot does, and one question of the bank with its answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.chat import render
from bot.chat.audience import audience
from bot.chat.locale import language_of
from bot.i18n import t

if TYPE_CHECKING:
    from bot.chat.client import StudyBot


class HelpCog(commands.Cog):
    question = app_commands.Group(name="question", description="Look up questions in the bank")

    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="What this bot does and its commands")
    async def help(self, interaction: discord.Interaction) -> None:
        language = language_of(interaction)
        listed = [
            (command.qualified_name, command.description)
            for command in self.bot.tree.walk_commands()
            if isinstance(command, app_commands.Command)
        ]
        embed = render.help_embed(self.bot.bank, sorted(listed), language)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @question.command(name="show", description="Show a question and its reference answer (only to you)")
    @app_commands.describe(question_id="The question's id, e.g. lora-qlora")
    async def show(self, interaction: discord.Interaction, question_id: str) -> None:
        language = language_of(interaction)
        question = self.bot.bank.get(question_id.strip())
        if question is None:
            await interaction.response.send_message(
                t("question.not_found", language, question_id=question_id[:100]), ephemeral=True,
                allowed_mentions=discord.AllowedMentions.none(),
            )
            return
        await self.bot.withholding.check(question.id, audience(interaction))  # DMs too: every shared server
        embeds = [render.question_embed(self.bot.bank, question, language),
                  *render.answer_embeds(question, language)]
        await interaction.response.send_message(embeds=embeds[:10], ephemeral=True)

    @show.autocomplete("question_id")
    async def _question_ids(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        needle = current.lower()
        matches = [q for q in self.bot.bank if needle in q.id or needle in q.prompt.lower()]
        return [app_commands.Choice(name=f"{q.id} · {q.prompt}"[:100], value=q.id) for q in matches[:25]]
