"""Benchmark, black-box: the real bot (in-process, real APScheduler and clock) against the Discord double carrying
many servers. Run by hand: `.venv/bin/python bench/servers.py` (about two minutes; `BENCH_SETUPS`, `BENCH_GUILDS`).

Part 2 runs first, so that the RSS it reports grows from a process nothing ran in yet.

1. BENCH_SETUPS servers (default 1,000), the bot started on an empty database: each server's owner runs
   `/qotd setup` in turn. Prints the start-up, the whole set-up, and the median set-up of the first and of the last
   100 (it should not grow with the number of servers already set up), then `/help` p50 / p99 / max over 200 calls,
   and how late a daily post goes out while the other servers run `/qotd setup` back to back (up to a minute).
2. BENCH_GUILDS servers (default 10,000), each already set up (its schedule in the database): start-up to ready
   (login, every shard's READY and GUILD_CREATE, every feature's arming), then the features' first sweeps (this
   database is new to migration 0014: the first daily-question sweep works out every schedule's next instant once),
   the RSS the bot added to the process (the double lives in it too, measured before the bot starts), and `/help`
   p50 / p99 / max over 200 calls once those sweeps are done.

The double advises one shard per 2,000 servers (Discord refuses more than 2,500 on one); the bot runs them
all in one process.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "e2e")]
from discord_double import DiscordDouble  # noqa: E402
from study_bot import settings_for  # noqa: E402

from bot.chat.client import StudyBot  # noqa: E402
from bot.chat.shared.runner import Runner  # noqa: E402
from bot.clock import iso  # noqa: E402
from bot.storage.database import open_database, transaction  # noqa: E402
from bot.storage.migrations import migrate  # noqa: E402

SETUPS = int(os.environ.get("BENCH_SETUPS", "1000"))
GUILDS = int(os.environ.get("BENCH_GUILDS", "10000"))
HELPS = 200


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def post_time() -> str:
    """Twelve hours from now (UTC): nothing is posted while the benchmark runs."""
    return (datetime.now(UTC) + timedelta(hours=12)).strftime("%H:%M")


def build_double(n: int) -> tuple[DiscordDouble, list]:
    double = DiscordDouble(interaction_deadline=30.0, timeout=60.0)
    shards = max(1, math.ceil(n / 2000))  # Discord advises a shard per 1,000-2,500 servers
    double.gateway.recommended_shards = shards
    servers = [double.add_guild(f"server{i}", shard=(i % shards, shards)) for i in range(n - 1)]  # spread evenly
    servers.insert(0, (double.guild, double.member("owner")))
    return double, servers


def factory(folder: Path):
    settings = replace(settings_for(folder), log_level="WARNING")

    def build(**options: object) -> StudyBot:
        return StudyBot(settings, freeze_gc=True, **options)  # as `python -m bot run` builds it

    return build


async def helps(double: DiscordDouble, servers: list) -> list[float]:
    took = []
    for i in range(HELPS):
        guild, owner = servers[i * len(servers) // HELPS]
        started = time.perf_counter()
        await owner.slash("help", double.guild_channel(guild))
        took.append(time.perf_counter() - started)
    return took


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, math.ceil(0.99 * len(ordered)) - 1)]
    return f"p50 {statistics.median(ordered) * 1e3:.1f} ms, p99 {p99 * 1e3:.1f} ms, max {ordered[-1] * 1e3:.1f} ms"


async def set_up_one_by_one(folder: Path) -> None:
    double, servers = build_double(SETUPS)
    await double.start()
    try:
        started = time.perf_counter()
        async with double.running(factory(folder), ready_timeout=120) as _bot:
            ready = time.perf_counter() - started
            each = []
            when = post_time()
            for guild, owner in servers:
                channel = double.guild_channel(guild)
                began = time.perf_counter()
                reply = await owner.slash("qotd setup", channel, options={
                    "channel": channel, "post_time": when, "timezone": "UTC", "reveal": "60m", "language": "en"})
                each.append(time.perf_counter() - began)
                assert "Daily question set for" in reply.content, reply.content
            took = await helps(double, servers)
            lateness = await post_during_a_burst(double, servers)
    finally:
        await double.stop()
    window = min(100, len(each) // 2)
    print(f"{SETUPS:,} servers set up through /qotd setup, one after another (start-up {ready:.1f} s):")
    print(f"  all {sum(each):.1f} s; median of the first {window} {statistics.median(each[:window]) * 1e3:.1f} ms, "
          f"of the last {window} {statistics.median(each[-window:]) * 1e3:.1f} ms "
          f"({statistics.median(each[-window:]) / statistics.median(each[:window]):.2f}x)")
    print(f"  /help while carrying them: {summary(took)}")
    print(f"  a daily post due while the servers were being set up again and again went out {lateness:.2f} s late")


async def post_during_a_burst(double: DiscordDouble, servers: list) -> float:
    """Server 0 posts at the next minute (at least 5 s ahead) while the others run /qotd setup back to back:
    how late the post reaches Discord."""
    guild, owner = servers[0]
    channel = double.guild_channel(guild)
    due = (datetime.now(UTC) + timedelta(seconds=65)).replace(second=0, microsecond=0)
    await owner.slash("qotd setup", channel, options={"channel": channel, "post_time": due.strftime("%H:%M"),
                                                      "timezone": "UTC", "reveal": "60m", "language": "en"})
    before = len(double.bot_messages(channel))
    when = post_time()
    while True:
        for other, other_owner in servers[1:]:
            other_channel = double.guild_channel(other)
            await other_owner.slash("qotd setup", other_channel, options={
                "channel": other_channel, "post_time": when, "timezone": "UTC", "reveal": "60m", "language": "en"})
            if len(double.bot_messages(channel)) > before:
                return (datetime.now(UTC) - due).total_seconds()


async def seed(path: Path, servers: list, double: DiscordDouble) -> None:
    db = await open_database(path)
    await migrate(db, ROOT / "migrations")
    stamp, when = iso(datetime.now(UTC)), post_time()
    async with transaction(db):
        await db.executemany("INSERT INTO guild_settings (guild_id, language, timezone, created_at, updated_at) "
                             "VALUES (?, 'en', 'UTC', ?, ?)", [(g.id, stamp, stamp) for g, _ in servers])
        await db.executemany(
            "INSERT INTO schedules (guild_id, channel_id, post_time, timezone, reveal_after_minutes, language, "
            "created_at, updated_at) VALUES (?, ?, ?, 'UTC', 60, 'en', ?, ?)",
            [(g.id, double.guild_channel(g).id, when, stamp, stamp) for g, _ in servers])
    await db.close()


async def start_carrying_many(folder: Path) -> None:
    double, servers = build_double(GUILDS)
    await seed(folder / "bot.sqlite3", servers, double)
    await double.start()
    before = rss_mb()
    try:
        started = time.perf_counter()
        async with double.running(factory(folder), ready_timeout=300) as bot:
            ready = time.perf_counter() - started
            added = rss_mb() - before
            shards = bot.shard_count
            started = time.perf_counter()
            for runner in bot.services.all(Runner):  # the start-up catch-ups (each runner's first sweep) finish
                if runner.catch_up is not None:
                    await runner.catch_up
            catch_up = time.perf_counter() - started
            took = await helps(double, servers)
    finally:
        await double.stop()
    print(f"{GUILDS:,} servers already set up, {shards} shards in one process:")
    print(f"  start-up to ready {ready:.1f} s, then {catch_up:.1f} s for the first sweeps; RSS the bot added "
          f"{added:.0f} MB (the process {rss_mb():.0f} MB with the double); /help {summary(took)}")


async def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as two:
        await start_carrying_many(Path(two))  # first: its RSS growth is measured in a process nothing ran in yet
        await set_up_one_by_one(Path(one))


if __name__ == "__main__":
    asyncio.run(main())
