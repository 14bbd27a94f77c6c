"""Finding a channel (or thread) the bot posts in."""

from __future__ import annotations

import discord


async def find_channel(client: discord.Client, channel_id: int) -> discord.abc.Messageable | None:
    """The channel from the cache, else from Discord; None when Discord says it no longer exists. Any other error
    (a missing permission, an outage) is raised for the caller to handle."""
    channel = client.get_channel(channel_id)
    if channel is None:
        try:
            channel = await client.fetch_channel(channel_id)
        except discord.NotFound:
            return None
    return channel  # type: ignore[return-value]
