"""The rubric cannot be gamed, for every question of the bank.

- A keyword salad made of the question's own keywords (every keyword of every point, as a member could paste
  them) scores at most 0.4.
- Naming each key point in a sentence of its own covers it (the keywords can match at all, and no point's
  keyword cancels another's).
- Where `tests/bank/rubric/<topic>.yaml` has answers written as members type them: the strong answer scores at
  least 0.6, the weak one strictly less, and the fluent but wrong ones low.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from answers import strong_answer

from bot.bank import load_bank
from bot.domain.bank import Bank, Question
from bot.domain.coverage import coverage

ROOT = Path(__file__).parents[2]
RUBRIC = Path(__file__).parent / "rubric"
BANK = load_bank([ROOT / "questions"]).bank


def salads(question: Question) -> list[str]:
    keywords = [k for point in question.key_points for k in point.keywords]
    firsts = [point.keywords[0] for point in question.key_points]
    return ["，".join(keywords), " ".join(keywords), "、".join(firsts), "答：" + "；".join(firsts) + "。"]


def written() -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for path in sorted(RUBRIC.glob("*.yaml")):
        found.update(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    return found


WRITTEN = written()


@pytest.mark.parametrize("question_id", sorted(BANK.questions))
def test_a_keyword_salad_scores_low_and_sentences_score_full(question_id: str) -> None:
    question = BANK.questions[question_id]
    for salad in salads(question):
        assert coverage(salad, question.key_points).ratio <= 0.4, salad
    assert coverage(strong_answer(question), question.key_points).ratio == 1.0


@pytest.mark.parametrize("question_id", sorted(WRITTEN))
def test_written_answers_are_graded_in_order(question_id: str, bank: Bank = BANK) -> None:
    question = bank.get(question_id)
    assert question is not None, f"rubric data for an unknown question {question_id}"
    entry = WRITTEN[question_id]
    strong = coverage(entry["strong"], question.key_points).ratio
    weak = coverage(entry["weak"], question.key_points).ratio
    assert strong >= 0.6, f"strong answer scores {strong:.2f}"
    assert weak < strong, f"weak {weak:.2f} is not below strong {strong:.2f}"
    if "wrong" in entry:
        wrong = coverage(entry["wrong"], question.key_points).ratio
        assert wrong <= 0.4, f"a fluent wrong answer scores {wrong:.2f}"
