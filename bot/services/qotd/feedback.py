"""Reactions on the daily post and peer votes on revealed answers."""

from __future__ import annotations

import logging

from bot.domain import scoring
from bot.domain.errors import DomainError
from bot.services.qotd.base import QotdBase
from bot.services.qotd.plans import (
    CONFIDENCE_EMOJI,
    VoteOutcome,
)

log = logging.getLogger(__name__)


class Feedback(QotdBase):
    async def reaction(self, message_id: int, user_id: int, emoji: str, added: bool) -> None:
        """A raw reaction event: a member's confidence on a daily post (other emoji and messages are ignored)."""
        if emoji not in CONFIDENCE_EMOJI:
            return
        await self.conn.run(self._react, message_id, user_id, emoji, added)

    async def _react(self, message_id: int, user_id: int, emoji: str, added: bool) -> None:
        """The unit of work of `reaction` (one trip on SQLite): the post of the message, and the reaction."""
        post = await self.posts.by_message(message_id)
        if post is not None:
            await self._set_reaction(post.id, user_id, emoji, added)

    async def _set_reaction(self, post_id: int, user_id: int, emoji: str, added: bool) -> None:
        if added:
            await self.reactions.add(post_id, user_id, emoji)
        else:
            await self.reactions.remove(post_id, user_id, emoji)

    async def reconcile_reactions(self, message_id: int, emoji: str, seen: set[int]) -> int:
        """Make the stored reactions of one post and emoji what Discord shows (`seen`), through the same rule
        as live events: after a restart, what members did while the bot was down counts. Returns the changes."""
        post = await self.posts.by_message(message_id)
        if post is None or emoji not in CONFIDENCE_EMOJI:
            return 0
        stored = await self.reactions.users(post.id, emoji)
        for user_id in seen - stored:
            await self._set_reaction(post.id, user_id, emoji, True)
        for user_id in stored - seen:
            await self._set_reaction(post.id, user_id, emoji, False)
        return len(seen ^ stored)

    async def vote(self, answer_id: int, voter_id: int, *, add: bool = True) -> VoteOutcome:
        """A 👍 for a member's revealed answer (its button in the reveal thread), or taken back. Both are
        idempotent: pressing again after a lost reply changes nothing. Peer-vote points follow the count."""
        return await self.conn.run(self._vote, answer_id, voter_id, add)

    async def _vote(self, answer_id: int, voter_id: int, add: bool) -> VoteOutcome:
        """The unit of work of `vote` (one trip on SQLite, shared by a thread voting at once)."""
        answer = await self.answers.by_id(answer_id)
        post = await self.posts.get(answer.post_id) if answer is not None else None
        if answer is None or post is None or post.status != "revealed":
            raise DomainError("vote.gone")
        if answer.user_id == voter_id:
            raise DomainError("vote.own")
        changed = (await self.answers.add_vote(answer.id, voter_id) if add
                   else await self.answers.remove_vote(answer.id, voter_id))
        votes = await self.answers.vote_count(answer.id)
        question = self.bank.get(post.question_id)
        if changed and question is not None:
            points = scoring.vote_award(self.rules, votes, late=answer.late)
            await self.points.award(self._entry(post, answer, points, scoring.PEER_VOTES, question), replace=True)
        return VoteOutcome(answer, votes, changed, add)
