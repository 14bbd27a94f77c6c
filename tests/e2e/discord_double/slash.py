"""Builds an application-command interaction's `data` from the command tree the bot synced.

Like Discord's client, it only lets a member run what was registered, with the declared option types,
choices and bounds; a test asking for something a real member could not type gets a `ValueError`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import payloads
from .state import Attachment, Channel, Role, User

if TYPE_CHECKING:
    from .double import DiscordDouble

SUBCOMMAND, GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = range(3, 12)


def find_command(double: DiscordDouble, name: str, guild_id: int | None) -> dict[str, Any]:
    """The synced command `name` as a member in `guild_id` (None: outside servers) sees it; where it may be run
    is `installs.authorize`."""
    scopes = ([double.state.guild_commands.get(guild_id, [])] if guild_id else []) + [
        double.state.global_commands
    ]
    for commands in scopes:
        for command in commands:
            if command["name"] == name and command.get("type", 1) == 1:
                return command
    synced = sorted(c["name"] for scope in scopes for c in scope)
    raise LookupError(f"the bot has not synced a slash command /{name}; synced: {synced}")


def find_message_command(double: DiscordDouble, name: str, guild_id: int | None) -> dict[str, Any]:
    """A synced message context-menu command (type 3) by its name, as a member's Apps menu lists them."""
    scopes = ([double.state.guild_commands.get(guild_id, [])] if guild_id else []) + [
        double.state.global_commands
    ]
    for commands in scopes:
        for command in commands:
            if command["name"] == name and command.get("type", 1) == 3:
                if guild_id is None and not _usable_in_dms(command):
                    raise ValueError(f"{name!r} is not available in DMs (contexts / dm_permission)")
                return command
    synced = sorted(c["name"] for scope in scopes for c in scope if c.get("type", 1) == 3)
    raise LookupError(f"the bot has not synced a message command {name!r}; synced: {synced}")


def _usable_in_dms(command: dict[str, Any]) -> bool:
    contexts = command.get("contexts")
    if contexts is not None:
        return 1 in contexts  # 0 guild, 1 bot DM, 2 private channel
    return command.get("dm_permission") is not False


def command_data(
    double: DiscordDouble,
    path: str,
    values: dict[str, Any],
    guild_id: int | None,
    *,
    focused: str | None = None,
) -> dict[str, Any]:
    """`path` is "quiz" or "quiz start" or "admin bank reload"; `values` maps option names to values."""
    name, *subpath = path.split()
    command = find_command(double, name, guild_id)
    data: dict[str, Any] = {"id": command["id"], "name": name, "type": 1}
    if command.get("guild_id"):
        data["guild_id"] = command["guild_id"]
    container, declared = data, command.get("options") or []
    for part in subpath:
        sub = next((o for o in declared if o["name"] == part and o["type"] in (SUBCOMMAND, GROUP)), None)
        if sub is None:
            raise ValueError(f"/{path}: no subcommand {part!r}; has {[o['name'] for o in declared]}")
        node: dict[str, Any] = {"type": sub["type"], "name": part, "options": []}
        container.setdefault("options", []).append(node)
        container, declared = node, sub.get("options") or []
    if any(o["type"] in (SUBCOMMAND, GROUP) for o in declared):
        raise ValueError(f"/{path} is a group; name one of {[o['name'] for o in declared]}")
    resolved: dict[str, dict[str, Any]] = {}
    built = []
    for option_name, value in values.items():
        option = next((o for o in declared if o["name"] == option_name), None)
        if option is None:
            raise ValueError(f"/{path} has no option {option_name!r}; it has {[o['name'] for o in declared]}")
        if option_name == focused:
            built.append({"type": option["type"], "name": option_name, "value": str(value), "focused": True})
        else:
            built.append(
                {
                    "type": option["type"],
                    "name": option_name,
                    "value": _value(double, option, value, resolved),
                }
            )
    if focused is None:
        missing = [o["name"] for o in declared if o.get("required") and o["name"] not in values]
        if missing:
            raise ValueError(f"/{path} needs {missing}")
    if built:
        container["options"] = built
    if resolved:
        data["resolved"] = resolved
    return data


def _value(double: DiscordDouble, option: dict[str, Any], value: Any, resolved: dict[str, Any]) -> Any:
    kind, name = option["type"], option["name"]
    if kind in (STRING, INTEGER, NUMBER):
        expected: tuple[type, ...] = {STRING: (str,), INTEGER: (int,), NUMBER: (int, float)}[kind]
        if not isinstance(value, expected) or isinstance(value, bool):
            raise ValueError(f"option {name!r} takes {expected[0].__name__}, got {value!r}")
        choices = [c["value"] for c in option.get("choices") or []]
        if choices and value not in choices:
            raise ValueError(f"option {name!r} must be one of {choices}")
        _check_bounds(option, value)
        return value
    if kind == BOOLEAN:
        if not isinstance(value, bool):
            raise ValueError(f"option {name!r} takes bool, got {value!r}")
        return value
    target = getattr(value, "user", value)
    if kind in (USER, MENTIONABLE) and isinstance(target, User):
        resolved.setdefault("users", {})[str(target.id)] = payloads.user(target)
        if target.id in double.guild.members:
            member = payloads.member(double.state, double.guild, target.id, with_permissions=True)
            resolved.setdefault("members", {})[str(target.id)] = {
                k: v for k, v in member.items() if k != "user"
            }
        return str(target.id)
    if kind in (ROLE, MENTIONABLE) and isinstance(value, Role):
        resolved.setdefault("roles", {})[str(value.id)] = payloads.role(value)
        return str(value.id)
    if kind == CHANNEL and isinstance(value, Channel):
        channel = payloads.channel(double.state, value) | {
            "permissions": str(double.guild.permissions_of(double.bot_id))
        }
        resolved.setdefault("channels", {})[str(value.id)] = channel
        return str(value.id)
    if kind == ATTACHMENT:
        if not isinstance(value, Attachment) or value.id not in double.state.uploads:
            raise ValueError(f"option {name!r} takes a file made with double.upload(...), got {value!r}")
        # Discord uploads the file first, then sends its CDN address in `resolved.attachments`.
        resolved.setdefault("attachments", {})[str(value.id)] = payloads.attachment(value, double.base_url, 0)
        return str(value.id)
    raise ValueError(f"option {name!r} (type {kind}) cannot take {value!r}")


def _check_bounds(option: dict[str, Any], value: Any) -> None:
    name = option["name"]
    if isinstance(value, str):
        low, high = option.get("min_length"), option.get("max_length")
        if (low is not None and len(value) < low) or (high is not None and len(value) > high):
            raise ValueError(f"option {name!r} must be {low}-{high} characters")
    else:
        low, high = option.get("min_value"), option.get("max_value")
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValueError(f"option {name!r} must be between {low} and {high}")
