"""The command tree last synced to Discord, by scope, so that a start syncs only when the tree changed."""

from __future__ import annotations

from datetime import datetime

from bot.clock import iso
from bot.storage.database import Database


async def synced_hash(conn: Database, scope: str) -> str | None:
    rows = await conn.execute_fetchall("SELECT tree_hash FROM command_sync WHERE scope = ?", (scope,))
    return rows[0][0] if rows else None


async def record_sync(conn: Database, scope: str, tree_hash: str, now: datetime) -> None:
    await conn.execute(
        "INSERT INTO command_sync (scope, tree_hash, synced_at) VALUES (?, ?, ?) "
        "ON CONFLICT (scope) DO UPDATE SET tree_hash = excluded.tree_hash, synced_at = excluded.synced_at",
        (scope, tree_hash, iso(now)))
