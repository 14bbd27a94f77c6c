"""Keeps every guild's reward roles in step with streaks and last month's board, through Discord's REST API.

A sweep (every few minutes, "roles:sweep") reads all guilds at once, checks what the bot may do in each (Manage
Roles, each role below the bot's highest), gives and takes only what changed, and tells a guild's admins about a
problem once (`report_to_admins`), not every sweep.
"""

from __future__ import annotations

import logging
from datetime import datetime

import discord

from bot.chat.roles.facts import role_facts
from bot.chat.roles.render import problems_report
from bot.chat.shared.reports import report_to_admins
from bot.chat.shared.runner import Runner
from bot.domain import roles as rules
from bot.i18n import t
from bot.services.roles import GuildPlan, RoleService

log = logging.getLogger(__name__)
SWEEP_SECONDS = 300
UNKNOWN_MEMBER = 10007
UNKNOWN_ROLE = 10011


class RoleRunner(Runner):
    name = "roles"
    sweep_seconds = SWEEP_SECONDS

    service: RoleService

    async def run(self, now: datetime) -> None:
        await self.each(await self.service.plans(now), self.keep, lambda plan: f"roles of guild {plan.guild_id}")

    async def keep(self, plan: GuildPlan) -> None:
        guild = self.bot.get_guild(plan.guild_id)
        if guild is None or guild.me is None:
            return  # not (yet) in the guild: nothing can be checked or done
        problems: dict[int, str] = {}
        if plan.managed_roles and not guild.me.guild_permissions.manage_roles:
            problems[rules.GUILD_WIDE] = rules.MANAGE_ROLES
        for role_id in plan.managed_roles:
            problem = rules.role_problem(role_facts(guild, role_id))
            if problem not in (None, rules.MANAGE_ROLES):
                problems[role_id] = problem
        language = plan.language(str(guild.preferred_locale))
        for role_id, user_id in sorted(plan.take):
            await self.change(guild, plan, role_id, user_id, give=False, problems=problems, language=language)
        for role_id, user_id in sorted(plan.give):
            await self.change(guild, plan, role_id, user_id, give=True, problems=problems, language=language)
        new = await self.service.note_problems(plan, problems)
        if new:
            await report_to_admins(self.bot, guild.id, problems_report(guild, new, language))

    async def change(self, guild: discord.Guild, plan: GuildPlan, role_id: int, user_id: int, *, give: bool,
                     problems: dict[int, str], language: str) -> None:
        """Give or take one role through Discord, record what happened; a problem is added to `problems`."""
        facts = role_facts(guild, role_id)
        if not facts.exists:
            await self.service.role_gone(guild.id, role_id)
            return
        if rules.role_problem(facts) is not None:
            return  # named in `problems` when it is a configured role; tried again once fixed
        kind = "champion" if role_id == plan.roles.champion_role_id else "streak"
        try:
            if give:
                await self.bot.http.add_role(guild.id, user_id, role_id, reason=t(f"roles.reason.{kind}", language))
            else:
                await self.bot.http.remove_role(guild.id, user_id, role_id, reason=t("roles.reason.take", language))
        except discord.NotFound as error:
            if error.code == UNKNOWN_ROLE:
                await self.service.role_gone(guild.id, role_id)
            elif error.code == UNKNOWN_MEMBER and not give:
                await self.service.taken(guild.id, role_id, user_id)  # they left: nothing to take any more
            return
        except discord.Forbidden as error:
            log.warning("guild %s: Discord refused role %s for %s: %s", guild.id, role_id, user_id, error.text)
            if role_id in plan.managed_roles:
                problems[role_id] = rules.FORBIDDEN
            return
        if give:
            await self.service.granted(guild.id, role_id, user_id)
        else:
            await self.service.taken(guild.id, role_id, user_id)
