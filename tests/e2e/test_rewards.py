"""Rewards end to end: a best answer picked by a manager (and refused to others), the auto-pick once across a
restart, and a nudge sent once a day before the reveal, across a restart, paused by a closed DM."""

from __future__ import annotations

import asyncio
from pathlib import Path

from answers import one_point_answer, strong_answer
from clock import FakeClock
from discord_double import DiscordDouble, Member, Message, assert_no_pings
from study_bot import study_bot_factory, utc
from test_qotd_crash_windows import crash
from test_qotd_day import only_field, question_of, setup_schedule

from bot.chat.qotd.runner import QotdRunner
from bot.chat.rewards.runner import RewardsRunner
from bot.services.qotd import QotdService
from bot.services.rewards import RewardsService

POST, REVEAL = utc("2026-11-30T01:00:02"), utc("2026-11-30T13:00:00")  # 09:00 and 21:00 in Shanghai


async def answer(member: Member, post: Message, text: str) -> None:
    modal = (await member.click(post, label="Answer")).modal
    saved = await member.submit_modal(modal, {only_field(modal): text})
    assert "saved" in saved.content


async def post_and_answer(double: DiscordDouble, bot, clock: FakeClock) -> tuple[Message, object]:
    """Today's post; alice covers every key point, bob one (bob answers first)."""
    clock.set(POST)
    await bot.services.get(QotdRunner).sweep()
    (post,) = double.bot_messages("general")
    question = question_of(bot.bank, post)
    await answer(double.member("bob"), post, one_point_answer(question))
    await answer(double.member("alice"), post, strong_answer(question))
    return post, question


def answers_message(double: DiscordDouble) -> Message:
    (thread,) = double.threads("general")
    (message,) = [m for m in double.bot_messages(thread) if m.embeds]
    return message


def best_lines(double: DiscordDouble) -> list[Message]:
    (thread,) = double.threads("general")
    return [m for m in double.bot_messages(thread) if "Best answer of the day" in (m.content or "")]


async def points_of(bot, double: DiscordDouble, member: Member) -> dict[str, int]:
    return dict(await bot.services.get(QotdService).points.entries_for(double.guild.id, member.id))


async def test_a_manager_picks_the_best_answer_and_others_are_politely_refused(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    owner, alice, bob = double.member("owner"), double.member("alice"), double.member("bob")
    dana = double.add_member("dana", roles=(double.add_role("Admin", permissions=1 << 5),))  # Manage Server
    carol = double.add_member("carol")
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        await setup_schedule(double)
        refused = await alice.slash("rewards status")
        assert refused.ephemeral and "Manage Server" in refused.content
        on = await owner.slash("rewards best_answer", enabled=True, delay=30)
        assert on.ephemeral and "Best answer: on" in on.content and "30 minutes" in on.content
        await post_and_answer(double, bot, clock)
        clock.set(REVEAL)
        await bot.services.get(QotdRunner).sweep()
        message = answers_message(double)
        assert [b["label"] for b in message.buttons] == ["Bob", "Alice", "Best answer"]

        no = await alice.click(message, label="Best answer")
        assert no.ephemeral and "Only members with Manage Server" in no.content

        by_role = await dana.click(message, label="Best answer")  # a manager by role, not the owner
        assert by_role.ephemeral and "Pick today's best answer" in by_role.content
        menu = await owner.click(message, label="Best answer")
        assert menu.ephemeral and "Pick today's best answer" in menu.content
        (select,) = [c for c in menu.message.walk_components() if c.get("type") == 3]
        by_label = {o["label"]: o["value"] for o in select["options"]}
        assert list(by_label) == ["Bob", "Alice"]
        picked = await owner.select(menu.message, [by_label["Bob"]])  # a manager may prefer the one-point answer
        assert "Best answer marked" in picked.message.content and "+5 points" in picked.message.content
        assert not picked.message.components

        titles = [e["title"] for e in answers_message(double).embeds]
        assert titles[0].startswith("⭐ Bob") and not titles[1].startswith("⭐")
        (line,) = best_lines(double)
        assert "**Bob**" in line.content and "picked by owner" in line.content
        assert line.content.endswith(f"/{message.channel_id}/{message.id}")  # a link to the answer
        assert_no_pings(line)
        assert (await points_of(bot, double, bob))["best_answer"] == 5
        assert "best_answer" not in await points_of(bot, double, alice)

        again = await owner.click(message, label="Best answer")
        assert "already has its best answer" in again.content

        # A late answer joins the thread in a message of its own, without a ⭐: it earns the late points only.
        modal = (await carol.click(double.bot_messages("general")[0], label="Answer")).modal
        assert "late" in (await carol.submit_modal(modal, {only_field(modal): "晚到的回答"})).embeds[0]["description"]
        (thread,) = double.threads("general")
        await double.wait_until(lambda: len([m for m in double.bot_messages(thread) if m.embeds]) == 2,
                                what="the late answer in the thread")
        late = [m for m in double.bot_messages(thread) if m.embeds][-1]
        assert [b["label"] for b in late.buttons] == ["carol"]

        clock.set(utc("2026-11-30T13:31:00"))  # past the delay: the auto-pick leaves a manager's pick alone
        await bot.services.get(RewardsRunner).sweep()
        assert len(best_lines(double)) == 1
        assert (await points_of(bot, double, bob))["best_answer"] == 5


async def test_without_a_pick_the_closest_match_is_picked_once_across_restarts(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    owner, alice = double.member("owner"), double.member("alice")
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    factory = study_bot_factory(tmp_path, clock)
    async with double.running(factory) as bot:
        await setup_schedule(double)
        await owner.slash("rewards best_answer", enabled=True)  # the default delay: 60 minutes
        await post_and_answer(double, bot, clock)
        clock.set(REVEAL)
        await bot.services.get(QotdRunner).sweep()
        clock.set(utc("2026-11-30T13:59:00"))
        await bot.services.get(RewardsRunner).sweep()
        assert best_lines(double) == []

    clock.set(utc("2026-11-30T14:00:30"))
    async with double.running(factory) as bot:  # down at the moment it came due: the catch-up picks
        await bot.services.get(RewardsRunner).catch_up
        (line,) = best_lines(double)
        assert "**Alice**" in line.content and "closest match to the reference" in line.content
        assert answers_message(double).embeds[1]["title"].startswith("⭐ Alice")
        assert (await points_of(bot, double, alice))["best_answer"] == 5
        late = await owner.click(answers_message(double), label="Best answer")
        assert "already has its best answer" in late.content

    clock.set(utc("2026-11-30T14:05:00"))
    async with double.running(factory) as bot:
        await bot.services.get(RewardsRunner).catch_up
        await bot.services.get(RewardsRunner).sweep()
        assert len(best_lines(double)) == 1
        assert (await points_of(bot, double, alice))["best_answer"] == 5


async def test_best_answers_off_shows_no_button_and_picks_nothing(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        await setup_schedule(double)
        await post_and_answer(double, bot, clock)
        clock.set(REVEAL)
        await bot.services.get(QotdRunner).sweep()
        assert "Best answer" not in [b["label"] for b in answers_message(double).buttons]
        clock.set(utc("2026-11-30T16:00:00"))
        await bot.services.get(RewardsRunner).sweep()
        assert best_lines(double) == []


async def test_a_nudge_goes_out_once_an_hour_before_the_reveal_even_across_a_restart(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    owner, alice, bob = double.member("owner"), double.member("alice"), double.member("bob")
    carol = double.add_member("carol")
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    factory = study_bot_factory(tmp_path, clock)
    async with double.running(factory) as bot:
        await setup_schedule(double)
        early = await alice.slash("nudge on")
        assert early.ephemeral and "have not turned nudges on yet" in early.content
        on = await owner.slash("rewards nudges", enabled=True)
        assert "Nudges: on" in on.content
        assert "at most once a day" in (await bob.slash("nudge on")).content
        clock.set(POST)
        await bot.services.get(QotdRunner).sweep()
        (post,) = double.bot_messages("general")
        question = question_of(bot.bank, post)
        await answer(bob, post, one_point_answer(question))  # bob answered: no nudge for him
        await answer(carol, post, strong_answer(question))

        nudges = bot.services.get(RewardsRunner)
        clock.set(utc("2026-11-30T11:59:00"))  # more than an hour before the reveal
        await nudges.sweep()
        assert double.dms(alice) == []
        clock.set(utc("2026-11-30T12:00:30"))
        await nudges.sweep()
        await nudges.sweep()  # a second wake-up sends nothing more
        (dm,) = double.dms(alice)
        assert dm.embeds[0]["title"] == "⏰ The daily question is waiting for you"
        assert f"<#{double.channel('general').id}>" in dm.text and "you have not answered yet" in dm.text
        assert f"/channels/{double.guild.id}/{post.channel_id}/{post.id}" in dm.text
        for secret in (question.answer[:40], question.prompt[:40], *(p.text for p in question.key_points)):
            assert secret not in dm.text  # never a word of the answer (nor the question)
        assert double.dms(bob) == [] and double.dms(carol) == []

    clock.set(utc("2026-11-30T12:30:00"))
    async with double.running(factory) as bot:  # restarted within the hour: no second nudge
        await bot.services.get(RewardsRunner).catch_up
        await bot.services.get(RewardsRunner).sweep()
        assert double.dms(alice) == [dm]
        off = await alice.slash("nudge off")
        assert "off" in off.content
        assert "had no nudges" in (await alice.slash("nudge off")).content


async def test_a_closed_dm_pauses_nudges_and_the_member_is_told_in_the_guild(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    owner, alice = double.member("owner"), double.member("alice")
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        await setup_schedule(double)
        await owner.slash("rewards nudges", enabled=True)
        await alice.slash("nudge on")
        clock.set(POST)
        await bot.services.get(QotdRunner).sweep()
        double.faults.forbid(alice.dm)
        nudges = bot.services.get(RewardsRunner)
        clock.set(utc("2026-11-30T12:30:00"))
        await nudges.sweep()
        assert double.faults.forbidden_hits == 1 and double.dms(alice) == []

        told = await alice.slash("help")
        (notice,) = await told.wait_for_followups(1)
        assert notice.ephemeral and "could not DM you your nudge on 2026-11-30 12:30 UTC" in notice.content
        again = await alice.slash("help")
        await again.settled()
        assert again.followups == []  # told once

        clock.set(utc("2026-11-30T13:00:00"))
        await bot.services.get(QotdRunner).sweep()
        clock.set(utc("2026-12-01T12:30:00"))  # the next day's post, within its hour: paused, no attempt
        await bot.services.get(QotdRunner).sweep()
        await nudges.sweep()
        assert double.faults.forbidden_hits == 1

        double.faults.allow(alice.dm)
        await alice.slash("nudge on")  # resumes
        await nudges.sweep()
        (dm,) = double.dms(alice)
        assert "you have not answered yet" in dm.text


async def test_a_best_answer_line_accepted_but_never_recorded_is_not_posted_again(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    factory = study_bot_factory(tmp_path, clock)
    async with double.running(factory) as bot:
        await setup_schedule(double)
        await double.member("owner").slash("rewards best_answer", enabled=True, delay=10)
        await post_and_answer(double, bot, clock)
        clock.set(REVEAL)
        await bot.services.get(QotdRunner).sweep()
        (thread,) = double.threads("general")
        hold = double.faults.hold_after_accept(thread, skip=0)  # the next message in the thread: the line
        clock.moment = utc("2026-11-30T13:10:00")  # no wake-up: this test drives the one sweep it crashes
        sweep = asyncio.create_task(bot.services.get(RewardsRunner).sweep())
        await double.wait_until(lambda: hold.held == 1, what="the best-answer line accepted, never answered")
        await crash(sweep)
    double.faults.clear()
    double.nonces.clear()  # restarted past Discord's nonce window: only the thread's history can tell
    async with double.running(factory) as bot:
        await bot.services.get(RewardsRunner).catch_up
        (line,) = best_lines(double)
        assert "**Alice**" in line.content
        assert answers_message(double).embeds[1]["title"].startswith("⭐ Alice")
        assert await bot.services.get(RewardsService).unhighlighted() == []
        assert (await points_of(bot, double, double.member("alice")))["best_answer"] == 5


async def test_the_apps_menu_of_an_answer_message_picks_too_and_refuses_others(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    owner, alice = double.member("owner"), double.member("alice")
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    factory = study_bot_factory(tmp_path, clock)
    async with double.running(factory) as bot:
        await setup_schedule(double)
        await owner.slash("rewards best_answer", enabled=True)
        post, _question = await post_and_answer(double, bot, clock)
        clock.set(REVEAL)
        await bot.services.get(QotdRunner).sweep()
        message = answers_message(double)
        refused = await alice.context_menu(message, "Best answer")
        assert refused.ephemeral and "Only members with Manage Server" in refused.content
        not_answers = await owner.context_menu(post, "Best answer")  # the daily post carries no answers
        assert not_answers.ephemeral and "message of members' answers" in not_answers.content
        menu = await owner.context_menu(message, "Best answer")
        assert menu.ephemeral and "Pick today's best answer" in menu.content

    async with double.running(factory) as bot:  # the menu still works after a restart
        (select,) = [c for c in menu.message.walk_components() if c.get("type") == 3]
        alice_answer = next(o["value"] for o in select["options"] if o["label"] == "Alice")
        picked = await owner.select(menu.message, [alice_answer])
        assert "Best answer marked" in picked.message.content
        await picked.settled()
        (line,) = best_lines(double)
        assert "**Alice**" in line.content and "picked by owner" in line.content
        assert (await points_of(bot, double, alice))["best_answer"] == 5
