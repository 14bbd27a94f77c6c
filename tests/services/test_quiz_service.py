"""Quiz and practice use cases over a real SQLite file: answers stored at once, points at the close, restarts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from answers import strong_answer

from bot.domain import quiz as rules
from bot.domain.errors import DomainError
from bot.domain.practice import CardDoneError, NotYourRunError
from bot.domain.quiz import AlreadyAnsweredError, QuestionClosedError, QuizRunningError
from bot.services.grades import GradeEvent, GradeFeed
from bot.services.practice import PracticeService
from bot.services.quiz import QuestionPost, QuizService, RevealPost, SummaryPost
from bot.storage.database import transaction
from bot.storage.engines import open_url
from bot.storage.migrations import migrate

ROOT = Path(__file__).parents[2]
GUILD, CHANNEL, OTHER_CHANNEL = 100, 200, 201
STARTER, ALICE, BOB = 1, 2, 3
T0 = datetime(2030, 3, 1, 12, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


async def open_service(path: str, bank, feed: GradeFeed) -> QuizService:
    conn = await open_url(path)
    await migrate(conn, ROOT / "migrations")
    return QuizService(conn, bank, feed)


@pytest.fixture
def events() -> list[GradeEvent]:
    return []


@pytest.fixture
def feed(events: list[GradeEvent]) -> GradeFeed:
    feed = GradeFeed()

    async def listen(event: GradeEvent) -> None:
        events.append(event)

    feed.subscribe(listen)
    return feed


@pytest.fixture
async def service(database_url: str, shipped_bank, feed: GradeFeed) -> AsyncIterator[QuizService]:
    svc = await open_service(database_url, shipped_bank, feed)
    yield svc
    await svc.conn.close()


async def start(service: QuizService, kind: str = "choice", count: int = 2, channel: int = CHANNEL,
                seconds: int | None = 30):
    return await service.start(guild_id=GUILD, channel_id=channel, starter_id=STARTER, language="en",
                               topic_id="rag", kind=kind, count=count, seconds=seconds, now=T0, seed="fixed")


async def post_all(service: QuizService, quiz_id: int, first_id: int = 9000) -> list:
    """Pretend to post every unposted message, as the runner does."""
    posts = await service.outbox(quiz_id)
    for offset, post in enumerate(posts):
        if isinstance(post, QuestionPost):
            await service.confirm_question(post.item.id, first_id + offset)
        elif isinstance(post, RevealPost):
            await service.confirm_reveal(post.item.id, first_id + offset)
        else:
            await service.confirm_summary(post.quiz.id, first_id + offset)
    return posts


def right_and_wrong(service: QuizService, quiz, position: int) -> tuple[int, int]:
    item = quiz.items[position]
    right = rules.correct_option(item, service.bank.get(item.question_id))
    return right, (right + 1) % 4


async def test_a_choice_quiz_from_start_to_results(service: QuizService, events: list[GradeEvent]) -> None:
    quiz = await start(service)
    assert quiz.status == rules.RUNNING and quiz.current.position == 0 and quiz.current.closes_at == at(30)
    with pytest.raises(QuizRunningError):
        await start(service)
    other = await start(service, channel=OTHER_CHANNEL)  # another channel may run its own
    assert other.id != quiz.id
    (question_post,) = await post_all(service, quiz.id)
    assert isinstance(question_post, QuestionPost) and question_post.item.position == 0
    assert await service.outbox(quiz.id) == []

    right, wrong = right_and_wrong(service, quiz, 0)
    await service.answer_choice(quiz.id, 0, ALICE, right, at(3))
    with pytest.raises(AlreadyAnsweredError):
        await service.answer_choice(quiz.id, 0, ALICE, wrong, at(4))
    await service.answer_choice(quiz.id, 0, BOB, wrong, at(10))
    with pytest.raises(QuestionClosedError):
        await service.answer_choice(quiz.id, 0, STARTER, right, at(30))  # late, though no tick ran yet
    assert [(e.user_id, e.correct, e.source) for e in events] == [(ALICE, True, "quiz"), (BOB, False, "quiz")]

    assert await service.tick(at(29)) == []
    assert set(await service.tick(at(31))) == {quiz.id, other.id}
    reveal, second = await post_all(service, quiz.id)
    assert isinstance(reveal, RevealPost) and reveal.correct == right and sum(reveal.counts) == 2
    assert reveal.counts[right] == 1 and reveal.counts[wrong] == 1 and reveal.question_message_id == 9000
    assert isinstance(second, QuestionPost) and second.item.position == 1 and second.item.closes_at == at(61)
    assert dict(await service.points.entries_for(GUILD, ALICE)) == {"quiz_correct": 10, "quiz_speed": 4}
    assert await service.points.entries_for(GUILD, BOB) == []

    await service.tick(at(61))
    reveal2, results = await post_all(service, quiz.id)
    assert isinstance(reveal2, RevealPost) and isinstance(results, SummaryPost)
    assert results.quiz.status == rules.FINISHED
    assert [(s.user_id, s.points) for s in results.summary.standings] == [(ALICE, 14), (BOB, 0)]
    assert [r.position for r in results.summary.most_missed] == [0]
    assert await service.outbox(quiz.id) == [] and await service.deadlines() == []  # both quizzes are over
    await start(service)  # the channel is free again


async def test_an_open_quiz_takes_edits_scores_coverage_and_self_grades(
    service: QuizService, events: list[GradeEvent],
) -> None:
    quiz = await start(service, kind="open", count=1, seconds=60)
    question = service.bank.get(quiz.items[0].question_id)
    with pytest.raises(DomainError, match=r"quiz\.answer_empty"):
        await service.answer_open(quiz.id, 0, ALICE, "   ", at(1))
    assert (await service.answer_open(quiz.id, 0, ALICE, "初稿", at(2))).created
    full = strong_answer(question)
    assert not (await service.answer_open(quiz.id, 0, ALICE, full, at(3))).created
    assert await service.open_answer(quiz.id, 0, ALICE, at(4)) == full
    await service.answer_open(quiz.id, 0, BOB, "不知道", at(5))
    with pytest.raises(rules.NotClosedError):
        await service.self_grade(quiz.id, 0, ALICE, "got", at(6))
    assert events == []  # the review deck hears of open answers only once the question closed

    await service.tick(at(60))
    (reveal,) = await post_all(service, quiz.id)
    assert reveal.coverage[ALICE].ratio == 1.0 and reveal.coverage[BOB].covered == ()
    assert (await service.quizzes.get(quiz.id)).status == rules.GRADING
    assert await service.self_grade(quiz.id, 0, ALICE, "got", at(70)) == 1
    with pytest.raises(rules.AlreadyGradedError):
        await service.self_grade(quiz.id, 0, ALICE, "partly", at(71))
    with pytest.raises(rules.NotAnsweredError):
        await service.self_grade(quiz.id, 0, STARTER, "got", at(71))
    await service.self_grade(quiz.id, 0, BOB, "missed", at(72))
    assert dict(await service.points.entries_for(GUILD, ALICE)) == {"quiz_coverage": 10, "quiz_self_grade": 1}

    await service.tick(at(120))
    (summary,) = await post_all(service, quiz.id)
    assert [(s.user_id, s.points, s.right) for s in summary.summary.standings] == [(ALICE, 11, 1), (BOB, 1, 0)]
    with pytest.raises(rules.GradingOverError):
        await service.self_grade(quiz.id, 0, BOB, "got", at(121))
    assert [(e.user_id, e.grade) for e in events] == [(ALICE, None), (BOB, None), (ALICE, "got"), (BOB, "missed")]


async def test_stop_is_for_the_starter_or_a_manager(service: QuizService) -> None:
    quiz = await start(service)
    await post_all(service, quiz.id)
    with pytest.raises(rules.NotYourQuizError):
        await service.stop(CHANNEL, ALICE, can_manage=False, now=at(5))
    stopped = await service.stop(CHANNEL, STARTER, can_manage=False, now=at(5))
    assert stopped.status == rules.STOPPED and stopped.stopped_by == STARTER
    reveal, summary = await post_all(service, quiz.id)
    assert isinstance(reveal, RevealPost) and isinstance(summary, SummaryPost)
    assert summary.quiz.items[1].opened_at is None
    with pytest.raises(rules.NoQuizError):
        await service.stop(CHANNEL, STARTER, can_manage=True, now=at(6))


async def test_a_restart_keeps_every_answer_and_resumes_or_ends(database_url: str, shipped_bank, feed) -> None:
    path = database_url
    first = await open_service(path, shipped_bank, feed)
    quiz = await start(first, count=3)
    await post_all(first, quiz.id)
    right, _ = right_and_wrong(first, quiz, 0)
    await first.answer_choice(quiz.id, 0, ALICE, right, at(1))
    await first.conn.close()

    again = await open_service(path, shipped_bank, feed)
    await again.answer_choice(quiz.id, 0, BOB, right, at(20))  # the old message's button, after the restart
    assert await again.deadlines() == [(quiz.id, at(30))]
    await again.tick(at(31))
    reveal, _question = await post_all(again, quiz.id)
    assert sum(reveal.counts) == 2
    await again.conn.close()

    # Down for an hour: the open question closes with what was answered, and the quiz ends there.
    late = await open_service(path, shipped_bank, feed)
    second = (await late.quizzes.get(quiz.id)).items[1]
    await late.answer_choice(quiz.id, 1, ALICE, rules.correct_option(second, shipped_bank.get(second.question_id)),
                             at(35))
    await late.tick(at(3600))
    reveal, summary = await post_all(late, quiz.id)
    assert isinstance(summary, SummaryPost) and summary.quiz.status == rules.ABANDONED
    assert (await late.quizzes.get(quiz.id)).items[2].opened_at is None
    assert [(s.user_id, s.right) for s in summary.summary.standings] == [(ALICE, 2), (BOB, 1)]
    await late.conn.close()


async def test_quiz_points_land_on_the_guild_local_day(service: QuizService) -> None:
    await service.conn.execute(  # the zone the admins chose (/qotd timezone)
        "INSERT INTO guild_settings (guild_id, timezone, timezone_chosen) VALUES (?, 'Asia/Shanghai', 1)", (GUILD,))
    quiz = await service.start(guild_id=GUILD, channel_id=CHANNEL, starter_id=STARTER, language="en",
                               topic_id="rag", kind="choice", count=1, seconds=30,
                               now=datetime(2030, 3, 1, 23, 0, tzinfo=UTC), seed="x")
    right, _ = right_and_wrong(service, quiz, 0)
    await service.answer_choice(quiz.id, 0, ALICE, right, datetime(2030, 3, 1, 23, 0, 5, tzinfo=UTC))
    await service.tick(datetime(2030, 3, 1, 23, 1, tzinfo=UTC))
    rows = await service.conn.execute_fetchall("SELECT DISTINCT local_date, source_type FROM points_ledger")
    assert [tuple(row) for row in rows] == [("2030-03-02", "quiz")]


async def test_bad_settings_are_refused_before_anything_is_stored(service: QuizService) -> None:
    for kwargs, key in (({"topic_id": "nope"}, "quiz.unknown_topic"), ({"count": 21}, "quiz.bad_count"),
                        ({"seconds": 5}, "quiz.bad_seconds"), ({"kind": "essay"}, "quiz.bad_kind")):
        values = {"guild_id": GUILD, "channel_id": CHANNEL, "starter_id": STARTER, "language": "en",
                  "topic_id": "rag", "kind": "choice", "count": 2, "seconds": 30, "now": T0} | kwargs
        with pytest.raises(DomainError) as refused:
            await service.start(**values)
        assert refused.value.key == key
    assert await service.quizzes.active() == []


async def test_practice_runs_privately_and_publishes_its_grades(service: QuizService, events) -> None:
    practice = PracticeService(service.conn, service.bank, service.grades)
    card = await practice.start(guild_id=GUILD, user_id=ALICE, topic_id="rag", count=2, now=T0, seed="s",
                                scope=[GUILD])
    assert card.run.position == 0 and card.question is not None and len(card.run.question_ids) == 2
    with pytest.raises(NotYourRunError):
        await practice.show(card.run.id, 0, BOB, at(1), scope=[GUILD])
    await practice.show(card.run.id, 0, ALICE, at(1), scope=[GUILD])
    following = await practice.grade(card.run.id, 0, ALICE, "got", at(2))
    assert following.run.position == 1 and following.question.id == card.run.question_ids[1]
    with pytest.raises(CardDoneError):
        await practice.grade(card.run.id, 0, ALICE, "missed", at(3))
    await practice.show(card.run.id, 1, ALICE, at(3), scope=[GUILD])
    done = await practice.grade(card.run.id, 1, ALICE, "partly", at(4))
    assert done.question is None and done.run.grades == ("got", "partly")
    assert [(e.question_id, e.grade) for e in events] == [(card.run.question_ids[0], "got"),
                                                          (card.run.question_ids[1], "partly")]
    assert await service.points.entries_for(GUILD, ALICE) == []  # practice earns no points


async def test_practice_outside_the_bots_servers_belongs_to_no_server(service: QuizService, events) -> None:
    """A DM, a private channel, a server without the bot: the run is no server's, nor are its grades."""
    from bot.services.quiz_data import QuizMemberData

    practice = PracticeService(service.conn, service.bank, service.grades)
    card = await practice.start(guild_id=None, user_id=ALICE, topic_id="rag", count=1, now=T0, scope=[GUILD])
    await practice.show(card.run.id, 0, ALICE, at(1), scope=[GUILD])
    await practice.grade(card.run.id, 0, ALICE, "missed", at(2))
    assert [(e.guild_id, e.grade) for e in events] == [(None, "missed")]
    assert (await QuizMemberData(service.conn).export(GUILD, ALICE))["practice_runs"] == []  # not this server's


async def test_a_members_quiz_data_is_exported_and_deleted_on_request(service: QuizService) -> None:
    from bot.services.privacy import MemberDataSource
    from bot.services.quiz_data import QuizMemberData

    quiz = await start(service, count=1)
    right, _ = right_and_wrong(service, quiz, 0)
    await service.answer_choice(quiz.id, 0, ALICE, right, at(1))
    await service.answer_choice(quiz.id, 0, BOB, right, at(2))
    await service.stop(CHANNEL, ALICE, can_manage=True, now=at(3))
    practice = PracticeService(service.conn, service.bank, service.grades)
    await practice.start(guild_id=GUILD, user_id=ALICE, topic_id=None, count=1, now=T0, scope=[GUILD])
    data = QuizMemberData(service.conn)
    assert isinstance(data, MemberDataSource)

    exported = await data.export(GUILD, ALICE)
    assert [(a["question_id"], a["option"]) for a in exported["answers"]] == [(quiz.items[0].question_id, right)]
    assert len(exported["practice_runs"]) == 1 and await data.export(GUILD + 1, ALICE) == {
        "answers": [], "practice_runs": []}
    async with transaction(service.conn):
        assert await data.delete(GUILD, ALICE) == 3  # her answer, her name as the stopper, her practice run
    assert await data.export(GUILD, ALICE) == {"answers": [], "practice_runs": []}
    assert len(await service.quizzes.answers(quiz.items[0].id)) == 1  # Bob's stays
    assert (await service.quizzes.get(quiz.id)).stopped_by == 0
