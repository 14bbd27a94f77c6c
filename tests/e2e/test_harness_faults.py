"""The harness's own tests: injected faults (403, 429, gateway drops) and the gateway protocol."""

from __future__ import annotations

import asyncio
from typing import Any

import discord
import pytest
from discord import app_commands
from discord_double import DiscordDouble

MESSAGES_ROUTE = "POST /channels/{channel_id}/messages"
CALLBACK_ROUTE = "POST /interactions/{interaction_id}/{interaction_token}/callback"


@app_commands.command(description="Post an announcement in #quiz")
async def announce(interaction: discord.Interaction, text: str) -> None:
    channel = discord.utils.get(interaction.guild.text_channels, name="quiz")  # type: ignore[union-attr]
    assert channel is not None
    try:
        await channel.send(text)
    except discord.Forbidden:
        await interaction.response.send_message(f"I can't post in {channel.mention}", ephemeral=True)
    else:
        await interaction.response.send_message("posted", ephemeral=True)


@app_commands.command(description="Are you there?")
async def ping(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("pong")


class FaultBot(discord.Client):
    def __init__(self, **options: Any) -> None:
        intents = discord.Intents.default()
        intents.message_content = True
        super().__init__(intents=intents, **options)
        self.tree = app_commands.CommandTree(self)
        self.tree.add_command(announce)
        self.tree.add_command(ping)

    async def setup_hook(self) -> None:
        await self.tree.sync()


async def test_missing_permissions_on_a_channel_is_handled(discord_double: DiscordDouble) -> None:
    alice, quiz = discord_double.member("alice"), discord_double.channel("quiz")
    discord_double.faults.forbid(quiz)
    async with discord_double.running(FaultBot):
        refused = await alice.slash("announce", text="hello")
        assert (refused.content, refused.ephemeral) == (f"I can't post in {quiz.mention}", True)
        assert discord_double.messages(quiz) == []
        assert [c.status for c in discord_double.requests(MESSAGES_ROUTE)] == [403]
        discord_double.faults.allow(quiz)
        assert (await alice.slash("announce", text="hello")).content == "posted"
        assert [m.content for m in discord_double.messages(quiz)] == ["hello"]


@pytest.mark.parametrize(
    ("route", "is_global"), [(MESSAGES_ROUTE, False), (MESSAGES_ROUTE, True), (CALLBACK_ROUTE, False)]
)
async def test_rate_limits_are_retried(discord_double: DiscordDouble, route: str, is_global: bool) -> None:
    fault = discord_double.faults.rate_limit(route, times=2, retry_after=0.05, is_global=is_global)
    async with discord_double.running(FaultBot):
        result = await discord_double.member("alice").slash("announce", text="hello")
        assert result.content == "posted"
        assert fault.hits == 2
        assert [c.status for c in discord_double.requests(route)] == [429, 429, 200]
        assert [m.content for m in discord_double.messages("quiz")] == ["hello"]


async def test_a_dropped_gateway_is_resumed_and_missed_events_replayed(discord_double: DiscordDouble) -> None:
    alice = discord_double.member("alice")
    async with discord_double.running(FaultBot) as bot:
        missed = asyncio.ensure_future(bot.wait_for("message", check=lambda m: m.content == "missed"))
        resumed = asyncio.ensure_future(bot.wait_for("resumed"))
        await discord_double.gateway.drop("close")
        await alice.send("missed")  # sent while the bot is away: replayed on RESUME
        await asyncio.wait_for(resumed, discord_double.timeout)
        assert (await asyncio.wait_for(missed, discord_double.timeout)).author.id == alice.id
        (resume,) = discord_double.gateway.resumes
        assert resume["session_id"] == discord_double.gateway.current.id  # type: ignore[union-attr]
        assert len(discord_double.gateway.identifies) == 1
        assert (await alice.slash("ping")).content == "pong"


@pytest.mark.parametrize("mode", ["close", "reconnect", "invalidate"])
async def test_after_any_gateway_drop_commands_still_work(discord_double: DiscordDouble, mode: Any) -> None:
    async with discord_double.running(FaultBot):
        await discord_double.drop_gateway(mode)
        assert (await discord_double.member("alice").slash("ping")).content == "pong"
    assert len(discord_double.gateway.identifies) == (2 if mode == "invalidate" else 1)
    assert len(discord_double.gateway.resumes) == 1


async def test_heartbeats_are_acknowledged(discord_double: DiscordDouble) -> None:
    discord_double.gateway.heartbeat_interval_ms = 20
    async with discord_double.running(FaultBot) as bot:
        await discord_double.wait_until(lambda: discord_double.gateway.heartbeats >= 3, what="3 heartbeats")
        assert bot.latency < 1.0  # HEARTBEAT_ACKs arrived: discord.py measured a latency
