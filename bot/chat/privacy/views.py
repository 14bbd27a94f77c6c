"""The confirm step of /privacy delete. Its custom id carries the member, so it keeps working after a restart."""

from __future__ import annotations

import logging

import discord

from bot.chat.qotd.runner import QotdRunner
from bot.chat.shared.buttons import PersistentButton
from bot.chat.shared.errors import guarded
from bot.chat.shared.locale import language_of
from bot.chat.shared.services import ServiceRegistry, services
from bot.i18n import t
from bot.services.privacy import Deleted, MemberDataSource, PrivacyService

log = logging.getLogger(__name__)


class DeleteDataButton(PersistentButton,
                       template=r"privacy:(?P<action>delete|keep):(?P<user_id>\d+)"):
    """The confirm (or cancel) step of /privacy delete; only the member who asked may press it."""

    def __init__(self, action: str, user_id: int, label: str = "") -> None:
        style = discord.ButtonStyle.danger if action == "delete" else discord.ButtonStyle.secondary
        super().__init__(label=label or action, style=style, action=action, user_id=user_id)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        language = language_of(interaction)
        if interaction.user.id != self.user_id:
            await interaction.response.send_message(t("privacy.not_yours", language), ephemeral=True)
            return
        if self.action == "keep":
            await interaction.response.edit_message(content=t("privacy.kept", language), view=None)
            return
        await delete_confirmed(interaction, language)


def delete_view(user_id: int, language: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(DeleteDataButton("delete", user_id, t("privacy.button.delete", language)))
    view.add_item(DeleteDataButton("keep", user_id, t("privacy.button.keep", language)))
    return view


def member_data_sources(registry: ServiceRegistry) -> list[MemberDataSource]:
    """Other features' member data: every registered `MemberDataSource`."""
    return registry.all(MemberDataSource)


async def delete_confirmed(interaction: discord.Interaction, language: str) -> None:
    """The member pressed the confirm button. The reply comes after a few database statements; the Discord work
    (taking the answers off the reveal threads) comes after it."""
    registry = services(interaction)
    deleted = await registry.get(PrivacyService).delete(interaction.guild_id or 0, interaction.user.id,
                                                        member_data_sources(registry))
    await interaction.response.edit_message(
        content=t("privacy.deleted", language, answers=deleted.answers, reactions=deleted.reactions,
                  votes=deleted.votes, points=deleted.points), view=None)
    await remove_posted(interaction.client, deleted)


async def remove_posted(client: discord.Client, deleted: Deleted) -> None:
    """The deleted answers come off the reveal threads too: off a message that carries other members'
    answers, or with the message when it carried only theirs (best effort: a thread may be gone)."""
    by_message: dict[tuple[int, int], set[int]] = {}
    for posted in deleted.posted:
        by_message.setdefault((posted.thread_id, posted.message_id), set()).add(posted.answer_id)
    for (thread_id, message_id), answer_ids in by_message.items():
        try:
            message = await client.get_partial_messageable(thread_id).fetch_message(message_id)
            await QotdRunner.take_off(message, answer_ids)
        except discord.HTTPException:
            log.warning("could not take answers off message %s in thread %s", message_id, thread_id,
                        exc_info=True)
