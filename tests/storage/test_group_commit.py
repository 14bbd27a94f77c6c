"""SQLite group commit and isolated reads (bot/storage/database.py): real database files, real aiosqlite.

A burst of units of work shares COMMITs, each caller returns only once its writes are committed, a failing unit
rolls back alone, reads outside a unit never see an open one, and no waiter can strand a batch.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.services.qotd import QotdService
from bot.storage.database import SqliteDatabase, open_database
from bot.storage.migrations import migrate
from bot.storage.schedules import ScheduleInput

ROOT = Path(__file__).parents[2]
open_database_ = open_database


@pytest.fixture(autouse=True)
async def _closed_at_the_end(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[None]:
    """Every database a test opens is closed after it, failed or not (an open connection's thread would keep
    the test process from exiting)."""
    opened: list[SqliteDatabase] = []

    async def opening(path: Path) -> SqliteDatabase:
        db = await open_database_(path)
        opened.append(db)
        return db

    monkeypatch.setitem(globals(), "open_database", opening)
    yield
    for db in opened:
        await db.close()


async def _open(tmp_path: Path) -> tuple[SqliteDatabase, list[str]]:
    db = await open_database(tmp_path / "bot.sqlite3")
    await db.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)")
    statements: list[str] = []
    await db.raw._execute(db.raw._conn.set_trace_callback, statements.append)
    return db, statements


def _committed(tmp_path: Path) -> set[int]:
    """What another process would see: a fresh connection of its own."""
    with sqlite3.connect(tmp_path / "bot.sqlite3") as other:
        return {k for (k,) in other.execute("SELECT k FROM t")}


async def test_a_burst_shares_commits_and_each_caller_returns_after_its_commit(tmp_path: Path) -> None:
    db, statements = await _open(tmp_path)
    seen_at_return: dict[int, bool] = {}

    async def unit(k: int) -> None:
        async with db.transaction():
            await db.execute("INSERT INTO t (k, v) VALUES (?, ?)", (k, "x"))
        seen_at_return[k] = k in await asyncio.to_thread(_committed, tmp_path)

    await asyncio.gather(*(unit(k) for k in range(200)))
    assert seen_at_return == dict.fromkeys(range(200), True)
    commits = statements.count("COMMIT")
    assert 1 <= commits < 50, commits  # 200 units, far fewer transactions
    await db.close()


async def test_a_failing_unit_in_a_burst_rolls_back_alone(tmp_path: Path) -> None:
    db, statements = await _open(tmp_path)

    async def unit(k: int) -> None:
        async with db.transaction():
            await db.execute("INSERT INTO t (k, v) VALUES (?, ?)", (k, "x"))
            if k % 10 == 3:
                await db.execute("INSERT INTO t (k, v) VALUES (?, NULL)", (k + 1000,))  # NOT NULL fails

    results = await asyncio.gather(*(unit(k) for k in range(50)), return_exceptions=True)
    failed = {k for k, result in enumerate(results) if isinstance(result, Exception)}
    assert failed == {3, 13, 23, 33, 43}
    assert all(isinstance(results[k], sqlite3.IntegrityError) for k in failed)
    assert _committed(tmp_path) == set(range(50)) - failed
    assert statements.count("COMMIT") < 50
    await db.close()


async def test_reads_outside_a_unit_never_see_an_open_one(tmp_path: Path) -> None:
    db, _ = await _open(tmp_path)
    inside, finish = asyncio.Event(), asyncio.Event()

    async def writer() -> None:
        with pytest.raises(RuntimeError):
            async with db.transaction():
                await db.execute("INSERT INTO t (k, v) VALUES (1, 'x')")
                inside.set()
                await finish.wait()
                raise RuntimeError("rolled back")

    task = asyncio.create_task(writer())
    await inside.wait()
    try:
        assert [tuple(r) for r in await db.execute_fetchall("SELECT count(*) FROM t")] == [(0,)]
        # a read that opens with WITH is a read too: it neither waits for the open unit nor sees it
        with_read = db.execute_fetchall("WITH n AS (SELECT count(*) AS c FROM t) SELECT c FROM n")
        assert [tuple(r) for r in await asyncio.wait_for(with_read, 2)] == [(0,)]
    finally:
        finish.set()
        await task
    assert [tuple(r) for r in await db.execute_fetchall("SELECT count(*) FROM t")] == [(0,)]
    async with db.transaction():
        await db.execute("INSERT INTO t (k, v) VALUES (2, 'y')")
    assert [tuple(r) for r in await db.execute_fetchall("SELECT k FROM t")] == [(2,)]
    await db.close()


async def test_a_cancelled_waiter_does_not_strand_the_batch(tmp_path: Path) -> None:
    db, _ = await _open(tmp_path)
    inside = asyncio.Event()
    waiter: asyncio.Task[None] | None = None

    async def second() -> None:
        async with db.transaction():
            await db.execute("INSERT INTO t (k, v) VALUES (2, 'never')")

    async def first() -> None:
        async with db.transaction():
            await db.execute("INSERT INTO t (k, v) VALUES (1, 'x')")
            inside.set()
            await asyncio.sleep(0.05)
            assert waiter is not None
            waiter.cancel()  # the unit ends with a waiter counted that will never take its turn

    task = asyncio.create_task(first())
    await inside.wait()
    waiter = asyncio.create_task(second())
    await asyncio.wait_for(task, 5)
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert _committed(tmp_path) == {1}
    await db.close()


async def test_close_commits_the_open_batch(tmp_path: Path) -> None:
    db, _ = await _open(tmp_path)
    units = [asyncio.create_task(_insert(db, k)) for k in range(20)]
    await asyncio.sleep(0)
    await db.close()
    await asyncio.wait_for(asyncio.gather(*units), 5)
    assert _committed(tmp_path) == set(range(20))


async def _insert(db: SqliteDatabase, k: int) -> None:
    async with db.transaction():
        await db.execute("INSERT INTO t (k, v) VALUES (?, 'x')", (k,))


async def test_sqlite_synchronous_full_is_an_option(tmp_path: Path) -> None:
    from bot.config import Settings, SettingsError
    from bot.storage.engines import open_url

    settings = Settings.from_env({"SQLITE_SYNCHRONOUS": "full", "DATABASE_PATH": str(tmp_path / "bot.sqlite3")})
    db = await open_url(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)
    try:
        assert [tuple(r) for r in await db.execute_fetchall("PRAGMA synchronous")] == [(2,)]
    finally:
        await db.close()
    db = await open_database(tmp_path / "bot.sqlite3")
    assert [tuple(r) for r in await db.execute_fetchall("PRAGMA synchronous")] == [(1,)]  # NORMAL by default
    with pytest.raises(SettingsError, match="SQLITE_SYNCHRONOUS='sometimes' must be normal or full"):
        Settings.from_env({"SQLITE_SYNCHRONOUS": "sometimes"})

async def test_a_unit_that_fails_before_its_first_statement_costs_its_neighbours_nothing(tmp_path: Path) -> None:
    db, statements = await _open(tmp_path)

    async def unit(k: int) -> None:
        async with db.transaction():
            if k % 5 == 0:
                raise LookupError(k)  # a refusal decided before any SQL (the first unit of a batch among them)
            await db.execute("INSERT INTO t (k, v) VALUES (?, 'x')", (k,))

    results = await asyncio.gather(*(unit(k) for k in range(40)), return_exceptions=True)
    assert {k for k, result in enumerate(results) if isinstance(result, LookupError)} == set(range(0, 40, 5))
    assert _committed(tmp_path) == {k for k in range(40) if k % 5}
    assert "ROLLBACK" not in statements and "ROLLBACK TO unit" not in statements  # nothing of theirs was sent
    await db.close()


async def test_an_answer_is_saved_in_one_trip_to_the_thread(tmp_path: Path, shipped_bank) -> None:
    """The whole unit (BEGIN, the post's lock, the upsert, COMMIT) runs on aiosqlite's thread in one trip."""
    db = await open_database(tmp_path / "bot.sqlite3")
    await migrate(db, ROOT / "migrations")
    service = QotdService(db, shipped_bank)
    await service.configure(ScheduleInput(
        guild_id=1, channel_id=2, post_time=time(9, 0), timezone="UTC", reveal_time=time(21, 0),
        reveal_after_minutes=None, topics=frozenset(), min_difficulty=1, max_difficulty=3, ping_role_id=None,
        language="en", created_by=1))
    morning = datetime(2026, 3, 2, 9, 0, 5, tzinfo=UTC)
    (plan,) = await service.due_posts(morning)
    await service.confirm_posted(plan.post.id, 5000, morning)
    trips = 0
    send = db.raw._execute

    async def counted(function, *args, **kwargs):
        nonlocal trips
        trips += 1
        return await send(function, *args, **kwargs)

    db.raw._execute = counted
    first = await service.submit_answer(plan.post.id, 7, "attention weights", morning + timedelta(hours=1))
    edit = await service.submit_answer(plan.post.id, 7, "attention weights, softmax", morning + timedelta(hours=2))
    assert first.created and not edit.created and edit.answer.edits == 1
    assert trips == 2
    await db.close()
