"""Answer modals that never lose a submit.

discord.py keeps modals only in memory, keyed by custom_id, and drops one after its first submit or a timeout.
So each modal here gets its own custom_id (two members answering at once never share one), lives an hour, and a
submit that no live modal claims (the bot restarted, or the member wrote for over an hour) is routed by its
custom_id to the same handler, through `dispatch_orphan` (the client's on_interaction).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.chat.shared.errors import report_command_error

TextHandler = Callable[[discord.Interaction, re.Match[str], str], Awaitable[None]]
MODAL_TIMEOUT = 3600.0
_routes: list[tuple[re.Pattern[str], TextHandler]] = []


def route(prefix_pattern: str) -> Callable[[TextHandler], TextHandler]:
    """Register the handler of every modal whose custom_id is `<prefix_pattern>:<nonce>`."""

    def register(handler: TextHandler) -> TextHandler:
        _routes.append((re.compile(prefix_pattern + r":[0-9a-f]{12}"), handler))
        return handler

    return register


def _live(client: discord.Client) -> set[str]:
    live: set[str] | None = getattr(client, "live_modals", None)
    if live is None:
        live = set()
        client.live_modals = live  # type: ignore[attr-defined]
    return live


class TextAnswerModal(discord.ui.Modal):
    """One long text input; `handler` gets the text (and the match of the custom_id's prefix)."""

    def __init__(self, client: discord.Client, *, prefix: str, title: str, label: str, max_length: int,
                 default: str | None, placeholder: str, handler: TextHandler) -> None:
        custom_id = f"{prefix}:{secrets.token_hex(6)}"
        super().__init__(title=title[:45], custom_id=custom_id, timeout=MODAL_TIMEOUT)
        self.answer = discord.ui.TextInput(label=label[:45], style=discord.TextStyle.long, required=True,
                                           max_length=max_length, default=default, placeholder=placeholder[:100])
        self.add_item(self.answer)
        self.handler = handler
        self.live = _live(client)
        self.live.add(custom_id)

    def _match(self) -> re.Match[str]:
        for pattern, _handler in _routes:
            if (match := pattern.fullmatch(self.custom_id)) is not None:
                return match
        raise LookupError(f"no route for modal {self.custom_id}")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        try:
            await self.handler(interaction, self._match(), self.answer.value or "")
        finally:
            self.live.discard(self.custom_id)

    async def on_timeout(self) -> None:
        self.live.discard(self.custom_id)

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        self.live.discard(self.custom_id)
        await report_command_error(interaction, error)


async def refuse_and_hand_back(interaction: discord.Interaction, error: BaseException, text: str) -> None:
    """Tell the member why their text was refused, then give the text back so nothing they typed is lost."""
    await report_command_error(interaction, error)
    if text.strip():
        await interaction.followup.send(embed=discord.Embed(description=text[:4000]), ephemeral=True,
                                        allowed_mentions=discord.AllowedMentions.none())


def submitted_text(components: list[dict[str, Any]]) -> str:
    """The first text input's value in a modal submit payload (inside action rows or labels)."""
    for component in components:
        inner = component.get("components") or ([component["component"]] if "component" in component else [])
        for child in inner:
            if child.get("type") == discord.ComponentType.text_input.value:
                return str(child.get("value") or "")
    return ""


async def dispatch_orphan(interaction: discord.Interaction) -> None:
    """Handle a modal submit that no live modal of this process will handle."""
    if interaction.type is not discord.InteractionType.modal_submit:
        return
    data: dict[str, Any] = dict(interaction.data or {})  # type: ignore[arg-type]
    custom_id = str(data.get("custom_id", ""))
    if custom_id in _live(interaction.client) or interaction.response.is_done():
        return
    for pattern, handler in _routes:
        if (match := pattern.fullmatch(custom_id)) is not None:
            try:
                await handler(interaction, match, submitted_text(data.get("components") or []))
            except Exception as exc:
                await report_command_error(interaction, exc)
            return
