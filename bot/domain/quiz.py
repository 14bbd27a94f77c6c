"""A topic quiz in a channel as a pure state machine: questions open and close on a clock the caller passes in.

One question is open at a time for `seconds`; when it closes the next opens. After the last one, a quiz that had
open questions stays in `grading` for `QuizRules.grading` so members can still grade themselves, then finishes.
Choice answers are final: a member's first pick is the one that counts (a second click is refused), which keeps
the speed bonus honest. Open answers may be edited until the question closes. Rules say no by raising the
`QuizError` subclasses below; the chat layer turns them into ephemeral replies.

Restarts: the state lives in the database, so a quiz resumes after a short restart (buttons keep working, the
question closes at its original instant). When the bot comes back more than `QuizRules.resume_within` after the
open question should have closed, the quiz is closed there and ends as `abandoned`, with its partial results.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.domain.bank import Question
from bot.domain.errors import DomainError
from bot.domain.scoring import Award

KINDS = ("choice", "open", "mixed")
SELF_GRADES = ("got", "partly", "missed")
LETTERS = "ABCDE"

RUNNING = "running"
GRADING = "grading"
FINISHED = "finished"
STOPPED = "stopped"
ABANDONED = "abandoned"
ACTIVE = (RUNNING, GRADING)

# Reasons in the points ledger (source_type "quiz", source_id the quiz question's row id).
QUIZ_CORRECT = "quiz_correct"
QUIZ_SPEED = "quiz_speed"
QUIZ_COVERAGE = "quiz_coverage"
QUIZ_SELF_GRADE = "quiz_self_grade"


class QuizError(DomainError):
    key = "quiz.error"


class QuestionClosedError(QuizError):
    """The question is not open (any more): it closed, it is not the current one, or the quiz ended."""

    key = "quiz.question_closed"


class AlreadyAnsweredError(QuizError):
    key = "quiz.already_answered"


class NotYourQuizError(QuizError):
    key = "quiz.not_yours"


class QuizRunningError(QuizError):
    key = "quiz.already_running"


class NoQuizError(QuizError):
    key = "quiz.none"


class NoQuestionsError(QuizError):
    key = "quiz.no_questions"


class BadSettingsError(QuizError):
    key = "quiz.bad_seconds"


class NotAnsweredError(QuizError):
    key = "quiz.grade_no_answer"


class AlreadyGradedError(QuizError):
    key = "quiz.already_graded"


class NotClosedError(QuizError):
    key = "quiz.grade_too_early"


class GradingOverError(QuizError):
    key = "quiz.grading_over"


@dataclass(frozen=True)
class QuizRules:
    correct: int = 10  # a correct choice
    speed_max: int = 5  # a correct choice's bonus, by the share of the time left when it was picked
    coverage_max: int = 10  # an open answer, by the share of key points it covers
    self_grade: int = 1  # grading one's own open answer against the reference (whatever the grade)
    max_questions: int = 20
    min_seconds: int = 10
    max_seconds: int = 300
    default_seconds: tuple[tuple[str, int], ...] = (("choice", 30), ("open", 120), ("mixed", 60))
    grading: timedelta = timedelta(seconds=60)  # after the last question, for self-grades on open questions
    resume_within: timedelta = timedelta(minutes=5)  # later than this after a close, a quiz ends instead

    def seconds_for(self, kind: str, asked: int | None) -> int:
        seconds = asked if asked is not None else dict(self.default_seconds)[kind]
        if not self.min_seconds <= seconds <= self.max_seconds:
            raise BadSettingsError(low=self.min_seconds, high=self.max_seconds)
        return seconds


@dataclass(frozen=True)
class Pick:
    """A question chosen for a quiz, how it is asked, and for a choice the order its options are shown in."""

    question: Question
    kind: str  # "choice" or "open"
    option_order: tuple[int, ...] = ()  # button i shows the bank's option option_order[i]


def askable(question: Question, kind: str) -> bool:
    if kind == "choice":
        return question.choices is not None
    return question.has_answer and bool(question.key_points)


def pick_questions(questions: Sequence[Question], *, kind: str, count: int, rng: random.Random) -> list[Pick]:
    """Up to `count` distinct questions in random order. Mixed alternates choice and open, each falling back to
    the other kind when it runs out. Options are shuffled (the bank often lists the correct one first)."""
    if kind not in KINDS:
        raise QuizError("quiz.bad_kind")
    shuffled = list(questions)
    rng.shuffle(shuffled)
    wanted = [kind] * count if kind != "mixed" else [("choice", "open")[i % 2] for i in range(count)]
    used: set[str] = set()
    picks: list[Pick] = []
    for want in wanted:
        ways = (want,) if kind != "mixed" else (want, "open" if want == "choice" else "choice")
        found = next(((q, way) for way in ways for q in shuffled if q.id not in used and askable(q, way)), None)
        if found is None:
            break
        question, way = found
        used.add(question.id)
        order: tuple[int, ...] = ()
        if way == "choice" and question.choices is not None:
            indexes = list(range(len(question.choices.options)))
            rng.shuffle(indexes)
            order = tuple(indexes)
        picks.append(Pick(question, way, order))
    if not picks:
        raise NoQuestionsError()
    return picks


@dataclass(frozen=True)
class Item:
    """One question of a quiz: its place, how it is asked, and its window."""

    id: int  # the row id; the points ledger's source_id
    position: int
    question_id: str
    kind: str
    option_order: tuple[int, ...] = ()
    opened_at: datetime | None = None
    closes_at: datetime | None = None
    closed_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None and self.closed_at is None

    def shown_option(self, bank_index: int) -> int:
        """The button (0 = A) that shows the bank's option `bank_index`."""
        return self.option_order.index(bank_index) if self.option_order else bank_index


@dataclass(frozen=True)
class Quiz:
    id: int
    guild_id: int
    channel_id: int
    starter_id: int
    language: str
    topic_id: str | None
    kind: str
    seconds: int
    status: str
    items: tuple[Item, ...]
    started_at: datetime
    grading_until: datetime | None = None
    ended_at: datetime | None = None
    stopped_by: int | None = None

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def current(self) -> Item | None:
        return next((item for item in self.items if item.is_open), None)

    @property
    def deadline(self) -> datetime | None:
        """The next instant at which `tick` changes something, or None once the quiz has ended."""
        if self.status == RUNNING and self.current is not None:
            return self.current.closes_at
        if self.status == GRADING:
            return self.grading_until
        return None

    def item(self, position: int) -> Item:
        if not 0 <= position < len(self.items):
            raise QuestionClosedError()
        return self.items[position]

    def _with_item(self, item: Item) -> Quiz:
        items = list(self.items)
        items[item.position] = item
        return replace(self, items=tuple(items))


@dataclass(frozen=True)
class Advance:
    """What a transition did, for the caller to persist and announce."""

    quiz: Quiz
    closed: tuple[int, ...] = ()  # positions closed, in order
    opened: int | None = None  # the position opened
    ended: bool = False


def open_first(quiz: Quiz, now: datetime) -> Advance:
    first = replace(quiz.items[0], opened_at=now, closes_at=now + timedelta(seconds=quiz.seconds))
    return Advance(quiz._with_item(first), opened=0)


def tick(quiz: Quiz, now: datetime, rules: QuizRules) -> Advance:
    """Close the open question if its time is up and open the next, or start / end the grading time."""
    was_active = quiz.active
    closed: list[int] = []
    opened: int | None = None
    current = quiz.current
    if quiz.status == RUNNING and current is not None and current.closes_at and now >= current.closes_at:
        quiz = quiz._with_item(replace(current, closed_at=now))
        closed.append(current.position)
        following = current.position + 1
        if now - current.closes_at > rules.resume_within:
            # The bot was away well past the close: end here rather than resume into an empty channel.
            quiz = replace(quiz, status=ABANDONED, ended_at=now)
        elif following < len(quiz.items):
            quiz = quiz._with_item(replace(quiz.items[following], opened_at=now,
                                           closes_at=now + timedelta(seconds=quiz.seconds)))
            opened = following
        elif any(item.kind == "open" for item in quiz.items):
            quiz = replace(quiz, status=GRADING, grading_until=now + rules.grading)
        else:
            quiz = replace(quiz, status=FINISHED, ended_at=now)
    if quiz.status == GRADING and quiz.grading_until is not None and now >= quiz.grading_until:
        quiz = replace(quiz, status=FINISHED, ended_at=now)
    return Advance(quiz, tuple(closed), opened, ended=was_active and not quiz.active)


def stop(quiz: Quiz, user_id: int, *, can_manage: bool, now: datetime) -> Advance:
    """`/quiz stop`: the starter, or a member who may manage messages. The open question closes at once."""
    if not quiz.active:
        raise NoQuizError()
    if user_id != quiz.starter_id and not can_manage:
        raise NotYourQuizError()
    closed: tuple[int, ...] = ()
    current = quiz.current
    if current is not None:
        quiz = quiz._with_item(replace(current, closed_at=now))
        closed = (current.position,)
    return Advance(replace(quiz, status=STOPPED, ended_at=now, stopped_by=user_id), closed, None, ended=True)


def _open_item(quiz: Quiz, position: int, kind: str, now: datetime) -> Item:
    item = quiz.item(position)
    if (not quiz.active or not item.is_open or item.kind != kind
            or (item.closes_at is not None and now >= item.closes_at)):
        raise QuestionClosedError()
    return item


def accept_choice(quiz: Quiz, position: int, option: int, previous: int | None, now: datetime) -> Item:
    """A pick of button `option` (0 = A); `previous` is the member's earlier pick for this question, if any."""
    item = _open_item(quiz, position, "choice", now)
    if not 0 <= option < len(item.option_order):
        raise QuestionClosedError()
    if previous is not None:
        raise AlreadyAnsweredError(option=LETTERS[previous])
    return item


def accept_open(quiz: Quiz, position: int, now: datetime) -> Item:
    """An open answer (new or edited) is taken while its question is open."""
    return _open_item(quiz, position, "open", now)


def accept_self_grade(quiz: Quiz, position: int, grade: str, answered: bool, graded: bool,
                      now: datetime) -> Item:
    """A self-grade on a closed open question, once per answer, until the quiz ends."""
    if grade not in SELF_GRADES:
        raise QuizError("quiz.bad_grade")
    item = quiz.item(position)
    if item.kind != "open":
        raise QuestionClosedError()
    if item.closed_at is None:
        raise NotClosedError()
    if not quiz.active or (quiz.grading_until is not None and now >= quiz.grading_until):
        raise GradingOverError()
    if not answered:
        raise NotAnsweredError()
    if graded:
        raise AlreadyGradedError()
    return item


# -- points (an `Award` is the same points line as the daily question's) -------------------------------------
@dataclass(frozen=True)
class ChoiceAnswer:
    user_id: int
    option: int  # the button pressed, 0 = A
    answered_at: datetime


@dataclass(frozen=True)
class OpenAnswer:
    user_id: int
    coverage_ratio: float  # 0.0 to 1.0, from `coverage.Coverage.ratio`
    self_grade: str | None = None


def correct_option(item: Item, question: Question) -> int:
    assert question.choices is not None
    return item.shown_option(question.choices.correct_index)


def speed_bonus(rules: QuizRules, item: Item, answered_at: datetime) -> int:
    """`speed_max` × the share of the question's time still left, rounded down (instant 5, half-way 2)."""
    if item.opened_at is None or item.closes_at is None:
        return 0
    window = (item.closes_at - item.opened_at).total_seconds()
    left = (item.closes_at - answered_at).total_seconds()
    if window <= 0:
        return 0
    return math.floor(rules.speed_max * min(max(left / window, 0.0), 1.0))


def choice_awards(rules: QuizRules, item: Item, question: Question, answers: Sequence[ChoiceAnswer]) -> list[Award]:
    right = correct_option(item, question)
    awards: list[Award] = []
    for answer in answers:
        if answer.option == right:
            awards.append(Award(answer.user_id, rules.correct, QUIZ_CORRECT))
            if bonus := speed_bonus(rules, item, answer.answered_at):
                awards.append(Award(answer.user_id, bonus, QUIZ_SPEED))
    return awards


def coverage_points(rules: QuizRules, ratio: float) -> int:
    """`coverage_max` × ratio, rounded half up, ratio clamped to 0..1."""
    return math.floor(rules.coverage_max * min(max(ratio, 0.0), 1.0) + 0.5)


def open_awards(rules: QuizRules, answers: Sequence[OpenAnswer]) -> list[Award]:
    awards = []
    for answer in answers:
        if points := coverage_points(rules, answer.coverage_ratio):
            awards.append(Award(answer.user_id, points, QUIZ_COVERAGE))
        if answer.self_grade is not None:
            awards.append(Award(answer.user_id, rules.self_grade, QUIZ_SELF_GRADE))
    return awards


def missed_open(answer: OpenAnswer) -> bool:
    """An open answer counts as missed when its author says so, or (ungraded) covers under half the key points."""
    if answer.self_grade is not None:
        return answer.self_grade == "missed"
    return answer.coverage_ratio < 0.5


# -- the summary ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ItemResult:
    """A closed question's outcome: every award made for it, who answered, who missed."""

    position: int
    question_id: str
    awards: tuple[Award, ...]
    answered: tuple[int, ...]
    missed: tuple[int, ...]


@dataclass(frozen=True)
class Standing:
    user_id: int
    points: int
    right: int
    answered: int


@dataclass(frozen=True)
class Summary:
    standings: tuple[Standing, ...]  # best first; ties by more right answers, then by member id
    most_missed: tuple[ItemResult, ...]  # up to `limit`, the highest share of misses first


def summarize(results: Sequence[ItemResult], limit: int = 3) -> Summary:
    points: dict[int, int] = {}
    right: dict[int, int] = {}
    answered: dict[int, int] = {}
    for result in results:
        for award in result.awards:
            points[award.user_id] = points.get(award.user_id, 0) + award.points
        for user_id in result.answered:
            answered[user_id] = answered.get(user_id, 0) + 1
            if user_id not in result.missed:
                right[user_id] = right.get(user_id, 0) + 1
    standings = sorted(
        (Standing(user, points.get(user, 0), right.get(user, 0), count) for user, count in answered.items()),
        key=lambda s: (-s.points, -s.right, s.user_id),
    )
    missed = sorted((r for r in results if r.missed),
                    key=lambda r: (-len(r.missed) / len(r.answered), -len(r.missed), r.position))
    return Summary(tuple(standings), tuple(missed[:limit]))


def points_table(rules: QuizRules = QuizRules()) -> tuple[tuple[str, str, str], ...]:
    """(reason, English description, Chinese description) per quiz award, for the README and /help."""
    return (
        (QUIZ_CORRECT, f"{rules.correct} for a correct choice", f"选择题答对 {rules.correct} 分"),
        (QUIZ_SPEED, f"up to {rules.speed_max} more for a correct choice, by the share of time left",
         f"答对时按剩余时间比例另加最多 {rules.speed_max} 分"),
        (QUIZ_COVERAGE, f"up to {rules.coverage_max} for an open answer, by the share of key points it covers",
         f"开放题按答案覆盖的要点比例，最多 {rules.coverage_max} 分"),
        (QUIZ_SELF_GRADE, f"{rules.self_grade} for grading your open answer against the reference",
         f"开放题对照参考答案自评 {rules.self_grade} 分"),
    )
