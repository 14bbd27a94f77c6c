"""What the bot answered to one interaction: callback, original response, edits, follow-ups, modal, choices.

An `InteractionResult` is created when a member acts and is filled in by the REST layer as the bot answers;
tests read it and can wait on it (`wait_for`, `wait_for_followups`, `settled`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from .delivery import Delivery
from .state import EPHEMERAL, DiscordState, Message, walk_components
from .violations import Violation


class CallbackType(IntEnum):
    PONG = 1
    MESSAGE = 4
    DEFERRED = 5
    DEFERRED_UPDATE = 6
    UPDATE = 7
    AUTOCOMPLETE = 8
    MODAL = 9


CALLBACK_NAMES = {
    CallbackType.MESSAGE: "message",
    CallbackType.DEFERRED: "deferred",
    CallbackType.DEFERRED_UPDATE: "deferred_update",
    CallbackType.UPDATE: "update",
    CallbackType.AUTOCOMPLETE: "autocomplete",
    CallbackType.MODAL: "modal",
}


class NoResponse(AssertionError):
    """The bot did not answer an interaction within the deadline."""


@dataclass(frozen=True)
class Choice:
    name: str
    value: str | int | float


class Choices(list[Choice]):
    """The choices the bot offered for an autocomplete; `result` is the whole interaction."""

    def __init__(self, choices: list[Choice], result: InteractionResult) -> None:
        super().__init__(choices)
        self.result = result


@dataclass
class ModalForm:
    """A modal the bot opened; pass it to `Member.submit_modal`."""

    custom_id: str
    title: str
    components: list[dict[str, Any]]
    opened_by: InteractionResult

    @property
    def fields(self) -> dict[str, dict[str, Any]]:
        """Inputs by custom_id; a `label` key is filled in from a wrapping Label component."""
        found: dict[str, dict[str, Any]] = {}
        for top in self.components:
            inner = [top["component"]] if top.get("type") == 18 else list(walk_components([top]))
            for component in inner:
                if component.get("custom_id") and component.get("type") in (3, 4, 5, 6, 7, 8):
                    label = top.get("label") if top.get("type") == 18 else component.get("label")
                    found[component["custom_id"]] = {**component, "label": label}
        return found

    def field(self, key: str) -> dict[str, Any]:
        """An input by custom_id or by its label."""
        fields = self.fields
        if key in fields:
            return fields[key]
        for component in fields.values():
            if component.get("label") == key:
                return component
        raise KeyError(f"modal {self.title!r} has no input {key!r}; it has {sorted(fields)}")


class InteractionResult:
    """The bot's answer to one interaction, as Discord saw it."""

    def __init__(
        self,
        state: DiscordState,
        *,
        interaction_id: int,
        token: str,
        kind: int,
        payload: dict[str, Any],
        user_id: int,
        channel_id: int,
        source_message_id: int | None = None,
    ) -> None:
        self._state = state
        self.id = interaction_id
        self.token = token
        self.kind = kind
        self.payload = payload
        self.user_id = user_id
        self.channel_id = channel_id
        self.source_message_id = source_message_id
        self.dispatched_at: float | None = None
        self.callback: dict[str, Any] | None = None
        self.callback_attempts = 0
        self.webhook_attempts = 0
        self.rejections: list[Violation] = []
        self.original_id: int | None = None
        self.followup_ids: list[int] = []
        self.edits: list[dict[str, Any]] = []
        self.deadline_missed = False
        self.delivery: Delivery | None = None

    def __repr__(self) -> str:
        return f"<InteractionResult {self.id} callback={self.callback_type} content={self.content!r}>"

    @property
    def acknowledged(self) -> bool:
        return self.callback is not None

    @property
    def callback_type(self) -> str | None:
        """`message`, `deferred`, `deferred_update`, `update`, `autocomplete`, `modal`; None if unanswered."""
        return None if self.callback is None else CALLBACK_NAMES[CallbackType(self.callback["type"])]

    @property
    def ephemeral(self) -> bool:
        message = self.message
        if message is not None:
            return message.ephemeral
        data = (self.callback or {}).get("data") or {}
        return bool(int(data.get("flags") or 0) & EPHEMERAL)

    @property
    def message(self) -> Message | None:
        """The original response (for component updates: the message the component is on), latest version."""
        return None if self.original_id is None else self._state.message(self.original_id)

    @property
    def content(self) -> str | None:
        return None if self.message is None else self.message.content

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return [] if self.message is None else self.message.embeds

    @property
    def components(self) -> list[dict[str, Any]]:
        return [] if self.message is None else self.message.components

    @property
    def followups(self) -> list[Message]:
        return [m for m in (self._state.messages[i] for i in self.followup_ids) if not m.deleted]

    @property
    def modal(self) -> ModalForm | None:
        if self.callback is None or self.callback["type"] != CallbackType.MODAL:
            return None
        data = self.callback["data"]
        return ModalForm(data["custom_id"], data["title"], data["components"], self)

    @property
    def choices(self) -> list[Choice] | None:
        if self.callback is None or self.callback["type"] != CallbackType.AUTOCOMPLETE:
            return None
        return [Choice(c["name"], c["value"]) for c in (self.callback.get("data") or {}).get("choices") or []]

    async def wait_for(
        self,
        predicate: Callable[[InteractionResult], bool],
        *,
        timeout: float = 5.0,
        what: str = "a condition",
    ) -> InteractionResult:
        await self._state.wait_until(lambda: predicate(self), timeout=timeout, what=f"{what} on {self!r}")
        return self

    async def wait_for_followups(self, count: int = 1, *, timeout: float = 5.0) -> list[Message]:
        await self.wait_for(
            lambda r: len(r.followups) >= count, timeout=timeout, what=f"{count} follow-up(s)"
        )
        return self.followups

    async def settled(self, timeout: float = 5.0) -> InteractionResult:
        """Wait until the bot's handlers for this interaction have returned (all their requests are in)."""
        if self.delivery is not None:
            await self.delivery.settle(timeout)
        return self
