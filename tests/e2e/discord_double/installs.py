"""Where a member may run a synced command, and what Discord then says about it.

Discord decides from the command's `integration_types` (0 guild install, 1 user install) and `contexts` (0 a
server, 1 the bot's DM, 2 a private channel: a DM or group DM between users, without the bot), and from where the
app is installed: in the servers the bot is in (guild install), and for the members who added it to their own
account (`DiscordDouble.install_for_user`). The interaction then carries `context` and
`authorizing_integration_owners`: "0" is the server's id (the string "0" in the bot's DM), "1" the member's id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .state import Channel, ChannelType

if TYPE_CHECKING:
    from .double import DiscordDouble

GUILD_INSTALL, USER_INSTALL = 0, 1
GUILD, BOT_DM, PRIVATE_CHANNEL = 0, 1, 2
CONTEXT_NAMES = {GUILD: "a server", BOT_DM: "the bot's DM", PRIVATE_CHANNEL: "a private channel"}


def context_of(double: DiscordDouble, channel: Channel) -> int:
    if channel.guild_id is not None:
        return GUILD
    if channel.type is ChannelType.DM and channel.recipient_id is not None:
        return BOT_DM
    return PRIVATE_CHANNEL


def bot_is_in(double: DiscordDouble, channel: Channel) -> bool:
    """Whether the bot can reach the channel itself (outside interaction replies): its DMs and its servers."""
    if channel.guild_id is not None:
        return channel.guild_id in double.state.guilds
    return context_of(double, channel) == BOT_DM


def installations(double: DiscordDouble, user_id: int, channel: Channel) -> dict[str, str]:
    """The app's installations that reach this member here, as `authorizing_integration_owners`."""
    owners: dict[str, str] = {}
    context = context_of(double, channel)
    if context == GUILD and channel.guild_id in double.state.guilds:
        owners[str(GUILD_INSTALL)] = str(channel.guild_id)
    elif context == BOT_DM:
        owners[str(GUILD_INSTALL)] = "0"
    if user_id in double.state.user_installs:
        owners[str(USER_INSTALL)] = str(user_id)
    return owners


def authorize(double: DiscordDouble, command: dict[str, Any], user_id: int, channel: Channel) -> dict[str, str]:
    """The owners that let this member run `command` here; a `ValueError` where Discord's client would not
    offer it (the wrong context, or no installation of a kind the command allows)."""
    name = command["name"]
    context = context_of(double, channel)
    if command.get("guild_id"):  # a guild command: that server's members, through its guild install
        return {str(GUILD_INSTALL): command["guild_id"]}
    contexts = command.get("contexts")
    if contexts is None:  # Discord's default: every context (dm_permission false still closes the bot's DM)
        contexts = [GUILD, PRIVATE_CHANNEL] + ([] if command.get("dm_permission") is False else [BOT_DM])
    if context not in contexts:
        raise ValueError(f"/{name} is not available in {CONTEXT_NAMES[context]} (contexts {sorted(contexts)})")
    kinds = command.get("integration_types") or [GUILD_INSTALL]
    owners = {k: v for k, v in installations(double, user_id, channel).items() if int(k) in kinds}
    if not owners:
        raise ValueError(
            f"/{name} is not installed for this member in {CONTEXT_NAMES[context]} "
            f"(integration_types {sorted(kinds)}; installations here: "
            f"{sorted(installations(double, user_id, channel)) or 'none'})"
        )
    return owners

# What an app may do in a private channel it is not in: reply to the interaction, with embeds and files.
PRIVATE_CHANNEL_APP_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 31)
# Discord's cap on follow-ups of an interaction that only a user install answers (a server install has none).
USER_INSTALL_FOLLOWUPS = 5
