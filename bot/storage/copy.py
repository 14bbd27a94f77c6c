"""`db copy`: a bot's whole database from one engine to another (SQLite ⇄ PostgreSQL, or SQLite → SQLite).

The source must be at the schema version this code knows; the target is migrated to it and must hold no user row.
Every table the source's catalog lists is copied in foreign-key order, in batches, inside ONE transaction on the
target; ids are kept and PostgreSQL's identity sequences are moved past them. Before the commit each table is
verified: row count and a checksum computed the same way on both engines (`row_digest`). Any mismatch or error
rolls the whole copy back, so the target is either a verified copy or as empty as it was.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.storage.catalog import Table, dependency_order, quote, user_tables
from bot.storage.database import Database, fetch_all, fetch_one
from bot.storage.migrations import MigrationError, current_version, discover, migrate

BATCH_ROWS = 2000


class CopyError(RuntimeError):
    """The copy was refused or failed; the message is one line, and the target was left as it was."""


@dataclass(frozen=True, slots=True)
class TableCheck:
    table: str
    source_rows: int
    target_rows: int
    source_sum: str
    target_sum: str

    @property
    def ok(self) -> bool:
        return self.source_rows == self.target_rows and self.source_sum == self.target_sum


@dataclass(frozen=True, slots=True)
class CopyReport:
    version: int
    checks: list[TableCheck]
    seconds: float

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def rows(self) -> int:
        return sum(check.source_rows for check in self.checks)


def normalise(value: Any) -> bytes:
    """One value as the checksum sees it, whichever driver returned it: integers and booleans as integers, floats
    by repr, text as UTF-8, bytes as hex, NULL as its own mark. Each carries a type tag and a length, so no two
    different rows can hash alike by their values running into each other."""
    if value is None:
        return b"N;"
    if isinstance(value, bool):
        text, tag = str(int(value)), "i"
    elif isinstance(value, int):
        text, tag = str(value), "i"
    elif isinstance(value, float):
        text, tag = repr(value), "f"
    elif isinstance(value, str):
        text, tag = value, "s"
    elif isinstance(value, bytes | bytearray | memoryview):
        text, tag = bytes(value).hex(), "b"
    else:
        text, tag = str(value), "o"
    data = text.encode("utf-8")
    return f"{tag}{len(data)}:".encode() + data + b";"


class RowDigest:
    """A running (row count, sha256) over rows fed in order (the callers feed primary-key order)."""

    def __init__(self) -> None:
        self._sha = hashlib.sha256()
        self.count = 0

    def add(self, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            self.count += 1
            self._sha.update(b"".join(normalise(v) for v in row) + b"\n")

    @property
    def hexdigest(self) -> str:
        return self._sha.hexdigest()


def row_digest(rows: Iterable[Sequence[Any]]) -> tuple[int, str]:
    """(row count, sha256 hex) of rows in the order given."""
    digest = RowDigest()
    digest.add(rows)
    return digest.count, digest.hexdigest


def _key_sql(db: Database, table: Table, column: str) -> str:
    """A key column as ordered and compared: on PostgreSQL text sorts bytewise (COLLATE "C"), as SQLite's BINARY
    does, so both engines hand rows over in the same order whatever the database's collation."""
    if db.dialect == "postgresql" and column in table.text_columns:
        return f'{quote(column)} COLLATE "C"'
    return quote(column)


async def table_batches(db: Database, table: Table, columns: Sequence[str] | None = None,
                        size: int = BATCH_ROWS) -> AsyncIterator[list[tuple[Any, ...]]]:
    """The table's rows in primary-key order, `size` at a time: each batch starts after the last key of the one
    before (keyset paging, so no batch rescans the rows before it). A table without a primary key is read whole."""
    columns = tuple(columns or table.columns)
    keys = table.primary_key
    if keys and not set(keys) <= set(columns):
        columns = (*columns, *[k for k in keys if k not in columns])
    order = ", ".join(_key_sql(db, table, c) for c in table.order)
    select = f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table.name)}"
    if not keys:
        rows = [tuple(r) for r in await fetch_all(db, f"{select} ORDER BY {order}")]
        if rows:
            yield rows
        return
    positions = [columns.index(k) for k in keys]
    after = f"WHERE ({order}) > ({', '.join('?' for _ in keys)})"
    last: tuple[Any, ...] | None = None
    while True:
        sql = f"{select} {after if last is not None else ''} ORDER BY {order} LIMIT {int(size)}"
        rows = [tuple(r) for r in await fetch_all(db, sql, last or ())]
        if not rows:
            return
        yield rows
        if len(rows) < size:
            return
        last = tuple(rows[-1][i] for i in positions)


async def checksum(db: Database, table: Table, columns: Sequence[str] | None = None) -> tuple[int, str]:
    """(row count, sha256) of a table, over `columns` (default: all) in primary-key order."""
    wanted = tuple(columns or table.columns)
    digest = RowDigest()
    async for rows in table_batches(db, table, wanted):
        digest.add(row[:len(wanted)] for row in rows)
    return digest.count, digest.hexdigest


async def occupied_tables(db: Database) -> list[str]:
    """The user tables holding at least one row."""
    found = []
    for table in await user_tables(db):
        if await fetch_one(db, f"SELECT 1 FROM {quote(table.name)} LIMIT 1") is not None:
            found.append(table.name)
    return found


async def _reset_identity(db: Database, table: Table) -> None:
    """Move the identity sequence past the copied ids, so the next insert gets a fresh one."""
    if db.dialect != "postgresql" or table.identity is None:
        return
    column = quote(table.identity)
    await fetch_all(
        db, f"SELECT setval(pg_get_serial_sequence(?, ?), coalesce(max({column}), 0) + 1, false) "
            f"FROM {quote(table.name)}", (quote(table.name), table.identity))


async def check_source(db: Database, migrations: Path) -> int:
    """The source's schema version, which must be the newest this code knows (neither behind nor ahead)."""
    latest = max((m.version for m in discover(migrations)), default=0)
    version = await current_version(db)
    if version > latest:
        raise CopyError(f"the source is at schema version {version} but this code knows only up to {latest}: "
                        "upgrade the bot before copying")
    if version < latest:
        raise CopyError(f"the source is at schema version {version}, not {latest}: run `python -m bot db migrate` "
                        "on it first (DATABASE_URL=SOURCE_URL), then copy")
    return version


async def copy_database(source: Database, target: Database, migrations: Path,
                        progress: Callable[[str], None] = lambda _line: None) -> CopyReport:
    """Copy every user table of `source` into the empty `target`, verified, all or nothing (see the module)."""
    started = time.perf_counter()
    version = await check_source(source, migrations)
    occupied = await occupied_tables(target)  # before migrating it: a database in use is never touched
    if occupied:
        raise CopyError(f"the target is not empty ({', '.join(occupied[:5])}{' …' if len(occupied) > 5 else ''} "
                        "hold rows): copy into a new, empty database")
    try:
        await migrate(target, migrations)
    except MigrationError as error:
        raise CopyError(f"the target could not be migrated: {error}") from error
    target_version = await current_version(target)
    if target_version != version:
        raise CopyError(f"the target is at schema version {target_version}, the source at {version}")

    tables = dependency_order(await user_tables(source))
    target_tables = {t.name: t for t in await user_tables(target)}
    missing = [t.name for t in tables if t.name not in target_tables]
    extra = sorted(set(target_tables) - {t.name for t in tables})
    if missing or extra:
        raise CopyError(f"the schemas differ at the same version: only in the source {missing or '-'}, "
                        f"only in the target {extra or '-'}")
    for table in tables:
        absent = set(table.columns) - set(target_tables[table.name].columns)
        if absent:
            raise CopyError(f"table {table.name}: the target has no column {', '.join(sorted(absent))}")

    checks: list[TableCheck] = []
    async with source.transaction(immediate=False):  # one consistent snapshot of the source
        if source.dialect == "postgresql":
            await source.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        async with target.transaction():
            for table in tables:
                table_started = time.perf_counter()
                insert = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in table.columns)}) "
                          f"VALUES ({', '.join('?' for _ in table.columns)})")
                digest = RowDigest()
                async for rows in table_batches(source, table):
                    try:
                        await target.executemany(insert, rows)
                    except Exception as error:  # a value or key the target's types or constraints refuse
                        raise CopyError(f"table {table.name}: the target refused a row ({type(error).__name__}: "
                                        f"{' '.join(str(error).split())}); the copy was rolled back") from error
                    digest.add(rows)
                await _reset_identity(target, target_tables[table.name])
                source_rows, source_sum = digest.count, digest.hexdigest
                target_rows, target_sum = await checksum(target, target_tables[table.name], table.columns)
                checks.append(TableCheck(table.name, source_rows, target_rows, source_sum, target_sum))
                progress(f"copied {table.name}: {source_rows} rows in {time.perf_counter() - table_started:.2f} s"
                         + ("" if checks[-1].ok else " — MISMATCH"))
            report = CopyReport(version, checks, time.perf_counter() - started)
            if not report.ok:
                raise VerificationFailed(report)
    return CopyReport(version, checks, time.perf_counter() - started)


class VerificationFailed(CopyError):
    """A table's count or checksum differed after the copy; the copy was rolled back."""

    def __init__(self, report: CopyReport) -> None:
        bad = [c.table for c in report.checks if not c.ok]
        super().__init__(f"verification failed for {', '.join(bad)}: the copy was rolled back, the target is empty")
        self.report = report


def verification_table(report: CopyReport) -> list[str]:
    """The per-table verification as printed: rows on each side and the first 16 hex digits of each checksum."""
    width = max([len("table"), *(len(c.table) for c in report.checks)])
    lines = [f"{'table':<{width}}  {'source rows':>11}  {'target rows':>11}  {'source sha256':<16}  "
             f"{'target sha256':<16}  check"]
    for c in report.checks:
        lines.append(f"{c.table:<{width}}  {c.source_rows:>11}  {c.target_rows:>11}  {c.source_sum[:16]:<16}  "
                     f"{c.target_sum[:16]:<16}  {'ok' if c.ok else 'MISMATCH'}")
    return lines
