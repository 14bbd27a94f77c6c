"""The quiz state machine, its answers and its points, driven by explicit instants (no clock, no I/O)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain import quiz
from bot.domain.bank import ChoiceForm, ChoiceOption, KeyPoint, Question
from bot.domain.quiz import (
    AlreadyAnsweredError,
    AlreadyGradedError,
    Award,
    ChoiceAnswer,
    GradingOverError,
    Item,
    ItemResult,
    NoQuestionsError,
    NotAnsweredError,
    NotClosedError,
    NotYourQuizError,
    OpenAnswer,
    QuestionClosedError,
    Quiz,
    QuizRules,
)

T0 = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
RULES = QuizRules()
STARTER, ALICE, BOB, CAROL = 1, 2, 3, 4


def seconds(n: float) -> datetime:
    return T0 + timedelta(seconds=n)


def question(qid: str, *, choices: bool = True, correct: int = 0, answer: str = "参考答案") -> Question:
    form = ChoiceForm(tuple(ChoiceOption(f"选项{i}", i == correct) for i in range(4)), "解释") if choices else None
    return Question(id=qid, topic_id="rag", prompt=f"{qid}?", difficulty=1, answer=answer,
                    key_points=(KeyPoint("检索", ("检索",)), KeyPoint("生成", ("生成",))), choices=form)


def make_quiz(kinds: str = "cc", *, order: tuple[int, ...] = (2, 0, 3, 1), secs: int = 30) -> Quiz:
    items = tuple(Item(id=100 + i, position=i, question_id=f"q{i}", kind="choice" if k == "c" else "open",
                       option_order=order if k == "c" else ()) for i, k in enumerate(kinds))
    fresh = Quiz(id=7, guild_id=9, channel_id=8, starter_id=STARTER, language="en", topic_id=None, kind="mixed",
                 seconds=secs, status=quiz.RUNNING, items=items, started_at=T0)
    return quiz.open_first(fresh, T0).quiz


def test_picking_choice_questions_shuffles_their_options_and_never_repeats() -> None:
    pool = [question(f"c{i}") for i in range(6)] + [question(f"o{i}", choices=False) for i in range(3)]
    picks = quiz.pick_questions(pool, kind="choice", count=10, rng=random.Random("seed"))
    assert len(picks) == 6 and {p.question.id for p in picks} == {f"c{i}" for i in range(6)}
    assert all(p.kind == "choice" and sorted(p.option_order) == [0, 1, 2, 3] for p in picks)
    assert any(p.option_order[0] != 0 for p in picks)  # the correct option is not always A
    again = quiz.pick_questions(pool, kind="choice", count=10, rng=random.Random("seed"))
    assert [(p.question.id, p.option_order) for p in again] == [(p.question.id, p.option_order) for p in picks]


def test_mixed_alternates_kinds_and_falls_back_when_one_runs_out() -> None:
    pool = [question("c0"), question("c1"), question("o0", choices=False)]
    picks = quiz.pick_questions(pool, kind="mixed", count=3, rng=random.Random(1))
    assert [p.kind for p in picks][:2] == ["choice", "open"] and len(picks) == 3
    open_only = quiz.pick_questions(pool, kind="open", count=5, rng=random.Random(1))
    assert [p.kind for p in open_only] == ["open"] * 3 and all(p.option_order == () for p in open_only)
    with pytest.raises(NoQuestionsError):
        quiz.pick_questions([question("o", choices=False)], kind="choice", count=3, rng=random.Random(1))


def test_seconds_per_question_have_bounds_and_defaults_by_kind() -> None:
    assert RULES.seconds_for("choice", None) == 30 and RULES.seconds_for("open", None) == 120
    assert RULES.seconds_for("mixed", 45) == 45
    for bad in (5, 301):
        with pytest.raises(quiz.BadSettingsError):
            RULES.seconds_for("choice", bad)


def test_questions_close_on_time_one_after_another_then_the_quiz_finishes() -> None:
    running = make_quiz("cc")
    assert running.current.position == 0 and running.deadline == seconds(30)
    assert quiz.tick(running, seconds(29.9), RULES).quiz == running  # not yet
    second = quiz.tick(running, seconds(31), RULES)
    assert second.closed == (0,) and second.opened == 1 and not second.ended
    assert second.quiz.current.opened_at == seconds(31) and second.quiz.deadline == seconds(61)
    done = quiz.tick(second.quiz, seconds(61), RULES)
    assert done.closed == (1,) and done.ended and done.quiz.status == quiz.FINISHED and done.quiz.deadline is None


def test_open_questions_leave_a_grading_time_before_the_end() -> None:
    last = quiz.tick(make_quiz("o"), seconds(30), RULES)
    assert last.quiz.status == quiz.GRADING and not last.ended
    assert last.quiz.deadline == seconds(30) + RULES.grading
    assert quiz.tick(last.quiz, seconds(60), RULES).quiz.status == quiz.GRADING
    over = quiz.tick(last.quiz, seconds(90), RULES)
    assert over.ended and over.quiz.status == quiz.FINISHED and over.closed == ()


def test_back_soon_after_the_close_resumes_but_long_after_ends_the_quiz() -> None:
    running = make_quiz("ccc")
    resumed = quiz.tick(running, seconds(30) + RULES.resume_within, RULES)
    assert resumed.opened == 1 and resumed.quiz.active
    abandoned = quiz.tick(running, seconds(30) + RULES.resume_within + timedelta(seconds=1), RULES)
    assert abandoned.closed == (0,) and abandoned.opened is None and abandoned.ended
    assert abandoned.quiz.status == quiz.ABANDONED and abandoned.quiz.items[1].opened_at is None


def test_a_pick_counts_once_and_only_while_its_question_is_open() -> None:
    running = make_quiz("cc")
    assert quiz.accept_choice(running, 0, 3, None, seconds(5)).position == 0
    with pytest.raises(AlreadyAnsweredError) as twice:
        quiz.accept_choice(running, 0, 1, 3, seconds(6))
    assert twice.value.values == {"option": "D"}
    with pytest.raises(QuestionClosedError):
        quiz.accept_choice(running, 0, 1, None, seconds(30))  # at the close instant: late
    with pytest.raises(QuestionClosedError):
        quiz.accept_choice(running, 1, 1, None, seconds(5))  # not opened yet
    with pytest.raises(QuestionClosedError):
        quiz.accept_choice(running, 5, 1, None, seconds(5))  # no such question
    with pytest.raises(QuestionClosedError):
        quiz.accept_open(running, 0, seconds(5))  # a choice question takes no text


def test_only_the_starter_or_a_manager_stops_and_the_open_question_closes() -> None:
    running = make_quiz("cc")
    with pytest.raises(NotYourQuizError):
        quiz.stop(running, ALICE, can_manage=False, now=seconds(10))
    stopped = quiz.stop(running, ALICE, can_manage=True, now=seconds(10))
    assert stopped.closed == (0,) and stopped.ended and stopped.quiz.status == quiz.STOPPED
    assert stopped.quiz.stopped_by == ALICE and stopped.quiz.items[0].closed_at == seconds(10)
    assert quiz.stop(running, STARTER, can_manage=False, now=seconds(10)).quiz.status == quiz.STOPPED
    with pytest.raises(quiz.NoQuizError):
        quiz.stop(stopped.quiz, STARTER, can_manage=True, now=seconds(11))
    with pytest.raises(QuestionClosedError):
        quiz.accept_choice(stopped.quiz, 0, 1, None, seconds(11))


def test_self_grades_after_the_close_once_until_the_quiz_ends() -> None:
    running = make_quiz("oo")
    with pytest.raises(NotClosedError):
        quiz.accept_self_grade(running, 0, "got", True, False, seconds(5))
    moved = quiz.tick(running, seconds(30), RULES).quiz
    assert quiz.accept_self_grade(moved, 0, "got", True, False, seconds(31)).position == 0
    with pytest.raises(NotAnsweredError):
        quiz.accept_self_grade(moved, 0, "got", False, False, seconds(31))
    with pytest.raises(AlreadyGradedError):
        quiz.accept_self_grade(moved, 0, "got", True, True, seconds(31))
    grading = quiz.tick(moved, seconds(60), RULES).quiz
    assert quiz.accept_self_grade(grading, 1, "partly", True, False, seconds(119)).position == 1
    with pytest.raises(GradingOverError):  # the window is over even before a tick ends the quiz
        quiz.accept_self_grade(grading, 1, "partly", True, False, seconds(120))


def test_points_for_a_right_pick_with_a_speed_bonus() -> None:
    running = make_quiz("c", order=(2, 0, 3, 1))
    item = running.items[0]
    q = question("q0", correct=0)
    assert quiz.correct_option(item, q) == 1  # the bank's first option is shown second: B
    awards = quiz.choice_awards(RULES, item, q, [
        ChoiceAnswer(ALICE, 1, seconds(0)), ChoiceAnswer(BOB, 1, seconds(15)), ChoiceAnswer(CAROL, 0, seconds(1)),
        ChoiceAnswer(STARTER, 1, seconds(29.9))])
    assert awards == [Award(ALICE, 10, quiz.QUIZ_CORRECT), Award(ALICE, 5, quiz.QUIZ_SPEED),
                      Award(BOB, 10, quiz.QUIZ_CORRECT), Award(BOB, 2, quiz.QUIZ_SPEED),
                      Award(STARTER, 10, quiz.QUIZ_CORRECT)]


def test_points_for_open_answers_by_coverage_and_self_grade() -> None:
    assert [quiz.coverage_points(RULES, r) for r in (0, 0.25, 0.5, 1, 2)] == [0, 3, 5, 10, 10]
    awards = quiz.open_awards(RULES, [OpenAnswer(ALICE, 1.0, "got"), OpenAnswer(BOB, 0.0)])
    assert awards == [Award(ALICE, 10, quiz.QUIZ_COVERAGE), Award(ALICE, 1, quiz.QUIZ_SELF_GRADE)]
    assert quiz.missed_open(OpenAnswer(BOB, 0.0)) and not quiz.missed_open(OpenAnswer(BOB, 0.5))
    assert quiz.missed_open(OpenAnswer(ALICE, 1.0, "missed")) and not quiz.missed_open(OpenAnswer(BOB, 0, "partly"))


def test_the_summary_ranks_members_and_lists_the_most_missed_questions() -> None:
    results = [
        ItemResult(0, "q0", (Award(ALICE, 15, "c"), Award(BOB, 12, "c")), (ALICE, BOB, CAROL), (CAROL,)),
        ItemResult(1, "q1", (Award(BOB, 14, "c"),), (ALICE, BOB), (ALICE,)),
        ItemResult(2, "q2", (Award(CAROL, 10, "c"),), (CAROL,), ()),
        ItemResult(3, "q3", (), (ALICE, BOB), (ALICE, BOB)),
    ]
    summary = quiz.summarize(results, limit=2)
    assert [(s.user_id, s.points, s.right, s.answered) for s in summary.standings] == [
        (BOB, 26, 2, 3), (ALICE, 15, 1, 3), (CAROL, 10, 1, 2)]
    assert [r.position for r in summary.most_missed] == [3, 1]
    assert quiz.summarize([]).standings == ()


def test_a_reopened_item_keeps_its_identity() -> None:
    running = make_quiz("c")
    assert replace(running.items[0], closed_at=seconds(1)).id == running.items[0].id == 100
    assert running.items[0].shown_option(2) == 0
