"""Personal review's use cases over a real SQLite file: decks from grade events, sessions, stats, reminders."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from fsrs import Card, Rating, Scheduler

from bot.domain.errors import DomainError
from bot.domain.review import CardState
from bot.services.grades import GradeEvent, GradeFeed
from bot.services.review import ReviewService, SessionCard, SessionSummary
from bot.services.review_data import ReviewMemberData
from bot.storage.database import transaction
from bot.storage.engines import open_url
from bot.storage.migrations import migrate

ROOT = Path(__file__).parents[2]
GUILD, OTHER_GUILD = 100, 300
ALICE, BOB = 1, 2
LIBRARY = Scheduler(enable_fuzzing=False)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def open_service(path: str, bank) -> ReviewService:
    conn = await open_url(path)
    await migrate(conn, ROOT / "migrations")
    return ReviewService(conn, bank)


@pytest.fixture
async def service(database_url: str, shipped_bank) -> AsyncIterator[ReviewService]:
    svc = await open_service(database_url, shipped_bank)
    yield svc
    await svc.conn.close()


def ids(bank, count: int, topic: str = "lora") -> list[str]:
    return [q.id for q in bank.in_topic(topic)][:count]


async def set_guild_zone(service: ReviewService, guild_id: int, zone: str) -> None:
    await service.conn.execute("INSERT INTO guild_settings (guild_id, timezone, timezone_chosen) VALUES (?, ?, 1)",
                               (guild_id, zone))


async def test_grade_events_fill_the_deck_and_rate_it_through_the_feed(service: ReviewService, shipped_bank) -> None:
    feed = GradeFeed()
    feed.subscribe(service.on_grade)
    q1, q2, q3 = ids(shipped_bank, 3)
    answered = at("2026-11-30T02:00:00")
    await feed.publish(GradeEvent(GUILD, ALICE, q1, "qotd", answered))
    (card,) = await service.cards.deck(ALICE)
    assert card.question_id == q1 and card.origin == "qotd" and card.card.is_new and card.card.due == answered
    assert await service.cards.ratings_of(card.id) == []

    graded = at("2026-11-30T13:10:00")
    await feed.publish(GradeEvent(GUILD, ALICE, q1, "qotd", graded, grade="partly"))
    expected, _ = LIBRARY.review_card(Card(card_id=card.id, due=answered), Rating.Hard, review_datetime=graded)
    stored = await service.cards.card(ALICE, q1)
    assert stored is not None and stored.card == CardState.from_fsrs(expected)
    (logged,) = await service.cards.ratings_of(card.id)
    assert (logged.rating, logged.source, logged.self_graded, logged.guild_id) == (2, "qotd", True, GUILD)

    # A quiz: a right choice is Good, a wrong one Again; an open answer's self-grade maps like the daily one.
    await feed.publish(GradeEvent(GUILD, ALICE, q2, "quiz", graded, correct=True))
    await feed.publish(GradeEvent(GUILD, ALICE, q3, "quiz", graded, correct=False))
    ratings = {row.question_id: [log.rating for log in await service.cards.ratings_of(row.id)]
               for row in await service.cards.deck(ALICE)}
    assert ratings == {q1: [2], q2: [3], q3: [1]}
    assert {row.origin for row in await service.cards.deck(ALICE)} == {"qotd", "quiz"}

    # Unknown questions and sources are ignored; other members' decks stay apart.
    await feed.publish(GradeEvent(GUILD, ALICE, "no-such-question", "qotd", graded, grade="got"))
    await feed.publish(GradeEvent(GUILD, ALICE, q1, "homework", graded, grade="got"))
    assert len(await service.cards.deck(ALICE)) == 3 and await service.cards.deck(BOB) == []


async def test_a_changed_self_grade_replaces_the_earlier_one(service: ReviewService, shipped_bank) -> None:
    (q1,) = ids(shipped_bank, 1)
    answered, graded, changed = at("2026-11-30T02:00:00"), at("2026-11-30T13:00:00"), at("2026-11-30T13:02:00")
    await service.on_grade(GradeEvent(GUILD, ALICE, q1, "qotd", answered))
    await service.on_grade(GradeEvent(GUILD, ALICE, q1, "qotd", graded, grade="got"))
    await service.on_grade(GradeEvent(GUILD, ALICE, q1, "qotd", changed, grade="missed"))
    card = await service.cards.card(ALICE, q1)
    assert card is not None
    (only,) = await service.cards.ratings_of(card.id)
    assert only.rating == Rating.Again and only.reviewed_at == changed
    expected, _ = LIBRARY.review_card(Card(card_id=card.id, due=answered), Rating.Again, review_datetime=changed)
    assert card.card == CardState.from_fsrs(expected)


async def test_a_session_rates_most_forgotten_first_and_stores_each_rating(
    service: ReviewService, shipped_bank,
) -> None:
    old, recent, fresh = ids(shipped_bank, 3)
    for question, day in ((old, "2026-11-01"), (recent, "2026-11-25")):
        await service.on_grade(GradeEvent(GUILD, ALICE, question, "qotd", at(f"{day}T01:00:00")))
        await service.on_grade(GradeEvent(GUILD, ALICE, question, "qotd", at(f"{day}T01:00:00"), grade="got"))
        await service.on_grade(GradeEvent(GUILD, ALICE, question, "quiz", at(f"{day}T01:10:00"), correct=True))
    await service.add_question(ALICE, GUILD, fresh, at("2026-11-29T00:00:00"), scope=[GUILD])
    assert (await service.add_question(ALICE, GUILD, fresh, at("2026-11-29T00:00:00"), scope=[GUILD])).already == 1
    now = at("2026-12-30T00:00:00")

    first = await service.start(ALICE, GUILD, now, scope=[GUILD])
    assert isinstance(first, SessionCard) and first.position == 1 and first.left == 3
    assert first.question.id == fresh  # never rated: retrievability 0
    seen = [first.question.id]
    step: SessionCard | SessionSummary = first
    for rating in (Rating.Good, Rating.Again, Rating.Easy):
        assert isinstance(step, SessionCard)
        before = step.card.card
        rated = await service.rate(ALICE, step.session_id, step.card.id, rating, now, scope=[GUILD])
        expected, _ = LIBRARY.review_card(before.to_fsrs(step.card.id), rating, review_datetime=now)
        assert rated.applied and rated.card == CardState.from_fsrs(expected)
        stored = await service.cards.card_by_id(step.card.id)
        assert stored is not None and stored.card == rated.card  # stored before the next card is chosen
        step = rated.following
        if isinstance(step, SessionCard):
            seen.append(step.question.id)
    assert seen == [fresh, old, recent]  # then the card unseen for longest
    assert isinstance(step, SessionSummary) and step.reviewed == 3 and step.retention == pytest.approx(2 / 3)
    assert step.next_due == min(row.card.due for row in await service.cards.deck(ALICE))

    # A second click on a rating of the same session changes nothing.
    again = await service.rate(ALICE, first.session_id, first.card.id, Rating.Again, now, scope=[GUILD])
    assert not again.applied and len(await service.cards.ratings_of(first.card.id)) == 1


async def test_one_members_session_and_cards_are_closed_to_another(service: ReviewService, shipped_bank) -> None:
    (q1,) = ids(shipped_bank, 1)
    await service.add_question(ALICE, GUILD, q1, at("2026-11-29T00:00:00"), scope=[GUILD])
    step = await service.start(ALICE, GUILD, at("2026-11-30T00:00:00"), scope=[GUILD])
    assert isinstance(step, SessionCard)
    for attempt in (service.show(BOB, step.session_id, step.card.id, at("2026-11-30T00:00:00"), scope=[GUILD]),
                    service.rate(BOB, step.session_id, step.card.id, Rating.Easy, at("2026-11-30T00:00:00"),
                                 scope=[GUILD]),
                    service.finish(BOB, step.session_id, at("2026-11-30T00:00:00"))):
        with pytest.raises(DomainError) as caught:
            await attempt
        assert caught.value.key == "review.not_yours"
    assert await service.cards.ratings_of(step.card.id) == []
    nothing = await service.start(BOB, GUILD, at("2026-11-30T00:00:00"), scope=[GUILD])
    assert isinstance(nothing, SessionSummary) and nothing.session_id is None and nothing.next_due is None


async def test_add_a_topic_and_stats_in_the_members_or_guilds_zone(service: ReviewService, shipped_bank) -> None:
    await set_guild_zone(service, GUILD, "Asia/Shanghai")
    added = await service.add_topic(ALICE, GUILD, "rag", at("2026-11-30T00:00:00"))
    assert added.added == len(shipped_bank.in_topic("rag")) and added.already == 0
    with pytest.raises(DomainError):
        await service.add_topic(ALICE, GUILD, "astrology", at("2026-11-30T00:00:00"))
    q1 = ids(shipped_bank, 1)[0]
    await service.on_grade(GradeEvent(GUILD, ALICE, q1, "qotd", at("2026-11-30T00:00:00"), grade="missed"))
    stats = await service.stats(ALICE, GUILD, at("2026-11-30T01:00:00"))
    assert stats.zone == "Asia/Shanghai" and stats.cards == added.added + 1
    assert stats.new == added.added and stats.learning == 1 and stats.reviewing == 0
    assert stats.forecast.now == stats.cards and stats.retention == 0 and stats.ratings == 1
    assert {count.topic.id: (count.cards, count.due) for count in stats.topics} == {
        "lora": (1, 1), "rag": (added.added, added.added)}
    await service.remind_on(ALICE, GUILD, "08:00", "Europe/Berlin", "en", at("2026-11-30T00:00:00"))
    assert (await service.stats(ALICE, None, at("2026-11-30T01:00:00"))).zone == "Europe/Berlin"
    assert (await service.stats(BOB, None, at("2026-11-30T01:00:00"))).zone == "UTC"


async def test_reminders_are_claimed_once_per_local_day_even_after_a_restart(
    database_url: str, shipped_bank,
) -> None:
    path = database_url
    service = await open_service(path, shipped_bank)
    q1, q2 = ids(shipped_bank, 2)
    await set_guild_zone(service, GUILD, "Asia/Shanghai")
    await service.add_question(ALICE, GUILD, q1, at("2026-11-29T00:00:00"), scope=[GUILD])
    setting = await service.remind_on(ALICE, GUILD, "09:00", None, "en", at("2026-11-30T00:00:00"))
    assert setting.zone == "Asia/Shanghai" and setting.next_at == at("2026-11-30T01:00:00")
    await service.remind_on(BOB, GUILD, "09:00", None, "zh", at("2026-11-30T00:00:00"))  # nothing due for bob
    assert await service.due_reminders(at("2026-11-30T00:59:00")) == []
    (plan,) = await service.due_reminders(at("2026-11-30T01:00:30"))
    assert (plan.user_id, plan.day, plan.due, plan.language) == (ALICE, date(2026, 11, 30), 1, "en")
    assert await service.members.claimed(BOB, date(2026, 11, 30)) == "nothing_due"
    await service.reminder_sent(plan, 999)
    await service.conn.close()

    service = await open_service(path, shipped_bank)  # a restart later the same local day
    assert await service.due_reminders(at("2026-11-30T15:00:00")) == []
    (tomorrow,) = await service.due_reminders(at("2026-12-01T01:00:00"))
    assert tomorrow.day == date(2026, 12, 1)

    # Opting in after today's time has passed starts tomorrow; opting out stops them.
    await service.add_question(BOB, GUILD, q2, at("2026-12-01T00:00:00"), scope=[GUILD])
    late = await service.remind_on(BOB, GUILD, "08:00", "UTC", "zh", at("2026-12-01T10:00:00"))
    assert late.next_at == at("2026-12-02T08:00:00")
    assert await service.due_reminders(at("2026-12-01T10:01:00")) == []
    assert await service.remind_off(BOB, at("2026-12-01T10:02:00"))
    assert not await service.remind_off(BOB, at("2026-12-01T10:02:00"))
    assert [p.user_id for p in await service.due_reminders(at("2026-12-02T08:00:00"))] == [ALICE]
    await service.conn.close()


async def test_a_refused_dm_pauses_reminders_and_is_told_once(service: ReviewService, shipped_bank) -> None:
    await service.add_question(ALICE, GUILD, ids(shipped_bank, 1)[0], at("2026-11-29T00:00:00"), scope=[GUILD])
    await service.remind_on(ALICE, GUILD, "09:00", "UTC", "en", at("2026-11-30T00:00:00"))
    (plan,) = await service.due_reminders(at("2026-11-30T09:00:00"))
    await service.reminder_failed(plan, at("2026-11-30T09:00:01"), refused=True)
    assert await service.members.claimed(ALICE, date(2026, 11, 30)) == "failed"
    assert await service.due_reminders(at("2026-12-01T09:00:00")) == []  # paused
    assert (await service.stats(ALICE, GUILD, at("2026-12-01T09:00:00"))).reminders_paused
    assert await service.take_dm_notice(ALICE) == at("2026-11-30T09:00:01")
    assert await service.take_dm_notice(ALICE) is None
    setting = await service.remind_on(ALICE, GUILD, "10:00", None, "en", at("2026-12-01T09:30:00"))
    assert setting.remind_time == time(10, 0) and setting.zone == "UTC"  # the chosen zone is kept
    (resumed,) = await service.due_reminders(at("2026-12-01T10:00:00"))
    assert resumed.day == date(2026, 12, 1)


async def test_member_data_covers_what_came_from_one_guild(service: ReviewService, shipped_bank) -> None:
    from bot.services.privacy import MemberDataSource

    q1, q2, q3 = ids(shipped_bank, 3)
    await service.on_grade(GradeEvent(GUILD, ALICE, q1, "qotd", at("2026-11-30T01:00:00"), grade="got"))
    await service.remind_on(ALICE, GUILD, "09:00", "Asia/Shanghai", "en", at("2026-11-30T00:00:00"))
    step = await service.start(ALICE, GUILD, at("2026-11-30T02:00:00"), scope=[GUILD])
    assert isinstance(step, SessionCard) and step.question.id == q1
    await service.rate(ALICE, step.session_id, step.card.id, Rating.Good, at("2026-11-30T02:00:00"), scope=[GUILD])
    await service.add_question(ALICE, OTHER_GUILD, q2, at("2026-11-30T03:00:00"), scope=[GUILD])
    await service.add_question(ALICE, None, q3, at("2026-11-30T03:00:00"), scope=[GUILD])  # added in a DM
    await service.add_question(BOB, GUILD, q1, at("2026-11-30T03:00:00"), scope=[GUILD])

    data = ReviewMemberData(service.conn)
    assert isinstance(data, MemberDataSource)
    exported = await data.export(GUILD, ALICE)
    assert [card["question_id"] for card in exported["cards"]] == [q1]
    assert [r["source"] for r in exported["cards"][0]["ratings"]] == ["qotd", "session"]
    assert exported["settings"] == {"timezone": "Asia/Shanghai", "language": "en", "remind_time": "09:00"}
    assert (await data.export(OTHER_GUILD, ALICE))["settings"] is None

    async with transaction(service.conn):
        deleted = await data.delete(GUILD, ALICE)
    assert deleted == 1 + 2 + 1 + 1  # the card, its two ratings, the session and the settings
    assert sorted(row.question_id for row in await service.cards.deck(ALICE)) == sorted([q2, q3])
    assert await service.members.get(ALICE) is None and len(await service.cards.deck(BOB)) == 1

