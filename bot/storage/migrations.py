"""Numbered plain-SQL migrations, each applied with its version bump in one transaction."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from bot.storage.database import Database

log = logging.getLogger(__name__)
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


class MigrationError(RuntimeError):
    """The migrations folder or the database is not in a state the runner can safely work with."""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    path: Path

    @property
    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def sql_for(self, dialect: str) -> str:
        """The script for one engine: the file itself on SQLite; on PostgreSQL `NNNN_name.postgresql.sql` when it
        exists (for SQLite-only statements), else the file, each through the documented rewrite (translate_ddl)."""
        if dialect == "sqlite":
            return self.sql
        from bot.storage.postgres import translate_ddl

        override = self.path.with_name(f"{self.path.stem}.{dialect}.sql")
        text = override.read_text(encoding="utf-8") if override.exists() else self.sql
        return translate_ddl(text)


def discover(folder: Path) -> list[Migration]:
    """The migrations in `folder`, numbered 1, 2, 3... from their file names; gaps and duplicates are errors."""
    if not folder.is_dir():
        raise MigrationError(f"migrations folder {folder} does not exist")
    found: dict[int, Migration] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix != ".sql" or path.name.endswith(".postgresql.sql"):
            continue  # NNNN_name.postgresql.sql: a dialect override, read by Migration.sql_for
        match = _NAME.match(path.name)
        if not match:
            raise MigrationError(f"{path.name}: a migration is named NNNN_name.sql (e.g. 0002_add_quizzes.sql)")
        version = int(match.group(1))
        if version in found:
            raise MigrationError(f"{path.name}: version {version} is also {found[version].path.name}")
        found[version] = Migration(version, match.group(2), path)
    versions = sorted(found)
    expected = list(range(1, len(versions) + 1))
    if versions != expected:
        missing = sorted(set(range(1, (versions[-1] if versions else 0) + 1)) - set(versions))
        raise MigrationError(f"migration numbers must run 1, 2, 3... without gaps; missing {missing}")
    return [found[v] for v in versions]


async def current_version(db: Database) -> int:
    return await db.schema_version()


async def migrate(db: Database, folder: Path) -> list[Migration]:
    """Apply every pending migration in order. Returns those applied.

    A failing migration is rolled back whole (its statements and its version bump), and the error names it.
    A database whose version is newer than the code's newest migration is refused, never touched.
    """
    migrations = discover(folder)
    version = await current_version(db)
    latest = migrations[-1].version if migrations else 0
    if version > latest:
        raise MigrationError(
            f"the database is at schema version {version} but this code knows only up to {latest}: "
            "it was written by a newer version of the bot; upgrade the bot or restore a backup"
        )
    applied: list[Migration] = []
    for migration in migrations[version:]:
        try:
            done_here = await db.apply_migration(migration.sql_for(db.dialect), migration.version)
        except Exception as exc:
            raise MigrationError(f"migration {migration.path.name} failed and was rolled back: {exc}") from exc
        if done_here:
            log.info("applied migration %s", migration.path.name)
            applied.append(migration)
    return applied
