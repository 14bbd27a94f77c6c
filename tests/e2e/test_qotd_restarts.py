"""The daily question through restarts, downtime and Discord errors: never lost, never doubled."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from clock import FakeClock
from discord_double import DiscordDouble
from study_bot import study_bot_factory, utc
from test_qotd_day import only_field, question_of, setup_schedule

from bot.chat.qotd.runner import QotdRunner
from bot.services.qotd import QotdService

# Both engines: SQLite and a fresh PostgreSQL database per test (tests/e2e/conftest.py).
pytestmark = pytest.mark.usefixtures("on_each_engine")


async def answer(double: DiscordDouble, name: str, post, text: str) -> None:
    member = double.member(name)
    modal = (await member.click(post, label="Answer")).modal
    reply = await member.submit_modal(modal, {only_field(modal): text})
    assert "saved" in reply.content


async def test_restart_between_post_and_reveal_and_across_the_reveal(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:30:00"))
    factory = study_bot_factory(tmp_path, clock)
    async with double.running(factory) as bot:
        await setup_schedule(double)
        clock.set(utc("2026-11-30T01:00:00"))
        await bot.services.get(QotdRunner).sweep()
        (post,) = double.bot_messages("general")
        await answer(double, "alice", post, "第一个答案")
    # Restart before the reveal: the old post's buttons still work and nothing is posted again.
    clock.set(utc("2026-11-30T05:00:00"))
    async with double.running(factory) as bot:
        await bot.services.get(QotdRunner).catch_up
        assert double.bot_messages("general") == [post]
        await answer(double, "bob", post, "第二个答案")
        mine = await double.member("alice").click(post, label="My answer")
        assert mine.embeds[0]["description"] == "第一个答案"
    # Down across the reveal time: the overdue reveal happens at start-up, once, with both answers.
    clock.set(utc("2026-11-30T15:00:00"))
    async with double.running(factory) as bot:
        await bot.services.get(QotdRunner).catch_up
        (thread,) = double.threads("general")
        texts = sorted(e["description"] for m in double.messages(thread) for e in m.embeds)
        assert texts == ["第一个答案", "第二个答案"]
        assert len(double.bot_messages("general")) == 2  # the post and one reveal message
    clock.set(utc("2026-11-30T15:30:00"))
    async with double.running(factory) as bot:
        await bot.services.get(QotdRunner).catch_up
        assert len(double.bot_messages("general")) == 2 and len(double.threads("general")) == 1


async def polled(predicate, what: str, timeout: float = 5.0) -> None:
    """Until `predicate()` holds (the bot re-arms its wake-ups just after its sweep sent the message)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(0.01)


async def test_down_at_post_time_catches_up_but_down_all_day_posts_nothing_old(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    factory = study_bot_factory(tmp_path, clock)
    async with double.running(factory):
        await setup_schedule(double)
    clock.set(utc("2026-11-30T03:00:00"))  # 11:00 local: the 09:00 post was missed, the window is open
    async with double.running(factory) as bot:
        await bot.services.get(QotdRunner).catch_up
        (post,) = double.bot_messages("general")
        assert post.embeds[0]["title"].endswith("2026-11-30")
    clock.set(utc("2026-12-01T14:30:00"))  # 22:30 local the next day: down all day long
    async with double.running(factory) as bot:
        await bot.services.get(QotdRunner).catch_up
        titles = [m.embeds[0]["title"] for m in double.bot_messages("general") if m.embeds]
        assert not any("2026-12-01" in title for title in titles)  # no burst of an old post
        assert any(title.startswith("Reference answer · 2026-11-30") for title in titles)
        assert bot.wakeups.armed("qotd:") == {"qotd:next": utc("2026-12-02T01:00:00")}  # the next post


async def test_the_armed_wakeups_post_and_reveal_when_the_clock_reaches_them(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        await setup_schedule(double)
        # One wake-up for every schedule of the process: the earliest instant ahead (here this post's).
        assert bot.wakeups.armed("qotd:") == {"qotd:next": utc("2026-11-30T01:00:00")}
        assert bot.wakeups.has("qotd:sweep")
        clock.set(utc("2026-11-30T00:59:59"))  # nothing is due yet: nothing is sent
        await asyncio.sleep(0.05)
        assert not double.bot_messages("general")
        # No sweep is called by hand: the wake-up armed at the post instant fires when the clock gets there.
        clock.set(utc("2026-11-30T01:00:00"))
        post = await double.wait_for_message("general", lambda m: bool(m.embeds))
        assert post.embeds[0]["title"] == "Question of the day · 2026-11-30"
        await polled(lambda: bot.wakeups.armed("qotd:") == {"qotd:next": utc("2026-11-30T13:00:00")},
                     "the wake-up moved to the reveal")
        clock.set(utc("2026-11-30T13:00:00"))
        reveal = await double.wait_for_message(
            "general", lambda m: bool(m.embeds) and m.embeds[0]["title"].startswith("Reference answer"))
        assert reveal.embeds[0]["title"].endswith("2026-11-30")
        await polled(lambda: bot.wakeups.armed("qotd:") == {"qotd:next": utc("2026-12-01T01:00:00")},
                     "the wake-up moved to the next post")


async def test_a_403_is_reported_to_the_admins_and_other_guilds_go_on(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    quiz = double.channel("quiz")
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        await setup_schedule(double)
        await setup_schedule(double, channel=quiz, timezone="UTC", reveal="2h")
        double.faults.forbid(double.channel("general"))
        clock.set(utc("2026-11-30T01:00:00"))
        await bot.services.get(QotdRunner).sweep()
        reports = double.dms(double.member("owner"))
        assert reports and "could not post the daily question" in reports[-1].content
        assert "<#" in reports[-1].content
        assert not double.bot_messages("general")
        clock.set(utc("2026-11-30T09:00:00"))  # the quiz channel's own schedule still runs
        await bot.services.get(QotdRunner).sweep()
        assert [m.embeds[0]["title"] for m in double.bot_messages(quiz)] == ["Question of the day · 2026-11-30"]


async def test_a_429_is_retried_and_the_post_lands_once(discord_double: DiscordDouble, tmp_path: Path) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        await setup_schedule(double)
        limit = double.faults.rate_limit("POST /channels/{channel_id}/messages", times=2,
                                         channel=double.channel("general"))
        clock.set(utc("2026-11-30T01:00:00"))
        await bot.services.get(QotdRunner).sweep()
        assert limit.hits == 2
        assert len(double.bot_messages("general")) == 1


async def test_a_deleted_channel_pauses_its_schedule_and_tells_the_admins(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        await setup_schedule(double)
        general = double.channel("general")
        double.guild.channel_ids.remove(general.id)
        del double.state.channels[general.id]
        clock.set(utc("2026-11-30T01:00:00"))
        await bot.services.get(QotdRunner).sweep()
        (schedule,) = await bot.services.get(QotdService).schedules.for_guild(double.guild.id)
        assert schedule.paused
        assert "no longer exists" in double.dms(double.member("owner"))[-1].content


async def test_no_answer_is_lost_to_a_shared_modal_or_a_restart_while_writing(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T01:00:00"))
    factory = study_bot_factory(tmp_path, clock)
    alice, bob = double.member("alice"), double.member("bob")
    async with double.running(factory) as bot:
        await setup_schedule(double)
        await bot.services.get(QotdRunner).sweep()
        (post,) = double.bot_messages("general")
        # Both open the form for the same post, then submit one after the other.
        alice_form = (await alice.click(post, label="Answer")).modal
        bob_form = (await bob.click(post, label="Answer")).modal
        assert alice_form.custom_id != bob_form.custom_id
        assert "saved" in (await alice.submit_modal(alice_form, {only_field(alice_form): "A 的答案"})).content
        assert "saved" in (await bob.submit_modal(bob_form, {only_field(bob_form): "B 的答案"})).content
        carol = double.add_member("carol")
    # Carol opened the form before a restart and submits after it: the new process still saves it.
    async with double.running(factory) as bot:
        await bot.services.get(QotdRunner).catch_up
        form = (await carol.click(post, label="Answer")).modal
    async with double.running(factory) as bot:
        await bot.services.get(QotdRunner).catch_up
        saved = await carol.submit_modal(form, {only_field(form): "重启前开始写的答案"})
        assert saved.ephemeral and "saved" in saved.content
        answers = {a.user_id: a.content for a in await bot.services.get(QotdService).answers.for_post(1)}
        assert answers == {alice.id: "A 的答案", bob.id: "B 的答案", carol.id: "重启前开始写的答案"}


async def test_a_reveal_that_fails_half_way_is_never_sent_twice(
    discord_double: DiscordDouble, tmp_path: Path, monkeypatch,
) -> None:
    import discord

    double = discord_double
    clock = FakeClock(utc("2026-11-30T01:00:00"))
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        await setup_schedule(double)
        await bot.services.get(QotdRunner).sweep()
        (post,) = double.bot_messages("general")
        await answer(double, "alice", post, "答案")

        async def refused(*_args, **_kwargs):
            class Response:
                status, reason = 500, "Internal Server Error"

            raise discord.HTTPException(Response(), {"message": "thread creation failed", "code": 0})

        monkeypatch.setattr(discord.PartialMessage, "create_thread", refused)
        clock.set(utc("2026-11-30T13:00:00"))
        await bot.services.get(QotdRunner).sweep()
        double.take_client_errors()  # the failure is logged on purpose
        reveals = [m for m in double.bot_messages("general") if m.embeds and "Reference" in m.embeds[0]["title"]]
        assert len(reveals) == 1
        clock.set(utc("2026-11-30T13:05:00"))
        await bot.services.get(QotdRunner).sweep()
        again = [m for m in double.bot_messages("general") if m.embeds and "Reference" in m.embeds[0]["title"]]
        assert len(again) == 1


async def test_now_that_discord_refuses_says_so_and_the_answer_is_hidden_until_the_reveal(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T01:00:00"))
    owner, alice = double.member("owner"), double.member("alice")
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        await setup_schedule(double)
        await setup_schedule(double, channel=double.channel("quiz"))
        double.faults.forbid(double.channel("quiz"))
        refused = await owner.slash("qotd now", options={"channel": double.channel("quiz")})
        await refused.settled()
        assert "could not be posted" in refused.followups[-1].content
        # The admin fixes the permission and runs /qotd now again, as the report says: the day is posted.
        double.faults.allow(double.channel("quiz"))
        retried = await owner.slash("qotd now", options={"channel": double.channel("quiz")})
        await retried.settled()
        assert "already" not in str(retried.content) + str([f.content for f in retried.followups])
        assert len([m for m in double.bot_messages("quiz") if m.embeds]) == 1
        await bot.services.get(QotdRunner).sweep()
        (post,) = double.bot_messages("general")
        question_id = question_of(bot.bank, post).id
        hidden = await alice.slash("question show", question_id=question_id)
        assert hidden.ephemeral and "Answer it first" in hidden.content and not hidden.embeds
        # A form opened before /qotd skip is not filed under the new question; the text comes back.
        form = (await alice.click(post, label="Answer")).modal
        await (await owner.slash("qotd skip", options={"channel": double.channel("general")})).settled()
        stale = await alice.submit_modal(form, {only_field(form): "旧题的答案"})
        assert "replaced" in stale.content
        assert stale.followups and stale.followups[0].embeds[0]["description"] == "旧题的答案"
        clock.set(utc("2026-11-30T13:00:00"))
        await bot.services.get(QotdRunner).sweep()
        shown = await alice.slash("question show", question_id=question_id)
        assert shown.embeds  # the skipped question was never revealed here; it can be read


async def test_a_claim_that_keeps_failing_is_reported_once_per_day_not_every_minute(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    factory = study_bot_factory(tmp_path, clock)
    owner = double.member("owner")
    async with double.running(factory) as bot:
        await setup_schedule(double)
        async with bot.db.transaction():  # the bank lost the schedule's topics
            await bot.db.execute("UPDATE schedules SET topics = '[\"gone\"]'")
        for minute in range(3):
            clock.moment = utc(f"2026-11-30T01:0{minute}:00")
            await bot.services.get(QotdRunner).sweep()
        assert len([m for m in double.dms(owner) if "could not" in m.content.lower()]) == 1
    async with double.running(factory) as bot:  # a restart does not repeat it either
        await bot.services.get(QotdRunner).catch_up
        assert len([m for m in double.dms(owner) if "could not" in m.content.lower()]) == 1
