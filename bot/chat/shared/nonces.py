"""Deterministic message nonces: Discord de-duplicates an enforced nonce for a few minutes, so a message sent again
after a crash between Discord accepting it and the bot recording it comes back as the message Discord has."""

from __future__ import annotations


def nonce(kind: str, *ids: int) -> str:
    """At most 25 characters, the same on every retry and after a restart: `kind` names what is sent (each kind
    one letter, unique across the bot), `ids` the rows it comes from."""
    return kind + ".".join(str(i) for i in ids)[-24:]
