"""The reward roles' plan over a real SQLite file: tiers and champions from streaks and the month board, what the
bot gave, and a sweep's reads that do not grow with the number of servers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.domain.errors import DomainError
from bot.domain.roles import RoleFacts
from bot.services.roles import RoleMemberData, RoleService
from bot.storage.database import transaction
from bot.storage.points import LedgerEntry, PointsRepository, StreakRow

ROOT = Path(__file__).parents[2]
NOW = datetime(2026, 12, 2, 4, 0, tzinfo=UTC)  # 2 December in UTC, every guild's zone here
FINE = RoleFacts(exists=True, bot_manages_roles=True, below_bot=True, managed=False)


@pytest.fixture
def conn(database):
    """A migrated database on each engine (tests/conftest.py)."""
    return database


async def a_guild(conn, service: RoleService, guild: int) -> None:
    """Tiers at 3 and 7 days, a champion role; member 1 on a 4-day streak, member 2 on top of November."""
    await service.add_tier(guild, 3, guild * 10 + 3, FINE, "@three", by=1)
    await service.add_tier(guild, 7, guild * 10 + 7, FINE, "@seven", by=1)
    await service.set_champion(guild, guild * 10, FINE, "@champ", by=1)
    points = PointsRepository(conn)
    async with transaction(conn):
        await points.save_streak(guild, 1, StreakRow(4, 4, date(2026, 12, 1)))
        await points.save_streak(guild, 3, StreakRow(9, 9, date(2026, 11, 20)))  # broken since
        await points.award(LedgerEntry(guild, 2, 50, "answer_on_time", "answer", 1, "2026-11-15"))


async def test_the_plan_gives_tiers_and_the_champion_and_takes_what_is_no_longer_earned(conn) -> None:
    service = RoleService(conn)
    await a_guild(conn, service, 5)
    await service.granted(5, 57, 3)  # member 3 held the 7-day tier before the streak broke
    (plan,) = await service.plans(NOW)
    assert plan.give == {(53, 1), (50, 2)} and plan.take == {(57, 3)}
    assert plan.champion_month == "2026-11" and plan.champion_id == 2
    for role, user in plan.give:
        await service.granted(5, role, user)
    await service.taken(5, 57, 3)
    (again,) = await service.plans(NOW)
    assert again.give == frozenset() and again.take == frozenset()
    exported = await RoleMemberData(conn).export(5, 1)
    assert [grant["role_id"] for grant in exported["given_by_the_bot"]] == ["53"]


async def test_settings_refuse_what_the_bot_could_not_give_or_a_role_used_twice(conn) -> None:
    service = RoleService(conn)
    with pytest.raises(DomainError) as missing:
        await service.add_tier(5, 7, 57, RoleFacts(True, False, True, False), "@seven", by=1)
    assert missing.value.key == "roles.problem.manage_roles"
    await service.add_tier(5, 7, 57, FINE, "@seven", by=1)
    with pytest.raises(DomainError) as twice:
        await service.set_champion(5, 57, FINE, "@seven", by=1)
    assert twice.value.key == "roles.in_use"
    with pytest.raises(DomainError):
        await service.remove_tier(5, 30)


async def test_a_sweep_reads_the_same_few_statements_for_one_guild_or_twenty(conn) -> None:
    service = RoleService(conn)
    statements: list[str] = []
    run = conn.execute_fetchall

    async def traced(sql, params=()):  # every read goes through execute_fetchall, on either engine
        statements.append(sql)
        return await run(sql, params)

    conn.execute_fetchall = traced

    async def reads() -> int:
        statements.clear()
        await service.plans(NOW)
        return len([s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))])

    await a_guild(conn, service, 1)
    one = await reads()
    for guild in range(2, 21):
        await a_guild(conn, service, guild)
    assert await reads() == one and 0 < one <= 6
