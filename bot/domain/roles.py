"""Reward roles: which streak tier a member holds, who is last month's champion, what to give and take, and
whether the bot may manage a role at all (Discord's rules, as facts the chat layer reads off the guild).

A member holds the highest streak tier their current streak reached (7 days, then 30...), never several; the
champion role goes to the top of the previous month's board. The bot gives and takes only what it gave.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

MANAGE_ROLES = "manage_roles"  # the bot lacks Manage Roles in the server
ROLE_GONE = "role_gone"  # the role was deleted
ROLE_ABOVE = "role_above"  # the role is at or above the bot's highest role
ROLE_MANAGED = "role_managed"  # @everyone, or a role an integration manages (a bot's, boosters')
FORBIDDEN = "forbidden"  # Discord refused (403) although the checks passed
PROBLEMS = (MANAGE_ROLES, ROLE_GONE, ROLE_ABOVE, ROLE_MANAGED, FORBIDDEN)
GUILD_WIDE = 0  # the role id under which a problem of the whole server (Manage Roles) is kept


@dataclass(frozen=True, slots=True)
class RoleFacts:
    """What Discord says about one role and the bot, at the moment of acting."""

    exists: bool
    bot_manages_roles: bool  # Manage Roles (or Administrator) in the server
    below_bot: bool  # lower than the bot's highest role (or the bot owns the server)
    managed: bool  # @everyone or an integration's role


def role_problem(facts: RoleFacts) -> str | None:
    """Why the bot cannot give or take the role, in the order an admin should fix it; None when it can."""
    if not facts.exists:
        return ROLE_GONE
    if not facts.bot_manages_roles:
        return MANAGE_ROLES
    if facts.managed:
        return ROLE_MANAGED
    if not facts.below_bot:
        return ROLE_ABOVE
    return None


def streak_tier(streak: int, tiers: Mapping[int, int]) -> int | None:
    """The role of the highest tier (days → role id) that `streak` reached, None below the lowest."""
    reached = [days for days in tiers if streak >= days]
    return tiers[max(reached)] if reached else None


def previous_month(today: date) -> str:
    """The month before the one holding `today`, as the month boards key it: "2026-11"."""
    return (today.replace(day=1) - timedelta(days=1)).isoformat()[:7]


@dataclass(frozen=True, slots=True)
class RoleChanges:
    give: frozenset[tuple[int, int]]  # (role, member)
    take: frozenset[tuple[int, int]]


def changes(wanted: Iterable[tuple[int, int]], held: Iterable[tuple[int, int]]) -> RoleChanges:
    """What to give and take so the bot's grants become `wanted` (both as (role, member) pairs)."""
    want, have = frozenset(wanted), frozenset(held)
    return RoleChanges(want - have, have - want)
