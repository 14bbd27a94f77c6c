"""Benchmark: the daily question's and the weekly recap's periodic sweeps when nothing is due, at 1,000 / 10,000 /
100,000 schedules (one guild each, every guild on the default recap). Run by hand: `.venv/bin/python
bench/sweeps.py` (about a minute; `BENCH_SIZES=1000,10000` to choose).

What a bot in that many servers does every minute: `QotdRunner.sweep` (the real runner and service, over a migrated
SQLite file, with the real APScheduler `SchedulerWakeups` started on the loop), where every schedule's post is later
today, so nothing is sent. Per size, medians of ROUNDS sweeps after the first:

- wall: the sweep from start to end;
- loop: the event loop's own time in it (the main thread's CPU time; the database's thread is not counted), which is
  what every interaction arriving meanwhile waits behind;
- stall: the longest the loop went without running a 1 ms ticker during the sweep;
- jobs: the APScheduler jobs the sweep added or moved (the steady state should move none), and log lines.

And the first sweep after a start, and start-up's arming alone (`Runner.arm`); for the daily question also the
one-off first sweep after migration 0014 (no schedule has its next instant stored yet). The recap sweep runs every
300 s and reads every guild that may get a recap in one query (its rule is worked out per guild in Python).
"""

from __future__ import annotations

import asyncio
import logging
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))
from bot.bank import load_bank  # noqa: E402
from bot.chat.qotd.runner import QotdRunner  # noqa: E402
from bot.chat.recap.runner import RecapRunner  # noqa: E402
from bot.clock import iso  # noqa: E402
from bot.metrics import Metrics  # noqa: E402
from bot.services.banks import Library  # noqa: E402
from bot.services.boards import BoardService  # noqa: E402
from bot.services.qotd import QotdService  # noqa: E402
from bot.services.recap import RecapService  # noqa: E402
from bot.storage.database import open_database, transaction  # noqa: E402
from bot.storage.migrations import migrate  # noqa: E402
from bot.wakeups import SchedulerWakeups  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",")]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
NOW = datetime(2026, 12, 2, 0, 30, tzinfo=UTC)  # every schedule posts later today (01:00-22:59 UTC)
BANK = Library(load_bank([ROOT / "questions"]).bank)


class FixedClock:
    """The bot's clock stands at NOW; the wake-ups it arms for later today map to as far ahead in real time, so
    none fires during the run."""

    def __init__(self) -> None:
        self.real_start = datetime.now(UTC)

    def now(self) -> datetime:
        return NOW

    def real_instant(self, instant: datetime) -> datetime:
        return self.real_start + (instant - NOW)

    def real_seconds(self, seconds: float) -> float:
        return seconds


class CountingHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


async def seed(path: Path, n: int) -> None:
    db = await open_database(path)
    await migrate(db, ROOT / "migrations")
    stamp = iso(NOW)
    async with transaction(db):
        await db.executemany("INSERT INTO guild_settings (guild_id, language, timezone, created_at, updated_at) "
                             "VALUES (?, 'en', 'UTC', ?, ?)", [((g + 1) << 22, stamp, stamp) for g in range(n)])
        await db.executemany(
            "INSERT INTO schedules (id, guild_id, channel_id, post_time, timezone, reveal_after_minutes, language, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, 'UTC', 60, 'en', ?, ?)",
            [(g + 1, (g + 1) << 22, 10_000_000 + g, f"{1 + g % 22:02d}:{g % 60:02d}", stamp, stamp)
             for g in range(n)])
    await db.close()


async def ticker(stalls: list[float], stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    last = loop.time()
    while not stop.is_set():
        await asyncio.sleep(0.001)
        now = loop.time()
        stalls.append(now - last)
        last = now


async def timed_sweep(runner: QotdRunner, wakeups: SchedulerWakeups) -> dict[str, float]:
    before = dict(wakeups.instants)
    stalls: list[float] = []
    stop = asyncio.Event()
    tick = asyncio.create_task(ticker(stalls, stop))
    await asyncio.sleep(0.005)
    stalls.clear()
    wall, cpu = time.perf_counter(), time.thread_time()
    await runner.sweep()
    cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
    stop.set()
    await tick
    moved = sum(1 for key, when in wakeups.instants.items() if before.get(key) != when)
    return {"wall": wall, "loop": cpu, "stall": max(stalls, default=0.0), "moved": moved}


async def start(db, clock: FixedClock, feature: str = "qotd") -> tuple[QotdRunner | RecapRunner,
                                                                      SchedulerWakeups, float]:
    """A process start: fresh wake-ups and runner over the database, and its arming (before the gateway)."""
    wakeups = SchedulerWakeups(clock)
    wakeups.start()

    async def ready() -> None:
        return None

    bot = SimpleNamespace(wakeups=wakeups, clock=clock, metrics=Metrics(), wait_until_ready=ready,
                          is_closed=lambda: False, user=None, get_guild=lambda _id: None)
    if feature == "qotd":
        runner = QotdRunner(bot, QotdService(db, BANK))  # type: ignore[arg-type]
    else:
        runner = RecapRunner(bot, RecapService(db, BANK, BoardService(db, BANK)))  # type: ignore[arg-type]
    started = time.perf_counter()
    await runner.arm()
    return runner, wakeups, time.perf_counter() - started


async def measure(n: int, folder: Path) -> dict[str, object]:
    path = folder / f"sweep{n}.sqlite3"
    await seed(path, n)
    db = await open_database(path)
    clock = FixedClock()
    counter = CountingHandler()
    logging.getLogger().addHandler(counter)
    logging.getLogger().setLevel(logging.INFO)
    try:
        # The first start after migration 0014: no schedule has its next instant stored yet.
        runner, wakeups, arm_fresh = await start(db, clock)
        fresh = await timed_sweep(runner, wakeups)
        await wakeups.close()
        # Every later start: the instants are stored.
        runner, wakeups, arm = await start(db, clock)
        first = await timed_sweep(runner, wakeups)
        counter.count = 0
        steady = [await timed_sweep(runner, wakeups) for _ in range(ROUNDS)]
        lines = counter.count / ROUNDS
        jobs = len(wakeups.instants)
        await wakeups.close()
        recap, wakeups, recap_arm = await start(db, clock, "recap")
        await timed_sweep(recap, wakeups)
        recap_steady = [await timed_sweep(recap, wakeups) for _ in range(ROUNDS)]
        await wakeups.close()
    finally:
        logging.getLogger().removeHandler(counter)
        await db.close()
    median = {key: statistics.median(s[key] for s in steady) for key in steady[0]}
    recap_median = {key: statistics.median(s[key] for s in recap_steady) for key in recap_steady[0]}
    return {"n": n, "arm": arm, "first": first, "steady": median, "lines": lines, "jobs": jobs,
            "arm_fresh": arm_fresh, "fresh": fresh, "recap": recap_median, "recap_arm": recap_arm}


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        results = [await measure(n, Path(folder)) for n in SIZES]
    print(f"qotd sweep with nothing due, ms; steady: medians of {ROUNDS} sweeps after a start's first")
    print(f"{'schedules':>10} {'wall':>8} {'loop':>8} {'stall':>8} {'moved':>6} {'log/sweep':>9} {'jobs':>5} |"
          f" {'start arm':>9} {'1st sweep':>9} | {'once after 0014: arm':>20} {'sweep':>8} {'stall':>8}")
    for r in results:
        s, f, x = r["steady"], r["first"], r["fresh"]
        print(f"{r['n']:>10,} {s['wall'] * 1e3:>8.1f} {s['loop'] * 1e3:>8.1f} {s['stall'] * 1e3:>8.1f} "
              f"{s['moved']:>6.0f} {r['lines']:>9.1f} {r['jobs']:>5} | {r['arm'] * 1e3:>9.1f} {f['wall'] * 1e3:>9.1f} |"
              f" {r['arm_fresh'] * 1e3:>20.1f} {x['wall'] * 1e3:>8.1f} {x['stall'] * 1e3:>8.1f}")
    print(f"recap sweep with nothing due, ms (medians of {ROUNDS})")
    print(f"{'guilds':>10} {'wall':>8} {'loop':>8} {'stall':>8} {'moved':>6} | {'start arm':>9}")
    for r in results:
        c = r["recap"]
        print(f"{r['n']:>10,} {c['wall'] * 1e3:>8.1f} {c['loop'] * 1e3:>8.1f} {c['stall'] * 1e3:>8.1f} "
              f"{c['moved']:>6.0f} | {r['recap_arm'] * 1e3:>9.1f}")
    base = results[0]
    for r in results[1:]:
        ratio = r["steady"]["loop"] / base["steady"]["loop"] if base["steady"]["loop"] else float("nan")
        print(f"steady loop time at {r['n']:,} / at {base['n']:,}: {ratio:.1f}x for {r['n'] / base['n']:.0f}x "
              "the schedules")


if __name__ == "__main__":
    asyncio.run(main())
