"""What a database holds, read from the database itself (sqlite_master / pg_catalog): its tables, their columns,
primary keys, foreign keys and identity columns. `db copy` works from this, so a new migration's table is never
forgotten. The migration bookkeeping (SQLite's `PRAGMA user_version`, PostgreSQL's `schema_version` table) and
SQLite's own `sqlite_*` tables are not user tables."""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.database import Database, fetch_all

BOOKKEEPING = frozenset({"schema_version"})


class CatalogError(RuntimeError):
    """The schema cannot be copied as it is (a foreign-key cycle); the message is one line."""


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: tuple[str, ...]
    primary_key: tuple[str, ...]  # empty: no primary key (rows are then ordered by every column)
    text_columns: frozenset[str]
    references: frozenset[str]  # the other tables its foreign keys point to
    identity: str | None = None  # PostgreSQL: the column whose sequence new ids come from

    @property
    def order(self) -> tuple[str, ...]:
        return self.primary_key or self.columns


def quote(name: str) -> str:
    """A quoted identifier, the same on both engines."""
    return '"' + name.replace('"', '""') + '"'


async def _sqlite_tables(db: Database) -> list[Table]:
    names = [r[0] for r in await fetch_all(
        db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
            "ORDER BY name")]
    tables = []
    for name in names:
        if name in BOOKKEEPING:
            continue
        info = await fetch_all(db, f"PRAGMA table_info({quote(name)})")
        columns = tuple(r["name"] for r in info)
        key = tuple(r["name"] for r in sorted((r for r in info if r["pk"]), key=lambda r: r["pk"]))
        text = frozenset(r["name"] for r in info if "CHAR" in r["type"].upper() or "TEXT" in r["type"].upper()
                         or "CLOB" in r["type"].upper())
        refs = frozenset(r["table"] for r in await fetch_all(db, f"PRAGMA foreign_key_list({quote(name)})")
                         if r["table"] != name)
        tables.append(Table(name, columns, key, text, refs))
    return tables


async def _postgres_tables(db: Database) -> list[Table]:
    rows = await fetch_all(
        db, "SELECT c.relname AS table_name, a.attname AS column_name, a.attnum AS position, "
            "t.typcategory = 'S' AS is_text, a.attidentity <> '' AS is_identity, "
            "coalesce((SELECT k.n FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n) "
            "WHERE k.attnum = a.attnum), 0) AS key_position "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
            "JOIN pg_type t ON t.oid = a.atttypid "
            "LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() "
            "ORDER BY c.relname, a.attnum")
    fks = await fetch_all(
        db, "SELECT c.conrelid::regclass::text AS source, c.confrelid::regclass::text AS target "
            "FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
            "WHERE c.contype = 'f' AND n.nspname = current_schema()")
    by_table: dict[str, list] = {}
    for row in rows:
        by_table.setdefault(row["table_name"], []).append(row)
    refs: dict[str, set[str]] = {}
    for fk in fks:
        source, target = fk["source"].strip('"'), fk["target"].strip('"')
        if source != target:
            refs.setdefault(source, set()).add(target)
    tables = []
    for name, cols in sorted(by_table.items()):
        if name in BOOKKEEPING:
            continue
        key = tuple(r["column_name"] for r in sorted((r for r in cols if r["key_position"]),
                                                     key=lambda r: r["key_position"]))
        identity = next((r["column_name"] for r in cols if r["is_identity"]), None)
        tables.append(Table(name, tuple(r["column_name"] for r in cols), key,
                            frozenset(r["column_name"] for r in cols if r["is_text"]),
                            frozenset(refs.get(name, ())), identity))
    return tables


async def user_tables(db: Database) -> list[Table]:
    """Every user table, by name."""
    if db.dialect == "sqlite":
        return await _sqlite_tables(db)
    return await _postgres_tables(db)


def dependency_order(tables: list[Table]) -> list[Table]:
    """Parents before the tables whose foreign keys point at them (by name among equals); a cycle is an error."""
    by_name = {t.name: t for t in tables}
    done: list[Table] = []
    placed: set[str] = set()
    waiting = sorted(by_name)
    while waiting:
        ready = [n for n in waiting if all(r in placed or r not in by_name for r in by_name[n].references)]
        if not ready:
            raise CatalogError(f"foreign keys form a cycle among {', '.join(waiting)}: no order to copy them in")
        for name in ready:
            done.append(by_name[name])
            placed.add(name)
        waiting = [n for n in waiting if n not in placed]
    return done
