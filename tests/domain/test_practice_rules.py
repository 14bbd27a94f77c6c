"""Solo practice runs: show, grade once, only the owner, only the current card."""

from __future__ import annotations

import random

import pytest

from bot.domain import practice
from bot.domain.bank import KeyPoint, Question
from bot.domain.practice import AnswerHiddenError, CardDoneError, NoCardsError, NotYourRunError, Run

OWNER, OTHER = 1, 2


def card(qid: str, answer: str | None = "答案") -> Question:
    return Question(id=qid, topic_id="rag", prompt=f"{qid}?", difficulty=1, answer=answer,
                    key_points=(KeyPoint("要点", ("要点",)),))


def test_cards_have_answers_are_distinct_and_at_most_the_pool() -> None:
    pool = [card("a"), card("b"), card("c", answer=None)]
    picked = practice.pick_cards(pool, 5, random.Random(3))
    assert sorted(q.id for q in picked) == ["a", "b"]
    with pytest.raises(NoCardsError):
        practice.pick_cards([card("x", answer=None)], 1, random.Random(3))


def test_a_run_goes_card_by_card_and_tallies_the_grades() -> None:
    run = Run(1, OWNER, ("a", "b"))
    with pytest.raises(AnswerHiddenError):
        practice.grade(run, OWNER, 0, "got")
    with pytest.raises(NotYourRunError):
        practice.show(run, OTHER, 0)
    shown = practice.show(practice.show(run, OWNER, 0), OWNER, 0)  # twice is harmless
    after_first = practice.grade(shown, OWNER, 0, "partly")
    assert (after_first.position, after_first.shown, after_first.grades) == (1, False, ("partly",))
    with pytest.raises(CardDoneError):
        practice.grade(after_first, OWNER, 0, "got")  # the old card's buttons
    done = practice.grade(practice.show(after_first, OWNER, 1), OWNER, 1, "missed")
    assert done.finished and done.tally == {"partly": 1, "missed": 1}
    with pytest.raises(CardDoneError):
        practice.show(done, OWNER, 2)
    with pytest.raises(practice.PracticeError):
        practice.grade(shown, OWNER, 0, "excellent")
