"""The daily question's use cases over a real SQLite file: posting, answers, reveal, points, restarts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from answers import one_point_answer, strong_answer

from bot.domain.answers import MAX_ANSWER_LENGTH
from bot.domain.errors import DomainError
from bot.services.qotd import AnswerOutcome, QotdService
from bot.storage.engines import open_url
from bot.storage.migrations import migrate
from bot.storage.schedules import ScheduleInput

ROOT = Path(__file__).parents[2]
GUILD, CHANNEL = 100, 200
ALICE, BOB, CAROL, DAVE = 1, 2, 3, 4


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def db_path(database_url: str) -> str:
    """A migrated database on each engine (tests/conftest.py), by URL: a test may reopen it."""
    return database_url


async def open_service(url: str, bank) -> QotdService:
    conn = await open_url(url)
    await migrate(conn, ROOT / "migrations")
    return QotdService(conn, bank)


@pytest.fixture
async def service(db_path: str, shipped_bank) -> AsyncIterator[QotdService]:
    svc = await open_service(db_path, shipped_bank)
    yield svc
    await svc.conn.close()


def shanghai(**overrides) -> ScheduleInput:
    values = {"guild_id": GUILD, "channel_id": CHANNEL, "post_time": time(9, 0), "timezone": "Asia/Shanghai",
              "reveal_time": time(21, 0), "reveal_after_minutes": None, "topics": frozenset(), "min_difficulty": 1,
              "max_difficulty": 3, "ping_role_id": None, "language": "zh", "created_by": ALICE}
    values.update(overrides)
    return ScheduleInput(**values)


async def post_due(service: QotdService, now: datetime, message_id: int = 5000):
    plans = await service.due_posts(now)
    for offset, plan in enumerate(plans):
        await service.confirm_posted(plan.post.id, message_id + offset, now)
    return plans


async def test_a_full_day_posts_once_takes_answers_and_reveals_with_points(service: QotdService) -> None:
    await service.configure(shanghai())
    assert await service.due_posts(at("2026-11-30T00:59:00")) == []  # 08:59 in Shanghai
    (plan,) = await post_due(service, at("2026-11-30T01:00:05"))
    assert plan.post.local_date == "2026-11-30" and plan.post.reveal_due_at == at("2026-11-30T13:00:00")
    assert await service.due_posts(at("2026-11-30T01:01:00")) == []  # never a second post that day

    post_id = plan.post.id
    question = plan.question
    good = strong_answer(question)
    first = await service.submit_answer(post_id, ALICE, good, at("2026-11-30T02:00:00"))
    assert first.created and not first.late and first.coverage is None  # nothing shown before the reveal
    edited = await service.submit_answer(post_id, ALICE, good + " 补充", at("2026-11-30T03:00:00"))
    assert not edited.created and edited.answer.edits == 1
    await service.submit_answer(post_id, BOB, "不知道", at("2026-11-30T04:00:00"))
    await service.reaction(5000, BOB, "🔴", added=True)
    await service.reaction(5000, CAROL, "🟢", added=True)
    await service.reaction(5000, CAROL, "🟢", added=False)

    assert await service.due_reveals(at("2026-11-30T12:59:00")) == []
    (reveal,) = await service.due_reveals(at("2026-11-30T13:00:00"))
    by_user = {m.answer.user_id: m for m in reveal.members}
    assert by_user[ALICE].coverage.ratio == 1.0 and by_user[BOB].coverage.covered == ()
    assert by_user[ALICE].points == 20 and by_user[BOB].points == 10
    assert dict(reveal.reactions) == {"🔴": 1}
    assert [(s.user_id, s.points) for s, _ in reveal.standings] == [(ALICE, 20), (BOB, 10)]
    # Preparing again (a crash before the reveal was sent) awards nothing twice.
    again = await service.prepare_reveal(post_id)
    assert again is not None and [(s.user_id, s.points) for s, _ in again.standings] == [(ALICE, 20), (BOB, 10)]
    assert await service.record_reveal_message([by_user[ALICE].answer.id, by_user[BOB].answer.id], 7001) == set()
    await service.finish_reveal(post_id, 6000, at("2026-11-30T13:00:01"))
    assert await service.due_reveals(at("2026-11-30T14:00:00")) == []

    # Peer votes: bob and carol up-vote alice (a press again changes nothing); alice cannot vote for herself;
    # taking a vote back takes its points back. A 👍 reaction is not a vote (votes are buttons).
    alice_answer = by_user[ALICE].answer.id
    assert (await service.vote(alice_answer, BOB)).changed
    assert (await service.vote(alice_answer, CAROL)).votes == 2
    again = await service.vote(alice_answer, CAROL)
    assert not again.changed and again.votes == 2
    with pytest.raises(DomainError) as own:
        await service.vote(alice_answer, ALICE)
    assert own.value.key == "vote.own"
    await service.reaction(7001, DAVE, "👍", added=True)
    assert await service.points.entries_for(GUILD, ALICE) == [
        ("answer_on_time", 10), ("coverage", 10), ("peer_votes", 4)]
    removed = await service.vote(alice_answer, CAROL, add=False)
    assert removed.changed and removed.votes == 1
    assert not (await service.vote(alice_answer, CAROL, add=False)).changed
    assert ("peer_votes", 2) in await service.points.entries_for(GUILD, ALICE)
    with pytest.raises(DomainError) as gone:
        await service.vote(999_999, BOB)
    assert gone.value.key == "vote.gone"

    graded = await service.self_grade(post_id, BOB, "missed", at("2026-11-30T14:00"))
    assert graded.self_grade == "missed"
    with pytest.raises(DomainError) as no_answer:
        await service.self_grade(post_id, CAROL, "got", at("2026-11-30T14:00"))
    assert no_answer.value.key == "grade.no_answer"

    # After the reveal: a first answer is accepted late with coverage shown; an answer given on time is locked.
    late = await service.submit_answer(post_id, CAROL, one_point_answer(question), at("2026-11-30T15:00"))
    assert late.late and late.coverage is not None and late.coverage.covered == (0,)
    assert ("late_answer", 3) in await service.points.entries_for(GUILD, CAROL)
    with pytest.raises(DomainError) as locked:
        await service.submit_answer(post_id, ALICE, "new text", at("2026-11-30T15:00"))
    assert locked.value.key == "answer.locked"


async def test_streaks_count_consecutive_local_days(service: QotdService) -> None:
    await service.configure(shanghai(reveal_time=None, reveal_after_minutes=60))
    for day, message in (("2026-11-30", 1), ("2026-12-01", 2), ("2026-12-02", 3)):
        (plan,) = await post_due(service, at(f"{day}T01:00:00"), message)
        await service.submit_answer(plan.post.id, ALICE, "answer", at(f"{day}T01:10:00"))
        (reveal,) = await service.due_reveals(at(f"{day}T02:00:00"))
        await service.finish_reveal(plan.post.id, None, at(f"{day}T02:00:00"))
    assert reveal.members[0].streak == 3
    assert ("streak_bonus", 3) in await service.points.entries_for(GUILD, ALICE)
    assert (await service.points.streak(GUILD, ALICE)).best == 3


async def test_answers_survive_a_restart_and_no_day_posts_twice(db_path: str, shipped_bank) -> None:
    first = await open_service(db_path, shipped_bank)
    await first.configure(shanghai())
    (plan,) = await post_due(first, at("2026-11-30T01:00:00"))
    await first.submit_answer(plan.post.id, ALICE, "我的答案", at("2026-11-30T02:00:00"))
    await first.conn.close()

    second = await open_service(db_path, shipped_bank)
    try:
        assert await second.due_posts(at("2026-11-30T02:00:01")) == []
        mine = await second.my_answer(plan.post.id, ALICE)
        assert mine is not None and mine.content == "我的答案"
        (reveal,) = await second.due_reveals(at("2026-11-30T13:30:00"))  # overdue after downtime: reveal now
        assert [m.answer.content for m in reveal.members] == ["我的答案"]
    finally:
        await second.conn.close()


async def test_a_claimed_but_unsent_post_is_retried_then_given_up_after_its_window(service: QotdService) -> None:
    await service.configure(shanghai())
    (plan,) = await service.due_posts(at("2026-11-30T01:00:00"))  # claimed; the send never confirmed
    (retry,) = await service.due_posts(at("2026-11-30T01:01:00"))
    assert retry.post.id == plan.post.id
    assert await service.due_posts(at("2026-11-30T13:00:00")) == []  # past the reveal: given up, not posted
    assert (await service.posts.get(plan.post.id)).status == "failed"


async def test_down_all_day_posts_nothing_old_and_today_goes_on(service: QotdService) -> None:
    await service.configure(shanghai())
    assert await service.due_posts(at("2026-11-30T14:00:00")) == []  # 22:00: the whole window was missed
    (plan,) = await service.due_posts(at("2026-12-01T01:30:00"))
    assert plan.post.local_date == "2026-12-01"


async def test_no_repeats_until_the_filtered_pool_is_used_up(service: QotdService, shipped_bank) -> None:
    await service.configure(shanghai(topics=frozenset({"open"}), reveal_time=None, reveal_after_minutes=60))
    pool = {q.id for q in shipped_bank.in_topic("open")}
    asked = []
    for index in range(len(pool) + 1):
        day = f"2026-12-{index + 1:02d}"
        (plan,) = await post_due(service, at(f"{day}T01:00:00"), 100 + index)
        asked.append((plan.question.id, plan.post.cycle))
    assert {q for q, cycle in asked[:-1]} == pool and all(c == 1 for _, c in asked[:-1])
    assert asked[-1][1] == 2 and asked[-1][0] != asked[-2][0]


async def test_now_and_skip(service: QotdService) -> None:
    await service.configure(shanghai())
    plan = await service.post_now(CHANNEL, at("2026-11-30T00:30:00"))  # 08:30, before the post time
    await service.confirm_posted(plan.post.id, 9000, at("2026-11-30T00:30:00"))
    with pytest.raises(DomainError, match=r"qotd\.already_posted"):
        await service.post_now(CHANNEL, at("2026-11-30T00:31:00"))
    assert await service.due_posts(at("2026-11-30T01:00:00")) == []  # the scheduled post does not double it
    replaced = await service.skip(CHANNEL, at("2026-11-30T00:40:00"))
    assert replaced.post.id == plan.post.id and replaced.question.id != plan.question.id
    await service.submit_answer(plan.post.id, ALICE, "x", at("2026-11-30T00:45:00"))
    with pytest.raises(DomainError, match=r"qotd\.skip_has_answers"):
        await service.skip(CHANNEL, at("2026-11-30T00:50:00"))


@pytest.mark.parametrize(("text", "key"), [("   ", "answer.empty"), ("x" * (MAX_ANSWER_LENGTH + 1), "answer.too_long")])
async def test_bad_answers_are_refused_and_store_nothing(service: QotdService, text: str, key: str) -> None:
    await service.configure(shanghai())
    (plan,) = await post_due(service, at("2026-11-30T01:00:00"))
    with pytest.raises(DomainError) as refused:
        await service.submit_answer(plan.post.id, ALICE, text, at("2026-11-30T02:00:00"))
    assert refused.value.key == key
    assert await service.my_answer(plan.post.id, ALICE) is None


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        ({"timezone": "Mars/Olympus"}, "qotd.bad_schedule"),
        ({"topics": frozenset({"nope"})}, "qotd.unknown_topics"),
        ({"min_difficulty": 3, "max_difficulty": 1}, "qotd.bad_difficulty"),
    ],
)
async def test_bad_settings_are_named(service: QotdService, overrides: dict, key: str) -> None:
    with pytest.raises(DomainError) as refused:
        await service.configure(shanghai(**overrides))
    assert refused.value.key == key


async def test_answers_and_self_grades_are_published_for_review(service: QotdService) -> None:
    events = []

    async def listen(event) -> None:
        events.append((event.user_id, event.question_id, event.grade, event.source))

    async def broken(_event) -> None:
        raise RuntimeError("a failing subscriber must not break answering")

    service.grades.subscribe(broken)
    service.grades.subscribe(listen)
    await service.configure(shanghai())
    (plan,) = await post_due(service, at("2026-11-30T01:00:00"))
    await service.submit_answer(plan.post.id, ALICE, "答案", at("2026-11-30T02:00:00"))
    await service.submit_answer(plan.post.id, ALICE, "改过的答案", at("2026-11-30T03:00:00"))  # an edit: no event
    assert events == []  # a review card would show the reference answer: the deck learns of it at the reveal
    await service.due_reveals(at("2026-11-30T13:00:00"))
    await service.finish_reveal(plan.post.id, None, at("2026-11-30T13:00:00"))
    await service.self_grade(plan.post.id, ALICE, "partly", at("2026-11-30T14:00:00"))
    question = plan.question.id
    assert events == [(ALICE, question, None, "qotd"), (ALICE, question, "partly", "qotd")]  # the first at the reveal


async def test_answers_are_closed_by_the_scoring_transaction_and_reopen_as_late_after_the_reveal(
    service: QotdService,
) -> None:
    await service.configure(shanghai())
    (plan,) = await post_due(service, at("2026-11-30T01:00:00"))
    await service.submit_answer(plan.post.id, ALICE, "准时的答案", at("2026-11-30T12:00:00"))
    # Past the reveal instant but before the reveal has scored the day: still on time, and in the reveal.
    await service.submit_answer(plan.post.id, CAROL, "踩点交的答案", at("2026-11-30T13:00:00.500"))
    (reveal,) = await service.due_reveals(at("2026-11-30T13:00:01"))
    assert sorted(m.answer.user_id for m in reveal.members) == sorted([ALICE, CAROL])
    # Scored, not yet sent: refused (the caller hands the text back), whatever time the caller read.
    for user, text in ((ALICE, "揭晓时偷偷改"), (BOB, "揭晓时才交")):
        with pytest.raises(DomainError) as refused:
            await service.submit_answer(plan.post.id, user, text, at("2026-11-30T12:59:59"))
        assert refused.value.key == "answer.revealing"
    assert (await service.my_answer(plan.post.id, ALICE)).content == "准时的答案"
    assert await service.my_answer(plan.post.id, BOB) is None
    await service.finish_reveal(plan.post.id, None, at("2026-11-30T13:00:05"))
    late = await service.submit_answer(plan.post.id, BOB, "揭晓后才交", at("2026-11-30T13:01:00"))
    assert late.late


async def test_an_answer_racing_the_reveal_is_either_in_it_or_refused_never_saved_and_missing(
    service: QotdService,
) -> None:
    """The member's form read the time before the reveal; the answer transaction and the scoring transaction
    race. Whatever the order, an answer the member is told is saved is in the reveal."""
    await service.configure(shanghai())
    (plan,) = await post_due(service, at("2026-11-30T01:00:00"))
    users = list(range(100, 140))
    early = at("2026-11-30T12:59:59")
    results = await asyncio.gather(
        *(service.submit_answer(plan.post.id, user, f"答案 {user}", early) for user in users[:20]),
        service.due_reveals(at("2026-11-30T13:00:00")),
        *(service.submit_answer(plan.post.id, user, f"答案 {user}", early) for user in users[20:]),
        return_exceptions=True,
    )
    reveals = [r for r in results if isinstance(r, list)]
    (reveal,) = reveals[0]
    saved = {r.answer.user_id for r in results if isinstance(r, AnswerOutcome)}
    refused = [r for r in results if isinstance(r, DomainError)]
    assert all(r.key == "answer.revealing" for r in refused)
    assert saved and len(saved) + len(refused) == len(users)
    assert {m.answer.user_id for m in reveal.members} == saved
async def test_an_answer_to_a_replaced_question_is_not_filed_under_the_new_one(service: QotdService) -> None:
    await service.configure(shanghai())
    (plan,) = await post_due(service, at("2026-11-30T01:00:00"))
    shown = plan.question.id
    await service.skip(CHANNEL, at("2026-11-30T01:05:00"))
    with pytest.raises(DomainError) as refused:
        await service.submit_answer(plan.post.id, ALICE, "旧题的答案", at("2026-11-30T01:10:00"), question_id=shown)
    assert refused.value.key == "answer.question_changed"
    assert await service.my_answer(plan.post.id, ALICE) is None


async def test_a_schedule_without_questions_never_stops_the_others(service: QotdService) -> None:
    await service.configure(shanghai())
    await service.configure(shanghai(channel_id=CHANNEL + 1, guild_id=GUILD + 1))
    await service.conn.execute("UPDATE schedules SET topics = '[\"gone\"]' WHERE channel_id = ?", (CHANNEL,))
    plans = await service.due_posts(at("2026-11-30T01:00:00"))
    assert [p.post.channel_id for p in plans] == [CHANNEL + 1]
    ((schedule, day, error),) = service.problems
    assert (schedule.channel_id, day.isoformat()) == (CHANNEL, "2026-11-30")
    assert error.key == "qotd.no_eligible_questions"


async def test_a_late_answer_earns_no_self_grade_point(service: QotdService) -> None:
    await service.configure(shanghai())
    (plan,) = await post_due(service, at("2026-11-30T01:00:00"))
    await service.due_reveals(at("2026-11-30T13:00:00"))
    await service.finish_reveal(plan.post.id, None, at("2026-11-30T13:00:00"))
    await service.submit_answer(plan.post.id, CAROL, "补答", at("2026-11-30T14:00:00"))
    graded = await service.self_grade(plan.post.id, CAROL, "got", at("2026-11-30T14:05:00"))
    assert graded.self_grade == "got"
    assert await service.points.entries_for(GUILD, CAROL) == [("late_answer", 3)]


async def test_a_post_discord_shows_before_the_bot_recorded_it_takes_answers(service: QotdService) -> None:
    await service.configure(shanghai())
    (plan,) = await service.due_posts(at("2026-11-30T01:00:05"))  # claimed and being sent: still pending
    outcome = await service.submit_answer(plan.post.id, ALICE, "答案", at("2026-11-30T01:00:06"))
    assert outcome.created and not outcome.late
    await service.confirm_posted(plan.post.id, 5000, at("2026-11-30T01:00:07"))
    assert (await service.my_answer(plan.post.id, ALICE)).content == "答案"
