"""Button looks shared by the features that ask a member to grade themselves."""

from __future__ import annotations

import discord

GRADE_STYLES: dict[str, discord.ButtonStyle] = {
    "got": discord.ButtonStyle.success, "partly": discord.ButtonStyle.primary, "missed": discord.ButtonStyle.secondary,
}
