"""The daily question's sweep by set: each schedule keeps the instant of its next post (`next_post_at`); a sweep
reads only the schedules whose instant has come or is not known yet, and the one wake-up goes to the earliest
instant ahead. A change to a schedule (set-up again, pause, resume) clears its instant, so the next sweep decides
for it afresh, as it would have before."""

from __future__ import annotations

from datetime import UTC, datetime, time

from bot.services.qotd import QotdService
from bot.storage.schedules import ScheduleInput


def at(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 11, 30, hour, minute, second, tzinfo=UTC)


def schedule(n: int, post: time) -> ScheduleInput:
    return ScheduleInput(guild_id=(n + 1) << 22, channel_id=5000 + n, post_time=post, timezone="UTC",
                         reveal_time=time(21, 0), reveal_after_minutes=None, topics=frozenset(), min_difficulty=1,
                         max_difficulty=3, ping_role_id=None, language="en", created_by=1)


async def test_a_sweep_reads_only_the_schedules_whose_post_has_come(database, shipped_bank) -> None:
    service = QotdService(database, shipped_bank)
    for n in range(12):
        await service.configure(schedule(n, time(9, 0) if n < 4 else time(15, 0)))
    assert len(await service.schedules.active_with_latest(due_by=at(8))) == 12  # none looked at yet
    assert await service.due_posts(at(8)) == []
    assert await service.schedules.active_with_latest(due_by=at(8, 30)) == []  # nothing to read until 09:00
    assert await service.schedules.next_post_after(at(8)) == at(9)
    assert await service.schedules.not_looked_at() == []

    assert len(await service.schedules.active_with_latest(due_by=at(9, 0, 30))) == 4
    plans = await service.due_posts(at(9, 0, 30))
    assert sorted(plan.schedule.channel_id for plan in plans) == [5000, 5001, 5002, 5003]
    assert await service.schedules.active_with_latest(due_by=at(9, 1)) == []  # posted: next is tomorrow's
    assert await service.schedules.next_post_after(at(9, 0, 30)) == at(15)
    for plan in plans:
        await service.confirm_posted(plan.post.id, 70_000 + plan.post.id, at(9, 0, 31))
    assert await service.posts.next_reveal_after(at(9, 1)) == at(21)
    assert len(await service.due_posts(at(15, 0, 5))) == 8
    assert await service.schedules.next_post_after(at(15, 0, 5)) == datetime(2026, 12, 1, 9, tzinfo=UTC)


async def test_a_changed_schedule_is_looked_at_again(database, shipped_bank) -> None:
    service = QotdService(database, shipped_bank)
    await service.configure(schedule(0, time(10, 0)))
    assert await service.due_posts(at(9, 30)) == []  # its instant is now 10:00
    # Set up again at 09:31 for 09:15: today's post is due at once (its window runs to the 21:00 reveal).
    await service.configure(schedule(0, time(9, 15)))
    assert [s.id for s in await service.schedules.not_looked_at()] != []
    (plan,) = await service.due_posts(at(9, 31))
    assert plan.post.local_date == "2026-11-30"
    await service.confirm_posted(plan.post.id, 70_001, at(9, 31, 1))
    # Paused and resumed: looked at again (nothing more today: the day is posted), then tomorrow's instant.
    await service.schedules.set_paused(5000, True)
    await service.schedules.set_paused(5000, False)
    assert len(await service.schedules.not_looked_at()) == 1
    assert await service.due_posts(at(9, 40)) == []  # no second post for the day
    assert await service.schedules.not_looked_at() == []
    assert await service.schedules.next_post_after(at(9, 40)) == datetime(2026, 12, 1, 9, 15, tzinfo=UTC)
