"""Which servers a member's request speaks for, for the withholding rule (`bot.services.withholding`)."""

from __future__ import annotations

import discord


def audience(interaction: discord.Interaction) -> frozenset[int]:
    """The server the request comes from plus every server the member shares with the bot (a DM has no server
    of its own, and a reference answer read anywhere could be typed into any of them)."""
    ids = {guild.id for guild in interaction.user.mutual_guilds}
    if interaction.guild_id is not None:
        ids.add(interaction.guild_id)
    return frozenset(ids)
