"""The points table and answer streaks, as data plus pure functions; `POINTS_TABLE` is the one source for docs.

Each award carries a reason string that is stored in the points ledger, so a board for any period is a sum.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

ANSWER_ON_TIME = "answer_on_time"
COVERAGE = "coverage"
PEER_VOTES = "peer_votes"
STREAK_BONUS = "streak_bonus"
LATE_ANSWER = "late_answer"
SELF_GRADE = "self_grade"


@dataclass(frozen=True)
class PointsRules:
    on_time: int = 10  # answering before the reveal
    coverage_max: int = 10  # scaled by the share of key points covered
    per_vote: int = 2  # each peer 👍 received
    votes_cap: int = 10  # most points votes can earn one answer
    streak_min: int = 2  # the streak from which the bonus starts
    streak_cap: int = 7  # the bonus is the streak length, at most this
    late: int = 3  # answering after the reveal; replaces every other award for that answer
    self_grade: int = 1  # grading one's own answer against the reference


@dataclass(frozen=True)
class Award:
    user_id: int
    points: int
    reason: str


@dataclass(frozen=True)
class RevealedAnswer:
    user_id: int
    late: bool
    coverage_ratio: float  # 0.0 to 1.0, from `coverage.Coverage.ratio`
    streak: int  # the member's streak including the day of this answer


def coverage_points(rules: PointsRules, ratio: float) -> int:
    """`coverage_max` × ratio, rounded half up (1 of 4 points → 3), ratio clamped to 0..1."""
    return math.floor(rules.coverage_max * min(max(ratio, 0.0), 1.0) + 0.5)


def streak_bonus(rules: PointsRules, streak: int) -> int:
    return min(streak, rules.streak_cap) if streak >= rules.streak_min else 0


def reveal_awards(rules: PointsRules, answers: Sequence[RevealedAnswer]) -> list[Award]:
    """The awards made when a post is revealed, answer by answer; zero-point awards are left out."""
    awards: list[Award] = []
    for answer in answers:
        if answer.late:
            parts = [(LATE_ANSWER, rules.late)]
        else:
            parts = [
                (ANSWER_ON_TIME, rules.on_time),
                (COVERAGE, coverage_points(rules, answer.coverage_ratio)),
                (STREAK_BONUS, streak_bonus(rules, answer.streak)),
            ]
        awards.extend(Award(answer.user_id, points, reason) for reason, points in parts if points)
    return awards


def vote_award(rules: PointsRules, votes_received: int, *, late: bool = False) -> int:
    """The total an answer earns from peer votes, capped; a late answer earns nothing beyond its late points."""
    if late:
        return 0
    return min(max(votes_received, 0) * rules.per_vote, rules.votes_cap)


def self_grade_award(rules: PointsRules, user_id: int) -> Award:
    return Award(user_id, rules.self_grade, SELF_GRADE)


@dataclass(frozen=True)
class Streak:
    """Consecutive local days with an answer: the current run, the best run, and the last day answered."""

    current: int = 0
    best: int = 0
    last_day: date | None = None


def advance(streak: Streak, day: date) -> Streak:
    """The streak after answering on `day`. A day already counted, or older than the last, changes nothing."""
    if streak.last_day is not None and day <= streak.last_day:
        return streak
    follows = streak.last_day is not None and day - streak.last_day == timedelta(days=1)
    current = streak.current + 1 if follows else 1
    return replace(streak, current=current, best=max(streak.best, current), last_day=day)


def current_as_of(streak: Streak, today: date) -> int:
    """The streak as it stands on `today`: still alive if the last answer was today or yesterday, else 0."""
    if streak.last_day is None or streak.last_day < today - timedelta(days=1):
        return 0
    return streak.current


def points_table(rules: PointsRules = PointsRules()) -> tuple[tuple[str, str, str], ...]:
    """(reason, English description, Chinese description) per rule, for the README table and /help."""
    return (
        (ANSWER_ON_TIME, f"{rules.on_time} for answering before the reveal", f"揭晓前作答 {rules.on_time} 分"),
        (COVERAGE, f"up to {rules.coverage_max}, by the share of key points your answer covers",
         f"按答案覆盖的要点比例，最多 {rules.coverage_max} 分"),
        (PEER_VOTES, f"{rules.per_vote} per 👍 from another member, at most {rules.votes_cap} per answer",
         f"每获得一个他人的 👍 得 {rules.per_vote} 分，每个答案最多 {rules.votes_cap} 分"),
        (STREAK_BONUS, f"your streak length in days, from {rules.streak_min} days, at most {rules.streak_cap}",
         f"连续作答天数，满 {rules.streak_min} 天起计，最多 {rules.streak_cap} 分"),
        (LATE_ANSWER, f"{rules.late} for an answer after the reveal, and nothing else for it",
         f"揭晓后作答 {rules.late} 分，该答案不再得其他分"),
        (SELF_GRADE, f"{rules.self_grade} for grading your own answer against the reference",
         f"对照参考答案自评 {rules.self_grade} 分"),
    )


POINTS_TABLE = points_table()
