"""The best-answer button on the reveal thread's answer messages and the pick menu it opens for a manager.

Ids carry the post, so both keep working after a restart; which answers a message carries is read from its 👍
buttons, as the daily question itself does.
"""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.chat.qotd.views import voted_answers
from bot.chat.shared.buttons import PersistentButton
from bot.chat.shared.errors import guarded
from bot.chat.shared.locale import language_of
from bot.chat.shared.permissions import refuse_unless_manager
from bot.chat.shared.services import services
from bot.i18n import t
from bot.services.rewards import RewardsService

BEST_ROW = 4  # the last action row: under the answers' 👍 buttons (at most 10 of them, rows 0-1)


class BestAnswerButton(PersistentButton, template=r"rewards:best:(?P<post_id>\d+)"):
    """⭐ on an answer message: a manager picks the post's best answer among the message's answers."""

    def __init__(self, post_id: int, label: str = "Best answer") -> None:
        super().__init__(label=label, style=discord.ButtonStyle.secondary, emoji="⭐", row=BEST_ROW, post_id=post_id)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        await offer_pick(interaction, self.post_id, voted_answers(interaction.message) if interaction.message else [])


async def offer_pick(interaction: discord.Interaction, post_id: int, carried: list[tuple[int, str]]) -> None:
    """A manager's menu of the answers a thread message carries ((answer id, label) from its 👍 buttons), from the
    ⭐ button or the message's Apps menu; anyone else gets a polite refusal."""
    if await refuse_unless_manager(interaction, "rewards.best.managers_only"):
        return
    language = language_of(interaction)
    service = services(interaction).get(RewardsService)
    if not (await service.settings(interaction.guild_id or 0)).best_answer:
        await interaction.response.send_message(t("rewards.best.off", language), ephemeral=True)
        return
    best = await service.best_of(post_id)
    if best is not None:
        await interaction.response.send_message(
            t("rewards.best.already", language, name=f"<@{best.user_id}>"), ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none())
        return
    labels = dict(carried)
    pickable = await service.pickable(post_id, [answer_id for answer_id, _label in carried])
    if not pickable:
        await interaction.response.send_message(t("rewards.best.none_here", language), ephemeral=True)
        return
    view = discord.ui.View(timeout=None)
    view.add_item(BestAnswerSelect(post_id, [(a.id, labels.get(a.id) or f"#{a.user_id}") for a in pickable],
                                   t("rewards.best.choose", language)))
    await interaction.response.send_message(t("rewards.best.pick_prompt", language), view=view, ephemeral=True)


class BestAnswerSelect(discord.ui.DynamicItem[discord.ui.Select[Any]], template=r"rewards:pick:(?P<post>\d+)"):
    def __init__(self, post_id: int, entries: list[tuple[int, str]] | None = None, placeholder: str | None = None,
                 *, item: discord.ui.Select[Any] | None = None) -> None:
        select = item or discord.ui.Select(
            custom_id=f"rewards:pick:{post_id}", placeholder=placeholder, min_values=1, max_values=1,
            options=[discord.SelectOption(label=label[:100], value=str(answer_id))
                     for answer_id, label in (entries or [])[:25]])
        super().__init__(select)
        self.post_id = post_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Select[Any],
                             match: re.Match[str]) -> BestAnswerSelect:
        return cls(int(match["post"]), item=item)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        from bot.chat.rewards.runner import RewardsRunner  # the runner uses this module's button

        if await refuse_unless_manager(interaction, "rewards.best.managers_only"):
            return
        language = language_of(interaction)
        (value,) = self.item.values
        outcome = await services(interaction).get(RewardsService).pick(
            self.post_id, int(value), interaction.user.id, interaction.client.clock.now())  # type: ignore[attr-defined]
        name = f"<@{outcome.best.user_id}>"
        if not outcome.created:
            await interaction.response.edit_message(content=t("rewards.best.already", language, name=name),
                                                    view=None, allowed_mentions=discord.AllowedMentions.none())
            return
        await interaction.response.edit_message(
            content=t("rewards.best.picked", language, name=name, points=outcome.points), view=None,
            allowed_mentions=discord.AllowedMentions.none())
        await services(interaction).get(RewardsRunner).highlight_now(outcome.post.id)


DYNAMIC_ITEMS = (BestAnswerButton, BestAnswerSelect)
