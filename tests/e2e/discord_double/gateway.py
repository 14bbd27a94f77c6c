"""The gateway websocket: HELLO, IDENTIFY/READY, RESUME with replay, heartbeats, member chunks, drops, shards.

Frames are sent as uncompressed JSON text (discord.py asks for zlib-stream but accepts text). Every dispatch
gets the session's next sequence number and is kept, so a RESUME replays what the client missed.

Shards as Discord has them: an IDENTIFY may carry `shard: [id, count]`; that session gets READY (with the same
`shard` field) and GUILD_CREATE for the guilds of its shard only, `(guild_id >> 22) % count == id`, and every
later event of a guild goes to the session of the guild's shard; events with no guild (DMs) go to shard 0. One
session may hold at most `guilds_per_shard` guilds, else it is closed with 4011 "Sharding required" (Discord's
limit is 2,500). Several processes may each run some of the shards: each shard has its own session.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from aiohttp import WSMsgType, web

from . import payloads
from .state import DiscordState

GUILD_MEMBERS = 1 << 1
GUILD_MESSAGES = 1 << 9
GUILD_MESSAGE_REACTIONS = 1 << 10
DIRECT_MESSAGES = 1 << 12
DIRECT_MESSAGE_REACTIONS = 1 << 13
MESSAGE_CONTENT = 1 << 15

DropMode = Literal["close", "reconnect", "invalidate"]


GUILD_OBJECT_EVENTS = frozenset({"GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE"})  # their `id` is the guild's
SHARDING_REQUIRED = 4011
INVALID_SHARD = 4010


def shard_of(guild_id: int, shard_count: int) -> int:
    return (guild_id >> 22) % shard_count


def guild_of(event: str, data: dict[str, Any]) -> int | None:
    """The guild a dispatch belongs to (which decides its shard); None for DMs and the like."""
    raw = data.get("id") if event in GUILD_OBJECT_EVENTS else data.get("guild_id")
    return int(raw) if raw is not None else None


@dataclass
class Session:
    id: str
    intents: int
    shard_id: int = 0
    shard_count: int = 1
    seq: int = 0
    log: list[tuple[int, str]] = field(default_factory=list)
    ws: web.WebSocketResponse | None = None
    invalid: bool = False
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def live(self) -> bool:
        return self.ws is not None and not self.ws.closed

    def owns(self, guild_id: int | None) -> bool:
        """Whether this session's shard receives the guild's events (events with no guild go to shard 0)."""
        if guild_id is None:
            return self.shard_id == 0
        return shard_of(guild_id, self.shard_count) == self.shard_id


class Gateway:
    """One connection per shard (one in all, unless the bot shards); old sessions stay resumable until
    invalidated."""

    def __init__(self, state: DiscordState, *, token: str, bot_id: int, heartbeat_interval_ms: int) -> None:
        self.state = state
        self.token = token
        self.bot_id = bot_id
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.resume_url = ""
        self.sessions: dict[str, Session] = {}
        self.shards: dict[int, Session] = {}  # shard id -> the session that shard runs on now
        self.recommended_shards = 1  # what GET /gateway/bot advises
        self.guilds_per_shard = 2500
        self.identifies: list[dict[str, Any]] = []
        self.resumes: list[dict[str, Any]] = []
        self.heartbeats = 0
        self._sockets: set[web.WebSocketResponse] = set()

    @property
    def current(self) -> Session | None:
        """Shard 0's session (the only one when the bot does not shard), else any; None before an IDENTIFY."""
        return self.shards.get(0) or next(iter(self.shards.values()), None)

    @property
    def intents(self) -> int:
        return self.current.intents if self.current else 0

    def session_for(self, guild_id: int | None) -> Session | None:
        """The session that receives a guild's events (None: no process runs that shard)."""
        return next((s for s in self.shards.values() if s.owns(guild_id)), None)

    def route(self, event: str, data: dict[str, Any]) -> Session | None:
        return self.session_for(guild_of(event, data))

    def live_shards(self) -> set[int]:
        return {shard for shard, session in self.shards.items() if session.live}

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        self._sockets.add(ws)
        try:
            await ws.send_json(
                {"op": 10, "s": None, "t": None, "d": {"heartbeat_interval": self.heartbeat_interval_ms}}
            )
            async for frame in ws:
                if frame.type is WSMsgType.TEXT:
                    await self._receive(ws, json.loads(frame.data))
        finally:
            self._sockets.discard(ws)
            for session in self.sessions.values():  # aiohttp leaves `closed` False when the peer just vanished
                if session.ws is ws:
                    session.ws = None
            self.state.touch()
        return ws

    async def _receive(self, ws: web.WebSocketResponse, packet: dict[str, Any]) -> None:
        op, data = packet.get("op"), packet.get("d")
        if op == 1:
            self.heartbeats += 1
            self.state.touch()
            await ws.send_json({"op": 11, "s": None, "t": None, "d": None})
        elif op == 2:
            await self._identify(ws, data)
        elif op == 6:
            await self._resume(ws, data)
        elif op == 8:
            await self._chunk_members(data)

    async def _identify(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> None:
        self.identifies.append(data)
        if data.get("token") != self.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return
        shard = data.get("shard")
        shard_id, shard_count = (int(shard[0]), int(shard[1])) if shard else (0, 1)
        if not 0 <= shard_id < shard_count:
            await ws.close(code=INVALID_SHARD, message=b"Invalid shard.")
            return
        session = Session(id=secrets.token_hex(16), intents=int(data.get("intents", 0)),
                          shard_id=shard_id, shard_count=shard_count)
        guilds = [g for g in self.state.guilds.values() if session.owns(g.id)]
        if len(guilds) > self.guilds_per_shard:
            await ws.close(code=SHARDING_REQUIRED, message=b"Sharding required.")
            return
        self.sessions[session.id] = session
        for other in [k for k, s in self.shards.items() if s.shard_count != shard_count]:
            del self.shards[other]  # the bot re-sharded: the old count's sessions get nothing more
        self.shards[shard_id] = session
        session.ws = ws
        ready = {
            "v": 10,
            "user": payloads.user(self.state.users[self.bot_id]),
            "user_settings": {},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.resume_url,
            "application": {"id": str(self.bot_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "geo_ordered_rtc_regions": [],
        }
        if shard:
            ready["shard"] = [shard_id, shard_count]
        await self._send(session, "READY", ready)
        for guild in guilds:
            all_members = bool(session.intents & GUILD_MEMBERS)
            await self._send(
                session, "GUILD_CREATE",
                payloads.guild_create(self.state, guild, all_members=all_members, bot_id=self.bot_id),
            )
        self.state.touch()

    async def _resume(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> None:
        self.resumes.append(data)
        session = self.sessions.get(data.get("session_id", ""))
        if session is None or session.invalid or data.get("token") != self.token:
            await ws.send_json({"op": 9, "s": None, "t": None, "d": False})
            return
        async with session.lock:
            self.shards[session.shard_id] = session
            session.ws = ws
            last = int(data.get("seq") or 0)
            for seq, frame in session.log:
                if seq > last:
                    await ws.send_str(frame)
        await self._send(session, "RESUMED", {})
        self.state.touch()

    async def _chunk_members(self, data: dict[str, Any]) -> None:
        guild = self.state.guilds.get(int(data.get("guild_id", 0)))
        if guild is None:
            return
        members = [payloads.member(self.state, guild, uid) for uid in guild.members]
        chunk = {"guild_id": str(guild.id), "members": members, "chunk_index": 0, "chunk_count": 1}
        if data.get("nonce") is not None:
            chunk["nonce"] = data["nonce"]
        await self.dispatch("GUILD_MEMBERS_CHUNK", chunk)

    async def dispatch(
        self,
        event: str,
        data: dict[str, Any],
        *,
        intent: int | None = None,
        on_seq: Callable[[int], object] | None = None,
    ) -> int | None:
        """Send a DISPATCH on the session of its guild's shard; None when the bot's intents filter it out, or
        when no process runs that shard (nobody receives it).

        `on_seq(seq)` runs before the frame leaves, so a waiter can be armed without a race.
        """
        if not self.shards:
            raise RuntimeError("no bot has identified on the gateway yet")
        session = self.route(event, data)
        if session is None:
            return None
        return await self._send(session, event, data, intent=intent, on_seq=on_seq)

    async def _send(
        self,
        session: Session,
        event: str,
        data: dict[str, Any],
        *,
        intent: int | None = None,
        on_seq: Callable[[int], object] | None = None,
    ) -> int | None:
        if intent is not None and not session.intents & intent:
            return None
        async with session.lock:
            session.seq += 1
            seq = session.seq
            frame = json.dumps({"op": 0, "s": seq, "t": event, "d": data})
            session.log.append((seq, frame))
            if on_seq is not None:
                on_seq(seq)
            if session.live and session.ws is not None:
                with contextlib.suppress(ConnectionResetError):  # kept in the log; replayed on RESUME
                    await session.ws.send_str(frame)
        return seq

    async def drop(self, mode: DropMode = "close", *, shard: int = 0) -> None:
        """Cut a shard's connection: `close` (code 4000, resumable), `reconnect` (op 7), `invalidate` (next
        RESUME gets INVALID_SESSION, so the client must IDENTIFY again)."""
        session = self.shards.get(shard)
        if session is None or session.ws is None:
            raise RuntimeError("no live gateway session to drop")
        ws = session.ws
        if mode == "reconnect":
            await ws.send_json({"op": 7, "s": None, "t": None, "d": None})
            return
        session.invalid = mode == "invalidate"
        await ws.close(code=4000, message=b"connection dropped by the test")

    async def close_all(self) -> None:
        for ws in list(self._sockets):
            await ws.close(code=1001, message=b"double shutting down")
