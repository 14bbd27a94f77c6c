"""The archive's page buttons. Their custom ids carry the whole state (whose archive, topic, page), so they keep
working after a restart; only the member who asked may turn their pages (their own answers are on them)."""

from __future__ import annotations

import discord

from bot.chat.history.render import history_embed
from bot.chat.shared.buttons import PersistentButton
from bot.chat.shared.errors import guarded
from bot.chat.shared.locale import language_of
from bot.chat.shared.services import services
from bot.i18n import t
from bot.services.qotd import HistoryPage, QotdService

ALL = "*"


class HistoryPageButton(PersistentButton, template=r"history:(?P<user_id>\d+):(?P<topic>[a-z0-9*-]+):(?P<page>\d+)"):
    def __init__(self, user_id: int, topic: str, page: int, label: str = "›", disabled: bool = False) -> None:
        super().__init__(label=label, style=discord.ButtonStyle.secondary, disabled=disabled, user_id=user_id,
                         topic=topic, page=page)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        language = language_of(interaction)
        if interaction.user.id != self.user_id:
            await interaction.response.send_message(t("history.not_yours", language), ephemeral=True)
            return
        page = await services(interaction).get(QotdService).history(
            interaction.guild_id or 0, self.user_id, None if self.topic == ALL else self.topic, self.page)
        bank = interaction.client.bank  # type: ignore[attr-defined]
        await interaction.response.edit_message(embed=history_embed(page, topic_name(bank, page, language), language),
                                                view=history_view(page, self.user_id, language))


def topic_name(bank, page: HistoryPage, language: str) -> str | None:
    topic = bank.find_topic(page.topic_id) if page.topic_id else None
    return topic.name(language) if topic else None


def history_view(page: HistoryPage, user_id: int, language: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    topic = page.topic_id or ALL
    view.add_item(HistoryPageButton(user_id, topic, max(page.page - 1, 0), t("history.newer", language),
                                    disabled=page.page == 0))
    view.add_item(HistoryPageButton(user_id, topic, page.page + 1, t("history.older", language),
                                    disabled=not page.has_next))
    return view


DYNAMIC_ITEMS = (HistoryPageButton,)
