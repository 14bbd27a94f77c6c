"""Sending a member a direct message, telling a refusal (closed DMs) from a failure that may pass."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import discord

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DirectMessage:
    message: discord.Message | None  # None when it was not delivered
    refused: bool = False  # the member does not take DMs from the bot (403): pause, do not retry


async def send_direct(bot: discord.Client, user_id: int, what: str, **content: Any) -> DirectMessage:
    """DM `user_id`; `what` names the message in the log ("review reminder")."""
    try:
        channel = await bot.create_dm(discord.Object(user_id))
        return DirectMessage(await channel.send(**content))
    except discord.Forbidden as error:
        log.info("%s: user %s does not take DMs (%s); paused", what, user_id, error.text)
        return DirectMessage(None, refused=True)
    except discord.HTTPException:
        log.warning("%s: DM to user %s failed", what, user_id, exc_info=True)
        return DirectMessage(None)
