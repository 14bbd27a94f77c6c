"""What `/stats` reads: a member's answers by day, and each answer's question, coverage and self-grade; and what the
`/groups` chart reads: the same for a study group's members together."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection
from datetime import date

from bot.storage.database import Database, fetch_all, in_list


class ProgressRepository:
    def __init__(self, conn: Database) -> None:
        self.conn = conn

    async def answers_per_day(self, guild_id: int, user_id: int, since: date) -> Counter[date]:
        """Daily-question answers by the post's local day, from `since` on (revealed posts only: before the reveal
        even the fact that a member answered stays private)."""
        rows = await fetch_all(
            self.conn,
            "SELECT local_date, count(*) FROM revealed_answers "
            "WHERE guild_id = ? AND user_id = ? AND local_date >= ? GROUP BY local_date",
            (guild_id, user_id, since.isoformat()),
        )
        return Counter({date.fromisoformat(row[0]): row[1] for row in rows})

    async def answered(self, guild_id: int, user_id: int) -> list[tuple[str, int | None, str | None]]:
        """(question id, key points covered or None before the reveal, self-grade) of every answer."""
        rows = await fetch_all(
            self.conn,
            "SELECT question_id, coverage, self_grade FROM revealed_answers "
            "WHERE guild_id = ? AND user_id = ? ORDER BY id", (guild_id, user_id),
        )
        return [(row[0], len(json.loads(row[1])) if row[1] is not None else None, row[2]) for row in rows]

    async def group_answered(self, guild_id: int, members: Collection[int]) -> list[tuple[date, str, int | None]]:
        """(the post's local day, question id, key points covered) of every revealed answer by `members`; members
        who left the guild are left out, as on the group boards."""
        ids, values = in_list(sorted(members))
        rows = await fetch_all(
            self.conn,
            "SELECT a.local_date, a.question_id, a.coverage FROM revealed_answers a "
            f"WHERE a.guild_id = ? AND a.user_id IN {ids} "
            "AND NOT EXISTS (SELECT 1 FROM member_privacy p WHERE p.guild_id = a.guild_id AND p.user_id = a.user_id "
            "AND p.left_at IS NOT NULL) ORDER BY a.id",
            (guild_id, *values),
        )
        return [(date.fromisoformat(row[0]), row[1], len(json.loads(row[2])) if row[2] is not None else None)
                for row in rows]
