"""The default world every double starts with.

One guild, "Study Group", owned by `owner`; the bot; members `alice` and `bob`; roles `@everyone`
(send messages, add reactions, use application commands...) and `Moderator` (manage messages);
text channels `general` and `quiz`. Tests add more with `DiscordDouble.add_member/add_role/add_channel`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .state import Channel, ChannelType, DiscordState, Guild, GuildMember, Role, User

# VIEW_CHANNEL | SEND_MESSAGES | SEND_MESSAGES_IN_THREADS | CREATE_PUBLIC_THREADS | EMBED_LINKS | ATTACH_FILES
# | ADD_REACTIONS | READ_MESSAGE_HISTORY | USE_APPLICATION_COMMANDS | USE_EXTERNAL_EMOJIS
EVERYONE_PERMISSIONS = (
    (1 << 10)
    | (1 << 11)
    | (1 << 38)
    | (1 << 35)
    | (1 << 14)
    | (1 << 15)
    | (1 << 6)
    | (1 << 16)
    | (1 << 31)
    | (1 << 18)
)
MANAGE_MESSAGES = 1 << 13
BOT_PERMISSIONS = EVERYONE_PERMISSIONS | MANAGE_MESSAGES | (1 << 34) | (1 << 36)  # + manage/create threads


@dataclass
class World:
    bot: User
    guild: Guild
    members: dict[str, User]


def build_guild(state: DiscordState, guild_id: int, name: str, owner: User, bot_id: int) -> Guild:
    """A server the bot is in: `owner`, the bot with its role, @everyone, and one text channel, #general."""
    state.users[owner.id] = owner
    guild = Guild(guild_id, name, owner.id)
    everyone = Role(guild.id, "@everyone", EVERYONE_PERMISSIONS, 0)
    bot_role = Role(state.ids.next(), "StudyBot", BOT_PERMISSIONS, 1)
    guild.roles = {r.id: r for r in (everyone, bot_role)}
    guild.members = {bot_id: GuildMember(bot_id, [bot_role.id]), owner.id: GuildMember(owner.id)}
    channel = Channel(state.ids.next(), "general", ChannelType.TEXT, guild.id, position=0)
    state.channels[channel.id] = channel
    guild.channel_ids.append(channel.id)
    state.guilds[guild.id] = guild
    return guild


def build_default_world(state: DiscordState) -> World:
    ids = state.ids
    bot = User(ids.next(), "StudyBot", bot=True)
    owner = User(ids.next(), "owner")
    alice = User(ids.next(), "alice", global_name="Alice")
    bob = User(ids.next(), "bob", global_name="Bob")
    for user in (bot, owner, alice, bob):
        state.users[user.id] = user
    guild = Guild(ids.next(), "Study Group", owner.id)
    everyone = Role(guild.id, "@everyone", EVERYONE_PERMISSIONS, 0)
    moderator = Role(ids.next(), "Moderator", MANAGE_MESSAGES, 1, mentionable=True)
    bot_role = Role(ids.next(), "StudyBot", BOT_PERMISSIONS, 2)
    guild.roles = {r.id: r for r in (everyone, moderator, bot_role)}
    guild.members = {
        bot.id: GuildMember(bot.id, [bot_role.id]),
        owner.id: GuildMember(owner.id),
        alice.id: GuildMember(alice.id),
        bob.id: GuildMember(bob.id),
    }
    for position, name in enumerate(("general", "quiz")):
        channel = Channel(ids.next(), name, ChannelType.TEXT, guild.id, position=position)
        state.channels[channel.id] = channel
        guild.channel_ids.append(channel.id)
    state.guilds[guild.id] = guild
    return World(bot, guild, {"owner": owner, "alice": alice, "bob": bob})
