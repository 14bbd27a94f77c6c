"""SQL of the servers' own banks: packs (topics and questions), what a server turned off, suggestions, notices."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.clock import iso, parse_iso
from bot.storage.database import Database, Row, fetch_all, fetch_one


@dataclass(frozen=True, slots=True)
class TopicRow:
    guild_id: int
    local_id: str
    topic_id: str
    name_en: str
    name_zh: str
    position: int
    source_name: str | None


@dataclass(frozen=True, slots=True)
class QuestionRow:
    guild_id: int
    local_id: str
    question_id: str
    topic_local: str
    body: dict[str, Any]
    active: bool
    suggested_by: int | None


@dataclass(frozen=True, slots=True)
class SuggestionRow:
    id: int
    guild_id: int
    author_id: int
    body: dict[str, Any]
    topic_local: str
    status: str
    reason: str | None
    channel_id: int | None
    message_id: int | None
    question_id: str | None
    language: str
    created_at: datetime


def _topic(row: Row) -> TopicRow:
    return TopicRow(row["guild_id"], row["local_id"], row["topic_id"], row["name_en"], row["name_zh"],
                    row["position"], row["source_name"])


def _question(row: Row) -> QuestionRow:
    return QuestionRow(row["guild_id"], row["local_id"], row["question_id"], row["topic_local"],
                       json.loads(row["body"]), row["status"] == "active", row["suggested_by"])


def _suggestion(row: Row) -> SuggestionRow:
    return SuggestionRow(row["id"], row["guild_id"], row["author_id"], json.loads(row["body"]), row["topic_local"],
                         row["status"], row["reason"], row["channel_id"], row["message_id"], row["question_id"],
                         row["language"], parse_iso(row["created_at"]))


class BankRepository:
    def __init__(self, conn: Database) -> None:
        self.conn = conn

    # -- servers -----------------------------------------------------------------------------------------------
    async def code(self, guild_id: int) -> int | None:
        row = await fetch_one(self.conn, "SELECT code FROM server_banks WHERE guild_id = ?", (guild_id,))
        return None if row is None else int(row["code"])

    async def ensure_code(self, guild_id: int, now: datetime) -> int:
        """The server's number in its ids, given on first use (inside the caller's transaction)."""
        await self.conn.execute(
            "INSERT INTO server_banks (guild_id, code, created_at) "
            "VALUES (?, (SELECT COALESCE(MAX(code), 0) + 1 FROM server_banks), ?) "
            "ON CONFLICT (guild_id) DO NOTHING", (guild_id, iso(now)))
        code = await self.code(guild_id)
        assert code is not None
        return code

    async def guilds(self) -> list[int]:
        rows = await fetch_all(self.conn, "SELECT guild_id FROM server_banks UNION "
                                          "SELECT guild_id FROM bank_disabled")
        return [int(row["guild_id"]) for row in rows]

    async def review_channel(self, guild_id: int) -> int | None:
        row = await fetch_one(self.conn, "SELECT review_channel_id FROM server_banks WHERE guild_id = ?",
                              (guild_id,))
        return None if row is None else row["review_channel_id"]

    async def set_review_channel(self, guild_id: int, channel_id: int | None, now: datetime) -> None:
        await self.ensure_code(guild_id, now)
        await self.conn.execute("UPDATE server_banks SET review_channel_id = ? WHERE guild_id = ?",
                                (channel_id, guild_id))

    # -- topics and questions ----------------------------------------------------------------------------------
    async def topics(self, guild_id: int) -> list[TopicRow]:
        rows = await fetch_all(self.conn, "SELECT * FROM server_topics WHERE guild_id = ? ORDER BY position, "
                                          "local_id", (guild_id,))
        return [_topic(row) for row in rows]

    async def questions(self, guild_id: int) -> list[QuestionRow]:
        rows = await fetch_all(self.conn, "SELECT * FROM server_questions WHERE guild_id = ? ORDER BY created_at, "
                                          "local_id", (guild_id,))
        return [_question(row) for row in rows]

    async def active_count(self, guild_id: int) -> int:
        row = await fetch_one(self.conn, "SELECT COUNT(*) AS n FROM server_questions WHERE guild_id = ? AND "
                                         "status = 'active'", (guild_id,))
        return int(row["n"]) if row else 0

    async def save_topic(self, guild_id: int, local_id: str, topic_id: str, name_en: str, name_zh: str,
                         position: int, source_name: str | None, source_text: str | None, user_id: int | None,
                         now: datetime) -> None:
        await self.conn.execute(
            "INSERT INTO server_topics (guild_id, local_id, topic_id, name_en, name_zh, position, source_name, "
            "source_text, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (guild_id, local_id) DO UPDATE SET name_en = excluded.name_en, name_zh = excluded.name_zh, "
            "position = excluded.position, source_name = COALESCE(excluded.source_name, server_topics.source_name), "
            "source_text = COALESCE(excluded.source_text, server_topics.source_text), "
            "updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            (guild_id, local_id, topic_id, name_en, name_zh, position, source_name, source_text, user_id, iso(now)))

    async def save_question(self, guild_id: int, local_id: str, question_id: str, topic_local: str,
                            body: dict[str, Any], now: datetime, suggested_by: int | None = None) -> None:
        """Add or update by id (an update keeps who suggested it); a dropped question comes back active."""
        await self.conn.execute(
            "INSERT INTO server_questions (guild_id, local_id, question_id, topic_local, body, status, suggested_by, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?) "
            "ON CONFLICT (guild_id, local_id) DO UPDATE SET topic_local = excluded.topic_local, "
            "body = excluded.body, status = 'active', "
            "suggested_by = COALESCE(server_questions.suggested_by, excluded.suggested_by), "
            "updated_at = excluded.updated_at",
            (guild_id, local_id, question_id, topic_local, json.dumps(body, ensure_ascii=False), suggested_by,
             iso(now), iso(now)))

    async def drop_questions(self, guild_id: int, local_ids: list[str], now: datetime) -> None:
        for local_id in local_ids:
            await self.conn.execute(
                "UPDATE server_questions SET status = 'dropped', updated_at = ? WHERE guild_id = ? AND local_id = ?",
                (iso(now), guild_id, local_id))

    async def source(self, guild_id: int, local_topic: str) -> tuple[str | None, str | None]:
        row = await fetch_one(self.conn, "SELECT source_name, source_text FROM server_topics WHERE guild_id = ? "
                                         "AND local_id = ?", (guild_id, local_topic))
        return (None, None) if row is None else (row["source_name"], row["source_text"])

    # -- turned off --------------------------------------------------------------------------------------------
    async def disabled(self, guild_id: int) -> tuple[frozenset[str], frozenset[str]]:
        rows = await fetch_all(self.conn, "SELECT kind, item_id FROM bank_disabled WHERE guild_id = ?", (guild_id,))
        return (frozenset(r["item_id"] for r in rows if r["kind"] == "topic"),
                frozenset(r["item_id"] for r in rows if r["kind"] == "question"))

    async def set_disabled(self, guild_id: int, kind: str, item_id: str, off: bool, user_id: int,
                           now: datetime) -> bool:
        """Turn an item off (or on again); returns whether anything changed."""
        if off:
            result = await self.conn.execute(
                "INSERT INTO bank_disabled (guild_id, kind, item_id, disabled_by, disabled_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (guild_id, kind, item_id) DO NOTHING", (guild_id, kind, item_id, user_id, iso(now)))
        else:
            result = await self.conn.execute(
                "DELETE FROM bank_disabled WHERE guild_id = ? AND kind = ? AND item_id = ?", (guild_id, kind, item_id))
        return result.rowcount > 0

    # -- suggestions -------------------------------------------------------------------------------------------
    async def add_suggestion(self, guild_id: int, author_id: int, body: dict[str, Any], topic_local: str,
                             language: str, now: datetime) -> int:
        row = await fetch_one(
            self.conn,
            "INSERT INTO bank_suggestions (guild_id, author_id, body, topic_local, language, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (guild_id, author_id, json.dumps(body, ensure_ascii=False), topic_local, language, iso(now)))
        assert row is not None
        return int(row["id"])

    async def suggestion(self, suggestion_id: int) -> SuggestionRow | None:
        row = await fetch_one(self.conn, "SELECT * FROM bank_suggestions WHERE id = ?", (suggestion_id,))
        return None if row is None else _suggestion(row)

    async def unposted_suggestions(self) -> list[SuggestionRow]:
        rows = await fetch_all(self.conn, "SELECT * FROM bank_suggestions WHERE status = 'pending' AND "
                                          "message_id IS NULL ORDER BY id")
        return [_suggestion(row) for row in rows]

    async def set_suggestion_post(self, suggestion_id: int, channel_id: int, message_id: int) -> None:
        await self.conn.execute("UPDATE bank_suggestions SET channel_id = ?, message_id = ? WHERE id = ?",
                                (channel_id, message_id, suggestion_id))

    async def update_suggestion(self, suggestion_id: int, body: dict[str, Any], topic_local: str) -> None:
        await self.conn.execute("UPDATE bank_suggestions SET body = ?, topic_local = ? WHERE id = ? AND "
                                "status = 'pending'",
                                (json.dumps(body, ensure_ascii=False), topic_local, suggestion_id))

    async def decide_suggestion(self, suggestion_id: int, status: str, user_id: int, now: datetime, *,
                                reason: str | None = None, question_id: str | None = None) -> bool:
        """Accept or reject a pending suggestion; False if it was already decided (two managers at once)."""
        row = await fetch_one(
            self.conn,
            "UPDATE bank_suggestions SET status = ?, decided_by = ?, decided_at = ?, reason = ?, question_id = ? "
            "WHERE id = ? AND status = 'pending' RETURNING id",
            (status, user_id, iso(now), reason, question_id, suggestion_id))
        return row is not None
