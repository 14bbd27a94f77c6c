"""`Member`: a guild member a test acts as. Every action returns once the bot has responded.

Interactions (slash command, autocomplete, button, select, modal submit) return an `InteractionResult`
once the bot's first response arrived (after a "thinking" defer: its follow-up or edit too) and its
handlers are idle; messages and reactions return once the handlers are idle. Idle: returned, or parked
waiting for a member (`View.wait`, `Client.wait_for`...); see `delivery.py`. `await result.settled()`
waits for handlers to return, e.g. when they keep working after answering.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from . import events, installs, payloads
from .gateway import DIRECT_MESSAGE_REACTIONS, DIRECT_MESSAGES, GUILD_MESSAGE_REACTIONS, GUILD_MESSAGES
from .interactions import CallbackType, Choices, InteractionResult, ModalForm, NoResponse
from .slash import command_data, find_command, find_message_command
from .state import Channel, Message, User

if TYPE_CHECKING:
    from .double import DiscordDouble


class Member:
    """A guild member (also the other side of a DM with the bot) whose actions reach the running bot."""

    def __init__(self, double: DiscordDouble, user: User) -> None:
        self._double = double
        self.user = user
        self.locale = "en-US"  # the member's Discord client language, sent with each interaction

    def __repr__(self) -> str:
        return f"<Member {self.user.username} {self.user.id}>"

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def name(self) -> str:
        return self.user.username

    @property
    def mention(self) -> str:
        return self.user.mention

    @property
    def dm(self) -> Channel:
        """This member's DM channel with the bot."""
        return self._double.dm_channel(self.id)

    # --- interactions ----------------------------------------------------------------------------

    async def slash(
        self,
        command: str,
        channel: Channel | None = None,
        *,
        options: dict[str, Any] | None = None,
        **values: Any,
    ) -> InteractionResult:
        """Run `/command` ("quiz start" for subcommands) with options as keywords or `options={...}`, in `channel`
        (default #general): the member's DM with the bot (`m.dm`), a private channel or a server the bot is not
        in work where the command's contexts and installations allow (`installs.py`)."""
        where = channel or self._double.channel("general")
        owners = self._authorize(command, where)
        data = command_data(self._double, command, {**(options or {}), **values}, where.guild_id)
        return await self._interact(2, data, where, owners=owners)

    async def context_menu(self, message: Message, name: str) -> InteractionResult:
        """Run the message context-menu command `name` (Apps → name) on `message`, as Discord's client does:
        only one the bot synced (type 3, MESSAGE), in the message's channel, with the message resolved."""
        channel = self._double.state.channels[message.channel_id]
        command = find_message_command(self._double, name, channel.guild_id)
        current = self._double.state.message(message.id)
        if current is None:
            raise LookupError(f"message {message.id} was deleted")
        data = {
            "id": command["id"], "name": name, "type": 3, "target_id": str(message.id),
            "resolved": {"messages": {str(message.id): payloads.message(self._double.state, current,
                                                                          self._double.base_url)}},
        }
        return await self._interact(2, data, channel)

    async def autocomplete(
        self,
        command: str,
        *,
        focused: str,
        channel: Channel | None = None,
        options: dict[str, Any] | None = None,
        **values: Any,
    ) -> Choices:
        """Type into option `focused` (its value is what was typed so far); returns the bot's choices
        (a list of `Choice`, empty if the bot's answer was rejected; `.result` has the interaction)."""
        where = channel or self._double.channel("general")
        typed = {**(options or {}), **values}
        typed.setdefault(focused, "")
        owners = self._authorize(command, where)
        data = command_data(self._double, command, typed, where.guild_id, focused=focused)
        result = await self._interact(4, data, where, owners=owners)
        return Choices(result.choices or [], result)

    async def click(
        self, message: Message, custom_id: str | None = None, *, label: str | None = None
    ) -> InteractionResult:
        """Click a button on `message`, found by custom_id or by label."""
        button = self._component(message, 2, custom_id=custom_id, label=label)
        if button.get("style") == 5 or "custom_id" not in button:
            raise ValueError(f"{_describe(button)} is a link button; clicking it does not reach the bot")
        data = {"custom_id": button["custom_id"], "component_type": 2}
        return await self._interact(3, data, self._double.state.channels[message.channel_id], message)

    async def select(
        self, message: Message, values: list[str], *, custom_id: str | None = None
    ) -> InteractionResult:
        """Pick `values` in a string select menu on `message`."""
        menu = self._component(message, 3, custom_id=custom_id, label=None)
        offered = [o["value"] for o in menu.get("options") or []]
        wrong = [v for v in values if v not in offered]
        low, high = menu.get("min_values", 1), menu.get("max_values", 1)
        if wrong or not low <= len(values) <= high:
            raise ValueError(
                f"select {menu['custom_id']!r} offers {offered} ({low}-{high} picks), not {values}"
            )
        data = {"custom_id": menu["custom_id"], "component_type": 3, "values": values}
        return await self._interact(3, data, self._double.state.channels[message.channel_id], message)

    async def submit_modal(
        self, modal: ModalForm | None, values: dict[str, str] | None = None, **by_custom_id: str
    ) -> InteractionResult:
        """Fill in and submit a modal the bot opened; keys are input custom_ids or labels."""
        if modal is None:
            raise ValueError("the bot did not open a modal")
        if modal.opened_by.user_id != self.id:
            raise ValueError(f"the modal {modal.title!r} was opened for someone else")
        filled = {
            modal.field(key)["custom_id"]: value for key, value in {**(values or {}), **by_custom_id}.items()
        }
        for custom_id, component in modal.fields.items():
            value = filled.get(custom_id, "")
            if component.get("required", True) and component.get("type") == 4 and not value:
                raise ValueError(f"input {component.get('label')!r} is required")
            low, high = component.get("min_length") or 0, component.get("max_length") or 4000
            if value and not low <= len(value) <= high:
                raise ValueError(f"input {component.get('label')!r} takes {low}-{high} characters")
        components = [_submitted(top, filled) for top in modal.components if top.get("type") in (1, 18)]
        opener = modal.opened_by
        source = self._double.state.message(opener.source_message_id or 0)
        channel = self._double.state.channels[opener.channel_id]
        return await self._interact(
            5, {"custom_id": modal.custom_id, "components": components}, channel, source
        )

    def _authorize(self, command: str, where: Channel) -> dict[str, str]:
        found = find_command(self._double, command.split(maxsplit=1)[0], where.guild_id)
        return installs.authorize(self._double, found, self.id, where)

    def _component(
        self, message: Message, kind: int, *, custom_id: str | None, label: str | None
    ) -> dict[str, Any]:
        current = self._double.state.message(message.id)
        if current is None:
            raise LookupError(f"message {message.id} was deleted")
        found = [c for c in current.walk_components() if c.get("type") == kind]
        for component in found:
            if (custom_id is None or component.get("custom_id") == custom_id) and (
                label is None or component.get("label") == label
            ):
                if component.get("disabled"):
                    raise ValueError(f"{_describe(component)} is disabled")
                return component
        raise LookupError(
            f"no such component on message {message.id}; it has {[_describe(c) for c in found]}"
        )

    async def _interact(
        self,
        kind: int,
        data: dict[str, Any],
        channel: Channel,
        message: Message | None = None,
        *,
        owners: dict[str, str] | None = None,
    ) -> InteractionResult:
        double = self._double
        interaction_id = double.state.ids.next()
        result = InteractionResult(
            double.state,
            interaction_id=interaction_id,
            token=secrets.token_urlsafe(48),
            kind=kind,
            payload={},
            user_id=self.id,
            channel_id=channel.id,
            source_message_id=message.id if message is not None else None,
        )
        if owners is None:  # a component or modal: the installations that reach the member here
            owners = installs.installations(double, self.id, channel)
        result.payload = self._interaction_payload(result, data, channel, message, owners)
        double.interactions[interaction_id] = result
        double.arm_deadline(result)
        delivery = await double.deliver("INTERACTION_CREATE", result.payload)
        result.delivery = delivery
        await double.wait_until(
            lambda: result.callback_attempts > 0 or result.deadline_missed,
            timeout=double.interaction_deadline + double.timeout,
            what=f"a response to interaction {interaction_id}",
        )
        if result.callback_attempts == 0:
            raise NoResponse(
                f"the bot did not respond to {_what(kind, data)} within {double.interaction_deadline} s"
            )
        if result.callback is not None and result.callback["type"] == CallbackType.DEFERRED:
            await result.wait_for(
                lambda r: r.webhook_attempts > 0, timeout=double.timeout, what="the deferred reply"
            )
        await delivery.idle(double.timeout)
        return result

    def _interaction_payload(
        self,
        result: InteractionResult,
        data: dict[str, Any],
        channel: Channel,
        message: Message | None,
        owners: dict[str, str],
    ) -> dict[str, Any]:
        double = self._double
        payload: dict[str, Any] = {
            "id": str(result.id),
            "application_id": str(double.bot_id),
            "type": result.kind,
            "data": data,
            "token": result.token,
            "version": 1,
            "channel_id": str(channel.id),
            "channel": payloads.channel(double.state, channel),
            "locale": self.locale,
            "entitlements": [],
            "attachment_size_limit": payloads.ATTACHMENT_SIZE_LIMIT,
            "app_permissions": str(double.guild.permissions_of(double.bot_id)),
            "authorizing_integration_owners": owners,
            "context": installs.context_of(double, channel),
        }
        if channel.guild_id is not None:
            guild = double.guild_by_id(channel.guild_id)
            payload |= {
                "guild_id": str(guild.id),
                "guild": {"id": str(guild.id), "locale": guild.preferred_locale, "features": []},
                "guild_locale": guild.preferred_locale,
                "member": payloads.member(double.state, guild, self.id, with_permissions=True),
            }
            if double.bot_id in guild.members:
                payload["app_permissions"] = str(guild.permissions_of(double.bot_id))
            else:  # only the member's install: what @everyone may do there
                payload["app_permissions"] = str(guild.everyone.permissions)
        else:
            payload["user"] = payloads.user(self.user)
            if installs.context_of(double, channel) == installs.PRIVATE_CHANNEL:
                payload["app_permissions"] = str(installs.PRIVATE_CHANNEL_APP_PERMISSIONS)
        if message is not None:
            payload["message"] = payloads.message(double.state, message, double.base_url)
        return payload

    # --- messages and reactions ------------------------------------------------------------------

    async def send(self, content: str, channel: Channel | None = None, *, wait: bool = True) -> Message:
        """Post a message (the bot sees its content only with the message_content intent, as on Discord)."""
        double = self._double
        where = channel or double.channel("general")
        message = Message(double.state.ids.next(), where.id, self.id, content)
        double.state.messages[message.id] = message
        double.state.touch()
        intent = DIRECT_MESSAGES if where.guild_id is None else GUILD_MESSAGES
        delivery = await double.deliver(
            "MESSAGE_CREATE", events.message_event(double, message), intent=intent
        )
        if wait:  # until the bot's handlers are idle
            await delivery.idle(double.timeout)
        return message

    async def send_dm(self, content: str, *, wait: bool = True) -> Message:
        return await self.send(content, self.dm, wait=wait)

    async def react(self, message: Message, emoji: str, *, wait: bool = True) -> None:
        """Add a reaction (`"👍"` or `"name:id"`); the bot gets a raw MESSAGE_REACTION_ADD."""
        await self._reaction(message, emoji, added=True, wait=wait)

    async def unreact(self, message: Message, emoji: str, *, wait: bool = True) -> None:
        await self._reaction(message, emoji, added=False, wait=wait)

    async def _reaction(self, message: Message, emoji: str, *, added: bool, wait: bool) -> None:
        double = self._double
        users = message.reactions.setdefault(emoji, [])
        if added and self.id not in users:
            users.append(self.id)
        elif not added and self.id in users:
            users.remove(self.id)
        double.state.touch()
        if not double.bot_connected:  # the bot is down: Discord keeps the reaction, the event reaches nobody
            return
        guild = double.state.channels[message.channel_id].guild_id is not None
        intent = GUILD_MESSAGE_REACTIONS if guild else DIRECT_MESSAGE_REACTIONS
        event = "MESSAGE_REACTION_ADD" if added else "MESSAGE_REACTION_REMOVE"
        data = events.reaction_event(double, message, self.id, emoji, added=added)
        delivery = await double.deliver(event, data, intent=intent)
        if wait:  # until the bot's handlers are idle
            await delivery.idle(double.timeout)


def _submitted(top: dict[str, Any], filled: dict[str, str]) -> dict[str, Any]:
    def answer(component: dict[str, Any]) -> dict[str, Any]:
        base = {"type": component["type"], "custom_id": component["custom_id"], "id": component.get("id", 0)}
        if component["type"] == 4:
            return base | {"value": filled.get(component["custom_id"], "")}
        picked = filled.get(component["custom_id"])
        return base | {"values": [] if picked is None else [picked]}

    if top.get("type") == 18:
        return {"type": 18, "id": top.get("id", 0), "component": answer(top["component"])}
    return {"type": 1, "id": top.get("id", 0), "components": [answer(c) for c in top.get("components") or []]}


def _describe(component: dict[str, Any]) -> str:
    return f"{component.get('label') or component.get('placeholder') or ''!r} ({component.get('custom_id')})"


def _what(kind: int, data: dict[str, Any]) -> str:
    if kind in (2, 4):
        return f"/{data['name']}"
    return f"{'modal' if kind == 5 else 'component'} {data.get('custom_id')!r}"
