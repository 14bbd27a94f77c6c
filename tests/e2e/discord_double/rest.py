"""The REST v10 pipeline and the application-level routes (users, application, commands, guild, gateway).

Every request goes through one pipeline: record it, check the bot token, apply injected faults, parse the
body (JSON or multipart with `payload_json`), run route prechecks, check Discord's limits and the OpenAPI
request schema, and only then call the handler. A rejected body gets Discord's 400 shape (code 50035) and
is recorded as a violation.
"""

from __future__ import annotations

import itertools
import json
import re
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import aiohttp
from aiohttp import web

from . import installs, limits, payloads
from .faults import error_response, json_response
from .interactions import InteractionResult

if TYPE_CHECKING:
    from .double import DiscordDouble

API_PREFIX = "/api/v10"


@dataclass
class UploadedFile:
    field: str
    filename: str
    data: bytes
    content_type: str | None


@dataclass
class Call:
    """One request as the handlers see it."""

    id: int
    route: str
    params: dict[str, str]
    query: dict[str, str]
    body: Any = None
    files: list[UploadedFile] = field(default_factory=list)
    status: int | None = None
    interaction: InteractionResult | None = None


Handler = Callable[[Call], Awaitable[web.StreamResponse]]
Precheck = Callable[[Call], web.StreamResponse | None]
LimitCheck = Callable[[Any], list[limits.Breach]]


class Pipeline:
    """Builds aiohttp routes whose handlers run behind the common checks."""

    def __init__(self, double: DiscordDouble) -> None:
        self.double = double
        self.calls: list[Call] = []
        self.routes: list[web.RouteDef] = []

    def add(
        self,
        method: str,
        path: str,
        handler: Handler,
        *,
        check: LimitCheck | None = None,
        precheck: Precheck | None = None,
        auth: bool = True,
    ) -> None:
        route = f"{method} {path}"

        async def endpoint(request: web.Request) -> web.StreamResponse:
            call = Call(len(self.calls) + 1, route, dict(request.match_info), dict(request.query))
            self.calls.append(call)
            try:
                response = await self._run(request, call, handler, check, precheck, auth)
            except Exception as exc:  # a bug in the double must fail the test loudly, not hang it
                detail = "".join(traceback.format_exception(exc))[-3000:]
                self.double.violations.record("harness.error", route, detail, call.id)
                response = error_response(400, 0, f"Discord double failed: {exc!r}")
            call.status = response.status
            self.double.state.touch()
            return response

        # Snowflake parameters only match digits, so `/messages/pins` is not taken for a message id.
        pattern = re.sub(r"\{(\w+_id)\}", r"{\1:\\d+}", path)
        self.routes.append(web.route(method, API_PREFIX + pattern, endpoint))

    async def _run(
        self,
        request: web.Request,
        call: Call,
        handler: Handler,
        check: LimitCheck | None,
        precheck: Precheck | None,
        auth: bool,
    ) -> web.StreamResponse:
        if auth and request.headers.get("Authorization") != f"Bot {self.double.token}":
            return error_response(401, 0, "401: Unauthorized")
        fault = self.double.faults.intercept(call.route, call.params)
        if fault is not None:
            return fault
        channel = self.double.state.channels.get(int(call.params.get("channel_id", 0)))
        if channel is not None and not installs.bot_is_in(self.double, channel):
            return error_response(403, 50001, "Missing Access")  # a user install only answers interactions
        await _read_body(request, call)
        if precheck is not None:
            early = precheck(call)
            if early is not None:
                return early
        breaches = check(call.body) if check is not None and call.body is not None else []
        schema_errors = self._schema_errors(call)
        if breaches or schema_errors:
            return self._reject(call, breaches, schema_errors)
        return await handler(call)

    def _schema_errors(self, call: Call) -> list[str]:
        schemas = self.double.schemas
        if schemas is None or call.body is None:
            return []
        method, path = call.route.split(" ", 1)
        return schemas.errors(method, path, call.body)

    def _reject(self, call: Call, breaches: list[limits.Breach], schema_errors: list[str]) -> web.Response:
        record = self.double.violations.record
        found = [record(b.rule, call.route, f"{_dotted(b.path)} {b.message}", call.id) for b in breaches]
        if schema_errors:
            found.append(record("schema", call.route, "; ".join(schema_errors), call.id))
        if call.interaction is not None:
            call.interaction.rejections += found
        errors: dict[str, Any] = {}
        for breach in breaches:
            node = errors
            for part in breach.path:
                node = node.setdefault(str(part), {})
            node.setdefault("_errors", []).append({"code": "BASE_TYPE_MAX_LENGTH", "message": breach.message})
        if schema_errors:
            errors.setdefault("_errors", []).append({"code": "SCHEMA", "message": schema_errors[0]})
        return error_response(400, 50035, "Invalid Form Body", errors)


def _dotted(path: tuple[str | int, ...]) -> str:
    return ".".join(str(p) for p in path) or "body"


async def _read_body(request: web.Request, call: Call) -> None:
    if not request.can_read_body:
        return
    if request.content_type == "multipart/form-data":
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, aiohttp.BodyPartReader) or part.name is None:
                continue
            data = await part.read()
            if part.name == "payload_json":
                call.body = json.loads(data)
            else:
                content_type = part.headers.get("Content-Type")
                call.files.append(
                    UploadedFile(part.name, part.filename or part.name, bytes(data), content_type)
                )
    else:
        raw = await request.read()
        call.body = json.loads(raw) if raw else None


def add_application_routes(pipeline: Pipeline) -> None:
    """Login, application info, gateway discovery, command registration, guild and user look-ups."""
    double = pipeline.double
    state = double.state

    async def me(call: Call) -> web.Response:
        return json_response(200, payloads.user(state.users[double.bot_id]))

    async def get_user(call: Call) -> web.Response:
        found = state.users.get(int(call.params["user_id"]))
        return (
            json_response(200, payloads.user(found)) if found else error_response(404, 10013, "Unknown User")
        )

    async def application(call: Call) -> web.Response:
        owner = state.users[next(iter(state.guilds.values())).owner_id]
        return json_response(200, _application(double, owner))

    async def gateway(call: Call) -> web.Response:
        body: dict[str, Any] = {"url": double.gateway_url}
        if call.route.endswith("/bot"):
            limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
            body |= {"shards": double.gateway.recommended_shards, "session_start_limit": limit}
        return json_response(200, body)

    async def get_commands(call: Call) -> web.Response:
        return json_response(200, state.commands_for(_guild_id(call)))

    async def put_commands(call: Call) -> web.Response:
        guild_id = _guild_id(call)
        stored = [_stored_command(double, c, guild_id) for c in call.body or []]
        if guild_id is None:
            state.global_commands = stored
        else:
            state.guild_commands[guild_id] = stored
        state.command_syncs.append((guild_id, stored))
        return json_response(200, stored)

    async def post_command(call: Call) -> web.Response:
        guild_id = _guild_id(call)
        commands = [c for c in state.commands_for(guild_id) if c["name"] != call.body["name"]]
        stored = _stored_command(double, call.body, guild_id)
        if guild_id is None:
            state.global_commands = [*commands, stored]
        else:
            state.guild_commands[guild_id] = [*commands, stored]
        return json_response(201, stored)

    async def get_guild(call: Call) -> web.Response:
        guild = state.guilds.get(int(call.params["guild_id"]))
        if guild is None:
            return error_response(404, 10004, "Unknown Guild")
        body = payloads.guild_create(state, guild, all_members=False, bot_id=double.bot_id)
        return json_response(
            200, {k: v for k, v in body.items() if k not in ("members", "channels", "threads")}
        )

    async def get_member(call: Call) -> web.Response:
        guild = state.guilds.get(int(call.params["guild_id"]))
        user_id = int(call.params["user_id"])
        if guild is None or user_id not in guild.members:
            return error_response(404, 10007, "Unknown Member")
        return json_response(200, payloads.member(state, guild, user_id))

    async def guild_roles(call: Call) -> web.Response:
        guild = state.guilds[int(call.params["guild_id"])]
        return json_response(200, [payloads.role(r) for r in guild.roles.values()])

    async def guild_channels(call: Call) -> web.Response:
        guild = state.guilds[int(call.params["guild_id"])]
        found = [state.channels[c] for c in guild.channel_ids]
        return json_response(200, [payloads.channel(state, c) for c in found if not c.is_thread])

    commands_path = "/applications/{application_id}/commands"
    guild_commands_path = "/applications/{application_id}/guilds/{guild_id}/commands"
    pipeline.add("GET", "/users/@me", me)
    pipeline.add("GET", "/users/{user_id}", get_user)
    pipeline.add("GET", "/oauth2/applications/@me", application)
    pipeline.add("GET", "/applications/@me", application)
    pipeline.add("GET", "/gateway", gateway, auth=False)
    pipeline.add("GET", "/gateway/bot", gateway)
    for path in (commands_path, guild_commands_path):
        pipeline.add("GET", path, get_commands)
        pipeline.add("PUT", path, put_commands, check=limits.commands)
        pipeline.add("POST", path, post_command, check=lambda body: limits.commands([body]))
    pipeline.add("GET", "/guilds/{guild_id}", get_guild)
    pipeline.add("GET", "/guilds/{guild_id}/members/{user_id}", get_member)
    pipeline.add("GET", "/guilds/{guild_id}/channels", guild_channels)
    pipeline.add("GET", "/guilds/{guild_id}/roles", guild_roles)


def _guild_id(call: Call) -> int | None:
    return int(call.params["guild_id"]) if "guild_id" in call.params else None


def _application(double: DiscordDouble, owner: Any) -> dict[str, Any]:
    return {
        "id": str(double.bot_id),
        "name": double.state.users[double.bot_id].username,
        "icon": None,
        "description": "",
        "summary": "",
        "rpc_origins": [],
        "bot_public": True,
        "bot_require_code_grant": False,
        "owner": payloads.user(owner),
        "team": None,
        "verify_key": "0" * 64,
        "flags": 0,
        "interactions_endpoint_url": None,
        "bot": payloads.user(double.state.users[double.bot_id]),
    }


def _stored_command(double: DiscordDouble, command: dict[str, Any], guild_id: int | None) -> dict[str, Any]:
    existing = {c["name"]: c["id"] for c in double.state.commands_for(guild_id)}
    stored: dict[str, Any] = {
        "type": 1,
        "description": "",
        "options": [],
        "default_member_permissions": None,
        "nsfw": False,
        **command,
        "id": existing.get(command["name"]) or str(double.state.ids.next()),
        "application_id": str(double.bot_id),
        "version": str(double.state.ids.next()),
    }
    if guild_id is not None:
        stored["guild_id"] = str(guild_id)
    return stored


def add_fallback_routes(app: web.Application, double: DiscordDouble) -> None:
    """Attachment downloads (the double's CDN) and a catch-all that reports unsupported routes."""

    async def attachment(request: web.Request) -> web.Response:
        message_attachments = itertools.chain((a for m in double.state.messages.values() for a in m.attachments),
                                              double.state.uploads.values())
        wanted = int(request.match_info["attachment_id"])
        found = next((a for a in message_attachments if a.id == wanted), None)
        if found is None:
            return web.Response(status=404)
        return web.Response(body=found.data, content_type=found.content_type or "application/octet-stream")

    async def unsupported(request: web.Request) -> web.Response:
        route = f"{request.method} {request.path.removeprefix(API_PREFIX)}"
        double.violations.record(
            "harness.unsupported_route", route, "the Discord double does not implement it"
        )
        return error_response(404, 0, "404: Not Found")

    app.router.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", attachment)
    app.router.add_route("*", "/{tail:.*}", unsupported)
