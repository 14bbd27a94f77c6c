"""The message catalog. Keys are dotted by feature; each entry has `zh` and `en` with the same placeholders.

Messages are data: each feature keeps its own in `bot/i18n/messages/<name>.toml` (a table per key, a string per
language), which translators edit without touching code; add the name to `_MODULES`. (A Python module of the same
name with a `MESSAGES` dict is read where there is no TOML file.)
"""

from __future__ import annotations

import importlib
import string
import tomllib
from importlib import resources
from typing import Any

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
_MODULES = ("core", "qotd", "boards", "review", "quiz", "charts", "rewards", "roles", "banks", "commands")


def _load(name: str) -> dict[str, dict[str, str]]:
    data = resources.files("bot.i18n.messages").joinpath(f"{name}.toml")
    if data.is_file():
        try:
            return tomllib.loads(data.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"bot/i18n/messages/{name}.toml: {exc}") from exc
    return importlib.import_module(f"bot.i18n.messages.{name}").MESSAGES


def _merge() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for name in _MODULES:
        messages = _load(name)
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
