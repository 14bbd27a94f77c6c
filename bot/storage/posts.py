"""Daily posts: one row per schedule and local day, claimed before the message is sent."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.clock import iso, parse_iso
from bot.storage.database import Database, fetch_all, fetch_one, in_list
from bot.storage.rows import PostRow
from bot.storage.shards import guild_filter


class PostRepository:
    def __init__(self, conn: Database) -> None:
        self.conn = conn

    async def claim(
        self, *, schedule_id: int, guild_id: int, channel_id: int, local_date: str, question_id: str, cycle: int,
        post_due_at: datetime, reveal_due_at: datetime, retry_failed: bool = False,
    ) -> PostRow | None:
        """Reserve the schedule's post for `local_date`. None when that day already has one (the unique key).

        `retry_failed` (an admin's /qotd now after fixing a permission): a day whose post failed is claimed
        again, afresh; a day that was posted is never touched."""
        revive = ("DO UPDATE SET status = 'pending', question_id = excluded.question_id, cycle = excluded.cycle, "
                  "message_id = NULL, thread_id = NULL, posted_at = NULL, post_due_at = excluded.post_due_at, "
                  "reveal_due_at = excluded.reveal_due_at WHERE posts.status = 'failed'") if retry_failed \
            else "DO NOTHING"
        rows = await self.conn.execute_fetchall(
            "INSERT INTO posts (schedule_id, guild_id, channel_id, local_date, question_id, cycle, post_due_at, "
            f"reveal_due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (schedule_id, local_date) {revive} "
            "RETURNING id",
            (schedule_id, guild_id, channel_id, local_date, question_id, cycle, iso(post_due_at),
             iso(reveal_due_at)),
        )
        return await self.get(rows[0][0]) if rows else None

    async def get(self, post_id: int) -> PostRow | None:
        row = await fetch_one(self.conn, "SELECT * FROM posts WHERE id = ?", (post_id,))
        return PostRow.from_row(row) if row else None

    async def get_locked(self, post_id: int) -> PostRow | None:
        """The post, held against the reveal's scoring transaction until the unit of work ends, so that an answer
        is either in the reveal or refused, never saved and missing.

        On PostgreSQL a shared row lock (`FOR SHARE`): answers to the same post run side by side, and the scoring
        transaction's UPDATE of the post waits for them (and they for it). On SQLite the unit's BEGIN IMMEDIATE
        already holds the database's one write lock, so a plain read does.
        """
        lock = " FOR SHARE" if self.conn.dialect == "postgresql" else ""
        rows = await self.conn.execute_fetchall(f"SELECT * FROM posts WHERE id = ?{lock}", (post_id,))
        return PostRow.from_row(rows[0]) if rows else None

    async def by_message(self, message_id: int) -> PostRow | None:
        row = await fetch_one(self.conn, "SELECT * FROM posts WHERE message_id = ?", (message_id,))
        return PostRow.from_row(row) if row else None

    async def days_with_posts(self, schedule_id: int, days: Iterable[str]) -> set[str]:
        wanted = list(days)
        marks = ",".join("?" * len(wanted))
        rows = await fetch_all(
            self.conn,
            f"SELECT local_date FROM posts WHERE schedule_id = ? AND local_date IN ({marks})",
            (schedule_id, *wanted),
        )
        return {row[0] for row in rows}

    async def days_since(self, first_day: str) -> dict[int, set[str]]:
        """The local days with a post on or after `first_day`, by schedule: one query for the whole sweep."""
        mine, params = guild_filter(self.conn)
        rows = await fetch_all(self.conn, f"SELECT schedule_id, local_date FROM posts WHERE local_date >= ?{mine}",
                               (first_day, *params))
        found: dict[int, set[str]] = {}
        for row in rows:
            found.setdefault(row[0], set()).add(row[1])
        return found

    async def latest_day(self, schedule_id: int) -> str | None:
        rows = await self.conn.execute_fetchall("SELECT max(local_date) FROM posts WHERE schedule_id = ?",
                                                (schedule_id,))
        return rows[0][0] if rows else None

    async def for_day(self, schedule_id: int, local_date: str) -> PostRow | None:
        row = await fetch_one(
            self.conn,
            "SELECT * FROM posts WHERE schedule_id = ? AND local_date = ?", (schedule_id, local_date),
        )
        return PostRow.from_row(row) if row else None

    async def unrevealed_in(self, guild_ids: Iterable[int]) -> list[tuple[str, int, int, datetime | None]]:
        """(question id, guild, channel, reveal instant) of everything these guilds will reveal publicly but have
        not yet: daily posts claimed or out, and the questions of running quizzes not yet revealed."""
        ids = sorted(set(guild_ids))
        found: list[tuple[str, int, int, datetime | None]] = []
        for start in range(0, len(ids), 500):  # SQLite allows some thousands of parameters: stay well below
            chunk = ids[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            rows = await self.conn.execute_fetchall(
                "SELECT question_id, guild_id, channel_id, reveal_due_at FROM posts "
                f"WHERE status IN ('pending', 'posted') AND guild_id IN ({marks}) "
                "UNION ALL "
                "SELECT i.question_id, q.guild_id, q.channel_id, i.closes_at FROM quiz_items i "
                "JOIN quizzes q ON q.id = i.quiz_id "
                f"WHERE q.status IN ('running', 'grading') AND i.reveal_message_id IS NULL AND q.guild_id IN ({marks})",
                (*chunk, *chunk),
            )
            found.extend((row[0], row[1], row[2], parse_iso(row[3]) if row[3] else None)
                         for row in rows)
        return found

    async def guild_history(self, guild_id: int) -> list[str]:
        """Question ids the guild was asked, oldest first (the input of question selection)."""
        rows = await fetch_all(
            self.conn,
            "SELECT question_id FROM posts WHERE guild_id = ? AND status != 'failed' ORDER BY post_due_at, id",
            (guild_id,),
        )
        return [row[0] for row in rows]

    async def unsent(self) -> list[PostRow]:
        """Claimed posts whose message was never confirmed sent (a crash or a Discord error in between)."""
        mine, params = guild_filter(self.conn)
        rows = await fetch_all(self.conn, f"SELECT * FROM posts WHERE status = 'pending'{mine} ORDER BY id", params)
        return [PostRow.from_row(row) for row in rows]

    async def due_reveals(self, now: datetime) -> list[PostRow]:
        mine, params = guild_filter(self.conn)
        rows = await fetch_all(
            self.conn,
            f"SELECT * FROM posts WHERE status = 'posted' AND reveal_due_at <= ?{mine} ORDER BY reveal_due_at",
            (iso(now), *params),
        )
        return [PostRow.from_row(row) for row in rows]

    async def next_reveal_after(self, now: datetime) -> datetime | None:
        """The earliest reveal still ahead of `now` among this process's open posts."""
        mine, params = guild_filter(self.conn)
        rows = await self.conn.execute_fetchall(
            f"SELECT min(reveal_due_at) FROM posts WHERE status = 'posted' AND reveal_due_at > ?{mine}",
            (iso(now), *params))
        return parse_iso(rows[0][0]) if rows and rows[0][0] else None

    async def open_posts(self) -> list[PostRow]:
        mine, params = guild_filter(self.conn)
        rows = await fetch_all(self.conn, f"SELECT * FROM posts WHERE status = 'posted'{mine} ORDER BY id", params)
        return [PostRow.from_row(row) for row in rows]

    async def reactable(self, since: datetime) -> list[PostRow]:
        """Posts whose reactions still count: open ones, and those revealed since `since`."""
        mine, params = guild_filter(self.conn)
        rows = await self.conn.execute_fetchall(
            "SELECT * FROM posts WHERE message_id IS NOT NULL AND (status = 'posted' OR "
            f"(status = 'revealed' AND revealed_at >= ?)){mine} ORDER BY id", (iso(since), *params))
        return [PostRow.from_row(row) for row in rows]

    async def mark_posted(self, post_id: int, message_id: int, now: datetime) -> None:
        await self.conn.execute(
            "UPDATE posts SET status = 'posted', message_id = ?, posted_at = ? WHERE id = ? AND status = 'pending'",
            (message_id, iso(now), post_id),
        )

    async def mark_failed(self, post_id: int) -> None:
        await self.conn.execute("UPDATE posts SET status = 'failed' WHERE id = ? AND status = 'pending'", (post_id,))

    async def mark_revealed(self, post_id: int, now: datetime, thread_id: int | None) -> bool:
        cursor = await self.conn.execute(
            "UPDATE posts SET status = 'revealed', revealed_at = ?, thread_id = ? WHERE id = ? AND status = 'posted'",
            (iso(now), thread_id, post_id),
        )
        return cursor.rowcount > 0

    async def close_answers(self, post_id: int, now: datetime) -> None:
        await self.conn.execute("UPDATE posts SET answers_closed_at = coalesce(answers_closed_at, ?) WHERE id = ?",
                                (iso(now), post_id))

    async def record_reveal_progress(self, post_id: int, *, parts_sent: int | None = None,
                                     thread_id: int | None = None, prompt_id: int | None = None) -> None:
        """What of the reveal Discord has accepted so far (each value only ever grows from NULL or 0)."""
        await self.conn.execute(
            "UPDATE posts SET reveal_parts_sent = CASE WHEN coalesce(?, 0) > reveal_parts_sent THEN coalesce(?, 0) "
            "ELSE reveal_parts_sent END, "
            "thread_id = coalesce(thread_id, ?), reveal_prompt_id = coalesce(reveal_prompt_id, ?) WHERE id = ?",
            (parts_sent, parts_sent, thread_id, prompt_id, post_id))

    async def move_reveal(self, post_id: int, reveal_due_at: datetime) -> None:
        await self.conn.execute("UPDATE posts SET reveal_due_at = ? WHERE id = ?", (iso(reveal_due_at), post_id))

    async def replace_question(self, post_id: int, question_id: str) -> None:
        await self.conn.execute("UPDATE posts SET question_id = ? WHERE id = ?", (question_id, post_id))


async def history_page(db: Database, guild_id: int, user_id: int, question_ids: Iterable[str] | None, limit: int,
                       offset: int) -> list[tuple[PostRow, int, int, str | None]]:
    """A server's daily posts that went out, newest first: each with its answers, those on time, and `user_id`'s
    own answer (None if they gave none). `question_ids` narrows it to those questions (a topic)."""
    where, params = "", []
    if question_ids is not None:
        marks, params = in_list(question_ids)
        where = f" AND p.question_id IN {marks}"
    rows = await fetch_all(
        db,
        "SELECT p.*, (SELECT COUNT(*) FROM answers a WHERE a.post_id = p.id) AS answer_count, "
        "(SELECT COUNT(*) FROM answers a WHERE a.post_id = p.id AND a.late = 0) AS on_time, "
        "(SELECT a.content FROM answers a WHERE a.post_id = p.id AND a.user_id = ?) AS own "
        f"FROM posts p WHERE p.guild_id = ? AND p.status IN ('posted', 'revealed'){where} "
        "ORDER BY p.local_date DESC, p.id DESC LIMIT ? OFFSET ?",
        (user_id, guild_id, *params, limit, offset),
    )
    return [(PostRow.from_row(row), int(row["answer_count"]), int(row["on_time"]), row["own"]) for row in rows]
