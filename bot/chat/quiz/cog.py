"""`/quiz start` and `/quiz stop`: a timed topic quiz in a channel. Parsing only; the rules are in the domain."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.chat.quiz import render
from bot.chat.quiz.runner import QuizRunner
from bot.chat.quiz.views import QUIZ_ITEMS, QUIZ_MODALS
from bot.chat.shared.autocomplete import MIXED, topic_choices, topic_of
from bot.chat.shared.feature import Feature
from bot.chat.shared.locale import language_of
from bot.chat.shared.permissions import permission_labels
from bot.domain.errors import DomainError
from bot.domain.quiz import QuizRules
from bot.i18n import t
from bot.services.grades import GradeFeed
from bot.services.quiz import QuizService
from bot.services.quiz_data import QuizMemberData
from bot.services.server import ServerSettings

if TYPE_CHECKING:
    pass

NEEDED = ("view_channel", "send_messages", "embed_links")
RULES = QuizRules()


@app_commands.guild_only()
class QuizCog(Feature, commands.GroupCog, group_name="quiz", group_description="Timed topic quizzes in this channel"):
    items = QUIZ_ITEMS
    modals = QUIZ_MODALS

    def parts(self) -> list[object]:
        self.service = QuizService(self.bot.db, self.bot.bank, self.bot.services.get(GradeFeed))
        self.runner = QuizRunner(self.bot, self.service)
        # QuizMemberData is picked up by /privacy export and delete.
        return [self.service, self.runner, QuizMemberData(self.bot.db)]

    @app_commands.command(name="start", description="Start a timed quiz in this channel")
    @app_commands.describe(
        topic="A topic of the bank, or mixed", count=f"How many questions (1-{RULES.max_questions})",
        kind="Multiple choice, open answers, or both",
        seconds=f"Seconds per question ({RULES.min_seconds}-{RULES.max_seconds}; default 30 choice, 120 open, "
                "60 mixed)")
    async def start(self, interaction: discord.Interaction, topic: str = MIXED,
                    count: app_commands.Range[int, 1, RULES.max_questions] = 5,
                    kind: Literal["choice", "open", "mixed"] = "choice",
                    seconds: app_commands.Range[int, RULES.min_seconds, RULES.max_seconds] | None = None) -> None:
        # What everyone in the channel reads is in the server's language, whoever started it.
        language = await self.bot.services.get(ServerSettings).language(
            interaction.guild_id or 0, str(interaction.guild_locale or ""))
        granted = interaction.app_permissions
        missing = [name for name in NEEDED if not getattr(granted, name)]
        if missing:
            raise DomainError("quiz.missing_permissions", permissions=", ".join(permission_labels(missing)))
        quiz = await self.service.start(
            guild_id=interaction.guild_id or 0, channel_id=interaction.channel_id or 0,
            starter_id=interaction.user.id, language=language, topic_id=topic_of(topic), kind=kind, count=count,
            seconds=seconds, now=self.bot.clock.now())
        await interaction.response.send_message(render.started_text(self.bot.bank, quiz, language))
        await self.runner.flush()

    @start.autocomplete("topic")
    async def _topics(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return topic_choices(self.bot.bank.for_guild(interaction.guild_id), current, language_of(interaction),
                             mixed=True)

    @app_commands.command(name="stop", description="Stop this channel's quiz (its starter, or Manage Messages)")
    async def stop(self, interaction: discord.Interaction) -> None:
        await self.service.stop(interaction.channel_id or 0, interaction.user.id,
                                can_manage=interaction.permissions.manage_messages, now=self.bot.clock.now())
        await interaction.response.send_message(t("quiz.stopped", language_of(interaction)), ephemeral=True)
        await self.runner.flush()
