"""When a channel's schedule posts and reveals, in its own time zone, and which missed post to catch up after downtime.

Every local day has exactly one post instant, even across daylight-saving changes: a wall-clock time that does not
exist (spring forward) means the first instant after the gap; one that occurs twice (fall back) means the first.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class ScheduleRule:
    """Post at `post_time` local time; reveal at `reveal_time` local time or `reveal_after` the post (exactly one)."""

    post_time: time
    timezone: str
    reveal_time: time | None = None
    reveal_after: timedelta | None = None

    def __post_init__(self) -> None:
        if (self.reveal_time is None) == (self.reveal_after is None):
            raise ValueError("a schedule needs exactly one of reveal_time and reveal_after")
        if self.reveal_after is not None and self.reveal_after <= timedelta(0):
            raise ValueError(f"reveal_after must be positive, got {self.reveal_after}")
        for name, value in (("post_time", self.post_time), ("reveal_time", self.reveal_time)):
            if value is not None and value.tzinfo is not None:
                raise ValueError(f"{name} is a wall-clock time and must not carry a time zone")
        zone(self.timezone)

    @property
    def zone(self) -> ZoneInfo:
        return zone(self.timezone)

    @property
    def longest_window(self) -> timedelta:
        """An upper bound on reveal_at - post_at: a reveal time is at most the next local day, DST included."""
        if self.reveal_after is not None:
            return self.reveal_after
        return _ONE_DAY + timedelta(hours=3)


def zone(name: str) -> ZoneInfo:
    """The IANA time zone `name`, or ValueError("unknown time zone ...")."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise ValueError(f"unknown time zone {name!r}; use an IANA name such as 'Asia/Shanghai'") from exc


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"expected an aware datetime, got naive {moment.isoformat()}")
    return moment


def local_date(moment: datetime, tz: str | tzinfo) -> date:
    """The calendar day it is in `tz` at the aware instant `moment`."""
    return _aware(moment).astimezone(zone(tz) if isinstance(tz, str) else tz).date()


def local_instant(day: date, wall: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock `wall` on local `day`: first occurrence if repeated, end of the gap if skipped."""
    naive = datetime.combine(day, wall)
    earlier = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if earlier.astimezone(tz).replace(tzinfo=None) == naive:
        # It exists; for a repeated time fold=0 is the first occurrence, which is the one we want.
        return earlier
    # In a gap: the two readings of the wall time fall either side of the transition. Find the transition instant,
    # the first one whose offset is the post-gap offset, by bisecting whole seconds.
    other = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    before = math.floor(min(earlier, other).timestamp())
    after = math.ceil(max(earlier, other).timestamp())
    offset_after = datetime.fromtimestamp(after, tz).utcoffset()
    while after - before > 1:
        middle = (before + after) // 2
        if datetime.fromtimestamp(middle, tz).utcoffset() == offset_after:
            after = middle
        else:
            before = middle
    return datetime.fromtimestamp(after, UTC)


def post_at(rule: ScheduleRule, day: date) -> datetime:
    """The UTC instant the schedule posts on local `day`."""
    return local_instant(day, rule.post_time, rule.zone)


def reveal_at(rule: ScheduleRule, day: date) -> datetime:
    """The UTC instant the post of local `day` is revealed; always after `post_at(rule, day)`."""
    posted = post_at(rule, day)
    if rule.reveal_after is not None:
        return posted + rule.reveal_after
    assert rule.reveal_time is not None
    reveal_day = day if rule.reveal_time > rule.post_time else day + _ONE_DAY
    revealed = local_instant(reveal_day, rule.reveal_time, rule.zone)
    if revealed <= posted:
        # Both wall times fell into the same DST gap and collapsed onto its end: keep the intended wall-clock delay.
        revealed = posted + (datetime.combine(reveal_day, rule.reveal_time) - datetime.combine(day, rule.post_time))
    return revealed


def next_post(rule: ScheduleRule, now: datetime) -> tuple[date, datetime]:
    """The earliest local day whose post instant is strictly after `now`, with that instant."""
    today = local_date(now, rule.zone)
    day = today - _ONE_DAY  # a post instant lies within its own local day, so yesterday's is already past; be safe
    while (instant := post_at(rule, day)) <= now:
        day += _ONE_DAY
    return day, instant


def catch_up(rule: ScheduleRule, now: datetime, existing_days: Collection[date],
             last_posted: date | None = None) -> date | None:
    """The latest local day whose post is due now (posted at or before `now`, not yet revealed) and missing.

    Days whose reveal has passed are never posted late, so a bot that was down all day does not burst old posts.
    A day on or before `last_posted` (the schedule's latest post) is never posted: a schedule moved to a zone
    behind its old one would otherwise post its "today" again as an earlier local date.
    """
    today = local_date(now, rule.zone)
    # A post lies within its local day, so a window that is still open began at most this many days ago; the extra
    # day covers a window ending just past midnight after a short (spring-forward) day.
    look_back = rule.longest_window.days + 2
    for back in range(look_back + 1):
        day = today - timedelta(days=back)
        if last_posted is not None and day <= last_posted:
            return None
        if day not in existing_days and post_at(rule, day) <= now < reveal_at(rule, day):
            return day
    return None
