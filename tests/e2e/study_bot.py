"""Starting the project's real bot against the Discord double, with a clock the test controls."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from clock import FakeClock, FakeWakeups

from bot.chat.client import StudyBot
from bot.config import Settings

ROOT = Path(__file__).parents[2]


# The DATABASE_URL a test's bot uses, by the test's tmp_path (the `on_each_engine` fixture of tests/e2e/conftest.py
# sets it); a test without one uses SQLite at tmp_path/bot.sqlite3.
DATABASE_URLS: dict[Path, str] = {}


def settings_for(tmp_path: Path) -> Settings:
    return Settings(
        token=None, database_path=tmp_path / "bot.sqlite3", bank_dir=ROOT / "questions",
        migrations_dir=ROOT / "migrations", log_level="INFO", dev_guild_id=None, heartbeat_seconds=30,
        database_url_setting=DATABASE_URLS.get(tmp_path),
    )


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def study_bot_factory(tmp_path: Path, clock: FakeClock, **settings_changes: object) -> Callable[..., StudyBot]:
    """`double.running(factory)` builds a fresh StudyBot over the same database file each time (a restart).

    Its wake-ups run on the test's clock: setting the clock fires what is due, whatever today's date is.
    `settings_changes` replace fields of the test settings (`dev_guild_id=...`).
    """
    settings = replace(settings_for(tmp_path), **settings_changes)

    def build(**options: object) -> StudyBot:
        return StudyBot(settings, clock=clock, wakeups=FakeWakeups(clock), **options)

    return build
