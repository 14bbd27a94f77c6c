"""Answers as members type them, for tests that need a strong or a one-point answer to a bank question.

A keyword list is not an answer (`bot.domain.coverage`): each point is named inside a sentence of its own.
"""

from __future__ import annotations

from bot.domain.bank import Question

_BACKING = "：这一点我在项目里实际遇到过，原因和做法都能讲清楚"


def strong_answer(question: Question, prefix: str = "") -> str:
    """Every key point, each in a sentence of its own."""
    return prefix + "\n".join(f"{point.keywords[0]}{_BACKING}。" for point in question.key_points)


def one_point_answer(question: Question, index: int = 0) -> str:
    """Only key point `index`, in one sentence."""
    return f"我只记得{question.key_points[index].keywords[0]}{_BACKING}。"
