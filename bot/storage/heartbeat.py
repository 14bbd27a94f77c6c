"""The heartbeat row the running bot refreshes, and the check the container's HEALTHCHECK runs."""

from __future__ import annotations

import os
from datetime import datetime

from bot import __version__
from bot.clock import iso, parse_iso
from bot.storage.database import Database, fetch_one


async def beat(conn: Database, now: datetime) -> None:
    await conn.execute(
        "INSERT INTO heartbeat (id, beat_at, pid, version) VALUES (1, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET beat_at = excluded.beat_at, pid = excluded.pid, "
        "version = excluded.version",
        (iso(now), os.getpid(), __version__),
    )


async def last_beat(conn: Database) -> datetime | None:
    row = await fetch_one(conn, "SELECT beat_at FROM heartbeat WHERE id = 1")
    return parse_iso(row[0]) if row else None
