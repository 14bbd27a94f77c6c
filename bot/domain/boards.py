"""Leaderboard rules: period buckets, the keys a ledger entry adds to, ranks with ties, and group scores.

A board is read from running totals kept per (guild, board, member), where a board names a period bucket, a topic
and a scope (`board_name`). A ledger entry adds its points to one bucket of each period (its day, its ISO week, its
month, all time), both to its own topic and to every-topic (`ALL`), and both to its own source type and to
every-source (`ALL`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

ALL = "*"  # every topic, or every source: never a topic id or a source type (those are slugs)
PERIODS = ("day", "week", "month", "all")
# What a member picks on a board, and the ledger `source_type` it reads ("answer" is the daily question).
SCOPES: dict[str, str] = {"all": ALL, "daily": "answer", "quiz": "quiz"}
PAGE_SIZE = 10


def week_key(day: date) -> str:
    """The ISO week of `day` ("2026-W49"): weeks start on Monday and belong to the year of their Thursday."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def bucket(period: str, day: date) -> str:
    """The bucket of `period` that holds local `day`: its date, ISO week, month, or "" for all time."""
    if period == "day":
        return day.isoformat()
    if period == "week":
        return week_key(day)
    if period == "month":
        return day.isoformat()[:7]
    if period == "all":
        return ""
    raise ValueError(f"unknown period {period!r}; expected one of {PERIODS}")


def board_name(period: str, bucket: str, topic_id: str = ALL, scope: str = ALL) -> str:
    """The key of one board in the totals: "period:bucket:topic:scope", e.g. "week:2026-W49:rag:*".

    One short text rather than four columns: the rank index then holds (guild, board, points, member), and counting
    the members above a caller, the slowest step of a board, steps through it about twice as fast.
    """
    return f"{period}:{bucket}:{topic_id}:{scope}"


def total_keys(local_date: str, topic_id: str | None, source_type: str) -> list[str]:
    """Every board a ledger entry of this day, topic and source adds its points to (16, or 8 without a topic)."""
    day = date.fromisoformat(local_date)
    topics = [ALL] if topic_id is None else [ALL, topic_id]
    return [board_name(period, bucket(period, day), topic, scope)
            for period in PERIODS for topic in topics for scope in (ALL, source_type)]


def page_ranks(points: Sequence[int], *, offset: int, first_rank: int) -> list[int]:
    """Competition ranks ("1, 2, 2, 4") of a page of points sorted high to low.

    `offset` is how many members come before the page; `first_rank` is the rank of the page's first line
    (1 + the members with more points than it, which may sit on earlier pages when a tie spans the break).
    """
    ranks: list[int] = []
    for index, value in enumerate(points):
        if index == 0:
            ranks.append(first_rank)
        elif value == points[index - 1]:
            ranks.append(ranks[-1])
        else:
            ranks.append(offset + index + 1)
    return ranks


def guild_timezone(chosen_timezone: str | None, first_schedule_timezone: str | None) -> str:
    """The server time zone: the zone a guild's days, weeks and months are counted in (boards, recaps, quiz
    points, review reminders). The one the admins chose (`/qotd timezone`), else the zone of the guild's first
    daily-question schedule (where its members' days come from), else UTC."""
    return chosen_timezone or first_schedule_timezone or "UTC"


def server_language(chosen: str | None, first_schedule: str | None, guild_locale: str | None) -> str:
    """The language everyone in a server reads: the admins' choice, else the first schedule's, else the guild's
    preferred locale in Discord (Chinese for zh-*, English otherwise)."""
    if chosen or first_schedule:
        return chosen or first_schedule or "zh"
    return "zh" if (guild_locale or "zh").startswith("zh") else "en"


@dataclass(frozen=True, slots=True)
class GroupScore:
    """One study group's points in a period: `active` members are those with points in it."""

    group_id: int
    name: str
    total: int
    active: int

    @property
    def per_active(self) -> float:
        return self.total / self.active if self.active else 0.0


def rank_groups(scores: Sequence[GroupScore]) -> list[tuple[int, GroupScore]]:
    """Groups by points per active member (so size alone does not win), then total; ties share a rank."""
    ordered = sorted(scores, key=lambda s: (-round(s.per_active, 6), -s.total, s.name.casefold()))
    ranked: list[tuple[int, GroupScore]] = []
    for index, score in enumerate(ordered):
        previous = ranked[-1] if ranked else None
        same = previous is not None and (round(previous[1].per_active, 6), previous[1].total) == (
            round(score.per_active, 6), score.total)
        ranked.append((previous[0] if same and previous else index + 1, score))
    return ranked
