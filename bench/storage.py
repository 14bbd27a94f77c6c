"""Benchmark: storage through the services, against the engine alone. Run by hand: `.venv/bin/python bench/storage.py`.

For SQLite (a file, WAL, synchronous=NORMAL) and PostgreSQL (BENCH_DATABASE_URL, or a throwaway local server from
tests/pg_server.py), side by side in one run, medians of ROUNDS:
- answers per second through `QotdService.submit_answer`, one after another, against single-row INSERT + COMMIT on
  the bare driver (sqlite3; asyncpg) into a table of the same shape;
- the acknowledgement latency (p50 / p99) of 1,000 and 10,000 answers submitted at once, and the answers per second
  that burst of 10,000 sustains;
- the floor under every figure on SQLite: one trip to aiosqlite's thread that does nothing;
- `/leaderboard` through `BoardService.board` (1,000 ranked members), against the statements the service ran,
  replayed on the bare driver.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path

import aiosqlite
import asyncpg

ROOT = Path(__file__).parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
import pg_server  # noqa: E402

from bot.bank import load_bank  # noqa: E402
from bot.services.boards import BoardQuery, BoardService  # noqa: E402
from bot.services.qotd import QotdService  # noqa: E402
from bot.storage.engines import open_url  # noqa: E402
from bot.storage.migrations import migrate  # noqa: E402
from bot.storage.schedules import ScheduleInput  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SERIAL = 2000
GUILD, CHANNEL = 100, 200
DAY = datetime(2025, 3, 3, tzinfo=UTC)


def _schedule(channel: int) -> ScheduleInput:
    return ScheduleInput(guild_id=GUILD, channel_id=channel, post_time=clock(9, 0), timezone="UTC",
                         reveal_time=clock(21, 0), reveal_after_minutes=None, topics=frozenset(), min_difficulty=1,
                         max_difficulty=3, ping_role_id=None, language="en", created_by=1)


async def _open_post(qotd: QotdService, day: int) -> int:
    morning = DAY + timedelta(days=day, hours=9, seconds=5)
    plans = await qotd.due_posts(morning)
    await qotd.confirm_posted(plans[0].post.id, 10_000 + day, morning)
    return plans[0].post.id


async def service_figures(url: str, bank) -> dict[str, float]:
    db = await open_url(url)
    await migrate(db, ROOT / "migrations")
    qotd = QotdService(db, bank)
    await qotd.configure(_schedule(CHANNEL))
    figures: dict[str, float] = {}
    post = await _open_post(qotd, 0)
    at = DAY + timedelta(hours=10)
    started = time.perf_counter()
    for member in range(1, SERIAL + 1):
        await qotd.submit_answer(post, member, "Attention weighs every token by its similarity to the query.", at)
    figures["serial answers/s"] = SERIAL / (time.perf_counter() - started)
    for day, burst in ((1, 1000), (2, 10_000)):
        post = await _open_post(qotd, day)

        async def one(member: int, post: int = post) -> float:
            begun = time.perf_counter()
            await qotd.submit_answer(post, member, "Keys, queries and values; softmax over scaled scores.", at)
            return time.perf_counter() - begun

        begun = time.perf_counter()
        latencies = sorted(await asyncio.gather(*(one(m) for m in range(1, burst + 1))))
        figures[f"{burst} at once answers/s"] = burst / (time.perf_counter() - begun)
        figures[f"{burst} at once p50 ms"] = latencies[len(latencies) // 2] * 1000
        figures[f"{burst} at once p99 ms"] = latencies[int(len(latencies) * 0.99)] * 1000
    # A leaderboard with 1,000 ranked members: reveal the 1,000-answer day.
    evening = DAY + timedelta(days=1, hours=21, seconds=1)
    for reveal in await qotd.due_reveals(evening):
        await qotd.record_reveal_message([m.answer.id for m in reveal.members], 90_000)
        await qotd.finish_reveal(reveal.post.id, 90_001, evening)
    boards = BoardService(db, bank)
    query = BoardQuery(period="all")
    times = []
    for _ in range(200):
        begun = time.perf_counter()
        await boards.board(GUILD, 500, query, evening)
        times.append(time.perf_counter() - begun)
    figures["board ms"] = statistics.median(times) * 1000
    await db.close()
    return figures


def sqlite_baseline(path: Path) -> dict[str, float]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("CREATE TABLE answers (id INTEGER PRIMARY KEY, post_id INTEGER, guild_id INTEGER, user_id INTEGER, "
                 "content TEXT, late INTEGER, created_at TEXT, updated_at TEXT, UNIQUE (post_id, user_id))")
    started = time.perf_counter()
    for member in range(1, SERIAL + 1):
        conn.execute("BEGIN")
        conn.execute("INSERT INTO answers (post_id, guild_id, user_id, content, late, created_at, updated_at) "
                     "VALUES (1, ?, ?, ?, 0, ?, ?)", (GUILD, member, "text", "t", "t"))
        conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    conn.close()
    return {"serial answers/s": SERIAL / seconds}


async def sqlite_trip_floor(path: Path) -> float:
    """Microseconds of one round trip to aiosqlite's thread carrying no work (the median of 2,000)."""
    conn = await aiosqlite.connect(path)
    times = []
    for _ in range(2000):
        begun = time.perf_counter()
        await conn._execute(int)
        times.append(time.perf_counter() - begun)
    await conn.close()
    return statistics.median(times) * 1e6


def sqlite_board_replay(path: Path, statements: list[str]) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    times = []
    for _ in range(200):
        begun = time.perf_counter()
        for sql in statements:
            conn.execute(sql).fetchall()
        times.append(time.perf_counter() - begun)
    conn.close()
    return statistics.median(times) * 1000


async def sqlite_board_statements(path: Path, bank) -> list[str]:
    """The statements one `board` call runs, with their parameters bound (sqlite3's expanded trace)."""
    db = await open_url(f"sqlite:///{path}")
    seen: list[str] = []
    connection = db.reader if getattr(db, "reader", None) is not None else db.raw
    await connection._execute(connection._conn.set_trace_callback, seen.append)
    await BoardService(db, bank).board(GUILD, 500, BoardQuery(period="all"), DAY + timedelta(days=1, hours=21))
    await connection._execute(connection._conn.set_trace_callback, None)
    await db.close()
    return [s for s in seen if s.lstrip().upper().startswith("SELECT")]


async def pg_baseline(url: str) -> dict[str, float]:
    conn = await asyncpg.connect(url)
    await conn.execute("CREATE TABLE raw_answers (id BIGSERIAL PRIMARY KEY, post_id BIGINT, guild_id BIGINT, "
                       "user_id BIGINT, content TEXT, late INT, created_at TEXT, updated_at TEXT, "
                       "UNIQUE (post_id, user_id))")
    started = time.perf_counter()
    for member in range(1, SERIAL + 1):
        await conn.execute("INSERT INTO raw_answers (post_id, guild_id, user_id, content, late, created_at, "
                           "updated_at) VALUES (1, $1, $2, $3, 0, 't', 't')", GUILD, member, "text")
    seconds = time.perf_counter() - started
    await conn.close()
    return {"serial answers/s": SERIAL / seconds}


async def bench(folder: Path, admin_url: str) -> None:
    bank = load_bank([ROOT / "questions"]).bank
    results: dict[str, list[dict[str, float]]] = {"SQLite": [], "PostgreSQL": [], "raw sqlite3": [], "raw asyncpg": []}
    board_raw: list[float] = []
    floors: list[float] = []
    made = []
    for round_ in range(ROUNDS):
        path = folder / f"bench{round_}.sqlite3"
        results["SQLite"].append(await service_figures(f"sqlite:///{path}", bank))
        board_raw.append(sqlite_board_replay(path, await sqlite_board_statements(path, bank)))
        results["raw sqlite3"].append(sqlite_baseline(folder / f"raw{round_}.sqlite3"))
        floors.append(await sqlite_trip_floor(folder / f"raw{round_}.sqlite3"))
        name = f"bench_storage_{os.getpid()}_{round_}"
        made.append(name)
        pg_url = await pg_server.create_database(admin_url, name, None)
        results["PostgreSQL"].append(await service_figures(pg_url, bank))
        results["raw asyncpg"].append(await pg_baseline(pg_url))
    await pg_server.drop_databases(admin_url, made)

    def median(engine: str, figure: str) -> float:
        return statistics.median(r[figure] for r in results[engine])

    print(f"medians of {ROUNDS} rounds; {SERIAL} answers one after another, bursts of 1,000 and 10,000")
    for engine, raw in (("SQLite", "raw sqlite3"), ("PostgreSQL", "raw asyncpg")):
        service, bare = median(engine, "serial answers/s"), median(raw, "serial answers/s")
        print(f"{engine}: submit_answer {service:7.0f} answers/s vs {raw} single-row commits {bare:7.0f}/s: "
              f"{service / bare:.3f}×")
        for burst in (1000, 10_000):
            print(f"  {burst:>6} at once: p50 {median(engine, f'{burst} at once p50 ms'):7.1f} ms, "
                  f"p99 {median(engine, f'{burst} at once p99 ms'):7.1f} ms, "
                  f"{median(engine, f'{burst} at once answers/s'):7.0f} answers/s: "
                  f"{median(engine, f'{burst} at once answers/s') / bare:.3f}× of {raw}'s single-row commits")
        print(f"  board (1,000 ranked members): {median(engine, 'board ms'):.3f} ms")
    raw_board, floor = statistics.median(board_raw), statistics.median(floors)
    print(f"SQLite board through the service {median('SQLite', 'board ms'):.3f} ms vs its statements in sqlite3 "
          f"{raw_board:.3f} ms: {median('SQLite', 'board ms') / raw_board:.1f}×")
    bare = median("raw sqlite3", "serial answers/s")
    print(f"SQLite floor: one trip to aiosqlite's thread doing nothing {floor:.1f} µs; a raw single-row commit "
          f"{1e6 / bare:.1f} µs; the board's statements {raw_board * 1000:.1f} µs. With one trip each, the best "
          f"ratios are {1e6 / bare / (floor + 1e6 / bare):.3f}× (answers one after another) and "
          f"{(floor + raw_board * 1000) / (raw_board * 1000):.1f}× (board)")


def main() -> None:
    pg_server.run_bench(bench)


if __name__ == "__main__":
    main()
