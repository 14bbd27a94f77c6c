"""The weekly recap end to end: posted at its time in the guild's zone, once per week across sweeps and restarts,
with the week's top members, streaks, hardest question and most up-voted answers; /recap config and preview."""

from __future__ import annotations

from pathlib import Path

from board_seed import text
from clock import FakeClock
from discord_double import DiscordDouble, assert_no_pings
from study_bot import study_bot_factory, utc
from test_qotd_day import setup_schedule
from test_stats_privacy import a_revealed_day

from bot.chat.client import StudyBot
from bot.chat.recap.runner import RecapRunner
from bot.services.recap import RecapService


def recaps(double: DiscordDouble) -> list:
    return [m for m in double.bot_messages("general") if m.embeds and m.embeds[0]["title"].startswith("Weekly recap")]


def fields(message) -> dict[str, str]:
    return {f["name"]: f["value"] for f in message.embeds[0]["fields"]}


def recap_job(bot: StudyBot, double: DiscordDouble):
    """The recaps' one wake-up (the earliest recap instant ahead over every guild)."""
    return bot.wakeups.armed().get("recap:next")


async def next_recap(bot: StudyBot, double: DiscordDouble):
    """When the guild's next recap comes, as the service works it out (None: it gets none)."""
    return (await bot.services.get(RecapService).next_times(bot.clock.now())).get(double.guild.id)


async def test_the_recap_is_posted_once_at_sunday_evening_guild_time(discord_double: DiscordDouble,
                                                                     tmp_path: Path) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-12-05T00:00:00"))  # Saturday 08:00 in Shanghai
    alice, bob = double.member("alice"), double.member("bob")
    factory = study_bot_factory(tmp_path, clock)
    async with double.running(factory) as bot:
        await a_revealed_day(double, bot, clock, day="2026-12-05")
        # Sunday 20:00 in Shanghai (the guild's zone, from its schedule) is 12:00 UTC.
        assert recap_job(bot, double) == utc("2026-12-06T12:00:00")
        assert bot.wakeups.has("recap:sweep")
        runner = bot.services.get(RecapRunner)
        clock.set(utc("2026-12-06T11:59:00"))
        await runner.sweep()
        assert recaps(double) == []
        clock.set(utc("2026-12-06T12:00:30"))
        await runner.sweep()
        await runner.sweep()  # a second wake-up posts nothing more
        (recap,) = recaps(double)
        assert recap.embeds[0]["title"] == "Weekly recap · 2026-11-30 – 2026-12-06"
        shown = fields(recap)
        assert shown["Top of the week"].splitlines()[0].startswith(f"**1.** {alice.mention} — ")
        assert f"**2.** {bob.mention} — " in shown["Top of the week"]
        assert f"{alice.mention} — 🔥 1-day streak" in shown["Longest streaks"]
        assert "2026-12-05" in shown["Hardest question of the week"]
        assert "2 answered · mean key-point coverage 50% · 🔴 1" in shown["Hardest question of the week"]
        assert f"{alice.mention} — 👍 1" in shown["Most up-voted answers"] and "discord.com/channels/" in shown[
            "Most up-voted answers"]
        assert_no_pings(recap)
        assert recap_job(bot, double) == utc("2026-12-13T12:00:00")
    clock.set(utc("2026-12-06T12:20:00"))
    async with double.running(factory) as bot:  # a restart in the same week posts nothing again
        await bot.services.get(RecapRunner).catch_up
        assert len(recaps(double)) == 1


async def test_hidden_members_stay_out_of_the_recap(discord_double: DiscordDouble, tmp_path: Path) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-12-05T00:00:00"))
    alice, bob = double.member("alice"), double.member("bob")
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        await a_revealed_day(double, bot, clock, day="2026-12-05")
        await bob.slash("privacy hide")
        clock.set(utc("2026-12-06T12:00:00"))
        await bot.services.get(RecapRunner).sweep()
        (recap,) = recaps(double)
        assert bob.mention not in text(recap) and alice.mention in text(recap)


async def test_a_claimed_recap_is_sent_after_a_crash_but_not_a_day_late(discord_double: DiscordDouble,
                                                                       tmp_path: Path) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-12-05T00:00:00"))
    factory = study_bot_factory(tmp_path, clock)
    async with double.running(factory) as bot:
        await a_revealed_day(double, bot, clock, day="2026-12-05")
        clock.set(utc("2026-12-06T12:00:00"))
        # The recap is claimed, then the bot dies before it reaches Discord.
        (plan,) = await bot.services.get(RecapService).due(clock.now())
        assert plan.recap.week == "2026-W49" and recaps(double) == []
    clock.set(utc("2026-12-06T12:30:00"))
    async with double.running(factory) as bot:
        await bot.services.get(RecapRunner).catch_up
        assert len(recaps(double)) == 1
    # The next week the bot is down from before Sunday 20:00 until Monday 20:01: that recap is skipped.
    clock.set(utc("2026-12-14T12:01:00"))
    async with double.running(factory) as bot:
        await bot.services.get(RecapRunner).catch_up
        assert len(recaps(double)) == 1


async def test_recap_config_and_preview(discord_double: DiscordDouble, tmp_path: Path) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-12-05T00:00:00"))
    owner = double.member("owner")
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        await a_revealed_day(double, bot, clock, day="2026-12-05")
        saved = await owner.slash("recap config", options={"day": "monday", "time": "09:30",
                                                           "channel": double.channel("quiz")})
        assert saved.ephemeral
        assert "every Monday at 09:30 (Asia/Shanghai) in <#" in saved.content and "Next: <t:" in saved.content
        assert await next_recap(bot, double) == utc("2026-12-07T01:30:00")
        assert recap_job(bot, double) <= utc("2026-12-07T01:30:00")  # the wake-up comes no later
        bad = await owner.slash("recap config", time="9h")
        assert "HH:MM" in bad.content
        off = await owner.slash("recap config", enabled=False)
        assert "Weekly recap: off" in off.content and await next_recap(bot, double) is None
        clock.set(utc("2026-12-07T01:30:00"))
        await bot.services.get(RecapRunner).sweep()
        assert double.bot_messages("quiz") == [] and recaps(double) == []
        await owner.slash("recap config", enabled=True)
        await bot.services.get(RecapRunner).sweep()
        (recap,) = [m for m in double.bot_messages("quiz") if m.embeds]
        assert recap.embeds[0]["title"] == "Weekly recap · 2026-12-01 – 2026-12-07"

        preview = await owner.slash("recap preview")
        assert preview.ephemeral and preview.embeds[0]["title"].startswith("Weekly recap")


async def test_a_recap_the_bot_cannot_post_is_reported_to_the_admins(discord_double: DiscordDouble,
                                                                     tmp_path: Path) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-12-05T00:00:00"))
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        await a_revealed_day(double, bot, clock, day="2026-12-05")
        double.faults.forbid(double.channel("general"))
        clock.set(utc("2026-12-06T12:00:30"))
        await bot.services.get(RecapRunner).sweep()
        assert recaps(double) == []
        # The same instant passed the day's 09:00 post, refused too: its report may come before or after this one.
        reports = [m.content for m in double.dms(double.member("owner"))]
        assert any("weekly recap" in r and f"<#{double.channel('general').id}>" in r for r in reports), reports


async def test_the_server_time_zone_can_be_chosen_and_every_feature_counts_days_in_it(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-12-05T00:00:00"))
    owner = double.member("owner")
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        await setup_schedule(double)  # Asia/Shanghai: the server's zone until someone chooses one
        shown = await owner.slash("recap config", options={"day": "sunday", "time": "20:00"})
        assert "(Asia/Shanghai)" in shown.content
        chosen = await owner.slash("qotd timezone", timezone="Europe/Berlin")
        assert chosen.ephemeral and "Europe/Berlin" in chosen.content
        assert "(Europe/Berlin)" in (await owner.slash("recap config", options={"time": "20:00"})).content
        assert await next_recap(bot, double) == utc("2026-12-06T19:00:00")  # Sunday 20:00 in Berlin
        refused = await owner.slash("qotd timezone", timezone="Mars/Olympus")
        assert "Unknown time zone" in refused.content
        back = await owner.slash("qotd timezone")
        assert "Asia/Shanghai" in back.content
