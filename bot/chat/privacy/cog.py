"""`/privacy hide|show|export|delete`, and what happens to the data of a member who leaves the guild.

Leaving: the member is hidden from every board and the recap at once; their data is deleted 30 days after they
left (the hourly `privacy:purge` job), unless they come back first, which puts them back as they were.

Other features with member data of their own join in by registering a `bot.services.privacy.MemberDataSource`
among their cog's parts (`bot.chat.shared.feature`); export and delete (and the purge) include it.
"""

from __future__ import annotations

import io
import json
import logging
from datetime import datetime
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.chat.privacy.views import DeleteDataButton, delete_view, member_data_sources, remove_posted
from bot.chat.shared.feature import Feature
from bot.chat.shared.locale import language_of
from bot.chat.shared.runner import Runner
from bot.i18n import t
from bot.services.privacy import MemberDataSource, PrivacyService, export_sections
from bot.services.qotd import QotdService

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)
PURGE_SECONDS = 3600


@app_commands.guild_only()
class PrivacyCog(Feature, commands.GroupCog, group_name="privacy",
                 group_description="Your data: boards, export, delete"):
    items = (DeleteDataButton,)

    def parts(self) -> list[object]:
        self.service = PrivacyService(self.bot.db, self.bot.bank, self.bot.services.get(QotdService).rules)
        self.purger = Purger(self.bot, self.service)
        return [self.service, self.purger]

    def sources(self) -> list[MemberDataSource]:
        return member_data_sources(self.bot.services)

    @app_commands.command(name="hide", description="Leave the public leaderboards and recaps (points still count)")
    async def hide(self, interaction: discord.Interaction) -> None:
        await self._set_hidden(interaction, True)

    @app_commands.command(name="show", description="Rejoin the public leaderboards and recaps")
    async def show(self, interaction: discord.Interaction) -> None:
        await self._set_hidden(interaction, False)

    async def _set_hidden(self, interaction: discord.Interaction, hidden: bool) -> None:
        changed = await self.service.set_hidden(interaction.guild_id or 0, interaction.user.id, hidden,
                                                self.bot.clock.now())
        key = {(True, True): "privacy.hidden", (True, False): "privacy.already_hidden",
               (False, True): "privacy.shown", (False, False): "privacy.already_shown"}[hidden, changed]
        await interaction.response.send_message(t(key, language_of(interaction)), ephemeral=True)

    @app_commands.command(name="export", description="Your answers, reactions, points and settings as a JSON file")
    async def export(self, interaction: discord.Interaction) -> None:
        guild_id, user_id = interaction.guild_id or 0, interaction.user.id
        # Answer within Discord's 3 s first: a member with years of answers makes a large file.
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await self.service.export(guild_id, user_id, self.bot.clock.now(), self.sources())
        payload = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
        await interaction.followup.send(
            t("privacy.exported", language_of(interaction), sections=", ".join(export_sections(data))),
            ephemeral=True,
            file=discord.File(io.BytesIO(payload), filename=f"study-bot-data-{guild_id}-{user_id}.json"))

    @app_commands.command(name="delete", description="Delete your answers, reactions, votes and points here")
    async def delete(self, interaction: discord.Interaction) -> None:
        language = language_of(interaction)
        await interaction.response.send_message(t("privacy.delete_confirm", language), ephemeral=True,
                                                view=delete_view(interaction.user.id, language))

    # -- members leaving and coming back ---------------------------------------------------------------------
    @commands.Cog.listener()
    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        if payload.user.bot:
            return
        await self.service.member_left(payload.guild_id, payload.user.id, self.bot.clock.now())

    @commands.Cog.listener()
    async def on_member_join(self, member: discord.Member) -> None:
        if member.bot:
            return
        await self.service.member_returned(member.guild.id, member.id, self.bot.clock.now())


class Purger(Runner):
    """Every hour: delete the data of members who left 30 days ago or more."""

    name = "privacy"
    sweep_seconds = PURGE_SECONDS
    sweep_id = "privacy:purge"
    service: PrivacyService

    async def catch_up_work(self) -> None:
        """Nothing to catch up: the first hourly run purges what came due meanwhile."""

    async def run(self, now: datetime) -> None:
        for guild_id, user_id, deleted in await self.service.purge_departed(now, member_data_sources(
                self.bot.services)):
            log.info("guild %s: deleted the data of member %s, who left 30 days ago", guild_id, user_id)
            await remove_posted(self.bot, deleted)
