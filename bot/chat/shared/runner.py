"""The skeleton every feature's runner shares: a lock, a periodic sweep, one-shot jobs armed from the database,
and a catch-up at start.

The database is the source of truth. APScheduler (`bot.wakeups`) only wakes the bot: a sweep every
`sweep_seconds` (job `<name>:sweep`) as a backstop, plus the one-shot jobs `wanted` returns (ids under `prefixes`),
which `arm` keeps in step after every sweep. Every sweep asks its service what is due, so a missed, doubled or
post-restart wake-up changes nothing. A subclass says what is due (`run`) and, if it has one-shot jobs, when
(`wanted`); the rest is here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from bot import metrics
from bot.wakeups import keep_in_step

if TYPE_CHECKING:
    from bot.chat.client import StudyBot

log = logging.getLogger(__name__)
T = TypeVar("T")


class Runner:
    name: ClassVar[str]  # the feature's job-id prefix: "<name>:sweep"
    sweep_seconds: ClassVar[float]
    prefixes: ClassVar[tuple[str, ...]] = ()  # the one-shot job ids this runner owns
    sweep_id: ClassVar[str | None] = None  # the periodic job's id, if not "<name>:sweep"

    def __init__(self, bot: StudyBot, service: Any) -> None:
        self.bot = bot
        self.service = service  # the feature's service this runner asks what is due
        self.lock = asyncio.Lock()  # one sweep at a time
        self.catch_up: asyncio.Task[None] | None = None
        self._prepared = False
        self.swept_at: datetime | None = None  # the instant the last sweep looked at

    @property
    def sweep_job(self) -> str:
        return self.sweep_id or f"{self.name}:sweep"

    async def start(self) -> None:
        """Register the sweep, arm the one-shot jobs, and start the catch-up (what came due while the bot was
        down; it waits for the gateway)."""
        self.bot.wakeups.every(self.sweep_job, self.sweep_seconds, self.sweep)
        await self.arm()
        self.catch_up = asyncio.create_task(self.catch_up_work(), name=f"{self.name}-catch-up")

    async def stop(self) -> None:
        if self.catch_up is not None and not self.catch_up.done():
            self.catch_up.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.catch_up
        self.bot.wakeups.cancel(self.sweep_job)
        for prefix in self.prefixes:
            for job_id in self.bot.wakeups.armed(prefix):
                self.bot.wakeups.cancel(job_id)

    async def catch_up_work(self) -> None:
        await self.sweep()

    async def prepare(self) -> None:
        """Runs once, inside the first sweep (whichever wake-up comes first: the catch-up or an overdue job),
        before anything is done: for what the first sweep must find done."""

    async def wanted(self, now: datetime) -> dict[str, datetime]:
        """The one-shot wake-ups the database asks for now, by job id (ids under `prefixes`)."""
        return {}

    def earliest(self, job_id: str, instants: Iterable[datetime]) -> dict[str, datetime]:
        """`wanted` for a runner with one wake-up, `job_id`, at the earliest of `instants` (none: no wake-up)."""
        ahead = list(instants)
        return {job_id: min(ahead)} if ahead else {}

    def bring_forward(self, job_id: str, when: datetime) -> None:
        """Move the one wake-up `job_id` to `when` if that comes before the instant it is armed at (or it is not
        armed): what a change to one server's settings does, whatever the number of servers."""
        armed = self.bot.wakeups.armed(job_id).get(job_id)
        if armed is None or when < armed:
            self.bot.wakeups.at(job_id, when, self.sweep)

    async def arm(self) -> None:
        """Keep the one-shot wake-ups in step with `wanted`, asked as of the instant the last sweep looked at (not
        now): an instant that came while that sweep ran is armed too, in the past, so it fires at once."""
        if self.prefixes:
            since = self.swept_at or self.bot.clock.now()
            keep_in_step(self.bot.wakeups, self.prefixes, await self.wanted(since), self.sweep)

    async def sweep(self) -> None:
        """Do what is due. Waits for the gateway first: a job armed at start-up may fire before the guilds (and
        names) are known. Re-arms afterwards, unless the bot is closing (a sweep cancelled by the shutdown leaves
        the jobs alone)."""
        await self.bot.wait_until_ready()
        try:
            async with self.lock:
                if not self._prepared:
                    await self.prepare()
                    self._prepared = True
                started = time.perf_counter()
                self.swept_at = self.bot.clock.now()
                try:
                    await self.run(self.swept_at)
                finally:
                    self.bot.metrics.sweep_seconds.labels(self.name).observe(time.perf_counter() - started)
        finally:
            if not self.bot.is_closed():
                await self.arm()

    async def run(self, now: datetime) -> None:
        raise NotImplementedError

    async def each(self, items: Iterable[T], action: Callable[[T], Awaitable[object]],
                   describe: Callable[[T], str]) -> None:
        """`action` on every item in turn; one item's failure is logged and never stops the others."""
        for item in items:
            try:
                await action(item)
            except Exception:
                self.bot.metrics.failures.labels(metrics.ERROR).inc()
                log.exception("%s: %s failed", self.name, describe(item))
