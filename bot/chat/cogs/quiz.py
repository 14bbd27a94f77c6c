"""`/quiz start` and `/quiz stop`: a timed topic quiz in a channel. Parsing only; the rules are in the domain."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.chat import quiz_render as render
from bot.chat.locale import language_of
from bot.chat.permissions import permission_labels
from bot.chat.quiz_runner import QuizRunner
from bot.chat.quiz_views import QUIZ_ITEMS
from bot.domain.bank import Bank
from bot.domain.errors import DomainError
from bot.domain.quiz import QuizRules
from bot.i18n import t
from bot.services.quiz import QuizService
from bot.services.quiz_data import QuizMemberData

if TYPE_CHECKING:
    from bot.chat.client import StudyBot

MIXED = "mixed"
NEEDED = ("view_channel", "send_messages", "embed_links")
RULES = QuizRules()


def topic_choices(bank: Bank, current: str, language: str) -> list[app_commands.Choice[str]]:
    """"mixed" (every topic) first, then the topics whose id or names contain what was typed."""
    needle = current.strip().lower()
    found = [app_commands.Choice(name=t("quiz.topic.mixed", language), value=MIXED)] if needle in MIXED else []
    for topic in bank.topics:
        if needle in topic.id or needle in topic.name_zh.lower() or needle in topic.name_en.lower():
            found.append(app_commands.Choice(name=f"{topic.name(language)} ({topic.id})"[:100], value=topic.id))
    return found[:25]


def topic_of(value: str | None) -> str | None:
    cleaned = (value or MIXED).strip().lower()
    return None if cleaned in (MIXED, "") else cleaned


@app_commands.guild_only()
class QuizCog(commands.GroupCog, group_name="quiz", group_description="Timed topic quizzes in this channel"):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        super().__init__()

    async def cog_load(self) -> None:
        self.service = QuizService(self.bot.db, self.bot.bank, self.bot.grades)
        self.runner = QuizRunner(self.bot, self.service)
        self.member_data = QuizMemberData(self.bot.db)  # picked up by /privacy export and delete
        self.bot.add_dynamic_items(*QUIZ_ITEMS)
        await self.runner.start()

    async def cog_unload(self) -> None:
        await self.runner.stop()
        self.bot.remove_dynamic_items(*QUIZ_ITEMS)

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
        language = await self.bot.qotd.server_language(interaction.guild_id or 0, str(interaction.guild_locale or ""))
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
        return topic_choices(self.bot.bank, current, language_of(interaction))

    @app_commands.command(name="stop", description="Stop this channel's quiz (its starter, or Manage Messages)")
    async def stop(self, interaction: discord.Interaction) -> None:
        await self.service.stop(interaction.channel_id or 0, interaction.user.id,
                                can_manage=interaction.permissions.manage_messages, now=self.bot.clock.now())
        await interaction.response.send_message(t("quiz.stopped", language_of(interaction)), ephemeral=True)
        await self.runner.flush()
