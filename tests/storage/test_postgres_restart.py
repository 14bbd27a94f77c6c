"""A PostgreSQL restart while the bot runs: every acknowledged answer is stored, an answer sent while the server is
down fails with a clear error (never acknowledged), and the pool reconnects once the server is back.

The test stops and starts a throwaway server of its own, so the rest of the session's server is not disturbed.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from pg_server import ServerUnavailable, ThrowawayServer

from bot.services.qotd import QotdService
from bot.storage.engines import open_url
from bot.storage.migrations import migrate
from bot.storage.postgres import DatabaseUnavailable
from bot.storage.schedules import ScheduleInput

MIGRATIONS = Path(__file__).parents[2] / "migrations"
T0 = datetime(2026, 11, 30, 1, 0, 5, tzinfo=UTC)


@pytest.fixture
def own_server(request: pytest.FixtureRequest):
    if request.config.getoption("--sqlite-only"):
        pytest.skip("--sqlite-only: no PostgreSQL server")
    server = ThrowawayServer()
    try:
        server.start()
    except (ServerUnavailable, OSError) as error:
        server.stop()
        pytest.fail(f"the restart test's PostgreSQL server could not start: {error}", pytrace=False)
    yield server
    server.stop()


async def test_a_server_restart_loses_no_acknowledged_answer_and_the_pool_reconnects(own_server, shipped_bank):
    db = await open_url(own_server.url())
    try:
        await migrate(db, MIGRATIONS)
        service = QotdService(db, shipped_bank)
        await service.configure(ScheduleInput(
            guild_id=100, channel_id=200, post_time=time(9, 0), timezone="Asia/Shanghai", reveal_time=time(21, 0),
            reveal_after_minutes=None, topics=frozenset(), min_difficulty=1, max_difficulty=3, ping_role_id=None,
            language="en", created_by=1))
        (plan,) = await service.due_posts(T0)
        await service.confirm_posted(plan.post.id, 5000, T0)
        acknowledged: set[int] = set()

        async def answer(user: int) -> None:
            await service.submit_answer(plan.post.id, user, f"answer {user}", T0 + timedelta(minutes=user))
            acknowledged.add(user)  # the member is told "saved" only once this returns

        await asyncio.gather(*(answer(user) for user in range(1, 21)))
        await asyncio.to_thread(own_server.pause)  # pg_ctl stop -m fast: every connection is cut
        refused = await asyncio.gather(*(answer(user) for user in range(21, 26)), return_exceptions=True)
        assert all(isinstance(error, DatabaseUnavailable) for error in refused), refused
        assert "PostgreSQL" in str(refused[0]) and "\n" not in str(refused[0])
        await asyncio.to_thread(own_server.resume)
        await asyncio.gather(*(answer(user) for user in range(26, 41)))  # the pool reconnects by itself
        stored = {row[0] for row in await db.execute_fetchall(
            "SELECT user_id FROM answers WHERE post_id = ?", (plan.post.id,))}
        assert acknowledged == set(range(1, 21)) | set(range(26, 41))
        assert stored == acknowledged
    finally:
        await db.close()
