"""Sharding as Discord requires it: past `guilds_per_shard` servers an unsharded connection is refused (4011, as
Discord does above 2,500), and the bot runs the shards Discord advises; with SHARD_COUNT/SHARD_IDS it runs only
its own, and sees only their servers."""

from __future__ import annotations

from pathlib import Path

import discord
import pytest
from clock import FakeClock
from discord_double import DiscordDouble
from study_bot import study_bot_factory, utc

CLOCK_START = utc("2026-11-30T00:00:00")


def servers_on_both_shards(double: DiscordDouble) -> dict[int, int]:
    """One more server on the shard (of 2) the default guild is not on; guild id -> shard."""
    home = (double.guild.id >> 22) % 2
    other, _owner = double.add_guild("Other Server", shard=(1 - home, 2))
    return {double.guild.id: home, other.id: 1 - home}


async def test_an_unsharded_connection_is_refused_and_the_bot_runs_the_shards_discord_advises(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    shards = servers_on_both_shards(double)
    double.gateway.recommended_shards = 2
    double.gateway.guilds_per_shard = 1  # Discord's 2,500, scaled down

    plain = discord.Client(intents=discord.Intents.default())
    with pytest.raises(discord.ConnectionClosed) as refused:
        async with double.running(plain):
            pass
    assert refused.value.code == 4011

    async with double.running(study_bot_factory(tmp_path, FakeClock(CLOCK_START))) as bot:
        assert bot.shard_count == 2
        assert sorted(tuple(d["shard"]) for d in double.gateway.identifies if "shard" in d) == [(0, 2), (1, 2)]
        assert {g.id: g.shard_id for g in bot.guilds} == shards
        for guild_id in shards:  # a member on either shard is answered
            guild = double.guild_by_id(guild_id)
            member = next(double.member(name) for name in ("owner", "Other Server-owner")
                          if double.member(name).id in guild.members)
            reply = await member.slash("help", double.guild_channel(guild))
            assert reply.ephemeral and reply.embeds[0]["title"]


async def test_a_process_with_shard_ids_runs_and_sees_only_its_own_shards(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    shards = servers_on_both_shards(double)
    mine = next(guild for guild, shard in shards.items() if shard == 1)
    factory = study_bot_factory(tmp_path, FakeClock(CLOCK_START), shard_count=2, shard_ids=(1,))
    async with double.running(factory) as bot:
        assert [d.get("shard") for d in double.gateway.identifies] == [[1, 2]]
        assert [g.id for g in bot.guilds] == [mine]
        assert bot.db.shards.owned == (1,) and bot.db.shards.count == 2  # and every sweep reads only those
        theirs = next(guild for guild, shard in shards.items() if shard == 0)
        typing = {"guild_id": str(theirs), "channel_id": str(double.guild_by_id(theirs).channel_ids[0]),
                  "user_id": str(double.member("owner").id), "timestamp": 0}
        assert (await double.deliver("TYPING_START", typing)).lost  # no session of this bot gets shard 0's events
