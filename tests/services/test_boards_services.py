"""Boards, privacy and recap use cases over a real SQLite file: ranks across pages, other features' member data,
and the recap's once-per-week claim."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.domain.errors import DomainError
from bot.services.boards import BoardQuery, BoardService
from bot.services.privacy import MemberDataSource, PrivacyService
from bot.services.recap import RecapService
from bot.storage.database import transaction
from bot.storage.points import LedgerEntry, PointsRepository

ROOT = Path(__file__).parents[2]
GUILD = 100
NOW = datetime(2026, 12, 2, 4, 0, tzinfo=UTC)


@pytest.fixture
def conn(database):
    """A migrated database on each engine (tests/conftest.py)."""
    return database


async def give(conn, user: int, points: int, *, source: str = "answer", source_id: int = 1,
               day: str = "2026-12-02") -> None:
    async with transaction(conn):
        await PointsRepository(conn).award(LedgerEntry(GUILD, user, points, f"{source}_x", source, source_id, day,
                                                       "rag"))


async def test_ranks_tie_across_a_page_break_and_skip_hidden_members(conn, shipped_bank) -> None:
    service = BoardService(conn, shipped_bank)
    for user in range(1, 13):
        await give(conn, user, 100 - user)  # 99 .. 88
    for user in (13, 14, 15):
        await give(conn, user, 89)  # a four-way tie with user 11, across the page break
    await PrivacyService(conn, shipped_bank).set_hidden(GUILD, 2, True, NOW)
    first = await service.board(GUILD, 15, BoardQuery(period="week"), NOW)
    assert [line.rank for line in first.lines] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert 2 not in [line.user_id for line in first.lines] and first.has_next
    second = await service.board(GUILD, 15, BoardQuery(period="week", page=1), NOW)
    assert [(line.user_id, line.rank) for line in second.lines] == [(13, 10), (14, 10), (15, 10), (12, 14)]
    assert (second.viewer.rank, second.viewer.points) == (10, 89) and not second.has_next
    hidden = await service.board(GUILD, 2, BoardQuery(period="week"), NOW)
    assert hidden.viewer.hidden and hidden.viewer.rank == 2  # 98 points: only user 1 (99) has more
    assert not first.viewer.hidden
    await PrivacyService(conn, shipped_bank).member_left(GUILD, 15, NOW)
    departed = await service.board(GUILD, 15, BoardQuery(period="week"), NOW)
    assert departed.viewer.hidden  # a member who left is off the board, as a hidden one is
    with pytest.raises(DomainError, match=r"board\.unknown_topic"):
        await service.board(GUILD, 1, BoardQuery(topic_id="nope"), NOW)


class QuizData:
    """Another feature's member data, as a quiz would keep it."""

    name = "quiz"

    def __init__(self) -> None:
        self.rows = {(GUILD, 1): ["a quiz answer"]}

    async def export(self, guild_id: int, user_id: int) -> Any:
        return self.rows.get((guild_id, user_id), [])

    async def delete(self, guild_id: int, user_id: int) -> int:
        return len(self.rows.pop((guild_id, user_id), []))


async def test_other_features_data_is_exported_and_deleted_with_the_rest(conn, shipped_bank) -> None:
    quiz = QuizData()
    assert isinstance(quiz, MemberDataSource)
    service = PrivacyService(conn, shipped_bank)
    await give(conn, 1, 7, source="quiz")
    exported = await service.export(GUILD, 1, NOW, [quiz])
    assert exported["quiz"] == ["a quiz answer"] and exported["points_total"] == 7
    deleted = await service.delete(GUILD, 1, [quiz])
    assert (deleted.points, deleted.other) == (1, {"quiz": 1}) and quiz.rows == {}
    assert (await BoardService(conn, shipped_bank).board(GUILD, 1, BoardQuery(period="all"), NOW)).lines == []


async def test_members_who_left_are_purged_after_30_days_unless_back(conn, shipped_bank) -> None:
    service = PrivacyService(conn, shipped_bank)
    await give(conn, 1, 5)
    await give(conn, 2, 5)
    await service.member_left(GUILD, 1, NOW)
    await service.member_left(GUILD, 2, NOW)
    assert await service.member_returned(GUILD, 2, NOW)
    assert not await service.member_returned(GUILD, 3, NOW)
    assert await service.purge_departed(datetime(2026, 12, 31, 4, 0, tzinfo=UTC)) == []
    purged = await service.purge_departed(datetime(2027, 1, 1, 4, 0, tzinfo=UTC))
    assert [(guild, user) for guild, user, _ in purged] == [(GUILD, 1)]
    assert await PointsRepository(conn).entries_for(GUILD, 1) == []
    assert await PointsRepository(conn).entries_for(GUILD, 2) != []


async def test_a_recap_week_is_claimed_once(conn, shipped_bank) -> None:
    await conn.execute("INSERT INTO guild_settings (guild_id) VALUES (?)", (GUILD,))
    await conn.execute("INSERT INTO schedules (guild_id, channel_id, post_time, timezone, reveal_time) "
                       "VALUES (?, 55, '09:00', 'UTC', '21:00')", (GUILD,))
    await give(conn, 1, 5, day="2026-12-06")
    service = RecapService(conn, shipped_bank, BoardService(conn, shipped_bank))
    sunday = datetime(2026, 12, 6, 20, 0, tzinfo=UTC)
    (plan,) = await service.due(sunday)
    assert (plan.recap.week, plan.recap.channel_id, plan.content.top) == ("2026-W49", 55, [(1, 5)])
    (again,) = await service.due(sunday)  # not confirmed sent yet: offered again, not claimed twice
    assert again.recap.id == plan.recap.id
    await service.confirm(plan.recap.id, 999, sunday)
    assert await service.due(sunday) == []
    # A week without any activity is claimed as empty and never posted.
    assert await service.due(datetime(2026, 12, 13, 20, 0, tzinfo=UTC)) == []
    rows = await conn.execute_fetchall("SELECT week, status FROM recaps ORDER BY id")
    assert [tuple(row) for row in rows] == [("2026-W49", "posted"), ("2026-W50", "empty")]
