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


# Words that end in "s" without being plural nouns ("1 is", "1 has" and the like come from the sentence).
_NOT_PLURALS = {"is", "has", "this", "was", "its"}
_READS_FINE = {"board.group.bad_name": "1 to {limit} characters", "quiz.summary.footer": "{asked}/{total} questions"}


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_english_says_one_answer_not_one_answers(key: str) -> None:
    """Every English text rendered with 1 for each number reads as singular ("1 answer", "1 minute")."""
    import re

    template = CATALOG[key]["en"]
    if key in _READS_FINE:
        assert _READS_FINE[key] in template
        return
    text = t(key, "en", **dict.fromkeys(placeholders(template), 1))
    plurals = [m for m in re.findall(r"\b1 ((?:active )?[a-z]+s)\b", text) if m not in _NOT_PLURALS]
    assert not plurals, f"{key}: {text!r}"


def test_plural_forms_follow_the_number() -> None:
    assert t("qotd.reveal_after", "en", minutes=1) == "1 minute after the post"
    assert t("qotd.reveal_after", "en", minutes=90) == "90 minutes after the post"
    assert t("qotd.reveal_after", "zh", minutes=1) == "发题 1 分钟后"
