"""Board periods, the keys a ledger entry adds to, ranks with ties, group ranking, the recap's timing and pick,
and the progress figures."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.domain import boards, progress, recap


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(("day", "week"), [
    ("2026-11-30", "2026-W49"),  # a Monday
    ("2026-12-06", "2026-W49"),  # its Sunday
    ("2027-01-01", "2026-W53"),  # a Friday: belongs to 2026's last week (2026 has 53 ISO weeks)
    ("2024-12-30", "2025-W01"),  # a Monday whose Thursday is in 2025
])
def test_weeks_are_iso_weeks_starting_on_monday(day: str, week: str) -> None:
    assert boards.week_key(date.fromisoformat(day)) == week


def test_buckets_of_each_period() -> None:
    day = date(2026, 11, 30)
    assert [boards.bucket(p, day) for p in boards.PERIODS] == ["2026-11-30", "2026-W49", "2026-11", ""]
    with pytest.raises(ValueError, match="unknown period"):
        boards.bucket("year", day)


def test_an_entry_adds_to_every_period_both_topics_and_both_scopes() -> None:
    keys = boards.total_keys("2026-11-30", "rag", "quiz")
    assert len(keys) == 16 and len(set(keys)) == 16
    assert "week:2026-W49:rag:quiz" in keys and "all::*:*" in keys and "day:2026-11-30:*:quiz" in keys
    assert len(boards.total_keys("2026-11-30", None, "answer")) == 8  # no topic: only every-topic


def test_ties_share_a_rank_and_the_next_rank_skips() -> None:
    assert boards.page_ranks([50, 40, 40, 30], offset=0, first_rank=1) == [1, 2, 2, 4]
    # Page 2 starts inside a tie that began on page 1 (members 9..11 all have 20 points).
    assert boards.page_ranks([20, 20, 15], offset=10, first_rank=9) == [9, 9, 13]
    assert boards.page_ranks([], offset=0, first_rank=1) == []


def test_guild_timezone_is_the_chosen_zone_else_the_first_schedules() -> None:
    assert boards.guild_timezone("Europe/Berlin", "Asia/Shanghai") == "Europe/Berlin"
    assert boards.guild_timezone("UTC", "Asia/Shanghai") == "UTC"  # chosen on purpose: it stands
    assert boards.guild_timezone(None, "Asia/Shanghai") == "Asia/Shanghai"
    assert boards.guild_timezone(None, None) == "UTC"


def test_groups_rank_by_points_per_active_member_not_size() -> None:
    big = boards.GroupScore(1, "Big", total=300, active=10)  # 30 each
    small = boards.GroupScore(2, "small", total=100, active=2)  # 50 each
    tied = boards.GroupScore(3, "Also small", total=100, active=2)
    empty = boards.GroupScore(4, "Empty", total=0, active=0)
    ranked = boards.rank_groups([big, small, empty, tied])
    assert [(rank, score.name) for rank, score in ranked] == [
        (1, "Also small"), (1, "small"), (3, "Big"), (4, "Empty")]


def test_recap_due_at_its_local_time_once_per_week_and_caught_up_within_a_day() -> None:
    rule = recap.RecapRule(6, time(20, 0), "Asia/Shanghai")  # Sunday 20:00 in Shanghai = 12:00 UTC
    assert recap.latest(rule, at("2026-12-06T11:59:00")).key == "2026-W48"
    assert recap.due(rule, at("2026-12-06T11:59:00"), set()) is None  # last week's is 6 days late: not posted
    week = recap.latest(rule, at("2026-12-06T12:00:00"))
    assert (week.key, week.first, week.last, week.due_at) == (
        "2026-W49", date(2026, 11, 30), date(2026, 12, 6), at("2026-12-06T12:00:00"))
    assert recap.due(rule, at("2026-12-06T12:00:00"), set()) == week
    assert recap.due(rule, at("2026-12-06T12:05:00"), {"2026-W49"}) is None
    assert recap.due(rule, at("2026-12-07T11:59:00"), set()) == week  # down for the recap: caught up next day
    assert recap.due(rule, at("2026-12-07T12:01:00"), set()) is None  # more than a day late: skipped
    assert recap.next_after(rule, at("2026-12-06T12:00:00")).due_at == at("2026-12-13T12:00:00")
    assert recap.next_after(rule, at("2026-12-06T11:00:00")).due_at == at("2026-12-06T12:00:00")


def test_a_monday_recap_covers_the_seven_days_ending_that_monday() -> None:
    rule = recap.RecapRule(0, time(9, 0), "UTC")
    week = recap.latest(rule, at("2026-12-07T10:00:00"))
    assert (week.first, week.last, week.key) == (date(2026, 12, 1), date(2026, 12, 7), "2026-W50")
    with pytest.raises(ValueError):
        recap.RecapRule(7, time(9, 0), "UTC")


def test_the_hardest_question_has_the_lowest_coverage_then_most_red() -> None:
    easy = recap.PostDifficulty(1, "a", answers=3, coverage=0.9, red=0)
    hard = recap.PostDifficulty(2, "b", answers=2, coverage=0.2, red=1)
    just_as_hard_more_red = recap.PostDifficulty(3, "c", answers=1, coverage=0.2, red=4)
    unanswered = recap.PostDifficulty(4, "d", answers=0, coverage=None, red=9)
    assert recap.hardest([easy, hard, just_as_hard_more_red, unanswered]).post_id == 3
    assert recap.hardest([unanswered, recap.PostDifficulty(5, "e", 0, None, 2)]).post_id == 4
    assert recap.hardest([recap.PostDifficulty(6, "f", 0, None, 0)]) is None


def test_heatmap_has_26_whole_weeks_ending_with_today() -> None:
    today = date(2026, 12, 2)  # a Wednesday
    grid = progress.heatmap({date(2026, 12, 2): 2, date(2026, 11, 30): 1, date(2026, 1, 1): 5}, today)
    assert grid.first_monday == date(2026, 6, 8) and len(grid.cells) == 7 and len(grid.cells[0]) == 26
    assert grid.cells[2][25] == 2 and grid.cells[0][25] == 1 and grid.cells[3][25] is None  # Thursday: future
    assert (grid.total, grid.active_days) == (3, 2)  # January is outside the 26 weeks


def test_mastery_by_topic_in_bank_order() -> None:
    answers = [
        progress.AnsweredQuestion("rag", covered=2, key_points=4, self_grade="got"),
        progress.AnsweredQuestion("rag", covered=4, key_points=4, self_grade="missed"),
        progress.AnsweredQuestion("rag", covered=None, key_points=4, self_grade=None),  # not revealed yet
        progress.AnsweredQuestion("lora", covered=0, key_points=3, self_grade="partly"),
    ]
    lora, rag = progress.mastery(answers, ["lora", "bert", "rag"])
    assert (rag.topic_id, rag.answers, rag.coverage, rag.got, rag.missed, rag.graded) == ("rag", 3, 0.75, 1, 1, 2)
    assert (lora.coverage, lora.partly) == (0.0, 1)


def test_the_server_language_is_the_choice_then_the_first_schedule_then_discord_s_locale() -> None:
    from bot.domain.boards import server_language

    assert server_language("en", "zh", "zh-CN") == "en"
    assert server_language(None, "en", "zh-CN") == "en"
    assert server_language(None, None, "zh-TW") == "zh"
    assert server_language(None, None, "en-US") == "en"
    assert server_language(None, None, None) == "zh"
