"""The archive: a server's past daily questions, newest first, a page at a time.

Blind until the reveal holds here too: a day's reference answer is given only once that post is revealed and the
question is withheld nowhere in the server (`Withholding`); a member sees their own answer beside each day.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.bank import Question
from bot.domain.errors import DomainError
from bot.services.qotd.base import QotdBase
from bot.services.withholding import Withholding
from bot.storage.posts import history_page
from bot.storage.rows import PostRow

HISTORY_PAGE = 5


@dataclass(frozen=True, slots=True)
class HistoryDay:
    post: PostRow
    question: Question | None  # None: a question no longer in any bank (its text is gone, its figures stay)
    revealed: bool  # the reference answer may be shown
    answers: int
    on_time: int
    own_answer: str | None


@dataclass(frozen=True, slots=True)
class HistoryPage:
    days: tuple[HistoryDay, ...]
    topic_id: str | None
    page: int
    has_next: bool


class History(QotdBase):
    async def history(self, guild_id: int, user_id: int, topic_id: str | None = None, page: int = 0) -> HistoryPage:
        question_ids = None
        if topic_id is not None:
            if self.bank.find_topic(topic_id) is None:  # type: ignore[attr-defined]
                raise DomainError("banks.unknown_topic", topic=topic_id[:50])
            question_ids = [q.id for q in self.bank.questions.values() if q.topic_id == topic_id]
        page = max(page, 0)
        rows = await history_page(self.conn, guild_id, user_id, question_ids, HISTORY_PAGE + 1, page * HISTORY_PAGE)
        withheld = await Withholding(self.posts).pending([guild_id])
        days = tuple(
            HistoryDay(post, self.bank.get(post.question_id),
                       post.status == "revealed" and post.question_id not in withheld, answers, on_time, own)
            for post, answers, on_time, own in rows[:HISTORY_PAGE])
        return HistoryPage(days, topic_id, page, len(rows) > HISTORY_PAGE)
