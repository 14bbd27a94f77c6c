"""The clock: the one place that reads the real time, so that tests can set it.

`SimulatedClock` runs a timeline faster than real time (a day in a minute), for drills and for the test that
kills the bot as a process: every process started with the same `SIMULATED_CLOCK` value shares one timeline,
so a restarted bot carries on the same simulated day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol


def iso(moment: datetime) -> str:
    """UTC ISO-8601 text with milliseconds, the format every timestamp column uses."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def real_instant(self, instant: datetime) -> datetime:
        """When, in real time, the clock shows `instant` (itself: this clock is real time)."""
        return instant


@dataclass(frozen=True, slots=True)
class SimulatedClock:
    """Reads `start + (real now − real_start) × speed`."""

    start: datetime
    real_start: datetime
    speed: float

    def now(self) -> datetime:
        return self.start + (datetime.now(UTC) - self.real_start) * self.speed

    def real_instant(self, instant: datetime) -> datetime:
        return self.real_start + (instant - self.start) / self.speed

    def real_seconds(self, seconds: float) -> float:
        return seconds / self.speed


SIMULATED = re.compile(r"^\s*(?P<start>\S+)\s*@\s*(?P<epoch>\d+(?:\.\d+)?)\s*[x*]\s*(?P<speed>\d+(?:\.\d+)?)\s*$")


def parse_simulated_clock(text: str) -> SimulatedClock:
    """`2026-11-30T00:55:00+00:00@1796000000.5x90`: the simulated instant at a Unix time, and the speed.

    Raises ValueError with the expected shape when the text is not one.
    """
    match = SIMULATED.match(text)
    if match is None:
        raise ValueError("expected START@UNIX_SECONDSxSPEED, for example 2026-11-30T00:55:00+00:00@1796000000x90")
    start = datetime.fromisoformat(match["start"])
    if start.tzinfo is None:
        raise ValueError("the start instant needs a UTC offset, for example 2026-11-30T00:55:00+00:00")
    speed = float(match["speed"])
    if not 0 < speed <= 100_000:
        raise ValueError("the speed must be above 0 and at most 100000")
    real_start = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=float(match["epoch"]))
    return SimulatedClock(start.astimezone(UTC), real_start, speed)
