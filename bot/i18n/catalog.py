"""The message catalog. Keys are dotted by feature; each entry has `zh` and `en` with the same placeholders.

Each feature keeps its messages in its own module under `bot/i18n/messages/`; add the module to `_MODULES`.
"""

from __future__ import annotations

import importlib
import string
from typing import Any

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
_MODULES = ("core", "qotd", "boards", "review", "quiz", "roles", "commands")


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


class _Formatter(string.Formatter):
    """`{n:|answer|answers}` renders "1 answer" or "3 answers": English plural forms in the template itself."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec.startswith("|"):
            one, _, other = format_spec[1:].partition("|")
            return f"{value} {one if value == 1 else other}"
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()


def t(key: str, language: str = DEFAULT_LANGUAGE, /, **values: Any) -> str:
    """The text for `key` in `language` (falling back to Chinese), with `values` filled in."""
    entry = CATALOG[key]
    template = entry.get(language) or entry[DEFAULT_LANGUAGE]
    return _FORMATTER.format(template, **values) if values else template
