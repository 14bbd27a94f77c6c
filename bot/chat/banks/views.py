"""The suggestion form (`/suggest`, and a manager's Edit) and the review post's Accept / Edit / Reject buttons.

Buttons carry the suggestion's id and modals are routed by their custom id (`ModalRoute`), so a pending
suggestion's buttons keep working after a restart, and a form submitted across one still arrives.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import discord

from bot.chat.banks import render
from bot.chat.shared.buttons import PersistentButton
from bot.chat.shared.errors import guarded, report_command_error
from bot.chat.shared.locale import language_of
from bot.chat.shared.modals import ModalRoute, RoutedModal, TextAnswerModal
from bot.chat.shared.permissions import is_manager, refuse_unless_manager
from bot.chat.shared.services import services
from bot.domain.errors import DomainError
from bot.i18n import t
from bot.services.banks import SUGGESTION_FIELDS, Suggestion, SuggestionService

log = logging.getLogger(__name__)
NONE = discord.AllowedMentions.none()


def form_values(interaction: discord.Interaction) -> dict[str, str]:
    """Every text input of a submitted modal, by its custom id."""
    values: dict[str, str] = {}
    for component in (interaction.data or {}).get("components") or []:  # type: ignore[union-attr]
        inner = component.get("components") or ([component["component"]] if "component" in component else [])
        for child in inner:
            if child.get("type") == discord.ComponentType.text_input.value:
                values[str(child.get("custom_id"))] = str(child.get("value") or "")
    return values


async def _refused(interaction: discord.Interaction, error: Exception, values: dict[str, str]) -> None:
    """Say what is wrong, then hand the member's text back so nothing they typed is lost."""
    await report_command_error(interaction, error)
    typed = "\n\n".join(f"**{key}**\n{value}" for key, value in values.items() if value.strip())
    if typed:
        await interaction.followup.send(embed=discord.Embed(description=typed[:4000]), ephemeral=True,
                                        allowed_mentions=NONE)


async def _suggested(interaction: discord.Interaction, _match: re.Match[str], _text: str) -> None:
    values = form_values(interaction)
    language = language_of(interaction)
    assert interaction.guild_id is not None
    service = services(interaction).get(SuggestionService)
    try:
        suggestion = await service.suggest(interaction.guild_id, interaction.user.id, values, language,
                                           interaction.client.clock.now())  # type: ignore[attr-defined]
    except DomainError as exc:
        await _refused(interaction, exc, values)
        return
    posted = await post_for_review(interaction.client, suggestion)
    key = "banks.suggest.sent" if posted else "banks.suggest.queued"
    await interaction.response.send_message(t(key, language), ephemeral=True)


async def _edited(interaction: discord.Interaction, match: re.Match[str], _text: str) -> None:
    if not is_manager(interaction):
        raise DomainError("banks.managers_only")
    values = form_values(interaction)
    try:
        suggestion = await services(interaction).get(SuggestionService).edit(int(match["suggestion_id"]), values)
    except DomainError as exc:
        await _refused(interaction, exc, values)
        return
    await interaction.response.edit_message(embed=render.suggestion_embed(suggestion, "en"),
                                            view=review_view(suggestion.row.id))


async def _rejected(interaction: discord.Interaction, match: re.Match[str], reason: str) -> None:
    if not is_manager(interaction):
        raise DomainError("banks.managers_only")
    service = services(interaction).get(SuggestionService)
    suggestion = await service.reject(int(match["suggestion_id"]), interaction.user.id, reason,
                                      interaction.client.clock.now())  # type: ignore[attr-defined]
    await interaction.response.edit_message(embed=render.decided_embed(suggestion, interaction.user.id, "en"),
                                            view=None)
    await tell_author(interaction.client, suggestion)


SUGGEST_MODAL = ModalRoute("banks:suggest:{guild_id}", _suggested)
EDIT_MODAL = ModalRoute("banks:edit:{suggestion_id}", _edited)
REJECT_MODAL = ModalRoute("banks:reject:{suggestion_id}", _rejected)
MODAL_ROUTES = (SUGGEST_MODAL, EDIT_MODAL, REJECT_MODAL)


class SuggestionForm(RoutedModal):
    """Prompt, reference answer, key points, topic, difficulty: the bank's fields a member can fill in."""

    def __init__(self, client: discord.Client, route: ModalRoute, values: dict[str, object], language: str,
                 defaults: dict[str, str] | None = None) -> None:
        super().__init__(client, route, values, title=t("banks.suggest.title", language))
        defaults = defaults or {}
        shapes = {"prompt": (discord.TextStyle.long, True, 1000), "answer": (discord.TextStyle.long, False, 4000),
                  "key_points": (discord.TextStyle.long, False, 2000), "topic": (discord.TextStyle.short, True, 60),
                  "difficulty": (discord.TextStyle.short, True, 1)}
        for name in SUGGESTION_FIELDS:
            style, required, most = shapes[name]
            self.add_item(discord.ui.TextInput(
                label=t(f"banks.suggest.{name}", language)[:45], custom_id=name, style=style, required=required,
                max_length=most, default=defaults.get(name),
                placeholder=t(f"banks.suggest.{name}_hint", language)[:100]))


class AcceptButton(PersistentButton, template=r"banks:accept:(?P<suggestion_id>\d+)"):
    def __init__(self, suggestion_id: int, label: str = "Accept") -> None:
        super().__init__(label=label, style=discord.ButtonStyle.success, suggestion_id=suggestion_id)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        if await refuse_unless_manager(interaction, "banks.managers_only"):
            return
        service = services(interaction).get(SuggestionService)
        suggestion = await service.accept(self.suggestion_id, interaction.user.id,
                                          interaction.client.clock.now())  # type: ignore[attr-defined]
        await interaction.response.edit_message(embed=render.decided_embed(suggestion, interaction.user.id, "en"),
                                                view=None)
        await tell_author(interaction.client, suggestion)


class EditButton(PersistentButton, template=r"banks:edit-form:(?P<suggestion_id>\d+)"):
    def __init__(self, suggestion_id: int, label: str = "Edit") -> None:
        super().__init__(label=label, style=discord.ButtonStyle.secondary, suggestion_id=suggestion_id)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        if await refuse_unless_manager(interaction, "banks.managers_only"):
            return
        found = await services(interaction).get(SuggestionService).get(self.suggestion_id)
        if found is None:
            raise DomainError("banks.suggest.gone")
        form = SuggestionForm(interaction.client, EDIT_MODAL, {"suggestion_id": self.suggestion_id},
                              language_of(interaction), render.form_defaults(found))
        await interaction.response.send_modal(form)


class RejectButton(PersistentButton, template=r"banks:reject-form:(?P<suggestion_id>\d+)"):
    def __init__(self, suggestion_id: int, label: str = "Reject") -> None:
        super().__init__(label=label, style=discord.ButtonStyle.danger, suggestion_id=suggestion_id)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        if await refuse_unless_manager(interaction, "banks.managers_only"):
            return
        language = language_of(interaction)
        await interaction.response.send_modal(TextAnswerModal(
            interaction.client, REJECT_MODAL, {"suggestion_id": self.suggestion_id},
            title=t("banks.suggest.reject_title", language), label=t("banks.suggest.reason", language),
            max_length=500, default=None, placeholder=t("banks.suggest.reason_hint", language)))


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (AcceptButton, EditButton, RejectButton)


def review_view(suggestion_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for item in (AcceptButton(suggestion_id), EditButton(suggestion_id), RejectButton(suggestion_id)):
        view.add_item(item)
    return view


async def post_for_review(client: discord.Client, suggestion: Suggestion) -> bool:
    """Post a pending suggestion in the server's review channel; False if it has none (or the post failed: it
    stays pending and is posted when a channel is chosen)."""
    service = client.services.get(SuggestionService)  # type: ignore[attr-defined]
    channel_id = await service.review_channel(suggestion.row.guild_id)
    channel = client.get_channel(channel_id) if channel_id else None
    if not isinstance(channel, discord.TextChannel):
        return False
    try:
        message = await channel.send(embed=render.suggestion_embed(suggestion, "en"),
                                     view=review_view(suggestion.row.id), allowed_mentions=NONE)
    except discord.HTTPException:
        log.warning("could not post suggestion %s in channel %s", suggestion.row.id, channel_id, exc_info=True)
        return False
    await service.posted(suggestion.row.id, channel.id, message.id)
    return True


async def tell_author(client: discord.Client, suggestion: Suggestion) -> None:
    """The author hears the outcome privately (a DM; closed DMs are only logged)."""
    row = suggestion.row
    key = "banks.suggest.accepted_dm" if row.status == "accepted" else "banks.suggest.rejected_dm"
    text = t(key, row.language, prompt=suggestion.question.prompt[:200], topic=suggestion.topic.name(row.language),
             reason=row.reason or "-")
    try:
        user = client.get_user(row.author_id) or await client.fetch_user(row.author_id)
        await user.send(text, allowed_mentions=NONE)
    except discord.HTTPException:
        log.info("could not tell user %s about suggestion %s", row.author_id, row.id)
