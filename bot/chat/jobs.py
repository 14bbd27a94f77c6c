"""Keeping APScheduler's in-memory date jobs in step with what the database says is due next."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime

from apscheduler.schedulers.base import BaseScheduler


def sync_date_jobs(scheduler: BaseScheduler, prefixes: tuple[str, ...], wanted: Mapping[str, datetime],
                   func: Callable[[], Awaitable[None]], now: datetime) -> None:
    """One date job per wanted id (an overdue instant runs at once); jobs under `prefixes` no longer wanted go.

    `misfire_grace_time=None`: a job that fires late still runs (APScheduler's default drops it after 1 s).
    Re-adding with replace_existing never loses a run here, because each run sweeps the database for what is due.
    """
    for job in scheduler.get_jobs():
        if job.id.startswith(prefixes) and job.id not in wanted:
            job.remove()
    for job_id, when in wanted.items():
        scheduler.add_job(func, "date", run_date=max(when, now).astimezone(UTC), id=job_id,
                          replace_existing=True, misfire_grace_time=None, coalesce=True)
