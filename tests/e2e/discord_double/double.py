"""`DiscordDouble`: Discord on loopback (REST v10 + gateway) that a real discord.py client runs against.

A test builds its own client; `async with double.running(make_client) as client:` points discord.py at the
double, logs in, waits for `on_ready`, and closes the client on exit. Members act through `Member`
objects (`double.member("alice")`); what the bot did is read from the double's state.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import discord
from aiohttp import web

from .callbacks import add_interaction_routes
from .channels import add_channel_routes
from .delivery import Delivery, deliver
from .faults import Faults
from .gateway import DropMode, Gateway
from .guild_roles import add_role_routes
from .interactions import InteractionResult
from .members import Member
from .rest import Call, Pipeline, add_application_routes, add_fallback_routes
from .runner import (
    ClientT,
    collecting_errors,
    pointing_discord_at,
    ready_or_failed,
    shard_websocket,
    skip_reidentify_delay,
)
from .spec import RequestSchemas
from .state import Attachment, Channel, ChannelType, DiscordState, Guild, GuildMember, Message, Role, User
from .violations import Violation, Violations
from .world import EVERYONE_PERMISSIONS, build_default_world, build_guild


class DiscordDouble:
    """Discord's REST API and gateway for one bot, one guild (plus DMs), in memory."""

    def __init__(
        self,
        *,
        schemas: RequestSchemas | None = None,
        interaction_deadline: float = 3.0,
        timeout: float = 5.0,
        guild_ready_timeout: float = 0.05,
        heartbeat_interval_ms: int = 41_250,
    ) -> None:
        self.state = DiscordState()
        self.schemas = schemas
        self.interaction_deadline = interaction_deadline
        self.timeout = timeout
        self.guild_ready_timeout = guild_ready_timeout
        self.token = f"double.{secrets.token_urlsafe(24)}"
        self.faults = Faults()
        self.nonces: dict[tuple[int, str], tuple[int, float]] = {}  # (channel, nonce) -> (message, monotonic time)
        self.violations = Violations()
        self.interactions: dict[int, InteractionResult] = {}
        self.client: discord.Client | None = None
        self.remote = False  # a bot running as another process (`serving_process`), not `self.client`
        self.base_url = ""
        self.gateway_url = ""
        world = build_default_world(self.state)
        self.bot_id = world.bot.id
        self.guild: Guild = world.guild
        self._members = {name: Member(self, user) for name, user in world.members.items()}
        self.gateway = Gateway(
            self.state, token=self.token, bot_id=self.bot_id, heartbeat_interval_ms=heartbeat_interval_ms
        )
        self.pipeline = Pipeline(self)
        self._runner: web.AppRunner | None = None
        self._timers: list[asyncio.TimerHandle] = []
        self.client_errors: list[logging.LogRecord] = []

    # --- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> None:
        add_application_routes(self.pipeline)
        add_channel_routes(self.pipeline)
        add_interaction_routes(self.pipeline)
        add_role_routes(self.pipeline)
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/", self.gateway.handle)
        app.router.add_get("/resume", self.gateway.handle)
        app.router.add_routes(self.pipeline.routes)
        add_fallback_routes(app, self)
        self._runner = web.AppRunner(app, access_log=None, handler_cancellation=True)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"
        self.gateway_url = f"ws://127.0.0.1:{port}/"
        self.gateway.resume_url = f"ws://127.0.0.1:{port}/resume"

    async def stop(self) -> None:
        for timer in self._timers:
            timer.cancel()
        await self.gateway.close_all()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> DiscordDouble:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @asynccontextmanager
    async def running(
        self, client: ClientT | Callable[..., ClientT], *, ready_timeout: float = 10.0
    ) -> AsyncIterator[ClientT]:
        """Run a client against the double until the block ends; yields it once `on_ready` has fired.

        `client` is a client, or a factory called as `factory(guild_ready_timeout=...)` (preferred: a
        fresh client per run, so a test can stop and start the bot again over the same double).
        """
        if self.client is not None:
            raise RuntimeError("a client is already running against this double")
        bot: ClientT = (
            client
            if isinstance(client, discord.Client)
            else client(guild_ready_timeout=self.guild_ready_timeout)
        )
        skip_reidentify_delay(bot)
        with pointing_discord_at(self.base_url, self.gateway_url), collecting_errors(self.client_errors):
            try:
                await bot.login(self.token)
            except BaseException:
                await bot.close()
                raise
            connection = asyncio.create_task(bot.connect(), name="discord-double: client.connect")
            self.client = bot
            try:
                await ready_or_failed(bot, connection, ready_timeout)
                await self._guilds_cached(bot)
                yield bot
            finally:
                self.client = None
                await bot.close()
                await asyncio.wait_for(connection, timeout=self.timeout)

    @contextmanager
    def serving_process(self) -> Iterator[None]:
        """For a bot that runs as another process (the real `python -m bot run`, pointed at this double):
        member actions go over the gateway while it is connected and are lost while it is down, as on Discord;
        nothing waits for in-process handlers (an interaction's reply is what a member waits for)."""
        if self.client is not None:
            raise RuntimeError("an in-process client is running against this double")
        self.remote = True
        try:
            yield
        finally:
            self.remote = False

    @property
    def bot_connected(self) -> bool:
        """Whether events reach the bot now: an in-process client, or a process with a live gateway session
        (with several shard processes: shard 0's, see `shards_connected`)."""
        if self.client is not None:
            return True
        session = self.gateway.current
        return self.remote and session is not None and session.live

    def shards_connected(self, shards: Iterable[int]) -> bool:
        """Whether each of these shards has a live gateway session (a bot process that runs them is connected)."""
        return set(shards) <= self.gateway.live_shards()

    async def _guilds_cached(self, client: discord.Client) -> None:
        """On a slow machine a GUILD_CREATE can come after `on_ready`; wait until the client parsed it."""
        for guild_id in self.state.guilds:
            session = self.gateway.session_for(guild_id)
            if session is not None and client.get_guild(guild_id) is None:
                ws = shard_websocket(client, session.shard_id)
                parsed = ws.wait_for("GUILD_CREATE", lambda d, wanted=guild_id: int(d["id"]) == wanted)
                await asyncio.wait_for(parsed, self.timeout)

    def take_client_errors(self) -> list[logging.LogRecord]:
        """Claim the errors discord.py logged for the client (e.g. "Ignoring exception in command")."""
        taken, self.client_errors[:] = list(self.client_errors), []
        return taken

    async def drop_gateway(self, mode: DropMode = "close", *, shard: int = 0) -> None:
        """Cut the running client's gateway connection (of one shard) and wait until it has resumed (or, with
        `invalidate`, identified again and fired `on_ready`)."""
        client = self._require_client()
        if isinstance(client, discord.AutoShardedClient):
            event = "shard_ready" if mode == "invalidate" else "shard_resumed"
        else:
            event = "ready" if mode == "invalidate" else "resumed"
        back = asyncio.ensure_future(client.wait_for(event, timeout=self.timeout))
        await self.gateway.drop(mode, shard=shard)
        await back
        await self._guilds_cached(client)

    # --- world -----------------------------------------------------------------------------------

    def member(self, name: str) -> Member:
        return self._members[name]

    def add_member(self, name: str, *, roles: tuple[Role, ...] = ()) -> Member:
        user = User(self.state.ids.next(), name)
        self.state.users[user.id] = user
        self.guild.members[user.id] = GuildMember(user.id, [r.id for r in roles])
        self._members[name] = Member(self, user)
        self.state.touch()
        return self._members[name]

    def add_user(self, name: str) -> Member:
        """A Discord user who shares no server with the bot (they can still use a user install)."""
        user = User(self.state.ids.next(), name)
        self.state.users[user.id] = user
        self._members[name] = Member(self, user)
        return self._members[name]

    def install_for_user(self, member: Member) -> None:
        """The member adds the app to their own account (a user install): its user-installable commands follow
        them into any server, DM and group DM (`installs.py`)."""
        self.state.user_installs.add(member.id)
        self.state.touch()

    def add_guild(self, name: str, *, shard: tuple[int, int] | None = None) -> tuple[Guild, Member]:
        """Another server the bot is in, with its own owner (returned, to act as) and #general; `shard=(id,
        count)` picks a guild id on that shard. Build servers before the bot starts (it reads them on READY)."""
        ids = self.state.ids
        guild_id = ids.next_in_shard(*shard) if shard else ids.next()
        owner = User(ids.next(), f"{name}-owner")
        guild = build_guild(self.state, guild_id, name, owner, self.bot_id)
        self._members[owner.username] = Member(self, owner)
        self.state.touch()
        return guild, self._members[owner.username]

    def guild_channel(self, guild: Guild, name: str = "general") -> Channel:
        return next(self.state.channels[c] for c in guild.channel_ids if self.state.channels[c].name == name)

    def add_foreign_guild(self, name: str, members: tuple[Member, ...], *, channel: str = "lounge") -> Channel:
        """A server the bot is not in, with one text channel and these members (and an owner of its own); never
        announced to the bot. Returns the channel: a member with a user install can run commands there."""
        owner = User(self.state.ids.next(), f"{name}-owner")
        self.state.users[owner.id] = owner
        guild = Guild(self.state.ids.next(), name, owner.id)
        guild.roles = {guild.id: Role(guild.id, "@everyone", EVERYONE_PERMISSIONS, 0)}
        guild.members = {u: GuildMember(u) for u in (owner.id, *(m.id for m in members))}
        text = Channel(self.state.ids.next(), channel, ChannelType.TEXT, guild.id)
        self.state.channels[text.id] = text
        guild.channel_ids.append(text.id)
        self.state.foreign_guilds[guild.id] = guild
        return text

    def private_channel(self, *members: Member, name: str = "") -> Channel:
        """A DM between two members, or a group DM of more: the bot is not in it (context 2, user installs only)."""
        if len(members) < 2:
            raise ValueError("a private channel has at least two members")
        kind = ChannelType.DM if len(members) == 2 else ChannelType.GROUP_DM
        ids = tuple(m.id for m in members)
        channel = Channel(self.state.ids.next(), name, kind, owner_id=ids[0], recipient_ids=ids)
        self.state.channels[channel.id] = channel
        return channel

    def guild_by_id(self, guild_id: int) -> Guild:
        """A server the bot is in, or one it is not in (`add_foreign_guild`)."""
        return self.state.guilds.get(guild_id) or self.state.foreign_guilds[guild_id]

    def add_role(self, name: str, *, permissions: int = 0, mentionable: bool = False,
                 position: int | None = None) -> Role:
        """A new role, by default at the top of the list (`position` places it, as dragging it in Discord does)."""
        position = len(self.guild.roles) if position is None else position
        role = Role(self.state.ids.next(), name, permissions, position, mentionable)
        self.guild.roles[role.id] = role
        return role

    def add_channel(self, name: str) -> Channel:
        channel = Channel(
            self.state.ids.next(), name, ChannelType.TEXT, self.guild.id, position=len(self.guild.channel_ids)
        )
        self.state.channels[channel.id] = channel
        self.guild.channel_ids.append(channel.id)
        return channel

    def upload(self, filename: str, data: bytes, content_type: str | None = None) -> Attachment:
        """A file a member attaches to a slash command's attachment option: `m.slash("bank upload", file=f)`.
        Discord holds it on its CDN (this double serves it from `/attachments/...`) and sends its address."""
        attachment = Attachment(self.state.ids.next(), filename, data, content_type)
        self.state.uploads[attachment.id] = attachment
        return attachment

    def channel(self, name: str) -> Channel:
        for channel_id in self.guild.channel_ids:
            if self.state.channels[channel_id].name == name:
                return self.state.channels[channel_id]
        raise KeyError(f"no channel {name!r}")

    def role(self, name: str) -> Role:
        return next(r for r in self.guild.roles.values() if r.name == name)

    def create_thread(
        self,
        parent: Channel,
        name: str,
        *,
        kind: ChannelType = ChannelType.PUBLIC_THREAD,
        owner_id: int,
        thread_id: int | None = None,
        auto_archive_duration: int = 1440,
    ) -> Channel:
        thread = Channel(
            thread_id or self.state.ids.next(),
            name,
            kind,
            self.guild.id,
            parent_id=parent.id,
            owner_id=owner_id,
            auto_archive_duration=auto_archive_duration,
            member_ids={owner_id},
        )
        self.state.channels[thread.id] = thread
        self.guild.channel_ids.append(thread.id)
        return thread

    def dm_channel(self, user_id: int) -> Channel:
        for channel in self.state.channels.values():
            if channel.type is ChannelType.DM and channel.recipient_id == user_id:
                return channel
        channel = Channel(self.state.ids.next(), "", ChannelType.DM, recipient_id=user_id)
        self.state.channels[channel.id] = channel
        return channel

    # --- queries ---------------------------------------------------------------------------------

    def messages(self, channel: Channel | str, *, include_ephemeral: bool = False) -> list[Message]:
        """Messages in a channel or thread, oldest first (ephemeral replies only when asked)."""
        found = self.channel(channel) if isinstance(channel, str) else channel
        return self.state.channel_messages(found.id, include_ephemeral=include_ephemeral)

    def bot_messages(self, channel: Channel | str, *, include_ephemeral: bool = False) -> list[Message]:
        return [
            m
            for m in self.messages(channel, include_ephemeral=include_ephemeral)
            if m.author_id == self.bot_id
        ]

    def threads(self, parent: Channel | str | None = None) -> list[Channel]:
        wanted = self.channel(parent) if isinstance(parent, str) else parent
        found = [c for c in self.state.channels.values() if c.is_thread]
        return [t for t in found if wanted is None or t.parent_id == wanted.id]

    def dms(self, member: Member) -> list[Message]:
        """What the bot sent `member` in private."""
        return [m for m in self.messages(self.dm_channel(member.id)) if m.author_id == self.bot_id]

    def bot_reactions(self, message: Message) -> list[str]:
        """The emoji the bot itself has on `message` (`"👍"`, or `"name:id"` for custom emoji)."""
        return message.reacted_by(self.bot_id)

    def commands(self, guild: Guild | None = None) -> list[dict[str, Any]]:
        """The command tree the bot last synced, globally or for `guild`."""
        return self.state.commands_for(None if guild is None else guild.id)

    def requests(self, route: str | None = None) -> list[Call]:
        """The bot's REST calls (`Call`: route, params, body, status), optionally of one route."""
        return [c for c in self.pipeline.calls if route is None or c.route == route]

    async def wait_for_message(
        self,
        channel: Channel | str,
        predicate: Callable[[Message], bool] = lambda m: True,
        *,
        timeout: float | None = None,
    ) -> Message:
        """The first message in `channel` (ephemeral included) matching `predicate`, waiting for it."""
        found: list[Message] = []

        def match() -> bool:
            found[:] = [m for m in self.messages(channel, include_ephemeral=True) if predicate(m)]
            return bool(found)

        await self.state.wait_until(match, timeout=timeout or self.timeout, what=f"a message in {channel}")
        return found[0]

    async def wait_until(
        self, predicate: Callable[[], bool], *, timeout: float | None = None, what: str = ""
    ) -> None:
        await self.state.wait_until(predicate, timeout=timeout or self.timeout, what=what or "a condition")

    def expect_violation(self, *rules: str) -> Any:
        """`with double.expect_violation("content.length"):` — the block must provoke these rejections."""
        return self.violations.expect(*rules)

    def take_violations(self, rule: str | None = None) -> list[Violation]:
        return self.violations.take(rule)

    # --- talking to the bot ----------------------------------------------------------------------

    def _require_client(self) -> discord.Client:
        if self.client is None:
            raise RuntimeError("no client is running; use `async with double.running(...)`")
        return self.client

    async def deliver(self, event: str, data: dict[str, Any], *, intent: int | None = None) -> Delivery:
        """Dispatch an event a member caused and return once the client has processed it (a bot running as a
        process: once it was sent; while that process is down, the event reaches nobody)."""
        if self.client is None and self.remote:
            delivery = Delivery(event)
            session = self.gateway.route(event, data) if self.gateway.shards else None
            if session is None or not session.live:
                delivery.lost = True
                return delivery
            delivery.filtered = await self.gateway.dispatch(event, data, intent=intent) is None
            return delivery
        return await deliver(
            self._require_client(), self.gateway, event, data, intent=intent, timeout=self.timeout
        )

    # --- interactions ----------------------------------------------------------------------------

    def interaction_by_token(self, token: str) -> InteractionResult | None:
        return next((i for i in self.interactions.values() if i.token == token), None)

    def deadline_passed(self, interaction: InteractionResult) -> bool:
        started = interaction.dispatched_at
        late = started is not None and asyncio.get_running_loop().time() - started > self.interaction_deadline
        if late and not interaction.deadline_missed:
            self._miss_deadline(interaction)
        return interaction.deadline_missed

    def _miss_deadline(self, interaction: InteractionResult) -> None:
        interaction.deadline_missed = True
        detail = f"no initial response within {self.interaction_deadline:.1f} s"
        self.violations.record("interaction.deadline", f"INTERACTION_CREATE {interaction.id}", detail)
        self.state.touch()

    def arm_deadline(self, interaction: InteractionResult) -> None:
        loop = asyncio.get_running_loop()
        interaction.dispatched_at = loop.time()

        def check() -> None:
            if interaction.callback_attempts == 0 and not interaction.deadline_missed:
                self._miss_deadline(interaction)

        self._timers.append(loop.call_later(self.interaction_deadline, check))
