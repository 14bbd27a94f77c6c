"""Discord JSON objects built from the double's state, shaped as discord.py 2.7.1 reads them.

Fields discord.py requires but real Discord sometimes omits are always present (members' `flags`,
threads' `message_count`/`member_count`/`thread_metadata`, reactions' `type`).
"""

from __future__ import annotations

from typing import Any

from .state import Attachment, Channel, ChannelType, DiscordState, Guild, Message, Role, User

ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


def user(u: User) -> dict[str, Any]:
    return {
        "id": str(u.id),
        "username": u.username,
        "discriminator": "0",
        "global_name": u.global_name,
        "avatar": None,
        "bot": u.bot,
        "public_flags": 0,
        "flags": 0,
    }


def member(
    state: DiscordState, guild: Guild, user_id: int, *, with_permissions: bool = False
) -> dict[str, Any]:
    info = guild.members[user_id]
    data: dict[str, Any] = {
        "user": user(state.users[user_id]),
        "roles": [str(r) for r in info.role_ids],
        "nick": info.nick,
        "avatar": None,
        "joined_at": info.joined_at,
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "pending": False,
        "flags": 0,
        "communication_disabled_until": None,
    }
    if with_permissions:
        data["permissions"] = str(guild.permissions_of(user_id))
    return data


def role(r: Role) -> dict[str, Any]:
    return {
        "id": str(r.id),
        "name": r.name,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "icon": None,
        "unicode_emoji": None,
        "position": r.position,
        "permissions": str(r.permissions),
        "managed": False,
        "mentionable": r.mentionable,
        "flags": 0,
    }


def channel(state: DiscordState, ch: Channel) -> dict[str, Any]:
    if ch.type in (ChannelType.DM, ChannelType.GROUP_DM):
        recipients = ch.recipient_ids or (ch.recipient_id or 0,)
        data = {
            "id": str(ch.id),
            "type": int(ch.type),
            "last_message_id": _last_message_id(state, ch.id),
            "recipients": [user(state.users[r]) for r in recipients],
            "flags": 0,
        }
        if ch.type is ChannelType.GROUP_DM:
            data |= {"name": ch.name or None, "icon": None, "owner_id": str(ch.owner_id or recipients[0])}
        return data
    data: dict[str, Any] = {
        "id": str(ch.id),
        "type": int(ch.type),
        "guild_id": str(ch.guild_id),
        "name": ch.name,
        "parent_id": str(ch.parent_id) if ch.parent_id else None,
        "last_message_id": _last_message_id(state, ch.id),
        "rate_limit_per_user": 0,
        "flags": 0,
        "nsfw": False,
    }
    if not ch.is_thread:
        data.update(position=ch.position, permission_overwrites=[], topic=None)
        return data
    count = len(state.channel_messages(ch.id))
    data.update(
        owner_id=str(ch.owner_id),
        message_count=count,
        total_message_sent=count,
        member_count=len(ch.member_ids),
        thread_metadata={
            "archived": ch.archived,
            "auto_archive_duration": ch.auto_archive_duration,
            "archive_timestamp": ch.created_at,
            "locked": ch.locked,
            "invitable": True,
            "create_timestamp": ch.created_at,
        },
    )
    return data


def _last_message_id(state: DiscordState, channel_id: int) -> str | None:
    ids = [m.id for m in state.channel_messages(channel_id)]
    return str(max(ids)) if ids else None


def guild_create(state: DiscordState, guild: Guild, *, all_members: bool, bot_id: int) -> dict[str, Any]:
    member_ids = list(guild.members) if all_members else [bot_id]
    channels = [state.channels[c] for c in guild.channel_ids]
    return {
        "id": str(guild.id),
        "name": guild.name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "owner_id": str(guild.owner_id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "premium_progress_bar_enabled": False,
        "preferred_locale": guild.preferred_locale,
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "safety_alerts_channel_id": None,
        "vanity_url_code": None,
        "application_id": None,
        "features": [],
        "roles": [role(r) for r in guild.roles.values()],
        "emojis": [],
        "stickers": [],
        "joined_at": guild.members[bot_id].joined_at,
        "large": False,
        "unavailable": False,
        "member_count": len(guild.members),
        "members": [member(state, guild, uid) for uid in member_ids],
        "channels": [channel(state, c) for c in channels if not c.is_thread],
        "threads": [channel(state, c) for c in channels if c.is_thread and not c.archived],
        "presences": [],
        "voice_states": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "incidents_data": None,
    }


def attachment(a: Attachment, base_url: str, channel_id: int) -> dict[str, Any]:
    url = f"{base_url}/attachments/{channel_id}/{a.id}/{a.filename}"
    return {
        "id": str(a.id),
        "filename": a.filename,
        "size": a.size,
        "url": url,
        "proxy_url": url,
        "content_type": a.content_type,
        "description": a.description,
    }


def message(state: DiscordState, msg: Message, base_url: str) -> dict[str, Any]:
    ch = state.channels[msg.channel_id]
    data: dict[str, Any] = {
        "id": str(msg.id),
        "channel_id": str(msg.channel_id),
        "author": user(state.users[msg.author_id]),
        "content": msg.content,
        "timestamp": msg.created_at,
        "edited_timestamp": msg.edited_at,
        "tts": msg.tts,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [attachment(a, base_url, msg.channel_id) for a in msg.attachments],
        "embeds": msg.embeds,
        "components": msg.components,
        "reactions": [
            {
                "emoji": emoji_object(key),
                "count": len(users),
                "count_details": {"normal": len(users), "burst": 0},
                "me": state_bot_id(state) in users,
                "me_burst": False,
                "burst_colors": [],
            }
            for key, users in msg.reactions.items()
            if users
        ],
        "pinned": False,
        "type": msg.type,
        "flags": msg.flags,
    }
    if ch.guild_id is not None:
        data["guild_id"] = str(ch.guild_id)
        guild = state.guilds.get(ch.guild_id) or state.foreign_guilds[ch.guild_id]
        if msg.author_id in guild.members and msg.webhook_id is None:
            data["member"] = {k: v for k, v in member(state, guild, msg.author_id).items() if k != "user"}
    if msg.webhook_id is not None:
        data["webhook_id"] = str(msg.webhook_id)
        data["application_id"] = str(msg.webhook_id)
    if msg.message_reference is not None:
        data["message_reference"] = msg.message_reference
    return data


def state_bot_id(state: DiscordState) -> int:
    return next((u.id for u in state.users.values() if u.bot), 0)


def emoji_object(key: str) -> dict[str, Any]:
    """`👍` or `name:id` (the form discord.py puts in reaction routes) as an emoji object."""
    name, _, emoji_id = key.partition(":")
    if emoji_id:
        return {"id": emoji_id, "name": name, "animated": False}
    return {"id": None, "name": name}


def emoji_key(emoji: dict[str, Any]) -> str:
    return f"{emoji['name']}:{emoji['id']}" if emoji.get("id") else str(emoji["name"])
