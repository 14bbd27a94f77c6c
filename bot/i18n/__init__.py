"""Every text a Discord user sees, in Chinese (the default) and English, looked up by key."""

from bot.i18n.catalog import CATALOG, LANGUAGES, t

__all__ = ["CATALOG", "LANGUAGES", "t"]
