"""Members' own data: the board privacy flags, everything a member left in a guild (export), and its deletion."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.clock import iso, parse_iso
from bot.storage.database import Database, fetch_all, fetch_one


@dataclass(frozen=True, slots=True)
class PrivacyRow:
    hidden: bool
    left_at: datetime | None


@dataclass(frozen=True, slots=True)
class VotedAnswer:
    """An answer by someone else that the member voted on; its peer-vote points change when the vote goes."""

    answer_id: int
    author_id: int
    late: bool
    question_id: str
    local_date: str


@dataclass(frozen=True, slots=True)
class PostedAnswer:
    """Where the bot showed one of the member's answers in a reveal thread."""

    thread_id: int
    message_id: int
    answer_id: int


async def _rows(conn: Database, sql: str, params: tuple[object, ...]) -> list[dict[str, Any]]:
    return [dict(row) for row in await conn.execute_fetchall(sql, params)]


class PrivacyRepository:
    def __init__(self, conn: Database) -> None:
        self.conn = conn

    # -- flags -----------------------------------------------------------------------------------------------
    async def get(self, guild_id: int, user_id: int) -> PrivacyRow:
        row = await fetch_one(
            self.conn,
            "SELECT hidden, left_at FROM member_privacy WHERE guild_id = ? AND user_id = ?", (guild_id, user_id),
        )
        if row is None:
            return PrivacyRow(False, None)
        return PrivacyRow(bool(row[0]), parse_iso(row[1]) if row[1] else None)

    async def set_hidden(self, guild_id: int, user_id: int, hidden: bool, now: datetime) -> None:
        await self.conn.execute(
            "INSERT INTO member_privacy (guild_id, user_id, hidden, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (guild_id, user_id) DO UPDATE SET hidden = excluded.hidden, updated_at = excluded.updated_at",
            (guild_id, user_id, int(hidden), iso(now)),
        )

    async def set_left(self, guild_id: int, user_id: int, left_at: datetime | None, now: datetime) -> None:
        await self.conn.execute(
            "INSERT INTO member_privacy (guild_id, user_id, left_at, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (guild_id, user_id) DO UPDATE SET left_at = excluded.left_at, "
            "updated_at = excluded.updated_at",
            (guild_id, user_id, iso(left_at) if left_at else None, iso(now)),
        )

    async def departed_before(self, cutoff: datetime) -> list[tuple[int, int]]:
        """(guild, member) of everyone who left at or before `cutoff` and has not come back."""
        rows = await fetch_all(
            self.conn,
            "SELECT guild_id, user_id FROM member_privacy WHERE left_at IS NOT NULL AND left_at <= ? "
            "ORDER BY left_at", (iso(cutoff),),
        )
        return [(row[0], row[1]) for row in rows]

    async def private_members(self, guild_id: int) -> set[int]:
        """Members on no public board: hidden, or gone from the guild."""
        rows = await fetch_all(
            self.conn,
            "SELECT user_id FROM member_privacy WHERE guild_id = ? AND (hidden = 1 OR left_at IS NOT NULL)",
            (guild_id,),
        )
        return {row[0] for row in rows}

    # -- export ----------------------------------------------------------------------------------------------
    async def answers(self, guild_id: int, user_id: int) -> list[dict[str, Any]]:
        rows = await _rows(
            self.conn,
            "SELECT a.id, p.local_date AS date, p.question_id, p.channel_id, a.content, a.late, a.edits, "
            "a.coverage, a.self_grade, a.created_at, a.updated_at, "
            "(SELECT count(*) FROM answer_votes v WHERE v.answer_id = a.id) AS votes_received "
            "FROM answers a JOIN posts p ON p.id = a.post_id WHERE a.guild_id = ? AND a.user_id = ? "
            "ORDER BY p.local_date, a.id", (guild_id, user_id))
        for row in rows:
            row["late"] = bool(row["late"])
            row["coverage"] = json.loads(row["coverage"]) if row["coverage"] is not None else None
        return rows

    async def votes_given(self, guild_id: int, user_id: int) -> list[dict[str, Any]]:
        return await _rows(
            self.conn,
            "SELECT v.answer_id, p.local_date AS date, p.question_id, v.created_at FROM answer_votes v "
            "JOIN answers a ON a.id = v.answer_id JOIN posts p ON p.id = a.post_id "
            "WHERE a.guild_id = ? AND v.voter_id = ? ORDER BY v.created_at", (guild_id, user_id))

    async def reactions(self, guild_id: int, user_id: int) -> list[dict[str, Any]]:
        return await _rows(
            self.conn,
            "SELECT p.local_date AS date, p.question_id, r.emoji, r.created_at FROM reactions r "
            "JOIN posts p ON p.id = r.post_id WHERE p.guild_id = ? AND r.user_id = ? ORDER BY r.created_at",
            (guild_id, user_id))

    async def points(self, guild_id: int, user_id: int) -> list[dict[str, Any]]:
        return await _rows(
            self.conn,
            "SELECT local_date AS date, points, reason, source_type, source_id, topic_id, created_at "
            "FROM points_ledger WHERE guild_id = ? AND user_id = ? ORDER BY local_date, id", (guild_id, user_id))

    async def streak(self, guild_id: int, user_id: int) -> dict[str, Any] | None:
        rows = await _rows(
            self.conn,
            "SELECT current_streak, best_streak, last_answer_date FROM members WHERE guild_id = ? AND user_id = ?",
            (guild_id, user_id))
        return rows[0] if rows else None

    # -- deletion (inside the caller's transaction) ----------------------------------------------------------
    async def voted_answers(self, guild_id: int, user_id: int) -> list[VotedAnswer]:
        rows = await fetch_all(
            self.conn,
            "SELECT a.id, a.user_id, a.late, p.question_id, p.local_date FROM answer_votes v "
            "JOIN answers a ON a.id = v.answer_id JOIN posts p ON p.id = a.post_id "
            "WHERE a.guild_id = ? AND v.voter_id = ? ORDER BY a.id", (guild_id, user_id),
        )
        return [VotedAnswer(row[0], row[1], bool(row[2]), row[3], row[4]) for row in rows]

    async def posted_answers(self, guild_id: int, user_id: int) -> list[PostedAnswer]:
        rows = await fetch_all(
            self.conn,
            "SELECT p.thread_id, a.reveal_message_id, a.id FROM answers a JOIN posts p ON p.id = a.post_id "
            "WHERE a.guild_id = ? AND a.user_id = ? AND p.thread_id IS NOT NULL AND a.reveal_message_id IS NOT NULL",
            (guild_id, user_id),
        )
        return [PostedAnswer(row[0], row[1], row[2]) for row in rows]

    async def delete_votes_given(self, guild_id: int, user_id: int) -> int:
        return (await self.conn.execute(
            "DELETE FROM answer_votes WHERE voter_id = ? AND answer_id IN (SELECT id FROM answers WHERE guild_id = ?)",
            (user_id, guild_id))).rowcount

    async def delete_answers(self, guild_id: int, user_id: int) -> int:
        """The member's answers; the votes they received go with them (foreign key cascade)."""
        return (await self.conn.execute("DELETE FROM answers WHERE guild_id = ? AND user_id = ?",
                                        (guild_id, user_id))).rowcount

    async def delete_reactions(self, guild_id: int, user_id: int) -> int:
        return (await self.conn.execute(
            "DELETE FROM reactions WHERE user_id = ? AND post_id IN (SELECT id FROM posts WHERE guild_id = ?)",
            (user_id, guild_id))).rowcount

    async def delete_member_rows(self, guild_id: int, user_id: int) -> None:
        """The streak row and the privacy flags."""
        await self.conn.execute("DELETE FROM members WHERE guild_id = ? AND user_id = ?", (guild_id, user_id))
        await self.conn.execute("DELETE FROM member_privacy WHERE guild_id = ? AND user_id = ?", (guild_id, user_id))

    async def vote_count(self, answer_id: int) -> int:
        row = await fetch_one(self.conn, "SELECT count(*) FROM answer_votes WHERE answer_id = ?", (answer_id,))
        return int(row[0]) if row else 0
