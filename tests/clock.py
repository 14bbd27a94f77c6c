"""A clock that tests set and advance by hand, and the wake-ups it drives.

`FakeWakeups` implements `bot.wakeups.Wakeups` on this clock instead of real time: setting or advancing the
clock fires every wake-up that is now due (as tasks on the running loop), exactly as APScheduler would fire them
when real time reaches the instant. So no test depends on the date it is run on.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.wakeups import CLOSE_GRACE_SECONDS, Job, RunningJobs


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self.moment = start
        self.wakeups: list[FakeWakeups] = []

    def now(self) -> datetime:
        return self.moment

    def set(self, moment: datetime) -> None:
        self.moment = moment
        for wakeups in list(self.wakeups):
            wakeups.fire_due()

    def advance(self, **delta: float) -> datetime:
        self.set(self.moment + timedelta(**delta))
        return self.moment


@dataclass
class _Interval:
    seconds: float
    func: Job
    next: datetime
    task: asyncio.Task[None] | None = None


class FakeWakeups:
    """Wake-ups on a FakeClock: the same contract as production (`bot.wakeups.SchedulerWakeups`)."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.one_shots: dict[str, tuple[datetime, Job]] = {}
        self.intervals: dict[str, _Interval] = {}
        self.fired: dict[str, datetime] = {}
        self.running = RunningJobs()
        self.started = False
        self.closed = False
        self.fire_count: dict[str, int] = {}
        clock.wakeups.append(self)

    def start(self) -> None:
        self.started = True
        self.fire_due()

    def every(self, job_id: str, seconds: float, func: Job) -> None:
        self.intervals[job_id] = _Interval(seconds, func, self.clock.now() + timedelta(seconds=seconds))

    def at(self, job_id: str, when: datetime, func: Job) -> None:
        current = self.one_shots.get(job_id)
        if (current is not None and current[0] == when) or (current is None and self.fired.get(job_id) == when):
            return
        self.one_shots[job_id] = (when, func)
        self.fire_due()

    def cancel(self, job_id: str) -> None:
        self.one_shots.pop(job_id, None)
        self.intervals.pop(job_id, None)
        self.fired.pop(job_id, None)

    def armed(self, prefix: str = "") -> dict[str, datetime]:
        return {job_id: when for job_id, (when, _) in self.one_shots.items() if job_id.startswith(prefix)}

    def has(self, job_id: str) -> bool:
        return job_id in self.one_shots or job_id in self.intervals

    def fire_due(self) -> None:
        if not self.started or self.closed:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # a synchronous caller: what is due fires at the next set() inside the loop
        now = self.clock.now()
        for job_id, (when, func) in list(self.one_shots.items()):
            if when <= now:
                del self.one_shots[job_id]
                self.fired[job_id] = when
                self._spawn(loop, job_id, func)
        for job_id, interval in self.intervals.items():
            if interval.next <= now:
                interval.next = now + timedelta(seconds=interval.seconds)  # missed runs coalesce into one
                if interval.task is None or interval.task.done():  # never two runs of one job at once
                    interval.task = self._spawn(loop, job_id, interval.func)

    def _spawn(self, loop: asyncio.AbstractEventLoop, job_id: str, func: Job) -> asyncio.Task[None]:
        self.fire_count[job_id] = self.fire_count.get(job_id, 0) + 1
        task = loop.create_task(self.running.wrap(job_id, func)(), name=f"wakeup:{job_id}")
        self.running.tasks.add(task)  # at once, so that a close right after still waits for it
        task.add_done_callback(self.running.tasks.discard)
        return task

    async def close(self, grace: float = CLOSE_GRACE_SECONDS) -> None:
        self.closed = True
        if self in self.clock.wakeups:
            self.clock.wakeups.remove(self)
        await self.running.drain(grace)
