"""The /help embed."""

from __future__ import annotations

import discord

from bot.chat.shared.embeds import COLOR
from bot.domain.bank import Bank
from bot.i18n import t


def help_embed(bank: Bank, commands: list[tuple[str, str]], language: str) -> discord.Embed:
    embed = discord.Embed(title=t("help.title", language), description=t("help.description", language),
                          colour=COLOR)
    lines = [f"`/{name}` — {desc}" for name, desc in commands]
    chunk: list[str] = []
    for line in lines:  # every command listed: as many 1024-character fields as it takes
        if chunk and len("\n".join([*chunk, line])) > 1024:
            embed.add_field(name=t("help.commands", language) if not embed.fields else "\u200b",
                            value="\n".join(chunk), inline=False)
            chunk = []
        chunk.append(line[:1024])
    embed.add_field(name=t("help.commands", language) if not embed.fields else "\u200b",
                    value="\n".join(chunk) or "—", inline=False)
    embed.set_footer(text=t("help.bank", language, topics=len(bank.topics), questions=len(bank)))
    return embed
