"""The message catalog. Keys are dotted by feature; each entry has `zh` and `en` with the same placeholders.

Each feature keeps its messages in its own module under `bot/i18n/messages/`; add the module to `_MODULES`.
"""

from __future__ import annotations

import importlib
from typing import Any

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
_MODULES = ("core", "qotd", "boards", "review", "quiz")


def _merge() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for name in _MODULES:
        messages = importlib.import_module(f"bot.i18n.messages.{name}").MESSAGES
        clash = sorted(set(merged) & set(messages))
        if clash:
            raise ValueError(f"message keys defined twice (again in {name}): {clash}")
        merged.update(messages)
    return merged


CATALOG: dict[str, dict[str, str]] = _merge()


def t(key: str, language: str = DEFAULT_LANGUAGE, /, **values: Any) -> str:
    """The text for `key` in `language` (falling back to Chinese), with `values` filled in."""
    entry = CATALOG[key]
    template = entry.get(language) or entry[DEFAULT_LANGUAGE]
    return template.format(**values) if values else template
