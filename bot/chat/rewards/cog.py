"""`/rewards ...` for server managers (best answers, nudges) and `/nudge on|off` for members."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.chat.qotd.views import voted_answers
from bot.chat.rewards import render
from bot.chat.rewards.runner import RewardsRunner
from bot.chat.rewards.views import DYNAMIC_ITEMS, offer_pick
from bot.chat.shared.feature import Feature
from bot.chat.shared.locale import language_of
from bot.domain.rewards import MAX_DELAY_MINUTES
from bot.i18n import t
from bot.services.rewards import RewardsMemberData, RewardsService

if TYPE_CHECKING:
    from bot.chat.client import StudyBot

log = logging.getLogger(__name__)
_FOLLOW_UP_AFTER = (discord.InteractionResponseType.channel_message,
                    discord.InteractionResponseType.deferred_channel_message)


class RewardsCog(Feature, commands.Cog):
    rewards = app_commands.Group(name="rewards", description="Best answers and nudges (server managers)",
                                 guild_only=True, default_permissions=discord.Permissions(manage_guild=True))
    nudge = app_commands.Group(name="nudge", description="A private reminder before the reveal if you have not "
                               "answered", guild_only=True)
    items = DYNAMIC_ITEMS

    def __init__(self, bot: StudyBot) -> None:
        super().__init__(bot)
        # Apps → Best answer on a thread message of answers: the same menu as its ⭐ button. discord.py has no
        # context menus inside a cog, so the cog adds it to the tree itself.
        self.best_menu = app_commands.ContextMenu(name="Best answer", callback=self.best_from_menu)
        self.best_menu.guild_only = True
        self.best_menu.default_permissions = discord.Permissions(manage_guild=True)

    async def cog_load(self) -> None:
        await super().cog_load()
        self.bot.tree.add_command(self.best_menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.best_menu.name, type=self.best_menu.type)
        await super().cog_unload()

    async def best_from_menu(self, interaction: discord.Interaction, message: discord.Message) -> None:
        me = self.bot.user.id if self.bot.user else None
        carried = voted_answers(message) if message.author.id == me else []
        answer = await self.service.answer(carried[0][0]) if carried else None
        if answer is None:
            await interaction.response.send_message(t("rewards.best.not_answers", language_of(interaction)),
                                                    ephemeral=True)
            return
        await offer_pick(interaction, answer.post_id, carried)

    def parts(self) -> list[object]:
        self.service = RewardsService(self.bot.db, self.bot.bank)
        self.runner = RewardsRunner(self.bot, self.service)
        # The runner adds the ⭐ button to answer messages (AnswerMessageExtras); the member data goes to /privacy.
        return [self.service, self.runner, RewardsMemberData(self.bot.db)]

    @commands.Cog.listener()
    async def on_app_command_completion(self, interaction: discord.Interaction, _command: object) -> None:
        """After any slash command in a guild: tell the member once, privately, that a nudge DM was refused and
        nudges are paused (as review reminders do)."""
        if interaction.guild_id is None or interaction.response.type not in _FOLLOW_UP_AFTER:
            return
        refused_at = await self.service.take_dm_notice(interaction.guild_id, interaction.user.id)
        if refused_at is None:
            return
        try:
            await interaction.followup.send(t("rewards.nudge.dm_closed", language_of(interaction),
                                              date=f"{refused_at:%Y-%m-%d %H:%M} UTC"), ephemeral=True)
        except discord.HTTPException:
            log.warning("rewards: could not tell user %s about a refused DM", interaction.user.id, exc_info=True)

    @rewards.command(name="best_answer", description="Mark a best answer at each reveal, for bonus points")
    @app_commands.describe(enabled="On or off",
                           delay="Minutes after the reveal until the closest match is picked (default 60)")
    async def best_answer(self, interaction: discord.Interaction, enabled: bool,
                          delay: app_commands.Range[int, 1, MAX_DELAY_MINUTES] | None = None) -> None:
        assert interaction.guild_id is not None
        settings = await self.service.set_best_answer(interaction.guild_id, enabled, delay, self.bot.clock.now())
        language = language_of(interaction)
        await interaction.response.send_message(render.settings_text(settings, language), ephemeral=True)

    @rewards.command(name="nudges", description="Let members ask for a nudge an hour before the reveal")
    @app_commands.describe(enabled="On or off")
    async def nudges(self, interaction: discord.Interaction, enabled: bool) -> None:
        assert interaction.guild_id is not None
        settings = await self.service.set_nudges(interaction.guild_id, enabled, self.bot.clock.now())
        await interaction.response.send_message(render.settings_text(settings, language_of(interaction)),
                                                ephemeral=True)

    @rewards.command(name="status", description="This server's best-answer and nudge settings")
    async def status(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        settings = await self.service.settings(interaction.guild_id)
        await interaction.response.send_message(render.settings_text(settings, language_of(interaction)),
                                                ephemeral=True)

    @nudge.command(name="on", description="A DM an hour before the reveal when you have not answered (once a day)")
    async def nudge_on(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        language = language_of(interaction)
        settings = await self.service.nudge_on(interaction.guild_id, interaction.user.id, language,
                                               self.bot.clock.now())
        key = "rewards.nudge.on" if settings.nudges else "rewards.nudge.on_server_off"
        await interaction.response.send_message(t(key, language), ephemeral=True)

    @nudge.command(name="off", description="No more nudges before the reveal")
    async def nudge_off(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        was_on = await self.service.nudge_off(interaction.guild_id, interaction.user.id)
        language = language_of(interaction)
        await interaction.response.send_message(t("rewards.nudge.off" if was_on else "rewards.nudge.was_off",
                                                  language), ephemeral=True)
