"""Channel routes: messages (JSON or multipart with files), edits, reactions, threads, DMs, typing.

Also the helpers that turn a message body into a stored `Message`, shared with the interaction routes.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from aiohttp import web

from . import events, limits, payloads
from .faults import error_response, json_response
from .rest import Call, Pipeline, UploadedFile
from .state import EPHEMERAL, LOADING, Attachment, Channel, ChannelType, Message, iso_now

if TYPE_CHECKING:
    from .double import DiscordDouble

EDITABLE = ("content", "embeds", "components", "flags", "allowed_mentions")
NONCE_WINDOW_SECONDS = 300  # Discord de-duplicates an enforced nonce for "a few minutes"


def _attachments(double: DiscordDouble, body: dict[str, Any], files: list[UploadedFile]) -> list[Attachment]:
    described = {str(a.get("id")): a for a in body.get("attachments") or []}
    found = []
    for index, upload in enumerate(files):
        meta = described.get(
            upload.field.removeprefix("files[").removesuffix("]"), described.get(str(index), {})
        )
        found.append(
            Attachment(
                double.state.ids.next(),
                meta.get("filename") or upload.filename,
                upload.data,
                upload.content_type,
                meta.get("description"),
            )
        )
    return found


def store_message(
    double: DiscordDouble,
    channel_id: int,
    body: dict[str, Any],
    files: list[UploadedFile],
    **extra: Any,
) -> Message:
    """Store a message the bot sent (channel message, interaction response or follow-up)."""
    message = Message(
        id=double.state.ids.next(),
        channel_id=channel_id,
        author_id=double.bot_id,
        content=body.get("content") or "",
        embeds=body.get("embeds") or [],
        components=body.get("components") or [],
        flags=int(body.get("flags") or 0),
        allowed_mentions=body.get("allowed_mentions"),
        attachments=_attachments(double, body, files),
        tts=bool(body.get("tts")),
        message_reference=body.get("message_reference"),
        **extra,
    )
    if message.message_reference is not None:
        message.type = 19
    double.state.messages[message.id] = message
    return message


def edit_message(
    double: DiscordDouble, message: Message, body: dict[str, Any], files: list[UploadedFile]
) -> None:
    """Apply an edit; the previous version goes to `message.history`."""
    message.history.append(
        {key: getattr(message, key) for key in EDITABLE} | {"attachments": message.attachments}
    )
    if "content" in body:
        message.content = body["content"] or ""
    if "embeds" in body:
        message.embeds = body["embeds"] or []
    if "components" in body:
        message.components = body["components"] or []
    if "allowed_mentions" in body:
        message.allowed_mentions = body["allowed_mentions"]
    if "flags" in body:
        message.flags = (message.flags & EPHEMERAL) | int(body["flags"] or 0)
    message.flags &= ~LOADING
    new = _attachments(double, body, files)
    if "attachments" in body:
        keep = {str(a.get("id")) for a in body["attachments"] or []}
        message.attachments = [a for a in message.attachments if str(a.id) in keep]
    message.attachments += new
    message.edited_at = iso_now()


def add_channel_routes(pipeline: Pipeline) -> None:
    double = pipeline.double
    state = double.state

    def channel_of(call: Call) -> Channel | None:
        return state.channels.get(int(call.params["channel_id"]))

    def message_of(call: Call) -> Message | None:
        found = state.message(int(call.params["message_id"]))
        return found if found is not None and str(found.channel_id) == call.params["channel_id"] else None

    def render(message: Message) -> dict[str, Any]:
        return payloads.message(state, message, double.base_url)

    async def get_channel(call: Call) -> web.Response:
        found = channel_of(call)
        return json_response(200, payloads.channel(state, found)) if found else _unknown_channel()

    async def create(call: Call) -> web.Response:
        channel = channel_of(call)
        if channel is None:
            return _unknown_channel()
        body = call.body or {}
        key = (channel.id, str(body["nonce"])) if body.get("enforce_nonce") and body.get("nonce") else None
        if key is not None and key in double.nonces:  # Discord: the message already sent with this nonce
            message_id, sent_at = double.nonces[key]
            if time.monotonic() - sent_at < NONCE_WINDOW_SECONDS and (found := state.message(message_id)):
                return json_response(200, render(found))
        message = store_message(double, channel.id, body, call.files)
        if key is not None:
            double.nonces[key] = (message.id, time.monotonic())
        await events.announce_message(double, message)
        if double.faults.takes_hold(channel.id):
            state.touch()
            await asyncio.Event().wait()  # accepted, never answered (until the double stops)
        return json_response(200, render(message))

    async def history(call: Call) -> web.Response:
        found = sorted(state.channel_messages(int(call.params["channel_id"])), key=lambda m: -m.id)
        if "before" in call.query:
            found = [m for m in found if m.id < int(call.query["before"])]
        if "after" in call.query:
            found = [m for m in found if m.id > int(call.query["after"])]
        return json_response(200, [render(m) for m in found[: int(call.query.get("limit", 50))]])

    async def get_message(call: Call) -> web.Response:
        found = message_of(call)
        return json_response(200, render(found)) if found else _unknown_message()

    async def edit(call: Call) -> web.Response:
        found = message_of(call)
        if found is None:
            return _unknown_message()
        if found.author_id != double.bot_id:
            return error_response(403, 50005, "Cannot edit a message authored by another user")
        edit_message(double, found, call.body or {}, call.files)
        await events.dispatch_to_bot(double, "MESSAGE_UPDATE", render(found), channel=channel_of(call))
        return json_response(200, render(found))

    async def delete(call: Call) -> web.Response:
        found = message_of(call)
        if found is None:
            return _unknown_message()
        found.deleted = True
        event = {"id": str(found.id), "channel_id": str(found.channel_id)}
        await events.dispatch_to_bot(double, "MESSAGE_DELETE", event, channel=channel_of(call))
        return web.Response(status=204)

    async def react(call: Call) -> web.Response:
        found = message_of(call)
        if found is None:
            return _unknown_message()
        emoji = unquote(call.params["emoji_name"])
        users = found.reactions.setdefault(emoji, [])
        if double.bot_id not in users:
            users.append(double.bot_id)
            await events.dispatch_reaction(double, found, double.bot_id, emoji, added=True)
        return web.Response(status=204)

    async def unreact(call: Call) -> web.Response:
        found = message_of(call)
        if found is None:
            return _unknown_message()
        emoji = unquote(call.params["emoji_name"])
        user_id = double.bot_id if call.route.endswith("/@me") else int(call.params["user_id"])
        if user_id in found.reactions.get(emoji, []):
            found.reactions[emoji].remove(user_id)
            await events.dispatch_reaction(double, found, user_id, emoji, added=False)
        return web.Response(status=204)

    async def clear_reactions(call: Call) -> web.Response:
        found = message_of(call)
        if found is None:
            return _unknown_message()
        found.reactions.clear()
        return web.Response(status=204)

    async def reaction_users(call: Call) -> web.Response:
        found = message_of(call)
        if found is None:
            return _unknown_message()
        ids = found.reactions.get(unquote(call.params["emoji_name"]), [])
        return json_response(200, [payloads.user(state.users[i]) for i in ids])

    async def typing(call: Call) -> web.Response:
        return web.Response(status=204)

    async def start_thread(call: Call) -> web.Response:
        parent = channel_of(call)
        if parent is None or parent.is_thread or parent.guild_id is None:
            return _unknown_channel()
        body = call.body or {}
        from_message = "message_id" in call.params
        if from_message and message_of(call) is None:
            return _unknown_message()
        kind = ChannelType.PUBLIC_THREAD if from_message else ChannelType(int(body.get("type") or 11))
        thread = double.create_thread(
            parent,
            body["name"],
            kind=kind,
            owner_id=double.bot_id,
            thread_id=int(call.params["message_id"]) if from_message else None,
            auto_archive_duration=int(body.get("auto_archive_duration") or 1440),
        )
        await events.dispatch_to_bot(
            double, "THREAD_CREATE", payloads.channel(state, thread) | {"newly_created": True}
        )
        return json_response(201, payloads.channel(state, thread))

    async def edit_channel(call: Call) -> web.Response:
        found = channel_of(call)
        if found is None:
            return _unknown_channel()
        body = call.body or {}
        found.name = body.get("name", found.name)
        found.archived = bool(body.get("archived", found.archived))
        found.locked = bool(body.get("locked", found.locked))
        data = payloads.channel(state, found)
        await events.dispatch_to_bot(double, "THREAD_UPDATE" if found.is_thread else "CHANNEL_UPDATE", data)
        return json_response(200, data)

    async def join_thread(call: Call) -> web.Response:
        found = channel_of(call)
        if found is None or not found.is_thread:
            return _unknown_channel()
        found.member_ids.add(double.bot_id if call.route.endswith("/@me") else int(call.params["user_id"]))
        return web.Response(status=204)

    async def open_dm(call: Call) -> web.Response:
        recipient = int((call.body or {}).get("recipient_id", 0))
        if recipient not in state.users:
            return error_response(400, 50033, "Invalid Recipients")
        return json_response(200, payloads.channel(state, double.dm_channel(recipient)))

    message_path = "/channels/{channel_id}/messages/{message_id}"
    reactions_path = message_path + "/reactions/{emoji_name}"
    pipeline.add("GET", "/channels/{channel_id}", get_channel)
    pipeline.add("PATCH", "/channels/{channel_id}", edit_channel)
    pipeline.add("POST", "/channels/{channel_id}/messages", create, check=limits.message_body)
    pipeline.add("GET", "/channels/{channel_id}/messages", history)
    pipeline.add("GET", message_path, get_message)
    pipeline.add("PATCH", message_path, edit, check=limits.message_body)
    pipeline.add("DELETE", message_path, delete)
    pipeline.add("PUT", reactions_path + "/@me", react)
    pipeline.add("DELETE", reactions_path + "/@me", unreact)
    pipeline.add("DELETE", reactions_path + "/{user_id}", unreact)
    pipeline.add("GET", reactions_path, reaction_users)
    pipeline.add("DELETE", message_path + "/reactions", clear_reactions)
    pipeline.add("POST", "/channels/{channel_id}/typing", typing)
    pipeline.add("POST", "/channels/{channel_id}/threads", start_thread)
    pipeline.add("POST", message_path + "/threads", start_thread)
    pipeline.add("PUT", "/channels/{channel_id}/thread-members/@me", join_thread)
    pipeline.add("PUT", "/channels/{channel_id}/thread-members/{user_id}", join_thread)
    pipeline.add("POST", "/users/@me/channels", open_dm)


def _unknown_channel() -> web.Response:
    return error_response(404, 10003, "Unknown Channel")


def _unknown_message() -> web.Response:
    return error_response(404, 10008, "Unknown Message")
