"""The Discord permissions the bot needs, for the invite URL and for set-up checks."""

from __future__ import annotations

import discord

# view, send, embed links, add reactions, create public threads, send in threads, read history, attach files
REQUIRED_CHANNEL_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    embed_links=True,
    add_reactions=True,
    create_public_threads=True,
    send_messages_in_threads=True,
    read_message_history=True,
    attach_files=True,
)


def missing_permissions(granted: discord.Permissions) -> list[str]:
    """The names of required permissions that `granted` lacks, in a stable order."""
    return [name for name, needed in REQUIRED_CHANNEL_PERMISSIONS if needed and not getattr(granted, name)]


_LABELS = {
    "read_messages": "View Channel",
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "embed_links": "Embed Links",
    "add_reactions": "Add Reactions",
    "create_public_threads": "Create Public Threads",
    "send_messages_in_threads": "Send Messages in Threads",
    "read_message_history": "Read Message History",
    "attach_files": "Attach Files",
}


def permission_labels(names: list[str]) -> list[str]:
    """Permission names as Discord's settings screen shows them (what an admin looks for)."""
    return [_LABELS.get(name, name.replace("_", " ").title()) for name in names]
