"""`/privacy hide|show|export|delete`, and what happens to the data of a member who leaves the guild.

Leaving: the member is hidden from every board and the recap at once; their data is deleted 30 days after they
left (the hourly `privacy:purge` job), unless they come back first, which puts them back as they were.

Other features with member data of their own join in by giving their cog a `member_data` attribute that is a
`bot.services.privacy.MemberDataSource`; export and delete (and the purge) include it.
"""

from __future__ import annotations

import io
import json
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.chat.boards_views import DeleteDataButton, delete_view
from bot.chat.locale import language_of
from bot.chat.qotd_runner import QotdRunner
from bot.i18n import t
from bot.services.privacy import Deleted, MemberDataSource, PrivacyService, export_sections

if TYPE_CHECKING:
    from bot.chat.client import StudyBot

log = logging.getLogger(__name__)
PURGE_SECONDS = 3600


@app_commands.guild_only()
class PrivacyCog(commands.GroupCog, group_name="privacy", group_description="Your data: boards, export, delete"):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        super().__init__()

    async def cog_load(self) -> None:
        self.service = PrivacyService(self.bot.db, self.bot.bank, self.bot.qotd.rules)
        self.bot.add_dynamic_items(DeleteDataButton)
        self.bot.wakeups.every("privacy:purge", PURGE_SECONDS, self.purge)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(DeleteDataButton)
        self.bot.wakeups.cancel("privacy:purge")

    def sources(self) -> list[MemberDataSource]:
        """Other features' member data (cogs with a `member_data` source)."""
        found = (getattr(cog, "member_data", None) for cog in self.bot.cogs.values())
        return [source for source in found if isinstance(source, MemberDataSource)]

    @app_commands.command(name="hide", description="Leave the public leaderboards and recaps (points still count)")
    async def hide(self, interaction: discord.Interaction) -> None:
        changed = await self.service.set_hidden(interaction.guild_id or 0, interaction.user.id, True,
                                                self.bot.clock.now())
        key = "privacy.hidden" if changed else "privacy.already_hidden"
        await interaction.response.send_message(t(key, language_of(interaction)), ephemeral=True)

    @app_commands.command(name="show", description="Rejoin the public leaderboards and recaps")
    async def show(self, interaction: discord.Interaction) -> None:
        changed = await self.service.set_hidden(interaction.guild_id or 0, interaction.user.id, False,
                                                self.bot.clock.now())
        key = "privacy.shown" if changed else "privacy.already_shown"
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

    async def delete_confirmed(self, interaction: discord.Interaction, language: str) -> None:
        """The member pressed the confirm button (called by `DeleteDataButton`). The reply comes after a few
        database statements; the Discord work (taking the answers off the reveal threads) comes after it."""
        deleted = await self.service.delete(interaction.guild_id or 0, interaction.user.id, self.sources())
        await interaction.response.edit_message(
            content=t("privacy.deleted", language, answers=deleted.answers, reactions=deleted.reactions,
                      votes=deleted.votes, points=deleted.points), view=None)
        await self._remove_posted(deleted)

    async def _remove_posted(self, deleted: Deleted) -> None:
        """The deleted answers come off the reveal threads too: off a message that carries other members'
        answers, or with the message when it carried only theirs (best effort: a thread may be gone)."""
        by_message: dict[tuple[int, int], set[int]] = {}
        for posted in deleted.posted:
            by_message.setdefault((posted.thread_id, posted.message_id), set()).add(posted.answer_id)
        for (thread_id, message_id), answer_ids in by_message.items():
            try:
                message = await self.bot.get_partial_messageable(thread_id).fetch_message(message_id)
                await QotdRunner.take_off(message, answer_ids)
            except discord.HTTPException:
                log.warning("could not take answers off message %s in thread %s", message_id, thread_id,
                            exc_info=True)

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

    async def purge(self) -> None:
        """Delete the data of members who left 30 days ago or more."""
        for guild_id, user_id, deleted in await self.service.purge_departed(self.bot.clock.now(), self.sources()):
            log.info("guild %s: deleted the data of member %s, who left 30 days ago", guild_id, user_id)
            await self._remove_posted(deleted)
