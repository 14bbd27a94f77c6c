"""Quizzes' part in a member's data requests (`/privacy export` and `/privacy delete`, and the purge).

It has the shape of `bot.services.privacy.MemberDataSource`; the quiz cog offers it as `member_data`. It covers
the member's answers in the guild's quizzes (the points they earned are the ledger's, handled by privacy itself),
their practice runs there, and their name as the starter or stopper of ended quizzes.
"""

from __future__ import annotations

from typing import Any

from bot.storage.database import Database
from bot.storage.practice import PracticeRepository
from bot.storage.quizzes import QuizRepository


class QuizMemberData:
    name = "quiz"

    def __init__(self, conn: Database) -> None:
        self.quizzes = QuizRepository(conn)
        self.practice = PracticeRepository(conn)

    async def export(self, guild_id: int, user_id: int) -> dict[str, Any]:
        return {"answers": await self.quizzes.member_answers(guild_id, user_id),
                "practice_runs": await self.practice.member_runs(guild_id, user_id)}

    async def delete(self, guild_id: int, user_id: int) -> int:
        """Runs inside the caller's transaction."""
        return (await self.quizzes.delete_member(guild_id, user_id)
                + await self.practice.delete_member(guild_id, user_id))
