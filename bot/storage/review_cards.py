"""Review decks: FSRS cards, their rating log, and review sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.clock import iso, parse_iso
from bot.domain.review import CardState, PastRating
from bot.storage.database import Database, fetch_all, fetch_one


def _when(text: str | None) -> datetime | None:
    return parse_iso(text) if text else None


@dataclass(frozen=True, slots=True)
class CardRow:
    id: int
    user_id: int
    question_id: str
    guild_id: int | None
    origin: str
    card: CardState

    @classmethod
    def from_row(cls, row) -> CardRow:
        return cls(
            id=row["id"], user_id=row["user_id"], question_id=row["question_id"], guild_id=row["guild_id"],
            origin=row["origin"],
            card=CardState(state=row["state"], step=row["step"], stability=row["stability"],
                           difficulty=row["difficulty"], due=parse_iso(row["due"]),
                           last_review=_when(row["last_review"])),
        )


@dataclass(frozen=True, slots=True)
class LogRow:
    id: int
    card_id: int
    rating: int
    reviewed_at: datetime
    source: str
    self_graded: bool
    guild_id: int | None
    session_id: int | None
    card_before: str
    due_after: datetime

    @classmethod
    def from_row(cls, row) -> LogRow:
        return cls(
            id=row["id"], card_id=row["card_id"], rating=row["rating"], reviewed_at=parse_iso(row["reviewed_at"]),
            source=row["source"], self_graded=bool(row["self_graded"]), guild_id=row["guild_id"],
            session_id=row["session_id"], card_before=row["card_before"], due_after=parse_iso(row["due_after"]),
        )

    @property
    def past(self) -> PastRating:
        return PastRating(self.source, self.guild_id, self.self_graded, self.reviewed_at)


@dataclass(frozen=True, slots=True)
class SessionRow:
    id: int
    user_id: int
    guild_id: int | None
    started_at: datetime
    finished_at: datetime | None


class ReviewRepository:
    def __init__(self, conn: Database) -> None:
        self.conn = conn

    # -- cards -----------------------------------------------------------------------------------------------
    async def card(self, user_id: int, question_id: str) -> CardRow | None:
        row = await fetch_one(
            self.conn,
            "SELECT * FROM review_cards WHERE user_id = ? AND question_id = ?", (user_id, question_id),
        )
        return CardRow.from_row(row) if row else None

    async def card_by_id(self, card_id: int) -> CardRow | None:
        row = await fetch_one(self.conn, "SELECT * FROM review_cards WHERE id = ?", (card_id,))
        return CardRow.from_row(row) if row else None

    async def add_card(self, *, user_id: int, question_id: str, guild_id: int | None, origin: str,
                       card: CardState, now: datetime) -> bool:
        """Add a card unless the member already has one for the question. Returns whether it was added."""
        cursor = await self.conn.execute(
            "INSERT INTO review_cards (user_id, question_id, guild_id, origin, state, step, stability, difficulty, "
            "due, last_review, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (user_id, question_id) DO NOTHING",
            (user_id, question_id, guild_id, origin, card.state, card.step, card.stability, card.difficulty,
             iso(card.due), iso(card.last_review) if card.last_review else None, iso(now)),
        )
        return cursor.rowcount > 0

    async def save_card(self, card_id: int, card: CardState) -> None:
        await self.conn.execute(
            "UPDATE review_cards SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, last_review = ? "
            "WHERE id = ?",
            (card.state, card.step, card.stability, card.difficulty, iso(card.due),
             iso(card.last_review) if card.last_review else None, card_id),
        )

    async def deck(self, user_id: int) -> list[CardRow]:
        rows = await fetch_all(
            self.conn,
            "SELECT * FROM review_cards WHERE user_id = ? ORDER BY due, id", (user_id,),
        )
        return [CardRow.from_row(row) for row in rows]

    async def due_cards(self, user_id: int, now: datetime, *, not_in_session: int | None = None) -> list[CardRow]:
        """The member's cards due at `now`, leaving out those already rated in session `not_in_session`."""
        rows = await fetch_all(
            self.conn,
            "SELECT * FROM review_cards c WHERE c.user_id = ? AND c.due <= ? AND NOT EXISTS ("
            "  SELECT 1 FROM review_log l WHERE l.session_id = ? AND l.card_id = c.id) ORDER BY c.due, c.id",
            (user_id, iso(now), not_in_session),
        )
        return [CardRow.from_row(row) for row in rows]

    async def next_due(self, user_id: int) -> datetime | None:
        row = await fetch_one(self.conn, "SELECT min(due) FROM review_cards WHERE user_id = ?", (user_id,))
        return parse_iso(row[0]) if row and row[0] else None

    # -- the rating log --------------------------------------------------------------------------------------
    async def log_rating(self, *, card_id: int, user_id: int, rating: int, at: datetime, source: str,
                         self_graded: bool, guild_id: int | None, session_id: int | None, card_before: str,
                         due_after: datetime) -> bool:
        """Append a rating; False when the session already rated this card (the log's unique key)."""
        cursor = await self.conn.execute(
            "INSERT INTO review_log (card_id, user_id, rating, reviewed_at, source, self_graded, guild_id, "
            "session_id, card_before, due_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (card_id, user_id, rating, iso(at), source, int(self_graded), guild_id, session_id, card_before,
             iso(due_after)),
        )
        return cursor.rowcount > 0

    async def latest_rating(self, card_id: int) -> LogRow | None:
        row = await fetch_one(
            self.conn,
            "SELECT * FROM review_log WHERE card_id = ? ORDER BY id DESC LIMIT 1", (card_id,),
        )
        return LogRow.from_row(row) if row else None

    async def ratings_of(self, card_id: int) -> list[LogRow]:
        rows = await fetch_all(self.conn, "SELECT * FROM review_log WHERE card_id = ? ORDER BY id", (card_id,))
        return [LogRow.from_row(row) for row in rows]

    async def delete_rating(self, log_id: int) -> None:
        await self.conn.execute("DELETE FROM review_log WHERE id = ?", (log_id,))

    async def ratings_since(self, user_id: int, since: datetime) -> list[int]:
        rows = await fetch_all(
            self.conn,
            "SELECT rating FROM review_log WHERE user_id = ? AND reviewed_at >= ?", (user_id, iso(since)),
        )
        return [row[0] for row in rows]

    async def session_ratings(self, session_id: int) -> list[int]:
        rows = await fetch_all(
            self.conn,
            "SELECT rating FROM review_log WHERE session_id = ? ORDER BY id", (session_id,),
        )
        return [row[0] for row in rows]

    # -- sessions --------------------------------------------------------------------------------------------
    async def start_session(self, user_id: int, guild_id: int | None, now: datetime) -> int:
        row = await fetch_one(
            self.conn,
            "INSERT INTO review_sessions (user_id, guild_id, started_at) VALUES (?, ?, ?) RETURNING id",
            (user_id, guild_id, iso(now)),
        )
        return int(row[0]) if row else 0

    async def session(self, session_id: int) -> SessionRow | None:
        row = await fetch_one(self.conn, "SELECT * FROM review_sessions WHERE id = ?", (session_id,))
        if row is None:
            return None
        return SessionRow(row["id"], row["user_id"], row["guild_id"], parse_iso(row["started_at"]),
                          _when(row["finished_at"]))

    async def finish_session(self, session_id: int, now: datetime) -> None:
        await self.conn.execute(
            "UPDATE review_sessions SET finished_at = ? WHERE id = ? AND finished_at IS NULL", (iso(now), session_id))

    # -- a member's data from one guild (privacy export and delete) ------------------------------------------
    async def cards_from_guild(self, user_id: int, guild_id: int) -> list[CardRow]:
        rows = await fetch_all(
            self.conn,
            "SELECT * FROM review_cards WHERE user_id = ? AND guild_id = ? ORDER BY id", (user_id, guild_id),
        )
        return [CardRow.from_row(row) for row in rows]

    async def delete_from_guild(self, user_id: int, guild_id: int) -> int:
        """The member's cards first added in the guild (their ratings go with them) and sessions held there."""
        row = await fetch_one(
            self.conn,
            "SELECT count(*) FROM review_log WHERE card_id IN "
            "(SELECT id FROM review_cards WHERE user_id = ? AND guild_id = ?)", (user_id, guild_id),
        )
        ratings = int(row[0]) if row else 0
        cards = await self.conn.execute(
            "DELETE FROM review_cards WHERE user_id = ? AND guild_id = ?", (user_id, guild_id))
        sessions = await self.conn.execute(
            "DELETE FROM review_sessions WHERE user_id = ? AND guild_id = ?", (user_id, guild_id))
        return ratings + cards.rowcount + sessions.rowcount
