"""Interaction routes: the callback (first response) and the webhook follow-ups and edits that come after.

Enforces what Discord enforces around them: the response deadline, a single acknowledgement, callback types
allowed for each interaction type, follow-ups only after an acknowledgement.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import events, installs, limits, payloads
from .channels import edit_message, store_message
from .faults import error_response, json_response
from .interactions import CallbackType, InteractionResult
from .rest import Call, Pipeline
from .state import EPHEMERAL, LOADING, Message

if TYPE_CHECKING:
    pass

# Callback types Discord accepts for each interaction type (2 command, 3 component, 4 autocomplete, 5 modal).
ALLOWED_CALLBACKS = {2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}


def _in_data(breaches: list[limits.Breach]) -> list[limits.Breach]:
    return [limits.Breach(b.rule, ("data", *b.path), b.message) for b in breaches]


def callback_limits(body: Any) -> list[limits.Breach]:
    if not isinstance(body, dict):
        return []
    data = body.get("data") or {}
    kind = body.get("type")
    if kind in (CallbackType.MESSAGE, CallbackType.UPDATE):
        return _in_data(limits.message_body(data))
    if kind == CallbackType.AUTOCOMPLETE:
        return _in_data(limits.autocomplete(data))
    if kind == CallbackType.MODAL:
        return _in_data(limits.modal(data))
    return []


def add_interaction_routes(pipeline: Pipeline) -> None:
    double = pipeline.double
    state = double.state

    def render(message: Message) -> dict[str, Any]:
        return payloads.message(state, message, double.base_url)

    def callback_precheck(call: Call) -> web.Response | None:
        found = double.interactions.get(int(call.params["interaction_id"]))
        if found is None or found.token != call.params["interaction_token"]:
            return error_response(404, 10062, "Unknown interaction")
        call.interaction = found
        found.callback_attempts += 1
        if double.deadline_passed(found):
            return error_response(404, 10062, "Unknown interaction")
        if found.acknowledged:
            double.violations.record(
                "interaction.acknowledged", call.route, "second initial response", call.id
            )
            return error_response(400, 40060, "Interaction has already been acknowledged.")
        kind = (call.body or {}).get("type")
        allowed = ALLOWED_CALLBACKS.get(found.kind, set())
        if found.kind == 5 and found.source_message_id is None:
            allowed = allowed - {6, 7}
        if kind not in allowed:
            detail = f"callback type {kind} is not allowed for interaction type {found.kind}"
            found.rejections.append(
                double.violations.record("interaction.callback_type", call.route, detail, call.id)
            )
            return error_response(
                400, 50035, "Invalid Form Body", {"type": {"_errors": [{"message": detail}]}}
            )
        return None

    async def callback(call: Call) -> web.Response:
        interaction = call.interaction
        assert interaction is not None
        body = call.body or {}
        kind = int(body["type"])
        data = body.get("data") or {}
        interaction.callback = body
        resource: dict[str, Any] | None = None
        if kind in (CallbackType.MESSAGE, CallbackType.DEFERRED):
            content = (
                data if kind == CallbackType.MESSAGE else {"flags": int(data.get("flags") or 0) | LOADING}
            )
            message = store_message(
                double,
                interaction.channel_id,
                content,
                call.files,
                interaction_id=interaction.id,
                webhook_id=double.bot_id,
                type=20 if interaction.kind == 2 else 0,
            )
            interaction.original_id = message.id
            await events.announce_message(double, message)
            resource = {"type": kind, "message": render(message)}
        elif kind in (CallbackType.DEFERRED_UPDATE, CallbackType.UPDATE):
            interaction.original_id = interaction.source_message_id
            source = state.message(interaction.source_message_id or 0)
            if kind == CallbackType.UPDATE and source is not None:
                edit_message(double, source, data, call.files)
                await events.announce_edit(double, source)
            if source is not None:
                resource = {"type": kind, "message": render(source)}
        message = interaction.message
        answer: dict[str, Any] = {
            "interaction": {
                "id": str(interaction.id),
                "type": interaction.kind,
                "response_message_loading": kind == CallbackType.DEFERRED,
                "response_message_ephemeral": bool(message and message.ephemeral),
            }
        }
        if message is not None:
            answer["interaction"]["response_message_id"] = str(message.id)
        if resource is not None:
            answer["resource"] = resource
        if call.query.get("with_response", "").lower() in ("1", "true"):
            return json_response(200, answer)
        return web.Response(status=204)

    def webhook_precheck(call: Call) -> web.Response | None:
        found = double.interaction_by_token(call.params["webhook_token"])
        if found is None or call.params["webhook_id"] != str(double.bot_id):
            double.violations.record(
                "harness.unsupported_route", call.route, "only interaction webhooks exist"
            )
            return error_response(404, 10015, "Unknown Webhook")
        call.interaction = found
        if not call.route.startswith("GET "):  # reading @original does not complete a deferred reply
            found.webhook_attempts += 1
        if not found.acknowledged:
            detail = "follow-up or edit before the interaction was acknowledged"
            found.rejections.append(
                double.violations.record("interaction.not_acknowledged", call.route, detail)
            )
            return error_response(404, 10015, "Unknown Webhook")
        return None

    def target(call: Call, interaction: InteractionResult) -> Message | None:
        wanted = call.params.get("message_id", "@original")
        if wanted == "@original":
            return interaction.message
        found = state.message(int(wanted))
        mine = int(wanted) in interaction.followup_ids or int(wanted) == interaction.original_id
        return found if mine else None

    async def followup(call: Call) -> web.Response:
        interaction = call.interaction
        assert interaction is not None
        body = call.body or {}
        original = interaction.message
        owners = interaction.payload.get("authorizing_integration_owners") or {}
        if "0" not in owners and len(interaction.followup_ids) >= installs.USER_INSTALL_FOLLOWUPS:
            detail = f"a user-installed app may send at most {installs.USER_INSTALL_FOLLOWUPS} follow-ups"
            interaction.rejections.append(
                double.violations.record("interaction.followups", call.route, detail, call.id)
            )
            return error_response(400, 40094, "This interaction has hit the maximum number of follow up messages")
        if original is not None and original.loading:
            # The first follow-up after a "thinking" defer replaces the loading message.
            edit_message(double, original, body | {"flags": original.flags & EPHEMERAL}, call.files)
            message = original
            await events.announce_edit(double, message)
        else:
            message = store_message(
                double,
                interaction.channel_id,
                body,
                call.files,
                interaction_id=interaction.id,
                webhook_id=double.bot_id,
            )
            await events.announce_message(double, message)
        interaction.followup_ids.append(message.id)
        if call.query.get("wait", "").lower() in ("1", "true"):
            return json_response(200, render(message))
        return web.Response(status=204)

    async def get_message(call: Call) -> web.Response:
        found = target(call, call.interaction) if call.interaction else None
        return json_response(200, render(found)) if found else error_response(404, 10008, "Unknown Message")

    async def edit(call: Call) -> web.Response:
        interaction = call.interaction
        found = target(call, interaction) if interaction else None
        if interaction is None or found is None:
            return error_response(404, 10008, "Unknown Message")
        edit_message(double, found, call.body or {}, call.files)
        if found.id == interaction.original_id:
            interaction.edits.append(call.body or {})
        await events.announce_edit(double, found)
        return json_response(200, render(found))

    async def delete(call: Call) -> web.Response:
        found = target(call, call.interaction) if call.interaction else None
        if found is None:
            return error_response(404, 10008, "Unknown Message")
        found.deleted = True
        event = {"id": str(found.id), "channel_id": str(found.channel_id)}
        await events.dispatch_to_bot(
            double, "MESSAGE_DELETE", event, channel=state.channels[found.channel_id]
        )
        return web.Response(status=204)

    callback_path = "/interactions/{interaction_id}/{interaction_token}/callback"
    pipeline.add(
        "POST", callback_path, callback, check=callback_limits, precheck=callback_precheck, auth=False
    )
    hook = "/webhooks/{webhook_id}/{webhook_token}"
    pipeline.add("POST", hook, followup, check=limits.message_body, precheck=webhook_precheck, auth=False)
    for path in (hook + "/messages/@original", hook + "/messages/{message_id}"):
        pipeline.add("GET", path, get_message, precheck=webhook_precheck, auth=False)
        pipeline.add("PATCH", path, edit, check=limits.message_body, precheck=webhook_precheck, auth=False)
        pipeline.add("DELETE", path, delete, precheck=webhook_precheck, auth=False)
