"""Board reads over the running totals, study groups, and the guild's time zone. All SQL of the boards lives here.

`TOP_SQL` and `STANDING_SQL` are what `/leaderboard` runs; `bench/leaderboard.py` times exactly these statements.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from bot.domain.boards import ALL, board_name, week_key
from bot.storage.database import Database, fetch_all, fetch_one, in_list
from bot.storage.points import NOT_PRIVATE

_KEY = "t.guild_id = :guild AND t.board = :board"
_MEMBERS = " AND t.user_id IN ({names})"

# One page of a board: visible members with points, best first, with their streak row.
TOP_SQL = (
    "SELECT t.user_id, t.points, m.current_streak, m.last_answer_date FROM board_totals t "
    "LEFT JOIN members m ON m.guild_id = t.guild_id AND m.user_id = t.user_id "
    f"WHERE {_KEY} AND t.points > 0 AND {NOT_PRIVATE.format(t='t')}{{members}} "
    "ORDER BY t.points DESC, t.user_id LIMIT :limit OFFSET :offset"
)

# The viewer's points and how many visible members have more: all members with more, less the private ones (few:
# CROSS JOIN makes SQLite start from them and look each one's total up by key, instead of scanning the board).
# Without points there is no rank, so nothing is counted.
STANDING_SQL = (
    "WITH me AS (SELECT coalesce((SELECT points FROM board_totals t WHERE "
    f"{_KEY} AND t.user_id = :user), 0) AS points) "
    "SELECT me.points, CASE WHEN me.points > 0 THEN "
    f"(SELECT count(*) FROM board_totals t WHERE {_KEY} AND t.points > me.points{{members}}) "
    "- (SELECT count(*) FROM member_privacy p CROSS JOIN board_totals t WHERE t.guild_id = p.guild_id "
    "AND t.board = :board AND t.user_id = p.user_id "
    "AND p.guild_id = :guild AND (p.hidden = 1 OR p.left_at IS NOT NULL) AND p.user_id != :user "
    "AND t.points > me.points{members}) ELSE 0 END, "
    # the viewer's own privacy flags, in the same trip: hidden, and whether they left the server
    "coalesce(v.hidden, 0), v.left_at IS NOT NULL "
    "FROM me LEFT JOIN member_privacy v ON v.guild_id = :guild AND v.user_id = :user"
)

# How many visible members have more points than a given value (the rank of a page's first line).
ABOVE_SQL = (
    f"SELECT count(*) FROM board_totals t WHERE {_KEY} AND t.points > :points "
    f"AND {NOT_PRIVATE.format(t='t')}{{members}}"
)


def with_members(sql: str, members: Collection[int] | None) -> str:
    """The statement restricted to a group's members (named `:m0, :m1, ...`, as `BoardKey.params` gives them)."""
    return sql.format(members=_members(members))


def _members(members: Collection[int] | None) -> str:
    if members is None:
        return ""
    return _MEMBERS.format(names=", ".join(f":m{index}" for index in range(len(members))) or "NULL")


@dataclass(frozen=True, slots=True)
class BoardKey:
    guild_id: int
    period: str
    bucket: str
    topic_id: str = ALL
    scope: str = ALL

    @property
    def board(self) -> str:
        return board_name(self.period, self.bucket, self.topic_id, self.scope)

    def params(self, members: Collection[int] | None = None, **more: object) -> dict[str, object]:
        values: dict[str, object] = {"guild": self.guild_id, "board": self.board, **more}
        if members is not None:
            values.update({f"m{index}": user for index, user in enumerate(sorted(members))})
        return values


@dataclass(frozen=True, slots=True)
class BoardRow:
    user_id: int
    points: int
    streak: int
    last_answer_date: str | None


@dataclass(frozen=True, slots=True)
class GroupRow:
    id: int
    guild_id: int
    name: str
    role_id: int | None
    channel_id: int | None


class BoardRepository:
    def __init__(self, conn: Database) -> None:
        self.conn = conn

    async def page(self, key: BoardKey, *, offset: int, limit: int,
                   members: Collection[int] | None = None) -> list[BoardRow]:
        rows = await fetch_all(self.conn, with_members(TOP_SQL, members),
                                     key.params(members, limit=limit, offset=offset))
        return [BoardRow(row[0], row[1], row[2] or 0, row[3]) for row in rows]

    async def standing(self, key: BoardKey, user_id: int,
                       members: Collection[int] | None = None) -> tuple[int, int]:
        """(the member's points, how many visible members have more)."""
        points, above, _hidden, _left = await self.viewer(key, user_id, members)
        return points, above

    async def viewer(self, key: BoardKey, user_id: int,
                     members: Collection[int] | None = None) -> tuple[int, int, bool, bool]:
        """(the member's points, how many visible members have more, hidden, left the server), in one statement."""
        row = await fetch_one(self.conn, with_members(STANDING_SQL, members), key.params(members, user=user_id))
        return (int(row[0]), int(row[1]), bool(row[2]), bool(row[3])) if row else (0, 0, False, False)

    async def count_above(self, key: BoardKey, points: int, members: Collection[int] | None = None) -> int:
        row = await fetch_one(self.conn, with_members(ABOVE_SQL, members), key.params(members, points=points))
        return int(row[0]) if row else 0

    async def group_score(self, key: BoardKey, members: Collection[int]) -> tuple[int, int]:
        """(total points, members with points) of a group; hidden members count, members who left do not."""
        row = await fetch_one(
            self.conn,
            "SELECT CAST(coalesce(sum(t.points), 0) AS BIGINT), count(*) FROM board_totals t "
            f"WHERE {_KEY} AND t.points > 0 "
            "AND NOT EXISTS (SELECT 1 FROM member_privacy p WHERE p.guild_id = t.guild_id "
            f"AND p.user_id = t.user_id AND p.left_at IS NOT NULL){_members(members)}",
            key.params(members),
        )
        return (int(row[0]), int(row[1])) if row else (0, 0)

    # -- the guild's clock ---------------------------------------------------------------------------------
    async def streaks(self, guild_id: int, user_ids: Collection[int]) -> dict[int, tuple[int, int, str | None]]:
        """(current, best, last answer date) per member who has a streak row."""
        ids, values = in_list(sorted(user_ids))
        rows = await fetch_all(
            self.conn,
            "SELECT user_id, current_streak, best_streak, last_answer_date FROM members WHERE guild_id = ? "
            f"AND user_id IN {ids}", (guild_id, *values),
        )
        return {row[0]: (row[1], row[2], row[3]) for row in rows}

    # -- study groups --------------------------------------------------------------------------------------
    async def add_group(self, guild_id: int, name: str, *, role_id: int | None, channel_id: int | None,
                        created_by: int) -> GroupRow | None:
        """None when the guild already has a group of that name (names compare without case)."""
        cursor = await self.conn.execute(
            "INSERT INTO study_groups (guild_id, name, role_id, channel_id, created_by) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (guild_id, name) DO NOTHING", (guild_id, name, role_id, channel_id, created_by))
        if cursor.rowcount == 0:
            return None
        return await self.group_by_name(guild_id, name)

    async def remove_group(self, guild_id: int, name: str) -> bool:
        cursor = await self.conn.execute("DELETE FROM study_groups WHERE guild_id = ? AND name = ?", (guild_id, name))
        return cursor.rowcount > 0

    async def groups(self, guild_id: int) -> list[GroupRow]:
        rows = await fetch_all(
            self.conn,
            "SELECT id, guild_id, name, role_id, channel_id FROM study_groups WHERE guild_id = ? ORDER BY name",
            (guild_id,),
        )
        return [GroupRow(*row) for row in rows]

    async def group_by_name(self, guild_id: int, name: str) -> GroupRow | None:
        row = await fetch_one(
            self.conn,
            "SELECT id, guild_id, name, role_id, channel_id FROM study_groups WHERE guild_id = ? AND name = ?",
            (guild_id, name),
        )
        return GroupRow(*row) if row else None

    async def group(self, guild_id: int, group_id: int) -> GroupRow | None:
        row = await fetch_one(
            self.conn,
            "SELECT id, guild_id, name, role_id, channel_id FROM study_groups WHERE guild_id = ? AND id = ?",
            (guild_id, group_id),
        )
        return GroupRow(*row) if row else None

    async def channel_answerers(self, guild_id: int, channel_id: int) -> set[int]:
        """Members who answered a revealed daily question of the channel: a channel group's members."""
        rows = await fetch_all(
            self.conn,
            "SELECT DISTINCT user_id FROM revealed_answers WHERE guild_id = ? AND channel_id = ?",
            (guild_id, channel_id),
        )
        return {row[0] for row in rows}

    async def has_schedule(self, channel_id: int) -> bool:
        row = await fetch_one(self.conn, "SELECT 1 FROM schedules WHERE channel_id = ?", (channel_id,))
        return row is not None


async def rebuild_totals(conn: Database, guild_id: int | None = None) -> None:
    """Recompute the board totals from the ledger (one guild, or all). Run inside a transaction.

    The same rule as `PointsRepository.award` adds incrementally, as one set-based statement: used to build the
    benchmark's million rows, and by tests that check the incremental totals against it.
    """
    where, guild = ("", {}) if guild_id is None else ("WHERE guild_id = :guild", {"guild": guild_id})
    await conn.execute(f"DELETE FROM board_totals {where}", guild)
    days = [row[0] for row in await conn.execute_fetchall(
        f"SELECT DISTINCT local_date FROM points_ledger {where}", guild)]
    if days:
        sql, params = rebuild_statement(days, where)
        await conn.execute(sql, {**params, **guild})


def rebuild_statement(days: list[str], where: str = "") -> tuple[str, dict[str, object]]:
    """The set-based recount over the ledger's `days` (each day's ISO week computed here, in Python, so the one
    statement runs on both engines): the SQL and its named parameters."""
    weeks = ", ".join(f"(:d{index}, :w{index})" for index in range(len(days)))
    params: dict[str, object] = {}
    for index, day in enumerate(days):
        params[f"d{index}"], params[f"w{index}"] = day, week_key(date.fromisoformat(day))
    return REBUILD_SQL.format(weeks=weeks, where=where), params


REBUILD_SQL = """
WITH w (local_date, week) AS (VALUES {weeks})
INSERT INTO board_totals (guild_id, board, user_id, points)
SELECT l.guild_id,
       p.period || ':' || CASE p.period
           WHEN 'day' THEN l.local_date
           WHEN 'week' THEN w.week
           WHEN 'month' THEN substr(l.local_date, 1, 7)
           ELSE ''
       END
       || ':' || CASE WHEN t.own = 1 THEN l.topic_id ELSE '*' END
       || ':' || CASE WHEN s.own = 1 THEN l.source_type ELSE '*' END,
       l.user_id, sum(l.points)
FROM (SELECT guild_id, user_id, points, topic_id, source_type, local_date FROM points_ledger {where}) AS l
JOIN w ON w.local_date = l.local_date
CROSS JOIN (SELECT 'day' AS period UNION ALL SELECT 'week' UNION ALL SELECT 'month' UNION ALL SELECT 'all') AS p
CROSS JOIN (SELECT 0 AS own UNION ALL SELECT 1) AS t
CROSS JOIN (SELECT 0 AS own UNION ALL SELECT 1) AS s
WHERE t.own = 0 OR l.topic_id IS NOT NULL
GROUP BY 1, 2, 3
"""
