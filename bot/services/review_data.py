"""Personal review's part in a member's data requests (`/privacy export` and `/privacy delete`, and the purge).

It has the shape of `bot.services.privacy.MemberDataSource`; the review cog offers it as `member_data`. A deck
belongs to the member across guilds, so a request made in a guild covers what came from that guild: the cards
first added there (with all their ratings), the sessions held there, and reminder settings made there.
"""

from __future__ import annotations

from typing import Any

from bot.clock import iso
from bot.storage.database import Database
from bot.storage.review_cards import ReviewRepository
from bot.storage.review_members import ReviewMemberRepository


class ReviewMemberData:
    name = "review"

    def __init__(self, conn: Database) -> None:
        self.cards = ReviewRepository(conn)
        self.members = ReviewMemberRepository(conn)

    async def export(self, guild_id: int, user_id: int) -> dict[str, Any]:
        cards = []
        for row in await self.cards.cards_from_guild(user_id, guild_id):
            card = row.card
            cards.append({
                "question_id": row.question_id, "origin": row.origin, "fsrs_state": card.state, "step": card.step,
                "stability": card.stability, "difficulty": card.difficulty, "due": iso(card.due),
                "last_review": iso(card.last_review) if card.last_review else None,
                "ratings": [{"rating": log.rating, "at": iso(log.reviewed_at), "source": log.source}
                            for log in await self.cards.ratings_of(row.id)],
            })
        member = await self.members.get(user_id)
        settings = None
        if member is not None and member.remind_guild_id == guild_id:
            settings = {"timezone": member.timezone, "language": member.language,
                        "remind_time": member.remind_time.strftime("%H:%M") if member.remind_time else None}
        return {"cards": cards, "settings": settings}

    async def delete(self, guild_id: int, user_id: int) -> int:
        """Runs inside the caller's transaction."""
        return (await self.cards.delete_from_guild(user_id, guild_id)
                + await self.members.forget_guild(user_id, guild_id))
