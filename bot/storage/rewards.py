"""SQL of the rewards: a server's settings, the best answer of each post, nudge opt-ins and the nudge claims."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from bot.clock import iso, parse_iso
from bot.domain.rewards import DEFAULT_DELAY_MINUTES, Candidate
from bot.storage.database import Database, Row, fetch_one
from bot.storage.rows import PostRow


@dataclass(frozen=True, slots=True)
class RewardsSettings:
    guild_id: int
    best_answer: bool = False
    delay_minutes: int = DEFAULT_DELAY_MINUTES
    best_answer_since: datetime | None = None
    nudges: bool = False


@dataclass(frozen=True, slots=True)
class RevealedAnswer:
    """An answer as the best-answer pick needs it: where it is shown and what it earned."""

    id: int
    post_id: int
    guild_id: int
    user_id: int
    late: bool
    covered: int
    created_at: datetime
    reveal_message_id: int | None

    def candidate(self) -> Candidate:
        return Candidate(self.id, self.user_id, self.covered, self.created_at, self.late)


@dataclass(frozen=True, slots=True)
class BestAnswer:
    post_id: int
    answer_id: int
    guild_id: int
    user_id: int
    picked_by: int | None
    highlighted: bool


@dataclass(frozen=True, slots=True)
class NudgeMember:
    guild_id: int
    user_id: int
    language: str
    dm_failed_at: datetime | None


@dataclass(frozen=True, slots=True)
class NudgeTarget:
    """A member to nudge about a post: opted in, not answered, reveal within the hour."""

    guild_id: int
    user_id: int
    language: str
    post_id: int
    channel_id: int
    message_id: int | None
    local_date: str
    reveal_due_at: datetime


def _answer(row: Row) -> RevealedAnswer:
    coverage = row["coverage"]
    return RevealedAnswer(id=row["id"], post_id=row["post_id"], guild_id=row["guild_id"], user_id=row["user_id"],
                          late=bool(row["late"]), covered=len(json.loads(coverage)) if coverage else 0,
                          created_at=parse_iso(row["created_at"]), reveal_message_id=row["reveal_message_id"])


def _best(row: Row) -> BestAnswer:
    return BestAnswer(post_id=row["post_id"], answer_id=row["answer_id"], guild_id=row["guild_id"],
                      user_id=row["user_id"], picked_by=row["picked_by"], highlighted=row["highlighted_at"] is not None)


_ANSWER_COLUMNS = "a.id, a.post_id, a.guild_id, a.user_id, a.late, a.coverage, a.created_at, a.reveal_message_id"


class RewardsRepository:
    def __init__(self, conn: Database) -> None:
        self.conn = conn

    # -- settings --------------------------------------------------------------------------------------------
    async def settings(self, guild_id: int) -> RewardsSettings:
        row = await fetch_one(self.conn, "SELECT * FROM rewards_settings WHERE guild_id = ?", (guild_id,))
        if row is None:
            return RewardsSettings(guild_id)
        since = row["best_answer_since"]
        return RewardsSettings(guild_id, bool(row["best_answer"]), row["best_answer_delay"],
                               parse_iso(since) if since else None, bool(row["nudges"]))

    async def set_best_answer(self, guild_id: int, enabled: bool, delay_minutes: int | None, now: datetime) -> None:
        """Turning it on (from off) starts the auto-pick's reach now; a delay of None keeps the current one."""
        await self.conn.execute(
            "INSERT INTO rewards_settings (guild_id, best_answer, best_answer_delay, best_answer_since, updated_at) "
            "VALUES (?, ?, coalesce(CAST(? AS INTEGER), ?), ?, ?) ON CONFLICT (guild_id) DO UPDATE SET "
            "best_answer = excluded.best_answer, "
            "best_answer_delay = coalesce(CAST(? AS INTEGER), rewards_settings.best_answer_delay), "
            "best_answer_since = CASE WHEN excluded.best_answer = 1 AND rewards_settings.best_answer = 1 "
            "THEN rewards_settings.best_answer_since WHEN excluded.best_answer = 1 THEN excluded.best_answer_since "
            "ELSE NULL END, updated_at = excluded.updated_at",
            (guild_id, int(enabled), delay_minutes, DEFAULT_DELAY_MINUTES, iso(now) if enabled else None, iso(now),
             delay_minutes))

    async def set_nudges(self, guild_id: int, enabled: bool, now: datetime) -> None:
        await self.conn.execute(
            "INSERT INTO rewards_settings (guild_id, nudges, updated_at) VALUES (?, ?, ?) ON CONFLICT (guild_id) "
            "DO UPDATE SET nudges = excluded.nudges, updated_at = excluded.updated_at",
            (guild_id, int(enabled), iso(now)))

    # -- best answers ----------------------------------------------------------------------------------------
    async def answer(self, answer_id: int) -> RevealedAnswer | None:
        row = await fetch_one(self.conn, f"SELECT {_ANSWER_COLUMNS} FROM answers a WHERE a.id = ?", (answer_id,))
        return _answer(row) if row else None

    async def answers_of(self, post_id: int) -> list[RevealedAnswer]:
        """The post's answers that are in its reveal thread, oldest first."""
        rows = await self.conn.execute_fetchall(
            f"SELECT {_ANSWER_COLUMNS} FROM answers a WHERE a.post_id = ? AND a.reveal_message_id IS NOT NULL "
            "ORDER BY a.created_at, a.id", (post_id,))
        return [_answer(row) for row in rows]

    async def claim_best(self, answer: RevealedAnswer, picked_by: int | None, now: datetime) -> bool:
        """One INSERT: the post's primary key lets exactly one pick through. Inside the caller's transaction."""
        cursor = await self.conn.execute(
            "INSERT INTO best_answers (post_id, answer_id, guild_id, user_id, picked_by, picked_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (post_id) DO NOTHING",
            (answer.post_id, answer.id, answer.guild_id, answer.user_id, picked_by, iso(now)))
        return cursor.rowcount == 1

    async def best_of(self, post_id: int) -> BestAnswer | None:
        row = await fetch_one(self.conn, "SELECT * FROM best_answers WHERE post_id = ?", (post_id,))
        return _best(row) if row else None

    async def mark_highlighted(self, post_id: int, now: datetime) -> None:
        await self.conn.execute("UPDATE best_answers SET highlighted_at = ? WHERE post_id = ?", (iso(now), post_id))

    async def unhighlighted(self) -> list[BestAnswer]:
        rows = await self.conn.execute_fetchall(
            "SELECT * FROM best_answers WHERE highlighted_at IS NULL ORDER BY post_id")
        return [_best(row) for row in rows]

    async def unpicked_reveals(self, since: datetime) -> list[tuple[PostRow, RewardsSettings]]:
        """Posts revealed since `since` in servers with best answers on, with a thread and no best answer yet."""
        rows = await self.conn.execute_fetchall(
            "SELECT p.*, s.best_answer_delay AS delay, s.best_answer_since AS since FROM posts p "
            "JOIN rewards_settings s ON s.guild_id = p.guild_id AND s.best_answer = 1 "
            "WHERE p.status = 'revealed' AND p.revealed_at >= ? AND p.thread_id IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM best_answers b WHERE b.post_id = p.id) ORDER BY p.revealed_at",
            (iso(since),))
        return [(PostRow.from_row(row), RewardsSettings(row["guild_id"], True, row["delay"],
                                                         parse_iso(row["since"]) if row["since"] else None))
                for row in rows]

    # -- nudges ----------------------------------------------------------------------------------------------
    async def nudge_member(self, guild_id: int, user_id: int) -> NudgeMember | None:
        row = await fetch_one(self.conn, "SELECT * FROM nudge_members WHERE guild_id = ? AND user_id = ?",
                                     (guild_id, user_id))
        if row is None:
            return None
        failed = row["dm_failed_at"]
        return NudgeMember(guild_id, user_id, row["language"], parse_iso(failed) if failed else None)

    async def opt_in(self, guild_id: int, user_id: int, language: str, now: datetime) -> None:
        """Opting in again also resumes nudges a refused DM paused."""
        await self.conn.execute(
            "INSERT INTO nudge_members (guild_id, user_id, language, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (guild_id, user_id) DO UPDATE SET language = excluded.language, dm_failed_at = NULL, "
            "dm_failed_told = 0, updated_at = excluded.updated_at", (guild_id, user_id, language, iso(now)))

    async def opt_out(self, guild_id: int, user_id: int) -> bool:
        cursor = await self.conn.execute("DELETE FROM nudge_members WHERE guild_id = ? AND user_id = ?",
                                         (guild_id, user_id))
        return cursor.rowcount > 0

    async def nudge_targets(self, now: datetime, until: datetime) -> list[NudgeTarget]:
        """Opted-in members (not paused, not gone) of servers with nudges on, who have not answered a post whose
        reveal is due in (now, until] and were not nudged that day; the soonest reveal first."""
        rows = await self.conn.execute_fetchall(
            "SELECT m.guild_id, m.user_id, m.language, p.id AS post_id, p.channel_id, p.message_id, p.local_date, "
            "p.reveal_due_at FROM posts p "
            "JOIN rewards_settings s ON s.guild_id = p.guild_id AND s.nudges = 1 "
            "JOIN nudge_members m ON m.guild_id = p.guild_id AND m.dm_failed_at IS NULL "
            "WHERE p.status = 'posted' AND p.answers_closed_at IS NULL AND p.reveal_due_at > ? "
            "AND p.reveal_due_at <= ? "
            "AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.post_id = p.id AND a.user_id = m.user_id) "
            "AND NOT EXISTS (SELECT 1 FROM member_privacy v WHERE v.guild_id = m.guild_id "
            "AND v.user_id = m.user_id AND v.left_at IS NOT NULL) "
            "AND NOT EXISTS (SELECT 1 FROM nudges n WHERE n.guild_id = m.guild_id AND n.user_id = m.user_id "
            "AND n.local_date = p.local_date) ORDER BY p.reveal_due_at, p.id, m.user_id",
            (iso(now), iso(until)))
        return [NudgeTarget(row["guild_id"], row["user_id"], row["language"], row["post_id"], row["channel_id"],
                            row["message_id"], row["local_date"], parse_iso(row["reveal_due_at"])) for row in rows]

    async def claim_nudge(self, target: NudgeTarget, now: datetime) -> bool:
        """One INSERT: (server, member, local day) lets exactly one nudge through, across restarts."""
        cursor = await self.conn.execute(
            "INSERT INTO nudges (guild_id, user_id, local_date, post_id, status, claimed_at) "
            "VALUES (?, ?, ?, ?, 'claimed', ?) ON CONFLICT DO NOTHING",
            (target.guild_id, target.user_id, target.local_date, target.post_id, iso(now)))
        return cursor.rowcount == 1

    async def settle_nudge(self, target: NudgeTarget, status: str, message_id: int | None = None) -> None:
        await self.conn.execute(
            "UPDATE nudges SET status = ?, message_id = ? WHERE guild_id = ? AND user_id = ? AND local_date = ?",
            (status, message_id, target.guild_id, target.user_id, target.local_date))

    async def note_dm_failed(self, guild_id: int, user_id: int, now: datetime) -> None:
        await self.conn.execute(
            "UPDATE nudge_members SET dm_failed_at = ?, dm_failed_told = 0, updated_at = ? "
            "WHERE guild_id = ? AND user_id = ?", (iso(now), iso(now), guild_id, user_id))

    async def take_dm_notice(self, guild_id: int, user_id: int) -> datetime | None:
        """When a refused nudge DM has not been mentioned to the member yet: its time, marked as told now."""
        row = await fetch_one(
            self.conn,
            "UPDATE nudge_members SET dm_failed_told = 1 WHERE guild_id = ? AND user_id = ? "
            "AND dm_failed_at IS NOT NULL AND dm_failed_told = 0 RETURNING dm_failed_at", (guild_id, user_id),
        )
        return parse_iso(row[0]) if row else None

    async def nudges_of(self, guild_id: int, user_id: int) -> list[tuple[str, str]]:
        rows = await self.conn.execute_fetchall(
            "SELECT local_date, status FROM nudges WHERE guild_id = ? AND user_id = ? ORDER BY local_date",
            (guild_id, user_id))
        return [(row[0], row[1]) for row in rows]

    async def delete_member(self, guild_id: int, user_id: int) -> None:
        await self.conn.execute("DELETE FROM nudge_members WHERE guild_id = ? AND user_id = ?", (guild_id, user_id))
        await self.conn.execute("DELETE FROM nudges WHERE guild_id = ? AND user_id = ?", (guild_id, user_id))
