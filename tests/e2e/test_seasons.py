"""The season summary end to end: opt-in with /recap season, posted in the recap channel once the month is over
in the server's zone and language, once per month across sweeps, a crash and restarts."""

from __future__ import annotations

from pathlib import Path

from board_seed import text
from clock import FakeClock
from discord_double import DiscordDouble, assert_no_pings
from study_bot import study_bot_factory, utc
from test_stats_privacy import a_revealed_day

from bot.chat.recap.runner import RecapRunner
from bot.services.recap import RecapService


def seasons(double: DiscordDouble) -> list:
    titles = ("Season summary · 2026-11", "2026-11 赛季总结")
    return [m for m in double.bot_messages("general") if m.embeds and m.embeds[0].get("title") in titles]


def fields(message) -> dict[str, str]:
    return {f["name"]: f["value"] for f in message.embeds[0]["fields"]}


async def test_the_season_summary_is_posted_once_at_the_months_end_across_a_restart(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))  # 30 November, 08:00 in Shanghai (the schedule's zone)
    owner, alice, bob = double.member("owner"), double.member("alice"), double.member("bob")
    factory = study_bot_factory(tmp_path, clock)
    async with double.running(factory) as bot:
        await a_revealed_day(double, bot, clock, day="2026-11-30")
        on = await owner.slash("recap season", enabled=True)
        assert on.ephemeral and "Monthly season summary: on" in on.content
        assert f"<#{double.channel('general').id}>" in on.content and "Asia/Shanghai" in on.content
        runner = bot.services.get(RecapRunner)
        clock.set(utc("2026-11-30T15:59:00"))  # 23:59 in Shanghai: November is not over
        await runner.sweep()
        assert seasons(double) == []
        clock.set(utc("2026-11-30T16:00:30"))
        await runner.sweep()
        await runner.sweep()  # a second wake-up posts nothing more
        (summary,) = seasons(double)
        assert summary.embeds[0]["title"] == "Season summary · 2026-11"  # the schedule's language: English
        shown = fields(summary)
        assert shown["🏆 Champion of the month"].startswith(f"{alice.mention} — ")
        assert shown["Top of the month"].splitlines()[0].startswith(f"**1.** {alice.mention}")
        assert bob.mention in shown["Top of the month"]
        assert "— 2 answers" in shown["Most answered topic"]
        assert shown["The month in figures"] == "1 daily question · 2 answers · 2 members took part"
        assert_no_pings(summary)
    clock.set(utc("2026-11-30T16:20:00"))
    async with double.running(factory) as bot:  # a restart the same night posts nothing again
        await bot.services.get(RecapRunner).catch_up
        await bot.services.get(RecapRunner).sweep()
        assert len(seasons(double)) == 1


async def test_a_claimed_summary_is_sent_once_after_a_crash(discord_double: DiscordDouble, tmp_path: Path) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    owner = double.member("owner")
    factory = study_bot_factory(tmp_path, clock)
    async with double.running(factory) as bot:
        await a_revealed_day(double, bot, clock, day="2026-11-30")
        await owner.slash("qotd language", language="zh")
        await owner.slash("recap season", enabled=True)
        clock.moment = utc("2026-12-01T02:00:00")  # no wake-up fires: the bot dies right after claiming
        (plan,) = await bot.services.get(RecapService).seasons_due(clock.now(), lambda _guild: None)
        assert plan.season.month == "2026-11" and seasons(double) == []
    clock.set(utc("2026-12-01T03:00:00"))
    async with double.running(factory) as bot:
        await bot.services.get(RecapRunner).catch_up
        (summary,) = seasons(double)
        assert summary.embeds[0]["title"] == "2026-11 赛季总结"  # the server language
    async with double.running(factory) as bot:
        await bot.services.get(RecapRunner).catch_up
        assert len(seasons(double)) == 1


async def test_no_season_summary_without_opting_in(discord_double: DiscordDouble, tmp_path: Path) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        await a_revealed_day(double, bot, clock, day="2026-11-30")
        off = await double.member("owner").slash("recap season", enabled=False)
        assert "Monthly season summary: off" in off.content
        clock.set(utc("2026-11-30T16:00:30"))
        await bot.services.get(RecapRunner).sweep()
        assert seasons(double) == [] and "Season summary" not in "".join(text(m) for m in double.bot_messages(
            "general"))
