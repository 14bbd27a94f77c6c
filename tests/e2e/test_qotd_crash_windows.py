"""A crash in the windows that matter: between Discord accepting a message and the bot recording it, and in
the middle of a reveal. After the restart nothing is sent twice and nothing is skipped."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import pytest
from answers import strong_answer
from clock import FakeClock
from discord_double import DiscordDouble
from study_bot import study_bot_factory, utc
from test_qotd_day import only_field, question_of, setup_schedule

from bot.chat.qotd.runner import QotdRunner
from bot.services.qotd import QotdService

POST = utc("2026-11-30T01:00:00")
REVEAL = utc("2026-11-30T13:00:00")
MEMBERS = 6
ANSWERS_IN_THREAD = 24


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
        sweep = asyncio.create_task(bot.services.get(QotdRunner).sweep())
        await double.wait_for_message("general", lambda m: bool(m.embeds))
        assert hold.held == 1
        await crash(sweep)
        (post,) = await bot.services.get(QotdService).posts.unsent()  # claimed, never recorded as sent
    double.faults.clear()
    double.nonces.clear()  # restarted after Discord's nonce window: only the channel's history can tell
    async with double.running(factory) as bot:
        await bot.services.get(QotdRunner).catch_up
        (message,) = double.bot_messages("general")
        # Recorded, so its buttons work:
        assert (await bot.services.get(QotdService).post(post.id)).message_id == message.id
        alice = double.member("alice")
        form = (await alice.click(message, label="Answer")).modal
        assert "saved" in (await alice.submit_modal(form, {only_field(form): "答案"})).content


async def test_a_reveal_part_accepted_but_never_recorded_is_not_sent_again_past_the_nonce_window(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    factory = study_bot_factory(tmp_path, clock)
    general = double.channel("general")
    async with double.running(factory) as bot:
        await setup_schedule(double)
        clock.moment = POST
        await bot.services.get(QotdRunner).sweep()
        (post,) = double.bot_messages("general")
        form = (await double.member("alice").click(post, label="Answer")).modal
        await double.member("alice").submit_modal(form, {only_field(form): "答案"})
        clock.moment = REVEAL
        hold = double.faults.hold_after_accept(general)  # the first reference-answer message
        sweep = asyncio.create_task(bot.services.get(QotdRunner).sweep())
        await double.wait_until(lambda: hold.held == 1, what="the first reveal part accepted, never answered")
        await crash(sweep)
    double.faults.clear()
    double.nonces.clear()  # restarted after Discord's nonce window: only the channel's history can tell
    async with double.running(factory) as bot:
        await bot.services.get(QotdRunner).catch_up
        titles = [m.embeds[0].get("title", "") for m in double.bot_messages("general") if m.embeds]
        assert sum(title.startswith("Reference answer") for title in titles) == 1, titles
        assert [tuple(r) for r in await bot.db.execute_fetchall("SELECT status, reveal_parts_sent FROM posts")] == [
            ("revealed", len(titles) - 1)]
        (thread,) = double.threads("general")
        assert [e["description"] for m in double.messages(thread) for e in m.embeds] == ["答案"]


@pytest.mark.parametrize("restart", ["within the nonce window", "past the nonce window"])
async def test_a_reveal_killed_between_accept_and_record_resumes_without_a_copy(
    discord_double: DiscordDouble, tmp_path: Path, restart: str,
) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    factory = study_bot_factory(tmp_path, clock)
    names = [f"m{i}" for i in range(ANSWERS_IN_THREAD)]
    for name in names:
        double.add_member(name)
    async with double.running(factory) as bot:
        await setup_schedule(double)
        clock.moment = POST
        await bot.services.get(QotdRunner).sweep()
        (post,) = double.bot_messages("general")
        question = question_of(bot.bank, post)
        for name in names:
            form = (await double.member(name).click(post, label="Answer")).modal
            await double.member(name).submit_modal(form, {only_field(form): strong_answer(question, name)})
        # The reveal: the thread's second message of answers is accepted by Discord, and then the bot dies.
        clock.moment = REVEAL
        hold = double.faults.hold_after_accept(post.id, skip=1)  # a thread on a message has the message's id
        sweep = asyncio.create_task(bot.services.get(QotdRunner).sweep())
        await double.wait_until(lambda: hold.held == 1, what="the second answers message accepted, never answered")
        await crash(sweep)
    double.faults.clear()
    if restart == "past the nonce window":
        double.nonces.clear()  # only the thread's history can tell now
    async with double.running(factory) as bot:
        await bot.services.get(QotdRunner).catch_up
        (thread,) = double.threads("general")
        answers = [e["description"] for m in double.messages(thread) for e in m.embeds]
        assert sorted(answers) == sorted(strong_answer(question, name) for name in names)  # each exactly once
        carrying = [m for m in double.messages(thread) if m.embeds]
        assert len(carrying) == 3  # ten answers per message: 24 answers take three, not 24
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
        await bot.services.get(QotdRunner).sweep()
        (post,) = double.bot_messages("general")
        question = question_of(bot.bank, post)
        form = (await alice.click(post, label="Answer")).modal
        await alice.submit_modal(form, {only_field(form): strong_answer(question)})
        clock.moment = REVEAL
        await bot.services.get(QotdRunner).sweep()
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
        await bot.services.get(QotdRunner).catch_up
        in_thread = [m.embeds[0]["description"] for m in double.messages(thread) if m.embeds]
        assert in_thread == [strong_answer(question), "迟到但认真写的答案：" + strong_answer(question)]
    async with double.running(factory) as bot:  # and only once
        await bot.services.get(QotdRunner).catch_up
        assert len([m for m in double.messages(thread) if m.embeds]) == 2


async def test_reactions_made_while_the_bot_was_down_are_recorded_and_votes_are_buttons(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    factory = study_bot_factory(tmp_path, clock)
    alice, bob, carol = double.member("alice"), double.member("bob"), double.add_member("carol")
    async with double.running(factory) as bot:
        await setup_schedule(double)
        clock.moment = POST
        await bot.services.get(QotdRunner).sweep()
        (post,) = double.bot_messages("general")
        question = question_of(bot.bank, post)
        await alice.react(post, "🟢")
        form = (await alice.click(post, label="Answer")).modal
        await alice.submit_modal(form, {only_field(form): strong_answer(question)})
        (stored,) = await bot.services.get(QotdService).posts.open_posts()
    await bob.react(post, "🔴", wait=False)  # the bot is down
    await alice.unreact(post, "🟢", wait=False)
    clock.moment = REVEAL  # and it comes back after the reveal time: the overdue reveal counts them
    async with double.running(factory) as bot:
        await bot.services.get(QotdRunner).catch_up
        assert await bot.services.get(QotdService).reactions.spread(stored.id) == {"🔴": 1}
        assert "🔴 1" in "\n".join(str(m.embeds) for m in double.bot_messages("general")[1:])
        (thread,) = double.threads("general")
        (answer_message,) = [m for m in double.messages(thread) if m.embeds]
        # A vote is the 👍 button under the answer: the member sees it counted (a 👍 reaction is not a vote).
        (vote,) = answer_message.buttons
        assert vote["label"] == "Alice" and vote["emoji"]["name"] == "👍"
        await bob.react(answer_message, "👍")
        counted = await carol.click(answer_message, label="Alice")
        assert counted.ephemeral and "counted (1 vote now)" in counted.content
        again = await carol.click(answer_message, label="Alice")  # pressed again after a lost reply: no change
        assert "already gave" in again.content
        own = await alice.click(answer_message, label="Alice")
        assert own.ephemeral and "cannot vote for your own" in own.content
        entries = dict(await bot.services.get(QotdService).points.entries_for(double.guild.id, alice.id))
        assert entries["peer_votes"] == 2  # carol's one vote
        taken = await carol.click(again.message, label="Take back my 👍")
        assert "taken back (0 votes now)" in taken.content
        points = bot.services.get(QotdService).points
        assert dict(await points.entries_for(double.guild.id, alice.id)).get("peer_votes", 0) == 0


async def test_a_display_name_with_markdown_is_shown_as_text_in_the_reveal(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    sly = double.add_member("[free nitro](https://example.com) **@everyone**")
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        await setup_schedule(double)
        clock.moment = POST
        await bot.services.get(QotdRunner).sweep()
        (post,) = double.bot_messages("general")
        form = (await sly.click(post, label="Answer")).modal
        await sly.submit_modal(form, {only_field(form): "答案"})
        clock.moment = REVEAL
        await bot.services.get(QotdRunner).sweep()
        (thread,) = double.threads("general")
        (answer,) = [m for m in double.messages(thread) if m.embeds]
        title = answer.embeds[0]["title"]
        assert title.startswith("\\[free nitro](https://example.com) \\*\\*@\u200beveryone\\*\\*"), title
        # A button label renders no Markdown: the name as it is.
        assert answer.buttons[0]["label"] == "[free nitro](https://example.com) **@everyone**"
