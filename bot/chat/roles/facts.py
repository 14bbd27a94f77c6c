"""What Discord's guild cache says about a role and the bot, as the pure rules of `bot.domain.roles` read it."""

from __future__ import annotations

import discord

from bot.domain.roles import RoleFacts


def role_facts(guild: discord.Guild, role_id: int) -> RoleFacts:
    """Can the bot give `role_id` in `guild`: Manage Roles, and the role below the bot's highest role (the owner
    is above every role); @everyone and integrations' roles can never be given."""
    me = guild.me
    role = guild.get_role(role_id)
    manages = me is not None and me.guild_permissions.manage_roles
    if role is None or me is None:
        return RoleFacts(exists=role is not None, bot_manages_roles=manages, below_bot=False, managed=False)
    return RoleFacts(exists=True, bot_manages_roles=manages,
                     below_bot=guild.owner_id == me.id or role < me.top_role,
                     managed=role.is_default() or role.managed)
