"""Two shard processes over one PostgreSQL, as a big bot runs across machines.

Each process runs `python -m bot run` with SHARD_COUNT=2 and its own SHARD_IDS, against the Discord double, which
routes every guild's events to the session of the guild's shard, `(guild_id >> 22) % 2`, as Discord does. Every
server is set up through `/qotd setup` with its own owner; every server gets exactly one post and one reveal.
Shard 1's process is killed (SIGKILL) after the posts: shard 0's servers get their reveal on time meanwhile, and
once shard 1's process starts again it reveals its own servers, and only those, once each.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from answers import strong_answer
from bot_process import BotProcess, simulated_clock
from discord_double import Channel, DiscordDouble, Guild, Member, Message, NoResponse
from study_bot import ROOT, utc
from test_qotd_day import only_field, question_of

from bot.bank import load_bank

SPEED = 120  # one real second is two simulated minutes
START = utc("2026-11-30T08:30:00")
POST = utc("2026-11-30T09:00:00")
REVEAL_AFTER = timedelta(minutes=20)
BANK = load_bank([ROOT / "questions"]).bank

pytestmark = pytest.mark.timeout(180)



def the_post(double: DiscordDouble, channel: Channel) -> Message | None:
    return next((m for m in double.bot_messages(channel) if any(b.get("label") == "Answer" for b in m.buttons)),
                None)


def reveals(double: DiscordDouble, channel: Channel) -> list[Message]:
    return [m for m in double.bot_messages(channel)
            if m.embeds and (m.embeds[0].get("title") or "").startswith("Reference answer")]


def posts(double: DiscordDouble, channel: Channel) -> list[Message]:
    return [m for m in double.bot_messages(channel) if any(b.get("label") == "Answer" for b in m.buttons)]


async def health_of(bot: BotProcess, shard_ids: str, wait: float = 20.0) -> str:
    """What `python -m bot health` says with the bot's settings for these shards, once it says healthy (a
    shard beats once its guilds are ready, a moment after it identified), or after `wait` seconds."""
    deadline = asyncio.get_running_loop().time() + wait
    while True:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "health", cwd=ROOT, env=bot.env | {"SHARD_IDS": shard_ids},
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        out, _ = await process.communicate()
        if process.returncode == 0 or asyncio.get_running_loop().time() > deadline:
            return out.decode()
        await asyncio.sleep(0.2)


async def answer(double: DiscordDouble, member: Member, channel: Channel) -> str:
    """The member answers the day's question; on a loaded machine a reply can miss Discord's 3 s, and the member
    presses again, as members do (what this test is about is which process answers, not how fast)."""
    post = the_post(double, channel)
    assert post is not None
    text = strong_answer(question_of(BANK, post), f"{member.name}: ")
    for _attempt in range(3):
        try:
            form = (await member.click(double.state.message(post.id), label="Answer")).modal
            reply = await member.submit_modal(form, {only_field(form): text})
        except NoResponse:
            continue
        assert "answer is saved" in reply.content or "answer is updated" in reply.content, reply.content
        return text
    raise AssertionError(f"{member.name} was never answered in {channel.name}")


async def test_two_shard_processes_over_one_postgresql_post_and_reveal_each_server_once(
    discord_double: DiscordDouble, tmp_path: Path, fresh_pg_url, processes: list[BotProcess],
) -> None:
    double = discord_double
    url = await fresh_pg_url()
    servers: list[tuple[Guild, Member]] = [(double.guild, double.member("owner"))]
    servers += [double.add_guild(f"Server {i}", shard=(i % 2, 2)) for i in range(4)]
    shard_of = {guild.id: (guild.id >> 22) % 2 for guild, _ in servers}
    assert sorted(set(shard_of.values())) == [0, 1]
    general = {guild.id: double.guild_channel(guild) for guild, _ in servers}

    clock = simulated_clock(START, SPEED)
    shard0, shard1 = (BotProcess(double, tmp_path, clock, shards=((i,), 2), database_url=url, name=f"shard{i}")
                      for i in (0, 1))
    processes += [shard0, shard1]
    with double.serving_process():
        await asyncio.gather(shard0.start(), shard1.start())
        await asyncio.gather(shard0.ready(), shard1.ready())
        identified = {tuple(d["shard"]) for d in double.gateway.identifies}
        assert identified == {(0, 2), (1, 2)}
        health = await health_of(shard0, "0,1")  # each process beats for its own shard once it is connected
        assert health.startswith("healthy: shard 0 of 2: last heartbeat") and "shard 1 of 2" in health, health
        for guild, owner in servers:  # each owner's command reaches the process of the guild's shard
            reply = await owner.slash("qotd setup", general[guild.id], options={
                "channel": general[guild.id], "post_time": "09:00", "timezone": "UTC",
                "reveal": "20m", "language": "en"})
            assert "Daily question set for" in reply.content, reply.content

        await double.wait_until(lambda: all(the_post(double, c) for c in general.values()), timeout=40,
                                what="every server's daily post")
        answered = {guild.id: await answer(double, owner, general[guild.id]) for guild, owner in servers}

        await shard1.kill()  # mid-day: its servers' reveal is due while it is down
        on_shard0 = [g for g, s in shard_of.items() if s == 0]
        on_shard1 = [g for g, s in shard_of.items() if s == 1]
        await double.wait_until(lambda: all(reveals(double, general[g]) for g in on_shard0), timeout=40,
                                what="shard 0's reveals while shard 1 is down")
        await asyncio.sleep(1.5)  # three simulated minutes more, for a process that would reach beyond its shard
        assert not any(reveals(double, general[g]) for g in on_shard1)  # nobody else revealed them

        await shard1.start()
        await shard1.ready()
        await double.wait_until(lambda: all(reveals(double, general[g]) for g in on_shard1), timeout=40,
                                what="shard 1's reveals once its process is back")
        await asyncio.sleep(2)  # four simulated minutes more: nothing else may be sent
        assert await shard0.terminate() == 0
        assert await shard1.terminate() == 0

    double.take_violations("interaction.deadline")  # a slow reply on a loaded machine (see `answer`)
    for guild, _owner in servers:
        channel = general[guild.id]
        assert len(posts(double, channel)) == 1, guild.name
        assert len(reveals(double, channel)) == 1, guild.name
        (thread,) = double.threads(channel)
        assert [e["description"] for m in double.messages(thread) for e in m.embeds] == [answered[guild.id]]
    for bot in (shard0, shard1):
        log = bot.log_text()
        assert "Traceback" not in log and " ERROR " not in log, bot.log_tail()
        assert "maximum number of running instances" not in log  # a skipped periodic run is by design, not news
