"""Reward roles: each guild's streak tiers and champion role, the roles the bot gave, the problems it reported.

A sweep reads every guild at once (`snapshot`, `champions`): the number of queries does not grow with servers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.domain.boards import board_name
from bot.storage.database import Database
from bot.storage.points import NOT_PRIVATE


@dataclass(frozen=True, slots=True)
class GuildRoles:
    """One guild's reward roles as configured: streak tiers (days → role) and the champion role."""

    guild_id: int
    tiers: dict[int, int] = field(default_factory=dict)
    champion_role_id: int | None = None


@dataclass(frozen=True, slots=True)
class StreakCandidate:
    guild_id: int
    user_id: int
    current: int
    last_answer_date: str | None


@dataclass(frozen=True, slots=True)
class GuildFacts:
    """What a sweep needs of a guild besides its roles: its zones and languages (as `guild_zones` and
    `guild_languages` read them, here for every guild at once)."""

    guild_id: int
    chosen_timezone: str | None
    first_timezone: str | None
    chosen_language: str | None
    first_language: str | None


@dataclass(frozen=True, slots=True)
class Snapshot:
    roles: dict[int, GuildRoles]
    facts: dict[int, GuildFacts]
    candidates: list[StreakCandidate]
    grants: set[tuple[int, int, int]]  # (guild, role, member)
    problems: dict[tuple[int, int], str]  # (guild, role) → problem reported


_GUILDS = ("SELECT guild_id FROM streak_roles UNION SELECT guild_id FROM champion_roles "
           "UNION SELECT guild_id FROM role_grants UNION SELECT guild_id FROM role_problems")


class RoleRepository:
    def __init__(self, conn: Database) -> None:
        self.conn = conn

    # -- configuration ---------------------------------------------------------------------------------------
    async def guild(self, guild_id: int) -> GuildRoles:
        return (await self._roles(guild_id)).get(guild_id) or GuildRoles(guild_id)

    async def _roles(self, guild_id: int | None = None) -> dict[int, GuildRoles]:
        where = "WHERE guild_id = :g" if guild_id is not None else ""
        rows = await self.conn.execute_fetchall(
            f"SELECT guild_id, days, role_id FROM streak_roles {where} UNION ALL "
            f"SELECT guild_id, 0, role_id FROM champion_roles {where} ORDER BY 1, 2", {"g": guild_id})
        found: dict[int, GuildRoles] = {}
        for guild, days, role_id in rows:
            current = found.setdefault(guild, GuildRoles(guild))
            if days:
                current.tiers[days] = role_id
            else:
                found[guild] = GuildRoles(guild, current.tiers, role_id)
        return found

    async def add_tier(self, guild_id: int, days: int, role_id: int, by: int) -> None:
        """Set the role of a tier (replacing the tier's earlier role)."""
        await self.conn.execute(
            "INSERT INTO streak_roles (guild_id, days, role_id, created_by) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (guild_id, days) DO UPDATE SET role_id = excluded.role_id, created_by = excluded.created_by",
            (guild_id, days, role_id, by))

    async def remove_tier(self, guild_id: int, days: int) -> bool:
        cursor = await self.conn.execute("DELETE FROM streak_roles WHERE guild_id = ? AND days = ?", (guild_id, days))
        return cursor.rowcount > 0

    async def set_champion(self, guild_id: int, role_id: int | None, by: int) -> None:
        if role_id is None:
            await self.conn.execute("DELETE FROM champion_roles WHERE guild_id = ?", (guild_id,))
            return
        await self.conn.execute(
            "INSERT INTO champion_roles (guild_id, role_id, updated_by) VALUES (?, ?, ?) ON CONFLICT (guild_id) "
            "DO UPDATE SET role_id = excluded.role_id, updated_by = excluded.updated_by, "
            "updated_at = excluded.updated_at", (guild_id, role_id, by))

    # -- a sweep's reads, every guild at once ----------------------------------------------------------------
    async def snapshot(self, since: str) -> Snapshot:
        """Everything a sweep needs, in five queries whatever the number of guilds. `since`: the earliest last
        answer date a live streak can have (older streaks are broken, so those members want no tier)."""
        roles = await self._roles()
        facts = {row[0]: GuildFacts(*row) for row in await self.conn.execute_fetchall(
            f"SELECT g.guild_id, (SELECT timezone FROM guild_settings s WHERE s.guild_id = g.guild_id "
            "AND s.timezone_chosen = 1), (SELECT timezone FROM schedules c WHERE c.guild_id = g.guild_id "
            "ORDER BY c.id LIMIT 1), (SELECT language FROM guild_settings s WHERE s.guild_id = g.guild_id "
            "AND s.language_chosen = 1), (SELECT language FROM schedules c WHERE c.guild_id = g.guild_id "
            f"ORDER BY c.id LIMIT 1) FROM ({_GUILDS}) g")}
        candidates = [StreakCandidate(*row) for row in await self.conn.execute_fetchall(
            # From the (few) guilds with tiers into their members by key, not a scan of every member.
            "SELECT m.guild_id, m.user_id, m.current_streak, m.last_answer_date "
            "FROM (SELECT guild_id, min(days) AS least FROM streak_roles GROUP BY guild_id) s "
            "JOIN members m ON m.guild_id = s.guild_id AND m.current_streak >= s.least "
            f"WHERE m.last_answer_date >= ? AND {NOT_PRIVATE.format(t='m')} ORDER BY 1, 2", (since,))]
        grants = {(g, r, u) for g, r, u in await self.conn.execute_fetchall(
            "SELECT guild_id, role_id, user_id FROM role_grants")}
        problems = {(g, r): p for g, r, p in await self.conn.execute_fetchall(
            "SELECT guild_id, role_id, problem FROM role_problems")}
        return Snapshot(roles, facts, candidates, grants, problems)

    async def champions(self, months: dict[int, str]) -> dict[int, int]:
        """The visible top member of each guild's month board (guild → month "2026-11"), in one query; ties go to
        the lower id, as on the board."""
        if not months:
            return {}
        pairs = [value for guild, month in months.items() for value in (guild, board_name("month", month))]
        rows = await self.conn.execute_fetchall(
            "WITH j (guild_id, board) AS (VALUES " + ", ".join(["(CAST(? AS BIGINT), ?)"] * len(months)) + ") "
            "SELECT j.guild_id, (SELECT t.user_id FROM board_totals t WHERE t.guild_id = j.guild_id "
            f"AND t.board = j.board AND t.points > 0 AND {NOT_PRIVATE.format(t='t')} "
            "ORDER BY t.points DESC, t.user_id LIMIT 1) FROM j", pairs)
        return {guild: user for guild, user in rows if user is not None}

    # -- what the bot did ------------------------------------------------------------------------------------
    async def granted(self, guild_id: int, role_id: int, user_id: int) -> None:
        await self.conn.execute(
            "INSERT INTO role_grants (guild_id, role_id, user_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            (guild_id, role_id, user_id))

    async def taken(self, guild_id: int, role_id: int, user_id: int) -> None:
        await self.conn.execute("DELETE FROM role_grants WHERE guild_id = ? AND role_id = ? AND user_id = ?",
                                (guild_id, role_id, user_id))

    async def member_grants(self, guild_id: int, user_id: int) -> list[dict[str, object]]:
        rows = await self.conn.execute_fetchall(
            "SELECT role_id, granted_at FROM role_grants WHERE guild_id = ? AND user_id = ? ORDER BY role_id",
            (guild_id, user_id))
        return [{"role_id": str(role_id), "granted_at": granted_at} for role_id, granted_at in rows]

    async def forget_role(self, guild_id: int, role_id: int) -> None:
        """The role is gone from Discord: nobody holds it any more."""
        await self.conn.execute("DELETE FROM role_grants WHERE guild_id = ? AND role_id = ?", (guild_id, role_id))

    async def save_problems(self, guild_id: int, problems: Iterable[tuple[int, str]]) -> None:
        """The guild's problems as they stand now (role → problem); the ones gone are forgotten."""
        await self.conn.execute("DELETE FROM role_problems WHERE guild_id = ?", (guild_id,))
        await self.conn.executemany("INSERT INTO role_problems (guild_id, role_id, problem) VALUES (?, ?, ?)",
                                    [(guild_id, role, problem) for role, problem in problems])
