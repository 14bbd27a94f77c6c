"""Benchmark: personal review over large decks. Run by hand: `.venv/bin/python bench/review_session.py`.

Every click in a session rates a card and picks the next one (due cards, FSRS retrievability, sort) within
Discord's 3-second answer deadline, so this times, over a SQLite file and decks whose cards are all due:
starting a session, one rating with the choice of the next card, /review stats, and the reminder sweep over
many members. Prints each median and the per-card cost.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parents[1]))
from bot.domain.bank import Bank, KeyPoint, Question, Topic
from bot.domain.review import Rating
from bot.services.grades import GradeEvent
from bot.services.review import ReviewService, SessionCard
from bot.storage.database import open_database
from bot.storage.migrations import migrate

ROOT = Path(__file__).parents[1]
DECKS = (100, 1_000, 5_000)
MEMBERS, MEMBER_CARDS = 1_000, 20
ROUNDS = 5
START = datetime(2026, 1, 1, tzinfo=UTC)


def bank(size: int) -> Bank:
    topics = [Topic(f"t{n}", f"主题{n}", f"Topic {n}", n + 1) for n in range(10)]
    questions = [Question(id=f"t{i % 10}-q{i}", topic_id=f"t{i % 10}", prompt=f"第 {i} 题", difficulty=i % 3 + 1,
                          answer="答案", key_points=(KeyPoint("要点", ("要点",)),)) for i in range(size)]
    return Bank.build(topics, questions)


async def fill(service: ReviewService, user_id: int, questions: list[Question]) -> None:
    """Cards answered and graded over the past months, so retrievabilities differ; all due a year later."""
    for index, question in enumerate(questions):
        moment = START + timedelta(hours=index % 2000)
        await service.on_grade(GradeEvent(1, user_id, question.id, "qotd", moment))
        await service.on_grade(GradeEvent(1, user_id, question.id, "qotd", moment, grade=("got", "partly")[index % 2]))


async def timed(work: Awaitable[Any]) -> tuple[float, Any]:
    began = time.perf_counter()
    result = await work
    return time.perf_counter() - began, result


async def main() -> None:
    big = bank(max(DECKS))
    questions = list(big)
    now = START + timedelta(days=365)
    with tempfile.TemporaryDirectory() as folder:
        conn = await open_database(Path(folder) / "bench.sqlite3")
        await migrate(conn, ROOT / "migrations")
        service = ReviewService(conn, big)
        print(f"{'deck (all due)':>16} {'start':>9} {'rate+next':>10} {'stats':>9} {'per card':>10}")
        for user_id, size in enumerate(DECKS, start=1):
            await fill(service, user_id, questions[:size])
            starts, rates, stats = [], [], []
            for _ in range(ROUNDS):
                took, card = await timed(service.start(user_id, 1, now))
                assert isinstance(card, SessionCard)
                starts.append(took)
                rates.append((await timed(service.rate(user_id, card.session_id, card.card.id, Rating.Good, now)))[0])
                stats.append((await timed(service.stats(user_id, 1, now)))[0])
                now += timedelta(seconds=1)  # a new session may rate the same card again
            rate = statistics.median(rates)
            print(f"{size:>16,} {statistics.median(starts) * 1000:>7.1f}ms {rate * 1000:>8.1f}ms "
                  f"{statistics.median(stats) * 1000:>7.1f}ms {rate / size * 1e6:>8.1f}µs")

        for member in range(MEMBERS):
            user_id = 10_000 + member
            for question in questions[member % 100 * MEMBER_CARDS:(member % 100 + 1) * MEMBER_CARDS]:
                await service.add_question(user_id, 1, question.id, START)
            await service.remind_on(user_id, 1, "09:00", "Asia/Shanghai", "en", START)
        sweeps = []
        for day in range(ROUNDS):
            moment = START + timedelta(days=day, hours=2)  # 10:00 in Shanghai: every reminder is due
            sweeps.append((await timed(service.due_reminders(moment)))[0])
        idle, _ = await timed(service.due_reminders(START + timedelta(hours=2, minutes=1)))
        print(f"reminder sweep, {MEMBERS:,} members with {MEMBER_CARDS} due cards each: claiming all "
              f"{statistics.median(sweeps) * 1000:.0f} ms; the next minute's sweep (all claimed) {idle * 1000:.0f} ms")
        await conn.close()


if __name__ == "__main__":
    asyncio.run(main())
