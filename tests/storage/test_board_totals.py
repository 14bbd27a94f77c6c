"""The board totals kept with the points ledger: same transaction, differences for replaced awards, and always
equal to a recount of the ledger (incrementally, after the migration's backfill, and after a member's deletion)."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from bot.storage.boards import BoardKey, BoardRepository, rebuild_totals
from bot.storage.database import transaction
from bot.storage.engines import open_url
from bot.storage.migrations import migrate
from bot.storage.points import LedgerEntry, PointsRepository

MIGRATIONS = Path(__file__).parents[2] / "migrations"
GUILD = 7


@pytest.fixture
def conn(database):
    """A migrated database on each engine (tests/conftest.py)."""
    return database


async def totals(conn) -> dict[tuple, int]:
    rows = await conn.execute_fetchall("SELECT guild_id, board, user_id, points FROM board_totals WHERE points != 0")
    return {tuple(row[:3]): row[3] for row in rows}


def entry(user: int, points: int, reason: str = "answer_on_time", source_id: int = 1, day: str = "2026-11-30",
          topic: str | None = "rag", source: str = "answer") -> LedgerEntry:
    return LedgerEntry(GUILD, user, points, reason, source, source_id, day, topic)


async def test_award_outside_a_transaction_is_refused(conn) -> None:
    with pytest.raises(RuntimeError, match="inside transaction"):
        await PointsRepository(conn).award(entry(1, 10))


async def test_repeated_and_replaced_awards_change_the_totals_by_the_difference(conn) -> None:
    points = PointsRepository(conn)
    week = BoardKey(GUILD, "week", "2026-W49", "*", "*")
    repo = BoardRepository(conn)
    async with transaction(conn):
        assert await points.award(entry(1, 10)) == 10
        assert await points.award(entry(1, 10)) == 0  # the same award again: nothing
        assert await points.award(entry(1, 4, "peer_votes"), replace=True) == 4
        assert await points.award(entry(1, 8, "peer_votes"), replace=True) == 4  # two more votes: +4, not +8
        assert await points.award(entry(1, 8, "peer_votes"), replace=True) == 0
        assert await points.award(entry(1, 2, "peer_votes"), replace=True) == -6  # votes taken back
    assert await repo.standing(week, 1) == (12, 0)
    assert await repo.standing(BoardKey(GUILD, "day", "2026-11-30", "rag", "answer"), 1) == (12, 0)
    assert await repo.standing(BoardKey(GUILD, "all", "", "*", "quiz"), 1) == (0, 0)


async def test_a_failed_transaction_leaves_neither_ledger_nor_totals(conn) -> None:
    points = PointsRepository(conn)
    with pytest.raises(ZeroDivisionError):
        async with transaction(conn):
            await points.award(entry(1, 10))
            _ = 1 / 0
    assert await totals(conn) == {} and await points.entries_for(GUILD, 1) == []


async def test_incremental_totals_equal_a_recount_of_the_ledger(conn) -> None:
    points = PointsRepository(conn)
    chance = random.Random(6)
    days = ["2026-12-27", "2026-12-31", "2027-01-01", "2027-01-04", "2026-11-30"]  # across an ISO-year boundary
    async with transaction(conn):
        for n in range(400):
            source = chance.choice(["answer", "quiz"])
            await points.award(
                entry(chance.randint(1, 12), chance.randint(0, 10), chance.choice(["a", "b", "peer_votes"]),
                      chance.randint(1, 30), chance.choice(days), chance.choice(["rag", "lora", None]), source),
                replace=chance.random() < 0.5)
            if n % 50 == 0:
                await points.award(entry(1, 0, "other", source_id=n))
    incremental = await totals(conn)
    async with transaction(conn):
        await rebuild_totals(conn)
    assert await totals(conn) == incremental
    assert any(key[1].startswith("week:2026-W53:") for key in incremental)


async def test_the_migration_backfills_totals_for_an_existing_ledger(tmp_path: Path, make_database_url) -> None:
    only_first = tmp_path / "v1"
    only_first.mkdir()
    shutil.copy(MIGRATIONS / "0001_initial.sql", only_first)
    old = await open_url(await make_database_url())
    fresh = await open_url(await make_database_url())
    try:
        await migrate(old, only_first)
        await migrate(fresh, MIGRATIONS)
        rows = [(GUILD, user, pts, reason, "answer", src, day, topic)
                for user, pts, reason, src, day, topic in [
                    (1, 10, "answer_on_time", 1, "2026-11-30", "rag"), (1, 6, "coverage", 1, "2026-11-30", "rag"),
                    (2, 3, "late_answer", 2, "2027-01-01", None), (1, 4, "peer_votes", 3, "2026-12-06", "lora")]]
        insert = ("INSERT INTO points_ledger (guild_id, user_id, points, reason, source_type, source_id, local_date, "
                  "topic_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        await old.executemany(insert, [(*r[:6], r[6], r[7]) for r in rows])
        await migrate(old, MIGRATIONS)
        points = PointsRepository(fresh)
        async with transaction(fresh):
            for r in rows:
                await points.award(LedgerEntry(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]))
        assert await totals(old) == await totals(fresh) and await totals(old)
    finally:
        await old.close()
        await fresh.close()


async def test_hidden_members_are_off_the_reveal_standings_but_keep_their_points(conn) -> None:
    points = PointsRepository(conn)
    async with transaction(conn):
        await points.award(entry(1, 10))
        await points.award(entry(2, 20))
        await points.award(entry(3, 5))
        await conn.execute("INSERT INTO member_privacy (guild_id, user_id, hidden) VALUES (?, 2, 1)", (GUILD,))
        await conn.execute("INSERT INTO member_privacy (guild_id, user_id, left_at) VALUES (?, 3, 'x')", (GUILD,))
    assert [(s.user_id, s.points) for s in await points.top(GUILD)] == [(1, 10)]
    assert [(s.user_id, s.points) for s in await points.top(GUILD, since="2026-01-01")] == [(1, 10)]
    # The hidden member's own standing still counts: 20 points, and nobody visible is above them.
    assert await BoardRepository(conn).standing(BoardKey(GUILD, "all", "", "*", "*"), 2) == (20, 0)
    assert await BoardRepository(conn).standing(BoardKey(GUILD, "all", "", "*", "*"), 1) == (10, 0)
    async with transaction(conn):
        assert await points.delete_member(GUILD, 1) == 1
    assert await points.top(GUILD) == [] and (GUILD, "all::*:*", 1) not in await totals(conn)
