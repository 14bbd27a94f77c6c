"""Opening the SQLite database with the pragmas the bot relies on, and explicit transactions."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

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


@asynccontextmanager
async def transaction(conn: aiosqlite.Connection, *, immediate: bool = True) -> AsyncIterator[None]:
    """BEGIN IMMEDIATE (take the write lock before reading) ... COMMIT, or ROLLBACK on any error."""
    await conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
    try:
        yield
    except BaseException:
        await conn.execute("ROLLBACK")
        raise
    await conn.execute("COMMIT")
