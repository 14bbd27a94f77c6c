"""Units of work sent whole (`Database.run`, `Database.read`): all or nothing on both engines; on SQLite one trip to
aiosqlite's thread for a whole batch of concurrent units, each rolled back alone when it fails.

Real database files, a real PostgreSQL server, real aiosqlite.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage.database import Database, SqliteDatabase, UnitOfWorkError, open_database
from bot.storage.engines import open_url


@pytest.fixture
async def db(engine: str, make_database_url) -> AsyncIterator[Database]:
    opened = await open_url(await make_database_url())
    await opened.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)")
    yield opened
    await opened.close()


async def _keys(db: Database) -> set[int]:
    return {row[0] for row in await db.execute_fetchall("SELECT k FROM t")}


async def _put(db: Database, k: int, v: str | None = "x") -> int:
    await db.execute("INSERT INTO t (k, v) VALUES (?, ?)", (k, v))
    return k


async def test_a_unit_commits_whole_or_not_at_all(db: Database) -> None:
    async def two(k: int, second: str | None) -> int:
        await _put(db, k)
        await _put(db, k + 100, second)  # NOT NULL fails when `second` is None
        return k

    assert await db.run(two, 1, "y") == 1
    with pytest.raises(Exception, match=r"(?i)not.null"):
        await db.run(two, 2, None)
    assert await _keys(db) == {1, 101}


async def test_units_of_a_burst_fail_alone(db: Database) -> None:
    async def unit(k: int) -> int:
        await _put(db, k)
        if k % 10 == 3:
            raise LookupError(k)  # a refusal after a write: the write goes with it
        if k % 10 == 7:
            await _put(db, k + 1000, None)
        return k

    results = await asyncio.gather(*(db.run(unit, k) for k in range(60)), return_exceptions=True)
    failed = {k for k, result in enumerate(results) if isinstance(result, BaseException)}
    assert failed == {k for k in range(60) if k % 10 in (3, 7)}
    assert all(isinstance(results[k], LookupError) for k in failed if k % 10 == 3)
    assert [results[k] for k in range(60) if k not in failed] == [k for k in range(60) if k not in failed]
    assert await _keys(db) == set(range(60)) - failed


async def test_a_unit_joins_the_unit_of_work_it_is_called_in(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction():
            await _put(db, 1)
            await db.run(_put, db, 2)
            raise RuntimeError("the outer unit fails: the inner one goes with it")
    assert await _keys(db) == set()

    async def outer() -> None:
        async with db.transaction():  # a transaction() inside a unit joins it
            await _put(db, 3)
        assert db.in_transaction
        await db.run(_put, db, 4)

    await db.run(outer)
    assert await _keys(db) == {3, 4}


async def test_read_returns_what_the_unit_read(db: Database) -> None:
    await db.run(_put, db, 5)

    async def both() -> tuple[int, list[int]]:
        count = (await db.execute_fetchall("SELECT count(*) FROM t"))[0][0]
        return count, [row[0] for row in await db.execute_fetchall("SELECT k FROM t ORDER BY k")]

    assert await db.read(both) == (1, [5])
    with pytest.raises(LookupError):
        await db.read(_fails)
    with pytest.raises(Exception, match=r"(?i)read.?only"):
        await db.read(_put, db, 6)  # a write inside a read unit fails loudly
    assert await _keys(db) == {5}


async def _fails() -> None:
    raise LookupError("no such board")


# -- SQLite: one trip ---------------------------------------------------------------------------------------


Sqlite = tuple[SqliteDatabase, list[str], list[str]]


@pytest.fixture
async def sqlite(tmp_path: Path) -> AsyncIterator[Sqlite]:
    """A database with table t, the statements its writer runs, and the names of the functions its trips carried;
    closed after the test (a second close is a no-op)."""
    db = await open_database(tmp_path / "bot.sqlite3")
    await db.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)")
    statements: list[str] = []
    await db.raw._execute(db.raw._conn.set_trace_callback, statements.append)
    trips: list[str] = []
    for connection in (db.raw, db.reader):
        assert connection is not None
        send = connection._execute

        async def counted(function, *args, send=send, **kwargs):
            trips.append(getattr(function, "__name__", repr(function)))
            return await send(function, *args, **kwargs)

        connection._execute = counted
    yield db, statements, trips
    await db.close()


async def _hold_the_writer(db: Database) -> tuple[asyncio.Event, asyncio.Task[None]]:
    """A `transaction()` unit that has written k=1 and holds the writer until the event is set."""
    blocker = asyncio.Event()

    async def hold() -> None:
        async with db.transaction():
            await _put(db, 1)
            await blocker.wait()

    holding = asyncio.create_task(hold())
    await asyncio.sleep(0.01)
    return blocker, holding


def _committed(tmp_path: Path) -> set[int]:
    """What another process would see: a connection of its own."""
    with sqlite3.connect(tmp_path / "bot.sqlite3") as other:
        return {k for (k,) in other.execute("SELECT k FROM t")}


async def test_sqlite_runs_a_unit_in_one_trip_and_a_burst_in_a_few(tmp_path: Path, sqlite: Sqlite) -> None:
    db, statements, trips = sqlite

    async def three(k: int) -> set[int]:
        await _put(db, k)
        await db.execute("UPDATE t SET v = 'y' WHERE k = ?", (k,))
        return {row[0] for row in await db.execute_fetchall("SELECT k FROM t")}

    assert await db.run(three, 1) == {1}
    assert trips == ["_write_units"]
    assert statements == ["BEGIN IMMEDIATE", "INSERT INTO t (k, v) VALUES (1, 'x')",
                          "UPDATE t SET v = 'y' WHERE k = 1", "SELECT k FROM t", "COMMIT"]
    trips.clear()
    seen_at_return: dict[int, bool] = {}

    async def caller(k: int) -> None:
        await db.run(_put, db, k)
        seen_at_return[k] = k in await asyncio.to_thread(_committed, tmp_path)

    await asyncio.gather(*(caller(k) for k in range(10, 610)))
    # 600 units: the first goes alone, the rest wait and share trips of at most BATCH_UNITS
    assert trips.count("_write_units") <= 1 + -(-599 // db.BATCH_UNITS), trips
    assert seen_at_return == dict.fromkeys(range(10, 610), True)  # each returned after its COMMIT
    assert statements.count("COMMIT") == trips.count("_write_units") + 1


async def test_a_unit_that_awaits_anything_else_is_refused_and_rolled_back(tmp_path: Path, sqlite: Sqlite) -> None:
    db, _, _ = sqlite

    async def sleepy(k: int) -> None:
        await _put(db, k)
        await asyncio.sleep(0)  # e.g. a Discord call: it would hold every other unit's trip

    async def waits(k: int) -> None:
        await _put(db, k)
        await asyncio.Event().wait()  # a future of the event loop, which the database thread has not

    results = await asyncio.gather(db.run(_put, db, 1), db.run(sleepy, 2), db.run(_put, db, 3),
                                   db.run(waits, 4), return_exceptions=True)
    assert results[0] == 1 and results[2] == 3
    for refused in (results[1], results[3]):
        assert isinstance(refused, UnitOfWorkError), refused
        assert "may await only its database's statements" in str(refused)
    assert _committed(tmp_path) == {1, 3}


async def test_a_unit_that_ends_the_transaction_fails_its_whole_batch_unacknowledged(tmp_path: Path,
                                                                                     sqlite: Sqlite) -> None:
    db, _, _ = sqlite

    async def rogue() -> None:
        await db.execute("ROLLBACK")  # SQLite ends the transaction, as some errors do on their own
        raise OSError("disk gone")

    blocker, holding = await _hold_the_writer(db)  # the next three wait, and then share one batch
    batch = [asyncio.ensure_future(db.run(_put, db, 2)), asyncio.ensure_future(db.run(rogue)),
             asyncio.ensure_future(db.run(_put, db, 4))]
    await asyncio.sleep(0.01)
    blocker.set()
    await holding
    results = await asyncio.gather(*batch, return_exceptions=True)
    assert all(isinstance(result, OSError) for result in results), results  # nobody told "saved"
    assert _committed(tmp_path) == {1}
    assert await db.run(_put, db, 5) == 5  # and the database goes on
    assert _committed(tmp_path) == {1, 5}


async def test_a_caller_cancelled_before_its_trip_sends_nothing(tmp_path: Path, sqlite: Sqlite) -> None:
    db, _, _ = sqlite
    blocker, holding = await _hold_the_writer(db)
    cancelled = asyncio.ensure_future(db.run(_put, db, 2))
    kept = asyncio.ensure_future(db.run(_put, db, 3))
    await asyncio.sleep(0.01)
    cancelled.cancel()
    blocker.set()
    await holding
    assert await kept == 3
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    assert _committed(tmp_path) == {1, 3}


async def test_close_lets_queued_units_finish(tmp_path: Path, sqlite: Sqlite) -> None:
    db, _, _ = sqlite
    units = [asyncio.ensure_future(db.run(_put, db, k)) for k in range(50)]
    await asyncio.sleep(0)
    await db.close()
    assert await asyncio.wait_for(asyncio.gather(*units), 5) == list(range(50))
    assert _committed(tmp_path) == set(range(50))


async def test_sqlite_reads_a_unit_in_one_trip_on_committed_data(tmp_path: Path, sqlite: Sqlite) -> None:
    db, _, trips = sqlite
    await db.run(_put, db, 1)
    inside, finish = asyncio.Event(), asyncio.Event()

    async def open_unit() -> None:
        with pytest.raises(RuntimeError):
            async with db.transaction():
                await _put(db, 2)
                inside.set()
                await finish.wait()
                raise RuntimeError("rolled back")

    task = asyncio.create_task(open_unit())
    await inside.wait()
    trips.clear()

    async def count_twice() -> tuple[int, int]:
        first = (await db.execute_fetchall("SELECT count(*) FROM t"))[0][0]
        second = (await db.execute_fetchall("SELECT count(*) FROM t WHERE k > 0"))[0][0]
        return first, second

    results = await asyncio.gather(*(db.read(count_twice) for _ in range(20)))
    assert results == [(1, 1)] * 20  # never the open unit's row
    assert 1 <= trips.count("_read_units") <= 2 and "_write_units" not in trips, trips
    finish.set()
    await task
