"""Wake-ups: the one interface through which the bot asks to be woken at an instant or at an interval.

Decisions are never made here: a wake-up only calls a sweep, and every sweep reads the injected clock and the
database for what is due. Production uses APScheduler (`SchedulerWakeups`, real time); tests drive a fake from
the same clock they control (`tests/clock.py`), so setting the clock fires what is due and the suite passes on
any date. Jobs that are running when the bot closes get a bounded time to finish before they are cancelled.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import Protocol

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger

log = logging.getLogger(__name__)
Job = Callable[[], Awaitable[None]]
CLOSE_GRACE_SECONDS = 10.0


class Wakeups(Protocol):
    def start(self) -> None:
        """Begin firing (jobs may be registered before)."""

    def every(self, job_id: str, seconds: float, func: Job) -> None:
        """Call `func` every `seconds`; never two runs of one job at once; missed runs coalesce into one."""

    def at(self, job_id: str, when: datetime, func: Job) -> None:
        """Call `func` once at `when` (at once if it has passed). Arming an id again moves it; the same instant
        again changes nothing, and neither does an instant that this id has already fired for (so an overdue
        item that a sweep could not finish waits for the next periodic sweep instead of firing in a loop)."""

    def cancel(self, job_id: str) -> None:
        """Forget the job (no error if there is none)."""

    def armed(self, prefix: str = "") -> dict[str, datetime]:
        """The one-shot wake-ups still to fire, by id, with their instants (UTC)."""

    def has(self, job_id: str) -> bool:
        """Whether a wake-up (one-shot or interval) with this id is registered."""

    async def close(self, grace: float = CLOSE_GRACE_SECONDS) -> None:
        """Stop firing; let running jobs finish for up to `grace` seconds, then cancel them."""


class RunningJobs:
    """The tasks of jobs that are running now, so that a close can wait for them, then cancel what is left."""

    def __init__(self) -> None:
        self.tasks: set[asyncio.Task[None]] = set()

    def wrap(self, job_id: str, func: Job) -> Job:
        async def run() -> None:
            task = asyncio.current_task()
            if task is not None:
                self.tasks.add(task)
            try:
                await func()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("wake-up %s failed", job_id)
            finally:
                if task is not None:
                    self.tasks.discard(task)
        return run

    async def drain(self, grace: float) -> None:
        current = asyncio.current_task()
        pending = {t for t in self.tasks if t is not current and not t.done()}
        if not pending:
            return
        _done, late = await asyncio.wait(pending, timeout=grace)
        for task in late:
            log.warning("wake-up still running after %.0f s at shutdown; cancelling it", grace)
            task.cancel()
        if late:
            await asyncio.gather(*late, return_exceptions=True)


class _SkippedWhileRunning(logging.Filter):
    """A periodic job still running when its next run comes is skipped, by design (`every`: never two runs at
    once, missed runs coalesce). APScheduler warns about each skip; under load that was a line every interval."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances reached" not in record.getMessage()


SKIPPED_WHILE_RUNNING = _SkippedWhileRunning()


class SchedulerWakeups:
    """APScheduler's in-memory AsyncIOScheduler on real time. Its per-job INFO lines are kept out of the log.

    Instants are the bot clock's; a simulated clock (`bot.clock.SimulatedClock`) maps them to real time.
    """

    def __init__(self, clock: object | None = None) -> None:
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        self.running = RunningJobs()
        self.fired: dict[str, datetime] = {}  # the instant each one-shot id last fired for
        self.instants: dict[str, datetime] = {}  # each pending one-shot id's instant, on the bot's clock
        self._real = getattr(clock, "real_instant", lambda instant: instant)
        self._seconds = getattr(clock, "real_seconds", lambda seconds: seconds)
        logging.getLogger("apscheduler").setLevel(max(logging.WARNING, logging.getLogger().level))
        logging.getLogger("apscheduler.scheduler").addFilter(SKIPPED_WHILE_RUNNING)  # the same filter only once

    def start(self) -> None:
        if not self.scheduler.running:
            self.scheduler.start()

    def every(self, job_id: str, seconds: float, func: Job) -> None:
        self.scheduler.add_job(self.running.wrap(job_id, func), "interval", seconds=self._seconds(seconds), id=job_id,
                               replace_existing=True, coalesce=True, max_instances=1, misfire_grace_time=None)

    def at(self, job_id: str, when: datetime, func: Job) -> None:
        when = when.astimezone(UTC)
        job = self.scheduler.get_job(job_id)
        if job is not None and self.instants.get(job_id) == when:
            return
        if job is None and self.fired.get(job_id) == when:
            return
        run = self.running.wrap(job_id, func)

        async def once() -> None:
            self.fired[job_id] = when
            self.instants.pop(job_id, None)
            await run()

        self.instants[job_id] = when
        # misfire_grace_time=None: a wake-up that fires late still runs (APScheduler's default drops it after 1 s).
        self.scheduler.add_job(once, "date", run_date=self._real(when), id=job_id,
                               replace_existing=True, misfire_grace_time=None, coalesce=True)

    def cancel(self, job_id: str) -> None:
        self.fired.pop(job_id, None)
        self.instants.pop(job_id, None)
        with contextlib.suppress(JobLookupError):
            self.scheduler.remove_job(job_id)

    def armed(self, prefix: str = "") -> dict[str, datetime]:
        return {job.id: self.instants[job.id] for job in self.scheduler.get_jobs()
                if job.id.startswith(prefix) and isinstance(job.trigger, DateTrigger)
                and job.next_run_time is not None and job.id in self.instants}

    def has(self, job_id: str) -> bool:
        return self.scheduler.get_job(job_id) is not None

    async def close(self, grace: float = CLOSE_GRACE_SECONDS) -> None:
        if not self.scheduler.running:
            return
        self.scheduler.pause()  # nothing new fires; APScheduler's shutdown would cancel the running ones
        await self.running.drain(grace)
        self.scheduler.shutdown(wait=False)


def keep_in_step(wakeups: Wakeups, prefixes: tuple[str, ...], wanted: Mapping[str, datetime], func: Job) -> None:
    """One wake-up per wanted id at its instant; ids under `prefixes` no longer wanted are cancelled.

    Only what changed is touched: a wake-up already armed at the same instant is left alone.
    """
    for prefix in prefixes:
        for job_id in wakeups.armed(prefix):
            if job_id not in wanted:
                wakeups.cancel(job_id)
    for job_id, when in wanted.items():
        wakeups.at(job_id, when, func)
