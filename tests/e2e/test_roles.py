"""Reward roles end to end: streak roles given and taken as streaks grow and break, the monthly champion role moving
at the month's end, and the problems the bot cannot fix (no Manage Roles, a role above its own) named to managers
when they set it up and to the admins once when a sweep meets them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import discord
import pytest
from board_seed import award
from clock import FakeClock
from discord_double import DiscordDouble, Member
from discord_double.state import Role
from study_bot import study_bot_factory, utc
from test_qotd_day import setup_schedule
from test_stats_privacy import a_revealed_day

from bot.chat.client import StudyBot
from bot.chat.roles.runner import RoleRunner
from bot.storage.database import transaction
from bot.storage.points import PointsRepository, StreakRow

MANAGE_ROLES = 1 << 28
ROLE_ROUTE = "/guilds/{guild_id}/members/{user_id}/roles/{role_id}"


def roles_of(double: DiscordDouble, member: Member) -> set[int]:
    return set(double.guild.members[member.id].role_ids)


def role_calls(double: DiscordDouble) -> list[tuple[str, int, int, int | None]]:
    """(method, member, role, status) of every role change the bot asked Discord for."""
    return [(call.route.split()[0], int(call.params["user_id"]), int(call.params["role_id"]), call.status)
            for call in double.pipeline.calls if call.route.endswith(ROLE_ROUTE)]


async def streak(bot: StudyBot, double: DiscordDouble, member: Member, days: int, last: str) -> None:
    """A streak as the reveal records it (what the daily question's answers built up)."""
    async with transaction(bot.db):
        await PointsRepository(bot.db).save_streak(double.guild.id, member.id,
                                                   StreakRow(days, days, date.fromisoformat(last)))


def arrange_roles(double: DiscordDouble) -> tuple[Role, Role, Role, Role]:
    """The bot's role at position 5; Regular (3) and Weekly (4) below it, Above (6) over it."""
    bot_role = double.role("StudyBot")
    bot_role.position = 5
    return (bot_role, double.add_role("Regular", position=3), double.add_role("Weekly", position=4),
            double.add_role("Above", position=6))


async def test_streak_roles_are_given_and_taken_and_a_missing_manage_roles_is_named(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))  # 08:00 in Shanghai, the schedule's zone
    owner, alice, bob = double.member("owner"), double.member("alice"), double.member("bob")
    bot_role, regular, weekly, above = arrange_roles(double)
    factory = study_bot_factory(tmp_path, clock)
    async with double.running(factory):
        refused = await owner.slash("roles streak add", days=1, role=regular)
        assert refused.ephemeral and "**Manage Roles**" in refused.content and regular.mention in refused.content
        assert "(none)" in (await owner.slash("roles list")).content  # nothing was saved
        member = await alice.slash("roles streak add", days=1, role=regular)
        assert member.ephemeral and "Manage Server" in member.content  # managers only, whatever the overrides
    bot_role.permissions |= MANAGE_ROLES  # the admins fix it (Discord tells a restarted bot)
    async with double.running(factory) as bot:
        too_high = await owner.slash("roles streak add", days=30, role=above)
        assert too_high.ephemeral and "not below my highest role" in too_high.content
        assert "1 day" in (await owner.slash("roles streak add", days=1, role=regular)).content
        assert "7 days" in (await owner.slash("roles streak add", days=7, role=weekly)).content
        listed = (await owner.slash("roles list")).content
        assert f"🔥 1 day → {regular.mention}" in listed and f"🔥 7 days → {weekly.mention}" in listed

        await streak(bot, double, bob, 6, "2026-11-29")  # bob answered the six days before
        await a_revealed_day(double, bot, clock, day="2026-11-30")  # both answer on time: 1 and 7 days
        runner = bot.services.get(RoleRunner)
        await runner.sweep()
        assert regular.id in roles_of(double, alice) and weekly.id not in roles_of(double, alice)
        assert weekly.id in roles_of(double, bob) and regular.id not in roles_of(double, bob)  # the highest tier
        calls = role_calls(double)
        assert ("PUT", alice.id, regular.id, 204) in calls and ("PUT", bob.id, weekly.id, 204) in calls
        assert all(status == 204 for *_rest, status in calls)
        await runner.sweep()
        assert role_calls(double) == calls  # nothing changed, nothing asked of Discord

        # Nobody answers on 1 December: on 2 December (Shanghai) the streaks are broken and the roles taken.
        clock.set(utc("2026-12-01T20:00:00"))
        await runner.sweep()
        assert not roles_of(double, alice) & {regular.id, weekly.id}
        assert not roles_of(double, bob) & {regular.id, weekly.id}
        assert {c[0] for c in role_calls(double)[len(calls):]} == {"DELETE"}
        assert double.dms(owner) == []  # no problem, nothing reported


async def test_a_problem_met_by_a_sweep_is_reported_once_across_restarts(discord_double: DiscordDouble,
                                                                       tmp_path: Path) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    owner, alice = double.member("owner"), double.member("alice")
    bot_role, regular, _weekly, _above = arrange_roles(double)
    bot_role.permissions |= MANAGE_ROLES
    factory = study_bot_factory(tmp_path, clock)
    async with double.running(factory) as bot:
        await setup_schedule(double)
        await owner.slash("roles streak add", days=3, role=regular)
        await streak(bot, double, alice, 3, "2026-11-29")
    bot_role.permissions &= ~MANAGE_ROLES  # someone takes Manage Roles away while the bot is down
    for _restart in range(2):
        async with double.running(factory) as bot:
            runner = bot.services.get(RoleRunner)
            await runner.catch_up
            await runner.sweep()
    (report,) = double.dms(owner)  # told once, not at every sweep nor again after the restart
    assert "Study Group" in report.content and "**Manage Roles**" in report.content
    assert regular.id not in roles_of(double, alice) and role_calls(double) == []  # checked before acting
    bot_role.permissions |= MANAGE_ROLES
    async with double.running(factory) as bot:
        await bot.services.get(RoleRunner).catch_up
        assert regular.id in roles_of(double, alice)
        assert len(double.dms(owner)) == 1
    bot_role.position = 2  # now Regular (3) is above the bot's role: a new problem, told once more
    async with double.running(factory) as bot:
        runner = bot.services.get(RoleRunner)
        await runner.catch_up
        await streak(bot, double, alice, 0, "2026-11-29")
        await runner.sweep()
    assert len(double.dms(owner)) == 2 and "drag my role above it" in double.dms(owner)[-1].content
    assert regular.id in roles_of(double, alice)  # it could not be taken back, and is not forgotten


async def test_a_refusal_by_discord_itself_is_reported_once(discord_double: DiscordDouble, tmp_path: Path) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    owner, alice = double.member("owner"), double.member("alice")
    bot_role, regular, _weekly, _above = arrange_roles(double)
    bot_role.permissions |= MANAGE_ROLES
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        await setup_schedule(double)
        await owner.slash("roles streak add", days=3, role=regular)
        regular.position = 7  # moved above the bot's role, and the bot has not heard of it yet
        await streak(bot, double, alice, 3, "2026-11-29")
        runner = bot.services.get(RoleRunner)
        await runner.sweep()
        await runner.sweep()
        assert role_calls(double) == [("PUT", alice.id, regular.id, 403)] * 2  # tried again, told once
        (report,) = double.dms(owner)
        assert "Discord refused to change" in report.content and regular.mention in report.content
        assert regular.id not in roles_of(double, alice)


async def test_the_double_refuses_a_role_above_the_bot_as_discord_does(discord_double: DiscordDouble,
                                                                      tmp_path: Path) -> None:
    double = discord_double
    alice = double.member("alice")
    bot_role, regular, _weekly, above = arrange_roles(double)
    async with double.running(study_bot_factory(tmp_path, FakeClock(utc("2026-11-30T00:00:00")))) as bot:
        guild_id = double.guild.id
        with pytest.raises(discord.Forbidden) as missing:
            await bot.http.add_role(guild_id, alice.id, regular.id)  # no Manage Roles yet
        assert missing.value.code == 50013 and missing.value.status == 403
        bot_role.permissions |= MANAGE_ROLES
        with pytest.raises(discord.Forbidden) as higher:
            await bot.http.add_role(guild_id, alice.id, above.id)
        assert higher.value.code == 50013
        await bot.http.add_role(guild_id, alice.id, regular.id)
        await bot.http.add_role(guild_id, alice.id, regular.id)  # again: 204, nothing changes
        assert double.guild.members[alice.id].role_ids == [regular.id]
        await bot.http.remove_role(guild_id, alice.id, regular.id)
        assert double.guild.members[alice.id].role_ids == []
        with pytest.raises(discord.NotFound) as unknown:
            await bot.http.add_role(guild_id, alice.id, 12345)
        assert unknown.value.code == 10011
    if double.schemas is not None:  # the routes and their 204 are Discord's, as its OpenAPI spec has them
        for method in ("PUT", "DELETE"):
            assert {"204", "4XX"} <= double.schemas.response_codes(method, ROLE_ROUTE)
            assert not double.schemas.has_operation(method, ROLE_ROUTE)  # no body: the double takes none


async def test_the_monthly_champion_gets_the_role_at_the_months_end_and_the_previous_one_loses_it(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T10:00:00"))  # 18:00 on 30 November in Shanghai
    owner, alice, bob = double.member("owner"), double.member("alice"), double.member("bob")
    bot_role, _regular, weekly, _above = arrange_roles(double)
    bot_role.permissions |= MANAGE_ROLES
    champion = double.add_role("Champion", position=1)
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        await owner.slash("qotd timezone", timezone="Asia/Shanghai")
        await award(bot, double, alice, 40, day="2026-11-12")
        await award(bot, double, bob, 25, day="2026-11-20")
        await owner.slash("roles streak add", days=7, role=weekly)
        assert "already another reward role" in (await owner.slash("roles champion", role=weekly)).content
        saved = await owner.slash("roles champion", role=champion)
        assert saved.ephemeral and champion.mention in saved.content and "Asia/Shanghai" in saved.content
        assert champion.id not in roles_of(double, alice)  # October had no champion
        runner = bot.services.get(RoleRunner)
        clock.set(utc("2026-11-30T16:00:30"))  # 1 December 00:00:30 in Shanghai: November is over
        await runner.sweep()
        assert champion.id in roles_of(double, alice) and champion.id not in roles_of(double, bob)
        await award(bot, double, bob, 60, day="2026-12-03", source_id=2)
        await award(bot, double, alice, 10, day="2026-12-04", source_id=2)
        clock.set(utc("2026-12-31T15:59:00"))
        await runner.sweep()
        assert champion.id in roles_of(double, alice)  # December is not over yet in Shanghai
        clock.set(utc("2026-12-31T16:00:30"))
        await runner.sweep()
        assert champion.id in roles_of(double, bob) and champion.id not in roles_of(double, alice)
        assert "No monthly champion role" in (await owner.slash("roles champion")).content
        assert champion.id not in roles_of(double, bob)  # cleared: the bot takes back what it gave
