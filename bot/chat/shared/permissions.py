"""Permissions: what the bot needs in a channel (invite URL, set-up checks) and what members need for a command."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.chat.shared.locale import language_of
from bot.i18n import t

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
    "manage_guild": "Manage Server",
    "manage_roles": "Manage Roles",
}


def permission_labels(names: list[str]) -> list[str]:
    """Permission names as Discord's settings screen shows them (what an admin looks for)."""
    return [_LABELS.get(name, name.replace("_", " ").title()) for name in names]


def default_permissions_of(command: app_commands.Command | None) -> discord.Permissions | None:
    """What a command asks of members by default: its own `default_permissions`, else its groups'."""
    node: object = command
    while node is not None:
        required = getattr(node, "default_permissions", None)
        if required is not None:
            return required
        node = getattr(node, "parent", None)
    return None


async def has_default_permissions(interaction: discord.Interaction) -> bool:
    """Discord lets a server grant any command per role and per channel, so `default_permissions` is only the
    default of who sees it: the bot checks the member's own server permissions as well (added to every command
    that has default permissions, in `require_default_permissions`)."""
    required = default_permissions_of(interaction.command)  # type: ignore[arg-type]
    if required is None or interaction.guild is None:
        return True
    user = interaction.user
    granted = user.guild_permissions if isinstance(user, discord.Member) else discord.Permissions.none()
    missing = [name for name, wanted in required if wanted and not getattr(granted, name)]
    if missing:
        raise app_commands.MissingPermissions(missing)
    return True


def require_default_permissions(tree: app_commands.CommandTree) -> int:
    """Add the member check to every command that has default permissions; returns how many."""
    guarded = 0
    for command in tree.walk_commands():
        if isinstance(command, app_commands.Command) and default_permissions_of(command) is not None:
            if has_default_permissions not in command.checks:
                command.add_check(has_default_permissions)
            guarded += 1
    return guarded


def is_manager(interaction: discord.Interaction) -> bool:
    """Whether the member may manage the server (a button on a message has no default permissions of its own)."""
    user = interaction.user
    return isinstance(user, discord.Member) and user.guild_permissions.manage_guild


async def refuse_unless_manager(interaction: discord.Interaction, message_key: str) -> bool:
    """Tell a member who is not a manager `message_key`, privately; True when they were refused."""
    if is_manager(interaction):
        return False
    await interaction.response.send_message(t(message_key, language_of(interaction)), ephemeral=True)
    return True
