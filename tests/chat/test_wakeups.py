"""Wake-ups: APScheduler's side on real time (the only test that waits for the wall clock), and the fake's
contract on a test clock (the two implementations must agree)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from clock import FakeClock, FakeWakeups

from bot.clock import SimulatedClock
from bot.wakeups import SchedulerWakeups, keep_in_step


async def test_apscheduler_fires_at_the_real_instant_moves_and_cancels() -> None:
    wakeups = SchedulerWakeups()
    fired: list[str] = []
    done = asyncio.Event()

    async def job(name: str) -> None:
        fired.append(name)
        done.set()

    wakeups.start()
    soon = datetime.now(UTC) + timedelta(milliseconds=150)
    wakeups.at("a", soon, lambda: job("a"))
    wakeups.at("b", soon, lambda: job("b"))
    wakeups.cancel("b")
    assert set(wakeups.armed()) == {"a"} and wakeups.armed()["a"] == soon
    wakeups.at("a", soon, lambda: job("a-again"))  # the same instant again: left alone
    await asyncio.wait_for(done.wait(), timeout=5)
    await asyncio.sleep(0.2)
    assert fired == ["a"]
    assert wakeups.armed() == {}
    wakeups.at("a", soon, lambda: job("a-twice"))  # an instant this id already fired for does not fire again
    assert wakeups.armed() == {}
    await wakeups.close()


async def test_apscheduler_on_a_simulated_clock_fires_at_its_instants_in_compressed_time() -> None:
    start = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
    clock = SimulatedClock(start, datetime.now(UTC), speed=600)  # ten simulated minutes a real second
    wakeups = SchedulerWakeups(clock)
    fired: list[datetime] = []
    done = asyncio.Event()

    async def job() -> None:
        fired.append(clock.now())
        done.set()

    wakeups.start()
    due = start + timedelta(minutes=2)  # 0.2 s of real time
    wakeups.at("post", due, job)
    assert wakeups.armed() == {"post": due}  # reported on the bot's clock, not APScheduler's
    await asyncio.wait_for(done.wait(), timeout=5)
    assert due <= fired[0] < due + timedelta(minutes=10)
    await wakeups.close()


async def test_apscheduler_close_lets_a_running_job_finish() -> None:
    wakeups = SchedulerWakeups()
    finished = asyncio.Event()
    started = asyncio.Event()

    async def slow() -> None:
        started.set()
        await asyncio.sleep(0.2)
        finished.set()

    wakeups.start()
    wakeups.at("slow", datetime.now(UTC), slow)
    await asyncio.wait_for(started.wait(), timeout=5)
    await wakeups.close(grace=5)
    assert finished.is_set()


async def test_the_fake_fires_only_when_the_clock_reaches_the_instant() -> None:
    start = datetime(2031, 1, 1, tzinfo=UTC)  # any date: nothing depends on today
    clock = FakeClock(start)
    wakeups = FakeWakeups(clock)
    fired: list[str] = []

    async def job(name: str) -> None:
        fired.append(name)

    wakeups.start()
    keep_in_step(wakeups, ("p:",), {"p:1": start + timedelta(hours=1), "p:2": start + timedelta(hours=2)},
                 lambda: job("p"))
    wakeups.every("sweep", 60, lambda: job("sweep"))
    clock.advance(minutes=59)
    await asyncio.sleep(0)
    assert fired == ["sweep"]  # 59 missed minutes of the sweep coalesce into one run
    clock.advance(minutes=1)
    await asyncio.sleep(0)
    assert sorted(fired) == ["p", "sweep", "sweep"]
    keep_in_step(wakeups, ("p:",), {}, lambda: job("p"))  # no longer wanted: cancelled
    clock.advance(hours=5)
    await asyncio.sleep(0)
    assert fired.count("p") == 1 and wakeups.armed() == {}
    await wakeups.close()
