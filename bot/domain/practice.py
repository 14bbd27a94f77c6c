"""Solo practice: a member's private run of flashcards (question, show the answer, grade yourself), as pure rules.

A card is graded once, after its answer was shown, and only the member who started the run may turn its cards.
Practice earns no points (it could be repeated at will); its self-grades feed personal review.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.domain.bank import Question
from bot.domain.errors import DomainError
from bot.domain.quiz import SELF_GRADES


class PracticeError(DomainError):
    key = "practice.error"


class NotYourRunError(PracticeError):
    key = "practice.not_yours"


class CardDoneError(PracticeError):
    """The card was already graded (or the run is over): an old message's button."""

    key = "practice.card_done"


class AnswerHiddenError(PracticeError):
    key = "practice.show_first"


class NoCardsError(PracticeError):
    key = "practice.no_questions"


@dataclass(frozen=True)
class Run:
    id: int
    user_id: int
    question_ids: tuple[str, ...]
    position: int = 0  # the card being shown; len(question_ids) once every card is graded
    shown: bool = False  # whether the current card's answer is shown
    grades: tuple[str, ...] = ()

    @property
    def finished(self) -> bool:
        return self.position >= len(self.question_ids)

    @property
    def tally(self) -> Counter[str]:
        return Counter(self.grades)


def pick_cards(questions: Sequence[Question], count: int, rng: random.Random) -> list[Question]:
    """Up to `count` distinct questions that have a reference answer, in random order."""
    pool = [q for q in questions if q.has_answer]
    if not pool:
        raise NoCardsError()
    return rng.sample(pool, min(count, len(pool)))


def _current(run: Run, user_id: int, position: int) -> None:
    if user_id != run.user_id:
        raise NotYourRunError()
    if run.finished or position != run.position:
        raise CardDoneError()


def show(run: Run, user_id: int, position: int) -> Run:
    """Show the current card's answer (again: showing twice is harmless)."""
    _current(run, user_id, position)
    return replace(run, shown=True)


def grade(run: Run, user_id: int, position: int, grade: str) -> Run:
    """Grade the current card and move to the next."""
    if grade not in SELF_GRADES:
        raise PracticeError("practice.bad_grade")
    _current(run, user_id, position)
    if not run.shown:
        raise AnswerHiddenError()
    return replace(run, position=run.position + 1, shown=False, grades=(*run.grades, grade))
