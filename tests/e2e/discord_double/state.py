"""The double's in-memory Discord: users, a guild, channels, threads, DMs, messages and their history.

Plain records and lookups only; REST, gateway and interaction behaviour live in their own modules. Every
mutation goes through `DiscordState.touch()`, which wakes whoever waits on a condition (`wait_until`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

DISCORD_EPOCH_MS = 1_420_070_400_000
EPHEMERAL = 1 << 6
LOADING = 1 << 7
IS_COMPONENTS_V2 = 1 << 15
ALL_PERMISSIONS = (1 << 53) - 1


def iso_now() -> str:
    return datetime.now(UTC).isoformat()


class Snowflakes:
    """Real-looking, strictly increasing snowflakes (discord.py derives timestamps from them)."""

    def __init__(self) -> None:
        self._last = 0

    def next(self) -> int:
        candidate = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
        self._last = max(candidate, self._last + 1)
        return self._last

    def next_in_shard(self, shard_id: int, shard_count: int) -> int:
        """The next snowflake whose guild would live on this shard, `(id >> 22) % count == id` (its timestamp
        moves on by up to `count - 1` ms)."""
        candidate = self.next()
        while (candidate >> 22) % shard_count != shard_id:
            candidate = ((candidate >> 22) + 1) << 22
        self._last = candidate
        return candidate


class ChannelType(IntEnum):
    TEXT = 0
    DM = 1
    GROUP_DM = 3
    PUBLIC_THREAD = 11
    PRIVATE_THREAD = 12


@dataclass
class User:
    id: int
    username: str
    bot: bool = False
    global_name: str | None = None

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"


@dataclass
class Role:
    id: int
    name: str
    permissions: int = 0
    position: int = 0
    mentionable: bool = False

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"


@dataclass
class Channel:
    """A text channel, a thread (`parent_id` set), the bot's DM with a member (`recipient_id` set), or a private
    channel between members that the bot is not in (`recipient_ids`: a DM between two, a group DM)."""

    id: int
    name: str
    type: ChannelType
    guild_id: int | None = None
    parent_id: int | None = None
    position: int = 0
    owner_id: int | None = None
    recipient_id: int | None = None
    archived: bool = False
    locked: bool = False
    auto_archive_duration: int = 1440
    created_at: str = field(default_factory=iso_now)
    member_ids: set[int] = field(default_factory=set)
    recipient_ids: tuple[int, ...] = ()

    @property
    def is_thread(self) -> bool:
        return self.type in (ChannelType.PUBLIC_THREAD, ChannelType.PRIVATE_THREAD)

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"


@dataclass
class GuildMember:
    user_id: int
    role_ids: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=iso_now)


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    roles: dict[int, Role] = field(default_factory=dict)
    members: dict[int, GuildMember] = field(default_factory=dict)
    channel_ids: list[int] = field(default_factory=list)
    preferred_locale: str = "en-US"  # the server's language in Discord's settings

    @property
    def everyone(self) -> Role:
        return self.roles[self.id]

    def permissions_of(self, user_id: int) -> int:
        if user_id == self.owner_id:
            return ALL_PERMISSIONS
        value = self.everyone.permissions
        for role_id in self.members[user_id].role_ids:
            value |= self.roles[role_id].permissions
        return ALL_PERMISSIONS if value & 0x8 else value


@dataclass
class Attachment:
    id: int
    filename: str
    data: bytes
    content_type: str | None = None
    description: str | None = None

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class MentionPolicy:
    """What `allowed_mentions` lets a message ping: True (any), or the ids explicitly listed."""

    everyone: bool
    roles: bool | frozenset[int]
    users: bool | frozenset[int]
    replied_user: bool

    @classmethod
    def from_allowed(cls, allowed: dict[str, Any] | None) -> MentionPolicy:
        if allowed is None:  # Discord's default: parse every mention in the content
            return cls(everyone=True, roles=True, users=True, replied_user=True)
        parse = set(allowed.get("parse") or ())
        roles = True if "roles" in parse else frozenset(int(x) for x in allowed.get("roles") or ())
        users = True if "users" in parse else frozenset(int(x) for x in allowed.get("users") or ())
        return cls("everyone" in parse, roles, users, bool(allowed.get("replied_user", False)))

    def can_ping(self, *, everyone: bool = True, roles: bool = True, users: bool = True) -> bool:
        """Whether any mention of the asked kinds could notify someone, whatever the content."""
        return (everyone and self.everyone) or (roles and bool(self.roles)) or (users and bool(self.users))


@dataclass
class Message:
    """A message as the double stores it (the bot's or a member's)."""

    id: int
    channel_id: int
    author_id: int
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    flags: int = 0
    allowed_mentions: dict[str, Any] | None = None
    attachments: list[Attachment] = field(default_factory=list)
    reactions: dict[str, list[int]] = field(default_factory=dict)
    type: int = 0
    tts: bool = False
    created_at: str = field(default_factory=iso_now)
    edited_at: str | None = None
    history: list[dict[str, Any]] = field(default_factory=list)
    deleted: bool = False
    interaction_id: int | None = None
    webhook_id: int | None = None
    message_reference: dict[str, Any] | None = None

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def loading(self) -> bool:
        return bool(self.flags & LOADING)

    @property
    def mention_policy(self) -> MentionPolicy:
        return MentionPolicy.from_allowed(self.allowed_mentions)

    @property
    def text(self) -> str:
        """Content plus embed titles, descriptions and fields: handy for `in` assertions."""
        parts = [self.content]
        for embed in self.embeds:
            parts += [embed.get("title") or "", embed.get("description") or ""]
            parts += [f"{f.get('name', '')} {f.get('value', '')}" for f in embed.get("fields") or ()]
        return "\n".join(part for part in parts if part)

    def walk_components(self) -> Iterator[dict[str, Any]]:
        return walk_components(self.components)

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return [c for c in self.walk_components() if c.get("type") == 2]

    def reacted_by(self, user_id: int) -> list[str]:
        return [emoji for emoji, users in self.reactions.items() if user_id in users]


def walk_components(components: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every component, depth first, through action rows, containers, sections and labels."""
    for component in components:
        yield component
        yield from walk_components(component.get("components") or [])
        for key in ("accessory", "component"):
            if isinstance(component.get(key), dict):
                yield from walk_components([component[key]])


class DiscordState:
    """Everything the double knows, plus a change signal for waiting on conditions."""

    def __init__(self) -> None:
        self.ids = Snowflakes()
        self.users: dict[int, User] = {}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, Message] = {}
        self.global_commands: list[dict[str, Any]] = []
        self.guild_commands: dict[int, list[dict[str, Any]]] = {}
        self.foreign_guilds: dict[int, Guild] = {}  # servers the bot is not in (members may use a user install)
        self.user_installs: set[int] = set()  # members who added the app to their own account
        self.command_syncs: list[tuple[int | None, list[dict[str, Any]]]] = []
        self.uploads: dict[int, Attachment] = {}  # files members attached to slash-command options
        self._changed = asyncio.Event()

    def touch(self) -> None:
        """Wake every `wait_until` so it re-checks its condition."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_until(self, predicate: Callable[[], bool], *, timeout: float, what: str) -> None:
        """Wait until `predicate()` holds, re-checking after every change; no polling."""
        try:
            async with asyncio.timeout(timeout):
                while True:
                    changed = self._changed
                    if predicate():
                        return
                    await changed.wait()
        except TimeoutError:
            raise TimeoutError(f"timed out after {timeout:.1f} s waiting for {what}") from None

    def channel_messages(self, channel_id: int, *, include_ephemeral: bool = False) -> list[Message]:
        return [
            m
            for m in self.messages.values()
            if m.channel_id == channel_id and not m.deleted and (include_ephemeral or not m.ephemeral)
        ]

    def message(self, message_id: int) -> Message | None:
        found = self.messages.get(message_id)
        return None if found is None or found.deleted else found

    def guild_of(self, channel: Channel) -> Guild | None:
        return self.guilds.get(channel.guild_id) if channel.guild_id is not None else None

    def commands_for(self, guild_id: int | None) -> list[dict[str, Any]]:
        return self.global_commands if guild_id is None else self.guild_commands.get(guild_id, [])
