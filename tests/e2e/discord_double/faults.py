"""Faults a test switches on: missing permissions on a channel, rate limits on a route.

Routes are named as discord.py and the OpenAPI spec name them: `"POST /channels/{channel_id}/messages"`.
Gateway drops live on `DiscordDouble.drop_gateway` because they need the running client.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, Protocol

from aiohttp import web

JSON_HEADERS = {"Content-Type": "application/json"}


class _Identified(Protocol):
    id: int


HasId = _Identified | int  # a Channel (or anything with an id), or the id itself


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> web.Response:
    """`Content-Type: application/json` exactly: with a charset discord.py reads a string and fails."""
    return web.Response(
        status=status, body=json.dumps(body).encode(), headers={**JSON_HEADERS, **(headers or {})}
    )


def error_response(
    status: int, code: int, message: str, errors: dict[str, Any] | None = None
) -> web.Response:
    body: dict[str, Any] = {"message": message, "code": code}
    if errors:
        body["errors"] = errors
    return json_response(status, body)


@dataclass
class RateLimit:
    """Answer `times` matching requests with 429 before letting them through; `hits` counts them."""

    route: str
    times: int
    retry_after: float
    is_global: bool = False
    channel_id: int | None = None
    hits: int = 0

    def matches(self, route: str, params: dict[str, str]) -> bool:
        if route != self.route or self.hits >= self.times:
            return False
        return self.channel_id is None or params.get("channel_id") == str(self.channel_id)

    def response(self) -> web.Response:
        self.hits += 1
        headers = {
            # discord.py treats a 429 without `Via` as a Cloudflare ban and gives up.
            "Via": "1.1 google",
            "Retry-After": str(max(1, round(self.retry_after))),
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + self.retry_after:.3f}",
            "X-RateLimit-Reset-After": f"{self.retry_after:.3f}",
            "X-RateLimit-Bucket": f"double-{abs(hash(self.route)) % 10**8:x}",
            "X-RateLimit-Scope": "global" if self.is_global else "user",
        }
        if self.is_global:
            headers["X-RateLimit-Global"] = "true"
        body = {
            "message": "You are being rate limited.",
            "retry_after": self.retry_after,
            "global": self.is_global,
        }
        return json_response(429, body, headers)


@dataclass
class Hold:
    """Accept a message (store and announce it) but never answer the request: the sender crashed, or its
    connection broke, between Discord accepting the message and the sender learning its id."""

    channel_id: int
    skip: int  # let this many messages in the channel through first
    times: int
    held: int = 0

    def take(self, channel_id: int) -> bool:
        if channel_id != self.channel_id or self.held >= self.times:
            return False
        if self.skip > 0:
            self.skip -= 1
            return False
        self.held += 1
        return True


@dataclass
class Rejection:
    """Answer `times` matching requests with 400 Invalid Form Body (code 50035), as Discord answers a payload
    it refuses; `hits` counts them."""

    route: str
    times: int
    hits: int = 0

    def matches(self, route: str) -> bool:
        return route == self.route and self.hits < self.times

    def response(self) -> web.Response:
        self.hits += 1
        return error_response(400, 50035, "Invalid Form Body", {"0": {"_errors": [
            {"code": "BASE_TYPE_BAD_LENGTH", "message": "Must be between 1 and 100 in length."}]}})


class Faults:
    """The faults currently switched on; consulted by the REST layer before every handler."""

    def __init__(self) -> None:
        self.forbidden_channels: set[int] = set()
        self.rate_limits: list[RateLimit] = []
        self.rejections: list[Rejection] = []
        self.holds: list[Hold] = []
        self.forbidden_hits = 0

    def hold_after_accept(self, channel: HasId, *, skip: int = 0, times: int = 1) -> Hold:
        """The next `times` messages sent to `channel` (after `skip` more) are stored, announced and then never
        answered (`Hold.held` counts them)."""
        fault = Hold(_id(channel), skip, times)
        self.holds.append(fault)
        return fault

    def takes_hold(self, channel_id: int) -> bool:
        return any(hold.take(channel_id) for hold in self.holds)

    def forbid(self, channel: HasId) -> None:
        """Answer every route of `channel` with 403, code 50013 (Missing Permissions)."""
        self.forbidden_channels.add(_id(channel))

    def allow(self, channel: HasId) -> None:
        self.forbidden_channels.discard(_id(channel))

    def rate_limit(
        self,
        route: str,
        *,
        times: int = 1,
        retry_after: float = 0.05,
        is_global: bool = False,
        channel: HasId | None = None,
    ) -> RateLimit:
        """429 the next `times` requests to `route` (e.g. `"POST /channels/{channel_id}/messages"`)."""
        fault = RateLimit(route, times, retry_after, is_global, None if channel is None else _id(channel))
        self.rate_limits.append(fault)
        return fault

    def reject(self, route: str, *, times: int = 1) -> Rejection:
        """400 the next `times` requests to `route` (e.g. `"PUT /applications/{application_id}/commands"`)."""
        fault = Rejection(route, times)
        self.rejections.append(fault)
        return fault

    def clear(self) -> None:
        self.forbidden_channels.clear()
        self.rate_limits.clear()
        self.rejections.clear()
        self.holds.clear()

    def intercept(self, route: str, params: dict[str, str]) -> web.Response | None:
        for fault in self.rate_limits:
            if fault.matches(route, params):
                return fault.response()
        for rejection in self.rejections:
            if rejection.matches(route):
                return rejection.response()
        channel_id = params.get("channel_id")
        if channel_id is not None and int(channel_id) in self.forbidden_channels:
            self.forbidden_hits += 1
            return error_response(403, 50013, "Missing Permissions")
        return None


def _id(thing: HasId) -> int:
    return thing if isinstance(thing, int) else thing.id
