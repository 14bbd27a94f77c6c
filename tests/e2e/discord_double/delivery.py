"""Tracked delivery: dispatch an event, know when the client has processed it, and wait for its handlers.

discord.py parses a gateway event and, in the same step, schedules the tasks that handle it (listeners
`discord.py: on_*`, `CommandTree-invoker`, view / modal / DynamicItem dispatch). A `ws.wait_for`
armed with the event's sequence number resolves right after that step, so the tasks created since the
dispatch are the handlers to wait for.

Two ways to wait: `settle()` until every handler has returned; `idle()` until each has returned or is
parked waiting for a member (in `View.wait`, `Client.wait_for`, `Event.wait`, `Queue.get`), which is
what a member sees as "the bot has answered". A handler inside a REST call, a sleep or other I/O is busy.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import discord

from .gateway import Gateway
from .runner import shard_websocket

PARKING_POINTS = (
    ("discord/ui/view.py", "wait"),
    ("asyncio/tasks.py", "wait_for"),
    ("asyncio/locks.py", "wait"),
    ("asyncio/queues.py", "get"),
)
POLL_INTERVAL = 0.005  # re-check parked handlers this often; finished ones wake the waiter at once
HANDLER_TASK_PREFIXES = (
    "discord.py: ",
    "CommandTree-invoker",
    "discord-ui-view-dispatch",
    "discord-ui-dynamic-item",
    "discord-ui-modal-dispatch",
)


class Delivery:
    """One dispatched event; `settle()` waits for the handlers the client started for it (and theirs)."""

    def __init__(self, event: str) -> None:
        self.event = event
        self.before = asyncio.all_tasks()
        self.filtered = False  # the bot's intents exclude the event, so Discord would not send it
        self.queued = False  # sent while the bot was disconnected; it gets it on RESUME
        self.lost = False  # the bot's process was down: nobody received it

    def handler_tasks(self) -> set[asyncio.Task[Any]]:
        fresh = asyncio.all_tasks() - self.before
        return {task for task in fresh if task.get_name().startswith(HANDLER_TASK_PREFIXES)}

    async def settle(self, timeout: float) -> None:
        """Wait until every handler started for the event (and by its consequences) has returned."""
        await self._wait(timeout, lambda task: not task.done(), "returned")

    async def idle(self, timeout: float) -> None:
        """Wait until every handler has returned or is parked waiting for a member."""
        await self._wait(timeout, lambda task: not task.done() and not _parked(task), "idle", POLL_INTERVAL)

    async def _wait(
        self, timeout: float, busy: Callable[[asyncio.Task[Any]], bool], state: str, poll: float | None = None
    ) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while pending := {task for task in self.handler_tasks() if busy(task)}:
            remaining = deadline - loop.time()
            if remaining <= 0:
                names = sorted(task.get_name() for task in pending)
                raise TimeoutError(
                    f"the bot's handlers for {self.event} were not {state} after {timeout} s: {names}"
                )
            await asyncio.wait(pending, timeout=min(remaining, poll or remaining))


def _parked(task: asyncio.Task[Any]) -> bool:
    """Blocked, and the innermost awaited coroutine is a point where code waits for a member."""
    waiter = getattr(task, "_fut_waiter", None)
    if waiter is None or waiter.done():
        return False
    innermost = None
    coro: Any = task.get_coro()
    while coro is not None and (code := getattr(coro, "cr_code", None) or getattr(coro, "gi_code", None)):
        innermost = code
        coro = getattr(coro, "cr_await", None) or getattr(coro, "gi_yieldfrom", None)
    if innermost is None:
        return False
    filename = innermost.co_filename.replace("\\", "/")
    return any(filename.endswith(path) and innermost.co_name == name for path, name in PARKING_POINTS)


async def deliver(
    client: discord.Client,
    gateway: Gateway,
    event: str,
    data: dict[str, Any],
    *,
    intent: int | None,
    timeout: float,
) -> Delivery:
    """Dispatch `event` to the running client; return once the client has parsed it."""
    if not client.is_ready():
        await asyncio.wait_for(client.wait_until_ready(), timeout)
    delivery = Delivery(event)
    session = gateway.route(event, data)
    if session is None:  # no shard of the client's receives this guild
        delivery.lost = True
        return delivery
    if not session.live:
        # The client is reconnecting: the event waits in the session log and is replayed on RESUME.
        await gateway.dispatch(event, data, intent=intent)
        delivery.queued = True
        return delivery
    ws = shard_websocket(client, session.shard_id)
    armed: list[int] = []
    processed = ws.wait_for(event, lambda _: bool(armed) and (ws.sequence or 0) >= armed[0])
    seq = await gateway.dispatch(event, data, intent=intent, on_seq=armed.append)
    if seq is None:
        processed.cancel()
        delivery.filtered = True
        return delivery
    try:
        await asyncio.wait_for(processed, timeout)
    except TimeoutError:
        raise TimeoutError(f"the client did not process {event} (seq {seq}) within {timeout} s") from None
    return delivery
