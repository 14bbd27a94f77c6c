"""The bot as an operator runs it: `python -m bot run` in its own process, pointed at the Discord double on
loopback, on a simulated clock that every restart shares (a day passes in a minute or two)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from discord_double import DiscordDouble
from study_bot import ROOT


def simulated_clock(start: datetime, speed: float) -> str:
    """The `SIMULATED_CLOCK` value that shows `start` now and runs `speed` times faster than real time."""
    return f"{start.astimezone(UTC).isoformat()}@{time.time():.3f}x{speed:g}"


class BotProcess:
    """Start, kill and stop the real bot; each start appends to one log file (`log_text()`).

    `shards=(ids, count)` runs it as one of several shard processes (SHARD_IDS, SHARD_COUNT); `database_url`
    points it at PostgreSQL (else SQLite at tmp_path/bot.sqlite3); `env` adds settings.
    """

    def __init__(self, double: DiscordDouble, tmp_path: Path, clock: str, *,
                 shards: tuple[tuple[int, ...], int] | None = None, database_url: str | None = None,
                 name: str = "bot", env: dict[str, str] | None = None) -> None:
        self.double = double
        self.log_path = tmp_path / f"{name}.log"
        self.env = {
            **os.environ,
            "DISCORD_TOKEN": double.token,
            "DATABASE_PATH": str(tmp_path / "bot.sqlite3"),
            "DISCORD_API_URL": double.base_url,
            "DISCORD_GATEWAY_URL": double.gateway_url,
            "SIMULATED_CLOCK": clock,
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        for unset in ("DATABASE_URL", "SHARD_COUNT", "SHARD_IDS"):  # none leaks in from the test's environment
            self.env.pop(unset, None)
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.shard_ids: tuple[int, ...] = (0,)  # one process: Discord advises one shard for the double's few guilds
        if shards is not None:
            self.shard_ids = shards[0]
            self.env |= {"SHARD_IDS": ",".join(map(str, shards[0])), "SHARD_COUNT": str(shards[1])}
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.returncode is None

    async def start(self) -> None:
        """Spawn the process (it may still be starting up when this returns)."""
        assert not self.running, "the bot is already running"
        self.starts += 1
        with self.log_path.open("a", encoding="utf-8") as log:
            log.write(f"\n===== start {self.starts} =====\n")
        log = self.log_path.open("ab")
        self.identified = self._identifies()
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=ROOT, env=self.env, stdout=log, stderr=log,
        )
        log.close()

    async def ready(self, timeout: float = 30.0) -> None:
        """Wait until this start has identified on the gateway (the bot receives members' events from then)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not (self._identifies() >= self.identified + len(self.shard_ids)
                   and self.double.shards_connected(self.shard_ids)):
            if not self.running:
                raise RuntimeError(f"the bot exited with {self.process.returncode}:\n{self.log_tail()}")
            if loop.time() > deadline:
                raise TimeoutError(f"the bot did not connect within {timeout} s:\n{self.log_tail()}")
            await asyncio.sleep(0.02)

    async def kill(self) -> None:
        """SIGKILL: the process stops wherever it is, with no chance to clean up."""
        if self.running:
            self.process.kill()
        if self.process is not None:
            await self.process.wait()
        await self._disconnected()

    async def terminate(self, timeout: float = 30.0) -> int:
        """SIGTERM, as Docker and systemd stop the bot; returns the exit code."""
        assert self.process is not None
        if self.running:
            self.process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(self.process.wait(), timeout)
        await self._disconnected()
        return code

    async def _disconnected(self) -> None:
        """Until the double has seen the socket close (events sent before that would reach nobody anyway)."""
        for _ in range(200):
            if not self.double.gateway.live_shards() & set(self.shard_ids):
                return
            await asyncio.sleep(0.01)

    def _identifies(self) -> int:
        """How many times this process's shards have identified on the gateway."""
        return sum((data.get("shard") or [0])[0] in self.shard_ids for data in self.double.gateway.identifies)

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])
