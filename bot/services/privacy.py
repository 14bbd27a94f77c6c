"""Members' control of their data: leave or rejoin the public boards, export everything, delete everything.

Deleting a member's data in a guild removes their answers (and the votes those received), the votes they gave (the
answers they voted on get their peer-vote points recomputed), their reactions, their points and board totals, their
streak and their privacy flags, in one transaction. Boards read the totals, so they are right at once.

A member who leaves the guild is hidden from every board at once; `purge_departed` deletes their data
`KEEP_AFTER_LEAVING` (30 days) after they left, unless they came back first.

Other features keep member data of their own (quiz answers, review decks): they take part through
`MemberDataSource`, passed in by the chat layer, whose `delete` runs inside the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from bot.clock import iso
from bot.domain import scoring
from bot.domain.bank import Bank
from bot.domain.progress import KEEP_AFTER_LEAVING
from bot.storage.database import Database, transaction
from bot.storage.points import LedgerEntry, PointsRepository
from bot.storage.privacy import PostedAnswer, PrivacyRepository, VotedAnswer

EXPORT_FORMAT = 1


@runtime_checkable
class MemberDataSource(Protocol):
    """A feature's own member data, for `/privacy export` and `/privacy delete` (and members who left)."""

    name: str  # the key of this feature's part in the export, e.g. "quiz"

    async def export(self, guild_id: int, user_id: int) -> Any: ...  # JSON-serialisable

    async def delete(self, guild_id: int, user_id: int) -> int: ...  # rows deleted; runs inside the transaction


@dataclass(frozen=True, slots=True)
class Deleted:
    answers: int
    votes: int
    reactions: int
    points: int
    posted: list[PostedAnswer] = field(default_factory=list)  # the bot's messages that quote the answers
    other: dict[str, int] = field(default_factory=dict)


class PrivacyService:
    def __init__(self, conn: Database, bank: Bank, rules: scoring.PointsRules | None = None) -> None:
        self.conn = conn
        self.bank = bank
        self.rules = rules or scoring.PointsRules()
        self.privacy = PrivacyRepository(conn)
        self.points = PointsRepository(conn)

    async def set_hidden(self, guild_id: int, user_id: int, hidden: bool, now: datetime) -> bool:
        """Returns whether anything changed."""
        before = await self.privacy.get(guild_id, user_id)
        if before.hidden == hidden:
            return False
        async with transaction(self.conn):
            await self.privacy.set_hidden(guild_id, user_id, hidden, now)
        return True

    async def export(self, guild_id: int, user_id: int, now: datetime,
                     sources: Sequence[MemberDataSource] = ()) -> dict[str, Any]:
        flags = await self.privacy.get(guild_id, user_id)
        points = await self.privacy.points(guild_id, user_id)
        data: dict[str, Any] = {
            "format": EXPORT_FORMAT,
            "guild_id": str(guild_id),
            "user_id": str(user_id),
            "exported_at": iso(now),
            "settings": {"hidden_from_boards": flags.hidden, "left_guild_at": iso(flags.left_at)
                         if flags.left_at else None},
            "streak": await self.privacy.streak(guild_id, user_id),
            "points_total": sum(row["points"] for row in points),
            "points": points,
            "answers": await self.privacy.answers(guild_id, user_id),
            "votes_given": await self.privacy.votes_given(guild_id, user_id),
            "reactions": await self.privacy.reactions(guild_id, user_id),
        }
        for source in sources:
            data[source.name] = await source.export(guild_id, user_id)
        return ids_as_text(data)

    async def delete(self, guild_id: int, user_id: int, sources: Sequence[MemberDataSource] = ()) -> Deleted:
        async with transaction(self.conn):
            posted = await self.privacy.posted_answers(guild_id, user_id)
            voted = await self.privacy.voted_answers(guild_id, user_id)
            votes = await self.privacy.delete_votes_given(guild_id, user_id)
            for answer in voted:
                await self._recount_votes(guild_id, answer)
            answers = await self.privacy.delete_answers(guild_id, user_id)
            reactions = await self.privacy.delete_reactions(guild_id, user_id)
            points = await self.points.delete_member(guild_id, user_id)
            await self.privacy.delete_member_rows(guild_id, user_id)
            other = {source.name: await source.delete(guild_id, user_id) for source in sources}
        return Deleted(answers, votes, reactions, points, posted, other)

    async def _recount_votes(self, guild_id: int, answer: VotedAnswer) -> None:
        question = self.bank.get(answer.question_id)
        count = await self.privacy.vote_count(answer.answer_id)
        await self.points.award(LedgerEntry(
            guild_id=guild_id, user_id=answer.author_id, points=scoring.vote_award(self.rules, count, late=answer.late),
            reason=scoring.PEER_VOTES, source_type="answer", source_id=answer.answer_id, local_date=answer.local_date,
            topic_id=question.topic_id if question else None,
        ), replace=True)

    # -- members leaving and coming back ---------------------------------------------------------------------
    async def member_left(self, guild_id: int, user_id: int, now: datetime) -> None:
        async with transaction(self.conn):
            await self.privacy.set_left(guild_id, user_id, now, now)

    async def member_returned(self, guild_id: int, user_id: int, now: datetime) -> bool:
        """A member who left and came back within the 30 days keeps everything and is on the boards again."""
        flags = await self.privacy.get(guild_id, user_id)
        if flags.left_at is None:
            return False
        async with transaction(self.conn):
            await self.privacy.set_left(guild_id, user_id, None, now)
        return True

    async def purge_departed(self, now: datetime,
                             sources: Sequence[MemberDataSource] = ()) -> list[tuple[int, int, Deleted]]:
        """Delete the data of everyone who left at least `KEEP_AFTER_LEAVING` ago and has not come back."""
        purged = []
        for guild_id, user_id in await self.privacy.departed_before(now - KEEP_AFTER_LEAVING):
            purged.append((guild_id, user_id, await self.delete(guild_id, user_id, sources)))
        return purged


def ids_as_text(value: Any, key: str = "") -> Any:
    """Every id in an export as a string: Discord ids exceed 2^53 and JavaScript's JSON parsers round them."""
    if isinstance(value, dict):
        return {k: ids_as_text(v, k) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [ids_as_text(v, key) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and (key == "id" or key.endswith(("_id", "_ids"))):
        return str(value)
    return value


def export_sections(data: dict[str, Any]) -> list[str]:
    """The sections an export holds, for the reply that comes with the file (so the two always agree)."""
    return [key for key in data if key not in ("format", "guild_id", "user_id", "exported_at")]
