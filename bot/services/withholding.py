"""Blind until the reveal, as one rule that every path asks: is this question's reference answer withheld?

A question is withheld from a member while a server they share with the bot has a daily post of it that is not
yet revealed, or a running quiz that has not yet revealed it: its reference answer, its right option and review
cards of it stay hidden until then. Public draws (a quiz in a channel) use the channel's own server. The Discord
adapter says which servers are in scope (`bot.chat.shared.audience`); nothing else decides.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.domain.errors import DomainError
from bot.storage.posts import PostRepository


@dataclass(frozen=True, slots=True)
class Withheld:
    question_id: str
    guild_id: int
    channel_id: int
    reveal_at: datetime | None  # None: a quiz question that has not opened yet

    def error(self) -> DomainError:
        """What the member is told: where the question is running and when its answer is revealed."""
        if self.reveal_at is None:
            return DomainError("question.withheld_quiz", channel=f"<#{self.channel_id}>")
        return DomainError("question.not_yet", channel=f"<#{self.channel_id}>",
                           reveal=f"<t:{int(self.reveal_at.timestamp())}:R>")


class Withholding:
    def __init__(self, posts: PostRepository) -> None:
        self.posts = posts

    async def pending(self, guild_ids: Iterable[int]) -> dict[str, Withheld]:
        """Every withheld question for this scope, with its earliest reveal."""
        found: dict[str, Withheld] = {}
        for question_id, guild_id, channel_id, reveal in await self.posts.unrevealed_in(guild_ids):
            current = found.get(question_id)
            if current is None or (reveal is not None and (current.reveal_at is None or reveal < current.reveal_at)):
                found[question_id] = Withheld(question_id, guild_id, channel_id, reveal)
        return found

    async def check(self, question_id: str, guild_ids: Collection[int]) -> None:
        """Raise the member's explanation when the question is withheld in this scope."""
        withheld = (await self.pending(guild_ids)).get(question_id)
        if withheld is not None:
            raise withheld.error()
