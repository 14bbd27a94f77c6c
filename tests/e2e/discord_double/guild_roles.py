"""Giving and taking a member's role (`PUT`/`DELETE /guilds/{guild_id}/members/{user_id}/roles/{role_id}`), with
Discord's checks: the bot needs Manage Roles (Administrator implies it) and may only manage roles below its own
highest role, unless it owns the server; either refusal is Discord's 403 with code 50013 "Missing Permissions".
Success is 204 (also when nothing changed), followed by GUILD_MEMBER_UPDATE for a bot with the members intent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from . import payloads
from .faults import error_response
from .gateway import GUILD_MEMBERS
from .state import Guild

if TYPE_CHECKING:
    from .rest import Call, Pipeline

MANAGE_ROLES = 1 << 28
MISSING_PERMISSIONS = 50013
UNKNOWN_GUILD, UNKNOWN_MEMBER, UNKNOWN_ROLE = 10004, 10007, 10011


def highest_position(guild: Guild, user_id: int) -> int:
    """The position of a member's highest role (@everyone is 0)."""
    member = guild.members[user_id]
    return max((guild.roles[r].position for r in member.role_ids if r in guild.roles), default=0)


def may_manage(guild: Guild, actor_id: int, role_id: int) -> bool:
    if actor_id == guild.owner_id:
        return True
    if not guild.permissions_of(actor_id) & MANAGE_ROLES:
        return False
    return guild.roles[role_id].position < highest_position(guild, actor_id)


def add_role_routes(pipeline: Pipeline) -> None:
    double = pipeline.double
    state = double.state

    async def change(call: Call) -> web.StreamResponse:
        guild = state.guilds.get(int(call.params["guild_id"]))
        if guild is None:
            return error_response(404, UNKNOWN_GUILD, "Unknown Guild")
        user_id, role_id = int(call.params["user_id"]), int(call.params["role_id"])
        if user_id not in guild.members:
            return error_response(404, UNKNOWN_MEMBER, "Unknown Member")
        if role_id not in guild.roles or role_id == guild.id:
            return error_response(404, UNKNOWN_ROLE, "Unknown Role")
        if not may_manage(guild, double.bot_id, role_id):
            return error_response(403, MISSING_PERMISSIONS, "Missing Permissions")
        held = guild.members[user_id].role_ids
        adding = call.route.startswith("PUT")
        if adding != (role_id in held):
            if adding:
                held.append(role_id)
            else:
                held.remove(role_id)
            if double.gateway.current is not None:
                data = payloads.member(state, guild, user_id) | {"guild_id": str(guild.id)}
                await double.gateway.dispatch("GUILD_MEMBER_UPDATE", data, intent=GUILD_MEMBERS)
        return web.Response(status=204)

    path = "/guilds/{guild_id}/members/{user_id}/roles/{role_id}"
    pipeline.add("PUT", path, change)
    pipeline.add("DELETE", path, change)
