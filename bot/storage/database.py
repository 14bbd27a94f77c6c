"""Opening the SQLite database with the pragmas the bot relies on, and explicit transactions."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from pathlib import Path
from sqlite3 import Row
from typing import Any

import aiosqlite

BUSY_TIMEOUT_MS = 5000


async def open_database(path: Path | str) -> aiosqlite.Connection:
    """Open (creating folders as needed) in autocommit mode; transactions are always explicit."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = await aiosqlite.connect(str(path), isolation_level=None)
    conn.row_factory = aiosqlite.Row
    await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    await conn.execute("PRAGMA journal_mode = WAL")
    await conn.execute("PRAGMA synchronous = NORMAL")
    await conn.execute("PRAGMA foreign_keys = ON")
    return conn


async def fetch_all(conn: aiosqlite.Connection, sql: str,
                    params: Sequence[Any] | Mapping[str, Any] = ()) -> list[Row]:
    """Every row of a query, in one trip to aiosqlite's thread (execute, fetch and close together)."""
    return list(await conn.execute_fetchall(sql, params))


async def fetch_one(conn: aiosqlite.Connection, sql: str,
                    params: Sequence[Any] | Mapping[str, Any] = ()) -> Row | None:
    """The first row of a query, or None, in one trip to aiosqlite's thread."""
    rows = await conn.execute_fetchall(sql, params)
    return next(iter(rows), None)


# The bot shares one connection between coroutines. A transaction holds the connection's lock from BEGIN to
# COMMIT, so another coroutine's statements can never land inside it (or be rolled back with it).
_locks: weakref.WeakKeyDictionary[aiosqlite.Connection, asyncio.Lock] = weakref.WeakKeyDictionary()
_inside: ContextVar[tuple[int, ...]] = ContextVar("inside_transaction", default=())


@asynccontextmanager
async def transaction(conn: aiosqlite.Connection, *, immediate: bool = True) -> AsyncIterator[None]:
    """BEGIN IMMEDIATE (take the write lock before reading) ... COMMIT, or ROLLBACK on any error.

    Serialised per connection; a transaction opened inside another by the same task joins the outer one.
    Every write goes through here, even a single statement, so that it cannot be swept into (and rolled back
    with) another coroutine's open transaction.
    """
    if id(conn) in _inside.get():
        yield
        return
    lock = _locks.setdefault(conn, asyncio.Lock())
    async with lock:
        token = _inside.set((*_inside.get(), id(conn)))
        try:
            await conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
            try:
                yield
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
            await conn.execute("COMMIT")
        finally:
            _inside.reset(token)
