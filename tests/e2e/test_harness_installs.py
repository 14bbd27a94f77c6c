"""The double's own tests for user installs: where a synced command may run (its `integration_types` and
`contexts`), the `context` and `authorizing_integration_owners` an interaction carries, what the bot cannot do
where it is not a member, and the checks of the synced payload against Discord's spec."""

from __future__ import annotations

from typing import TypeVar

import discord
import pytest
from discord import app_commands
from discord_double import DiscordDouble

T = TypeVar("T")


def everywhere(callback: T) -> T:
    """User-installable too, and usable in servers, the bot's DM and private channels."""
    callback = app_commands.allowed_installs(guilds=True, users=True)(callback)
    return app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)(callback)


class InstallBot(discord.Client):
    """`/mine` is user-installable and usable everywhere; `/server` is a server's only; `/chatty` sends
    follow-ups; `/post` tries to post in the channel itself, outside the interaction."""

    def __init__(self, **options: object) -> None:
        super().__init__(intents=discord.Intents.default(), **options)
        self.tree = app_commands.CommandTree(self)
        self.seen: list[discord.Interaction] = []

        @self.tree.command(description="Personal")
        @everywhere
        async def mine(interaction: discord.Interaction) -> None:
            self.seen.append(interaction)
            await interaction.response.send_message("yours", ephemeral=True)

        @self.tree.command(description="A server's")
        @app_commands.guild_only()
        @app_commands.allowed_installs(guilds=True, users=False)
        async def server(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("server", ephemeral=True)

        @self.tree.command(description="Six follow-ups")
        @everywhere
        async def chatty(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("0", ephemeral=True)
            for number in range(1, 7):
                try:
                    await interaction.followup.send(str(number), ephemeral=True)
                except discord.HTTPException as error:
                    await interaction.edit_original_response(content=f"refused {number}: {error.code}")
                    return

        @self.tree.command(description="Post in the channel")
        @everywhere
        async def post(interaction: discord.Interaction) -> None:
            try:
                await interaction.channel.send("hello")  # type: ignore[union-attr]
            except discord.Forbidden as error:
                await interaction.response.send_message(f"forbidden {error.code}", ephemeral=True)
                return
            await interaction.response.send_message("posted", ephemeral=True)

    async def setup_hook(self) -> None:
        await self.tree.sync()


async def test_where_a_command_runs_and_what_the_interaction_says(discord_double: DiscordDouble) -> None:
    double = discord_double
    alice, bob = double.member("alice"), double.member("bob")
    elsewhere = double.add_foreign_guild("Other Server", (alice,))
    with_bob = double.private_channel(alice, bob)
    group = double.private_channel(alice, bob, double.member("owner"), name="study")
    async with double.running(InstallBot) as bot:
        synced = {c["name"]: c for c in double.commands()}
        assert (synced["mine"]["integration_types"], synced["mine"]["contexts"]) == ([0, 1], [0, 1, 2])
        assert (synced["server"]["integration_types"], synced["server"]["contexts"]) == ([0], [0])
        # Before alice adds the app herself: her servers with the bot and its DM (its guild install) only.
        general = await alice.slash("mine")
        assert general.payload["context"] == 0
        assert general.payload["authorizing_integration_owners"] == {"0": str(double.guild.id)}
        in_dm = await alice.slash("mine", alice.dm)
        assert (in_dm.payload["context"], in_dm.payload["authorizing_integration_owners"]) == (1, {"0": "0"})
        for where in (with_bob, group, elsewhere):
            with pytest.raises(ValueError, match="not installed for this member"):
                await alice.slash("mine", where)
        double.install_for_user(alice)
        both = await alice.slash("mine")
        assert both.payload["authorizing_integration_owners"] == {"0": str(double.guild.id), "1": str(alice.id)}
        for where, context in ((with_bob, 2), (group, 2), (elsewhere, 0)):
            result = await alice.slash("mine", where)
            assert result.content == "yours" and result.ephemeral
            assert result.payload["context"] == context
            assert result.payload["authorizing_integration_owners"] == {"1": str(alice.id)}
        assert group.type == 3 and bot.seen[-2].channel.type is discord.ChannelType.group
        assert bot.seen[-1].guild_id == elsewhere.guild_id and bot.get_guild(elsewhere.guild_id) is None
        assert bot.seen[-1].is_user_integration() and not bot.seen[-1].is_guild_integration()
        # A server's command stays in servers with the bot, whatever alice installed.
        assert (await alice.slash("server")).content == "server"
        for where, why in ((alice.dm, "not available in the bot's DM"), (with_bob, "not available in a private"),
                           (elsewhere, "not installed")):
            with pytest.raises(ValueError, match=why):
                await alice.slash("server", where)


async def test_where_the_bot_is_not_a_member_it_only_answers_interactions(discord_double: DiscordDouble) -> None:
    double = discord_double
    alice, bob = double.member("alice"), double.member("bob")
    with_bob = double.private_channel(alice, bob)
    elsewhere = double.add_foreign_guild("Other Server", (alice,))
    double.install_for_user(alice)
    async with double.running(InstallBot):
        for where in (with_bob, elsewhere):
            assert (await alice.slash("post", where)).content == "forbidden 50001"
        assert (await alice.slash("post", alice.dm)).content == "posted"
        # Only a user install answers: Discord caps its follow-ups at 5 (a server's install has no cap).
        with double.expect_violation("interaction.followups"):
            capped = await alice.slash("chatty", with_bob)
            await capped.settled()
        assert len(capped.followups) == 5 and capped.content == "refused 6: 40094"
        uncapped = await alice.slash("chatty")
        await uncapped.settled()
        assert len(uncapped.followups) == 6


async def test_the_synced_contexts_and_integration_types_are_checked_against_discords_spec(
    discord_double: DiscordDouble,
) -> None:
    double = discord_double
    if double.schemas is None:
        pytest.skip("Discord's OpenAPI spec is absent")
    async with double.running(InstallBot) as bot:
        for wrong in ({"contexts": [3]}, {"integration_types": [2]}, {"contexts": []}, {"integration_types": [0, 0]}):
            body = {"name": "bad", "description": "Bad", "type": 1, **wrong}
            with double.expect_violation("schema"), pytest.raises(discord.HTTPException):
                await bot.http.bulk_upsert_global_commands(bot.application_id, payload=[body])
        assert {c["name"] for c in double.commands()} == {"mine", "server", "chatty", "post"}
