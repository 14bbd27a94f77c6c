"""Reward roles: the managers' settings, and each sweep's plan of roles to give and take in every guild.

Streaks are the daily question's (the `members` rows the reveal keeps, counted in the server time zone as the
leaderboard counts them); the champion is the top of the previous month's board. The chat layer does what a plan
says through Discord and records each change here, so the next plan starts from what really happened.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.domain import roles as rules
from bot.domain.boards import guild_timezone, server_language
from bot.domain.errors import DomainError
from bot.domain.schedule import local_date
from bot.domain.scoring import Streak, current_as_of
from bot.storage.database import Database, transaction
from bot.storage.roles import GuildFacts, GuildRoles, RoleRepository

MAX_DAYS = 3650


@dataclass(frozen=True, slots=True)
class GuildPlan:
    """One guild's roles to give and take now, and the problems its admins were already told of."""

    guild_id: int
    roles: GuildRoles
    give: frozenset[tuple[int, int]]  # (role, member)
    take: frozenset[tuple[int, int]]
    reported: dict[int, str]  # role (0: the whole server) → problem
    facts: GuildFacts | None
    champion_month: str
    champion_id: int | None

    @property
    def managed_roles(self) -> set[int]:
        """The roles the settings name (a problem with one of them is worth telling the admins)."""
        configured = set(self.roles.tiers.values())
        if self.roles.champion_role_id is not None:
            configured.add(self.roles.champion_role_id)
        return configured

    def language(self, guild_locale: str | None) -> str:
        facts = self.facts
        return server_language(facts.chosen_language if facts else None, facts.first_language if facts else None,
                               guild_locale)


class RoleService:
    def __init__(self, conn: Database) -> None:
        self.conn = conn
        self.roles = RoleRepository(conn)

    # -- settings (/roles) -----------------------------------------------------------------------------------
    async def settings(self, guild_id: int) -> GuildRoles:
        return await self.roles.guild(guild_id)

    @staticmethod
    def check(facts: rules.RoleFacts, role: str) -> None:
        """Refuse a role the bot could not give, naming why (the managers fix it before it silently fails)."""
        problem = rules.role_problem(facts)
        if problem is not None:
            raise DomainError(f"roles.problem.{problem}", role=role)

    async def add_tier(self, guild_id: int, days: int, role_id: int, facts: rules.RoleFacts, role: str,
                       by: int) -> GuildRoles:
        if not 1 <= days <= MAX_DAYS:
            raise DomainError("roles.bad_days", limit=MAX_DAYS)
        self.check(facts, role)
        current = await self.roles.guild(guild_id)
        other = {r: d for d, r in current.tiers.items() if d != days}
        if role_id in other or role_id == current.champion_role_id:
            raise DomainError("roles.in_use", role=role)
        async with transaction(self.conn):
            await self.roles.add_tier(guild_id, days, role_id, by)
        return await self.roles.guild(guild_id)

    async def remove_tier(self, guild_id: int, days: int) -> GuildRoles:
        async with transaction(self.conn):
            removed = await self.roles.remove_tier(guild_id, days)
        if not removed:
            raise DomainError("roles.no_tier", days=days)
        return await self.roles.guild(guild_id)

    async def set_champion(self, guild_id: int, role_id: int | None, facts: rules.RoleFacts | None, role: str,
                           by: int) -> GuildRoles:
        if role_id is not None and facts is not None:
            self.check(facts, role)
            if role_id in (await self.roles.guild(guild_id)).tiers.values():
                raise DomainError("roles.in_use", role=role)
        async with transaction(self.conn):
            await self.roles.set_champion(guild_id, role_id, by)
        return await self.roles.guild(guild_id)

    # -- the sweep -------------------------------------------------------------------------------------------
    async def plans(self, now: datetime) -> list[GuildPlan]:
        """Every guild's changes, from one read of all guilds (plus one for all champions)."""
        # A live streak's last answer is today or yesterday in the guild's zone: never before two UTC days ago.
        snap = await self.roles.snapshot((now.date() - timedelta(days=2)).isoformat())
        guilds = set(snap.roles) | {g for g, _r, _u in snap.grants} | {g for g, _r in snap.problems}
        today: dict[int, date] = {}
        for guild_id in guilds:
            facts = snap.facts.get(guild_id)
            zone = guild_timezone(facts.chosen_timezone if facts else None, facts.first_timezone if facts else None)
            today[guild_id] = local_date(now, zone)
        months = {g: rules.previous_month(today[g]) for g in guilds
                  if g in snap.roles and snap.roles[g].champion_role_id is not None}
        champions = await self.roles.champions(months) if months else {}
        wanted: dict[int, set[tuple[int, int]]] = defaultdict(set)
        for candidate in snap.candidates:
            tiers = snap.roles[candidate.guild_id].tiers
            last = date.fromisoformat(candidate.last_answer_date) if candidate.last_answer_date else None
            streak = current_as_of(Streak(candidate.current, candidate.current, last), today[candidate.guild_id])
            role = rules.streak_tier(streak, tiers)
            if role is not None:
                wanted[candidate.guild_id].add((role, candidate.user_id))
        for guild_id, user_id in champions.items():
            champion_role = snap.roles[guild_id].champion_role_id
            if champion_role is not None:
                wanted[guild_id].add((champion_role, user_id))
        held: dict[int, set[tuple[int, int]]] = defaultdict(set)
        for guild_id, role_id, user_id in snap.grants:
            held[guild_id].add((role_id, user_id))
        reported: dict[int, dict[int, str]] = defaultdict(dict)
        for (guild_id, role_id), problem in snap.problems.items():
            reported[guild_id][role_id] = problem
        plans = []
        for guild_id in sorted(guilds):
            change = rules.changes(wanted[guild_id], held[guild_id])
            plans.append(GuildPlan(guild_id, snap.roles.get(guild_id) or GuildRoles(guild_id), change.give,
                                   change.take, reported[guild_id], snap.facts.get(guild_id),
                                   months.get(guild_id, ""), champions.get(guild_id)))
        return plans

    async def granted(self, guild_id: int, role_id: int, user_id: int) -> None:
        async with transaction(self.conn):
            await self.roles.granted(guild_id, role_id, user_id)

    async def taken(self, guild_id: int, role_id: int, user_id: int) -> None:
        async with transaction(self.conn):
            await self.roles.taken(guild_id, role_id, user_id)

    async def role_gone(self, guild_id: int, role_id: int) -> None:
        async with transaction(self.conn):
            await self.roles.forget_role(guild_id, role_id)

    async def note_problems(self, plan: GuildPlan, problems: dict[int, str]) -> dict[int, str]:
        """Record the guild's problems as they stand now; returns the ones its admins have not been told of yet
        (each is told once, and again only after it was fixed and came back)."""
        new = {role: problem for role, problem in problems.items() if plan.reported.get(role) != problem}
        if problems != plan.reported:
            async with transaction(self.conn):
                await self.roles.save_problems(plan.guild_id, problems.items())
        return new


class RoleMemberData:
    """Reward roles' part in a member's data requests (`bot.services.privacy.MemberDataSource`): the roles the bot
    gave them. A deletion leaves these rows to the runner: with the member's streak and points gone, its next sweep
    takes the roles back on Discord and only then forgets them (deleting them here would leave the roles on)."""

    name = "roles"

    def __init__(self, conn: Database) -> None:
        self.roles = RoleRepository(conn)

    async def export(self, guild_id: int, user_id: int) -> dict[str, object]:
        return {"given_by_the_bot": await self.roles.member_grants(guild_id, user_id)}

    async def delete(self, guild_id: int, user_id: int) -> int:
        return 0
