"""A review card with its answer fits one Discord message; a longer answer is shortened cleanly, never inside code."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.chat.review.render import card_embeds
from bot.domain.bank import KeyPoint, Question
from bot.domain.review import Rating, new_card, review
from bot.services.review import SessionCard
from bot.storage.review_cards import CardRow

NOW = datetime(2026, 11, 30, tzinfo=UTC)


def shown(bank, question: Question, language: str):
    card = review(new_card(NOW), Rating.Good, NOW)
    step = SessionCard(1, CardRow(1, 1, question.id, None, "added", card), question, 1, 1)
    return card_embeds(bank, step, language, NOW, with_answer=True)


def within_discord_limits(embeds) -> bool:
    return sum(len(embed) for embed in embeds) <= 6000 and all(len(e.description or "") <= 4096 for e in embeds)


def test_every_shipped_answer_is_shown_whole(shipped_bank) -> None:
    for question in shipped_bank:
        for language in ("zh", "en"):
            embeds = shown(shipped_bank, question, language)
            assert within_discord_limits(embeds), question.id
            if question.has_answer:
                assert embeds[1].description == question.answer, question.id


def test_an_oversized_answer_is_shortened_at_a_paragraph_and_never_inside_code(shipped_bank) -> None:
    code = "```python\n" + "x = 1\n" * 1200 + "```"
    prose = "\n\n".join(["段落。" * 400] * 4)
    points = tuple(KeyPoint("要点" * 50, ("kw",)) for _ in range(12))
    for answer in (f"{prose}\n\n{code}", f"{code}\n\n结尾", "长" * 9000):
        question = Question(id="lora-long", topic_id="lora", prompt="问" * 1000, difficulty=3, answer=answer,
                            key_points=points)
        for language in ("zh", "en"):
            embeds = shown(shipped_bank, question, language)
            assert within_discord_limits(embeds)
            text = embeds[1].description or ""
            assert "lora-long" in text and "```" not in text  # the pointer to /question show, and no cut code
