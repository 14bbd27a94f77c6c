"""The storage interface every repository uses, and its SQLite engine (the embedded default).

Repositories and services see a `Database`: `execute` (a `Result` with rowcount and lastrowid),
`executemany`, `execute_fetchall`, `transaction()`, `close()`. They never see the driver. SQL is written once,
with `?` (or `:name`) placeholders; an engine that needs another style rewrites it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, ClassVar, NamedTuple, TypeVar

import aiosqlite

from bot.config import SYNCHRONOUS_MODES
from bot.domain.shards import ALL, Shards

BUSY_TIMEOUT_MS = 5000

Params = Sequence[Any] | Mapping[str, Any]
Row = Any  # sqlite3.Row or asyncpg.Record: both read by index and by column name
T = TypeVar("T")


# The databases whose unit of work the current task is inside (a module-level ContextVar, as the docs ask: one
# created per database would never be collected).
_inside: ContextVar[tuple[int, ...]] = ContextVar("inside_transaction", default=())


class Result(NamedTuple):
    """What a write statement reports: rows changed, and (SQLite only) the last inserted rowid."""

    rowcount: int
    lastrowid: int | None = None


class Database(ABC):
    """One bot's database, whichever engine holds it."""

    dialect: ClassVar[str]
    shards: Shards = ALL  # the guilds this process owns (bot.storage.shards.guild_filter reads it)

    @abstractmethod
    async def execute(self, sql: str, params: Params = ()) -> Result: ...

    @abstractmethod
    async def executemany(self, sql: str, rows: Iterable[Params]) -> None: ...

    @abstractmethod
    async def execute_fetchall(self, sql: str, params: Params = ()) -> list[Row]: ...

    @abstractmethod
    def transaction(self, *, immediate: bool = True) -> AbstractAsyncContextManager[None]:
        """A unit of work: every statement inside commits together or not at all.

        Opened inside another by the same task, it joins the outer one.
        """

    @property
    @abstractmethod
    def in_transaction(self) -> bool:
        """Whether the calling task is inside a unit of work on this database."""

    @abstractmethod
    async def schema_version(self) -> int:
        """The number of the last migration applied (0 for a new database)."""

    @abstractmethod
    async def apply_migration(self, sql: str, version: int) -> bool:
        """Run one migration script and record `version`, in one transaction (all or nothing). False when another
        process sharing the database applied it first (PostgreSQL: shard processes that start together)."""

    @abstractmethod
    async def close(self) -> None: ...


class SqliteDatabase(Database):
    """SQLite through aiosqlite: one writing connection shared by the bot's coroutines, with group commit, and a
    read-only second connection for reads outside a unit of work.

    **Group commit.** Units of work run one at a time (a lock), each inside its own `SAVEPOINT`. When a unit ends
    and others are already waiting for the lock, the transaction is left open for them: the next unit runs in the
    same transaction, and one `COMMIT` ends the batch (at most `BATCH_UNITS` units or `BATCH_SECONDS` old). A caller
    leaves `transaction()` only after the `COMMIT` that holds its writes, so an acknowledged write is as durable as
    before; a failing unit rolls back to its savepoint and takes no neighbour with it. Without a burst every unit
    is its own transaction, as before.

    **Few trips.** Each trip to aiosqlite's thread costs about as much as a small statement, so transaction control
    never travels alone: `BEGIN IMMEDIATE` and the unit's `SAVEPOINT` go with its first statement, a unit that
    succeeds sends nothing of its own (its savepoint stays open until the batch's `COMMIT`, which ends them all),
    and the batch's `COMMIT` goes with nothing else to wait for. A daily answer is three trips: the post's lock
    (with `BEGIN` and `SAVEPOINT`), the upsert, the `COMMIT`; inside a burst, two.

    **Isolated reads.** A statement outside a unit of work that only reads (`SELECT`) runs on the reader
    connection, which sees committed data only (WAL): never a neighbour's unit still open or about to roll back.
    Any other statement outside a unit runs as a unit of its own.
    """

    dialect = "sqlite"
    BATCH_UNITS = 256
    BATCH_SECONDS = 0.02

    def __init__(self, conn: aiosqlite.Connection, reader: aiosqlite.Connection | None = None) -> None:
        self.raw = conn
        self.reader = reader
        # A unit of work holds the lock from its SAVEPOINT to its end, so another coroutine's statements can never
        # land inside it (or be rolled back with it).
        self._lock = asyncio.Lock()
        self._waiting = 0  # tasks waiting for the lock (a unit that ends leaves the batch open only for them)
        self._batch: list[asyncio.Future[None]] | None = None  # units in the open transaction, awaiting COMMIT
        self._batch_started = 0.0
        # Transaction control not sent yet (BEGIN IMMEDIATE, SAVEPOINT): it rides with the unit's first statement,
        # in the same trip to aiosqlite's thread.
        self._prefix: list[str] = []
        self._flushing: asyncio.Task[None] | None = None
        self._closing: asyncio.Future[None] | None = None

    def _take_prefix(self) -> tuple[str, ...]:
        prefix, self._prefix = tuple(self._prefix), []
        return prefix

    def _control(self, prefix: tuple[str, ...]) -> None:
        for sql in prefix:
            self.raw._conn.execute(sql).close()

    def _run(self, prefix: tuple[str, ...], sql: str, params: Params) -> Result:
        self._control(prefix)
        cursor = self.raw._conn.execute(sql, params)
        try:
            return Result(cursor.rowcount, cursor.lastrowid)
        finally:
            cursor.close()

    def _run_fetchall(self, prefix: tuple[str, ...], sql: str, params: Params) -> list[Row]:
        self._control(prefix)
        cursor = self.raw._conn.execute(sql, params)
        try:
            return cursor.fetchall()
        finally:
            cursor.close()

    def _run_many(self, prefix: tuple[str, ...], sql: str, rows: list[Params]) -> None:
        self._control(prefix)
        self.raw._conn.executemany(sql, rows).close()

    async def _on_writer(self, function: Callable[..., T], *args: Any) -> T:
        """`function` on the writing connection's thread, in one trip with the unsent control; outside a unit of
        work, as a unit of its own."""
        if self.in_transaction:
            return await self.raw._execute(function, self._take_prefix(), *args)
        async with self.transaction():
            return await self.raw._execute(function, self._take_prefix(), *args)

    async def execute(self, sql: str, params: Params = ()) -> Result:
        """One statement in one trip to aiosqlite's thread (execute and close together)."""
        return await self._on_writer(self._run, sql, params)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        await self._on_writer(self._run_many, sql, list(rows))

    async def execute_fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        if not self.in_transaction and self.reader is not None and _reads_only(sql):
            return list(await self.reader.execute_fetchall(sql, params))
        return await self._on_writer(self._run_fetchall, sql, params)

    async def _statement(self, *statements: str) -> None:
        """Transaction control, after whatever of it is still unsent, in one trip (stopping at the first failure)."""
        await self.raw._execute(self._control, (*self._take_prefix(), *statements))

    @asynccontextmanager
    async def _holding(self) -> AsyncIterator[None]:
        """The lock, counting this task among the waiters until it has it."""
        self._waiting += 1
        try:
            await self._lock.acquire()
        except BaseException:
            self._waiting -= 1
            self._flush_if_abandoned()
            raise
        self._waiting -= 1
        try:
            yield
        finally:
            self._lock.release()

    def _flush_if_abandoned(self) -> None:
        """A waiter gave up (cancelled): if it was the one the open batch was left for, commit the batch."""
        if self._batch is not None and self._waiting == 0 and (self._flushing is None or self._flushing.done()):
            self._flushing = asyncio.get_running_loop().create_task(self._flush())

    async def _flush(self) -> None:
        async with self._holding():
            await self._commit_batch()

    async def _commit_batch(self) -> None:
        """COMMIT the open batch (under the lock) and wake every unit in it, to the end even if the caller is
        cancelled: its neighbours wait for that COMMIT, and the lock is not let go before it is over."""
        batch, self._batch = self._batch, None
        if batch is not None:
            await _uncancellable(self._end_batch(batch))

    async def _end_batch(self, batch: list[asyncio.Future[None]]) -> None:
        """COMMIT (after any unsent control) and tell each unit of the batch how it went."""
        if self._prefix[:1] == ["BEGIN IMMEDIATE"]:  # no unit of the batch sent a statement: nothing to commit
            self._prefix.clear()
        else:
            try:
                await self._statement("COMMIT")
            except BaseException as error:
                await self._lose_batch(batch, error if isinstance(error, Exception) else
                                       RuntimeError("commit interrupted"))
                raise
        for done in batch:
            if not done.done():
                done.set_result(None)

    @asynccontextmanager
    async def transaction(self, *, immediate: bool = True) -> AsyncIterator[None]:
        """A unit of work: a SAVEPOINT inside a (possibly shared) BEGIN IMMEDIATE ... COMMIT.

        Every write goes through here, even a single statement, so that it cannot be swept into (and rolled back
        with) another coroutine's unit. `immediate` is kept for the interface: the batch always takes the write
        lock first. A unit that succeeds leaves its savepoint open (the batch's COMMIT ends every savepoint in
        it), so it costs no statement of its own; one that fails rolls back to its savepoint and releases it.
        """
        if self.in_transaction:
            yield
            return
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        failure: BaseException | None = None
        async with self._holding():
            token = _inside.set((*_inside.get(), id(self)))
            try:
                opened = self._batch is None
                if opened:
                    self._batch, self._batch_started = [], loop.time()
                    self._prefix.append("BEGIN IMMEDIATE")
                batch = self._batch
                assert batch is not None
                mark = len(self._prefix)  # from here on, this unit's own control
                self._prefix.append("SAVEPOINT unit")
                try:
                    yield
                except BaseException as error:
                    failure = error
                    await self._rollback_unit(batch, mark, opened)
                else:
                    batch.append(done)
                if self._batch is not None and self._batch_due(loop):
                    self._batch = None
                    # a failed COMMIT reaches every unit of the batch through its future (this one's too)
                    with contextlib.suppress(Exception):
                        await _uncancellable(self._end_batch(batch))
            finally:
                _inside.reset(token)
        if failure is not None:
            raise failure
        await done

    def _batch_due(self, loop: asyncio.AbstractEventLoop) -> bool:
        """Whether the open batch should COMMIT now: nobody is waiting to join it, or it is full or old enough."""
        assert self._batch is not None
        return (self._waiting == 0 or len(self._batch) >= self.BATCH_UNITS
                or loop.time() - self._batch_started >= self.BATCH_SECONDS)

    async def _rollback_unit(self, batch: list[asyncio.Future[None]], mark: int, opened: bool) -> None:
        """Undo this unit alone; if SQLite already ended the whole transaction (some errors do), the batch is lost
        and every unit in it hears so (none of them was acknowledged)."""
        if len(self._prefix) > mark:  # it failed before its first statement: nothing of it reached SQLite
            del self._prefix[mark:]
            if opened:  # and neither did the batch's BEGIN, which was this unit's (the batch holds nothing else)
                self._prefix.clear()
                self._batch = None
            return
        try:
            await self._statement("ROLLBACK TO unit", "RELEASE unit")
        except sqlite3.Error as error:
            self._batch = None
            await self._lose_batch(batch, error)

    async def _lose_batch(self, batch: list[asyncio.Future[None]], error: Exception) -> None:
        """The batch did not commit: end what SQLite still has open of it, and tell each of its units why."""
        if self.raw._conn is not None and self.raw._conn.in_transaction:
            await self._statement("ROLLBACK")
        for done in batch:
            if not done.done():
                done.set_exception(error)

    @property
    def in_transaction(self) -> bool:
        return id(self) in _inside.get()

    async def schema_version(self) -> int:
        rows = await self.execute_fetchall("PRAGMA user_version")
        return int(rows[0][0]) if rows else 0

    async def apply_migration(self, sql: str, version: int) -> bool:
        script = f"BEGIN IMMEDIATE;\n{sql}\n;PRAGMA user_version = {int(version)};\nCOMMIT;"
        async with self._holding():
            await self._commit_batch()
            try:
                await self.raw.executescript(script)
            except BaseException:
                if self.raw.in_transaction:
                    await self.raw.execute("ROLLBACK")
                raise
        return True  # one process per SQLite file: nobody else migrates it

    async def close(self) -> None:
        """Commit the open batch (its units are waiting for it), then close both connections.

        Once, whoever asks and however often: a second caller waits for the first, and a cancelled caller does not
        stop it (each connection is a thread that would otherwise keep the process from exiting).
        """
        if self._closing is None:
            self._closing = asyncio.ensure_future(self._close())
        await asyncio.shield(self._closing)

    async def _close(self) -> None:
        try:
            async with self._holding():
                await self._commit_batch()
        finally:
            if self.reader is not None:
                await self.reader.close()
            await self.raw.close()


async def _uncancellable(work: Awaitable[None]) -> None:
    """Await `work` to its end even if the caller is cancelled meanwhile; the cancellation is raised after."""
    task = asyncio.ensure_future(work)
    cancelled = False
    while not task.done():
        try:
            await asyncio.wait([task])
        except asyncio.CancelledError:
            cancelled = True
    if cancelled:
        raise asyncio.CancelledError
    task.result()


def _read_only_uri(path: Path | str) -> str:
    return Path(os.path.abspath(path)).as_uri() + "?mode=ro"


_WRITES = re.compile(r"\b(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def _reads_only(sql: str) -> bool:
    """A SELECT, or a WITH ... SELECT with no data-changing statement in it. A read taken for a write only costs a
    trip through the unit's lock; a write taken for a read fails on the read-only connection, loudly."""
    head = sql.lstrip()[:6].upper()
    return head == "SELECT" or (head[:4] == "WITH" and _WRITES.search(sql) is None)


async def open_database(path: Path | str, *, synchronous: str = "NORMAL") -> SqliteDatabase:
    """Open (creating folders as needed) in autocommit mode; transactions are always explicit.

    `synchronous="FULL"` (the SQLITE_SYNCHRONOUS setting) makes every COMMIT wait for the disk; the default,
    NORMAL, is durable against a crash of the bot and may lose the last commits on a power loss, as WAL documents.
    """
    synchronous = synchronous.upper()
    if synchronous not in SYNCHRONOUS_MODES:
        raise ValueError(f"synchronous must be NORMAL or FULL, not {synchronous!r}")
    memory = str(path) == ":memory:"
    if not memory:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = await aiosqlite.connect(str(path), isolation_level=None)
    conn.row_factory = sqlite3.Row
    await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    await conn.execute("PRAGMA journal_mode = WAL")
    await conn.execute(f"PRAGMA synchronous = {synchronous}")
    await conn.execute("PRAGMA foreign_keys = ON")
    reader = None
    if not memory:
        reader = await aiosqlite.connect(_read_only_uri(path), uri=True, isolation_level=None)
        reader.row_factory = sqlite3.Row
        await reader.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return SqliteDatabase(conn, reader)


async def fetch_all(db: Database, sql: str, params: Params = ()) -> list[Row]:
    """Every row of a query, in one trip."""
    return await db.execute_fetchall(sql, params)


async def fetch_one(db: Database, sql: str, params: Params = ()) -> Row | None:
    """The first row of a query, or None, in one trip."""
    rows = await db.execute_fetchall(sql, params)
    return next(iter(rows), None)


def in_list(values: Iterable[Any]) -> tuple[str, list[Any]]:
    """`(?, ?, ?)` and its parameters, for `x IN ...` written once for both engines; `(NULL)` (never true) if empty."""
    items = list(values)
    return ("(" + ", ".join("?" * len(items)) + ")" if items else "(NULL)"), items


def transaction(db: Database, *, immediate: bool = True) -> AbstractAsyncContextManager[None]:
    """`db.transaction()`, for call sites written as `async with transaction(db):`."""
    return db.transaction(immediate=immediate)
