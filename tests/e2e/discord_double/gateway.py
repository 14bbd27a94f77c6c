"""The gateway websocket: HELLO, IDENTIFY/READY, RESUME with replay, heartbeats, member chunks, drops.

Frames are sent as uncompressed JSON text (discord.py asks for zlib-stream but accepts text). Every dispatch
gets the session's next sequence number and is kept, so a RESUME replays what the client missed.
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


@dataclass
class Session:
    id: str
    intents: int
    seq: int = 0
    log: list[tuple[int, str]] = field(default_factory=list)
    ws: web.WebSocketResponse | None = None
    invalid: bool = False
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def live(self) -> bool:
        return self.ws is not None and not self.ws.closed


class Gateway:
    """One bot connection at a time; old sessions stay resumable until invalidated."""

    def __init__(self, state: DiscordState, *, token: str, bot_id: int, heartbeat_interval_ms: int) -> None:
        self.state = state
        self.token = token
        self.bot_id = bot_id
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.resume_url = ""
        self.sessions: dict[str, Session] = {}
        self.current: Session | None = None
        self.identifies: list[dict[str, Any]] = []
        self.resumes: list[dict[str, Any]] = []
        self.heartbeats = 0
        self._sockets: set[web.WebSocketResponse] = set()

    @property
    def intents(self) -> int:
        return self.current.intents if self.current else 0

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
        session = Session(id=secrets.token_hex(16), intents=int(data.get("intents", 0)))
        self.sessions[session.id] = session
        self.current = session
        session.ws = ws
        guilds = list(self.state.guilds.values())
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
        await self.dispatch("READY", ready)
        for guild in guilds:
            all_members = bool(session.intents & GUILD_MEMBERS)
            await self.dispatch(
                "GUILD_CREATE",
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
            self.current = session
            session.ws = ws
            last = int(data.get("seq") or 0)
            for seq, frame in session.log:
                if seq > last:
                    await ws.send_str(frame)
        await self.dispatch("RESUMED", {})
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
        """Send a DISPATCH on the current session; None when the bot's intents filter it out.

        `on_seq(seq)` runs before the frame leaves, so a waiter can be armed without a race.
        """
        session = self.current
        if session is None:
            raise RuntimeError("no bot has identified on the gateway yet")
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

    async def drop(self, mode: DropMode = "close") -> None:
        """Cut the bot off: `close` (code 4000, resumable), `reconnect` (op 7), `invalidate` (next RESUME
        gets INVALID_SESSION, so the client must IDENTIFY again)."""
        session = self.current
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
