"""The weekly recap and the monthly season summary: settings, claiming each guild's week or month once, and their
figures.

Like the daily post, a recap row is claimed (unique per guild and ISO week; a season row per guild and month)
before the message is sent, so a restart, a second sweep or a retry never posts one twice. A claimed one never
confirmed sent is retried until its catch-up window closes, then marked failed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from bot.domain import recap as rules
from bot.domain.bank import Bank, Question
from bot.domain.boards import guild_timezone, server_language
from bot.domain.errors import DomainError
from bot.domain.scoring import Streak, current_as_of
from bot.services.boards import BoardService
from bot.storage.database import Database, transaction
from bot.storage.recaps import MonthFigures, RecapRepository, RecapRow, RecapSettings, SeasonRepository, SeasonRow
from bot.storage.schedules import guild_languages

TOP_MEMBERS = 5
TOP_STREAKS = 3
TOP_ANSWERS = 3


@dataclass(frozen=True, slots=True)
class HardestQuestion:
    question: Question
    local_date: str
    answers: int
    coverage: float | None
    red: int
    channel_id: int
    message_id: int | None


@dataclass(frozen=True, slots=True)
class VotedAnswer:
    user_id: int
    votes: int
    question: Question
    thread_id: int | None
    message_id: int | None


@dataclass(frozen=True, slots=True)
class RecapContent:
    guild_id: int
    week: str
    first: date
    last: date
    top: list[tuple[int, int]]  # (member, points)
    streaks: list[tuple[int, int]]  # (member, current streak)
    hardest: HardestQuestion | None
    voted: list[VotedAnswer]

    @property
    def empty(self) -> bool:
        return not (self.top or self.hardest or self.voted)


@dataclass(frozen=True, slots=True)
class SeasonContent:
    """A month's summary: its top members (the first is the champion), longest streaks within the month, the most
    answered topic and the month's figures."""

    guild_id: int
    month: str
    top: list[tuple[int, int]]  # (member, points)
    streaks: list[tuple[int, int]]  # (member, longest run of on-time days in the month)
    topic: tuple[str, int] | None  # (topic id, revealed answers)
    figures: MonthFigures

    @property
    def empty(self) -> bool:
        return not (self.top or self.figures.answers)


@dataclass(frozen=True, slots=True)
class SeasonPlan:
    """A claimed season summary for the chat layer to send."""

    season: SeasonRow
    content: SeasonContent
    language: str


RECENT_RECAPS = timedelta(days=15)  # the recap rows a sweep reads: any week still due is younger
T = TypeVar("T")


def per_rule(work: Callable[[rules.RecapRule], T]) -> Callable[[rules.RecapRule], T]:
    """`work` done once per distinct rule within one sweep (rules are values; `now` is fixed by the caller)."""
    done: dict[rules.RecapRule, T] = {}

    def cached(rule: rules.RecapRule) -> T:
        if rule not in done:
            done[rule] = work(rule)
        return done[rule]

    return cached


@dataclass(frozen=True, slots=True)
class RecapPlan:
    """A claimed recap for the chat layer to send."""

    recap: RecapRow
    content: RecapContent
    language: str


class RecapService:
    def __init__(self, conn: Database, bank: Bank, board_service: BoardService) -> None:
        self.conn = conn
        self.bank = bank
        self.board_service = board_service
        self.recaps = RecapRepository(conn)
        self.seasons = SeasonRepository(conn)

    async def rule(self, guild_id: int) -> tuple[RecapSettings, rules.RecapRule]:
        settings = await self.recaps.settings(guild_id)
        return settings, rules.RecapRule(settings.weekday, settings.at, await self.board_service.timezone(guild_id))

    async def channel(self, settings: RecapSettings) -> int | None:
        return settings.channel_id or await self.recaps.first_schedule_channel(settings.guild_id)

    async def configure(self, guild_id: int, *, weekday: int | None, at: time | None, channel_id: int | None,
                        enabled: bool | None, by: int, now: datetime) -> tuple[RecapSettings, rules.RecapWeek]:
        """Change what is given, keep the rest; returns the settings and the next recap they lead to."""
        current = await self.recaps.settings(guild_id)
        wanted = RecapSettings(
            guild_id, channel_id if channel_id is not None else current.channel_id,
            weekday if weekday is not None else current.weekday, at or current.at,
            enabled if enabled is not None else current.enabled, True,
        )
        if wanted.enabled and await self.channel(wanted) is None:
            raise DomainError("recap.no_channel")
        async with transaction(self.conn):
            await self.recaps.save_settings(wanted, by)
        _settings, rule = await self.rule(guild_id)
        return wanted, rules.next_after(rule, now)

    async def _receiving(self) -> list[tuple[RecapSettings, rules.RecapRule, int]]:
        """Every guild that gets recaps now, with its rule and channel: one query, whatever the number of guilds."""
        found = []
        made: dict[tuple[int, time, str], rules.RecapRule] = {}  # guilds with the same rule share one (checked once)
        for settings, zone, first_channel in await self.recaps.candidates():
            channel_id = settings.channel_id or first_channel
            if settings.enabled and channel_id is not None:
                key = (settings.weekday, settings.at, zone)
                rule = made.get(key) or made.setdefault(key, rules.RecapRule(*key))
                found.append((settings, rule, channel_id))
        return found

    async def next_times(self, now: datetime) -> dict[int, datetime]:
        """The next recap instant of every guild that gets recaps (to arm the scheduler). Guilds that share a
        rule (most keep the default day and time, in a few zones) share its instant: worked out once per rule."""
        upcoming = per_rule(lambda rule: rules.next_after(rule, now))
        return {settings.guild_id: upcoming(rule).due_at for settings, rule, _channel in await self._receiving()}

    async def due(self, now: datetime, language: str = "zh") -> list[RecapPlan]:
        """Claim and plan every recap due now, and pick up claimed ones never confirmed sent."""
        receiving = await self._receiving()
        done_weeks = await self.recaps.weeks_since(now - RECENT_RECAPS) if receiving else {}
        # A guild's recap is due when its rule has one due now and the guild has not posted that week yet.
        due_now = per_rule(lambda rule: rules.due(rule, now, ()))
        for settings, rule, channel_id in receiving:
            guild_id = settings.guild_id
            week = due_now(rule)
            if week is None or week.key in done_weeks.get(guild_id, ()):
                continue
            async with transaction(self.conn):
                await self.recaps.claim(guild_id=guild_id, week=week.key, first_date=week.first.isoformat(),
                                        last_date=week.last.isoformat(), channel_id=channel_id, due_at=week.due_at)
        plans: list[RecapPlan] = []
        for row in await self.recaps.unsent():
            if now - row.due_at > rules.CATCH_UP:
                async with transaction(self.conn):
                    await self.recaps.mark(row.id, "failed")
                continue
            content = await self.content(row.guild_id, row.week, date.fromisoformat(row.first_date),
                                         date.fromisoformat(row.last_date))
            if content.empty:
                async with transaction(self.conn):
                    await self.recaps.mark(row.id, "empty", now=now)
                continue
            plans.append(RecapPlan(row, content, await self.language(row.guild_id, language)))
        return plans

    async def language(self, guild_id: int, fallback: str) -> str:
        return await self.recaps.guild_language(guild_id) or fallback

    async def confirm(self, recap_id: int, message_id: int, now: datetime) -> None:
        async with transaction(self.conn):
            await self.recaps.mark(recap_id, "posted", message_id=message_id, now=now)

    async def give_up(self, recap_id: int) -> None:
        async with transaction(self.conn):
            await self.recaps.mark(recap_id, "failed")

    async def preview(self, guild_id: int, now: datetime) -> RecapContent:
        """The recap as it would read now: the seven local days ending today."""
        today = await self.board_service.today(guild_id, now)
        week = rules.week_ending(rules.RecapRule(today.weekday(), time(0, 0), "UTC"), today)
        return await self.content(guild_id, week.key, week.first, week.last)

    async def content(self, guild_id: int, week: str, first: date, last: date) -> RecapContent:
        repo = self.recaps
        start, end = first.isoformat(), last.isoformat()
        top = await repo.top_members(guild_id, start, end, TOP_MEMBERS)
        streaks = []
        for user_id, streak, last_day in await repo.streaks(guild_id):
            current = current_as_of(Streak(streak, streak, date.fromisoformat(last_day) if last_day else None), last)
            if current > 0:
                streaks.append((user_id, current))
        streaks.sort(key=lambda s: (-s[1], s[0]))
        figures = await repo.posts(guild_id, start, end)
        difficulties = []
        for post in figures:
            question = self.bank.get(post.question_id)
            scored = [len(c) / len(question.key_points) for c in post.coverages
                      if c is not None and question is not None and question.key_points]
            difficulties.append(rules.PostDifficulty(post.post_id, post.question_id, len(post.coverages),
                                                     sum(scored) / len(scored) if scored else None, post.red))
        pick = rules.hardest(difficulties)
        hardest = None
        if pick is not None and (question := self.bank.get(pick.question_id)) is not None:
            post = next(p for p in figures if p.post_id == pick.post_id)
            hardest = HardestQuestion(question, post.local_date, pick.answers, pick.coverage, pick.red,
                                      post.channel_id, post.message_id)
        voted = [VotedAnswer(row.user_id, row.votes, question, row.thread_id, row.message_id)
                 for row in await repo.most_voted(guild_id, start, end, TOP_ANSWERS)
                 if (question := self.bank.get(row.question_id)) is not None]
        return RecapContent(guild_id, week, first, last, top, streaks[:TOP_STREAKS], hardest, voted)

    # -- the monthly season summary --------------------------------------------------------------------------
    async def set_season(self, guild_id: int, on: bool, by: int) -> tuple[int | None, str]:
        """Turn the season summary on or off; returns where it is posted and the zone its months are counted in."""
        settings = await self.recaps.settings(guild_id)
        channel_id = await self.channel(settings)
        if on and channel_id is None:
            raise DomainError("recap.no_channel")
        async with transaction(self.conn):
            await self.recaps.save_season(guild_id, on, by)
        return channel_id, await self.board_service.timezone(guild_id)

    async def seasons_due(self, now: datetime, guild_locale: Callable[[int], str | None]) -> list[SeasonPlan]:
        """Claim every summary due now (one read for all guilds), and plan the claimed ones not yet sent."""
        for guild in await self.seasons.guilds():
            if guild.channel_id is None:
                continue
            season = rules.season_due(guild_timezone(guild.chosen_timezone, guild.first_timezone), now,
                                      guild.last_claimed)
            if season is not None:
                async with transaction(self.conn):
                    await self.seasons.claim(guild.guild_id, season.key, guild.channel_id, season.due_at)
        plans: list[SeasonPlan] = []
        for row in await self.seasons.unsent():
            if now - row.due_at > rules.SEASON_CATCH_UP:
                async with transaction(self.conn):
                    await self.seasons.mark(row.id, "failed")
                continue
            content = await self.season_content(row.guild_id, row.month)
            if content.empty:
                async with transaction(self.conn):
                    await self.seasons.mark(row.id, "empty", now=now)
                continue
            chosen, first = await guild_languages(self.conn, row.guild_id)
            plans.append(SeasonPlan(row, content, server_language(chosen, first, guild_locale(row.guild_id))))
        return plans

    async def season_content(self, guild_id: int, month: str) -> SeasonContent:
        season = rules.season_of(month, "UTC")  # only its dates are used: local dates need no zone
        start, end = season.first.isoformat(), season.last.isoformat()
        top = await self.recaps.top_members(guild_id, start, end, TOP_MEMBERS)
        runs = [(user, rules.longest_run([date.fromisoformat(d) for d in days]))
                for user, days in (await self.seasons.answer_days(guild_id, start, end)).items()]
        streaks = sorted((r for r in runs if r[1] > 1), key=lambda r: (-r[1], r[0]))[:TOP_STREAKS]
        by_topic: dict[str, int] = {}
        for question_id, answers in await self.seasons.answers_by_question(guild_id, start, end):
            question = self.bank.get(question_id)
            if question is not None:
                by_topic[question.topic_id] = by_topic.get(question.topic_id, 0) + answers
        topic = min(by_topic.items(), key=lambda item: (-item[1], item[0])) if by_topic else None
        return SeasonContent(guild_id, month, top, streaks, topic,
                             await self.seasons.figures(guild_id, start, end))

    async def confirm_season(self, season_id: int, message_id: int, now: datetime) -> None:
        async with transaction(self.conn):
            await self.seasons.mark(season_id, "posted", message_id=message_id, now=now)

    async def give_up_season(self, season_id: int) -> None:
        async with transaction(self.conn):
            await self.seasons.mark(season_id, "failed")
