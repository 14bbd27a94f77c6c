"""Choosing the question of the day: filters, no repeats within a cycle, deterministic seeds and topic rotation."""

from __future__ import annotations

from itertools import pairwise

import pytest

from bot.domain.bank import KeyPoint, Question
from bot.domain.errors import DomainError
from bot.domain.selection import Choice, NoEligibleQuestionsError, choose, eligible


def question(qid: str, topic: str = "llm", difficulty: int = 1, answer: str | None = "答案") -> Question:
    return Question(id=qid, topic_id=topic, prompt=f"{qid}?", difficulty=difficulty, answer=answer,
                    key_points=(KeyPoint("要点", ("要点",)),))


def run(bank: list[Question], history: list[str], days: int, seed: str = "guild-1") -> list[Choice]:
    """Choose `days` times in a row, appending each pick to the history as the service would."""
    choices = []
    for day in range(days):
        choice = choose(bank, history, f"{seed}:{day}")
        history.append(choice.question.id)
        choices.append(choice)
    return choices


BANK = [question(f"q{i}", topic=("llm", "rag", "bert")[i % 3]) for i in range(10)]


def test_ten_picks_from_ten_questions_are_all_distinct() -> None:
    history: list[str] = []
    choices = run(BANK, history, 10)
    assert len(set(history)) == 10
    assert [c.cycle for c in choices] == [1] * 10
    assert [c.remaining_after for c in choices] == list(range(9, -1, -1))


def test_eleventh_pick_starts_cycle_two_without_repeating_the_tenth() -> None:
    for seed in ("a", "b", "c", "d", "e"):
        history: list[str] = []
        run(BANK, history, 10, seed)
        eleventh = choose(BANK, history, f"{seed}:10")
        assert eleventh.cycle == 2
        assert eleventh.question.id != history[-1]
        assert eleventh.remaining_after == 9


def test_new_cycle_never_repeats_the_last_question_even_within_one_topic() -> None:
    bank = [question("a"), question("b"), question("c")]
    for seed in range(30):
        choice = choose(bank, ["b", "a", "c"], str(seed))
        assert choice.question.id != "c"
        assert (choice.cycle, choice.remaining_after) == (2, 2)


def test_second_cycle_also_asks_everything_once() -> None:
    history: list[str] = []
    choices = run(BANK, history, 30)
    assert [c.cycle for c in choices] == [1] * 10 + [2] * 10 + [3] * 10
    for start in (10, 20):
        assert sorted(history[start:start + 10]) == sorted(q.id for q in BANK)
    assert all(a != b for a, b in pairwise(history))


def test_cycle_is_derived_from_the_history_mid_cycle() -> None:
    history = [q.id for q in BANK] + ["q3", "q7"]
    choice = choose(BANK, history, "x")
    assert choice.cycle == 2
    assert choice.question.id not in {"q3", "q7"}
    assert choice.remaining_after == 7


def test_a_single_question_repeats_each_day() -> None:
    only = [question("solo")]
    choices = run(only, [], 3)
    assert [c.question.id for c in choices] == ["solo"] * 3
    assert [c.cycle for c in choices] == [1, 2, 3]


def test_filters_by_topic_difficulty_and_answer() -> None:
    bank = [
        question("a", "llm", 1),
        question("b", "rag", 2),
        question("c", "llm", 3),
        question("d", "llm", 2, answer=None),
        question("e", "bert", 2, answer="  "),
    ]
    assert [q.id for q in eligible(bank, frozenset(), 1, 3)] == ["a", "b", "c"]
    assert [q.id for q in eligible(bank, frozenset({"llm"}), 1, 3)] == ["a", "c"]
    assert [q.id for q in eligible(bank, frozenset({"llm", "rag"}), 2, 3)] == ["b", "c"]
    assert [q.id for q in eligible(bank, frozenset(), 2, 2)] == ["b"]
    assert [q.id for q in eligible(bank, frozenset(), 2, 2, require_answer=False)] == ["b", "d", "e"]
    assert [q.id for q in eligible(iter(bank), frozenset({"open"}), 1, 3)] == []


def test_history_outside_the_eligible_set_is_ignored() -> None:
    bank = [question("a"), question("b"), question("c")]
    # "gone" was removed from the bank, "other" is outside this schedule's filter.
    history = ["gone", "a", "other", "b", "gone"]
    choice = choose(bank, history, "s")
    assert choice.question.id == "c"
    assert choice.cycle == 1
    assert choice.remaining_after == 0
    # A pass completes even with foreign ids in between.
    after_pass = choose(bank, ["a", "gone", "b", "other", "c"], "s")
    assert (after_pass.cycle, after_pass.remaining_after) == (2, 2)
    assert after_pass.question.id != "c"


def test_a_question_added_to_the_bank_comes_before_a_new_cycle() -> None:
    bank_grown = [question("a"), question("b"), question("c"), question("d")]
    choice = choose(bank_grown, ["a", "b", "c"], "s")
    assert (choice.question.id, choice.cycle, choice.remaining_after) == ("d", 1, 0)


def test_same_seed_same_choice_and_seeds_vary_the_choice() -> None:
    picks = {choose(BANK, [], f"guild:{day}").question.id for day in range(40)}
    assert len(picks) > 3
    for day in range(10):
        assert choose(BANK, ["q1"], f"guild:{day}") == choose(list(BANK), ("q1",), f"guild:{day}")


def test_topics_rotate_in_a_mixed_bank() -> None:
    bank = [question(f"llm{i}", "llm") for i in range(6)] + [question(f"rag{i}", "rag") for i in range(3)] + [
        question(f"bert{i}", "bert") for i in range(3)]
    history: list[str] = []
    choices = run(bank, history, 9)
    topics = [c.question.topic_id for c in choices]
    # Every window of three days covers all three topics while each topic still has questions left.
    for start in range(0, 9, 3):
        assert set(topics[start:start + 3]) == {"llm", "rag", "bert"}, topics
    # Then only llm questions remain in this cycle.
    assert {c.question.topic_id for c in run(bank, history, 3)} == {"llm"}


def test_least_recently_asked_topic_wins() -> None:
    bank = [question("l1", "llm"), question("l2", "llm"), question("r1", "rag"), question("r2", "rag"),
            question("b1", "bert")]
    for seed in ("a", "b", "c", "d"):
        assert choose(bank, ["l1", "b1", "r1"], seed).question.id == "l2"  # llm: asked longest ago
        assert choose(bank, ["r1", "b1", "l1"], seed).question.id == "r2"


def test_no_eligible_questions_is_a_domain_error() -> None:
    with pytest.raises(NoEligibleQuestionsError) as raised:
        choose([], ["q1"], "s")
    assert isinstance(raised.value, DomainError)
    assert raised.value.key == "qotd.no_eligible_questions"
