"""Answer modals that never lose a submit.

discord.py keeps modals only in memory, keyed by custom_id, and drops one after its first submit or a timeout.
So each modal here gets its own custom_id (two members answering at once never share one), lives an hour, and a
submit that no live modal claims (the bot restarted, or the member wrote for over an hour) is routed by its
custom_id to the same handler, through `dispatch_orphan` (the client's on_interaction).

A modal is built from its `ModalRoute` (the custom id comes from the route's template), and a feature lists its
routes in its cog's `modals`, which `Feature` registers on the bot when the cog loads: so every modal the bot can
show has a route, whichever modules were imported before a submit arrives.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import discord

from bot.chat.shared.errors import report_command_error

TextHandler = Callable[[discord.Interaction, re.Match[str], str], Awaitable[None]]
MODAL_TIMEOUT = 3600.0
_NONCE = r":[0-9a-f]{12}"


@dataclass(frozen=True)
class ModalRoute:
    """Where the submits of one kind of modal go. `template` is its custom id's prefix with `{fields}`
    ("qotd:modal:{post_id}:{question_id}"); each field matches one custom-id part and reaches `handler` as a
    named group."""

    template: str
    handler: TextHandler

    @property
    def pattern(self) -> re.Pattern[str]:
        parts = re.split(r"\{(\w+)\}", self.template)
        regex = "".join(re.escape(part) if index % 2 == 0 else f"(?P<{part}>[^:]+)"
                        for index, part in enumerate(parts))
        return re.compile(regex + _NONCE)

    def custom_id(self, **values: object) -> str:
        """A new custom id for one modal: the template filled in, plus a nonce of its own."""
        return f"{self.template.format(**values)}:{secrets.token_hex(6)}"


class ModalRoutes:
    """The bot's modal routes, by custom id."""

    def __init__(self) -> None:
        self.routes: list[ModalRoute] = []

    def add(self, *routes: ModalRoute) -> None:
        self.routes += [route for route in routes if route not in self.routes]

    def remove(self, *routes: ModalRoute) -> None:
        self.routes = [route for route in self.routes if route not in routes]

    def find(self, custom_id: str) -> tuple[ModalRoute, re.Match[str]] | None:
        for route in self.routes:
            if (match := route.pattern.fullmatch(custom_id)) is not None:
                return route, match
        return None


def _routes(client: discord.Client) -> ModalRoutes:
    return client.modal_routes  # type: ignore[attr-defined, no-any-return]


def _live(client: discord.Client) -> set[str]:
    live: set[str] | None = getattr(client, "live_modals", None)
    if live is None:
        live = set()
        client.live_modals = live  # type: ignore[attr-defined]
    return live


class RoutedModal(discord.ui.Modal):
    """A modal whose submit goes to `route.handler`: while this process holds it, its custom id is in the client's
    live set (so the orphan route does not handle the same submit too), and it leaves that set however it ends."""

    def __init__(self, client: discord.Client, route: ModalRoute, values: dict[str, object], *, title: str) -> None:
        custom_id = route.custom_id(**values)
        super().__init__(title=title[:45], custom_id=custom_id, timeout=MODAL_TIMEOUT)
        self.route = route
        self.live = _live(client)
        self.live.add(custom_id)

    def text(self) -> str:
        """What the route's handler gets as its text."""
        return ""

    async def on_submit(self, interaction: discord.Interaction) -> None:
        match = self.route.pattern.fullmatch(self.custom_id)
        assert match is not None  # the custom id was made from this route
        try:
            await self.route.handler(interaction, match, self.text())
        finally:
            self.live.discard(self.custom_id)

    async def on_timeout(self) -> None:
        self.live.discard(self.custom_id)

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        self.live.discard(self.custom_id)
        await report_command_error(interaction, error)


class TextAnswerModal(RoutedModal):
    """One long text input; `handler` gets the text (and the match of the custom_id's prefix)."""

    def __init__(self, client: discord.Client, route: ModalRoute, values: dict[str, object], *, title: str,
                 label: str, max_length: int, default: str | None, placeholder: str) -> None:
        super().__init__(client, route, values, title=title)
        self.answer = discord.ui.TextInput(label=label[:45], style=discord.TextStyle.long, required=True,
                                           max_length=max_length, default=default, placeholder=placeholder[:100])
        self.add_item(self.answer)

    def text(self) -> str:
        return self.answer.value or ""


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
    found = _routes(interaction.client).find(custom_id)
    if found is None:
        return
    route, match = found
    try:
        await route.handler(interaction, match, submitted_text(data.get("components") or []))
    except Exception as exc:
        await report_command_error(interaction, exc)
