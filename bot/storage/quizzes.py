"""Quizzes, their questions and members' answers; which of their messages still need posting."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.clock import iso, parse_iso
from bot.domain.quiz import ACTIVE, Item, Pick, Quiz
from bot.storage.database import Database, fetch_all, fetch_one
from bot.storage.shards import guild_filter

_ACTIVE_SQL = "(" + ", ".join(f"'{status}'" for status in ACTIVE) + ")"


def _when(text: str | None) -> datetime | None:
    return parse_iso(text) if text else None


@dataclass(frozen=True, slots=True)
class QuizAnswerRow:
    item_id: int
    user_id: int
    choice: int | None
    content: str | None
    coverage: tuple[int, ...] | None
    self_grade: str | None
    edits: int
    answered_at: datetime

    @classmethod
    def from_row(cls, row) -> QuizAnswerRow:
        return cls(
            item_id=row["item_id"], user_id=row["user_id"], choice=row["choice"], content=row["content"],
            coverage=tuple(json.loads(row["coverage"])) if row["coverage"] is not None else None,
            self_grade=row["self_grade"], edits=row["edits"], answered_at=parse_iso(row["answered_at"]),
        )


@dataclass(frozen=True, slots=True)
class Messages:
    """What of a quiz is already posted: per position the question and reveal message ids, and the summary's."""

    question: dict[int, int | None]
    reveal: dict[int, int | None]
    summary: int | None


class QuizRepository:
    def __init__(self, conn: Database) -> None:
        self.conn = conn

    # -- quizzes -------------------------------------------------------------------------------------------------
    async def create(self, *, guild_id: int, channel_id: int, starter_id: int, language: str, topic_id: str | None,
                     kind: str, seconds: int, picks: Sequence[Pick], now: datetime) -> Quiz:
        row = await fetch_one(
            self.conn,
            "INSERT INTO quizzes (guild_id, channel_id, starter_id, language, topic_id, kind, seconds, started_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (guild_id, channel_id, starter_id, language, topic_id, kind, seconds, iso(now)),
        )
        quiz_id = int(row[0]) if row else 0
        await self.conn.executemany(
            "INSERT INTO quiz_items (quiz_id, position, question_id, kind, option_order) VALUES (?, ?, ?, ?, ?)",
            [(quiz_id, position, pick.question.id, pick.kind, json.dumps(list(pick.option_order)))
             for position, pick in enumerate(picks)],
        )
        quiz = await self.get(quiz_id)
        assert quiz is not None
        return quiz

    async def _items(self, quiz_id: int) -> tuple[Item, ...]:
        rows = await fetch_all(
            self.conn,
            "SELECT * FROM quiz_items WHERE quiz_id = ? ORDER BY position", (quiz_id,),
        )
        return tuple([
            Item(id=row["id"], position=row["position"], question_id=row["question_id"], kind=row["kind"],
                 option_order=tuple(json.loads(row["option_order"])), opened_at=_when(row["opened_at"]),
                 closes_at=_when(row["closes_at"]), closed_at=_when(row["closed_at"]))
            for row in rows
        ])

    async def _quiz(self, row) -> Quiz:
        return Quiz(
            id=row["id"], guild_id=row["guild_id"], channel_id=row["channel_id"], starter_id=row["starter_id"],
            language=row["language"], topic_id=row["topic_id"], kind=row["kind"], seconds=row["seconds"],
            status=row["status"], items=await self._items(row["id"]), started_at=parse_iso(row["started_at"]),
            grading_until=_when(row["grading_until"]), ended_at=_when(row["ended_at"]), stopped_by=row["stopped_by"],
        )

    async def get(self, quiz_id: int) -> Quiz | None:
        row = await fetch_one(self.conn, "SELECT * FROM quizzes WHERE id = ?", (quiz_id,))
        return await self._quiz(row) if row else None

    async def active_in_channel(self, channel_id: int) -> Quiz | None:
        row = await fetch_one(
            self.conn,
            f"SELECT * FROM quizzes WHERE channel_id = ? AND status IN {_ACTIVE_SQL}", (channel_id,),
        )
        return await self._quiz(row) if row else None

    async def active(self) -> list[Quiz]:
        mine, params = guild_filter(self.conn)
        rows = await fetch_all(self.conn, f"SELECT * FROM quizzes WHERE status IN {_ACTIVE_SQL}{mine} ORDER BY id",
                               params)
        return [await self._quiz(row) for row in rows]

    async def save_state(self, quiz: Quiz) -> None:
        """Write the quiz's status and every question's window, as the domain left them."""
        await self.conn.execute(
            "UPDATE quizzes SET status = ?, grading_until = ?, ended_at = ?, stopped_by = ? WHERE id = ?",
            (quiz.status, iso(quiz.grading_until) if quiz.grading_until else None,
             iso(quiz.ended_at) if quiz.ended_at else None, quiz.stopped_by, quiz.id),
        )
        await self.conn.executemany(
            "UPDATE quiz_items SET opened_at = ?, closes_at = ?, closed_at = ? WHERE id = ?",
            [(iso(item.opened_at) if item.opened_at else None, iso(item.closes_at) if item.closes_at else None,
              iso(item.closed_at) if item.closed_at else None, item.id) for item in quiz.items],
        )

    # -- answers -------------------------------------------------------------------------------------------------
    async def answer(self, item_id: int, user_id: int) -> QuizAnswerRow | None:
        row = await fetch_one(
            self.conn,
            "SELECT * FROM quiz_answers WHERE item_id = ? AND user_id = ?", (item_id, user_id),
        )
        return QuizAnswerRow.from_row(row) if row else None

    async def answers(self, item_id: int) -> list[QuizAnswerRow]:
        rows = await fetch_all(
            self.conn,
            "SELECT * FROM quiz_answers WHERE item_id = ? ORDER BY answered_at, user_id", (item_id,),
        )
        return [QuizAnswerRow.from_row(row) for row in rows]

    async def add_choice(self, item_id: int, user_id: int, option: int, now: datetime) -> None:
        await self.conn.execute(
            "INSERT INTO quiz_answers (item_id, user_id, choice, answered_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            (item_id, user_id, option, iso(now), iso(now)),
        )

    async def save_open(self, item_id: int, user_id: int, content: str, now: datetime) -> bool:
        """Insert the member's open answer or replace its text; True when it is new."""
        cursor = await self.conn.execute(
            "INSERT INTO quiz_answers (item_id, user_id, content, answered_at, updated_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (item_id, user_id) DO NOTHING",
            (item_id, user_id, content, iso(now), iso(now)),
        )
        if cursor.rowcount > 0:
            return True
        await self.conn.execute(
            "UPDATE quiz_answers SET content = ?, edits = edits + 1, updated_at = ? WHERE item_id = ? AND user_id = ?",
            (content, iso(now), item_id, user_id),
        )
        return False

    async def set_coverage(self, item_id: int, user_id: int, covered: tuple[int, ...]) -> None:
        await self.conn.execute("UPDATE quiz_answers SET coverage = ? WHERE item_id = ? AND user_id = ?",
                                (json.dumps(list(covered)), item_id, user_id))

    async def set_self_grade(self, item_id: int, user_id: int, grade: str) -> None:
        await self.conn.execute("UPDATE quiz_answers SET self_grade = ? WHERE item_id = ? AND user_id = ?",
                                (grade, item_id, user_id))

    # -- messages ------------------------------------------------------------------------------------------------
    async def messages(self, quiz_id: int) -> Messages:
        rows = await fetch_all(
            self.conn,
            "SELECT position, message_id, reveal_message_id FROM quiz_items WHERE quiz_id = ?", (quiz_id,),
        )
        summary = await fetch_one(self.conn, "SELECT summary_message_id FROM quizzes WHERE id = ?", (quiz_id,))
        return Messages({r[0]: r[1] for r in rows}, {r[0]: r[2] for r in rows}, summary[0] if summary else None)

    async def with_unposted(self) -> list[int]:
        """Quizzes that may have a question, a reveal or results still to post: all but those whose results are
        posted (the results go last, after everything before them was posted or given up)."""
        rows = await fetch_all(self.conn, "SELECT id FROM quizzes WHERE summary_message_id IS NULL ORDER BY id")
        return [row[0] for row in rows]

    async def set_question_message(self, item_id: int, message_id: int) -> None:
        await self.conn.execute("UPDATE quiz_items SET message_id = ? WHERE id = ?", (message_id, item_id))

    async def set_reveal_message(self, item_id: int, message_id: int) -> None:
        await self.conn.execute("UPDATE quiz_items SET reveal_message_id = ? WHERE id = ?", (message_id, item_id))

    async def set_summary_message(self, quiz_id: int, message_id: int) -> None:
        await self.conn.execute("UPDATE quizzes SET summary_message_id = ? WHERE id = ?", (message_id, quiz_id))


    # -- a member's own data (privacy export and delete) ------------------------------------------------------
    async def member_answers(self, guild_id: int, user_id: int) -> list[dict[str, object]]:
        rows = await fetch_all(
            self.conn,
            "SELECT q.id AS quiz_id, i.position, i.question_id, i.kind, a.choice, a.content, a.coverage, "
            "a.self_grade, a.answered_at FROM quiz_answers a JOIN quiz_items i ON i.id = a.item_id "
            "JOIN quizzes q ON q.id = i.quiz_id WHERE q.guild_id = ? AND a.user_id = ? ORDER BY a.answered_at",
            (guild_id, user_id),
        )
        return [{"quiz_id": r["quiz_id"], "question": r["position"] + 1, "question_id": r["question_id"],
                 "kind": r["kind"], "option": r["choice"], "answer": r["content"],
                 "key_points_covered": json.loads(r["coverage"]) if r["coverage"] is not None else None,
                 "self_grade": r["self_grade"], "answered_at": r["answered_at"]} for r in rows]

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        """Remove the member's answers in the guild's quizzes, and their name from ended ones (rows changed)."""
        cursor = await self.conn.execute(
            "DELETE FROM quiz_answers WHERE user_id = ? AND item_id IN (SELECT i.id FROM quiz_items i "
            "JOIN quizzes q ON q.id = i.quiz_id WHERE q.guild_id = ?)", (user_id, guild_id))
        deleted = cursor.rowcount
        for column in ("starter_id", "stopped_by"):
            cursor = await self.conn.execute(
                f"UPDATE quizzes SET {column} = 0 WHERE guild_id = ? AND {column} = ? AND ended_at IS NOT NULL",
                (guild_id, user_id))
            deleted += cursor.rowcount
        return deleted
