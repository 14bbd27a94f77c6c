"""Guild settings, channel schedules, and the problems reported to a guild's admins."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.clock import SystemClock, iso, parse_iso
from bot.storage.database import Database, fetch_all, fetch_one, in_list, transaction
from bot.storage.rows import ScheduleRow, ScheduleSettings
from bot.storage.shards import guild_filter


@dataclass(frozen=True, slots=True)
class ScheduleInput(ScheduleSettings):
    created_by: int | None


class ScheduleRepository:
    def __init__(self, conn: Database) -> None:
        self.conn = conn

    async def save(self, value: ScheduleInput) -> ScheduleRow:
        """Create the channel's schedule or replace its settings (a channel has at most one)."""
        async with transaction(self.conn):
            await self.conn.execute(
                "INSERT INTO guild_settings (guild_id, timezone, language) VALUES (?, ?, ?) "
                "ON CONFLICT (guild_id) DO NOTHING",
                (value.guild_id, value.timezone, value.language),
            )
            await self.conn.execute(
                "INSERT INTO schedules (guild_id, channel_id, post_time, timezone, reveal_time, "
                "reveal_after_minutes, topics, min_difficulty, max_difficulty, ping_role_id, language, created_by) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (channel_id) DO UPDATE SET post_time = excluded.post_time, "
                "timezone = excluded.timezone, reveal_time = excluded.reveal_time, "
                "reveal_after_minutes = excluded.reveal_after_minutes, topics = excluded.topics, "
                "min_difficulty = excluded.min_difficulty, max_difficulty = excluded.max_difficulty, "
                "ping_role_id = excluded.ping_role_id, language = excluded.language, "
                "updated_at = excluded.updated_at, next_post_at = NULL",  # the sweep works out the new instant
                (
                    value.guild_id, value.channel_id, value.post_time.strftime("%H:%M"), value.timezone,
                    value.reveal_time.strftime("%H:%M") if value.reveal_time else None,
                    value.reveal_after_minutes, json.dumps(sorted(value.topics)), value.min_difficulty,
                    value.max_difficulty, value.ping_role_id, value.language, value.created_by,
                ),
            )
        schedule = await self.by_channel(value.channel_id)
        assert schedule is not None
        return schedule

    async def by_channel(self, channel_id: int) -> ScheduleRow | None:
        row = await fetch_one(self.conn, "SELECT * FROM schedules WHERE channel_id = ?", (channel_id,))
        return ScheduleRow.from_row(row) if row else None

    async def get(self, schedule_id: int) -> ScheduleRow | None:
        row = await fetch_one(self.conn, "SELECT * FROM schedules WHERE id = ?", (schedule_id,))
        return ScheduleRow.from_row(row) if row else None

    async def for_guild(self, guild_id: int) -> list[ScheduleRow]:
        rows = await fetch_all(self.conn, "SELECT * FROM schedules WHERE guild_id = ? ORDER BY id", (guild_id,))
        return [ScheduleRow.from_row(row) for row in rows]

    async def active(self) -> list[ScheduleRow]:
        mine, params = guild_filter(self.conn)
        rows = await fetch_all(self.conn, f"SELECT * FROM schedules WHERE paused = 0{mine} ORDER BY id", params)
        return [ScheduleRow.from_row(row) for row in rows]

    async def active_with_latest(self, due_by: datetime | None = None) -> list[tuple[ScheduleRow, str | None]]:
        """Active schedules with their latest post's local day, in one query (the sweep's read: its cost does not
        grow by a query per schedule). With `due_by`, only those whose next post instant has come by then or is
        not known yet (`next_post_at`, kept by the sweep): the sweep reads what it may have to act on, not all."""
        mine, params = guild_filter(self.conn, "s.guild_id")
        due = ""
        if due_by is not None:
            due, params = " AND (s.next_post_at IS NULL OR s.next_post_at <= ?)", (iso(due_by), *params)
        rows = await fetch_all(
            self.conn,
            "SELECT s.*, (SELECT max(p.local_date) FROM posts p WHERE p.schedule_id = s.id) AS latest_day "
            f"FROM schedules s WHERE s.paused = 0{due}{mine} ORDER BY s.id", params)
        return [(ScheduleRow.from_row(row), row["latest_day"]) for row in rows]

    async def active_by_ids(self, ids: Iterable[int]) -> list[ScheduleRow]:
        marks, values = in_list(ids)
        rows = await fetch_all(self.conn, f"SELECT * FROM schedules WHERE paused = 0 AND id IN {marks}", values)
        return [ScheduleRow.from_row(row) for row in rows]

    async def set_next_posts(self, instants: Iterable[tuple[int, datetime]]) -> None:
        """Record each schedule's next post instant (schedule id, instant), after the sweep looked at it."""
        rows = [(iso(when), schedule_id) for schedule_id, when in instants]
        if rows:
            await self.conn.executemany("UPDATE schedules SET next_post_at = ? WHERE id = ?", rows)

    async def next_post_after(self, now: datetime) -> datetime | None:
        """The earliest next post instant still ahead of `now`, over this process's active schedules (an index
        read): where the daily question's one wake-up goes."""
        mine, params = guild_filter(self.conn)
        rows = await self.conn.execute_fetchall(
            f"SELECT min(next_post_at) FROM schedules WHERE paused = 0 AND next_post_at > ?{mine}",
            (iso(now), *params))
        return parse_iso(rows[0][0]) if rows and rows[0][0] else None

    async def not_looked_at(self) -> list[ScheduleRow]:
        """Active schedules whose next post instant the sweep has not worked out yet (new, changed, resumed)."""
        mine, params = guild_filter(self.conn)
        rows = await fetch_all(
            self.conn, f"SELECT * FROM schedules WHERE paused = 0 AND next_post_at IS NULL{mine} ORDER BY id", params)
        return [ScheduleRow.from_row(row) for row in rows]

    async def set_paused(self, channel_id: int, paused: bool) -> bool:
        cursor = await self.conn.execute(
            "UPDATE schedules SET paused = ?, updated_at = ?, next_post_at = NULL WHERE channel_id = ?",
            (int(paused), iso(SystemClock().now()), channel_id))
        return cursor.rowcount > 0


class ReportRepository:
    """Which problems a server's admins were already told of."""

    def __init__(self, conn: Database) -> None:
        self.conn = conn

    async def first(self, guild_id: int, key: str, now: datetime) -> bool:
        """Record the report; False when this one was made before."""
        cursor = await self.conn.execute(
            "INSERT INTO admin_reports (guild_id, report_key, reported_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            (guild_id, key, iso(now)))
        return cursor.rowcount > 0


def guild_zone_columns(guild: str) -> str:
    """The two columns of `guild_zones` for the guild id expression `guild` (a parameter, or a column of a query
    over many guilds): the zone its admins chose, the zone of its first schedule."""
    return (f"(SELECT timezone FROM guild_settings WHERE guild_id = {guild} AND timezone_chosen = 1), "
            f"(SELECT timezone FROM schedules WHERE guild_id = {guild} ORDER BY id LIMIT 1)")


async def guild_zones(conn: Database, guild_id: int) -> tuple[str | None, str | None]:
    """(the zone the guild's admins chose, the zone of its first schedule), None where there is none: what
    `bot.domain.boards.guild_timezone` turns into the server time zone. Every reader asks these columns."""
    rows = await conn.execute_fetchall(f"SELECT {guild_zone_columns(':g')}", {"g": guild_id})
    return (rows[0][0], rows[0][1]) if rows else (None, None)


async def choose_timezone(conn: Database, guild_id: int, zone: str | None) -> None:
    """The admins' choice of server time zone; None goes back to the first schedule's zone."""
    await conn.execute(
        "INSERT INTO guild_settings (guild_id, timezone, timezone_chosen) VALUES (?, ?, ?) "
        "ON CONFLICT (guild_id) DO UPDATE SET timezone = excluded.timezone, "
        "timezone_chosen = excluded.timezone_chosen, updated_at = excluded.updated_at",
        (guild_id, zone or "UTC", int(zone is not None)))


async def guild_languages(conn: Database, guild_id: int) -> tuple[str | None, str | None]:
    """(the language the guild's admins chose, the language of its first schedule), None where there is none:
    what `server_language` turns into the server language. Every reader asks this one query."""
    rows = await conn.execute_fetchall(
        "SELECT (SELECT language FROM guild_settings WHERE guild_id = :g AND language_chosen = 1), "
        "(SELECT language FROM schedules WHERE guild_id = :g ORDER BY id LIMIT 1)", {"g": guild_id})
    return (rows[0][0], rows[0][1]) if rows else (None, None)


async def choose_language(conn: Database, guild_id: int, language: str) -> None:
    """The admins' choice of server language."""
    await conn.execute(
        "INSERT INTO guild_settings (guild_id, language, language_chosen) VALUES (?, ?, 1) "
        "ON CONFLICT (guild_id) DO UPDATE SET language = excluded.language, language_chosen = 1, "
        "updated_at = excluded.updated_at", (guild_id, language))

