"""The points rules at a reveal, peer votes and self-grading, and streaks across month ends and gaps."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.scoring import (
    ANSWER_ON_TIME,
    COVERAGE,
    LATE_ANSWER,
    PEER_VOTES,
    POINTS_TABLE,
    SELF_GRADE,
    STREAK_BONUS,
    Award,
    PointsRules,
    RevealedAnswer,
    Streak,
    advance,
    current_as_of,
    points_table,
    reveal_awards,
    self_grade_award,
    vote_award,
)

RULES = PointsRules()


def on_time(user_id: int = 1, ratio: float = 0.0, streak: int = 1) -> RevealedAnswer:
    return RevealedAnswer(user_id=user_id, late=False, coverage_ratio=ratio, streak=streak)


def test_default_rules() -> None:
    assert (RULES.on_time, RULES.coverage_max, RULES.per_vote, RULES.votes_cap) == (10, 10, 2, 10)
    assert (RULES.streak_min, RULES.streak_cap, RULES.late, RULES.self_grade) == (2, 7, 3, 1)


def test_on_time_answer_with_full_coverage_and_a_streak() -> None:
    assert reveal_awards(RULES, [on_time(7, ratio=1.0, streak=3)]) == [
        Award(7, 10, ANSWER_ON_TIME),
        Award(7, 10, COVERAGE),
        Award(7, 3, STREAK_BONUS),
    ]


@pytest.mark.parametrize(
    ("ratio", "points"),
    [(0.0, 0), (0.1, 1), (0.25, 3), (1 / 3, 3), (0.5, 5), (2 / 3, 7), (0.75, 8), (1.0, 10), (1.5, 10), (-1.0, 0)],
)
def test_coverage_points_round_half_up_and_clamp(ratio: float, points: int) -> None:
    awards = reveal_awards(RULES, [on_time(ratio=ratio)])
    assert sum(a.points for a in awards if a.reason == COVERAGE) == points


def test_zero_point_awards_are_left_out() -> None:
    assert reveal_awards(RULES, [on_time(ratio=0.0, streak=1)]) == [Award(1, 10, ANSWER_ON_TIME)]


@pytest.mark.parametrize(("streak", "bonus"), [(0, 0), (1, 0), (2, 2), (5, 5), (7, 7), (8, 7), (100, 7)])
def test_streak_bonus_starts_at_two_and_caps_at_seven(streak: int, bonus: int) -> None:
    awards = reveal_awards(RULES, [on_time(streak=streak)])
    assert sum(a.points for a in awards if a.reason == STREAK_BONUS) == bonus


def test_late_answer_earns_only_the_late_points() -> None:
    late = RevealedAnswer(user_id=2, late=True, coverage_ratio=1.0, streak=6)
    assert reveal_awards(RULES, [late]) == [Award(2, 3, LATE_ANSWER)]
    assert vote_award(RULES, 4, late=True) == 0


def test_awards_for_several_answers_keep_their_order() -> None:
    answers = [on_time(1, ratio=0.5), RevealedAnswer(2, True, 0.0, 1), on_time(3, streak=2)]
    assert [(a.user_id, a.reason, a.points) for a in reveal_awards(RULES, answers)] == [
        (1, ANSWER_ON_TIME, 10), (1, COVERAGE, 5), (2, LATE_ANSWER, 3), (3, ANSWER_ON_TIME, 10), (3, STREAK_BONUS, 2),
    ]
    assert reveal_awards(RULES, []) == []


@pytest.mark.parametrize(("votes", "points"), [(0, 0), (1, 2), (4, 8), (5, 10), (6, 10), (50, 10), (-1, 0)])
def test_peer_votes_are_capped_per_answer(votes: int, points: int) -> None:
    assert vote_award(RULES, votes) == points


def test_self_grade() -> None:
    assert self_grade_award(RULES, 9) == Award(9, 1, SELF_GRADE)


def test_custom_rules_are_used_everywhere() -> None:
    rules = PointsRules(on_time=5, coverage_max=20, per_vote=3, votes_cap=7, streak_cap=3, late=1, self_grade=2)
    assert reveal_awards(rules, [on_time(ratio=0.5, streak=10)]) == [
        Award(1, 5, ANSWER_ON_TIME), Award(1, 10, COVERAGE), Award(1, 3, STREAK_BONUS),
    ]
    assert vote_award(rules, 3) == 7
    assert self_grade_award(rules, 1).points == 2
    assert "at most 7 per answer" in {r: en for r, en, _ in points_table(rules)}[PEER_VOTES]


def test_points_table_names_every_reason_once_in_both_languages() -> None:
    reasons = [reason for reason, _, _ in POINTS_TABLE]
    assert reasons == [ANSWER_ON_TIME, COVERAGE, PEER_VOTES, STREAK_BONUS, LATE_ANSWER, SELF_GRADE]
    assert reasons == ["answer_on_time", "coverage", "peer_votes", "streak_bonus", "late_answer", "self_grade"]
    for _, english, chinese in POINTS_TABLE:
        assert english and chinese
    by_reason = {reason: (en, zh) for reason, en, zh in POINTS_TABLE}
    assert "10" in by_reason[ANSWER_ON_TIME][0] and "10" in by_reason[ANSWER_ON_TIME][1]
    assert "3" in by_reason[LATE_ANSWER][0] and "3" in by_reason[LATE_ANSWER][1]


# --- streaks -------------------------------------------------------------------------------------------------------


def answer_on(days: list[date]) -> Streak:
    streak = Streak()
    for day in days:
        streak = advance(streak, day)
    return streak


def test_first_answer_starts_a_streak() -> None:
    assert advance(Streak(), date(2026, 5, 1)) == Streak(current=1, best=1, last_day=date(2026, 5, 1))


def test_consecutive_days_across_month_and_year_ends() -> None:
    assert answer_on([date(2026, 1, 31), date(2026, 2, 1), date(2026, 2, 2)]).current == 3
    assert answer_on([date(2026, 2, 28), date(2026, 3, 1)]).current == 2  # not a leap year
    assert answer_on([date(2028, 2, 28), date(2028, 3, 1)]).current == 1  # 2028 has 29 February
    assert answer_on([date(2028, 2, 28), date(2028, 2, 29), date(2028, 3, 1)]).current == 3
    assert answer_on([date(2026, 12, 31), date(2027, 1, 1)]).current == 2


def test_same_day_twice_changes_nothing() -> None:
    once = answer_on([date(2026, 5, 1), date(2026, 5, 2)])
    assert advance(once, date(2026, 5, 2)) == once


def test_an_older_day_changes_nothing() -> None:
    streak = answer_on([date(2026, 5, 1), date(2026, 5, 2)])
    assert advance(streak, date(2026, 4, 30)) == streak


def test_a_gap_restarts_the_streak_and_best_is_kept() -> None:
    streak = answer_on([date(2026, 5, d) for d in (1, 2, 3, 4)] + [date(2026, 5, 6), date(2026, 5, 7)])
    assert streak == Streak(current=2, best=4, last_day=date(2026, 5, 7))
    longer = answer_on([date(2026, 5, d) for d in (1, 2, 4, 5, 6)])
    assert (longer.current, longer.best) == (3, 3)


def test_current_as_of() -> None:
    streak = answer_on([date(2026, 4, 29), date(2026, 4, 30)])
    assert current_as_of(streak, date(2026, 4, 30)) == 2
    assert current_as_of(streak, date(2026, 5, 1)) == 2  # today's question may still be answered
    assert current_as_of(streak, date(2026, 5, 2)) == 0
    assert current_as_of(Streak(), date(2026, 5, 2)) == 0
