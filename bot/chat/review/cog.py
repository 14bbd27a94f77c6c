"""`/review ...`: a member's own spaced-repetition deck. Every reply is ephemeral: a deck is never shown to others.

Discord does not let a command that has subcommands run by itself, so the session is `/review start`. A personal
command: it also comes with a user install and works in any DM (`bot.chat.shared.installs`); outside a server the
bot is in, it speaks for no server (`home_guild`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.chat.review import render
from bot.chat.review.runner import ReviewReminders
from bot.chat.review.views import DYNAMIC_ITEMS, step_message
from bot.chat.shared.audience import audience, home_guild
from bot.chat.shared.autocomplete import question_choices, topic_choices, zone_choices
from bot.chat.shared.feature import Feature
from bot.chat.shared.installs import personal
from bot.chat.shared.locale import language_of
from bot.domain.errors import DomainError
from bot.i18n import t
from bot.services.grades import GradeFeed
from bot.services.review import ReviewService
from bot.services.review_data import ReviewMemberData

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)
_FOLLOW_UP_AFTER = (discord.InteractionResponseType.channel_message,
                    discord.InteractionResponseType.deferred_channel_message)


@personal
class ReviewCog(Feature, commands.GroupCog, group_name="review",
                group_description="Your own spaced-repetition review (only you see it)"):
    remind = app_commands.Group(name="remind", description="A daily DM when you have cards due")
    items = DYNAMIC_ITEMS

    def parts(self) -> list[object]:
        self.service = ReviewService(self.bot.db, self.bot.bank)
        self.bot.services.get(GradeFeed).subscribe(self.service.on_grade)
        self.reminders = ReviewReminders(self.bot, self.service)
        # ReviewMemberData is picked up by /privacy export and delete.
        return [self.service, self.reminders, ReviewMemberData(self.bot.db)]

    @commands.Cog.listener()
    async def on_app_command_completion(self, interaction: discord.Interaction, _command: object) -> None:
        """After any slash command in a guild (any feature's): tell the member once, privately, that a reminder DM
        was refused and reminders are paused. A follow-up needs a message reply, so a modal or autocomplete waits."""
        guild_id = home_guild(interaction)
        if guild_id is None or interaction.response.type not in _FOLLOW_UP_AFTER:
            return
        refused_at = await self.service.take_dm_notice(interaction.user.id)
        if refused_at is None:
            return
        zone = await self.service.zone_for(interaction.user.id, guild_id)
        language = language_of(interaction)
        try:
            await interaction.followup.send(
                t("review.dm_closed", language, date=render.local_time(refused_at, zone, language)), ephemeral=True)
        except discord.HTTPException:
            log.warning("review: could not tell user %s about a refused DM", interaction.user.id, exc_info=True)

    @app_commands.command(name="start", description="Review your due cards, most forgotten first (only you see it)")
    async def start_session(self, interaction: discord.Interaction) -> None:
        language = language_of(interaction)
        step = await self.service.start(interaction.user.id, home_guild(interaction), self.bot.clock.now(),
                                        scope=audience(interaction))
        message = step_message(self.bot, step, interaction.user.id, language)
        if message["view"] is None:
            del message["view"]
        await interaction.response.send_message(**message, ephemeral=True)

    @app_commands.command(name="add", description="Add a question, or every question of a topic, to your deck")
    @app_commands.describe(question="A question id, e.g. lora-qlora", topic="A topic id: adds all its questions")
    async def add_cards(self, interaction: discord.Interaction, question: str | None = None,
                        topic: str | None = None) -> None:
        language = language_of(interaction)
        now = self.bot.clock.now()
        if (question is None) == (topic is None):
            raise DomainError("review.add_one")
        if question is not None:
            added = await self.service.add_question(interaction.user.id, home_guild(interaction), question, now,
                                                    scope=audience(interaction))
            key = "review.added_question" if added.added else "review.already_question"
            text = t(key, language, question_id=question.strip()[:100])
        else:
            assert topic is not None
            added = await self.service.add_topic(interaction.user.id, home_guild(interaction), topic, now)
            text = t("review.added_topic", language, topic=self.bot.bank.topic(topic.strip()).name(language),
                     added=added.added, already=added.already)
        await interaction.response.send_message(text, ephemeral=True)

    @add_cards.autocomplete("question")
    async def _questions(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return question_choices(self.bot.bank.for_guild(interaction.guild_id), current)

    @add_cards.autocomplete("topic")
    async def _topics(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return topic_choices(self.bot.bank.for_guild(interaction.guild_id), current, language_of(interaction))

    @app_commands.command(name="stats", description="Your deck: due today and this week, retention, cards by topic")
    async def show_stats(self, interaction: discord.Interaction) -> None:
        stats = await self.service.stats(interaction.user.id, home_guild(interaction), self.bot.clock.now())
        await interaction.response.send_message(embed=render.stats_embed(stats, language_of(interaction)),
                                                ephemeral=True)

    @remind.command(name="on", description="Get a DM at a local time each day when cards are due")
    @app_commands.describe(time="Local time, 24h HH:MM", timezone="IANA time zone (default: the server's)")
    async def remind_on(self, interaction: discord.Interaction, time: str, timezone: str | None = None) -> None:
        language = language_of(interaction)
        now = self.bot.clock.now()
        setting = await self.service.remind_on(interaction.user.id, home_guild(interaction), time, timezone, language,
                                               now)
        await interaction.response.send_message(
            t("review.remind.on", language, time=setting.remind_time.strftime("%H:%M"), zone=setting.zone,
              next=render.when(setting.next_at, setting.zone, language)), ephemeral=True)

    @remind_on.autocomplete("timezone")
    async def _zones(self, _interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return zone_choices(current)

    @remind.command(name="off", description="Stop the daily review DM")
    async def remind_off(self, interaction: discord.Interaction) -> None:
        language = language_of(interaction)
        was_on = await self.service.remind_off(interaction.user.id, self.bot.clock.now())
        await interaction.response.send_message(
            t("review.remind.off" if was_on else "review.remind.was_off", language), ephemeral=True)
