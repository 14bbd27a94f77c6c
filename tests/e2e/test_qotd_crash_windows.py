"""A crash in the windows that matter: between Discord accepting a message and the bot recording it, and in
the middle of a reveal. After the restart nothing is sent twice and nothing is skipped."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from answers import strong_answer
from clock import FakeClock
from discord_double import DiscordDouble
from study_bot import study_bot_factory, utc
from test_qotd_day import only_field, setup_schedule

POST = utc("2026-11-30T01:00:00")
REVEAL = utc("2026-11-30T13:00:00")
MEMBERS = 6


async def crash(task: asyncio.Task[None]) -> None:
    """The process dies where the task is: nothing after this point of it runs."""
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def test_a_post_discord_accepted_but_the_bot_never_recorded_is_not_sent_again(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    factory = study_bot_factory(tmp_path, clock)
    general = double.channel("general")
    async with double.running(factory) as bot:
        await setup_schedule(double)
        hold = double.faults.hold_after_accept(general)
        clock.moment = POST  # no wake-up: this test drives the one sweep it crashes
        sweep = asyncio.create_task(bot.qotd_runner.sweep())
        await double.wait_for_message("general", lambda m: bool(m.embeds))
        assert hold.held == 1
        await crash(sweep)
        (post,) = await bot.qotd.posts.unsent()  # claimed, never recorded as sent
    double.faults.clear()
    double.nonces.clear()  # restarted after Discord's nonce window: only the channel's history can tell
    async with double.running(factory) as bot:
        await bot._catch_up
        (message,) = double.bot_messages("general")
        assert (await bot.qotd.post(post.id)).message_id == message.id  # recorded, so its buttons work
        alice = double.member("alice")
        form = (await alice.click(message, label="Answer")).modal
        assert "saved" in (await alice.submit_modal(form, {only_field(form): "答案"})).content


async def test_a_reveal_killed_between_accept_and_record_resumes_without_a_copy(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    factory = study_bot_factory(tmp_path, clock)
    names = [f"m{i}" for i in range(MEMBERS)]
    for name in names:
        double.add_member(name)
    async with double.running(factory) as bot:
        await setup_schedule(double)
        clock.moment = POST
        await bot.qotd_runner.sweep()
        (post,) = double.bot_messages("general")
        question = next(q for q in bot.bank if q.prompt == post.embeds[0]["description"])
        for name in names:
            form = (await double.member(name).click(post, label="Answer")).modal
            await double.member(name).submit_modal(form, {only_field(form): strong_answer(question, name)})
        # The reveal: the thread's third answer message is accepted by Discord, and then the bot dies.
        clock.moment = REVEAL
        hold = double.faults.hold_after_accept(post.id, skip=2)  # a thread on a message has the message's id
        sweep = asyncio.create_task(bot.qotd_runner.sweep())
        await double.wait_until(lambda: hold.held == 1, what="the third answer accepted and never answered")
        await crash(sweep)
    double.faults.clear()
    async with double.running(factory) as bot:  # restarted within Discord's nonce window
        await bot._catch_up
        (thread,) = double.threads("general")
        answers = [m.embeds[0]["description"] for m in double.messages(thread) if m.embeds]
        assert sorted(answers) == sorted(strong_answer(question, name) for name in names)  # each exactly once
        prompts = [m for m in double.messages(thread) if not m.embeds]
        assert len(prompts) == 1  # the vote and grade prompt, once
        reveal_titles = [m.embeds[0].get("title", "") for m in double.bot_messages("general")[1:] if m.embeds]
        assert sum(title.startswith("Reference answer") for title in reveal_titles) == 1
        # Votes land on the answers members see: every answer message is recorded.
        recorded = {row[0] for row in await bot.db.execute_fetchall("SELECT reveal_message_id FROM answers")}
        assert recorded == {m.id for m in double.messages(thread) if m.embeds}


async def test_a_late_answer_acknowledged_but_never_posted_reaches_the_thread_after_a_restart(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    factory = study_bot_factory(tmp_path, clock)
    alice, carol = double.member("alice"), double.add_member("carol")
    async with double.running(factory) as bot:
        await setup_schedule(double)
        clock.moment = POST
        await bot.qotd_runner.sweep()
        (post,) = double.bot_messages("general")
        question = next(q for q in bot.bank if q.prompt == post.embeds[0]["description"])
        form = (await alice.click(post, label="Answer")).modal
        await alice.submit_modal(form, {only_field(form): strong_answer(question)})
        clock.moment = REVEAL
        await bot.qotd_runner.sweep()
        (thread,) = double.threads("general")
        double.faults.forbid(thread)  # the thread refuses the late answer's message
        form = (await carol.click(post, label="Answer")).modal
        late = await carol.submit_modal(form, {only_field(form): "迟到但认真写的答案：" + strong_answer(question)})
        assert late.ephemeral and "late" in late.embeds[0]["description"]  # acknowledged
        await asyncio.sleep(0.1)
        assert len([m for m in double.messages(thread) if m.embeds]) == 1  # only Alice's
    double.faults.clear()
    clock.moment = utc("2026-11-30T13:30:00")
    async with double.running(factory) as bot:
        await bot._catch_up
        in_thread = [m.embeds[0]["description"] for m in double.messages(thread) if m.embeds]
        assert in_thread == [strong_answer(question), "迟到但认真写的答案：" + strong_answer(question)]
    async with double.running(factory) as bot:  # and only once
        await bot._catch_up
        assert len([m for m in double.messages(thread) if m.embeds]) == 2


async def test_reactions_and_votes_made_while_the_bot_was_down_are_recorded_at_start_up(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    factory = study_bot_factory(tmp_path, clock)
    alice, bob, carol = double.member("alice"), double.member("bob"), double.add_member("carol")
    async with double.running(factory) as bot:
        await setup_schedule(double)
        clock.moment = POST
        await bot.qotd_runner.sweep()
        (post,) = double.bot_messages("general")
        question = next(q for q in bot.bank if q.prompt == post.embeds[0]["description"])
        await alice.react(post, "🟢")
        form = (await alice.click(post, label="Answer")).modal
        await alice.submit_modal(form, {only_field(form): strong_answer(question)})
        (stored,) = await bot.qotd.posts.open_posts()
    await bob.react(post, "🔴", wait=False)  # the bot is down
    await alice.unreact(post, "🟢", wait=False)
    clock.moment = REVEAL  # and it comes back after the reveal time: the overdue reveal counts them
    async with double.running(factory) as bot:
        await bot._catch_up
        assert await bot.qotd.reactions.spread(stored.id) == {"🔴": 1}
        assert "🔴 1" in "\n".join(str(m.embeds) for m in double.bot_messages("general")[1:])
        (thread,) = double.threads("general")
        (answer_message,) = [m for m in double.messages(thread) if m.embeds]
    await carol.react(answer_message, "👍", wait=False)  # down again
    await alice.react(answer_message, "👍", wait=False)  # her own: never counts
    async with double.running(factory) as bot:
        await bot._catch_up
        entries = dict(await bot.qotd.points.entries_for(double.guild.id, alice.id))
        assert entries["peer_votes"] == 2  # carol's one vote


async def test_a_display_name_with_markdown_is_shown_as_text_in_the_reveal(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    sly = double.add_member("[free nitro](https://example.com) **@everyone**")
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        await setup_schedule(double)
        clock.moment = POST
        await bot.qotd_runner.sweep()
        (post,) = double.bot_messages("general")
        form = (await sly.click(post, label="Answer")).modal
        await sly.submit_modal(form, {only_field(form): "答案"})
        clock.moment = REVEAL
        await bot.qotd_runner.sweep()
        (thread,) = double.threads("general")
        (answer,) = [m for m in double.messages(thread) if m.embeds]
        title = answer.embeds[0]["title"]
        assert title.startswith("\\[free nitro](https://example.com) \\*\\*@\u200beveryone\\*\\*"), title
