"""Members' display names as the bot shows them in embeds: escaped, so a name can never be a masked link,
bold text or a mention."""

from __future__ import annotations

import discord


def _member(client: discord.Client, guild_id: int, user_id: int) -> discord.Member | None:
    guild = client.get_guild(guild_id)
    return guild.get_member(user_id) if guild else None


def display_name(client: discord.Client, guild_id: int, user_id: int) -> str:
    member = _member(client, guild_id, user_id)
    if member is None:
        return f"#{user_id}"
    return discord.utils.escape_mentions(discord.utils.escape_markdown(member.display_name))


def label_name(client: discord.Client, guild_id: int, user_id: int) -> str:
    """The name as a button label shows it: plain text (labels render no Markdown), at most 60 characters."""
    member = _member(client, guild_id, user_id)
    return member.display_name[:60] if member is not None else f"#{user_id}"
