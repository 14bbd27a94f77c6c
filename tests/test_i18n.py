"""Every catalog entry exists in both languages with the same placeholders."""

from __future__ import annotations

import string

import pytest

from bot.i18n import CATALOG, LANGUAGES, t


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_entry_has_every_language_with_the_same_placeholders(key: str) -> None:
    entry = CATALOG[key]
    assert set(entry) == set(LANGUAGES)
    assert all(entry[lang].strip() for lang in LANGUAGES)
    assert placeholders(entry["zh"]) == placeholders(entry["en"])


def test_lookup_fills_values_and_falls_back_to_chinese() -> None:
    assert t("question.not_found", "en", question_id="x") == "No question with id `x`."
    assert t("question.not_found", "fr", question_id="x") == "找不到题目 `x`。"
