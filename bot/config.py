"""Settings read from the environment (and an optional `.env` file), built once in main and passed down."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.domain.shards import Shards

_PROJECT_ROOT = Path(__file__).resolve().parent.parent
SYNCHRONOUS_MODES = ("NORMAL", "FULL")  # SQLite's synchronous modes that keep WAL durable against a crash of the bot


class SettingsError(ValueError):
    """A setting has a value the bot cannot use; the message names the variable."""


# Every environment variable the bot reads (`Settings.from_env`); the README's settings table lists each, and
# compose.yaml may name only these (tests/test_compose.py).
SETTING_NAMES = (
    "DISCORD_TOKEN", "DATABASE_PATH", "DATABASE_URL", "SHARD_COUNT", "SHARD_IDS", "METRICS_PORT", "METRICS_HOST",
    "SQLITE_SYNCHRONOUS", "BANK_DIR", "MIGRATIONS_DIR", "LOG_LEVEL", "DEV_GUILD_ID", "HEARTBEAT_SECONDS",
    "DISCORD_API_URL", "DISCORD_GATEWAY_URL", "SIMULATED_CLOCK",
)


def _default_dir(name: str) -> Path:
    """The project's own folder when run from a checkout, else the current directory's."""
    candidate = _PROJECT_ROOT / name
    return candidate if candidate.is_dir() else Path(name)


@dataclass(frozen=True, slots=True)
class Settings:
    token: str | None
    database_path: Path
    bank_dir: Path
    migrations_dir: Path
    log_level: str
    dev_guild_id: int | None
    heartbeat_seconds: int = 30
    discord_api_url: str | None = None  # a REST proxy in front of Discord (or a test double); None: Discord's own
    discord_gateway_url: str | None = None
    simulated_clock: str | None = None  # drills: START@UNIX_SECONDSxSPEED (bot/clock.py); None: real time
    database_url_setting: str | None = None  # DATABASE_URL; None: SQLite at database_path
    sqlite_synchronous: str = "NORMAL"  # SQLITE_SYNCHRONOUS: NORMAL or FULL (SQLite only)
    metrics_port: int | None = None  # METRICS_PORT: serve Prometheus metrics there; None: off (0: any free port)
    metrics_host: str = "127.0.0.1"  # METRICS_HOST: the address the metrics endpoint listens on

    @property
    def database_url(self) -> str:
        """DATABASE_URL, else `sqlite:///` + DATABASE_PATH (a relative path; an absolute one gives four slashes)."""
        return self.database_url_setting or f"sqlite:///{self.database_path}"

    shard_count: int | None = None  # SHARD_COUNT: Discord shards across every process; None: what Discord advises
    shard_ids: tuple[int, ...] | None = None  # SHARD_IDS: the shards this process runs; None: all of them

    def shards(self) -> Shards:
        """The guilds this process owns in every sweep and job."""
        from bot.domain.shards import Shards

        return Shards(self.shard_count or 1, self.shard_ids if self.shard_count else None)

    def clock(self) -> Clock:
        """The clock the bot runs on: real time, or the simulated timeline that `SIMULATED_CLOCK` names."""
        from bot.clock import SystemClock, parse_simulated_clock

        return parse_simulated_clock(self.simulated_clock) if self.simulated_clock else SystemClock()

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, dotenv: Path | None = None) -> Settings:
        """Read settings; values in the real environment win over those in `.env`."""
        values: dict[str, str] = {}
        if dotenv is not None and dotenv.is_file():
            from dotenv import dotenv_values

            values.update({k: v for k, v in dotenv_values(dotenv).items() if v is not None})
        values.update(os.environ if env is None else env)

        level = values.get("LOG_LEVEL", "INFO").upper()
        if level not in logging.getLevelNamesMapping():
            raise SettingsError(f"LOG_LEVEL={level!r} is not a log level (DEBUG, INFO, WARNING, ERROR)")
        dev_guild = values.get("DEV_GUILD_ID", "").strip()
        if dev_guild and not dev_guild.isdigit():
            raise SettingsError(f"DEV_GUILD_ID={dev_guild!r} must be a numeric guild id")
        heartbeat = values.get("HEARTBEAT_SECONDS", "30").strip()
        if not heartbeat.isdigit() or int(heartbeat) < 1:
            raise SettingsError(f"HEARTBEAT_SECONDS={heartbeat!r} must be a positive whole number")
        urls = {}
        for name in ("DISCORD_API_URL", "DISCORD_GATEWAY_URL"):
            url = values.get(name, "").strip().rstrip("/")
            schemes = ("http://", "https://") if name == "DISCORD_API_URL" else ("ws://", "wss://")
            if url and not url.startswith(schemes):
                raise SettingsError(f"{name}={url!r} must start with {' or '.join(schemes)}")
            urls[name] = url or None
        simulated = values.get("SIMULATED_CLOCK", "").strip() or None
        if simulated:
            from bot.clock import parse_simulated_clock

            try:
                parse_simulated_clock(simulated)
            except ValueError as exc:
                raise SettingsError(f"SIMULATED_CLOCK={simulated!r}: {exc}") from None
        shard_count, shard_ids = _shards(values)
        synchronous = values.get("SQLITE_SYNCHRONOUS", "").strip().upper() or "NORMAL"
        metrics_port = values.get("METRICS_PORT", "").strip()
        if metrics_port and not (metrics_port.isdigit() and 1 <= int(metrics_port) <= 65535):
            raise SettingsError(f"METRICS_PORT={metrics_port!r} must be a port number, 1 to 65535")
        if synchronous not in SYNCHRONOUS_MODES:
            raise SettingsError(f"SQLITE_SYNCHRONOUS={synchronous.lower()!r} must be normal or full")
        return cls(
            token=values.get("DISCORD_TOKEN", "").strip() or None,
            database_path=Path(values.get("DATABASE_PATH") or "data/bot.sqlite3"),
            database_url_setting=values.get("DATABASE_URL", "").strip() or None,
            bank_dir=Path(values.get("BANK_DIR") or _default_dir("questions")),
            migrations_dir=Path(values.get("MIGRATIONS_DIR") or _default_dir("migrations")),
            log_level=level,
            dev_guild_id=int(dev_guild) if dev_guild else None,
            heartbeat_seconds=int(heartbeat),
            discord_api_url=urls["DISCORD_API_URL"],
            discord_gateway_url=urls["DISCORD_GATEWAY_URL"],
            simulated_clock=simulated,
            shard_count=shard_count,
            shard_ids=shard_ids,
            sqlite_synchronous=synchronous,
            metrics_port=int(metrics_port) if metrics_port else None,
            metrics_host=values.get("METRICS_HOST", "").strip() or "127.0.0.1",
        )


def _shards(values: Mapping[str, str]) -> tuple[int | None, tuple[int, ...] | None]:
    """SHARD_COUNT (a positive whole number) and SHARD_IDS (comma-separated, each below the count)."""
    count_text = values.get("SHARD_COUNT", "").strip()
    ids_text = values.get("SHARD_IDS", "").strip()
    if count_text and (not count_text.isdigit() or int(count_text) < 1):
        raise SettingsError(f"SHARD_COUNT={count_text!r} must be a positive whole number")
    count = int(count_text) if count_text else None
    if not ids_text:
        return count, None
    if count is None:
        raise SettingsError("SHARD_IDS needs SHARD_COUNT: the shard of a guild depends on how many there are")
    parts = [part.strip() for part in ids_text.split(",")]
    if not all(part.isdigit() for part in parts):
        raise SettingsError(f"SHARD_IDS={ids_text!r} must be shard numbers separated by commas, like 0,1")
    ids = tuple(sorted({int(part) for part in parts}))
    too_big = [i for i in ids if i >= count]
    if too_big:
        raise SettingsError(f"SHARD_IDS={ids_text!r}: shard {too_big[0]} is not below SHARD_COUNT={count}")
    return count, ids
