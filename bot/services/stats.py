"""`/stats`: a member's points, rank and streaks, their activity heatmap and their mastery by topic, as values.

Rendering the picture is the chat layer's job (`bot/chat/stats/chart.py`); this only gathers the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.domain import boards, progress
from bot.domain.bank import Bank
from bot.domain.errors import DomainError
from bot.domain.scoring import Streak, current_as_of
from bot.services.boards import BoardService
from bot.storage.boards import BoardKey
from bot.storage.database import Database
from bot.storage.progress import ProgressRepository


@dataclass(frozen=True, slots=True)
class MemberStats:
    user_id: int
    today: date
    points: int  # all time, every source
    week_points: int
    rank: int | None  # all time, among visible members
    hidden: bool
    current_streak: int
    best_streak: int
    answers: int
    heatmap: progress.Heatmap
    topics: list[progress.TopicMastery]


class StatsService:
    def __init__(self, conn: Database, bank: Bank, boards_service: BoardService) -> None:
        self.conn = conn
        self.bank = bank
        self.board_service = boards_service
        self.progress = ProgressRepository(conn)

    async def stats(self, guild_id: int, viewer_id: int, user_id: int, now: datetime) -> MemberStats:
        """A member's figures. Another member's are refused when that member hid from the boards."""
        flags = await self.board_service.privacy.get(guild_id, user_id)
        hidden = flags.hidden or flags.left_at is not None
        if hidden and viewer_id != user_id:
            raise DomainError("stats.hidden", member=f"<@{user_id}>")
        today = await self.board_service.today(guild_id, now)
        repo = self.board_service.boards
        all_time = BoardKey(guild_id, "all", "", boards.ALL, boards.ALL)
        points, above = await repo.standing(all_time, user_id)
        week = BoardKey(guild_id, "week", boards.week_key(today), boards.ALL, boards.ALL)
        week_points, _ = await repo.standing(week, user_id)
        streak = (await repo.streaks(guild_id, [user_id])).get(user_id)
        current, best = 0, 0
        if streak is not None:
            last = date.fromisoformat(streak[2]) if streak[2] else None
            current, best = current_as_of(Streak(streak[0], streak[1], last), today), streak[1]
        counts = await self.progress.answers_per_day(guild_id, user_id, progress.heatmap_start(today))
        answered = []
        for question_id, covered, grade in await self.progress.answered(guild_id, user_id):
            question = self.bank.get(question_id)
            if question is not None:
                answered.append(progress.AnsweredQuestion(question.topic_id, covered, len(question.key_points),
                                                          grade))
        return MemberStats(
            user_id=user_id, today=today, points=points, week_points=week_points,
            rank=above + 1 if points > 0 else None, hidden=hidden, current_streak=current, best_streak=best,
            answers=len(answered), heatmap=progress.heatmap(counts, today),
            topics=progress.mastery(answered, [t.id for t in self.bank.topics]),
        )
