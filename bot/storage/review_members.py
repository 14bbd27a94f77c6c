"""Members' review settings (time zone, daily reminder) and the reminder claims, one per member and local day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from bot.clock import iso, parse_iso
from bot.domain.boards import guild_timezone
from bot.storage.database import Database, fetch_all, fetch_one
from bot.storage.schedules import guild_zones
from bot.storage.shards import guild_filter


@dataclass(frozen=True, slots=True)
class ReviewMember:
    user_id: int
    timezone: str | None
    remind_time: time | None
    remind_guild_id: int | None
    language: str
    dm_failed_at: datetime | None
    dm_failed_told: bool

    @classmethod
    def from_row(cls, row) -> ReviewMember:
        return cls(
            user_id=row["user_id"], timezone=row["timezone"],
            remind_time=time.fromisoformat(row["remind_time"]) if row["remind_time"] else None,
            remind_guild_id=row["remind_guild_id"], language=row["language"],
            dm_failed_at=parse_iso(row["dm_failed_at"]) if row["dm_failed_at"] else None,
            dm_failed_told=bool(row["dm_failed_told"]),
        )


class ReviewMemberRepository:
    def __init__(self, conn: Database) -> None:
        self.conn = conn

    async def get(self, user_id: int) -> ReviewMember | None:
        row = await fetch_one(self.conn, "SELECT * FROM review_members WHERE user_id = ?", (user_id,))
        return ReviewMember.from_row(row) if row else None

    async def remind(self, *, user_id: int, remind_time: time, timezone: str | None, guild_id: int | None,
                     language: str, now: datetime) -> None:
        """Opt in (or change the time). A new zone replaces the old one; no zone keeps it. Clears a DM failure."""
        await self.conn.execute(
            "INSERT INTO review_members (user_id, timezone, remind_time, remind_guild_id, language, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
            "timezone = coalesce(excluded.timezone, review_members.timezone), remind_time = excluded.remind_time, "
            "remind_guild_id = coalesce(excluded.remind_guild_id, review_members.remind_guild_id), "
            "language = excluded.language, "
            "dm_failed_at = NULL, dm_failed_told = 0, updated_at = excluded.updated_at",
            (user_id, timezone, remind_time.strftime("%H:%M"), guild_id, language, iso(now)),
        )

    async def stop_reminders(self, user_id: int, now: datetime) -> bool:
        cursor = await self.conn.execute(
            "UPDATE review_members SET remind_time = NULL, dm_failed_at = NULL, dm_failed_told = 0, updated_at = ? "
            "WHERE user_id = ? AND remind_time IS NOT NULL", (iso(now), user_id))
        return cursor.rowcount > 0

    async def with_reminders(self) -> list[tuple[ReviewMember, str]]:
        """Members who opted in and whose DMs have not been refused since, each with the zone of their reminder:
        their own, else that of the guild where they opted in, else UTC."""
        mine, params = guild_filter(self.conn, "coalesce(m.remind_guild_id, 0)")
        rows = await fetch_all(
            self.conn,
            "SELECT m.*, (SELECT timezone FROM guild_settings g WHERE g.guild_id = m.remind_guild_id "
            "AND g.timezone_chosen = 1) AS chosen, (SELECT timezone FROM schedules s "
            "WHERE s.guild_id = m.remind_guild_id ORDER BY s.id LIMIT 1) AS first_schedule FROM review_members m "
            f"WHERE m.remind_time IS NOT NULL AND m.dm_failed_at IS NULL{mine} ORDER BY m.user_id", params,
        )
        return [(ReviewMember.from_row(row),
                 row["timezone"] or guild_timezone(row["chosen"], row["first_schedule"])) for row in rows]

    async def note_dm_failed(self, user_id: int, now: datetime) -> None:
        await self.conn.execute(
            "UPDATE review_members SET dm_failed_at = ?, dm_failed_told = 0, updated_at = ? WHERE user_id = ?",
            (iso(now), iso(now), user_id))

    async def take_dm_notice(self, user_id: int) -> datetime | None:
        """When a refused reminder DM has not been mentioned to the member yet: its time, marked as told now."""
        rows = await self.conn.execute_fetchall(
            "UPDATE review_members SET dm_failed_told = 1 WHERE user_id = ? AND dm_failed_at IS NOT NULL "
            "AND dm_failed_told = 0 RETURNING dm_failed_at", (user_id,),
        )
        return parse_iso(rows[0][0]) if rows else None

    async def guild_timezone(self, guild_id: int) -> str | None:
        """The server time zone of a guild that has one (chosen, or its first schedule's)."""
        chosen, first = await guild_zones(self.conn, guild_id)
        return guild_timezone(chosen, first) if chosen or first else None

    # -- reminder claims -------------------------------------------------------------------------------------
    async def claim(self, user_id: int, day: date, status: str, due_cards: int, now: datetime) -> bool:
        """Take the member's reminder for local `day`; False when that day was already claimed (the primary key)."""
        cursor = await self.conn.execute(
            "INSERT INTO review_reminders (user_id, local_date, status, due_cards, claimed_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (user_id, local_date) DO NOTHING",
            (user_id, day.isoformat(), status, due_cards, iso(now)),
        )
        return cursor.rowcount > 0

    async def claimed(self, user_id: int, day: date) -> str | None:
        row = await fetch_one(
            self.conn,
            "SELECT status FROM review_reminders WHERE user_id = ? AND local_date = ?", (user_id, day.isoformat()),
        )
        return row[0] if row else None

    async def claims_since(self, since: date) -> set[tuple[int, date]]:
        rows = await fetch_all(
            self.conn,
            "SELECT user_id, local_date FROM review_reminders WHERE local_date >= ?", (since.isoformat(),),
        )
        return {(row[0], date.fromisoformat(row[1])) for row in rows}

    async def claimed_days(self, user_id: int, since: date) -> list[date]:
        rows = await fetch_all(
            self.conn,
            "SELECT local_date FROM review_reminders WHERE user_id = ? AND local_date >= ?",
            (user_id, since.isoformat()),
        )
        return [date.fromisoformat(row[0]) for row in rows]

    async def settle(self, user_id: int, day: date, status: str, message_id: int | None = None) -> None:
        await self.conn.execute(
            "UPDATE review_reminders SET status = ?, message_id = ? WHERE user_id = ? AND local_date = ?",
            (status, message_id, user_id, day.isoformat()),
        )

    async def forget_guild(self, user_id: int, guild_id: int) -> int:
        """Reminder settings made in the guild, with the member's reminder claims."""
        member = await self.get(user_id)
        if member is None or member.remind_guild_id != guild_id:
            return 0
        claims = await self.conn.execute("DELETE FROM review_reminders WHERE user_id = ?", (user_id,))
        await self.conn.execute("DELETE FROM review_members WHERE user_id = ?", (user_id,))
        return claims.rowcount + 1
