"""The question of the day: claim and plan posts, take answers, reveal with coverage, points and streaks.

Every step is idempotent against the database, so the scheduler may run it again after a restart or a retry
without a second post, a second award or a lost answer.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import aiosqlite

from bot.domain import scoring
from bot.domain.bank import Bank, Question
from bot.domain.boards import guild_timezone, server_language
from bot.domain.coverage import Coverage, coverage
from bot.domain.errors import DomainError
from bot.domain.schedule import ScheduleRule, catch_up, local_date, next_post, post_at, reveal_at, zone
from bot.domain.selection import choose, eligible
from bot.services.grades import GradeEvent, GradeFeed
from bot.storage.answers import AnswerRepository, ReactionRepository
from bot.storage.database import transaction
from bot.storage.points import LedgerEntry, PointsRepository, Standing, StreakRow
from bot.storage.posts import PostRepository
from bot.storage.rows import AnswerRow, PostRow, ScheduleRow
from bot.storage.schedules import (
    ReportRepository,
    ScheduleInput,
    ScheduleRepository,
    choose_language,
    choose_timezone,
    guild_languages,
    guild_zones,
)

log = logging.getLogger(__name__)
MAX_ANSWER_LENGTH = 1500
CONFIDENCE_EMOJI = ("🟢", "🟡", "🔴")
VOTE_EMOJI = "👍"
SELF_GRADES = ("got", "partly", "missed")
LATE_REPOST_WINDOW = timedelta(days=2)  # how far back the sweep looks for late answers missing from a thread


def rule_of(schedule: ScheduleRow) -> ScheduleRule:
    return ScheduleRule(
        post_time=schedule.post_time,
        timezone=schedule.timezone,
        reveal_time=schedule.reveal_time,
        reveal_after=timedelta(minutes=schedule.reveal_after_minutes) if schedule.reveal_after_minutes else None,
    )


@dataclass(frozen=True, slots=True)
class PostPlan:
    """A claimed post for the chat layer to send (or, after /qotd skip, to edit)."""

    post: PostRow
    schedule: ScheduleRow
    question: Question


@dataclass(frozen=True, slots=True)
class ScheduleStatus:
    schedule: ScheduleRow
    next_post_at: datetime
    next_reveal_at: datetime
    today: PostRow | None


@dataclass(frozen=True, slots=True)
class AnswerOutcome:
    answer: AnswerRow
    created: bool
    late: bool
    coverage: Coverage | None  # shown to a late answerer at once; on-time answers wait for the reveal
    post: PostRow
    question: Question


@dataclass(frozen=True, slots=True)
class RevealedMember:
    answer: AnswerRow
    coverage: Coverage
    points: int
    streak: int


@dataclass(frozen=True, slots=True)
class VoteOutcome:
    answer: AnswerRow
    votes: int  # the answer's 👍 count now
    changed: bool  # False: it already was as asked
    added: bool


@dataclass(frozen=True, slots=True)
class RevealPlan:
    post: PostRow
    schedule: ScheduleRow
    question: Question
    members: list[RevealedMember]
    reactions: Counter[str]
    standings: list[tuple[Standing, int]]  # (standing, current streak)


class QotdService:
    def __init__(self, conn: aiosqlite.Connection, bank: Bank, rules: scoring.PointsRules | None = None,
                 grades: GradeFeed | None = None) -> None:
        self.conn = conn
        self.bank = bank
        self.rules = rules or scoring.PointsRules()
        self.grades = grades or GradeFeed()
        self.problems: list[tuple[ScheduleRow, date, DomainError]] = []  # claims refused, for the runner to report
        self.reports = ReportRepository(conn)
        self.schedules = ScheduleRepository(conn)
        self.posts = PostRepository(conn)
        self.answers = AnswerRepository(conn)
        self.reactions = ReactionRepository(conn)
        self.points = PointsRepository(conn)

    # -- set-up ----------------------------------------------------------------------------------------------
    async def configure(self, value: ScheduleInput) -> ScheduleRow:
        try:
            ScheduleRule(value.post_time, value.timezone, value.reveal_time,
                         timedelta(minutes=value.reveal_after_minutes) if value.reveal_after_minutes else None)
        except ValueError as exc:
            raise DomainError("qotd.bad_schedule", reason=str(exc)) from exc
        unknown = sorted(value.topics - {t.id for t in self.bank.topics})
        if unknown:
            raise DomainError("qotd.unknown_topics", topics=", ".join(unknown))
        if value.min_difficulty > value.max_difficulty:
            raise DomainError("qotd.bad_difficulty")
        if not self._eligible(value.topics, value.min_difficulty, value.max_difficulty):
            raise DomainError("qotd.no_eligible_questions")
        return await self.schedules.save(value)

    async def status(self, guild_id: int, now: datetime) -> list[ScheduleStatus]:
        result = []
        for schedule in await self.schedules.for_guild(guild_id):
            rule = rule_of(schedule)
            day, post_time = next_post(rule, now)
            today = await self.posts.for_day(schedule.id, local_date(now, schedule.timezone).isoformat())
            result.append(ScheduleStatus(schedule, post_time, reveal_at(rule, day), today))
        return result

    async def server_language(self, guild_id: int, guild_locale: str | None) -> str:
        """What everyone in the server's channels reads (quizzes): `bot.domain.boards.server_language`."""
        chosen, first = await guild_languages(self.conn, guild_id)
        return server_language(chosen, first, guild_locale)

    async def choose_language(self, guild_id: int, language: str) -> None:
        if language not in ("zh", "en"):
            raise DomainError("qotd.bad_language")
        async with transaction(self.conn):
            await choose_language(self.conn, guild_id, language)

    async def choose_timezone(self, guild_id: int, name: str | None) -> str:
        """/qotd timezone: the server time zone (boards, recaps, quiz points), or back to the first schedule's
        zone with no name. Returns the zone now in force."""
        chosen = name.strip() if name and name.strip() else None
        if chosen is not None:
            try:
                zone(chosen)
            except ValueError as exc:
                raise DomainError("qotd.bad_timezone", timezone=chosen[:60]) from exc
        async with transaction(self.conn):
            await choose_timezone(self.conn, guild_id, chosen)
        return guild_timezone(*await guild_zones(self.conn, guild_id))

    async def set_paused(self, channel_id: int, paused: bool) -> ScheduleRow:
        async with transaction(self.conn):
            changed = await self.schedules.set_paused(channel_id, paused)
        if not changed:
            raise DomainError("qotd.no_schedule")
        schedule = await self.schedules.by_channel(channel_id)
        assert schedule is not None
        return schedule

    # -- posting ---------------------------------------------------------------------------------------------
    def _eligible(self, topics: frozenset[str], low: int, high: int) -> list[Question]:
        return eligible(self.bank, topics, low, high)

    async def _claim(self, schedule: ScheduleRow, day: date, *, retry_failed: bool = False) -> PostRow | None:
        rule = rule_of(schedule)
        pool = self._eligible(schedule.topics, schedule.min_difficulty, schedule.max_difficulty)
        if not pool:
            raise DomainError("qotd.no_eligible_questions")
        history = await self.posts.guild_history(schedule.guild_id)
        picked = choose(pool, history, seed=f"{schedule.guild_id}:{schedule.id}:{day.isoformat()}")
        return await self.posts.claim(
            schedule_id=schedule.id, guild_id=schedule.guild_id, channel_id=schedule.channel_id,
            local_date=day.isoformat(), question_id=picked.question.id, cycle=picked.cycle,
            post_due_at=post_at(rule, day), reveal_due_at=reveal_at(rule, day), retry_failed=retry_failed,
        )

    def _plan(self, post: PostRow, schedule: ScheduleRow) -> PostPlan | None:
        question = self.bank.get(post.question_id)
        return PostPlan(post, schedule, question) if question else None

    async def due_posts(self, now: datetime) -> list[PostPlan]:
        """Posts to send now: today's missing post inside its window, and claimed posts never confirmed sent."""
        plans: list[PostPlan] = []
        for schedule in await self.schedules.active():
            rule = rule_of(schedule)
            today = local_date(now, schedule.timezone)
            candidates = {(today - timedelta(days=1)).isoformat(), today.isoformat()}
            existing = {date.fromisoformat(d) for d in await self.posts.days_with_posts(schedule.id, candidates)}
            latest = await self.posts.latest_day(schedule.id)
            day = catch_up(rule, now, existing, date.fromisoformat(latest) if latest else None)
            if day is not None:
                try:
                    async with transaction(self.conn):
                        await self._claim(schedule, day)
                except DomainError as exc:  # e.g. the bank no longer has questions for its filters
                    log.warning("guild %s schedule %s: cannot claim %s: %s", schedule.guild_id, schedule.id,
                                day, exc)
                    self.problems.append((schedule, day, exc))
        for post in await self.posts.unsent():
            schedule = await self.schedules.get(post.schedule_id)
            if schedule is None or schedule.paused or now >= post.reveal_due_at:
                async with transaction(self.conn):
                    await self.posts.mark_failed(post.id)
                continue
            if (plan := self._plan(post, schedule)) is not None:
                plans.append(plan)
        return plans

    async def post_now(self, channel_id: int, now: datetime) -> PostPlan:
        """/qotd now: today's post at once, if the channel has a schedule and today has none yet."""
        schedule = await self.schedules.by_channel(channel_id)
        if schedule is None:
            raise DomainError("qotd.no_schedule")
        today = local_date(now, schedule.timezone)
        async with transaction(self.conn):
            post = await self._claim(schedule, today, retry_failed=True)  # a failed day may be posted again
        if post is None:
            raise DomainError("qotd.already_posted")
        if post.reveal_due_at <= now:
            # The day's reveal time has passed: reveal a full window after now instead of at once.
            window = rule_of(schedule).reveal_after or timedelta(hours=12)
            async with transaction(self.conn):
                await self.posts.move_reveal(post.id, now + window)
            post = await self.posts.get(post.id)
            assert post is not None
        plan = self._plan(post, schedule)
        assert plan is not None
        return plan

    async def skip(self, channel_id: int, now: datetime) -> PostPlan:
        """/qotd skip: replace today's question, only while nobody has answered it."""
        schedule = await self.schedules.by_channel(channel_id)
        if schedule is None:
            raise DomainError("qotd.no_schedule")
        post = await self.posts.for_day(schedule.id, local_date(now, schedule.timezone).isoformat())
        if post is None or post.status != "posted":
            raise DomainError("qotd.nothing_to_skip")
        pool = [q for q in self._eligible(schedule.topics, schedule.min_difficulty, schedule.max_difficulty)
                if q.id != post.question_id]
        if not pool:
            raise DomainError("qotd.no_eligible_questions")
        history = await self.posts.guild_history(schedule.guild_id)
        picked = choose(pool, history, seed=f"skip:{post.id}:{post.question_id}")
        async with transaction(self.conn):
            if await self.answers.for_post(post.id):
                raise DomainError("qotd.skip_has_answers")
            await self.posts.replace_question(post.id, picked.question.id)
        updated = await self.posts.get(post.id)
        assert updated is not None
        plan = self._plan(updated, schedule)
        assert plan is not None
        return plan

    async def confirm_posted(self, post_id: int, message_id: int, now: datetime) -> None:
        async with transaction(self.conn):
            await self.posts.mark_posted(post_id, message_id, now)

    async def give_up(self, post_id: int) -> None:
        async with transaction(self.conn):
            await self.posts.mark_failed(post_id)

    # -- answers ---------------------------------------------------------------------------------------------
    async def open_post(self, post_id: int) -> tuple[PostRow, Question]:
        post = await self.posts.get(post_id)
        # A pending post is one Discord may show already (the bot records it right after Discord accepts it):
        # members can answer it. A failed one was never shown.
        if post is None or post.status == "failed":
            raise DomainError("answer.no_post")
        question = self.bank.get(post.question_id)
        if question is None:
            raise DomainError("answer.no_post")
        return post, question

    async def submit_answer(self, post_id: int, user_id: int, text: str, now: datetime,
                            question_id: str | None = None) -> AnswerOutcome:
        """Store a member's answer. `question_id` is the question the member's form showed (None: trust the post).

        Refused while the reveal is being sent (the reference may already be public, and the day is being
        scored): the member gets their text back and may send it again, as a late answer, once it is revealed.
        """
        content = text.strip()
        if not content:
            raise DomainError("answer.empty")
        if len(content) > MAX_ANSWER_LENGTH:
            raise DomainError("answer.too_long", limit=MAX_ANSWER_LENGTH, length=len(content))
        async with transaction(self.conn):
            post, question = await self.open_post(post_id)
            if question_id is not None and question_id != post.question_id:
                raise DomainError("answer.question_changed")
            # Decided from the post as this transaction reads it: before the scoring transaction an answer is on
            # time (and the reveal takes it), after it and before the reveal it is refused, after the reveal late.
            revealed = post.status == "revealed"
            if not revealed and post.answers_closed_at is not None:
                raise DomainError("answer.revealing")
            existing = await self.answers.get(post.id, user_id)
            if revealed and existing is not None:
                raise DomainError("answer.locked")
            answer, created = await self.answers.save(
                post_id=post.id, guild_id=post.guild_id, user_id=user_id, content=content, late=revealed, now=now)
            result = None
            if revealed:
                result = coverage(content, question.key_points)
                await self.answers.set_coverage(answer.id, result.covered)
                for award in scoring.reveal_awards(self.rules, [scoring.RevealedAnswer(
                        user_id=user_id, late=True, coverage_ratio=result.ratio, streak=0)]):
                    await self.points.award(self._entry(post, answer, award.points, award.reason, question))
        if created and revealed:
            await self.grades.publish(GradeEvent(post.guild_id, user_id, question.id, "qotd", now))
        return AnswerOutcome(answer, created, revealed, result, post, question)

    async def my_answer(self, post_id: int, user_id: int) -> AnswerRow | None:
        return await self.answers.get(post_id, user_id)

    # -- reveal ----------------------------------------------------------------------------------------------
    def _entry(self, post: PostRow, answer: AnswerRow, points: int, reason: str, question: Question) -> LedgerEntry:
        return LedgerEntry(guild_id=post.guild_id, user_id=answer.user_id, points=points, reason=reason,
                           source_type="answer", source_id=answer.id, local_date=post.local_date,
                           topic_id=question.topic_id)

    async def due_reveals(self, now: datetime) -> list[RevealPlan]:
        plans = []
        for post in await self.posts.due_reveals(now):
            plan = await self.prepare_reveal(post.id)
            if plan is not None:
                plans.append(plan)
        return plans

    async def prepare_reveal(self, post_id: int) -> RevealPlan | None:
        """Score the day (coverage, streaks, points) once; running it again changes nothing."""
        post = await self.posts.get(post_id)
        schedule = await self.schedules.get(post.schedule_id) if post else None
        question = self.bank.get(post.question_id) if post else None
        if post is None or schedule is None or question is None or post.status != "posted":
            return None
        day = date.fromisoformat(post.local_date)
        members: list[RevealedMember] = []
        async with transaction(self.conn):
            await self.posts.close_answers(post.id, post.reveal_due_at)  # every later answer transaction sees it
            for answer in await self.answers.for_post(post.id):
                result = coverage(answer.content, question.key_points)
                await self.answers.set_coverage(answer.id, result.covered)
                stored = await self.points.streak(post.guild_id, answer.user_id)
                streak = scoring.advance(scoring.Streak(stored.current, stored.best, stored.last_day), day)
                await self.points.save_streak(post.guild_id, answer.user_id,
                                              StreakRow(streak.current, streak.best, streak.last_day))
                awards = scoring.reveal_awards(self.rules, [scoring.RevealedAnswer(
                    user_id=answer.user_id, late=answer.late, coverage_ratio=result.ratio,
                    streak=streak.current)])
                for award in awards:
                    await self.points.award(self._entry(post, answer, award.points, award.reason, question))
                members.append(RevealedMember(answer, result, sum(a.points for a in awards), streak.current))
        for member in members:  # the review deck learns of on-time answers only now that the answer is public
            await self.grades.publish(GradeEvent(post.guild_id, member.answer.user_id, question.id, "qotd",
                                                 post.reveal_due_at))
        reactions = await self.reactions.spread(post.id)
        standings = []
        for standing in await self.points.top(post.guild_id, limit=5):
            stored = await self.points.streak(post.guild_id, standing.user_id)
            current = scoring.current_as_of(scoring.Streak(stored.current, stored.best, stored.last_day), day)
            standings.append((standing, current))
        return RevealPlan(post, schedule, question, members, reactions, standings)

    async def record_reveal_message(self, answer_ids: Sequence[int], message_id: int) -> set[int]:
        """Record the thread message that carries these answers; returns those deleted meanwhile (/privacy
        delete), which the caller takes off the message."""
        async with transaction(self.conn):
            kept = await self.answers.set_reveal_message(answer_ids, message_id)
        return set(answer_ids) - kept

    async def unposted_late_answers(self, now: datetime) -> list[AnswerOutcome]:
        """Late answers acknowledged but not in their thread (a crash or a Discord error right after the
        member was told): the sweep posts them."""
        outcomes = []
        for answer in await self.answers.unposted_late(now - LATE_REPOST_WINDOW):
            post = await self.posts.get(answer.post_id)
            question = self.bank.get(post.question_id) if post else None
            if post is None or question is None:
                continue
            result = Coverage(tuple(answer.coverage or ()), len(question.key_points))
            outcomes.append(AnswerOutcome(answer, False, True, result, post, question))
        return outcomes

    async def first_report(self, guild_id: int, key: str, now: datetime) -> bool:
        """Whether this problem is new for the guild's admins (each is reported once)."""
        async with transaction(self.conn):
            return await self.reports.first(guild_id, key, now)

    async def record_reveal_progress(self, post_id: int, *, parts_sent: int | None = None,
                                     thread_id: int | None = None, prompt_id: int | None = None) -> None:
        async with transaction(self.conn):
            await self.posts.record_reveal_progress(post_id, parts_sent=parts_sent, thread_id=thread_id,
                                                    prompt_id=prompt_id)

    async def post(self, post_id: int) -> PostRow | None:
        return await self.posts.get(post_id)

    async def finish_reveal(self, post_id: int, thread_id: int | None, now: datetime) -> None:
        async with transaction(self.conn):
            await self.posts.mark_revealed(post_id, now, thread_id)

    # -- reactions, votes, self-grades -----------------------------------------------------------------------
    async def reaction(self, message_id: int, user_id: int, emoji: str, added: bool) -> None:
        """A raw reaction event: a member's confidence on a daily post (other emoji and messages are ignored)."""
        if emoji not in CONFIDENCE_EMOJI:
            return
        post = await self.posts.by_message(message_id)
        if post is not None:
            await self._set_reaction(post.id, user_id, emoji, added)

    async def _set_reaction(self, post_id: int, user_id: int, emoji: str, added: bool) -> None:
        async with transaction(self.conn):
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
        async with transaction(self.conn):
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

    async def self_grade(self, post_id: int, user_id: int, grade: str, now: datetime) -> AnswerRow:
        if grade not in SELF_GRADES:
            raise DomainError("grade.unknown")
        post, question = await self.open_post(post_id)
        async with transaction(self.conn):
            answer = await self.answers.get(post.id, user_id)
            if answer is None:
                raise DomainError("grade.no_answer")
            await self.answers.set_self_grade(answer.id, grade)
            if not answer.late:  # a late answer earns its late points and nothing else
                award = scoring.self_grade_award(self.rules, user_id)
                await self.points.award(self._entry(post, answer, award.points, award.reason, question))
        graded = await self.answers.get(post.id, user_id)
        assert graded is not None
        await self.grades.publish(GradeEvent(post.guild_id, user_id, question.id, "qotd", now, grade=grade))  # type: ignore[arg-type]
        return graded


def parse_clock(text: str) -> time:
    """'9:00', '09:00', '21:30' → time; DomainError for anything else."""
    try:
        hours, minutes = text.strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError as exc:
        raise DomainError("qotd.bad_time", value=text[:20]) from exc


def parse_reveal(text: str) -> tuple[time | None, int | None]:
    """A reveal setting: a local time ('21:00') or a delay after the post ('90m', '8h', '1h30m')."""
    cleaned = text.strip().lower().replace(" ", "")
    if ":" in cleaned:
        return parse_clock(cleaned), None
    minutes = 0
    number = ""
    for char in cleaned:
        if char.isdigit():
            number += char
        elif char in "hm" and number:
            minutes += int(number) * (60 if char == "h" else 1)
            number = ""
        else:
            raise DomainError("qotd.bad_reveal", value=text[:20])
    if number or not 0 < minutes <= 24 * 60:
        raise DomainError("qotd.bad_reveal", value=text[:20])
    return None, minutes
