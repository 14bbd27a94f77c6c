"""Personal spaced repetition: decks filled by grade events and /review add, sessions, stats and daily reminders.

Every rating goes through FSRS (bot.domain.review) and is stored with the card's new state in one transaction,
before anything is shown to the member. A deck belongs to a member (a user id), whatever the guild.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import fmean

from bot.domain.bank import Bank, Question, Topic
from bot.domain.errors import DomainError
from bot.domain.review import (
    CardState,
    DueForecast,
    Rating,
    check_zone,
    forecast,
    is_regrade,
    most_forgotten_first,
    new_card,
    next_reminder,
    parse_remind_time,
    rating_for_grade,
    reminder_at,
    reminder_day,
    retention,
    retrievability,
    review,
)
from bot.domain.schedule import local_date
from bot.services.grades import GradeEvent
from bot.services.withholding import Withholding
from bot.storage.database import Database, transaction
from bot.storage.posts import PostRepository
from bot.storage.review_cards import CardRow, ReviewRepository, SessionRow
from bot.storage.review_members import ReviewMemberRepository

log = logging.getLogger(__name__)
SOURCES = ("qotd", "quiz")  # grade-event sources that feed decks (also the card's origin and the log's source)
RETENTION_WINDOW = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class SessionCard:
    """The card a session shows next: `position` counts from 1; `left` includes this card."""

    session_id: int
    card: CardRow
    question: Question
    position: int
    left: int


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """The end of a session (or, with `session_id` None, a session that had nothing to review)."""

    session_id: int | None
    ratings: Counter[int]
    retention: float | None
    next_due: datetime | None
    zone: str

    @property
    def reviewed(self) -> int:
        return sum(self.ratings.values())


@dataclass(frozen=True, slots=True)
class Rated:
    question: Question
    rating: Rating
    card: CardState  # the card after the rating (as stored)
    applied: bool  # False when this session had already rated the card (a second click)
    following: SessionCard | SessionSummary
    zone: str


@dataclass(frozen=True, slots=True)
class Added:
    added: int
    already: int


@dataclass(frozen=True, slots=True)
class TopicCount:
    topic: Topic
    cards: int
    due: int


@dataclass(frozen=True, slots=True)
class DeckStats:
    cards: int
    new: int
    learning: int  # learning or relearning steps
    reviewing: int
    forecast: DueForecast
    retention: float | None  # last 30 days
    ratings: int  # last 30 days
    recall_now: float | None  # FSRS's mean predicted recall over rated cards
    topics: list[TopicCount]
    next_due: datetime | None  # the next card to become due (None when all are due already)
    zone: str
    remind_time: time | None
    remind_zone: str
    reminders_paused: bool


@dataclass(frozen=True, slots=True)
class ReminderSetting:
    remind_time: time
    zone: str
    next_at: datetime


@dataclass(frozen=True, slots=True)
class ReminderPlan:
    """A claimed reminder for the chat layer to send."""

    user_id: int
    day: date
    due: int
    language: str
    zone: str


class ReviewService:
    def __init__(self, conn: Database, bank: Bank) -> None:
        self.conn = conn
        self.bank = bank
        self.cards = ReviewRepository(conn)
        self.members = ReviewMemberRepository(conn)
        self.withholding = Withholding(PostRepository(conn))
        self.lock = asyncio.Lock()  # one rating at a time: a grade event and a click never interleave

    # -- filling the deck ------------------------------------------------------------------------------------
    async def on_grade(self, event: GradeEvent) -> None:
        """A grade-feed subscriber: an answer adds the question to the member's deck; a grade also rates it."""
        if event.source not in SOURCES:
            log.warning("review: grade event from unknown source %r ignored", event.source)
            return
        if self.bank.get(event.question_id) is None:
            log.warning("review: grade event for unknown question %r ignored", event.question_id)
            return
        rating = rating_for_grade(event.grade, event.correct)
        async with self.lock, transaction(self.conn):
            await self.cards.add_card(user_id=event.user_id, question_id=event.question_id, guild_id=event.guild_id,
                                      origin=event.source, card=new_card(event.at), now=event.at)
            if rating is None:
                return
            row = await self.cards.card(event.user_id, event.question_id)
            assert row is not None
            await self._rate(row, rating, event.at, source=event.source, self_graded=event.grade is not None,
                             guild_id=event.guild_id, session_id=None)

    async def _rate(self, row: CardRow, rating: Rating, at: datetime, *, source: str, self_graded: bool,
                    guild_id: int | None, session_id: int | None) -> tuple[CardState, bool]:
        """Rate inside the caller's transaction: FSRS, then the log row and the card. Returns (card, applied)."""
        before = row.card
        if self_graded:
            latest = await self.cards.latest_rating(row.id)
            if latest is not None and is_regrade(latest.past, source, guild_id, at):
                before = CardState.from_json(latest.card_before)
                await self.cards.delete_rating(latest.id)
        after = review(before, rating, at, row.id)
        logged = await self.cards.log_rating(
            card_id=row.id, user_id=row.user_id, rating=int(rating), at=at, source=source, self_graded=self_graded,
            guild_id=guild_id, session_id=session_id, card_before=before.to_json(row.id), due_after=after.due)
        if not logged:
            return row.card, False
        await self.cards.save_card(row.id, after)
        return after, True

    async def add_question(self, user_id: int, guild_id: int | None, question_id: str, now: datetime, *,
                           scope: Collection[int]) -> Added:
        question = self.bank.for_guild(guild_id).get(question_id.strip())
        if question is None:
            raise DomainError("review.unknown_question", question_id=question_id.strip()[:100])
        await self.withholding.check(question.id, scope)
        async with self.lock, transaction(self.conn):
            added = await self.cards.add_card(user_id=user_id, question_id=question.id, guild_id=guild_id,
                                              origin="added", card=new_card(now), now=now)
        return Added(int(added), int(not added))

    async def add_topic(self, user_id: int, guild_id: int | None, topic_id: str, now: datetime) -> Added:
        wanted = topic_id.strip()
        bank = self.bank.for_guild(guild_id)
        if wanted not in {topic.id for topic in bank.topics}:
            raise DomainError("review.unknown_topic", topic=wanted[:100])
        added = 0
        questions = bank.in_topic(wanted)
        async with self.lock, transaction(self.conn):
            for question in questions:
                added += await self.cards.add_card(user_id=user_id, question_id=question.id, guild_id=guild_id,
                                                   origin="added", card=new_card(now), now=now)
        return Added(added, len(questions) - added)

    # -- sessions --------------------------------------------------------------------------------------------
    async def _due(self, user_id: int, now: datetime, session_id: int | None, scope: Collection[int]) -> list[CardRow]:
        """Due cards with a question still in the bank and not withheld, most forgotten first."""
        withheld = await self.withholding.pending(scope)
        rows = [row for row in await self.cards.due_cards(user_id, now, not_in_session=session_id)
                if self.bank.get(row.question_id) is not None and row.question_id not in withheld]
        return sorted(rows, key=lambda row: (*most_forgotten_first(row.card, now), row.id))

    async def _own_session(self, user_id: int, session_id: int) -> SessionRow:
        session = await self.cards.session(session_id)
        if session is None or session.user_id != user_id:
            raise DomainError("review.not_yours")
        return session

    async def _own_card(self, user_id: int, card_id: int) -> tuple[CardRow, Question]:
        row = await self.cards.card_by_id(card_id)
        if row is None or row.user_id != user_id:
            raise DomainError("review.not_yours")
        question = self.bank.get(row.question_id)
        if question is None:
            raise DomainError("review.question_gone", question_id=row.question_id)
        return row, question

    async def start(self, user_id: int, guild_id: int | None, now: datetime, *,
                    scope: Collection[int]) -> SessionCard | SessionSummary:
        """A new session over the member's due cards; a summary at once when nothing is due."""
        due = await self._due(user_id, now, None, scope)
        if not due:
            return SessionSummary(None, Counter(), None, await self.cards.next_due(user_id),
                                  await self.zone_for(user_id, guild_id))
        async with transaction(self.conn):
            session_id = await self.cards.start_session(user_id, guild_id, now)
        question = self.bank.get(due[0].question_id)
        assert question is not None
        return SessionCard(session_id, due[0], question, 1, len(due))

    async def _next(self, session: SessionRow, now: datetime, scope: Collection[int]) -> SessionCard | SessionSummary:
        due = [] if session.finished_at else await self._due(session.user_id, now, session.id, scope)
        if not due:
            async with transaction(self.conn):
                await self.cards.finish_session(session.id, now)
            return await self._summary(session)
        reviewed = len(await self.cards.session_ratings(session.id))
        question = self.bank.get(due[0].question_id)
        assert question is not None
        return SessionCard(session.id, due[0], question, reviewed + 1, len(due))

    async def show(self, user_id: int, session_id: int, card_id: int, now: datetime, *,
                   scope: Collection[int]) -> SessionCard:
        """The card with its answer (the Show answer button); only the member's own session and card, and never
        while the question is withheld (a card shown before a daily post went out can still be clicked after)."""
        session = await self._own_session(user_id, session_id)
        row, question = await self._own_card(user_id, card_id)
        await self.withholding.check(question.id, scope)
        reviewed = len(await self.cards.session_ratings(session.id))
        left = len(await self._due(user_id, now, session.id, scope))
        return SessionCard(session.id, row, question, reviewed + 1, max(left, 1))

    async def rate(self, user_id: int, session_id: int, card_id: int, rating: Rating, now: datetime, *,
                   scope: Collection[int]) -> Rated:
        """Store the rating (FSRS state and log) before choosing the next card."""
        session = await self._own_session(user_id, session_id)
        async with self.lock, transaction(self.conn):
            row, question = await self._own_card(user_id, card_id)
            if session.finished_at is None:
                card, applied = await self._rate(row, rating, now, source="session", self_graded=False,
                                                 guild_id=session.guild_id, session_id=session.id)
            else:
                card, applied = row.card, False
        following = await self._next(session, now, scope)
        return Rated(question, rating, card, applied, following, await self.zone_for(user_id, session.guild_id))

    async def finish(self, user_id: int, session_id: int, now: datetime) -> SessionSummary:
        session = await self._own_session(user_id, session_id)
        async with transaction(self.conn):
            await self.cards.finish_session(session.id, now)
        return await self._summary(session)

    async def _summary(self, session: SessionRow) -> SessionSummary:
        ratings = await self.cards.session_ratings(session.id)
        return SessionSummary(session.id, Counter(ratings), retention(ratings),
                              await self.cards.next_due(session.user_id),
                              await self.zone_for(session.user_id, session.guild_id))

    # -- figures ---------------------------------------------------------------------------------------------
    async def zone_for(self, user_id: int, guild_id: int | None) -> str:
        """The member's own time zone, else the guild's (this one, or where they opted in to reminders), else UTC."""
        member = await self.members.get(user_id)
        if member is not None and member.timezone:
            return member.timezone
        for candidate in (guild_id, member.remind_guild_id if member else None):
            if candidate is not None and (zone := await self.members.guild_timezone(candidate)):
                return zone
        return "UTC"

    async def stats(self, user_id: int, guild_id: int | None, now: datetime) -> DeckStats:
        deck = [row for row in await self.cards.deck(user_id) if self.bank.get(row.question_id) is not None]
        zone = await self.zone_for(user_id, guild_id)
        ratings = await self.cards.ratings_since(user_id, now - RETENTION_WINDOW)
        rated = [row.card for row in deck if not row.card.is_new]
        topic_of = {row.id: self.bank.questions[row.question_id].topic_id for row in deck}
        topics = [TopicCount(topic, sum(1 for row in deck if topic_of[row.id] == topic.id),
                             sum(1 for row in deck if topic_of[row.id] == topic.id and row.card.due <= now))
                  for topic in self.bank.for_guild(guild_id).topics]
        member = await self.members.get(user_id)
        return DeckStats(
            cards=len(deck), new=sum(1 for row in deck if row.card.is_new),
            learning=sum(1 for card in rated if card.state != 2), reviewing=sum(1 for card in rated if card.state == 2),
            forecast=forecast([row.card.due for row in deck], now, zone), retention=retention(ratings),
            ratings=len(ratings), recall_now=fmean(retrievability(card, now) for card in rated) if rated else None,
            topics=[count for count in topics if count.cards],
            next_due=min((row.card.due for row in deck if row.card.due > now), default=None),
            zone=zone, remind_time=member.remind_time if member else None,
            remind_zone=await self.zone_for(user_id, member.remind_guild_id) if member else zone,
            reminders_paused=bool(member and member.dm_failed_at),
        )

    # -- reminders -------------------------------------------------------------------------------------------
    async def remind_on(self, user_id: int, guild_id: int | None, remind_time: str, timezone: str | None,
                        language: str, now: datetime) -> ReminderSetting:
        """Opt in to a daily DM at a local time. When today's time has passed, the first one is tomorrow's."""
        wall = parse_remind_time(remind_time)
        chosen = check_zone(timezone.strip()) if timezone and timezone.strip() else None
        async with transaction(self.conn):
            await self.members.remind(user_id=user_id, remind_time=wall, timezone=chosen, guild_id=guild_id,
                                      language=language, now=now)
            zone = await self.zone_for(user_id, guild_id)
            today = local_date(now, zone)
            if reminder_at(today, wall, zone) <= now:
                await self.members.claim(user_id, today, "skipped", 0, now)
        claimed = await self.members.claimed_days(user_id, today)
        return ReminderSetting(wall, zone, next_reminder(wall, zone, now, claimed))

    async def remind_off(self, user_id: int, now: datetime) -> bool:
        async with transaction(self.conn):
            return await self.members.stop_reminders(user_id, now)

    async def due_reminders(self, now: datetime) -> list[ReminderPlan]:
        """Claim today's reminder of every member whose time has come; plans for those with cards due.

        The claim (one row per member and local day) comes before the DM, so a restart or a second sweep never
        sends a second reminder the same day; a member with nothing due is not messaged.
        """
        plans = []
        taken = await self.members.claims_since((now - timedelta(days=1)).date())  # every zone's today, at least
        for member, zone in await self.members.with_reminders():
            assert member.remind_time is not None
            day = reminder_day(member.remind_time, zone, now)
            if day is None or (member.user_id, day) in taken:
                continue
            due = len(await self._due(member.user_id, now, None, ()))  # a count shows no answer
            # One INSERT: the primary key (member, local day) lets exactly one claim through, across restarts.
            async with transaction(self.conn):
                claimed = await self.members.claim(member.user_id, day, "claimed" if due else "nothing_due", due,
                                                   now)
            if claimed and due:
                plans.append(ReminderPlan(member.user_id, day, due, member.language, zone))
        return plans

    async def reminder_sent(self, plan: ReminderPlan, message_id: int) -> None:
        async with transaction(self.conn):
            await self.members.settle(plan.user_id, plan.day, "sent", message_id)

    async def reminder_failed(self, plan: ReminderPlan, now: datetime, *, refused: bool) -> None:
        """A DM that did not go out. Refused (403: DMs closed) pauses reminders until the member opts in again."""
        async with transaction(self.conn):
            await self.members.settle(plan.user_id, plan.day, "failed")
            if refused:
                await self.members.note_dm_failed(plan.user_id, now)

    async def take_dm_notice(self, user_id: int) -> datetime | None:
        """When a reminder DM was refused and the member has not been told yet: when (and it counts as told)."""
        async with transaction(self.conn):
            return await self.members.take_dm_notice(user_id)
