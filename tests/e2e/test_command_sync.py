"""Commands are synced only when the tree changed, a failed sync never stops the bot (it is retried), and with
DEV_GUILD_ID no stale global copy stays beside the guild's."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import discord
import pytest
from clock import FakeClock
from discord import app_commands
from discord_double import DiscordDouble
from study_bot import study_bot_factory, utc

from bot.chat.client import SYNC_RETRY_SECONDS, StudyBot

GLOBAL = "PUT /applications/{application_id}/commands"
GUILD = "PUT /applications/{application_id}/guilds/{guild_id}/commands"


def puts(double: DiscordDouble, route: str = GLOBAL) -> int:
    return len([c for c in double.requests(route) if c.status == 200])


async def test_commands_are_synced_at_the_first_start_and_again_only_when_the_tree_changed(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    factory = study_bot_factory(tmp_path, FakeClock(utc("2026-11-30T00:00:00")))
    async with double.running(factory):
        assert puts(double) == 1 and double.commands()
    async with double.running(factory):  # the same tree: Discord is not asked again
        assert puts(double) == 1
    async with double.running(lambda **options: factory(force_sync=True, **options)):  # python -m bot sync
        assert puts(double) == 2

    def with_one_more_command(**options: object) -> StudyBot:
        bot = factory(**options)

        @app_commands.command(name="ping", description="Check the bot answers")
        async def ping(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("pong", ephemeral=True)

        bot.tree.add_command(ping)
        return bot

    async with double.running(with_one_more_command):  # a release that adds a command syncs once
        assert puts(double) == 3 and "ping" in {c["name"] for c in double.commands()}
    async with double.running(with_one_more_command):
        assert puts(double) == 3


async def test_a_refused_sync_never_stops_the_bot_and_is_tried_again_a_minute_later(
    discord_double: DiscordDouble, tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    refused = double.faults.reject(GLOBAL)
    with caplog.at_level(logging.ERROR, logger="bot.chat.client"):
        async with double.running(study_bot_factory(tmp_path, clock)) as bot:
            assert refused.hits == 1 and bot.is_ready() and not double.commands()  # up, without commands yet
            assert any("could not sync the application commands" in r.getMessage() for r in caplog.records)
            assert bot.wakeups.has("commands:sync")
            clock.set(clock.now() + timedelta(seconds=SYNC_RETRY_SECONDS))  # the retry fires
            await double.wait_until(lambda: bool(double.commands()), what="the commands synced on the retry")
            assert not bot.wakeups.has("commands:sync")
    double.take_client_errors()


async def test_with_a_dev_guild_the_commands_go_there_and_the_global_list_is_emptied(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    async with double.running(study_bot_factory(tmp_path, clock)):  # a first run synced globally
        assert double.commands()
    async with double.running(study_bot_factory(tmp_path, clock, dev_guild_id=double.guild.id)):
        assert {c["name"] for c in double.commands(double.guild)} >= {"qotd", "quiz", "help"}
        assert double.commands() == []  # no stale global copy beside the guild's
        assert puts(double, GUILD) == 1
