"""`python -m bot`: the commands an operator runs, as they would run them."""

from __future__ import annotations

import asyncio
import io
import os
import re
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.bank import load_bank
from bot.cli import main

ROOT = Path(__file__).parents[1]


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=full_env,
                          cwd=cwd, timeout=60, check=False)


@pytest.fixture
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "data" / "bot.sqlite3"))
    monkeypatch.setenv("BANK_DIR", str(ROOT / "questions"))
    monkeypatch.setenv("MIGRATIONS_DIR", str(ROOT / "migrations"))
    return tmp_path


def cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(args), out=out)
    return code, out.getvalue()


def test_run_without_a_token_explains_exactly_what_to_do(tmp_path: Path) -> None:
    result = run_cli("run", cwd=tmp_path)
    assert result.returncode != 0
    text = result.stderr
    assert "DISCORD_TOKEN is not set" in text
    assert "https://discord.com/developers/applications" in text
    assert "SERVER MEMBERS INTENT" in text
    assert "scope=bot+applications.commands" in text and "permissions=" in text
    assert "DISCORD_TOKEN=" in text
    assert not (tmp_path / "data").exists(), "nothing is created before there is a token"


def test_token_in_dotenv_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.config import Settings

    (tmp_path / ".env").write_text("DISCORD_TOKEN=abc\nLOG_LEVEL=debug\n", encoding="utf-8")
    settings = Settings.from_env({}, dotenv=tmp_path / ".env")
    assert settings.token == "abc" and settings.log_level == "DEBUG"
    assert Settings.from_env({"DISCORD_TOKEN": "env"}, dotenv=tmp_path / ".env").token == "env"


def test_sync_without_a_token_says_what_it_needs(tmp_path: Path) -> None:
    result = run_cli("sync", cwd=tmp_path)
    assert result.returncode == 2
    assert "python -m bot sync needs DISCORD_TOKEN" in result.stderr


def test_bad_settings_are_named(tmp_path: Path) -> None:
    result = run_cli("bank", "stats", env={"DEV_GUILD_ID": "my-guild"}, cwd=tmp_path)
    assert result.returncode == 2
    assert "DEV_GUILD_ID='my-guild' must be a numeric guild id" in result.stderr


def test_the_discord_addresses_and_the_simulated_clock_are_checked_and_read() -> None:
    from bot.clock import SimulatedClock, SystemClock
    from bot.config import Settings, SettingsError

    with pytest.raises(SettingsError, match="DISCORD_API_URL='localhost:8080' must start with http:// or https://"):
        Settings.from_env({"DISCORD_API_URL": "localhost:8080"})
    with pytest.raises(SettingsError, match="DISCORD_GATEWAY_URL='http://x' must start with ws:// or wss://"):
        Settings.from_env({"DISCORD_GATEWAY_URL": "http://x"})
    with pytest.raises(SettingsError, match="SIMULATED_CLOCK='tomorrow': expected START@UNIX_SECONDSxSPEED"):
        Settings.from_env({"SIMULATED_CLOCK": "tomorrow"})
    with pytest.raises(SettingsError, match="needs a UTC offset"):
        Settings.from_env({"SIMULATED_CLOCK": "2026-11-30T00:00:00@100x60"})
    assert isinstance(Settings.from_env({}).clock(), SystemClock)
    for port in ("http", "0", "70000"):
        with pytest.raises(SettingsError, match=f"METRICS_PORT='{port}' must be a port number, 1 to 65535"):
            Settings.from_env({"METRICS_PORT": port})
    assert Settings.from_env({}).metrics_port is None  # off unless asked
    served = Settings.from_env({"METRICS_PORT": "9108", "METRICS_HOST": "0.0.0.0"})
    assert (served.metrics_port, served.metrics_host) == (9108, "0.0.0.0")
    settings = Settings.from_env({"DISCORD_API_URL": "http://127.0.0.1:9/", "SIMULATED_CLOCK":
                                  "2026-11-30T08:00:00+08:00@1796000000x60"})
    assert settings.discord_api_url == "http://127.0.0.1:9"
    clock = settings.clock()
    assert isinstance(clock, SimulatedClock) and clock.start == datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
    # One real second is a simulated minute; wake-ups map simulated instants back to real ones.
    real = datetime.fromtimestamp(1796000000, UTC)
    assert clock.real_instant(clock.start + timedelta(hours=1)) == real + timedelta(minutes=1)
    assert clock.real_seconds(60) == 1


def test_validate_exits_1_listing_problems(isolated_env: Path) -> None:
    code, out = cli("bank", "validate", str(ROOT / "tests" / "bank" / "faults"))
    assert code == 1
    assert "unknown-key.yaml:10: question 'q-one': anwser: unknown key (did you mean 'answer'?)" in out
    assert "problem(s) found" in out


def test_validate_the_shipped_bank(isolated_env: Path) -> None:
    code, out = cli("bank", "validate")
    assert code == 0, out
    bank = load_bank([ROOT / "questions"]).bank
    assert out.startswith(f"ok: {len(bank)} questions in {len(bank.topics)} topics")


def test_stats_and_show(isolated_env: Path) -> None:
    code, out = cli("bank", "stats")
    assert code == 0
    bank = load_bank([ROOT / "questions"]).bank
    assert "total" in out and str(len(bank)) in out
    assert "difficulty: d1 " in out and "'pick the longest' scores" in out and "follow-ups: " in out
    code, out = cli("bank", "show", "lora-qlora")
    assert code == 0 and "QLoRA" in out
    code, out = cli("bank", "show", "lora-qlor")
    assert code == 1 and "did you mean lora-qlora" in out


def test_migrate_backup_and_health(isolated_env: Path) -> None:
    db = isolated_env / "data" / "bot.sqlite3"
    code, out = cli("health")
    assert code == 1 and "no SQLite database at" in out and not db.exists()  # the check creates nothing
    code, out = cli("db", "migrate")
    assert code == 0 and "schema version" in out and "0001_initial.sql" in out
    code, out = cli("health")
    assert code == 1 and "the bot has not written a heartbeat" in out

    def beat(at: datetime) -> None:
        with sqlite3.connect(db) as conn:
            conn.execute("INSERT OR REPLACE INTO shard_heartbeats (shard_count, shard_id, beat_at, host, pid, version)"
                         " VALUES (1, 0, ?, 'box', 1, 'x')", (at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),))

    beat(datetime.now(UTC) - timedelta(minutes=10))
    code, out = cli("health")
    assert code == 1 and re.search(r"the bot: last heartbeat 60\d s ago \(limit 90 s\), from box pid 1", out), out
    beat(datetime.now(UTC))
    code, out = cli("health")
    assert code == 0 and out.startswith("healthy")

    code, out = cli("db", "backup", str(isolated_env / "backup.sqlite3"))
    assert code == 0
    with sqlite3.connect(isolated_env / "backup.sqlite3") as copy:
        assert copy.execute("PRAGMA user_version").fetchone()[0] >= 1
        assert copy.execute("SELECT count(*) FROM shard_heartbeats").fetchone()[0] == 1


async def test_health_covers_the_shards_of_its_process_on_either_engine(
    isolated_env: Path, database_url: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot.clock import iso
    from bot.domain.shards import Shards
    from bot.storage.database import transaction
    from bot.storage.engines import open_url
    from bot.storage.heartbeat import beat

    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SHARD_COUNT", "4")
    monkeypatch.setenv("SHARD_IDS", "1,3")
    db = await open_url(database_url)
    try:  # shard 1 connected now, shard 3 not; shard 2 (another process's) is stale, which is none of ours
        async with transaction(db):
            await beat(db, datetime.now(UTC), Shards(4, (1, 3)), connected={1})
            await db.execute("INSERT INTO shard_heartbeats (shard_count, shard_id, beat_at, host, pid, version) "
                             "VALUES (4, 2, ?, 'elsewhere', 7, 'x')", (iso(datetime.now(UTC) - timedelta(hours=1)),))
        code, out = await asyncio.to_thread(cli, "health")
        assert code == 1 and "shard 3 of 4 has not written a heartbeat" in out and "shard 2" not in out
        async with transaction(db):
            await beat(db, datetime.now(UTC), Shards(4, (1, 3)), connected={1, 3})
        code, out = await asyncio.to_thread(cli, "health")
        assert code == 0 and "shard 1 of 4: last heartbeat 0 s ago" in out and "shard 3 of 4" in out
    finally:
        await db.close()


def test_backup_of_a_missing_database_fails_clearly(isolated_env: Path) -> None:
    code, out = cli("db", "backup", str(isolated_env / "b.sqlite3"))
    assert code == 1 and "no database at" in out


def test_debug_logging_never_turns_on_discords_payload_logs(isolated_env: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """discord.py logs whole gateway events (members' answers) at DEBUG: the bot's DEBUG must not include them."""
    import logging

    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    code, _out = cli("bank", "stats")
    assert code == 0
    assert logging.getLogger("discord").getEffectiveLevel() == logging.INFO
    assert logging.getLogger("aiosqlite").getEffectiveLevel() == logging.INFO  # it logs every statement's values


# -- DATABASE_URL faults, through the CLI as an operator meets them -------------------------------------------------
def _database_env(url: str) -> dict[str, str]:
    return {"DATABASE_URL": url, "DISCORD_TOKEN": "x.y.z", "MIGRATIONS_DIR": str(ROOT / "migrations"),
            "BANK_DIR": str(ROOT / "questions"), "DISCORD_API_URL": "http://127.0.0.1:1/api",
            "DISCORD_GATEWAY_URL": "ws://127.0.0.1:1/gateway"}


def _bad_urls(admin_url: str) -> list[tuple[str, str]]:
    from pg_server import database_url

    host_part = admin_url.split("://", 1)[1].split("@", 1)[1].split("/", 1)[0]
    return [
        ("postgresql://bot@127.0.0.1:1/bot", "host unreachable at postgresql://bot@127.0.0.1:1/bot"),
        (f"postgresql://nobody_here@{host_part}/postgres", "authentication failed for postgresql://nobody_here@"),
        (database_url(admin_url, "no_such_database"), "database does not exist"),
        ("mysql://bot@localhost/bot", "unknown database URL scheme 'mysql'"),
    ]


@pytest.mark.parametrize("command", [("run",), ("db", "migrate")])
def test_a_wrong_database_url_is_one_line_naming_what_failed(tmp_path: Path, pg_admin_url: str,
                                                             command: tuple[str, ...]) -> None:
    for url, expected in _bad_urls(pg_admin_url):
        done = run_cli(*command, env=_database_env(url), cwd=tmp_path)
        said = (done.stdout + done.stderr).strip()
        assert done.returncode == 1, (url, said)
        assert said.count("\n") == 0 and said.startswith("database unavailable: ") and expected in said, said


@pytest.mark.parametrize("engine_name", ["sqlite", "postgresql"])
def test_run_and_migrate_refuse_a_database_newer_than_the_code(tmp_path: Path, engine_name: str,
                                                               request: pytest.FixtureRequest) -> None:
    import asyncio

    from bot.storage.engines import open_url

    if engine_name == "sqlite":
        url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    else:
        from pg_server import create_database

        admin = request.getfixturevalue("pg_admin_url")
        url = asyncio.run(create_database(admin, f"newer_{os.getpid()}", None))

    async def written_by_a_newer_bot() -> None:
        db = await open_url(url)
        try:
            await db.apply_migration("SELECT 1", 999)
        finally:
            await db.close()

    asyncio.run(written_by_a_newer_bot())
    for command in (("run",), ("db", "migrate")):
        done = run_cli(*command, env=_database_env(url), cwd=tmp_path)
        said = (done.stdout + done.stderr).strip()
        assert done.returncode == 1 and "schema version 999 but this code knows only up to" in said, said
