"""Benchmark: a leaderboard (top 10 plus the caller's rank) from the board totals against the plain SUM over the
points ledger. Run by hand: `.venv/bin/python bench/leaderboard.py` (about two minutes on two cores).

Builds 1,000,000 ledger rows (100 guilds × 1,000 members × a year: daily-question answers of three entries each
and quiz entries, 10 topics, a skewed activity so boards have a spread), the members' streak rows and 1 % of members
hidden, then the totals with the same set-based statement the code uses (`rebuild_totals`). Then, side by side in
one run, for the all-time board and for one week's board of random guilds and callers:

- totals: `TOP_SQL` + `STANDING_SQL` of bot/storage/boards.py (what /leaderboard runs), and
- plain: one `SUM(points) ... GROUP BY user_id` over the ledger with `RANK()` for the caller, same filters.

Each round times every variant on the same random callers; it prints each round's median per board, the median of
the rounds and the ratio. The SQL runs through the sqlite3 module (the bot's aiosqlite adds the same thread hop to
both); one extra line times the totals board through the bot's async repository, hop included.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
from bot.domain.boards import ALL, week_key
from bot.storage.boards import STANDING_SQL, TOP_SQL, BoardKey, BoardRepository, rebuild_statement, with_members
from bot.storage.database import open_database

ROOT = Path(__file__).parents[1]
TOPICS = ("lora", "llm", "bert", "rag", "deep-learning", "machine-learning", "transformer", "general", "coding",
          "open")
YEAR_START = date(2026, 1, 1)
WEEK_DAY = date(2026, 11, 18)  # the week board measured: a Wednesday late in the year

PLAIN_SQL = """
SELECT user_id, total, place FROM (
    SELECT l.user_id, sum(l.points) AS total, rank() OVER (ORDER BY sum(l.points) DESC) AS place
    FROM points_ledger l
    WHERE l.guild_id = :guild AND l.local_date BETWEEN :first AND :last
      AND NOT EXISTS (SELECT 1 FROM member_privacy p WHERE p.guild_id = l.guild_id AND p.user_id = l.user_id
                      AND (p.hidden = 1 OR p.left_at IS NOT NULL))
    GROUP BY l.user_id HAVING total > 0
) WHERE place <= 10 OR user_id = :user ORDER BY total DESC, user_id
"""
# The caller's own standing counts a hidden caller too; a separate small sum, as the plain bot would do.
PLAIN_MINE_SQL = ("SELECT coalesce(sum(points), 0) FROM points_ledger WHERE guild_id = :guild AND user_id = :user "
                  "AND local_date BETWEEN :first AND :last")


def schema(conn: sqlite3.Connection) -> None:
    for path in sorted((ROOT / "migrations").glob("*.sql")):
        conn.executescript(path.read_text(encoding="utf-8"))


def build(path: Path, guilds: int, members: int, rows: int, seed: int) -> dict[str, float]:
    timings: dict[str, float] = {}
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -262144")
    conn.execute("PRAGMA temp_store = MEMORY")
    schema(conn)
    chance = random.Random(seed)
    weights = [1 / (rank + 1) ** 0.7 for rank in range(members)]  # a few members very active, many occasional
    start = time.perf_counter()
    conn.execute("BEGIN")
    per_guild = rows // guilds
    source_id = 0
    streak_rows = []
    for guild in range(1, guilds + 1):
        users = list(range(guild * 100_000 + 1, guild * 100_000 + members + 1))
        chance.shuffle(users)
        batch = []
        while len(batch) < per_guild:
            day = (YEAR_START + timedelta(days=chance.randrange(365))).isoformat()
            topic = chance.choice(TOPICS)
            user = chance.choices(users, weights)[0]
            source_id += 1
            if chance.random() < 0.8:  # a daily-question answer: on time, coverage, sometimes votes
                batch.append((guild, user, 10, "answer_on_time", "answer", source_id, topic, day))
                batch.append((guild, user, chance.randint(0, 10), "coverage", "answer", source_id, topic, day))
                batch.append((guild, user, 2 * chance.randint(0, 5), "peer_votes", "answer", source_id, topic, day))
            else:
                batch.append((guild, user, chance.choice((5, 7, 10)), "quiz_correct", "quiz", source_id, topic, day))
        conn.executemany(
            "INSERT INTO points_ledger (guild_id, user_id, points, reason, source_type, source_id, topic_id, "
            "local_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", batch[:per_guild])
        streak_rows += [(guild, user, chance.randint(0, 9), chance.randint(9, 30), "2026-12-30") for user in users]
        conn.executemany("INSERT INTO member_privacy (guild_id, user_id, hidden) VALUES (?, ?, 1)",
                         [(guild, user) for user in chance.sample(users, members // 100)])
    conn.executemany("INSERT INTO members (guild_id, user_id, current_streak, best_streak, last_answer_date) "
                     "VALUES (?, ?, ?, ?, ?)", streak_rows)
    conn.execute("COMMIT")
    timings["ledger rows"] = time.perf_counter() - start
    start = time.perf_counter()
    conn.execute("BEGIN")
    conn.execute(*rebuild_statement([day for (day,) in conn.execute("SELECT DISTINCT local_date FROM points_ledger")]))
    conn.execute("COMMIT")
    timings["totals"] = time.perf_counter() - start
    conn.execute("ANALYZE")
    conn.close()
    return timings


def callers(conn: sqlite3.Connection, count: int, chance: random.Random) -> list[tuple[int, int]]:
    """Random (guild, member) pairs among members with points: the people who look at boards."""
    picked = []
    guilds = [row[0] for row in conn.execute("SELECT DISTINCT guild_id FROM points_ledger")]
    for _ in range(count):
        guild = chance.choice(guilds)
        user = guild * 100_000 + chance.randint(1, 1000)
        picked.append((guild, user))
    return picked


def timed(func) -> float:
    start = time.perf_counter_ns()
    func()
    return (time.perf_counter_ns() - start) / 1e6  # milliseconds


def board_totals(conn: sqlite3.Connection, key: BoardKey, user: int) -> tuple[list, tuple]:
    top = conn.execute(with_members(TOP_SQL, None), key.params(limit=10, offset=0)).fetchall()
    mine = conn.execute(with_members(STANDING_SQL, None), key.params(user=user)).fetchone()
    return top, mine


def board_plain(conn: sqlite3.Connection, guild: int, first: str, last: str, user: int) -> tuple[list, tuple]:
    params = {"guild": guild, "first": first, "last": last, "user": user}
    rows = conn.execute(PLAIN_SQL, params).fetchall()
    mine = conn.execute(PLAIN_MINE_SQL, params).fetchone()
    return rows, mine


def check_same(conn: sqlite3.Connection, pairs: list[tuple[int, int]], boards: dict) -> None:
    """Both variants must give the same top 10 and the same points for the caller."""
    for guild, user in pairs[:20]:
        for name, (period, bucket, first, last) in boards.items():
            top, mine = board_totals(conn, BoardKey(guild, period, bucket, ALL, ALL), user)
            plain, plain_mine = board_plain(conn, guild, first, last, user)
            plain_top = [(row[0], row[1]) for row in plain if row[2] <= 10][:10]
            assert [(row[0], row[1]) for row in top] == plain_top, (name, guild)
            assert mine[0] == plain_mine[0], (name, guild, user)


async def through_the_bot(path: Path, pairs: list[tuple[int, int]]) -> float:
    conn = await open_database(path)
    try:
        repo = BoardRepository(conn)
        times = []
        for guild, user in pairs:
            key = BoardKey(guild, "all", "", ALL, ALL)
            start = time.perf_counter_ns()
            await repo.page(key, offset=0, limit=10)
            await repo.standing(key, user)
            times.append((time.perf_counter_ns() - start) / 1e6)
        return statistics.median(times)
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guilds", type=int, default=100)
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=300, help="totals boards timed per round")
    parser.add_argument("--plain-calls", type=int, default=30, help="plain boards timed per round")
    parser.add_argument("--db", type=Path, help="keep the built database here and reuse it when it exists")
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "bench.sqlite3"
        if not path.exists():
            print(f"building {args.rows:,} ledger rows ({args.guilds} guilds × {args.members} members × a year)...")
            for step, seconds in build(path, args.guilds, args.members, args.rows, args.seed).items():
                print(f"  {step}: {seconds:.1f} s")
        conn = sqlite3.connect(path)
        ledger = conn.execute("SELECT count(*) FROM points_ledger").fetchone()[0]
        totals = conn.execute("SELECT count(*) FROM board_totals").fetchone()[0]
        print(f"ledger rows: {ledger:,}; board_totals rows: {totals:,}")
        monday = WEEK_DAY - timedelta(days=WEEK_DAY.weekday())
        boards = {
            "all time": ("all", "", "0000-00-00", "9999-12-31"),
            f"week {week_key(WEEK_DAY)}": ("week", week_key(WEEK_DAY), monday.isoformat(),
                                          (monday + timedelta(days=6)).isoformat()),
        }
        chance = random.Random(args.seed)
        check_same(conn, callers(conn, 20, chance), boards)
        results: dict[str, dict[str, list[float]]] = {name: {"totals": [], "plain": []} for name in boards}
        for round_number in range(1, args.rounds + 1):
            pairs = callers(conn, args.calls, chance)
            for name, (period, bucket, first, last) in boards.items():
                fast = [timed(lambda g=g, u=u, p=period, b=bucket: board_totals(conn, BoardKey(g, p, b, ALL, ALL), u))
                        for g, u in pairs]
                slow = [timed(lambda g=g, u=u, f=first, la=last: board_plain(conn, g, f, la, u))
                        for g, u in pairs[:args.plain_calls]]
                results[name]["totals"].append(statistics.median(fast))
                results[name]["plain"].append(statistics.median(slow))
                print(f"round {round_number} {name:>13}: totals {statistics.median(fast):.4f} ms, "
                      f"plain {statistics.median(slow):.3f} ms")
        conn.close()
        print()
        print("top 10 + the caller's rank, median of the rounds' medians:")
        for name, variants in results.items():
            fast, slow = statistics.median(variants["totals"]), statistics.median(variants["plain"])
            print(f"  {name:>13}: totals {fast:.4f} ms; plain SUM ... GROUP BY {slow:.3f} ms; "
                  f"{slow / fast:.0f}× faster")
        hop = asyncio.run(through_the_bot(path, callers(sqlite3.connect(path), 300, chance)))
        print(f"  all time through the bot's aiosqlite repository (thread hop included): {hop:.3f} ms")


if __name__ == "__main__":
    main()
