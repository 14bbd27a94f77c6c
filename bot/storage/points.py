"""The points ledger (every point with its reason) and members' streaks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import aiosqlite


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    guild_id: int
    user_id: int
    points: int
    reason: str
    source_type: str
    source_id: int
    local_date: str
    topic_id: str | None = None


@dataclass(frozen=True, slots=True)
class StreakRow:
    current: int
    best: int
    last_day: date | None


@dataclass(frozen=True, slots=True)
class Standing:
    user_id: int
    points: int


class PointsRepository:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def award(self, entry: LedgerEntry, *, replace: bool = False) -> None:
        """Record an award once per (member, reason, source); `replace` updates a recomputed one (peer votes)."""
        conflict = "DO UPDATE SET points = excluded.points" if replace else "DO NOTHING"
        await self.conn.execute(
            "INSERT INTO points_ledger (guild_id, user_id, points, reason, source_type, source_id, topic_id, "
            "local_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            f"ON CONFLICT (guild_id, user_id, reason, source_type, source_id) {conflict}",
            (entry.guild_id, entry.user_id, entry.points, entry.reason, entry.source_type, entry.source_id,
             entry.topic_id, entry.local_date),
        )

    async def entries_for(self, guild_id: int, user_id: int) -> list[tuple[str, int]]:
        async with self.conn.execute(
            "SELECT reason, points FROM points_ledger WHERE guild_id = ? AND user_id = ? ORDER BY id",
            (guild_id, user_id),
        ) as cursor:
            return [(row[0], row[1]) async for row in cursor]

    async def top(self, guild_id: int, *, since: str | None = None, limit: int = 10) -> list[Standing]:
        async with self.conn.execute(
            "SELECT user_id, sum(points) AS total FROM points_ledger WHERE guild_id = ? AND local_date >= ? "
            "GROUP BY user_id HAVING total != 0 ORDER BY total DESC, user_id LIMIT ?",
            (guild_id, since or "", limit),
        ) as cursor:
            return [Standing(row[0], row[1]) async for row in cursor]

    async def streak(self, guild_id: int, user_id: int) -> StreakRow:
        async with self.conn.execute(
            "SELECT current_streak, best_streak, last_answer_date FROM members WHERE guild_id = ? AND user_id = ?",
            (guild_id, user_id),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return StreakRow(0, 0, None)
        return StreakRow(row[0], row[1], date.fromisoformat(row[2]) if row[2] else None)

    async def save_streak(self, guild_id: int, user_id: int, streak: StreakRow) -> None:
        await self.conn.execute(
            "INSERT INTO members (guild_id, user_id, current_streak, best_streak, last_answer_date) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, user_id) DO UPDATE SET "
            "current_streak = excluded.current_streak, best_streak = excluded.best_streak, "
            "last_answer_date = excluded.last_answer_date, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            (guild_id, user_id, streak.current, streak.best,
             streak.last_day.isoformat() if streak.last_day else None),
        )
