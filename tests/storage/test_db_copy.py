"""`db copy`: a year of history from SQLite to PostgreSQL and back, verified; refusals that leave the target as it
was; a copy whose verification fails is rolled back; the command line as an operator meets it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from year_seed import GUILD, MEMBERS, seed_year

from bot.services.boards import BoardQuery, BoardService
from bot.services.qotd import QotdService
from bot.storage.catalog import dependency_order, user_tables
from bot.storage.copy import (
    CopyError,
    VerificationFailed,
    checksum,
    copy_database,
    occupied_tables,
    row_digest,
    table_batches,
)
from bot.storage.database import Database
from bot.storage.engines import open_url
from bot.storage.migrations import current_version, migrate

ROOT = Path(__file__).parents[2]
MIGRATIONS = ROOT / "migrations"


@pytest.fixture(scope="module")
def year_file(tmp_path_factory: pytest.TempPathFactory, shipped_bank) -> tuple[Path, object]:
    """A SQLite file holding a year of history (made once for the module; the tests only read it)."""
    import asyncio

    path = tmp_path_factory.mktemp("year") / "year.sqlite3"

    async def make():
        db = await open_url(f"sqlite:///{path}")
        try:
            await migrate(db, MIGRATIONS)
            return await seed_year(db, shipped_bank)
        finally:
            await db.close()

    seeded = asyncio.run(make())
    return path, seeded


def schema_tables(path: Path) -> set[str]:
    """Every table of the schema as sqlite3 itself lists them (the copy must not leave one out)."""
    with sqlite3.connect(path) as conn:
        return {name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}


def counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in schema_tables(path)}


async def sums(db: Database) -> dict[str, tuple[int, str]]:
    return {table.name: await checksum(db, table) for table in await user_tables(db)}


async def board_lines(db: Database, bank, seeded, period: str) -> list[tuple[int, int, int, int]]:
    board = await BoardService(db, bank).board(GUILD, MEMBERS[0], BoardQuery(period=period), seeded.last_moment)
    return [(line.rank, line.user_id, line.points, line.streak) for line in board.lines]


async def test_a_year_goes_to_postgresql_and_back_with_equal_counts_checksums_and_boards(
        year_file, fresh_pg_url, tmp_path: Path, shipped_bank) -> None:
    path, seeded = year_file
    expected = counts(path)
    assert all(expected.values()), [t for t, n in expected.items() if not n]  # every table holds rows
    source = await open_url(f"sqlite:///{path}")
    pg = await open_url(await fresh_pg_url(migrated=False))  # a new, empty database: the copy migrates it
    back_path = tmp_path / "back.sqlite3"
    back = await open_url(f"sqlite:///{back_path}")
    lines: list[str] = []
    try:
        there = await copy_database(source, pg, MIGRATIONS, progress=lines.append)
        again = await copy_database(pg, back, MIGRATIONS)
        assert there.ok and again.ok
        # Every table of the schema was copied, parents first, and each count is the source's.
        assert {c.table for c in there.checks} == schema_tables(path) == {c.table for c in again.checks}
        assert {c.table: c.target_rows for c in there.checks} == expected == counts(back_path)
        assert [f"copied {c.table}" for c in there.checks] == [line.split(":")[0] for line in lines]
        order = [c.table for c in there.checks]
        assert order.index("schedules") < order.index("posts") < order.index("answers") < order.index("best_answers")
        # The checksums are computed the same way on both engines: the three databases agree table by table.
        assert await sums(source) == await sums(pg) == await sums(back)
        assert {c.table: c.source_sum for c in there.checks} == {c.table: c.target_sum for c in again.checks}
        assert await current_version(pg) == await current_version(back) == await current_version(source)
        # A service reads the same boards from each.
        for period in ("all", "month", "week"):
            boards = [await board_lines(db, shipped_bank, seeded, period) for db in (source, pg, back)]
            assert boards[0] and boards[0] == boards[1] == boards[2], period
        # New rows on the PostgreSQL copy get fresh ids (the identity sequences were moved past the copied ones).
        top_post = max(r[0] for r in await pg.execute_fetchall("SELECT id FROM posts"))
        qotd = QotdService(pg, shipped_bank)
        next_morning = seeded.last_moment + timedelta(hours=12, minutes=5)
        (plan,) = await qotd.due_posts(next_morning)
        assert plan.post.id == top_post + 1
        await qotd.confirm_posted(plan.post.id, 555_555, next_morning)
        answered = await qotd.submit_answer(plan.post.id, MEMBERS[0], "attention is all you need", next_morning)
        assert answered.created and answered.answer.id > max(r[0] for r in await source.execute_fetchall(
            "SELECT id FROM answers"))
    finally:
        for db in (source, pg, back):
            await db.close()


async def test_a_target_with_any_row_is_refused_and_left_unchanged(year_file, database_url: str) -> None:
    path, _ = year_file
    source = await open_url(f"sqlite:///{path}")
    target = await open_url(database_url)
    try:
        async with target.transaction():
            await target.execute("INSERT INTO command_sync (scope, tree_hash, synced_at) VALUES ('g', 'h', 't')")
        before = await sums(target)
        with pytest.raises(CopyError) as refused:
            await copy_database(source, target, MIGRATIONS)
        assert "the target is not empty (command_sync hold rows)" in str(refused.value)
        assert await sums(target) == before
    finally:
        await source.close()
        await target.close()


async def test_a_source_behind_the_code_is_refused_and_the_target_untouched(tmp_path: Path) -> None:
    old_migrations = tmp_path / "old"
    old_migrations.mkdir()
    for name in sorted(p.name for p in MIGRATIONS.glob("000[1-3]_*.sql")):
        shutil.copy(MIGRATIONS / name, old_migrations / name)
    source = await open_url(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    target = await open_url(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    try:
        await migrate(source, old_migrations)
        with pytest.raises(CopyError) as refused:
            await copy_database(source, target, MIGRATIONS)
        assert "run `python -m bot db migrate` on it first" in str(refused.value)
        assert await current_version(target) == 0 and await user_tables(target) == []
    finally:
        await source.close()
        await target.close()


async def test_a_copy_that_does_not_verify_is_rolled_back_whole(year_file, tmp_path: Path) -> None:
    """A trigger on the target changes rows as they land (as a faulty driver or a type coercion would): the
    checksum sees it, nothing is committed, and the target is as empty as before."""
    path, _ = year_file
    source = await open_url(f"sqlite:///{path}")
    target = await open_url(f"sqlite:///{tmp_path / 'target.sqlite3'}")
    try:
        await migrate(target, MIGRATIONS)
        await target.execute("CREATE TRIGGER skew AFTER INSERT ON members BEGIN "
                             "UPDATE members SET best_streak = best_streak + 1 WHERE rowid = NEW.rowid; END")
        with pytest.raises(VerificationFailed) as failed:
            await copy_database(source, target, MIGRATIONS)
        bad = [c for c in failed.value.report.checks if not c.ok]
        assert [c.table for c in bad] == ["members"] and bad[0].source_rows == bad[0].target_rows
        assert "rolled back" in str(failed.value)
        for table in await user_tables(target):
            assert (await target.execute_fetchall(f'SELECT count(*) FROM "{table.name}"'))[0][0] == 0, table.name
    finally:
        await source.close()
        await target.close()


def test_the_checksum_tells_types_nulls_and_boundaries_apart() -> None:
    assert row_digest([(1, "a")]) == row_digest([(1, "a")])
    assert row_digest([(1,)]) != row_digest([("1",)])
    assert row_digest([(None,)]) != row_digest([("",)]) != row_digest([("N",)])
    assert row_digest([("ab", "c")]) != row_digest([("a", "bc")])
    assert row_digest([(0.1 + 0.2,)]) != row_digest([(0.3,)])
    assert row_digest([(True,)]) == row_digest([(1,)])
    assert row_digest([(b"\x01",)]) != row_digest([("01",)])
    assert row_digest([(1,), (2,)]) != row_digest([(2,), (1,)])
    assert row_digest([])[0] == 0


async def test_tables_are_ordered_parents_first_on_both_engines(database: Database) -> None:
    order = [t.name for t in dependency_order(await user_tables(database))]
    assert "schema_version" not in order
    for child, parent in (("posts", "schedules"), ("answers", "posts"), ("quiz_items", "quizzes"),
                          ("review_log", "review_sessions"), ("review_log", "review_cards")):
        assert order.index(parent) < order.index(child)
    # Primary keys are read in their declared column order on both engines (rows are checksummed in that order).
    keys = {t.name: t.primary_key for t in await user_tables(database)}
    assert keys["reactions"] == ("post_id", "user_id", "emoji") and keys["answer_votes"] == ("answer_id", "voter_id")
    assert keys["board_totals"] == ("guild_id", "board", "user_id") and keys["answers"] == ("id",)
    assert all(keys.values()), [name for name, key in keys.items() if not key]


# -- the command line ----------------------------------------------------------------------------------------------
def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DISCORD_TOKEN", "DATABASE_URL"}}
    env.update({"MIGRATIONS_DIR": str(MIGRATIONS), "BANK_DIR": str(ROOT / "questions"), "LOG_LEVEL": "WARNING"})
    return env


def run_copy(source: str, target: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", "db", "copy", source, target], capture_output=True,
                          text=True, env=_env(), cwd=cwd, timeout=120, check=False)


def test_db_copy_prints_progress_and_the_verification_table(year_file, tmp_path: Path, fresh_pg_url) -> None:
    import asyncio

    path, _ = year_file
    pg_url = asyncio.run(fresh_pg_url(migrated=False))
    done = run_copy(f"sqlite:///{path}", pg_url, tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("copying sqlite:///") and any(line.startswith("copied answers: ") for line in lines)
    header = next(i for i, line in enumerate(lines) if line.startswith("table "))
    table = lines[header + 1:header + 1 + len(schema_tables(path))]
    assert {row.split()[0] for row in table} == schema_tables(path)
    assert all(row.split()[-1] == "ok" and row.split()[1] == row.split()[2] for row in table)
    assert "every count and checksum matches" in lines[-1]

    again = run_copy(f"sqlite:///{path}", pg_url, tmp_path)  # now it holds rows: refused, one line
    assert again.returncode == 1 and again.stderr.strip().count("\n") == 0
    assert again.stderr.startswith("copy refused: the target is not empty (")


@pytest.mark.parametrize(("source", "target", "said"), [
    ("mysql://bot@localhost/bot", "sqlite:///t.sqlite3", "database unavailable: SOURCE_URL: unknown database URL "
                                                          "scheme 'mysql'"),
    ("sqlite:///missing.sqlite3", "sqlite:///t.sqlite3", "database unavailable: SOURCE_URL: no SQLite database at "
                                                          "missing.sqlite3"),
    ("sqlite:///a.sqlite3", "sqlite:///a.sqlite3", "copy refused: SOURCE_URL and TARGET_URL are the same database"),
    ("sqlite:///a.sqlite3", "postgresql://bot@127.0.0.1:1/bot", "database unavailable: TARGET_URL: PostgreSQL host "
                                                                 "unreachable at postgresql://bot@127.0.0.1:1/bot"),
])
def test_db_copy_bad_urls_are_one_line(tmp_path: Path, source: str, target: str, said: str) -> None:
    sqlite3.connect(tmp_path / "a.sqlite3").close()
    done = run_copy(source, target, tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0 and done.stderr.startswith(said), done.stderr
    assert not (tmp_path / "t.sqlite3").exists()  # a refused copy creates nothing


async def test_batches_follow_the_primary_key_bytewise_on_both_engines(database: Database) -> None:
    """Keyset paging over a composite key with text in it: small batches give every row once, in the order
    SQLite's BINARY collation gives (bytewise UTF-8), on PostgreSQL whatever the database's collation."""
    rows = [(g, board, u, g * u) for g in (1, 2) for board in ("a", "B", "é", "Z:1", "z", "中") for u in (3, 1, 2)]
    async with database.transaction():
        await database.executemany("INSERT INTO board_totals (guild_id, board, user_id, points) VALUES (?, ?, ?, ?)",
                                   rows)
    table = next(t for t in await user_tables(database) if t.name == "board_totals")
    expected = sorted(rows, key=lambda r: (r[0], r[1].encode(), r[2]))
    batches = [batch async for batch in table_batches(database, table, size=4)]
    assert [len(b) for b in batches] == [4] * 9
    assert [row for batch in batches for row in batch] == expected
    assert await checksum(database, table) == row_digest(expected)


async def test_a_postgresql_database_with_a_linguistic_collation_copies_and_verifies_alike(
        year_file, pg_admin_url: str, tmp_path: Path) -> None:
    """README asks for --locale=C, but a database made with ICU's collation (where 'B' sorts after 'a' and ':' is
    nearly ignored) must still page and checksum its text keys in SQLite's bytewise order."""
    import asyncpg
    from pg_server import database_url, drop_databases

    path = tmp_path / "source.sqlite3"
    with sqlite3.connect(year_file[0]) as year, sqlite3.connect(path) as copy:
        year.backup(copy)
        copy.executemany("INSERT INTO command_sync (scope, tree_hash, synced_at) VALUES (?, 'h', 't')",
                         [("B",), ("a",), ("a:1",), ("a-2",), ("a2",), ("É",), ("e",)])  # ICU and bytes disagree
    name = f"bot_icu_{os.getpid()}"
    admin = await asyncpg.connect(pg_admin_url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await admin.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'und' "
                            "LOCALE 'C'")
    finally:
        await admin.close()
    source = await open_url(f"sqlite:///{path}")
    icu = await open_url(database_url(pg_admin_url, name))
    back = await open_url(f"sqlite:///{tmp_path / 'back.sqlite3'}")
    try:
        assert (await icu.execute_fetchall("SELECT 'B' < 'a'"))[0][0] is False  # not bytewise
        there = await copy_database(source, icu, MIGRATIONS)
        again = await copy_database(icu, back, MIGRATIONS)
        assert there.ok and again.ok and await sums(source) == await sums(icu) == await sums(back)
    finally:
        for db in (source, icu, back):
            await db.close()
        await drop_databases(pg_admin_url, [name])


def test_db_copy_exits_1_showing_the_table_that_does_not_verify(year_file, tmp_path: Path) -> None:
    import asyncio

    path, _ = year_file
    target = tmp_path / "target.sqlite3"

    async def prepare() -> None:
        db = await open_url(f"sqlite:///{target}")
        try:
            await migrate(db, MIGRATIONS)
            await db.execute("CREATE TRIGGER skew AFTER INSERT ON posts BEGIN "
                             "UPDATE posts SET question_id = question_id || '?' WHERE id = NEW.id; END")
        finally:
            await db.close()

    asyncio.run(prepare())
    done = run_copy(f"sqlite:///{path}", f"sqlite:///{target}", tmp_path)
    assert done.returncode == 1
    rows = {line.split()[0]: line.split()[-1] for line in done.stdout.splitlines()[1:] if line.split()[-1] in
            {"ok", "MISMATCH"}}
    assert rows["posts"] == "MISMATCH" and rows["answers"] == "ok" and rows["schedules"] == "ok"
    assert done.stderr.strip() == ("copy failed: verification failed for posts: the copy was rolled back, the "
                                   "target is empty")
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM schedules").fetchone() == (0,)


async def test_a_value_postgresql_types_refuse_names_its_table_and_nothing_is_committed(
        year_file, fresh_pg_url, tmp_path: Path) -> None:
    """SQLite keeps text an INTEGER column was given; PostgreSQL's BIGINT refuses it: one line naming the table,
    and the target holds no row."""
    path = tmp_path / "loose.sqlite3"
    with sqlite3.connect(year_file[0]) as year, sqlite3.connect(path) as copy:
        year.backup(copy)
        copy.execute("UPDATE members SET best_streak = 'lots' WHERE user_id = ?", (MEMBERS[0],))
    source = await open_url(f"sqlite:///{path}")
    target = await open_url(await fresh_pg_url(migrated=False))
    try:
        with pytest.raises(CopyError) as refused:
            await copy_database(source, target, MIGRATIONS)
        said = str(refused.value)
        assert said.startswith("table members: the target refused a row (") and "\n" not in said
        assert said.endswith("the copy was rolled back")
        assert await occupied_tables(target) == []
    finally:
        await source.close()
        await target.close()
