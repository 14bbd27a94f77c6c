"""Weekly recaps and monthly season summaries: each guild's settings, one claimed row per guild and ISO week (and
per guild and month), and their figures."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from bot.clock import iso, parse_iso
from bot.domain.boards import guild_timezone
from bot.domain.recap import DEFAULT_TIME, DEFAULT_WEEKDAY
from bot.domain.scoring import ANSWER_ON_TIME
from bot.storage.database import Database, fetch_all, fetch_one
from bot.storage.points import NOT_PRIVATE
from bot.storage.schedules import guild_zone_columns
from bot.storage.shards import guild_filter


@dataclass(frozen=True, slots=True)
class RecapSettings:
    guild_id: int
    channel_id: int | None  # None: the channel of the guild's first schedule
    weekday: int
    at: time
    enabled: bool
    configured: bool  # False: no row, the defaults apply
    season: bool = False  # the monthly season summary (opt-in)


@dataclass(frozen=True, slots=True)
class RecapRow:
    id: int
    guild_id: int
    week: str
    first_date: str
    last_date: str
    channel_id: int
    status: str
    message_id: int | None
    due_at: datetime


@dataclass(frozen=True, slots=True)
class PostFigures:
    post_id: int
    question_id: str
    channel_id: int
    message_id: int | None
    local_date: str
    coverages: list[tuple[int, ...] | None]
    red: int


@dataclass(frozen=True, slots=True)
class VotedAnswerRow:
    answer_id: int
    user_id: int
    votes: int
    question_id: str
    thread_id: int | None
    message_id: int | None


def _recap(row) -> RecapRow:
    return RecapRow(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], parse_iso(row[8]))


_RECAP_COLUMNS = "id, guild_id, week, first_date, last_date, channel_id, status, message_id, due_at"


_SETTINGS_COLUMNS = "channel_id, weekday, post_time, enabled, season"


def _columns(alias: str) -> str:
    return ", ".join(f"{alias}.{name}" for name in _SETTINGS_COLUMNS.split(", "))


def _settings(guild_id: int, row: Sequence[Any] | None) -> RecapSettings:
    """A guild's recap settings from its `_SETTINGS_COLUMNS`; None (no row): the defaults."""
    if row is None:
        return RecapSettings(guild_id, None, DEFAULT_WEEKDAY, DEFAULT_TIME, True, False)
    return RecapSettings(guild_id, row[0], row[1], time.fromisoformat(row[2]), bool(row[3]), True, bool(row[4]))


class RecapRepository:
    def __init__(self, conn: Database) -> None:
        self.conn = conn

    async def guild_language(self, guild_id: int) -> str | None:
        row = await fetch_one(self.conn, "SELECT language FROM guild_settings WHERE guild_id = ?", (guild_id,))
        return str(row[0]) if row else None

    # -- settings --------------------------------------------------------------------------------------------
    async def settings(self, guild_id: int) -> RecapSettings:
        row = await fetch_one(
            self.conn,
            f"SELECT {_SETTINGS_COLUMNS} FROM recap_settings WHERE guild_id = ?",
            (guild_id,),
        )
        return _settings(guild_id, row)

    async def save_settings(self, value: RecapSettings, updated_by: int) -> None:
        await self.conn.execute(
            "INSERT INTO recap_settings (guild_id, channel_id, weekday, post_time, enabled, updated_by) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id, "
            "weekday = excluded.weekday, post_time = excluded.post_time, enabled = excluded.enabled, "
            "updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            (value.guild_id, value.channel_id, value.weekday, value.at.strftime("%H:%M"), int(value.enabled),
             updated_by),
        )

    async def save_season(self, guild_id: int, on: bool, updated_by: int) -> None:
        """Turn the season summary on or off; the weekly recap's settings stay as they are (or the defaults)."""
        await self.conn.execute(
            "INSERT INTO recap_settings (guild_id, season, updated_by) VALUES (?, ?, ?) ON CONFLICT (guild_id) "
            "DO UPDATE SET season = excluded.season, updated_by = excluded.updated_by, "
            "updated_at = excluded.updated_at", (guild_id, int(on), updated_by))

    async def candidates(self) -> list[tuple[RecapSettings, str, int | None]]:
        """Every guild that may get a recap, with its settings (the defaults where it has no row), its server time
        zone and its first schedule's channel: one query for the whole sweep (no query per guild)."""
        mine, params = guild_filter(self.conn)
        rows = await fetch_all(
            self.conn,
            f"SELECT c.guild_id, r.guild_id IS NOT NULL AS configured, {_columns('r')}, "
            f"{guild_zone_columns('c.guild_id')}, "
            "(SELECT s.channel_id FROM schedules s WHERE s.guild_id = c.guild_id ORDER BY s.id LIMIT 1) "
            f"FROM (SELECT guild_id FROM schedules WHERE 1 = 1{mine} "
            f"UNION SELECT guild_id FROM recap_settings WHERE 1 = 1{mine}) c "
            "LEFT JOIN recap_settings r ON r.guild_id = c.guild_id ORDER BY c.guild_id", (*params, *params))
        return [(_settings(row[0], row[2:7] if row[1] else None), guild_timezone(row[7], row[8]), row[9])
                for row in rows]

    async def weeks_since(self, since: datetime) -> dict[int, set[str]]:
        """The weeks each guild has a recap row for, among those due since `since`: one query for the sweep."""
        mine, params = guild_filter(self.conn)
        rows = await fetch_all(self.conn, f"SELECT guild_id, week FROM recaps WHERE due_at >= ?{mine}",
                               (iso(since), *params))
        found: dict[int, set[str]] = {}
        for row in rows:
            found.setdefault(row[0], set()).add(row[1])
        return found

    async def first_schedule_channel(self, guild_id: int) -> int | None:
        row = await fetch_one(
            self.conn,
            "SELECT channel_id FROM schedules WHERE guild_id = ? ORDER BY id LIMIT 1", (guild_id,),
        )
        return row[0] if row else None

    # -- the once-per-week rows ------------------------------------------------------------------------------
    async def claim(self, *, guild_id: int, week: str, first_date: str, last_date: str, channel_id: int,
                    due_at: datetime) -> RecapRow | None:
        """Reserve the guild's recap of `week`; None when that week already has one (the unique key)."""
        row = await fetch_one(
            self.conn,
            "INSERT INTO recaps (guild_id, week, first_date, last_date, channel_id, due_at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (guild_id, week) DO NOTHING RETURNING id",
            (guild_id, week, first_date, last_date, channel_id, iso(due_at)),
        )
        if row is None:
            return None
        return await self.get(int(row[0]))

    async def get(self, recap_id: int) -> RecapRow | None:
        row = await fetch_one(self.conn, f"SELECT {_RECAP_COLUMNS} FROM recaps WHERE id = ?", (recap_id,))
        return _recap(row) if row else None

    async def unsent(self) -> list[RecapRow]:
        mine, params = guild_filter(self.conn)
        rows = await fetch_all(
            self.conn,
            f"SELECT {_RECAP_COLUMNS} FROM recaps WHERE status = 'pending'{mine} ORDER BY id", params)
        return [_recap(row) for row in rows]

    async def mark(self, recap_id: int, status: str, *, message_id: int | None = None,
                   now: datetime | None = None) -> None:
        await self.conn.execute(
            "UPDATE recaps SET status = ?, message_id = ?, posted_at = ? WHERE id = ? AND status = 'pending'",
            (status, message_id, iso(now) if now else None, recap_id),
        )

    # -- the week's figures (members who hid or left are left out) ---------------------------------------------
    async def top_members(self, guild_id: int, first: str, last: str, limit: int) -> list[tuple[int, int]]:
        rows = await fetch_all(
            self.conn,
            "SELECT l.user_id, CAST(sum(l.points) AS BIGINT) AS total FROM points_ledger l WHERE l.guild_id = ? "
            f"AND l.local_date BETWEEN ? AND ? AND {NOT_PRIVATE.format(t='l')} GROUP BY l.user_id "
            "HAVING sum(l.points) > 0 ORDER BY total DESC, l.user_id LIMIT ?", (guild_id, first, last, limit),
        )
        return [(row[0], row[1]) for row in rows]

    async def streaks(self, guild_id: int) -> list[tuple[int, int, str | None]]:
        """(member, current streak, last answer date) of visible members with a streak, longest first."""
        rows = await fetch_all(
            self.conn,
            "SELECT m.user_id, m.current_streak, m.last_answer_date FROM members m WHERE m.guild_id = ? "
            f"AND m.current_streak > 0 AND {NOT_PRIVATE.format(t='m')} "
            "ORDER BY m.current_streak DESC, m.user_id", (guild_id,),
        )
        return [(row[0], row[1], row[2]) for row in rows]

    async def posts(self, guild_id: int, first: str, last: str) -> list[PostFigures]:
        week = "p.guild_id = ? AND p.local_date BETWEEN ? AND ? AND p.status = 'revealed'"
        rows = await fetch_all(
            self.conn,
            "SELECT p.id, p.question_id, p.channel_id, p.message_id, p.local_date, "
            "(SELECT count(*) FROM reactions r WHERE r.post_id = p.id AND r.emoji = '🔴') "
            f"FROM posts p WHERE {week} ORDER BY p.local_date, p.id", (guild_id, first, last),
        )
        coverages: dict[int, list[tuple[int, ...] | None]] = {row[0]: [] for row in rows}
        for post_id, coverage in await fetch_all(
            self.conn,
            f"SELECT a.post_id, a.coverage FROM revealed_answers a JOIN posts p ON p.id = a.post_id WHERE {week} "
            "ORDER BY a.post_id, a.id", (guild_id, first, last),
        ):
            coverages[post_id].append(tuple(json.loads(coverage)) if coverage is not None else None)
        return [PostFigures(row[0], row[1], row[2], row[3], row[4], coverages[row[0]], row[5]) for row in rows]

    async def most_voted(self, guild_id: int, first: str, last: str, limit: int) -> list[VotedAnswerRow]:
        rows = await fetch_all(
            self.conn,
            "SELECT a.id, a.user_id, count(*) AS votes, p.question_id, p.thread_id, a.reveal_message_id "
            "FROM answer_votes v JOIN revealed_answers a ON a.id = v.answer_id JOIN posts p ON p.id = a.post_id "
            f"WHERE a.guild_id = ? AND p.local_date BETWEEN ? AND ? AND {NOT_PRIVATE.format(t='a')} "
            "GROUP BY a.id, a.user_id, p.question_id, p.thread_id, a.reveal_message_id "
            "ORDER BY votes DESC, a.id LIMIT ?", (guild_id, first, last, limit),
        )
        return [VotedAnswerRow(*row) for row in rows]


@dataclass(frozen=True, slots=True)
class SeasonGuild:
    """A guild with the season summary on, as one sweep reads every such guild at once."""

    guild_id: int
    channel_id: int | None  # the recap channel, else the first schedule's; None: nowhere to post
    chosen_timezone: str | None
    first_timezone: str | None
    last_claimed: str | None  # the latest month claimed, "2026-11"


@dataclass(frozen=True, slots=True)
class SeasonRow:
    id: int
    guild_id: int
    month: str
    channel_id: int
    due_at: datetime


@dataclass(frozen=True, slots=True)
class MonthFigures:
    posts: int
    answers: int
    members: int


class SeasonRepository:
    """The monthly season summaries: who gets one, the claimed rows, and the month's figures."""

    def __init__(self, conn: Database) -> None:
        self.conn = conn

    async def guilds(self) -> list[SeasonGuild]:
        """Every guild with the season summary on, with what deciding whether one is due needs: one query."""
        mine, params = guild_filter(self.conn, "s.guild_id")
        rows = await self.conn.execute_fetchall(
            "SELECT s.guild_id, coalesce(s.channel_id, (SELECT c.channel_id FROM schedules c "
            "WHERE c.guild_id = s.guild_id ORDER BY c.id LIMIT 1)), "
            "(SELECT g.timezone FROM guild_settings g WHERE g.guild_id = s.guild_id AND g.timezone_chosen = 1), "
            "(SELECT c.timezone FROM schedules c WHERE c.guild_id = s.guild_id ORDER BY c.id LIMIT 1), "
            "(SELECT max(z.month) FROM seasons z WHERE z.guild_id = s.guild_id) "
            f"FROM recap_settings s WHERE s.season = 1{mine} ORDER BY s.guild_id", params)
        return [SeasonGuild(*row) for row in rows]

    async def claim(self, guild_id: int, month: str, channel_id: int, due_at: datetime) -> bool:
        """Reserve the guild's summary of `month`; False when it has one already (the unique key)."""
        cursor = await self.conn.execute(
            "INSERT INTO seasons (guild_id, month, channel_id, due_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (guild_id, month) DO NOTHING", (guild_id, month, channel_id, iso(due_at)))
        return cursor.rowcount > 0

    async def unsent(self) -> list[SeasonRow]:
        mine, params = guild_filter(self.conn)
        rows = await self.conn.execute_fetchall(
            f"SELECT id, guild_id, month, channel_id, due_at FROM seasons WHERE status = 'pending'{mine} ORDER BY id",
            params)
        return [SeasonRow(r[0], r[1], r[2], r[3], parse_iso(r[4])) for r in rows]

    async def mark(self, season_id: int, status: str, *, message_id: int | None = None,
                   now: datetime | None = None) -> None:
        await self.conn.execute(
            "UPDATE seasons SET status = ?, message_id = ?, posted_at = ? WHERE id = ? AND status = 'pending'",
            (status, message_id, iso(now) if now else None, season_id))

    # -- the month's figures (members who hid or left are left out of the names) -----------------------------
    async def answer_days(self, guild_id: int, first: str, last: str) -> dict[int, list[str]]:
        """Each visible member's local days with an on-time daily answer in the month (what streaks count)."""
        rows = await self.conn.execute_fetchall(
            "SELECT l.user_id, l.local_date FROM points_ledger l WHERE l.guild_id = ? AND l.reason = ? "
            f"AND l.source_type = 'answer' AND l.local_date BETWEEN ? AND ? AND {NOT_PRIVATE.format(t='l')} "
            "GROUP BY l.user_id, l.local_date", (guild_id, ANSWER_ON_TIME, first, last))
        days: dict[int, list[str]] = {}
        for user_id, day in rows:
            days.setdefault(user_id, []).append(day)
        return days

    async def answers_by_question(self, guild_id: int, first: str, last: str) -> list[tuple[str, int]]:
        rows = await self.conn.execute_fetchall(
            "SELECT question_id, count(*) FROM revealed_answers WHERE guild_id = ? AND local_date BETWEEN ? AND ? "
            "GROUP BY question_id", (guild_id, first, last))
        return [(row[0], row[1]) for row in rows]

    async def figures(self, guild_id: int, first: str, last: str) -> MonthFigures:
        rows = await self.conn.execute_fetchall(
            "SELECT (SELECT count(*) FROM posts WHERE guild_id = :g AND status = 'revealed' "
            "AND local_date BETWEEN :a AND :b), count(*), count(DISTINCT user_id) FROM revealed_answers "
            "WHERE guild_id = :g AND local_date BETWEEN :a AND :b", {"g": guild_id, "a": first, "b": last})
        return MonthFigures(*rows[0])
