"""Rewards that motivate, opt-in per server: the best answer of a daily post (a manager's pick, else the
closest match to the reference once the delay has passed) with its bonus points, and members' nudges.

Every step is a claim in the database first, so a second press, a second sweep or a restart never picks twice,
awards twice or nudges twice the same day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain import rewards
from bot.domain.bank import Bank
from bot.domain.errors import DomainError
from bot.storage.database import Database, transaction
from bot.storage.points import LedgerEntry, PointsRepository
from bot.storage.posts import PostRepository
from bot.storage.rewards import (
    BestAnswer,
    NudgeMember,
    NudgeTarget,
    RevealedAnswer,
    RewardsRepository,
    RewardsSettings,
)
from bot.storage.rows import PostRow


@dataclass(frozen=True, slots=True)
class PickOutcome:
    best: BestAnswer
    post: PostRow
    created: bool  # False: the post already had its best answer (this is that one)
    points: int


class RewardsService:
    def __init__(self, conn: Database, bank: Bank) -> None:
        self.conn = conn
        self.bank = bank
        self.repo = RewardsRepository(conn)
        self.points = PointsRepository(conn)
        self.posts = PostRepository(conn)

    # -- settings --------------------------------------------------------------------------------------------
    async def settings(self, guild_id: int) -> RewardsSettings:
        return await self.repo.settings(guild_id)

    async def set_best_answer(self, guild_id: int, enabled: bool, delay_minutes: int | None,
                              now: datetime) -> RewardsSettings:
        if delay_minutes is not None:
            try:
                rewards.check_delay(delay_minutes)
            except ValueError:
                raise DomainError("rewards.bad_delay", value=delay_minutes, most=rewards.MAX_DELAY_MINUTES) from None
        async with transaction(self.conn):
            await self.repo.set_best_answer(guild_id, enabled, delay_minutes, now)
        return await self.repo.settings(guild_id)

    async def set_nudges(self, guild_id: int, enabled: bool, now: datetime) -> RewardsSettings:
        async with transaction(self.conn):
            await self.repo.set_nudges(guild_id, enabled, now)
        return await self.repo.settings(guild_id)

    # -- best answer -----------------------------------------------------------------------------------------
    async def pickable(self, post_id: int, answer_ids: Sequence[int]) -> list[RevealedAnswer]:
        """Of these answers (those a thread message carries), the ones that can be the post's best answer."""
        wanted = set(answer_ids)
        return [a for a in await self.repo.answers_of(post_id)
                if a.id in wanted and rewards.eligible(a.candidate())]

    async def best_of(self, post_id: int) -> BestAnswer | None:
        return await self.repo.best_of(post_id)

    async def pick(self, post_id: int, answer_id: int, picked_by: int | None, now: datetime) -> PickOutcome:
        """Mark the post's best answer and award its bonus, in one transaction; the first pick stands."""
        post = await self.posts.get(post_id)
        answer = await self.repo.answer(answer_id)
        if post is None or answer is None or answer.post_id != post_id:
            raise DomainError("rewards.best.gone")
        if post.status != "revealed":
            raise DomainError("rewards.best.not_revealed")
        settings = await self.repo.settings(post.guild_id)
        if not settings.best_answer:
            raise DomainError("rewards.best.off")
        if not rewards.eligible(answer.candidate()):
            raise DomainError("rewards.best.late")
        question = self.bank.get(post.question_id)
        async with transaction(self.conn):
            created = await self.repo.claim_best(answer, picked_by, now)
            if created:
                await self.points.award(LedgerEntry(
                    guild_id=post.guild_id, user_id=answer.user_id, points=rewards.BEST_ANSWER_POINTS,
                    reason=rewards.BEST_ANSWER, source_type="answer", source_id=answer.id,
                    local_date=post.local_date, topic_id=question.topic_id if question else None))
        best = await self.repo.best_of(post_id)
        assert best is not None
        return PickOutcome(best, post, created, rewards.BEST_ANSWER_POINTS)

    async def due_auto_picks(self, now: datetime) -> list[PickOutcome]:
        """Pick, for every reveal whose delay has passed without a manager's pick, the answer with the most key
        points covered (ties: the earliest). Claimed like a manager's pick, so it happens once."""
        picked = []
        for post, settings in await self.repo.unpicked_reveals(now - rewards.AUTO_PICK_REACH):
            assert post.revealed_at is not None
            if not rewards.auto_pick_due(post.revealed_at, settings.delay_minutes, settings.best_answer_since, now):
                continue
            choice = rewards.auto_pick(a.candidate() for a in await self.repo.answers_of(post.id))
            if choice is None:
                continue
            outcome = await self.pick(post.id, choice.answer_id, None, now)
            if outcome.created:
                picked.append(outcome)
        return picked

    async def unhighlighted(self) -> list[tuple[BestAnswer, PostRow]]:
        """Best answers the thread does not show yet (a crash between the pick and the highlight)."""
        found = []
        for best in await self.repo.unhighlighted():
            post = await self.posts.get(best.post_id)
            if post is not None:
                found.append((best, post))
        return found

    async def highlighted(self, post_id: int, now: datetime) -> None:
        async with transaction(self.conn):
            await self.repo.mark_highlighted(post_id, now)

    async def answer(self, answer_id: int) -> RevealedAnswer | None:
        return await self.repo.answer(answer_id)

    # -- nudges ----------------------------------------------------------------------------------------------
    async def nudge_on(self, guild_id: int, user_id: int, language: str, now: datetime) -> RewardsSettings:
        async with transaction(self.conn):
            await self.repo.opt_in(guild_id, user_id, language, now)
        return await self.repo.settings(guild_id)

    async def nudge_off(self, guild_id: int, user_id: int) -> bool:
        async with transaction(self.conn):
            return await self.repo.opt_out(guild_id, user_id)

    async def due_nudges(self, now: datetime) -> list[NudgeTarget]:
        """Claim one nudge per member, server and local day for each member who has not answered a post whose
        reveal is within the hour (the soonest). The claim comes before the DM, as review reminders do."""
        claimed: list[NudgeTarget] = []
        seen: set[tuple[int, int]] = set()
        for target in await self.repo.nudge_targets(now, now + rewards.NUDGE_LEAD):
            key = (target.guild_id, target.user_id)
            if key in seen or not rewards.nudge_due(target.reveal_due_at, now):
                continue
            seen.add(key)
            async with transaction(self.conn):
                if await self.repo.claim_nudge(target, now):
                    claimed.append(target)
        return claimed

    async def nudge_sent(self, target: NudgeTarget, message_id: int) -> None:
        async with transaction(self.conn):
            await self.repo.settle_nudge(target, "sent", message_id)

    async def nudge_failed(self, target: NudgeTarget, now: datetime, *, refused: bool) -> None:
        """A nudge that did not go out. Refused (403: DMs closed) pauses nudges until the member opts in again."""
        async with transaction(self.conn):
            await self.repo.settle_nudge(target, "failed")
            if refused:
                await self.repo.note_dm_failed(target.guild_id, target.user_id, now)

    async def take_dm_notice(self, guild_id: int, user_id: int) -> datetime | None:
        async with transaction(self.conn):
            return await self.repo.take_dm_notice(guild_id, user_id)

    async def nudge_member(self, guild_id: int, user_id: int) -> NudgeMember | None:
        return await self.repo.nudge_member(guild_id, user_id)


class RewardsMemberData:
    """The rewards' part in `/privacy export` and `/privacy delete` (a `MemberDataSource`): the nudge setting and
    the days a nudge went out. Best answers go with the member's answers (the rows cascade)."""

    name = "rewards"

    def __init__(self, conn: Database) -> None:
        self.repo = RewardsRepository(conn)

    async def export(self, guild_id: int, user_id: int) -> dict[str, object]:
        member = await self.repo.nudge_member(guild_id, user_id)
        return {"nudges": member is not None and member.dm_failed_at is None,
                "nudged": [{"date": day, "status": status} for day, status in await self.repo.nudges_of(guild_id,
                                                                                                          user_id)]}

    async def delete(self, guild_id: int, user_id: int) -> int:
        """Runs inside the caller's transaction."""
        before = len(await self.repo.nudges_of(guild_id, user_id))
        member = await self.repo.nudge_member(guild_id, user_id)
        await self.repo.delete_member(guild_id, user_id)
        return before + (member is not None)
