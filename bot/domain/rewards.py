"""Rewards that motivate, as pure rules: the best-answer bonus and its auto-pick, and when a nudge is due."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

BEST_ANSWER = "best_answer"  # the ledger reason
BEST_ANSWER_POINTS = 5
DEFAULT_DELAY_MINUTES = 60
MAX_DELAY_MINUTES = 1440
NUDGE_LEAD = timedelta(hours=1)  # a nudge goes out within the last hour before the reveal
AUTO_PICK_REACH = timedelta(days=2)  # the auto-pick never picks for a reveal older than this


@dataclass(frozen=True, slots=True)
class Candidate:
    """An answer in a reveal: how many key points it covers, and when it was first given."""

    answer_id: int
    user_id: int
    covered: int
    created_at: datetime
    late: bool


def eligible(candidate: Candidate) -> bool:
    """A late answer earns the late points only, so it is never the best answer."""
    return not candidate.late


def auto_pick(candidates: Iterable[Candidate]) -> Candidate | None:
    """The answer closest to the reference: the most key points covered; ties go to the earliest answer."""
    pool = [c for c in candidates if eligible(c)]
    if not pool:
        return None
    return min(pool, key=lambda c: (-c.covered, c.created_at, c.answer_id))


def auto_pick_at(revealed_at: datetime, delay_minutes: int) -> datetime:
    return revealed_at + timedelta(minutes=delay_minutes)


def auto_pick_due(revealed_at: datetime, delay_minutes: int, enabled_since: datetime | None, now: datetime) -> bool:
    """Due once the delay after the reveal has passed with no pick, for reveals since best answers were turned on,
    and not for old ones (turning it on never rewards last month)."""
    if enabled_since is None or revealed_at < enabled_since or now - revealed_at > AUTO_PICK_REACH:
        return False
    return auto_pick_at(revealed_at, delay_minutes) <= now


def nudge_due(reveal_due_at: datetime, now: datetime) -> bool:
    """Within the hour before the reveal (and not after it)."""
    return now < reveal_due_at <= now + NUDGE_LEAD


def check_delay(minutes: int) -> int:
    if not 1 <= minutes <= MAX_DELAY_MINUTES:
        raise ValueError(f"the delay is 1 to {MAX_DELAY_MINUTES} minutes, not {minutes}")
    return minutes


def points_table() -> tuple[tuple[str, str, str], ...]:
    """(reason, English description, Chinese description), for the README's rewards table."""
    return (
        (BEST_ANSWER, f"{BEST_ANSWER_POINTS} for the day's best answer (a manager's pick, else the closest match)",
         f"当日最佳答案 {BEST_ANSWER_POINTS} 分（管理员选出，否则为最接近参考答案的回答）"),
    )
