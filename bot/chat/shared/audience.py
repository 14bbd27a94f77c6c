"""Which servers a member's request speaks for, for the withholding rule (`bot.services.withholding`)."""

from __future__ import annotations

import discord


def audience(interaction: discord.Interaction) -> frozenset[int]:
    """The server the request comes from plus every server the member shares with the bot, wherever the request
    comes from (a DM, a private channel, a server the bot is not in): a reference answer read anywhere could be
    typed into any of them. The bot's member lists (Server Members intent) say who shares a server; one it has not
    loaded in full yet counts as shared, so a gap in them withholds more, never less."""
    user_id = interaction.user.id
    ids = {guild.id for guild in interaction.client.guilds if not guild.chunked or guild.get_member(user_id)}
    if interaction.guild_id is not None:
        ids.add(interaction.guild_id)
    return frozenset(ids)


def home_guild(interaction: discord.Interaction) -> int | None:
    """The server a personal command counts in: where it was used, when the bot is in that server. None in a DM,
    a private channel, or a server where only the member installed the app: there a request is the member's own,
    as in a DM (no server points, times in the member's zone), whatever server Discord says it came from."""
    if interaction.guild_id is None or interaction.client.get_guild(interaction.guild_id) is None:
        return None
    return interaction.guild_id
