"""Members' display names as the bot shows them in embeds: escaped, so a name can never be a masked link,
bold text or a mention."""

from __future__ import annotations

import discord


def display_name(client: discord.Client, guild_id: int, user_id: int) -> str:
    guild = client.get_guild(guild_id)
    member = guild.get_member(user_id) if guild else None
    if member is None:
        return f"#{user_id}"
    return discord.utils.escape_mentions(discord.utils.escape_markdown(member.display_name))
