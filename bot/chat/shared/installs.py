"""Where a command can be installed and used. Every command is guild-only (guild install, guild channels) unless it
is `personal`: practice, review, help and question lookup also come with a user install and work in any DM."""

from __future__ import annotations

from typing import TypeVar

from discord import app_commands

T = TypeVar("T")

# The tree's defaults (bot.chat.client): a command that says nothing is a server's, as in Discord before user apps.
GUILD_CONTEXTS = app_commands.AppCommandContext(guild=True, dm_channel=False, private_channel=False)
GUILD_INSTALLS = app_commands.AppInstallationType(guild=True, user=False)


def personal(command: T) -> T:
    """Installable by a member for themselves too, and usable in servers, the bot's DM and any private channel
    (a DM or group DM with others, where the bot is not a member). Such a command replies only to the member."""
    command = app_commands.allowed_installs(guilds=True, users=True)(command)
    return app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)(command)


def is_personal(command: app_commands.Command | app_commands.Group) -> bool:  # type: ignore[type-arg]
    """Whether a command (or the group it belongs to) comes with a user install."""
    top = command.root_parent or command
    return bool(top.allowed_installs and top.allowed_installs.user)
