"""The storage interface every repository uses, and its SQLite engine (the embedded default).

Repositories and services see a `Database`: `execute` (a `Result` with rowcount and lastrowid),
`executemany`, `execute_fetchall`, `transaction()`, `close()`. They never see the driver. SQL is written once,
with `?` (or `:name`) placeholders; an engine that needs another style rewrites it.
"""

from __future__ import annotations

import asyncio
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

import aiosqlite

from bot.domain.shards import ALL, Shards

BUSY_TIMEOUT_MS = 5000

Params = Sequence[Any] | Mapping[str, Any]
Row = Any  # sqlite3.Row or asyncpg.Record: both read by index and by column name


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
    async def apply_migration(self, sql: str, version: int) -> None:
        """Run one migration script and record `version`, in one transaction (all or nothing)."""

    @abstractmethod
    async def close(self) -> None: ...


class SqliteDatabase(Database):
    """SQLite through aiosqlite: one connection shared by the bot's coroutines, explicit transactions."""

    dialect = "sqlite"

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.raw = conn
        # A transaction holds the lock from BEGIN to COMMIT, so another coroutine's statements can never land
        # inside it (or be rolled back with it).
        self._lock = asyncio.Lock()

    def _run(self, sql: str, params: Params) -> Result:
        cursor = self.raw._conn.execute(sql, params)
        try:
            return Result(cursor.rowcount, cursor.lastrowid)
        finally:
            cursor.close()

    async def execute(self, sql: str, params: Params = ()) -> Result:
        """One statement in one trip to aiosqlite's thread (execute and close together)."""
        return await self.raw._execute(self._run, sql, params)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        await self.raw.executemany(sql, list(rows))

    async def execute_fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        return list(await self.raw.execute_fetchall(sql, params))

    @asynccontextmanager
    async def transaction(self, *, immediate: bool = True) -> AsyncIterator[None]:
        """BEGIN IMMEDIATE (take the write lock before reading) ... COMMIT, or ROLLBACK on any error.

        Every write goes through here, even a single statement, so that it cannot be swept into (and rolled back
        with) another coroutine's open transaction.
        """
        if self.in_transaction:
            yield
            return
        async with self._lock:
            token = _inside.set((*_inside.get(), id(self)))
            try:
                await self.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
                try:
                    yield
                except BaseException:
                    await self.execute("ROLLBACK")
                    raise
                await self.execute("COMMIT")
            finally:
                _inside.reset(token)

    @property
    def in_transaction(self) -> bool:
        return id(self) in _inside.get()

    async def schema_version(self) -> int:
        rows = await self.execute_fetchall("PRAGMA user_version")
        return int(rows[0][0]) if rows else 0

    async def apply_migration(self, sql: str, version: int) -> None:
        script = f"BEGIN IMMEDIATE;\n{sql}\n;PRAGMA user_version = {int(version)};\nCOMMIT;"
        async with self._lock:
            try:
                await self.raw.executescript(script)
            except BaseException:
                if self.raw.in_transaction:
                    await self.raw.execute("ROLLBACK")
                raise

    async def close(self) -> None:
        await self.raw.close()


async def open_database(path: Path | str) -> SqliteDatabase:
    """Open (creating folders as needed) in autocommit mode; transactions are always explicit."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = await aiosqlite.connect(str(path), isolation_level=None)
    conn.row_factory = sqlite3.Row
    await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    await conn.execute("PRAGMA journal_mode = WAL")
    await conn.execute("PRAGMA synchronous = NORMAL")
    await conn.execute("PRAGMA foreign_keys = ON")
    return SqliteDatabase(conn)


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
