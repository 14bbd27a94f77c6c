"""Solo practice runs: the cards drawn for a member and their self-grades."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from bot.clock import iso
from bot.domain.practice import Run
from bot.storage.database import Database, fetch_all, fetch_one


class PracticeRepository:
    def __init__(self, conn: Database) -> None:
        self.conn = conn

    async def create(self, guild_id: int, user_id: int, topic_id: str | None, question_ids: Sequence[str],
                     now: datetime) -> Run:
        row = await fetch_one(
            self.conn,
            "INSERT INTO practice_runs (guild_id, user_id, topic_id, question_ids, started_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (guild_id, user_id, topic_id, json.dumps(list(question_ids)), iso(now), iso(now)),
        )
        return Run(int(row[0]) if row else 0, user_id, tuple(question_ids))

    async def get(self, run_id: int) -> tuple[Run, int] | None:
        """The run and its guild."""
        row = await fetch_one(self.conn, "SELECT * FROM practice_runs WHERE id = ?", (run_id,))
        if row is None:
            return None
        run = Run(row["id"], row["user_id"], tuple(json.loads(row["question_ids"])), row["position"],
                  bool(row["shown"]), tuple(json.loads(row["grades"])))
        return run, row["guild_id"]

    async def save(self, run: Run, now: datetime) -> None:
        await self.conn.execute(
            "UPDATE practice_runs SET position = ?, shown = ?, grades = ?, updated_at = ? WHERE id = ?",
            (run.position, int(run.shown), json.dumps(list(run.grades)), iso(now), run.id),
        )

    async def member_runs(self, guild_id: int, user_id: int) -> list[dict[str, object]]:
        rows = await fetch_all(
            self.conn,
            "SELECT question_ids, grades, started_at FROM practice_runs WHERE guild_id = ? AND user_id = ? "
            "ORDER BY id", (guild_id, user_id),
        )
        return [{"question_ids": json.loads(r["question_ids"]), "self_grades": json.loads(r["grades"]),
                 "started_at": r["started_at"]} for r in rows]

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        cursor = await self.conn.execute("DELETE FROM practice_runs WHERE guild_id = ? AND user_id = ?",
                                         (guild_id, user_id))
        return cursor.rowcount
