"""Leaderboards and study groups: a board page with the viewer's own standing, and groups ranked against each other.

Periods are counted in the guild's time zone (`guild_timezone`). Role groups need Discord to say who holds a role:
the chat layer passes `role_members`, a function from a role id to member ids. `groups_progress` gathers what the
/groups picture shows: each group's answers per week and its key-point coverage by topic.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.domain import boards, progress
from bot.domain.bank import Bank
from bot.domain.errors import DomainError
from bot.domain.schedule import local_date
from bot.domain.scoring import Streak, current_as_of
from bot.services.server import ServerSettings
from bot.storage.boards import BoardKey, BoardRepository, GroupRow
from bot.storage.database import Database, transaction
from bot.storage.privacy import PrivacyRepository
from bot.storage.progress import ProgressRepository

RoleMembers = Callable[[int], Collection[int]]
MAX_GROUP_NAME = 50
CHART_WEEKS = 12  # the /groups picture's activity: the last 12 weeks, Monday to Sunday


@dataclass(frozen=True, slots=True)
class BoardQuery:
    """What a member asked for. `bucket` is None for "the current one"; page buttons pin it."""

    period: str = "week"
    topic_id: str = boards.ALL
    scope: str = "all"  # a key of `boards.SCOPES`
    group_id: int | None = None
    page: int = 0
    bucket: str | None = None


@dataclass(frozen=True, slots=True)
class BoardLine:
    rank: int
    user_id: int
    points: int
    streak: int


@dataclass(frozen=True, slots=True)
class ViewerStanding:
    points: int
    rank: int | None  # None without points in the period
    hidden: bool  # the viewer is not on the public board (hid, or is not in the group)
    in_group: bool = True


@dataclass(frozen=True, slots=True)
class Board:
    query: BoardQuery
    bucket: str
    lines: list[BoardLine]
    viewer: ViewerStanding
    has_next: bool
    group: GroupRow | None


@dataclass(frozen=True, slots=True)
class GroupsBoard:
    period: str
    bucket: str
    topic_id: str
    scope: str
    ranked: list[tuple[int, boards.GroupScore, GroupRow]]


@dataclass(frozen=True, slots=True)
class GroupProgress:
    group: GroupRow
    weekly: tuple[int, ...]  # revealed daily-question answers per week, oldest first; the last week holds today
    topics: list[progress.TopicMastery]  # all time, in the bank's topic order


@dataclass(frozen=True, slots=True)
class GroupsProgress:
    first_monday: date
    today: date
    groups: list[GroupProgress]


class BoardService:
    def __init__(self, conn: Database, bank: Bank) -> None:
        self.conn = conn
        self.bank = bank
        self.boards = BoardRepository(conn)
        self.privacy = PrivacyRepository(conn)
        self.progress = ProgressRepository(conn)

    async def timezone(self, guild_id: int) -> str:
        return await ServerSettings(self.conn).timezone(guild_id)

    async def today(self, guild_id: int, now: datetime) -> date:
        return local_date(now, await self.timezone(guild_id))

    def _check(self, guild_id: int, query: BoardQuery) -> None:
        if query.period not in boards.PERIODS:
            raise DomainError("board.unknown_period", period=query.period[:20])
        if query.scope not in boards.SCOPES:
            raise DomainError("board.unknown_scope", scope=query.scope[:20])
        if query.topic_id != boards.ALL and query.topic_id not in {t.id for t in self.bank.for_guild(guild_id).topics}:
            raise DomainError("board.unknown_topic", topic=query.topic_id[:50])
        if query.page < 0:
            raise DomainError("board.no_page")

    def _key(self, guild_id: int, query: BoardQuery, today: date) -> BoardKey:
        bucket = query.bucket if query.bucket is not None else boards.bucket(query.period, today)
        return BoardKey(guild_id, query.period, bucket, query.topic_id, boards.SCOPES[query.scope])

    async def _members(self, group: GroupRow, role_members: RoleMembers) -> set[int]:
        if group.role_id is not None:
            return set(role_members(group.role_id))
        return await self.boards.channel_answerers(group.guild_id, group.channel_id or 0)

    async def board(self, guild_id: int, viewer_id: int, query: BoardQuery, now: datetime,
                    role_members: RoleMembers = lambda _role: ()) -> Board:
        """One page (10 lines) of a board, with ranks that tie, each member's streak, and the viewer's standing.

        Read in one trip (`read`): a role group's members come from Discord's cache first, on the event loop.
        """
        self._check(guild_id, query)
        group = None
        members: set[int] | None = None
        if query.group_id is not None:
            group = await self.boards.group(guild_id, query.group_id)
            if group is None:
                raise DomainError("board.group.unknown", name=str(query.group_id))
            if group.role_id is not None:
                members = set(role_members(group.role_id))
        return await self.conn.read(self._board, guild_id, viewer_id, query, now, group, members)

    async def _board(self, guild_id: int, viewer_id: int, query: BoardQuery, now: datetime, group: GroupRow | None,
                     members: set[int] | None) -> Board:
        """The reads of `board`: database statements only."""
        today = await self.today(guild_id, now)
        key = self._key(guild_id, query, today)
        if group is not None and members is None:
            members = await self.boards.channel_answerers(group.guild_id, group.channel_id or 0)
        offset = query.page * boards.PAGE_SIZE
        rows = await self.boards.page(key, offset=offset, limit=boards.PAGE_SIZE + 1, members=members)
        has_next, rows = len(rows) > boards.PAGE_SIZE, rows[:boards.PAGE_SIZE]
        # the first line's rank: on the first page nobody is above it (one statement fewer)
        first_rank = (1 + await self.boards.count_above(key, rows[0].points, members)) if rows and offset else (
            offset + 1)
        ranks = boards.page_ranks([r.points for r in rows], offset=offset, first_rank=first_rank)
        lines = [
            BoardLine(rank, row.user_id, row.points, current_as_of(
                Streak(row.streak, row.streak, date.fromisoformat(row.last_answer_date) if row.last_answer_date
                       else None), today))
            for rank, row in zip(ranks, rows, strict=True)
        ]
        return Board(query, key.bucket, lines, await self._viewer(key, viewer_id, members), has_next, group)

    async def _viewer(self, key: BoardKey, viewer_id: int, members: set[int] | None) -> ViewerStanding:
        points, above, hidden, left = await self.boards.viewer(key, viewer_id, members)
        in_group = members is None or viewer_id in members
        return ViewerStanding(points=points, rank=above + 1 if points > 0 else None, hidden=hidden or left,
                              in_group=in_group)

    # -- study groups ----------------------------------------------------------------------------------------
    async def add_group(self, guild_id: int, name: str, *, role_id: int | None, channel_id: int | None,
                        created_by: int) -> GroupRow:
        cleaned = " ".join(name.split())
        if not 1 <= len(cleaned) <= MAX_GROUP_NAME:
            raise DomainError("board.group.bad_name", limit=MAX_GROUP_NAME)
        if (role_id is None) == (channel_id is None):
            raise DomainError("board.group.role_or_channel")
        if channel_id is not None and not await self.boards.has_schedule(channel_id):
            raise DomainError("board.group.no_schedule", channel=f"<#{channel_id}>")
        async with transaction(self.conn):
            group = await self.boards.add_group(guild_id, cleaned, role_id=role_id, channel_id=channel_id,
                                                created_by=created_by)
        if group is None:
            raise DomainError("board.group.exists", name=cleaned)
        return group

    async def remove_group(self, guild_id: int, name: str) -> None:
        async with transaction(self.conn):
            removed = await self.boards.remove_group(guild_id, name.strip())
        if not removed:
            raise DomainError("board.group.unknown", name=name.strip()[:MAX_GROUP_NAME])

    async def groups(self, guild_id: int) -> list[GroupRow]:
        return await self.boards.groups(guild_id)

    async def group_named(self, guild_id: int, name: str) -> GroupRow:
        group = await self.boards.group_by_name(guild_id, name.strip())
        if group is None:
            raise DomainError("board.group.unknown", name=name.strip()[:MAX_GROUP_NAME])
        return group

    async def groups_board(self, guild_id: int, query: BoardQuery, now: datetime,
                           role_members: RoleMembers = lambda _role: ()) -> GroupsBoard:
        """Every group's total and points per active member in the period; ranked by the latter."""
        self._check(guild_id, query)
        key = self._key(guild_id, query, await self.today(guild_id, now))
        scores: list[boards.GroupScore] = []
        by_id: dict[int, GroupRow] = {}
        for group in await self.boards.groups(guild_id):
            members = await self._members(group, role_members)
            total, active = await self.boards.group_score(key, members) if members else (0, 0)
            scores.append(boards.GroupScore(group.id, group.name, total, active))
            by_id[group.id] = group
        ranked = [(rank, score, by_id[score.group_id]) for rank, score in boards.rank_groups(scores)]
        return GroupsBoard(query.period, key.bucket, query.topic_id, query.scope, ranked)

    async def groups_progress(self, guild_id: int, groups: Sequence[GroupRow], now: datetime,
                              role_members: RoleMembers = lambda _role: (),
                              weeks: int = CHART_WEEKS) -> GroupsProgress:
        """Each group's answers per week over the last `weeks` weeks and its mastery by topic, from the revealed
        answers of its members (members who left do not count, hidden ones do, as in the group scores)."""
        today = await self.today(guild_id, now)
        topic_order = [topic.id for topic in self.bank.for_guild(guild_id).topics]
        result = []
        for group in groups:
            members = await self._members(group, role_members)
            rows = await self.progress.group_answered(guild_id, members) if members else []
            days = progress.heatmap(Counter(day for day, _, _ in rows), today, weeks)
            weekly = tuple(sum(row[week] or 0 for row in days.cells) for week in range(weeks))
            answered = []
            for _day, question_id, covered in rows:
                question = self.bank.get(question_id)
                if question is not None:
                    answered.append(progress.AnsweredQuestion(question.topic_id, covered, len(question.key_points),
                                                              None))
            result.append(GroupProgress(group, weekly, progress.mastery(answered, topic_order)))
        return GroupsProgress(progress.heatmap_start(today, weeks), today, result)
