"""Which catalog language to answer an interaction in."""

from __future__ import annotations

import discord


def language_of(interaction: discord.Interaction) -> str:
    """Chinese for a member whose Discord client is in Chinese, English otherwise."""
    return "zh" if str(interaction.locale).startswith("zh") else "en"
