"""Topic quizzes in a channel: start, take answers, close questions on time with points, stop, summarize.

Every change is written in one transaction before the member is told it counted, and the points for a question
go into the ledger in the same transaction that closes it. What the chat layer must post (a question, a reveal,
the results) is derived from the stored state (`outbox`), so a crash between a change and its message only
delays the message to the next sweep.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime

from bot.clock import iso
from bot.domain import quiz as domain
from bot.domain.answers import clean_answer
from bot.domain.bank import Bank, Question
from bot.domain.coverage import Coverage, coverage
from bot.domain.errors import DomainError
from bot.domain.quiz import (
    Advance,
    Award,
    ChoiceAnswer,
    Item,
    ItemResult,
    NoQuizError,
    OpenAnswer,
    QuestionClosedError,
    Quiz,
    QuizRules,
    QuizRunningError,
    Summary,
)
from bot.domain.schedule import local_date
from bot.services.grades import GradeEvent, GradeFeed
from bot.services.server import ServerSettings
from bot.services.withholding import Withholding
from bot.storage.database import Database, transaction
from bot.storage.points import LedgerEntry, PointsRepository
from bot.storage.posts import PostRepository
from bot.storage.quizzes import QuizAnswerRow, QuizRepository

SOURCE = "quiz"


@dataclass(frozen=True)
class QuestionPost:
    """A question to post, with its buttons."""

    quiz: Quiz
    item: Item
    question: Question


@dataclass(frozen=True)
class RevealPost:
    """A closed question's reveal: for a choice the count per button, for an open one each answer's coverage."""

    quiz: Quiz
    item: Item
    question: Question
    answers: list[QuizAnswerRow]
    counts: list[int] = field(default_factory=list)
    correct: int | None = None  # the correct button, for a choice
    coverage: dict[int, Coverage] = field(default_factory=dict)  # by member, for an open question
    awards: list[Award] = field(default_factory=list)
    question_message_id: int | None = None  # to disable its buttons


@dataclass(frozen=True)
class SummaryPost:
    quiz: Quiz
    summary: Summary
    questions: dict[int, Question]  # by position


Post = QuestionPost | RevealPost | SummaryPost


@dataclass(frozen=True)
class ChoiceReceipt:
    option: int


@dataclass(frozen=True)
class OpenReceipt:
    created: bool
    length: int


class QuizService:
    def __init__(self, conn: Database, bank: Bank, grades: GradeFeed | None = None,
                 rules: QuizRules | None = None) -> None:
        self.conn = conn
        self.bank = bank
        self.grades = grades or GradeFeed()
        self.rules = rules or QuizRules()
        self.quizzes = QuizRepository(conn)
        self.points = PointsRepository(conn)
        self.withholding = Withholding(PostRepository(conn))
        self._closed_answers: list[GradeEvent] = []  # published once the transaction that closed them commits

    # -- starting and stopping -----------------------------------------------------------------------------------
    async def start(self, *, guild_id: int, channel_id: int, starter_id: int, language: str, topic_id: str | None,
                    kind: str, count: int, seconds: int | None, now: datetime, seed: str | None = None) -> Quiz:
        bank = self.bank.for_guild(guild_id)
        if topic_id is not None and topic_id not in {t.id for t in bank.topics}:
            raise DomainError("quiz.unknown_topic", topic=topic_id[:50])
        if kind not in domain.KINDS:
            raise DomainError("quiz.bad_kind")
        if not 1 <= count <= self.rules.max_questions:
            raise DomainError("quiz.bad_count", high=self.rules.max_questions)
        duration = self.rules.seconds_for(kind, seconds)
        # Its answers are revealed publicly at each close: nothing this server has not revealed yet.
        withheld = await self.withholding.pending([guild_id])
        pool = tuple(q for q in (bank.in_topic(topic_id) if topic_id else bank) if q.id not in withheld)
        picks = domain.pick_questions(pool, kind=kind, count=count,
                                      rng=random.Random(seed or f"{guild_id}:{channel_id}:{iso(now)}"))
        async with transaction(self.conn):
            if await self.quizzes.active_in_channel(channel_id) is not None:
                raise QuizRunningError()
            created = await self.quizzes.create(
                guild_id=guild_id, channel_id=channel_id, starter_id=starter_id, language=language,
                topic_id=topic_id, kind=kind, seconds=duration, picks=picks, now=now)
            started = domain.open_first(created, now)
            await self.quizzes.save_state(started.quiz)
        return started.quiz

    async def stop(self, channel_id: int, user_id: int, *, can_manage: bool, now: datetime) -> Quiz:
        async with transaction(self.conn):
            quiz = await self.quizzes.active_in_channel(channel_id)
            if quiz is None:
                raise NoQuizError()
            await self._apply(domain.stop(quiz, user_id, can_manage=can_manage, now=now), now)
        await self._publish_closed()
        stopped = await self.quizzes.get(quiz.id)
        assert stopped is not None
        return stopped

    # -- the clock -----------------------------------------------------------------------------------------------
    async def tick(self, now: datetime) -> list[int]:
        """Close what is due, open what follows, end what is over. Returns the quizzes that changed."""
        changed = []
        for quiz in await self.quizzes.active():
            async with transaction(self.conn):
                fresh = await self.quizzes.get(quiz.id)
                if fresh is None:
                    continue
                advance = domain.tick(fresh, now, self.rules)
                if advance.quiz != fresh:
                    await self._apply(advance, now)
                    changed.append(quiz.id)
            await self._publish_closed()
        return changed

    async def _publish_closed(self) -> None:
        """Open answers reach the review deck once their question has closed and its reference is public."""
        events, self._closed_answers[:] = list(self._closed_answers), []
        for event in events:
            await self.grades.publish(event)

    async def deadlines(self) -> list[tuple[int, datetime]]:
        return [(quiz.id, quiz.deadline) for quiz in await self.quizzes.active() if quiz.deadline is not None]

    async def _apply(self, advance: Advance, now: datetime) -> None:
        """Persist a transition and score the questions it closed (inside the caller's transaction)."""
        await self.quizzes.save_state(advance.quiz)
        for position in advance.closed:
            await self._score(advance.quiz, advance.quiz.items[position], now)

    async def _score(self, quiz: Quiz, item: Item, now: datetime) -> None:
        question = self.bank.get(item.question_id)
        if question is None:
            return  # removed from the bank since the quiz started: nothing to score against
        answers = await self.quizzes.answers(item.id)
        if item.kind == "choice":
            awards = domain.choice_awards(self.rules, item, question, [
                ChoiceAnswer(a.user_id, a.choice, a.answered_at) for a in answers if a.choice is not None])
        else:
            results = []
            for answer in answers:
                result = coverage(answer.content or "", question.key_points)
                await self.quizzes.set_coverage(item.id, answer.user_id, result.covered)
                results.append(OpenAnswer(answer.user_id, result.ratio))
                if answer.content:
                    self._closed_answers.append(GradeEvent(quiz.guild_id, answer.user_id, question.id, SOURCE, now))
            awards = domain.open_awards(self.rules, results)
        day = await self._day(quiz, now)
        for award in awards:
            await self.points.award(self._entry(quiz, item, question, award, day))

    async def _day(self, quiz: Quiz, now: datetime) -> str:
        zone = await ServerSettings(self.conn).timezone(quiz.guild_id)
        try:
            return local_date(now, zone).isoformat()
        except Exception:  # an unknown zone name stored by hand: fall back to UTC rather than lose points
            return local_date(now, "UTC").isoformat()

    def _entry(self, quiz: Quiz, item: Item, question: Question, award: Award, day: str) -> LedgerEntry:
        return LedgerEntry(guild_id=quiz.guild_id, user_id=award.user_id, points=award.points, reason=award.reason,
                           source_type=SOURCE, source_id=item.id, local_date=day, topic_id=question.topic_id)

    # -- answers -------------------------------------------------------------------------------------------------
    async def _load(self, quiz_id: int) -> Quiz:
        quiz = await self.quizzes.get(quiz_id)
        if quiz is None:
            raise QuestionClosedError()
        return quiz

    def _question(self, item: Item) -> Question:
        question = self.bank.get(item.question_id)
        if question is None:
            raise QuestionClosedError()
        return question

    async def answer_choice(self, quiz_id: int, position: int, user_id: int, option: int,
                            now: datetime) -> ChoiceReceipt:
        """A member's pick. The first pick is final: a second click raises AlreadyAnsweredError.

        Each of these answers is one unit of work (`run`: on SQLite one trip, shared by a channel clicking at once).
        """
        quiz, question, item = await self.conn.run(self._choose, quiz_id, position, user_id, option, now)
        correct = option == domain.correct_option(item, question)
        await self.grades.publish(GradeEvent(quiz.guild_id, user_id, question.id, SOURCE, now, correct=correct))
        return ChoiceReceipt(option)

    async def _choose(self, quiz_id: int, position: int, user_id: int, option: int,
                      now: datetime) -> tuple[Quiz, Question, Item]:
        quiz = await self._load(quiz_id)
        item = quiz.item(position)
        previous = await self.quizzes.answer(item.id, user_id)
        domain.accept_choice(quiz, position, option, previous.choice if previous else None, now)
        question = self._question(item)
        await self.quizzes.add_choice(item.id, user_id, option, now)
        return quiz, question, item

    async def open_answer(self, quiz_id: int, position: int, user_id: int, now: datetime) -> str | None:
        """Check that the member may answer now; their current answer, to edit."""
        return await self.conn.read(self._open_answer, quiz_id, position, user_id, now)

    async def _open_answer(self, quiz_id: int, position: int, user_id: int, now: datetime) -> str | None:
        quiz = await self._load(quiz_id)
        item = domain.accept_open(quiz, position, now)
        mine = await self.quizzes.answer(item.id, user_id)
        return mine.content if mine else None

    async def answer_open(self, quiz_id: int, position: int, user_id: int, text: str,
                          now: datetime) -> OpenReceipt:
        content = clean_answer(text, empty="quiz.answer_empty", too_long="quiz.answer_too_long")
        created = await self.conn.run(self._save_open, quiz_id, position, user_id, content, now)
        # The review deck hears of it at the close (a review card would show the reference answer now).
        return OpenReceipt(created, len(content))

    async def _save_open(self, quiz_id: int, position: int, user_id: int, content: str, now: datetime) -> bool:
        quiz = await self._load(quiz_id)
        item = domain.accept_open(quiz, position, now)
        return await self.quizzes.save_open(item.id, user_id, content, now)

    async def self_grade(self, quiz_id: int, position: int, user_id: int, grade: str, now: datetime) -> int:
        """A self-grade on a closed open question; returns the points it earned."""
        quiz, question, award = await self.conn.run(self._grade, quiz_id, position, user_id, grade, now)
        await self.grades.publish(GradeEvent(quiz.guild_id, user_id, question.id, SOURCE, now,
                                             grade=grade))  # type: ignore[arg-type]
        return award.points

    async def _grade(self, quiz_id: int, position: int, user_id: int, grade: str,
                     now: datetime) -> tuple[Quiz, Question, Award]:
        quiz = await self._load(quiz_id)
        item = quiz.item(position)
        mine = await self.quizzes.answer(item.id, user_id)
        domain.accept_self_grade(quiz, position, grade, answered=mine is not None and mine.content is not None,
                                 graded=mine is not None and mine.self_grade is not None, now=now)
        question = self._question(item)
        await self.quizzes.set_self_grade(item.id, user_id, grade)
        award = Award(user_id, self.rules.self_grade, domain.QUIZ_SELF_GRADE)
        await self.points.award(self._entry(quiz, item, question, award, await self._day(quiz, now)))
        return quiz, question, award

    # -- what to post --------------------------------------------------------------------------------------------
    async def outbox(self, quiz_id: int) -> list[Post]:
        """What of this quiz is not posted yet, in the order to post it: reveals, the open question, results."""
        async with transaction(self.conn):  # it may record a question gone from the bank as given up
            return await self._outbox(quiz_id)

    async def _outbox(self, quiz_id: int) -> list[Post]:
        quiz = await self.quizzes.get(quiz_id)
        if quiz is None:
            return []
        posted = await self.quizzes.messages(quiz_id)
        posts: list[Post] = []
        for item in quiz.items:
            question = self.bank.get(item.question_id)
            if item.closed_at is not None and posted.reveal.get(item.position) is None:
                if question is None:
                    await self.quizzes.set_reveal_message(item.id, 0)
                    continue
                posts.append(await self._reveal(quiz, item, question, posted.question.get(item.position)))
            elif item.is_open and posted.question.get(item.position) is None:
                if question is None:
                    await self.quizzes.set_question_message(item.id, 0)
                    continue
                posts.append(QuestionPost(quiz, item, question))
        if not quiz.active and posted.summary is None:
            posts.append(await self._summary(quiz))
        return posts

    async def unposted(self) -> list[int]:
        return await self.quizzes.with_unposted()

    async def _reveal(self, quiz: Quiz, item: Item, question: Question, message_id: int | None) -> RevealPost:
        answers = await self.quizzes.answers(item.id)
        if item.kind == "choice" and question.choices is not None:
            counts = [0] * len(question.choices.options)
            for answer in answers:
                if answer.choice is not None and 0 <= answer.choice < len(counts):
                    counts[answer.choice] += 1
            awards = domain.choice_awards(self.rules, item, question, [
                ChoiceAnswer(a.user_id, a.choice, a.answered_at) for a in answers if a.choice is not None])
            return RevealPost(quiz, item, question, answers, counts, domain.correct_option(item, question),
                              awards=awards, question_message_id=message_id)
        covered = {a.user_id: Coverage(a.coverage or (), len(question.key_points)) for a in answers}
        awards = domain.open_awards(self.rules, [OpenAnswer(user, result.ratio) for user, result in covered.items()])
        return RevealPost(quiz, item, question, answers, coverage=covered, awards=awards,
                          question_message_id=message_id)

    async def item_results(self, quiz: Quiz) -> list[ItemResult]:
        results = []
        for item in quiz.items:
            question = self.bank.get(item.question_id)
            if item.closed_at is None or question is None:
                continue
            answers = await self.quizzes.answers(item.id)
            if item.kind == "choice":
                picks = [ChoiceAnswer(a.user_id, a.choice, a.answered_at) for a in answers if a.choice is not None]
                right = domain.correct_option(item, question)
                awards = domain.choice_awards(self.rules, item, question, picks)
                missed = tuple(p.user_id for p in picks if p.option != right)
            else:
                total = len(question.key_points)
                opens = [OpenAnswer(a.user_id, Coverage(a.coverage or (), total).ratio, a.self_grade)
                         for a in answers]
                awards = domain.open_awards(self.rules, opens)
                missed = tuple(o.user_id for o in opens if domain.missed_open(o))
            results.append(ItemResult(item.position, item.question_id, tuple(awards),
                                      tuple(a.user_id for a in answers), missed))
        return results

    async def _summary(self, quiz: Quiz) -> SummaryPost:
        questions = {item.position: q for item in quiz.items if (q := self.bank.get(item.question_id)) is not None}
        return SummaryPost(quiz, domain.summarize(await self.item_results(quiz)), questions)

    async def confirm_question(self, item_id: int, message_id: int) -> None:
        async with transaction(self.conn):
            await self.quizzes.set_question_message(item_id, message_id)

    async def confirm_reveal(self, item_id: int, message_id: int) -> None:
        async with transaction(self.conn):
            await self.quizzes.set_reveal_message(item_id, message_id)

    async def confirm_summary(self, quiz_id: int, message_id: int) -> None:
        async with transaction(self.conn):
            await self.quizzes.set_summary_message(quiz_id, message_id)
