"""Assertions on what a message could ping, from the `allowed_mentions` the bot sent with it.

"Could not ping" is judged from `allowed_mentions` alone, whatever the content: a bot that echoes member
text must send allowed_mentions that block @everyone/@here, roles and users, or that text can ping.
"""

from __future__ import annotations

import re

from .state import Message

_USER = re.compile(r"<@!?(\d+)>")
_ROLE = re.compile(r"<@&(\d+)>")


def assert_no_pings(
    message: Message, *, everyone: bool = True, roles: bool = True, users: bool = True
) -> None:
    """Fail unless `message` could not ping any of the asked kinds (all three by default)."""
    policy = message.mention_policy
    problems = []
    if everyone and policy.everyone:
        problems.append("@everyone/@here")
    if roles and policy.roles:
        problems.append("roles" if policy.roles is True else f"roles {sorted(policy.roles)}")
    if users and policy.users:
        problems.append("users" if policy.users is True else f"users {sorted(policy.users)}")
    if problems:
        allowed = message.allowed_mentions
        kinds = ", ".join(problems)
        raise AssertionError(f"message {message.id} could ping {kinds}: allowed_mentions={allowed!r}")


def pinged(message: Message) -> dict[str, object]:
    """Who the content would actually notify under the message's allowed_mentions."""
    policy = message.mention_policy
    user_ids = {int(x) for x in _USER.findall(message.content)}
    role_ids = {int(x) for x in _ROLE.findall(message.content)}
    return {
        "everyone": policy.everyone and ("@everyone" in message.content or "@here" in message.content),
        "users": user_ids if policy.users is True else user_ids & set(policy.users or ()),
        "roles": role_ids if policy.roles is True else role_ids & set(policy.roles or ()),
    }
