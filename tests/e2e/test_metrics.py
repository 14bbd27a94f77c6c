"""The Prometheus endpoint end to end: a day's post, answers and reveal, and a post Discord refused, scraped from
`GET /metrics` as Prometheus would."""

from __future__ import annotations

import asyncio
import urllib.request
from pathlib import Path

from clock import FakeClock
from discord_double import DiscordDouble
from prometheus_client.parser import text_string_to_metric_families
from study_bot import study_bot_factory, utc

from bot.chat.qotd.runner import QotdRunner


def scrape(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample the endpoint serves, by name and labels."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        text = response.read().decode()
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


async def setup(double: DiscordDouble, channel: str) -> None:
    reply = await double.member("owner").slash("qotd setup", options={
        "channel": double.channel(channel), "post_time": "09:00", "timezone": "Asia/Shanghai", "reveal": "21:00",
        "language": "en"})
    assert "Daily question set for" in reply.content, reply.content


async def answer(double: DiscordDouble, name: str, post, text: str) -> str:
    member = double.member(name)
    opened = await member.click(post, label="Answer")
    (field,) = opened.modal.fields
    return (await member.submit_modal(opened.modal, {field: text})).content


async def test_the_endpoint_counts_a_day_and_names_why_a_post_failed(discord_double: DiscordDouble,
                                                                     tmp_path: Path) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))  # 08:00 in Shanghai
    double.add_member("carol")
    double.add_channel("quiet")
    async with double.running(study_bot_factory(tmp_path, clock, metrics_port=0)) as bot:
        port = bot.metrics.port
        assert port
        before = await asyncio.to_thread(scrape, port)
        assert before[("study_bot_posts_total", ())] == 0
        await setup(double, "general")
        await setup(double, "quiet")
        double.faults.forbid(double.channel("quiet"))  # the bot lost its permissions there after the set-up

        clock.set(utc("2026-11-30T01:00:02"))
        await bot.services.get(QotdRunner).sweep()
        (post,) = double.bot_messages("general")
        assert "saved" in await answer(double, "alice", post, "Attention weighs tokens by similarity.")
        assert "updated" in await answer(double, "alice", post, "Attention: softmax of scaled dot products.")
        assert "saved" in await answer(double, "bob", post, "Keys, queries, values.")
        clock.set(utc("2026-11-30T13:00:00"))
        await bot.services.get(QotdRunner).sweep()
        assert double.threads("general"), "revealed"
        await answer(double, "carol", post, "Late, but here: multi-head attention.")

        seen = await asyncio.to_thread(scrape, port)
        assert seen[("study_bot_posts_total", ())] == 1
        assert seen[("study_bot_reveals_total", ())] == 1
        assert seen[("study_bot_answers_total", (("kind", "new"),))] == 2
        assert seen[("study_bot_answers_total", (("kind", "edited"),))] == 1
        assert seen[("study_bot_answers_total", (("kind", "late"),))] == 1
        assert seen[("study_bot_failures_total", (("reason", "missing_permission"),))] == 1
        assert seen[("study_bot_sweep_seconds_count", (("runner", "qotd"),))] >= 2
        assert ("study_bot_event_loop_lag_seconds_count", ()) in seen
    # the endpoint stops with the bot
    try:
        await asyncio.to_thread(scrape, port)
    except OSError:
        pass
    else:
        raise AssertionError("the metrics endpoint outlived the bot")
