"""The points ledger (every point with its reason), the board totals kept with it, and members' streaks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain.boards import board_name, total_keys
from bot.storage.database import Database, fetch_all, fetch_one

# A member who hid from the public boards, or left the guild, is on no board (their points still count).
NOT_PRIVATE = (
    "NOT EXISTS (SELECT 1 FROM member_privacy p WHERE p.guild_id = {t}.guild_id AND p.user_id = {t}.user_id "
    "AND (p.hidden = 1 OR p.left_at IS NOT NULL))"
)


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
    def __init__(self, conn: Database) -> None:
        self.conn = conn

    async def award(self, entry: LedgerEntry, *, replace: bool = False) -> int:
        """Record an award once per (member, reason, source); `replace` updates a recomputed one (peer votes).

        The board totals change by the difference in the same transaction, so a replaced award is never counted
        twice. Callers must run inside `transaction(...)`. Returns the change in the member's points.
        """
        if not self.conn.in_transaction:
            raise RuntimeError("PointsRepository.award must run inside transaction(...): the ledger entry and "
                               "the board totals are written together")
        key = (entry.guild_id, entry.user_id, entry.reason, entry.source_type, entry.source_id)
        old = await fetch_one(
            self.conn,
            "SELECT id, points, local_date, topic_id FROM points_ledger WHERE guild_id = ? AND user_id = ? "
            "AND reason = ? AND source_type = ? AND source_id = ?", key,
        )
        if old is None:
            await self.conn.execute(
                "INSERT INTO points_ledger (guild_id, user_id, points, reason, source_type, source_id, topic_id, "
                "local_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (*key[:2], entry.points, *key[2:], entry.topic_id, entry.local_date),
            )
            change, local_date, topic_id = entry.points, entry.local_date, entry.topic_id
        elif replace and old[1] != entry.points:
            old_id, old_points, local_date, topic_id = old
            await self.conn.execute("UPDATE points_ledger SET points = ? WHERE id = ?", (entry.points, old_id))
            # The stored row keeps its day and topic, so the difference goes where its first points went.
            change = entry.points - old_points
        else:
            return 0
        if change:
            await self._add_to_totals(entry.guild_id, entry.user_id, change, local_date, topic_id, entry.source_type)
        return change

    async def _add_to_totals(self, guild_id: int, user_id: int, change: int, local_date: str, topic_id: str | None,
                             source_type: str) -> None:
        boards = total_keys(local_date, topic_id, source_type)
        values = ", ".join(["(?, ?, ?, ?)"] * len(boards))
        params = [value for board in boards for value in (guild_id, board, user_id, change)]
        await self.conn.execute(
            f"INSERT INTO board_totals (guild_id, board, user_id, points) VALUES {values} "
            "ON CONFLICT (guild_id, board, user_id) DO UPDATE SET points = board_totals.points + excluded.points",
            params,
        )

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        """Remove every ledger entry and board total of a member in a guild (inside the caller's transaction)."""
        cursor = await self.conn.execute(
            "DELETE FROM points_ledger WHERE guild_id = ? AND user_id = ?", (guild_id, user_id))
        await self.conn.execute("DELETE FROM board_totals WHERE guild_id = ? AND user_id = ?", (guild_id, user_id))
        return cursor.rowcount

    async def entries_for(self, guild_id: int, user_id: int) -> list[tuple[str, int]]:
        rows = await fetch_all(
            self.conn,
            "SELECT reason, points FROM points_ledger WHERE guild_id = ? AND user_id = ? ORDER BY id",
            (guild_id, user_id),
        )
        return [(row[0], row[1]) for row in rows]

    async def top(self, guild_id: int, *, since: str | None = None, limit: int = 10) -> list[Standing]:
        """The guild's leaders (all time from the board totals, or since a local date from the ledger).

        Members who hid from the boards or left the guild are left out.
        """
        if since is None:
            sql = ("SELECT t.user_id, t.points FROM board_totals t WHERE t.guild_id = ? AND t.board = ? "
                   f"AND t.points > 0 AND {NOT_PRIVATE.format(t='t')} ORDER BY t.points DESC, t.user_id LIMIT ?")
            params: tuple[object, ...] = (guild_id, board_name("all", ""), limit)
        else:
            sql = ("SELECT l.user_id, CAST(sum(l.points) AS BIGINT) AS total FROM points_ledger l "
                   f"WHERE l.guild_id = ? AND l.local_date >= ? AND {NOT_PRIVATE.format(t='l')} "
                   "GROUP BY l.user_id HAVING sum(l.points) != 0 ORDER BY total DESC, l.user_id LIMIT ?")
            params = (guild_id, since, limit)
        rows = await fetch_all(self.conn, sql, params)
        return [Standing(row[0], row[1]) for row in rows]

    async def streak(self, guild_id: int, user_id: int) -> StreakRow:
        row = await fetch_one(
            self.conn,
            "SELECT current_streak, best_streak, last_answer_date FROM members WHERE guild_id = ? AND user_id = ?",
            (guild_id, user_id),
        )
        if row is None:
            return StreakRow(0, 0, None)
        return StreakRow(row[0], row[1], date.fromisoformat(row[2]) if row[2] else None)

    async def save_streak(self, guild_id: int, user_id: int, streak: StreakRow) -> None:
        await self.conn.execute(
            "INSERT INTO members (guild_id, user_id, current_streak, best_streak, last_answer_date) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, user_id) DO UPDATE SET "
            "current_streak = excluded.current_streak, best_streak = excluded.best_streak, "
            "last_answer_date = excluded.last_answer_date, updated_at = excluded.updated_at",
            (guild_id, user_id, streak.current, streak.best,
             streak.last_day.isoformat() if streak.last_day else None),
        )
