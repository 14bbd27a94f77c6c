"""Benchmark: one quiz sweep's database work over a long history. Run by hand: `.venv/bin/python bench/quiz_sweep.py`.

A guild with 10,000 finished quizzes (20 questions, 5 answers each: 200,000 questions, 1,000,000 answers) and one
running quiz. Every sweep (each 30 s and at every close) ticks the running quizzes and asks which quizzes still
have something to post. Compares, side by side in one run, the migration's indexes against the same database
without them. Prints each median and the ratio.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
from bot.bank import load_bank
from bot.services.quiz import QuizService
from bot.storage.database import open_database
from bot.storage.migrations import migrate

ROOT = Path(__file__).parents[1]
FINISHED = 10_000
ITEMS = 20
ANSWERS = 5
ROUNDS = 30
INDEXES = ("quizzes_unsettled", "quizzes_one_active_per_channel")
T0 = datetime(2030, 1, 1, tzinfo=UTC)


async def build(path: Path) -> None:
    conn = await open_database(path)
    await migrate(conn, ROOT / "migrations")
    stamp = "2029-01-01T00:00:00.000Z"
    await conn.execute("BEGIN")
    await conn.executemany(
        "INSERT INTO quizzes (id, guild_id, channel_id, starter_id, kind, seconds, status, started_at, ended_at, "
        "summary_message_id) VALUES (?, 1, ?, 1, 'choice', 30, 'finished', ?, ?, ?)",
        [(q, 1000 + q, stamp, stamp, 5_000_000 + q) for q in range(1, FINISHED + 1)])
    await conn.executemany(
        "INSERT INTO quiz_items (id, quiz_id, position, question_id, kind, option_order, opened_at, closes_at, "
        "closed_at, message_id, reveal_message_id) VALUES (?, ?, ?, 'rag-faiss', 'choice', '[0,1,2,3]', ?, ?, ?, ?, ?)",
        [(q * ITEMS + p, q, p, stamp, stamp, stamp, 1, 2) for q in range(1, FINISHED + 1) for p in range(ITEMS)])
    await conn.executemany(
        "INSERT INTO quiz_answers (item_id, user_id, choice, answered_at, updated_at) VALUES (?, ?, 0, ?, ?)",
        [(q * ITEMS + p, u, stamp, stamp) for q in range(1, FINISHED + 1) for p in range(ITEMS)
         for u in range(ANSWERS)])
    await conn.execute("COMMIT")
    await conn.close()


async def measure(path: Path, bank, *, indexed: bool) -> float:
    conn = await open_database(path)
    if not indexed:
        for name in INDEXES:
            await conn.execute(f"DROP INDEX IF EXISTS {name}")
    service = QuizService(conn, bank)
    running = await service.start(guild_id=1, channel_id=1, starter_id=1, language="en", topic_id="rag",
                                  kind="choice", count=ITEMS, seconds=30, now=T0, seed="bench")
    for post in await service.outbox(running.id):
        await service.confirm_question(post.item.id, 1)  # type: ignore[union-attr]
    times = []
    for round_ in range(ROUNDS):
        began = time.perf_counter()
        await service.tick(T0 + timedelta(seconds=1 + round_ * 0.01))  # nothing due: the common sweep
        assert await service.unposted() == [running.id]
        assert await service.outbox(running.id) == []
        times.append(time.perf_counter() - began)
    await conn.close()
    return statistics.median(times)


async def main() -> None:
    bank = load_bank([ROOT / "questions"]).bank
    with tempfile.TemporaryDirectory() as folder:
        with_indexes, without = Path(folder) / "indexed.sqlite3", Path(folder) / "plain.sqlite3"
        await build(with_indexes)
        without.write_bytes(with_indexes.read_bytes())
        indexed = await measure(with_indexes, bank, indexed=True)
        plain = await measure(without, bank, indexed=False)
    print(f"{FINISHED:,} finished quizzes, {FINISHED * ITEMS:,} questions, {FINISHED * ITEMS * ANSWERS:,} answers")
    print(f"sweep with the migration's indexes: {indexed * 1000:.2f} ms (median of {ROUNDS})")
    print(f"sweep without them:                 {plain * 1000:.2f} ms ({plain / indexed:.1f}x)")


if __name__ == "__main__":
    asyncio.run(main())
