"""The texts of /roles and of the reports to admins."""

from __future__ import annotations

import discord

from bot.domain.roles import GUILD_WIDE
from bot.i18n import t
from bot.storage.roles import GuildRoles


def role_label(role_id: int | None) -> str:
    return f"<@&{role_id}>" if role_id else "—"


def settings_text(roles: GuildRoles, timezone: str, language: str) -> str:
    tiers = [t("roles.list.tier", language, days=days, role=role_label(role))
             for days, role in sorted(roles.tiers.items())]
    return t("roles.list", language, tiers="\n".join(tiers) or t("roles.list.no_tiers", language),
             champion=role_label(roles.champion_role_id), timezone=timezone)


def problems_report(guild: discord.Guild, problems: dict[int, str], language: str) -> str:
    """One message for every new problem of a guild, each named as the admins fix it."""
    lines = [t(f"roles.problem.{problem}", language,
               role=t("roles.every_role", language) if role_id == GUILD_WIDE else role_label(role_id))
             for role_id, problem in sorted(problems.items())]
    return t("roles.report", language, guild=discord.utils.escape_markdown(guild.name), problems="\n".join(
        f"• {line}" for line in lines))
