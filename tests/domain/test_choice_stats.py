"""The choice-form figures `bank stats` prints: what a test-taker gains by picking the longest option."""

from __future__ import annotations

import pytest

from bot.domain.bank import ChoiceForm, ChoiceOption, Question
from bot.domain.choice_stats import choice_stats


def question(qid: str, *options: tuple[str, bool]) -> Question:
    form = ChoiceForm(tuple(ChoiceOption(text, correct) for text, correct in options), "why")
    return Question(qid, "t", "prompt", 2, "answer", (), choices=form)


def test_length_giveaways_and_absolute_words_are_counted() -> None:
    bank = [
        question("a", ("the long correct option", True), ("short", False), ("tiny", False), ("only this", False)),
        question("b", ("same", True), ("same2", False), ("four", False), ("abcd", False)),  # a distractor longest
        question("c", ("xx", True), ("yy", False)),  # a tie: picking the longest is right half the time
        question("d", ("always right", True), ("wrong!", False)),
    ]
    stats = choice_stats([*bank, Question("e", "t", "p", 1, None, ())])  # a question without a form is skipped
    assert stats.forms == 4
    assert stats.correct_strictly_longest == 2  # a and d
    assert stats.pick_longest_score == pytest.approx((1 + 0 + 0.5 + 1) / 4)
    assert stats.absolute_in_correct == pytest.approx(1 / 4)  # "always"
    assert stats.absolute_in_distractors == pytest.approx(1 / 8)  # "only", in 1 of 8 distractors
    assert stats.median_length_ratio > 1


def test_no_forms_gives_zeros() -> None:
    assert choice_stats([]).forms == 0 and choice_stats([]).pick_longest_score == 0.0
