"""One place that turns errors from commands, buttons and modals into a member's ephemeral message."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot.chat.shared.locale import language_of
from bot.chat.shared.permissions import permission_labels
from bot.domain.errors import DomainError
from bot.i18n import t

log = logging.getLogger(__name__)
Item = TypeVar("Item", bound=discord.ui.DynamicItem[Any])


def message_for(error: BaseException, language: str) -> str:
    original = getattr(error, "original", None) or error
    if isinstance(original, DomainError):
        return t(original.key, language, **original.values)
    if isinstance(error, app_commands.CommandOnCooldown):
        return t("error.cooldown", language, seconds=round(error.retry_after))
    if isinstance(error, app_commands.NoPrivateMessage):
        return t("error.guild_only", language)
    if isinstance(error, app_commands.MissingPermissions):
        return t("error.not_allowed", language, permissions=", ".join(permission_labels(error.missing_permissions)))
    if isinstance(original, discord.Forbidden):
        channel = "this channel" if language == "en" else "此频道"
        return t("error.missing_permissions", language, channel=channel, permissions=original.text or "?")
    return t("error.generic", language)


async def report_command_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Answer ephemerally, whether or not the interaction was already answered; log what is unexpected."""
    original = getattr(error, "original", None) or error
    if not isinstance(original, DomainError | app_commands.CheckFailure):
        log.error("error in interaction %s in guild %s", getattr(interaction.command, "qualified_name", "?"),
                  interaction.guild_id, exc_info=original)
    text = message_for(error, language_of(interaction))
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none())
        else:
            await interaction.response.send_message(text, ephemeral=True,
                                                    allowed_mentions=discord.AllowedMentions.none())
    except discord.HTTPException:
        log.warning("could not tell the member about an error", exc_info=True)


def guarded(callback: Callable[[Item, discord.Interaction], Awaitable[None]]):
    """Route any error of a button or modal to the one place that turns errors into ephemeral replies."""

    @functools.wraps(callback)
    async def wrapper(self: Item, interaction: discord.Interaction) -> None:
        try:
            await callback(self, interaction)
        except Exception as exc:
            await report_command_error(interaction, exc)

    return wrapper
