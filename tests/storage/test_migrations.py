"""The migration runner: order, atomicity, rollback, gaps, duplicates, and refusing a newer database."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.storage.database import open_database, transaction
from bot.storage.engines import open_url
from bot.storage.migrations import MigrationError, current_version, discover, migrate

PROJECT_MIGRATIONS = Path(__file__).parents[2] / "migrations"


def write(folder: Path, name: str, sql: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(sql, encoding="utf-8")


async def tables(conn) -> set[str]:
    if conn.dialect == "sqlite":
        return {row[0] for row in await conn.execute_fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return {row[0] for row in await conn.execute_fetchall(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")}


async def test_project_migrations_apply_to_a_fresh_file_and_are_idempotent(make_database_url) -> None:
    conn = await open_url(await make_database_url())
    try:
        applied = await migrate(conn, PROJECT_MIGRATIONS)
        assert [m.version for m in applied] == list(range(1, len(applied) + 1))
        assert await current_version(conn) == len(applied)
        assert {"schedules", "posts", "answers", "reactions", "points_ledger", "shard_heartbeats"} <= await tables(conn)
        assert await migrate(conn, PROJECT_MIGRATIONS) == []
    finally:
        await conn.close()


async def test_processes_that_start_together_on_postgresql_migrate_once(fresh_pg_url) -> None:
    """Shard processes start at the same moment over one PostgreSQL: each migration runs once, nobody fails."""
    url = await fresh_pg_url(migrated=False)
    dbs = [await open_url(url) for _ in range(3)]
    try:
        results = await asyncio.gather(*(migrate(db, PROJECT_MIGRATIONS) for db in dbs))
        versions = sorted(m.version for applied in results for m in applied)
        assert versions == list(range(1, len(discover(PROJECT_MIGRATIONS)) + 1))  # each applied by exactly one
        assert {await current_version(db) for db in dbs} == {len(versions)}
    finally:
        for db in dbs:
            await db.close()


async def test_pragmas_are_set(tmp_path: Path) -> None:
    conn = await open_database(tmp_path / "bot.sqlite3")
    try:
        values = {}
        for pragma in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout"):
            values[pragma] = (await conn.execute_fetchall(f"PRAGMA {pragma}"))[0][0]
        assert values == {"journal_mode": "wal", "synchronous": 1, "foreign_keys": 1, "busy_timeout": 5000}
    finally:
        await conn.close()


async def test_one_post_per_schedule_and_local_day_is_a_database_rule(tmp_path: Path, make_database_url) -> None:
    conn = await open_url(await make_database_url())
    try:
        await migrate(conn, PROJECT_MIGRATIONS)
        await conn.execute("INSERT INTO guild_settings (guild_id) VALUES (1)")
        await conn.execute("INSERT INTO schedules (guild_id, channel_id, post_time, timezone, reveal_time) "
                           "VALUES (1, 10, '09:00', 'Asia/Shanghai', '21:00')")
        insert = ("INSERT INTO posts (schedule_id, guild_id, channel_id, local_date, question_id, post_due_at, "
                  "reveal_due_at) VALUES (1, 1, 10, '2026-11-29', ?, 'x', 'y')")
        await conn.execute(insert, ("q1",))
        with pytest.raises(Exception, match=r"(?i)unique"):
            await conn.execute(insert, ("q2",))
    finally:
        await conn.close()


async def test_migrations_apply_in_order_each_with_its_version(tmp_path: Path, make_database_url) -> None:
    folder = tmp_path / "m"
    write(folder, "0001_a.sql", "CREATE TABLE a (x INTEGER UNIQUE);")
    write(folder, "0002_b.sql", "CREATE TABLE b (x INTEGER REFERENCES a (x));")
    write(folder, "README.txt", "not a migration")
    conn = await open_url(await make_database_url())
    try:
        assert [m.name for m in await migrate(conn, folder)] == ["a", "b"]
        assert await current_version(conn) == 2
        write(folder, "0003_c.sql", "ALTER TABLE a ADD COLUMN y TEXT;")
        assert [m.version for m in await migrate(conn, folder)] == [3]
    finally:
        await conn.close()


async def test_a_failing_migration_rolls_back_whole(tmp_path: Path, make_database_url) -> None:
    folder = tmp_path / "m"
    write(folder, "0001_a.sql", "CREATE TABLE a (x INTEGER);")
    write(folder, "0002_bad.sql", "CREATE TABLE b (x INTEGER);\nINSERT INTO a VALUES (1);\nTHIS IS NOT SQL;")
    conn = await open_url(await make_database_url())
    try:
        with pytest.raises(MigrationError, match=r"0002_bad\.sql failed and was rolled back"):
            await migrate(conn, folder)
        assert await current_version(conn) == 1
        assert "b" not in await tables(conn)
        assert (await conn.execute_fetchall("SELECT count(*) FROM a"))[0][0] == 0
        assert not conn.in_transaction
        # Fixed, it applies on the next start.
        write(folder, "0002_bad.sql", "CREATE TABLE b (x INTEGER);")
        assert [m.version for m in await migrate(conn, folder)] == [2]
    finally:
        await conn.close()


async def test_a_database_newer_than_the_code_is_refused_untouched(tmp_path: Path, make_database_url) -> None:
    folder = tmp_path / "m"
    write(folder, "0001_a.sql", "CREATE TABLE a (x INTEGER);")
    conn = await open_url(await make_database_url())
    try:
        await conn.apply_migration("SELECT 1", 7)  # a newer bot wrote it (on either engine)
        with pytest.raises(MigrationError, match="schema version 7 but this code knows only up to 1"):
            await migrate(conn, folder)
        assert "a" not in await tables(conn)
    finally:
        await conn.close()


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"0001_a.sql": "", "0003_c.sql": ""}, r"without gaps; missing \[2\]"),
        ({"0002_b.sql": ""}, r"missing \[1\]"),
        ({"0001_a.sql": "", "0001_again.sql": ""}, "version 1 is also"),
        ({"1_a.sql": ""}, "a migration is named NNNN_name.sql"),
        ({"0001-A.sql": ""}, "a migration is named NNNN_name.sql"),
    ],
)
def test_gaps_duplicates_and_bad_names_are_rejected(tmp_path: Path, files: dict[str, str], message: str) -> None:
    for name, sql in files.items():
        write(tmp_path, name, sql)
    with pytest.raises(MigrationError, match=message):
        discover(tmp_path)


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(MigrationError, match="does not exist"):
        discover(tmp_path / "nope")


async def test_transaction_rolls_back_on_error(tmp_path: Path, make_database_url) -> None:
    conn = await open_url(await make_database_url())
    try:
        await conn.execute("CREATE TABLE t (x INTEGER)")
        with pytest.raises(RuntimeError):
            async with transaction(conn):
                await conn.execute("INSERT INTO t VALUES (1)")
                raise RuntimeError("boom")
        async with transaction(conn):
            await conn.execute("INSERT INTO t VALUES (2)")
        assert [row[0] for row in await conn.execute_fetchall("SELECT x FROM t")] == [2]
    finally:
        await conn.close()


async def test_transactions_on_one_connection_never_interleave(tmp_path: Path, make_database_url) -> None:
    """Two coroutines sharing the bot's connection: one rolls back, the other's write survives."""
    import asyncio

    conn = await open_url(await make_database_url())
    try:
        await conn.execute("CREATE TABLE t (x INTEGER)")
        inside = asyncio.Event()

        async def failing() -> None:
            with pytest.raises(RuntimeError):
                async with transaction(conn):
                    await conn.execute("INSERT INTO t VALUES (1)")
                    inside.set()
                    await asyncio.sleep(0.01)  # let the other coroutine try to write meanwhile
                    raise RuntimeError("roll back")

        async def writer() -> None:
            await inside.wait()
            async with transaction(conn):  # noqa: SIM117 - the nesting is what this tests
                async with transaction(conn):  # nested: joins the outer one
                    await conn.execute("INSERT INTO t VALUES (2)")

        await asyncio.gather(failing(), writer())
        assert [row[0] for row in await conn.execute_fetchall("SELECT x FROM t")] == [2]
    finally:
        await conn.close()
