"""`/help` and `/question show`: what the bot does, and one question of the bank with its answer.

Both are personal commands: they also come with a user install and work in any DM (`bot.chat.shared.installs`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.chat.help.render import help_embed
from bot.chat.shared.audience import audience, home_guild
from bot.chat.shared.autocomplete import question_choices
from bot.chat.shared.embeds import answer_parts, pack, question_embed
from bot.chat.shared.feature import Feature
from bot.chat.shared.installs import is_personal, personal
from bot.chat.shared.locale import language_of
from bot.i18n import t
from bot.services.withholding import Withholding

if TYPE_CHECKING:
    pass


class HelpCog(Feature, commands.Cog):
    question = personal(app_commands.Group(name="question", description="Look up questions in the bank"))

    @app_commands.command(name="help", description="What this bot does and its commands")
    @personal
    async def help(self, interaction: discord.Interaction) -> None:
        language = language_of(interaction)
        in_server = home_guild(interaction) is not None  # elsewhere only the personal commands can be used
        listed = [
            (command.qualified_name, command.description)
            for command in self.bot.tree.walk_commands()
            if isinstance(command, app_commands.Command) and (in_server or is_personal(command))
        ]
        embed = help_embed(self.bot.bank, sorted(listed), language)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @question.command(name="show", description="Show a question and its reference answer (only to you)")
    @app_commands.describe(question_id="The question's id, e.g. lora-qlora")
    async def show(self, interaction: discord.Interaction, question_id: str) -> None:
        language = language_of(interaction)
        question = self.bot.bank.for_guild(interaction.guild_id).get(question_id.strip())
        if question is None:
            await interaction.response.send_message(
                t("question.not_found", language, question_id=question_id[:100]), ephemeral=True,
                allowed_mentions=discord.AllowedMentions.none(),
            )
            return
        # DMs too: the withholding rule covers every server the member shares with the bot.
        await self.bot.services.get(Withholding).check(question.id, audience(interaction))
        first, *more = pack([question_embed(self.bot.bank, question, language), *answer_parts(question, language)])
        await interaction.response.send_message(embeds=first, ephemeral=True)
        for embeds in more:
            await interaction.followup.send(embeds=embeds, ephemeral=True)

    @show.autocomplete("question_id")
    async def _question_ids(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return question_choices(self.bot.bank.for_guild(interaction.guild_id), current)
