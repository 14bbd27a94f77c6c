"""Running a discord.py client against the double: where it connects, what it logs, when it is ready."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

import discord
import yarl

ClientT = TypeVar("ClientT", bound=discord.Client)


@contextmanager
def pointing_discord_at(base_url: str, gateway_url: str) -> Iterator[None]:
    """Point discord.py's REST routes (interaction callbacks and webhooks included) and its gateway at
    the double for the duration; restore Discord's own addresses afterwards."""
    old_base, old_gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = f"{base_url}/api/v10"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    try:
        yield
    finally:
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_base, old_gateway


def skip_reidentify_delay(client: discord.Client) -> None:
    """discord.py's default `before_identify_hook` sleeps 5 s before every IDENTIFY after the first (a
    courtesy to Discord's identify rate limit); against the double that is dead time. A bot that
    overrides the hook keeps its own."""
    if type(client).before_identify_hook is discord.Client.before_identify_hook:

        async def no_delay(shard_id: int | None, *, initial: bool = False) -> None:
            return None

        client.before_identify_hook = no_delay  # type: ignore[method-assign]


def shard_websocket(client: discord.Client, shard_id: int) -> discord.gateway.DiscordWebSocket:
    """The websocket a client reads a shard on (a plain client has one, for shard 0)."""
    return client._get_websocket(shard_id=shard_id)


async def ready_or_failed(client: discord.Client, connection: asyncio.Task[None], timeout: float) -> None:
    ready = asyncio.ensure_future(client.wait_until_ready())
    done, _ = await asyncio.wait({ready, connection}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    if ready not in done:
        ready.cancel()
        if connection in done:
            connection.result()  # re-raises why the client stopped
            raise RuntimeError("the client stopped before on_ready")
        raise TimeoutError(f"the client was not ready after {timeout} s")


class _ErrorCollector(logging.Handler):
    def __init__(self, into: list[logging.LogRecord]) -> None:
        super().__init__(logging.ERROR)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record)


@contextmanager
def collecting_errors(into: list[logging.LogRecord]) -> Iterator[None]:
    """Errors discord.py logs while the client runs (exceptions in handlers, failed tasks)."""
    handler = _ErrorCollector(into)
    logger = logging.getLogger("discord")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
