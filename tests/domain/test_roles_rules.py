"""Reward roles and seasons as pure rules: tiers, the champion's month, what to give and take, Discord's
conditions for a bot to give a role, and the season summary's month and streaks."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.domain import recap
from bot.domain import roles as rules
from bot.domain.roles import RoleFacts

TIERS = {7: 107, 30: 130, 100: 200}


def test_a_member_holds_the_highest_tier_reached_only() -> None:
    assert rules.streak_tier(6, TIERS) is None
    assert rules.streak_tier(7, TIERS) == 107
    assert rules.streak_tier(29, TIERS) == 107
    assert rules.streak_tier(30, TIERS) == 130
    assert rules.streak_tier(365, TIERS) == 200
    assert rules.streak_tier(5, {}) is None


def test_the_champion_is_of_the_month_before_today() -> None:
    assert rules.previous_month(date(2026, 12, 1)) == "2026-11"
    assert rules.previous_month(date(2026, 12, 31)) == "2026-11"
    assert rules.previous_month(date(2027, 1, 1)) == "2026-12"


def test_changes_give_what_is_wanted_and_take_only_what_the_bot_gave() -> None:
    change = rules.changes(wanted={(107, 1), (130, 2)}, held={(107, 2), (107, 1)})
    assert change.give == {(130, 2)} and change.take == {(107, 2)}
    assert rules.changes(wanted=set(), held=set()) == rules.RoleChanges(frozenset(), frozenset())


def test_a_role_problem_is_named_in_the_order_an_admin_fixes_it() -> None:
    fine = RoleFacts(exists=True, bot_manages_roles=True, below_bot=True, managed=False)
    assert rules.role_problem(fine) is None
    assert rules.role_problem(RoleFacts(False, False, False, False)) == rules.ROLE_GONE
    assert rules.role_problem(RoleFacts(True, False, False, False)) == rules.MANAGE_ROLES
    assert rules.role_problem(RoleFacts(True, True, True, True)) == rules.ROLE_MANAGED
    assert rules.role_problem(RoleFacts(True, True, False, False)) == rules.ROLE_ABOVE


def test_a_season_is_due_once_its_month_is_over_in_the_guilds_zone_and_not_days_late() -> None:
    before = datetime(2026, 11, 30, 15, 59, tzinfo=UTC)  # 23:59 in Shanghai
    after = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
    assert recap.latest_season("Asia/Shanghai", before).key == "2026-10"
    assert recap.season_due("Asia/Shanghai", before, None) is None  # October's is a month late
    season = recap.season_due("Asia/Shanghai", after, "2026-10")
    assert season is not None and season.key == "2026-11" and season.due_at == after
    assert (season.first, season.last) == (date(2026, 11, 1), date(2026, 11, 30))
    assert recap.season_due("Asia/Shanghai", after, "2026-11") is None
    assert recap.season_due("UTC", datetime(2026, 12, 4, 0, 1, tzinfo=UTC), None) is None  # over 3 days late
    assert recap.season_of("2026-02", "UTC").last == date(2026, 2, 28)
    assert recap.season_of("2026-12", "UTC").due_at == datetime(2027, 1, 1, tzinfo=UTC)


def test_the_longest_run_counts_consecutive_days_only() -> None:
    days = [date(2026, 11, d) for d in (1, 2, 3, 5, 6, 6, 20)]
    assert recap.longest_run(days) == 3
    assert recap.longest_run([]) == 0
