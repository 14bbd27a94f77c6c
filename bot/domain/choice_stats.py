"""Whether a bank's choice forms give their answer away: by length, or by absolute words in distractors.

A quiz teaches nothing if "always pick the longest option" wins. These figures are what `bank stats` prints
and what the second edition's goals are measured on (correct option strictly longest ≤ 30 %, "pick the longest"
≤ 35 %).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from statistics import median

from bot.domain.bank import Question

ABSOLUTE_WORDS = ("只", "总是", "完全", "必须", "任何", "一定", "绝对", "从不", "always", "never", "only")


@dataclass(frozen=True, slots=True)
class ChoiceStats:
    forms: int
    correct_strictly_longest: int
    pick_longest_score: float  # expected score of always picking the longest option (ties split evenly)
    median_length_ratio: float  # correct option length ÷ mean distractor length, median over forms
    absolute_in_correct: float  # share of correct options with an absolute word
    absolute_in_distractors: float  # share of distractors with an absolute word


def _absolute(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in ABSOLUTE_WORDS)


def choice_stats(questions: Iterable[Question]) -> ChoiceStats:
    forms = [q.choices for q in questions if q.choices is not None]
    strictly_longest = 0
    pick_longest = 0.0
    ratios: list[float] = []
    correct_absolute = distractors = distractor_absolute = 0
    for form in forms:
        lengths = [len(o.text) for o in form.options]
        correct = form.correct_index
        longest = max(lengths)
        tied = [i for i, n in enumerate(lengths) if n == longest]
        strictly_longest += tied == [correct]
        pick_longest += (correct in tied) / len(tied)
        others = [n for i, n in enumerate(lengths) if i != correct]
        ratios.append(lengths[correct] / (sum(others) / len(others)))
        correct_absolute += _absolute(form.options[correct].text)
        for i, option in enumerate(form.options):
            if i != correct:
                distractors += 1
                distractor_absolute += _absolute(option.text)
    count = len(forms)
    return ChoiceStats(
        forms=count, correct_strictly_longest=strictly_longest,
        pick_longest_score=pick_longest / count if count else 0.0,
        median_length_ratio=median(ratios) if ratios else 0.0,
        absolute_in_correct=correct_absolute / count if count else 0.0,
        absolute_in_distractors=distractor_absolute / distractors if distractors else 0.0,
    )
