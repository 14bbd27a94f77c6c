"""The rewards' pure rules: which answer the auto-pick takes, when it is due, and the nudge window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.rewards import (
    AUTO_PICK_REACH,
    Candidate,
    auto_pick,
    auto_pick_due,
    check_delay,
    nudge_due,
    points_table,
)

T0 = datetime(2026, 11, 30, 13, 0, tzinfo=UTC)


def candidate(answer_id: int, covered: int, minutes: int, *, late: bool = False) -> Candidate:
    return Candidate(answer_id, answer_id * 10, covered, T0 - timedelta(minutes=minutes), late)


def test_the_most_key_points_wins_and_a_tie_goes_to_the_earliest_answer() -> None:
    assert auto_pick([candidate(1, 2, 30), candidate(2, 4, 10), candidate(3, 3, 60)]).answer_id == 2
    assert auto_pick([candidate(1, 3, 30), candidate(2, 3, 90), candidate(3, 3, 60)]).answer_id == 2
    assert auto_pick([candidate(5, 0, 5)]).answer_id == 5  # a lone answer that covers nothing is still the best


def test_a_late_answer_is_never_picked() -> None:
    assert auto_pick([candidate(1, 9, 5, late=True), candidate(2, 1, 10)]).answer_id == 2
    assert auto_pick([candidate(1, 9, 5, late=True)]) is None
    assert auto_pick([]) is None


def test_the_auto_pick_is_due_after_the_delay_for_reveals_since_it_was_turned_on() -> None:
    since = T0 - timedelta(days=1)
    assert not auto_pick_due(T0, 60, since, T0 + timedelta(minutes=59))
    assert auto_pick_due(T0, 60, since, T0 + timedelta(minutes=60))
    assert not auto_pick_due(T0, 60, None, T0 + timedelta(hours=2))  # off
    assert not auto_pick_due(T0, 60, T0 + timedelta(seconds=1), T0 + timedelta(hours=2))  # revealed before it was on
    assert not auto_pick_due(T0, 60, since - timedelta(days=9), T0 + AUTO_PICK_REACH + timedelta(seconds=1))


def test_a_nudge_is_due_only_within_the_hour_before_the_reveal() -> None:
    assert not nudge_due(T0, T0 - timedelta(minutes=61))
    assert nudge_due(T0, T0 - timedelta(minutes=60))
    assert nudge_due(T0, T0 - timedelta(seconds=1))
    assert not nudge_due(T0, T0)  # revealed: too late


def test_the_delay_is_bounded_and_the_bonus_is_documented() -> None:
    assert check_delay(1) == 1 and check_delay(1440) == 1440
    for wrong in (0, 1441, -5):
        with pytest.raises(ValueError):
            check_delay(wrong)
    ((reason, english, chinese),) = points_table()
    assert reason == "best_answer" and "5" in english and "5" in chinese
