"""Slash commands in the members' language: discord.py's Translator, fed from the message catalog
(`bot/i18n/messages/commands.toml`). English stays the base; Discord shows zh-CN to members whose client is in
Simplified Chinese."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import TranslationContextLocation as Where

from bot.i18n import CATALOG

NAMES = (Where.command_name, Where.group_name, Where.parameter_name)
LOCALES = {discord.Locale.chinese: "zh"}


def command_text(english: str, locale: discord.Locale, *, name: bool) -> str | None:
    """The catalog's text for a command's English `english` in `locale`, or None (Discord shows the English)."""
    language = LOCALES.get(locale)
    entry = CATALOG.get(f"command.{'name' if name else 'text'}.{english}")
    return entry.get(language) if entry is not None and language is not None else None


class CatalogTranslator(app_commands.Translator):
    async def translate(self, string: app_commands.locale_str, locale: discord.Locale,
                        context: app_commands.TranslationContext) -> str | None:
        return command_text(string.message, locale, name=context.location in NAMES)
