"""Telling a guild's admins about a problem the bot cannot fix itself (a missing permission, a channel gone)."""

from __future__ import annotations

import logging

import discord

log = logging.getLogger(__name__)


async def report_to_admins(bot: discord.Client, guild_id: int, text: str) -> None:
    """Tell the guild's admins: the system channel if the bot may write there, else the owner by DM."""
    guild = bot.get_guild(guild_id)
    if guild is None:
        log.warning("guild %s: %s", guild_id, text)
        return
    target = guild.system_channel
    if target is not None and target.permissions_for(guild.me).send_messages:
        try:
            await target.send(text)
            return
        except discord.HTTPException:
            log.warning("guild %s: could not report in the system channel", guild_id, exc_info=True)
    owner = guild.owner or (await guild.fetch_member(guild.owner_id) if guild.owner_id else None)
    try:
        if owner is not None:
            await owner.send(text)
            return
    except discord.HTTPException:
        pass
    log.warning("guild %s: %s (no way to tell its admins)", guild_id, text)
