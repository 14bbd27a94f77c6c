"""Benchmark: `db copy` of a year of history. Run by hand: `.venv/bin/python bench/db_copy.py`.

Builds a SQLite database with a year of a study group's history through the services (tests/storage/year_seed.py),
then copies it, verified, SQLite → SQLite, SQLite → PostgreSQL and PostgreSQL → SQLite, ROUNDS times each into new
empty databases, and prints the medians side by side with rows per second. PostgreSQL is BENCH_DATABASE_URL (a
maintenance URL whose user may create databases) or a throwaway local server (tests/pg_server.py).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "storage")]
import pg_server  # noqa: E402
from year_seed import seed_year  # noqa: E402

from bot.bank import load_bank  # noqa: E402
from bot.storage.copy import copy_database  # noqa: E402
from bot.storage.engines import open_url  # noqa: E402
from bot.storage.migrations import migrate  # noqa: E402

ROUNDS = 3
MIGRATIONS = ROOT / "migrations"


async def copy_once(source_url: str, target_url: str) -> tuple[float, int]:
    source, target = await open_url(source_url), await open_url(target_url)
    try:
        started = time.perf_counter()
        report = await copy_database(source, target, MIGRATIONS)
        elapsed = time.perf_counter() - started
        assert report.ok
        return elapsed, report.rows
    finally:
        await source.close()
        await target.close()


async def bench(folder: Path, admin_url: str) -> None:
    year = folder / "year.sqlite3"
    db = await open_url(f"sqlite:///{year}")
    await migrate(db, MIGRATIONS)
    started = time.perf_counter()
    seeded = await seed_year(db, load_bank([ROOT / "questions"]).bank)
    await db.close()
    print(f"seeded {seeded.days} days ({seeded.answers} answers, {seeded.quizzes} quizzes, {seeded.ratings} review "
          f"ratings) in {time.perf_counter() - started:.1f} s; file {year.stat().st_size / 1e6:.1f} MB")
    pg_source = await pg_server.create_database(admin_url, f"bench_copy_src_{os.getpid()}", None)
    await copy_once(f"sqlite:///{year}", pg_source)
    made = [f"bench_copy_src_{os.getpid()}"]
    results: dict[str, list[float]] = {"SQLite → SQLite": [], "SQLite → PostgreSQL": [], "PostgreSQL → SQLite": []}
    rows = 0
    for round_ in range(ROUNDS):
        name = f"bench_copy_{os.getpid()}_{round_}"
        made.append(name)
        pg_target = await pg_server.create_database(admin_url, name, None)
        for label, source, target in (
            ("SQLite → SQLite", f"sqlite:///{year}", f"sqlite:///{folder / f's{round_}.sqlite3'}"),
            ("SQLite → PostgreSQL", f"sqlite:///{year}", pg_target),
            ("PostgreSQL → SQLite", pg_source, f"sqlite:///{folder / f'p{round_}.sqlite3'}"),
        ):
            seconds, rows = await copy_once(source, target)
            results[label].append(seconds)
    await pg_server.drop_databases(admin_url, made)
    print(f"{rows} rows in every copy (migrating the target, copying and verifying every table); median of {ROUNDS}")
    base = statistics.median(results["SQLite → SQLite"])
    for label, times in results.items():
        median = statistics.median(times)
        print(f"  {label:<20} {median:6.2f} s  {rows / median:9.0f} rows/s  {median / base:5.2f}× SQLite → SQLite")


def main() -> None:
    pg_server.run_bench(bench)


if __name__ == "__main__":
    main()
