"""Gateway events the bot receives: consequences of its own requests and of members' actions.

Shapes follow Discord, including what the bot's intents allow: without `message_content`, guild messages
that do not mention the bot arrive with empty content; events outside the intents are not sent at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import installs, payloads
from .gateway import (
    DIRECT_MESSAGE_REACTIONS,
    DIRECT_MESSAGES,
    GUILD_MESSAGE_REACTIONS,
    GUILD_MESSAGES,
    MESSAGE_CONTENT,
)
from .state import Channel, Message

if TYPE_CHECKING:
    from .double import DiscordDouble


async def dispatch_to_bot(
    double: DiscordDouble, event: str, data: dict[str, Any], *, channel: Channel | None = None
) -> None:
    """Dispatch a consequence of the bot's own request (untracked)."""
    if double.gateway.current is None:
        return
    if channel is not None and not installs.bot_is_in(double, channel):  # no gateway events from where it is not
        return
    intent = None
    if channel is not None:
        intent = DIRECT_MESSAGES if channel.guild_id is None else GUILD_MESSAGES
    await double.gateway.dispatch(event, data, intent=intent)


def message_event(double: DiscordDouble, message: Message) -> dict[str, Any]:
    data = payloads.message(double.state, message, double.base_url)
    channel = double.state.channels[message.channel_id]
    mentioned = f"<@{double.bot_id}>" in message.content or f"<@!{double.bot_id}>" in message.content
    private = channel.guild_id is None or message.author_id == double.bot_id or mentioned
    if not private and not double.gateway.intents & MESSAGE_CONTENT:
        data.update(content="", embeds=[], attachments=[], components=[])
    return data


async def announce_message(double: DiscordDouble, message: Message) -> None:
    if not message.ephemeral:
        channel = double.state.channels[message.channel_id]
        await dispatch_to_bot(double, "MESSAGE_CREATE", message_event(double, message), channel=channel)


async def announce_edit(double: DiscordDouble, message: Message) -> None:
    if not message.ephemeral:
        channel = double.state.channels[message.channel_id]
        await dispatch_to_bot(double, "MESSAGE_UPDATE", message_event(double, message), channel=channel)


def reaction_event(
    double: DiscordDouble, message: Message, user_id: int, emoji: str, *, added: bool
) -> dict[str, Any]:
    channel = double.state.channels[message.channel_id]
    data: dict[str, Any] = {
        "user_id": str(user_id),
        "channel_id": str(channel.id),
        "message_id": str(message.id),
        "emoji": payloads.emoji_object(emoji),
        "burst": False,
        "type": 0,
    }
    if channel.guild_id is not None:
        data["guild_id"] = str(channel.guild_id)
        if added:
            data["member"] = payloads.member(double.state, double.guild_by_id(channel.guild_id), user_id)
    if added:
        data |= {"message_author_id": str(message.author_id), "burst_colors": []}
    return data


async def dispatch_reaction(
    double: DiscordDouble, message: Message, user_id: int, emoji: str, *, added: bool
) -> None:
    if double.gateway.current is None:
        return
    channel = double.state.channels[message.channel_id]
    intent = DIRECT_MESSAGE_REACTIONS if channel.guild_id is None else GUILD_MESSAGE_REACTIONS
    event = "MESSAGE_REACTION_ADD" if added else "MESSAGE_REACTION_REMOVE"
    await double.gateway.dispatch(
        event, reaction_event(double, message, user_id, emoji, added=added), intent=intent
    )
