"""The heartbeat rows the running bot refreshes, one per shard it runs, and what `python -m bot health` reads."""

from __future__ import annotations

import os
import socket
from collections.abc import Collection
from datetime import datetime

from bot import __version__
from bot.clock import iso, parse_iso
from bot.domain.shards import Shards
from bot.storage.database import Database


async def beat(db: Database, now: datetime, shards: Shards, connected: Collection[int]) -> None:
    """Refresh the heartbeat of each of `shards` whose gateway connection is open (`connected`)."""
    rows = [(shards.count, shard, iso(now), socket.gethostname(), os.getpid(), __version__)
            for shard in shards.owned if shard in connected]
    if rows:
        await db.executemany(
            "INSERT INTO shard_heartbeats (shard_count, shard_id, beat_at, host, pid, version) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (shard_count, shard_id) DO UPDATE SET "
            "beat_at = excluded.beat_at, host = excluded.host, pid = excluded.pid, version = excluded.version",
            rows,
        )


async def last_beats(db: Database, shards: Shards) -> dict[int, tuple[datetime, str, int]]:
    """The last heartbeat of each of `shards` that has one: shard -> (instant, host, pid)."""
    rows = await db.execute_fetchall(
        "SELECT shard_id, beat_at, host, pid FROM shard_heartbeats WHERE shard_count = ?", (shards.count,))
    return {int(r[0]): (parse_iso(r[1]), r[2], int(r[3])) for r in rows if int(r[0]) in shards.owned}
