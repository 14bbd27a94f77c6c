"""Choosing the question of the day: no repeat in a guild until every eligible question was asked, topics rotate.

Pure: the eligible questions, the guild's asked ids and a seed go in, the choice comes out. Cycles are derived from
the history alone, so nothing else needs storing.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.domain.bank import Question
from bot.domain.errors import DomainError


class NoEligibleQuestionsError(DomainError):
    """The schedule's topic and difficulty filters leave no question to ask."""

    key = "qotd.no_eligible_questions"


@dataclass(frozen=True)
class Choice:
    question: Question
    cycle: int  # 1 for the first pass through the eligible questions, 2 for the second, ...
    remaining_after: int  # eligible questions still unasked in this cycle once this one is asked


@dataclass(frozen=True)
class _Cycles:
    completed: int
    asked_in_current: frozenset[str]


def eligible(
    questions: Iterable[Question],
    topics: frozenset[str],
    min_difficulty: int,
    max_difficulty: int,
    require_answer: bool = True,
) -> list[Question]:
    """The questions a schedule may ask, in their given order. An empty `topics` means every topic."""
    return [
        q
        for q in questions
        if (not topics or q.topic_id in topics)
        and min_difficulty <= q.difficulty <= max_difficulty
        and (q.has_answer or not require_answer)
    ]


def _cycles(eligible_ids: frozenset[str], history: Sequence[str]) -> _Cycles:
    """Split the history, oldest first, into passes that each ask every eligible question at least once.

    Ids that are not eligible now (removed from the bank, filtered out) are ignored.
    """
    completed = 0
    asked: set[str] = set()
    for question_id in history:
        if question_id not in eligible_ids:
            continue
        asked.add(question_id)
        if asked == eligible_ids:
            completed += 1
            asked = set()
    return _Cycles(completed, frozenset(asked))


def _rng(seed: str) -> random.Random:
    # str hashes vary per process; a digest gives the same choice on every run and machine.
    return random.Random(int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest()[:8], "big"))


def _least_recent_topic_questions(remaining: list[Question], by_id: dict[str, Question],
                                  history: Sequence[str]) -> list[Question]:
    """The remaining questions whose topic was asked least recently (never asked counts as least recent)."""
    last_asked: dict[str, int] = {}
    for index, question_id in enumerate(history):
        question = by_id.get(question_id)
        if question is not None:
            last_asked[question.topic_id] = index
    oldest = min(last_asked.get(q.topic_id, -1) for q in remaining)
    return [q for q in remaining if last_asked.get(q.topic_id, -1) == oldest]


def choose(eligible: Sequence[Question], history: Sequence[str], seed: str) -> Choice:
    """Pick the next question for a guild whose asked question ids, oldest first, are `history`."""
    if not eligible:
        raise NoEligibleQuestionsError()
    by_id = {q.id: q for q in eligible}
    eligible_ids = frozenset(by_id)
    cycles = _cycles(eligible_ids, history)
    remaining = [q for q in eligible if q.id not in cycles.asked_in_current]
    if cycles.completed and not cycles.asked_in_current:
        # History ends exactly on a finished pass: a new cycle, avoiding a back-to-back repeat of the last one.
        last = next(i for i in reversed(history) if i in eligible_ids)
        remaining = [q for q in eligible if q.id != last] or remaining
    candidates = _least_recent_topic_questions(remaining, by_id, history)
    question = _rng(seed).choice(candidates)
    in_cycle = eligible_ids - cycles.asked_in_current
    return Choice(question=question, cycle=cycles.completed + 1, remaining_after=len(in_cycle - {question.id}))
