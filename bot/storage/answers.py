"""Members' answers, peer votes on them, and reactions on posts."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from bot.clock import iso
from bot.storage.database import Database, fetch_all, fetch_one
from bot.storage.rows import AnswerRow


class AnswerRepository:
    def __init__(self, conn: Database) -> None:
        self.conn = conn

    async def save(self, *, post_id: int, guild_id: int, user_id: int, content: str, late: bool,
                   now: datetime) -> tuple[AnswerRow, bool] | None:
        """Insert the member's answer or replace its text, in one statement. Returns the stored row and whether it
        was new; None when `late` and the member has an answer already (a late answer is never edited).

        An answer first given on time stays on time when edited later; an edit never turns it late. A new row has
        `edits = 0` and every edit adds one, so the returned row says which it was.
        """
        at = iso(now)
        rows = await self.conn.execute_fetchall(
            "INSERT INTO answers (post_id, guild_id, user_id, content, late, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (post_id, user_id) DO UPDATE SET content = excluded.content, edits = answers.edits + 1, "
            "updated_at = excluded.updated_at WHERE excluded.late = 0 RETURNING *",
            (post_id, guild_id, user_id, content, int(late), at, at),
        )
        if not rows:
            return None
        stored = AnswerRow.from_row(rows[0])
        return stored, stored.edits == 0

    async def get(self, post_id: int, user_id: int) -> AnswerRow | None:
        row = await fetch_one(
            self.conn,
            "SELECT * FROM answers WHERE post_id = ? AND user_id = ?", (post_id, user_id),
        )
        return AnswerRow.from_row(row) if row else None

    async def by_id(self, answer_id: int) -> AnswerRow | None:
        row = await fetch_one(self.conn, "SELECT * FROM answers WHERE id = ?", (answer_id,))
        return AnswerRow.from_row(row) if row else None

    async def for_post(self, post_id: int) -> list[AnswerRow]:
        rows = await fetch_all(
            self.conn,
            "SELECT * FROM answers WHERE post_id = ? ORDER BY created_at, id", (post_id,),
        )
        return [AnswerRow.from_row(row) for row in rows]

    async def unposted_late(self, since: datetime) -> list[AnswerRow]:
        """Late answers to posts revealed since `since` that are stored but not yet in their reveal thread."""
        rows = await self.conn.execute_fetchall(
            "SELECT a.* FROM answers a JOIN posts p ON p.id = a.post_id WHERE p.status = 'revealed' "
            "AND p.thread_id IS NOT NULL AND p.revealed_at >= ? AND a.late = 1 AND a.reveal_message_id IS NULL "
            "ORDER BY a.id", (iso(since),))
        return [AnswerRow.from_row(row) for row in rows]

    async def set_coverage(self, answer_id: int, covered: tuple[int, ...]) -> None:
        await self.conn.execute("UPDATE answers SET coverage = ? WHERE id = ?", (json.dumps(list(covered)), answer_id))

    async def set_reveal_message(self, answer_ids: Sequence[int], message_id: int) -> set[int]:
        """Record the thread message that carries these answers; returns the ids that are still stored."""
        if not answer_ids:
            return set()
        marks = ", ".join("?" for _ in answer_ids)
        rows = await self.conn.execute_fetchall(
            f"UPDATE answers SET reveal_message_id = ? WHERE id IN ({marks}) RETURNING id",
            (message_id, *answer_ids))
        return {row[0] for row in rows}

    async def set_self_grade(self, answer_id: int, grade: str) -> None:
        await self.conn.execute("UPDATE answers SET self_grade = ? WHERE id = ?", (grade, answer_id))

    async def add_vote(self, answer_id: int, voter_id: int) -> bool:
        cursor = await self.conn.execute(
            "INSERT INTO answer_votes (answer_id, voter_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
            (answer_id, voter_id),
        )
        return cursor.rowcount > 0

    async def remove_vote(self, answer_id: int, voter_id: int) -> bool:
        cursor = await self.conn.execute(
            "DELETE FROM answer_votes WHERE answer_id = ? AND voter_id = ?", (answer_id, voter_id))
        return cursor.rowcount > 0

    async def vote_count(self, answer_id: int) -> int:
        row = await fetch_one(self.conn, "SELECT count(*) FROM answer_votes WHERE answer_id = ?", (answer_id,))
        return int(row[0]) if row else 0


class ReactionRepository:
    def __init__(self, conn: Database) -> None:
        self.conn = conn

    async def add(self, post_id: int, user_id: int, emoji: str) -> None:
        await self.conn.execute(
            "INSERT INTO reactions (post_id, user_id, emoji) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            (post_id, user_id, emoji),
        )

    async def remove(self, post_id: int, user_id: int, emoji: str) -> None:
        await self.conn.execute(
            "DELETE FROM reactions WHERE post_id = ? AND user_id = ? AND emoji = ?", (post_id, user_id, emoji))

    async def users(self, post_id: int, emoji: str) -> set[int]:
        rows = await self.conn.execute_fetchall(
            "SELECT user_id FROM reactions WHERE post_id = ? AND emoji = ?", (post_id, emoji))
        return {row[0] for row in rows}

    async def spread(self, post_id: int) -> Counter[str]:
        rows = await fetch_all(
            self.conn,
            "SELECT emoji, count(*) FROM reactions WHERE post_id = ? GROUP BY emoji", (post_id,),
        )
        return Counter({row[0]: row[1] for row in rows})
