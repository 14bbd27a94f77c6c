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
import threading
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

    async def run(self, unit: Callable[..., Awaitable[T]], *args: Any) -> T:
        """A unit of work written as one coroutine function: `unit(*args)`, all of it committed or none of it.

        The unit awaits nothing but this database's statements (no Discord, no sleep, no other task), so an engine
        may run it whole where the data is: SQLite runs it on aiosqlite's thread in one trip, together with the
        units other tasks sent meanwhile. Inside a unit of work already, it joins that one.
        """
        async with self.transaction():
            return await unit(*args)

    async def read(self, unit: Callable[..., Awaitable[T]], *args: Any) -> T:
        """A unit that only reads, written as for `run`: SQLite runs it in one trip on its reader, on one snapshot
        of committed data."""
        return await unit(*args)

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

    **Units in one trip** (`run`, `read`). A trip to aiosqlite's thread costs more than a small statement (60-90 µs
    here), so a use case on a hot path is written as one coroutine function that awaits only its statements, and
    is sent to the thread whole: there each statement it awaits runs at once (`_here`), the coroutine never
    suspends, and the trip returns with its value. Units that other tasks send meanwhile go in the same trip: one
    `BEGIN IMMEDIATE`, a `SAVEPOINT` per unit (a failing unit rolls back alone), one `COMMIT`, and only then is each
    caller answered. A statement outside any unit is a unit of its own (a SELECT goes to the reader instead). A daily
    answer is one trip; inside a burst, a share of one.

    **Group commit for `transaction()`**, the units written as `async with` blocks (they may await other things
    between statements). They run one at a time (a lock, which `run`'s batches take too), each inside its own
    `SAVEPOINT`. When a unit ends and others are already waiting for the lock, the transaction is left open for
    them: the next unit runs in the same transaction, and one `COMMIT` ends the batch (at most `BATCH_UNITS` units
    or `BATCH_SECONDS` old). A caller leaves `transaction()` only after the `COMMIT` that holds its writes; a failing
    unit rolls back to its savepoint and takes no neighbour with it. Transaction control never travels alone:
    `BEGIN IMMEDIATE` and the unit's `SAVEPOINT` go with its first statement, and a unit that succeeds sends
    nothing of its own (the batch's `COMMIT` ends every savepoint in it).

    **Isolated reads.** A statement outside a unit of work that only reads (`SELECT`) runs on the reader
    connection, which sees committed data only (WAL): never a neighbour's unit still open or about to roll back;
    `read` runs a whole unit there, inside one read transaction (one snapshot).
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
        # Units sent whole to a connection's thread (`run`, `read`), and how the code running there knows it is.
        self._writes = _Trips(self._send_writes, self.BATCH_UNITS, self._writer_turn)
        self._reads = _Trips(self._send_reads, self.BATCH_UNITS, contextlib.nullcontext)
        self._writer_thread = _thread_id(conn)
        self._reader_thread = _thread_id(reader) if reader is not None else None

    async def _send_reads(self, units: list[_Unit]) -> list[_Outcome]:
        assert self.reader is not None
        return await self.reader._execute(self._read_units, units)

    def _take_prefix(self) -> tuple[str, ...]:
        prefix, self._prefix = tuple(self._prefix), []
        return prefix

    def _control(self, prefix: tuple[str, ...]) -> None:
        for sql in prefix:
            self.raw._conn.execute(sql).close()

    def _run(self, prefix: tuple[str, ...], sql: str, params: Params) -> Result:
        self._control(prefix)
        return _execute_on(self.raw._conn, sql, params)

    def _run_fetchall(self, prefix: tuple[str, ...], sql: str, params: Params) -> list[Row]:
        self._control(prefix)
        return _fetchall_on(self.raw._conn, sql, params)

    def _run_many(self, prefix: tuple[str, ...], sql: str, rows: list[Params]) -> None:
        self._control(prefix)
        self.raw._conn.executemany(sql, rows).close()

    def _here(self) -> sqlite3.Connection | None:
        """The connection whose thread is running this code (a unit of work sent there by `run` or `read`)."""
        ident = threading.get_ident()
        if ident == self._writer_thread:
            return self.raw._conn
        if ident == self._reader_thread and self.reader is not None:
            return self.reader._conn
        return None

    async def execute(self, sql: str, params: Params = ()) -> Result:
        """One statement: inside a `transaction()`, one trip to aiosqlite's thread with the unit's unsent control;
        inside a unit that `run` sent to the thread, no trip at all; alone, a unit of its own (`run`)."""
        if (here := self._here()) is not None:
            return _execute_on(here, sql, params)
        if not self.in_transaction:
            return await self.run(self.execute, sql, params)
        return await self.raw._execute(self._run, self._take_prefix(), sql, params)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        if (here := self._here()) is not None:
            here.executemany(sql, list(rows)).close()
        elif not self.in_transaction:
            await self.run(self.executemany, sql, list(rows))
        else:
            await self.raw._execute(self._run_many, self._take_prefix(), sql, list(rows))

    async def execute_fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        """As `execute`; a read alone (a SELECT outside any unit) goes to the reader, which sees committed data."""
        if (here := self._here()) is not None:
            return _fetchall_on(here, sql, params)
        if not self.in_transaction:
            if self.reader is not None and _reads_only(sql):
                return list(await self.reader.execute_fetchall(sql, params))
            return await self.run(self.execute_fetchall, sql, params)
        return await self.raw._execute(self._run_fetchall, self._take_prefix(), sql, params)

    async def run(self, unit: Callable[..., Awaitable[T]], *args: Any) -> T:
        """`unit(*args)` whole on the writer's thread: one trip, with the units other tasks sent meanwhile, in one
        transaction (each unit in its own savepoint: a failing one rolls back alone). The caller returns after the
        COMMIT that holds its writes, as with `transaction()`."""
        if self.in_transaction:
            return await unit(*args)
        return await self._writes.submit(unit, args)

    async def read(self, unit: Callable[..., Awaitable[T]], *args: Any) -> T:
        """`unit(*args)` whole on the reader's thread, in one trip with the reads other tasks sent meanwhile, on one
        snapshot of committed data (a read transaction around them)."""
        if self.in_transaction:
            return await unit(*args)
        if self.reader is None:  # an in-memory database has no second connection
            return await self.run(unit, *args)
        return await self._reads.submit(unit, args)

    @asynccontextmanager
    async def _writer_turn(self) -> AsyncIterator[None]:
        """The lock that orders every unit of work on the writer, after COMMITting a `transaction()` batch left
        open for whoever came next."""
        async with self._holding():
            await self._commit_batch()
            yield

    async def _send_writes(self, units: list[_Unit]) -> list[_Outcome]:
        # The sending task is the queue's own: no caller's cancellation reaches it.
        return await self.raw._execute(self._write_units, units)

    def _write_units(self, units: list[_Unit]) -> list[_Outcome]:
        """On the writer's thread: BEGIN IMMEDIATE, each unit in a savepoint (a unit alone needs none: the
        transaction is its own), COMMIT. Outcomes are handed out only after the COMMIT; if SQLite ends the whole
        transaction (some errors do), the batch fails as one."""
        conn = self.raw._conn
        conn.execute("BEGIN IMMEDIATE").close()
        outcomes: list[_Outcome] = []
        alone = len(units) == 1
        try:
            for unit, args in units:
                if not alone:
                    conn.execute("SAVEPOINT unit").close()
                try:
                    value = _drive(unit(*args))
                except Exception as error:
                    if alone or not conn.in_transaction:
                        raise
                    conn.execute("ROLLBACK TO unit").close()
                    conn.execute("RELEASE unit").close()
                    outcomes.append((False, error))
                else:
                    if not alone:
                        conn.execute("RELEASE unit").close()
                    outcomes.append((True, value))
            conn.execute("COMMIT").close()
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK").close()
            raise
        return outcomes

    def _read_units(self, units: list[_Unit]) -> list[_Outcome]:
        """On the reader's thread: every unit of the batch inside one read transaction (one snapshot)."""
        assert self.reader is not None
        conn = self.reader._conn
        conn.execute("BEGIN").close()
        outcomes: list[_Outcome] = []
        try:
            for unit, args in units:
                try:
                    outcomes.append((True, _drive(unit(*args))))
                except Exception as error:
                    outcomes.append((False, error))
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT").close()
        return outcomes

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
        return id(self) in _inside.get() or self._here() is not None

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
            await self._writes.idle()
            await self._reads.idle()
            async with self._holding():
                await self._commit_batch()
        finally:
            if self.reader is not None:
                await self.reader.close()
            await self.raw.close()
            self._writer_thread = self._reader_thread = None  # a later thread may be given the same id


async def _uncancellable(work: Awaitable[T]) -> T:
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
    return task.result()


_Unit = tuple[Callable[..., Awaitable[Any]], tuple[Any, ...]]
_Outcome = tuple[bool, Any]  # (True, the unit's value) or (False, what it raised)


class UnitOfWorkError(RuntimeError):
    """A unit sent whole to the database's thread awaited something other than the database."""


def _refusal(what: str) -> UnitOfWorkError:
    return UnitOfWorkError(f"a unit of work sent to the database thread {what}: a unit may await only its "
                           "database's statements (do the rest before or after it)")


class _NoLoop:
    """The running loop a unit sees on the database thread: any use of it (a future, a task, a timer) is the unit
    waiting for something other than its statements."""

    def __getattr__(self, name: str) -> Any:
        raise _refusal(f"used the event loop ({name})")


_NO_LOOP = _NoLoop()


def _drive(coroutine: Any) -> Any:
    """Run a unit's coroutine to its end, here and now. Every statement it awaits completes without suspending (it
    runs on this very thread), so the coroutine never yields; one that does, or that reaches for the event loop,
    awaited something else, and is closed."""
    asyncio._set_running_loop(_NO_LOOP)  # type: ignore[arg-type]
    try:
        awaited = coroutine.send(None)
    except StopIteration as stop:
        return stop.value
    finally:
        asyncio._set_running_loop(None)
    coroutine.close()
    raise _refusal(f"awaited {awaited!r}")


class _Trips:
    """Units of work waiting for a connection's thread, and the one task that sends them there, a batch per trip."""

    def __init__(self, send: Callable[[list[_Unit]], Awaitable[list[_Outcome]]], limit: int,
                 turn: Callable[[], AbstractAsyncContextManager[Any]]) -> None:
        self._send = send
        self._limit = limit
        self._turn = turn  # held while a batch is taken and sent (the units are taken once it is the batch's turn)
        self._queued: list[tuple[Callable[..., Awaitable[Any]], tuple[Any, ...], asyncio.Future[Any]]] = []
        self._task: asyncio.Task[None] | None = None

    async def submit(self, unit: Callable[..., Awaitable[T]], args: tuple[Any, ...]) -> T:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[T] = loop.create_future()
        self._queued.append((unit, args, done))
        if self._task is None or self._task.done():
            self._task = loop.create_task(self._drain())
        return await done  # a caller cancelled before its trip leaves: its unit is not sent

    async def _drain(self) -> None:
        while self._queued:
            batch: list[tuple[Callable[..., Awaitable[Any]], tuple[Any, ...], asyncio.Future[Any]]] = []
            outcomes: list[_Outcome] = []
            try:
                async with self._turn():
                    batch = [queued for queued in self._queued[:self._limit] if not queued[2].done()]
                    del self._queued[:self._limit]
                    if batch:
                        outcomes = await self._send([(unit, args) for unit, args, _ in batch])
            except Exception as error:
                if not batch:  # the turn failed (an earlier batch's COMMIT: its own units heard why); try again
                    continue
                outcomes = [(False, error)] * len(batch)  # nothing of this batch committed: each unit hears why
            except BaseException:
                for *_, done in batch or self._queued:
                    if not done.done():
                        done.set_exception(RuntimeError("the database trip was interrupted"))
                raise
            for (*_, done), (ok, value) in zip(batch, outcomes, strict=True):
                if not done.done():
                    if ok:
                        done.set_result(value)
                    else:
                        done.set_exception(value)

    async def idle(self) -> None:
        """Until every unit queued so far has had its trip."""
        while self._task is not None and not self._task.done():
            await asyncio.shield(self._task)


def _thread_id(conn: aiosqlite.Connection) -> int | None:
    """The id of the thread aiosqlite runs a connection's statements on (0.22 holds it; 0.20 and 0.21 are it)."""
    return getattr(conn, "_thread", conn).ident


def _execute_on(conn: sqlite3.Connection, sql: str, params: Params) -> Result:
    cursor = conn.execute(sql, params)
    try:
        return Result(cursor.rowcount, cursor.lastrowid)
    finally:
        cursor.close()


def _fetchall_on(conn: sqlite3.Connection, sql: str, params: Params) -> list[Row]:
    cursor = conn.execute(sql, params)
    try:
        return cursor.fetchall()
    finally:
        cursor.close()


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
