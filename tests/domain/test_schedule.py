"""Post and reveal instants in local time, across midnight and DST changes, and catching up after downtime."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.schedule import ScheduleRule, catch_up, local_date, next_post, post_at, reveal_at

SHANGHAI = "Asia/Shanghai"
BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def rule(post: str, tz: str, *, reveal: str | None = None, after: timedelta | None = None) -> ScheduleRule:
    return ScheduleRule(time.fromisoformat(post), tz, time.fromisoformat(reveal) if reveal else None, after)


# --- validation -------------------------------------------------------------------------------------------------


def test_exactly_one_reveal_field() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        ScheduleRule(time(9), SHANGHAI)
    with pytest.raises(ValueError, match="exactly one"):
        ScheduleRule(time(9), SHANGHAI, time(21), timedelta(hours=1))


def test_reveal_delay_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        rule("09:00", SHANGHAI, after=timedelta(0))


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "../etc/passwd", "Asia/Shanghai "])
def test_unknown_time_zone(name: str) -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        rule("09:00", name, reveal="21:00")


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_post(rule("09:00", SHANGHAI, reveal="21:00"), datetime(2026, 5, 1, 12))


# --- ordinary days ------------------------------------------------------------------------------------------------


def test_normal_day_in_shanghai() -> None:
    r = rule("09:00", SHANGHAI, reveal="21:00")
    day = date(2026, 5, 12)
    assert post_at(r, day) == utc(2026, 5, 12, 1, 0)
    assert reveal_at(r, day) == utc(2026, 5, 12, 13, 0)
    assert post_at(r, day).tzinfo is UTC


def test_local_date_uses_the_zone() -> None:
    moment = utc(2026, 5, 12, 17, 30)  # 01:30 on the 13th in Shanghai
    assert local_date(moment, SHANGHAI) == date(2026, 5, 13)
    assert local_date(moment, ZoneInfo(NEW_YORK)) == date(2026, 5, 12)


def test_reveal_time_earlier_than_post_time_is_the_next_day() -> None:
    r = rule("21:00", SHANGHAI, reveal="09:00")
    assert post_at(r, date(2026, 5, 31)) == utc(2026, 5, 31, 13, 0)
    assert reveal_at(r, date(2026, 5, 31)) == utc(2026, 6, 1, 1, 0)


def test_reveal_time_equal_to_post_time_is_a_day_later() -> None:
    r = rule("09:00", SHANGHAI, reveal="09:00")
    assert reveal_at(r, date(2026, 5, 12)) - post_at(r, date(2026, 5, 12)) == timedelta(days=1)


def test_delay_crossing_midnight() -> None:
    r = rule("22:00", SHANGHAI, after=timedelta(hours=3, minutes=30))
    assert reveal_at(r, date(2026, 12, 31)) == utc(2026, 12, 31, 17, 30)
    assert local_date(reveal_at(r, date(2026, 12, 31)), SHANGHAI) == date(2027, 1, 1)


def test_next_post_today_or_tomorrow() -> None:
    r = rule("09:00", SHANGHAI, reveal="21:00")
    assert next_post(r, utc(2026, 5, 12, 0, 59)) == (date(2026, 5, 12), utc(2026, 5, 12, 1, 0))
    assert next_post(r, utc(2026, 5, 12, 1, 0)) == (date(2026, 5, 13), utc(2026, 5, 13, 1, 0))  # strictly after
    assert next_post(r, utc(2026, 5, 12, 16, 30)) == (date(2026, 5, 13), utc(2026, 5, 13, 1, 0))  # 00:30 local


def test_next_post_just_before_local_midnight() -> None:
    r = rule("00:00", SHANGHAI, reveal="12:00")
    assert next_post(r, utc(2026, 5, 12, 15, 59, 59)) == (date(2026, 5, 13), utc(2026, 5, 12, 16, 0))
    assert next_post(r, utc(2026, 5, 12, 16, 0)) == (date(2026, 5, 14), utc(2026, 5, 13, 16, 0))


# --- daylight saving ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "day", "post", "expected"),
    [
        (BERLIN, date(2026, 3, 29), "02:30", utc(2026, 3, 29, 1, 0)),  # gap 02:00-03:00 → 03:00 CEST
        (BERLIN, date(2026, 3, 29), "02:00", utc(2026, 3, 29, 1, 0)),
        (BERLIN, date(2026, 3, 29), "01:59", utc(2026, 3, 29, 0, 59)),
        (BERLIN, date(2026, 3, 29), "03:00", utc(2026, 3, 29, 1, 0)),
        (BERLIN, date(2026, 10, 25), "02:30", utc(2026, 10, 25, 0, 30)),  # first 02:30 is CEST
        (BERLIN, date(2026, 10, 25), "03:00", utc(2026, 10, 25, 2, 0)),
        (NEW_YORK, date(2026, 3, 8), "02:15", utc(2026, 3, 8, 7, 0)),  # gap 02:00-03:00 → 03:00 EDT
        (NEW_YORK, date(2026, 11, 1), "01:30", utc(2026, 11, 1, 5, 30)),  # first 01:30 is EDT
        (NEW_YORK, date(2026, 11, 1), "09:00", utc(2026, 11, 1, 14, 0)),  # after the change: EST
        (NEW_YORK, date(2026, 3, 8), "09:00", utc(2026, 3, 8, 13, 0)),  # after the change: EDT
    ],
)
def test_post_instant_on_transition_days(tz: str, day: date, post: str, expected: datetime) -> None:
    assert post_at(rule(post, tz, after=timedelta(hours=1)), day) == expected


def test_reveal_in_a_gap_and_in_a_repeated_hour() -> None:
    r = rule("21:00", BERLIN, reveal="02:30")
    assert reveal_at(r, date(2026, 3, 28)) == utc(2026, 3, 29, 1, 0)
    assert reveal_at(r, date(2026, 10, 24)) == utc(2026, 10, 25, 0, 30)


def test_post_and_reveal_in_the_same_gap_keep_their_wall_clock_delay() -> None:
    r = rule("02:10", BERLIN, reveal="02:50")
    day = date(2026, 3, 29)
    assert post_at(r, day) == utc(2026, 3, 29, 1, 0)
    assert reveal_at(r, day) == utc(2026, 3, 29, 1, 40)


def test_delay_is_elapsed_time_across_a_change() -> None:
    r = rule("01:00", NEW_YORK, after=timedelta(hours=3))
    day = date(2026, 3, 8)
    assert reveal_at(r, day) == utc(2026, 3, 8, 9, 0)
    assert reveal_at(r, day).astimezone(ZoneInfo(NEW_YORK)).hour == 5  # one wall-clock hour vanished


def simulate_posts(r: ScheduleRule, start: datetime, end: datetime) -> dict[date, datetime]:
    """A scheduler ticking every minute that posts whatever catch_up says is due; returns day → tick it posted."""
    posted: dict[date, datetime] = {}
    now = start
    while now < end:
        day = catch_up(r, now, set(posted))
        if day is not None:
            posted[day] = now
        now += timedelta(minutes=1)
    return posted


@pytest.mark.parametrize(
    ("tz", "day", "post"),
    [
        (BERLIN, date(2026, 3, 29), "02:30"),
        (BERLIN, date(2026, 10, 25), "02:30"),
        (NEW_YORK, date(2026, 3, 8), "02:30"),
        (NEW_YORK, date(2026, 11, 1), "01:30"),
        (NEW_YORK, date(2026, 11, 1), "01:00"),
    ],
)
def test_exactly_one_post_instant_per_day_on_transition_days(tz: str, day: date, post: str) -> None:
    r = rule(post, tz, reveal="23:00")
    zone = ZoneInfo(tz)
    start = datetime.combine(day, time(0), zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(UTC)
    candidates = [day - timedelta(days=1), day, day + timedelta(days=1)]
    days_posting_in_minute: list[date] = []
    minute = start
    while minute < end:
        days_posting_in_minute += [d for d in candidates if minute <= post_at(r, d) < minute + timedelta(minutes=1)]
        minute += timedelta(minutes=1)
    assert days_posting_in_minute == [day]
    # A bot ticking every minute posts exactly once that day, at the post instant.
    assert simulate_posts(r, start, end) == {day: post_at(r, day)}


# --- catching up after downtime ---------------------------------------------------------------------------------


def test_catch_up_before_within_and_after_the_window() -> None:
    r = rule("09:00", SHANGHAI, reveal="21:00")
    day = date(2026, 5, 12)
    assert catch_up(r, utc(2026, 5, 12, 0, 59), set()) is None  # 08:59: not yet due
    assert catch_up(r, utc(2026, 5, 12, 1, 0), set()) == day  # 09:00: due now
    assert catch_up(r, utc(2026, 5, 12, 9, 0), set()) == day  # 17:00: was down at 09:00, post on start-up
    assert catch_up(r, utc(2026, 5, 12, 9, 0), {day}) is None  # already posted
    assert catch_up(r, utc(2026, 5, 12, 13, 0), set()) is None  # 21:00: revealed, too late to post


def test_yesterdays_window_still_open_after_midnight() -> None:
    r = rule("21:00", SHANGHAI, reveal="09:00")
    assert catch_up(r, utc(2026, 5, 31, 16, 30), set()) == date(2026, 5, 31)  # 00:30 local on 1 June
    assert catch_up(r, utc(2026, 5, 31, 16, 30), {date(2026, 5, 31)}) is None
    assert catch_up(r, utc(2026, 6, 1, 1, 0), set()) is None  # 09:00 on 1 June: revealed


def test_down_all_day_posts_nothing_old() -> None:
    r = rule("09:00", SHANGHAI, reveal="21:00")
    assert catch_up(r, utc(2026, 5, 12, 15, 0), set()) is None  # 23:00: today's window closed, nothing else open
    assert catch_up(r, utc(2026, 5, 13, 0, 30), set()) is None  # 08:30 next day: still nothing


def test_catch_up_prefers_the_latest_open_day() -> None:
    r = rule("09:00", SHANGHAI, after=timedelta(hours=36))
    now = utc(2026, 5, 13, 2, 0)  # 10:00 on the 13th: the 12th and the 13th are both open
    assert catch_up(r, now, set()) == date(2026, 5, 13)
    assert catch_up(r, now, {date(2026, 5, 13)}) == date(2026, 5, 12)


def test_simulated_week_with_downtime_posts_each_day_once_and_skips_closed_days() -> None:
    r = rule("21:00", SHANGHAI, reveal="09:00")
    ticks = [utc(2026, 5, 1, 0, 0) + timedelta(minutes=10 * i) for i in range(7 * 24 * 6)]
    down = (utc(2026, 5, 3, 12, 0), utc(2026, 5, 4, 3, 0))  # 20:00 on the 3rd to 11:00 on the 4th local
    posted: dict[date, datetime] = {}
    for now in ticks:
        if down[0] <= now < down[1]:
            continue
        day = catch_up(r, now, set(posted))
        if day is not None:
            posted[day] = now
    # Started at 08:00 on 1 May, inside 30 April's window: that post goes out on start-up.
    assert posted.pop(date(2026, 4, 30)) == ticks[0]
    assert date(2026, 5, 3) not in posted  # its whole window fell in the downtime
    assert sorted(posted) == [date(2026, 5, d) for d in (1, 2, 4, 5, 6, 7)]
    assert all(posted[d] == post_at(r, d) for d in posted)


# --- properties ---------------------------------------------------------------------------------------------------


ZONES = [SHANGHAI, BERLIN, NEW_YORK, "Australia/Lord_Howe", "Pacific/Chatham", "America/Santiago", "UTC"]
RULES = [
    ("09:00", "21:00", None),
    ("21:00", "09:00", None),
    ("02:30", "02:30", None),
    ("01:30", "02:15", None),
    ("23:59", None, timedelta(minutes=1)),
    ("00:00", None, timedelta(hours=24)),
    ("02:00", None, timedelta(hours=5)),
]


@pytest.mark.parametrize("tz", ZONES)
def test_post_before_reveal_and_on_its_own_local_day(tz: str) -> None:
    first = date(2025, 12, 20)
    days = [first + timedelta(days=i) for i in range(400)]
    for post, reveal, after in RULES:
        r = rule(post, tz, reveal=reveal, after=after)
        previous: datetime | None = None
        for day in days:
            posted, revealed = post_at(r, day), reveal_at(r, day)
            assert posted < revealed, (tz, post, day)
            assert local_date(posted, tz) == day, (tz, post, day)
            assert previous is None or previous < posted
            assert next_post(r, posted - timedelta(seconds=1)) == (day, posted)
            previous = posted


def test_a_zone_moved_behind_never_posts_an_earlier_local_day_again() -> None:
    """Shanghai posted 2026-11-30 at 01:00 UTC; moved to Honolulu half an hour later, its local day is still
    11-29 with the post window open: without the rule it would post '11-29' after '11-30'."""
    now = utc(2026, 11, 30, 1, 30)
    honolulu = rule("09:00", "Pacific/Honolulu", reveal="21:00")
    assert catch_up(honolulu, now, set()) == date(2026, 11, 29)  # what happened before
    assert catch_up(honolulu, now, set(), last_posted=date(2026, 11, 30)) is None
    # The next local day after the last post does go out.
    assert catch_up(honolulu, utc(2026, 11, 30, 19, 30), {date(2026, 11, 30)}, date(2026, 11, 30)) is None
    assert catch_up(honolulu, utc(2026, 12, 1, 19, 30), set(), date(2026, 11, 30)) == date(2026, 12, 1)
