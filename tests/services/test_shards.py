"""Shards over one database: each process's sweeps read only its own guilds, and overlapping processes (a
misconfiguration) still post once a day per schedule, because the claim is the database's unique key."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time
from pathlib import Path

import pytest

from bot.config import Settings, SettingsError
from bot.domain.shards import Shards, shard_of
from bot.services.qotd import QotdService
from bot.storage.database import open_database
from bot.storage.migrations import migrate
from bot.storage.schedules import ScheduleInput
from bot.storage.shards import own_shards

ROOT = Path(__file__).parents[2]
NOON = datetime(2026, 11, 30, 9, 0, 30, tzinfo=UTC)  # 09:00:30 UTC, each schedule posts at 09:00 UTC


def guild_on(shard: int, count: int, n: int) -> int:
    """The n-th made-up snowflake whose shard (of `count`) is `shard`."""
    return ((n * count + shard) << 22) | 12345


def schedule(guild_id: int) -> ScheduleInput:
    return ScheduleInput(guild_id=guild_id, channel_id=guild_id + 1, post_time=time(9, 0), timezone="UTC",
                         reveal_time=time(21, 0), reveal_after_minutes=None, topics=frozenset(), min_difficulty=1,
                         max_difficulty=3, ping_role_id=None, language="en", created_by=1)


async def open_process(path: Path, bank, shards: Shards) -> QotdService:
    conn = await open_database(path)
    await migrate(conn, ROOT / "migrations")
    own_shards(conn, shards)
    return QotdService(conn, bank)


def test_shard_of_follows_discords_formula() -> None:
    assert [shard_of(guild_on(s, 3, 7), 3) for s in range(3)] == [0, 1, 2]
    assert Shards(2, (1,)).owns(guild_on(1, 2, 4)) and not Shards(2, (1,)).owns(guild_on(0, 2, 4))
    assert Shards().owns(guild_on(5, 8, 1))
    with pytest.raises(ValueError):
        Shards(2, (2,))


def test_settings_read_and_check_the_shards() -> None:
    settings = Settings.from_env({"SHARD_COUNT": "4", "SHARD_IDS": "3, 1"})
    assert (settings.shard_count, settings.shard_ids) == (4, (1, 3))
    assert settings.shards() == Shards(4, (1, 3))
    assert Settings.from_env({}).shards().everything
    for bad, named in (({"SHARD_COUNT": "0"}, "SHARD_COUNT"), ({"SHARD_IDS": "0"}, "SHARD_IDS needs"),
                       ({"SHARD_COUNT": "2", "SHARD_IDS": "0,2"}, "shard 2"),
                       ({"SHARD_COUNT": "2", "SHARD_IDS": "a"}, "SHARD_IDS")):
        with pytest.raises(SettingsError, match=named):
            Settings.from_env(bad)


async def test_each_process_posts_only_for_the_guilds_of_its_shards(tmp_path: Path, shipped_bank) -> None:
    path = tmp_path / "bot.sqlite3"
    zero = await open_process(path, shipped_bank, Shards(2, (0,)))
    one = await open_process(path, shipped_bank, Shards(2, (1,)))
    try:
        evens = [guild_on(0, 2, n) for n in range(5)]
        odds = [guild_on(1, 2, n) for n in range(4)]
        for guild in evens + odds:
            await zero.configure(schedule(guild))
        assert {s.guild_id for s in await zero.schedules.active()} == set(evens)
        first = await zero.due_posts(NOON)
        assert {plan.post.guild_id for plan in first} == set(evens)
        second = await one.due_posts(NOON)
        assert {plan.post.guild_id for plan in second} == set(odds)
        for plan in first:
            await zero.confirm_posted(plan.post.id, plan.post.id + 9000, NOON)
        assert {p.guild_id for p in await zero.posts.open_posts()} == set(evens)
        assert {p.guild_id for p in await one.posts.unsent()} == set(odds)  # not yet confirmed: process one's
        assert await zero.posts.unsent() == []
    finally:
        await zero.conn.close()
        await one.conn.close()


async def test_overlapping_processes_still_post_once_a_day(tmp_path: Path, shipped_bank) -> None:
    path = tmp_path / "bot.sqlite3"
    both = await open_process(path, shipped_bank, Shards(2, (0, 1)))
    also_one = await open_process(path, shipped_bank, Shards(2, (1,)))  # misconfigured: shard 1 runs twice
    try:
        guilds = [guild_on(n % 2, 2, n) for n in range(6)]
        for guild in guilds:
            await both.configure(schedule(guild))
        first, second = await asyncio.gather(both.due_posts(NOON), also_one.due_posts(NOON))
        again = await both.due_posts(NOON) + await also_one.due_posts(NOON)
        # A claimed but unsent post is offered to its owners until sent; what matters is that each guild has
        # exactly one post row for the day, whichever process claimed it.
        rows = await both.conn.execute_fetchall("SELECT guild_id, local_date FROM posts ORDER BY guild_id")
        assert [row[0] for row in rows] == sorted(guilds)
        assert {row[1] for row in rows} == {"2026-11-30"}
        assert {plan.post.id for plan in first + second + again} == {
            p.id for p in await both.posts.unsent()}
        for plan in first:
            await both.confirm_posted(plan.post.id, plan.post.id + 9000, NOON)
        for plan in second:
            await also_one.confirm_posted(plan.post.id, plan.post.id + 9000, NOON)
        assert await both.due_posts(NOON) == [] and await also_one.due_posts(NOON) == []
        rows = await both.conn.execute_fetchall("SELECT count(*) FROM posts WHERE status = 'posted'")
        assert rows[0][0] == len(guilds)
    finally:
        await both.conn.close()
        await also_one.conn.close()
