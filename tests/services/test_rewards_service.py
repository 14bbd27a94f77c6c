"""The rewards' use cases over a real SQLite file: one best answer per post and its bonus, the auto-pick, and
nudge claims (once per member and day, never for one who answered, paused by a refused DM)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from answers import one_point_answer, strong_answer

from bot.domain.errors import DomainError
from bot.services.qotd import QotdService
from bot.services.rewards import RewardsMemberData, RewardsService
from bot.storage.schedules import ScheduleInput

ROOT = Path(__file__).parents[2]
GUILD, CHANNEL = 100, 200
ALICE, BOB, CAROL = 1, 2, 3


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
async def services(database, shipped_bank) -> AsyncIterator[tuple[QotdService, RewardsService]]:
    conn = database
    yield QotdService(conn, shipped_bank), RewardsService(conn, shipped_bank)


async def a_posted_day(qotd: QotdService) -> tuple[int, object]:
    await qotd.configure(ScheduleInput(
        guild_id=GUILD, channel_id=CHANNEL, post_time=time(9, 0), timezone="Asia/Shanghai", reveal_time=time(21, 0),
        reveal_after_minutes=None, topics=frozenset(), min_difficulty=1, max_difficulty=3, ping_role_id=None,
        language="en", created_by=ALICE))
    (plan,) = await qotd.due_posts(at("2026-11-30T01:00:00"))
    await qotd.confirm_posted(plan.post.id, 5000, at("2026-11-30T01:00:01"))
    return plan.post.id, plan.question


async def reveal(qotd: QotdService, post_id: int, now: datetime) -> dict[int, int]:
    """Reveal with every answer in one thread message; the answer id of each member."""
    plan = await qotd.prepare_reveal(post_id)
    ids = {m.answer.user_id: m.answer.id for m in plan.members}
    await qotd.record_reveal_progress(post_id, thread_id=6000)
    await qotd.record_reveal_message(list(ids.values()), 7000)
    await qotd.finish_reveal(post_id, 6000, now)
    return ids


async def test_one_best_answer_per_post_with_its_bonus_once(services) -> None:
    qotd, rewards = services
    post_id, question = await a_posted_day(qotd)
    await qotd.submit_answer(post_id, BOB, one_point_answer(question), at("2026-11-30T02:00:00"))
    await qotd.submit_answer(post_id, ALICE, strong_answer(question), at("2026-11-30T03:00:00"))
    answers = await reveal(qotd, post_id, at("2026-11-30T13:00:00"))
    with pytest.raises(DomainError) as off:
        await rewards.pick(post_id, answers[BOB], 9, at("2026-11-30T13:05:00"))
    assert off.value.key == "rewards.best.off"

    await rewards.set_best_answer(GUILD, True, 30, at("2026-11-30T12:00:00"))
    first = await rewards.pick(post_id, answers[BOB], 9, at("2026-11-30T13:05:00"))
    second = await rewards.pick(post_id, answers[ALICE], 9, at("2026-11-30T13:06:00"))
    assert first.created and not second.created and second.best.user_id == BOB and second.best.picked_by == 9
    assert dict(await qotd.points.entries_for(GUILD, BOB))["best_answer"] == 5
    assert "best_answer" not in dict(await qotd.points.entries_for(GUILD, ALICE))
    assert await rewards.due_auto_picks(at("2026-11-30T14:00:00")) == []  # a manager's pick stands
    # Late answers (after the reveal) earn the late points only: never offered, never picked.
    late = await qotd.submit_answer(post_id, CAROL, strong_answer(question), at("2026-11-30T13:30:00"))
    await qotd.record_reveal_message([late.answer.id], 7001)
    assert [a.id for a in await rewards.pickable(post_id, [answers[ALICE], late.answer.id])] == [answers[ALICE]]


async def test_the_auto_pick_takes_the_most_key_points_and_ties_go_to_the_earliest(services) -> None:
    qotd, rewards = services
    await rewards.set_best_answer(GUILD, True, None, at("2026-11-30T00:00:00"))  # default delay: 60 minutes
    post_id, question = await a_posted_day(qotd)
    await qotd.submit_answer(post_id, BOB, one_point_answer(question), at("2026-11-30T02:00:00"))
    await qotd.submit_answer(post_id, ALICE, strong_answer(question), at("2026-11-30T03:00:00"))
    await qotd.submit_answer(post_id, CAROL, strong_answer(question), at("2026-11-30T04:00:00"))
    answers = await reveal(qotd, post_id, at("2026-11-30T13:00:00"))
    assert await rewards.due_auto_picks(at("2026-11-30T13:59:59")) == []
    (picked,) = await rewards.due_auto_picks(at("2026-11-30T14:00:00"))
    assert picked.best.answer_id == answers[ALICE] and picked.best.picked_by is None
    assert await rewards.due_auto_picks(at("2026-11-30T14:01:00")) == []  # claimed: once
    ((best, post),) = await rewards.unhighlighted()
    assert best.user_id == ALICE and post.id == post_id
    await rewards.highlighted(post_id, at("2026-11-30T14:00:01"))
    assert await rewards.unhighlighted() == []


async def test_turning_best_answers_on_never_reaches_back_to_earlier_reveals(services) -> None:
    qotd, rewards = services
    post_id, question = await a_posted_day(qotd)
    await qotd.submit_answer(post_id, ALICE, strong_answer(question), at("2026-11-30T03:00:00"))
    await reveal(qotd, post_id, at("2026-11-30T13:00:00"))
    await rewards.set_best_answer(GUILD, True, 1, at("2026-11-30T15:00:00"))
    assert await rewards.due_auto_picks(at("2026-11-30T16:00:00")) == []
    with pytest.raises(DomainError):
        await rewards.set_best_answer(GUILD, True, 0, at("2026-11-30T15:00:00"))


async def test_nudges_are_claimed_once_a_day_for_members_who_have_not_answered(services) -> None:
    qotd, rewards = services
    post_id, question = await a_posted_day(qotd)
    for member in (ALICE, BOB, CAROL):
        await rewards.nudge_on(GUILD, member, "en", at("2026-11-30T01:30:00"))
    assert await rewards.due_nudges(at("2026-11-30T12:30:00")) == []  # the server has nudges off
    await rewards.set_nudges(GUILD, True, at("2026-11-30T01:30:00"))
    await qotd.submit_answer(post_id, BOB, one_point_answer(question), at("2026-11-30T02:00:00"))
    await rewards.nudge_off(GUILD, CAROL)
    assert await rewards.due_nudges(at("2026-11-30T11:59:00")) == []  # more than an hour before 13:00
    (target,) = await rewards.due_nudges(at("2026-11-30T12:00:00"))
    assert (target.user_id, target.post_id, target.local_date) == (ALICE, post_id, "2026-11-30")
    assert await rewards.due_nudges(at("2026-11-30T12:10:00")) == []  # claimed before sending: never twice

    await rewards.nudge_failed(target, at("2026-11-30T12:00:01"), refused=True)
    assert (await rewards.nudge_member(GUILD, ALICE)).dm_failed_at == at("2026-11-30T12:00:01")
    assert await rewards.take_dm_notice(GUILD, ALICE) == at("2026-11-30T12:00:01")
    assert await rewards.take_dm_notice(GUILD, ALICE) is None  # told once
    data = RewardsMemberData(rewards.conn)
    assert await data.export(GUILD, ALICE) == {"nudges": False,
                                                "nudged": [{"date": "2026-11-30", "status": "failed"}]}
