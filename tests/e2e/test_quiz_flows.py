"""Topic quizzes end to end: choice and open quizzes with several members, stop, one quiz per channel, restarts."""

from __future__ import annotations

import functools
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from answers import strong_answer
from clock import FakeClock
from discord_double import DiscordDouble, Message, assert_no_pings
from study_bot import settings_for, study_bot_factory, utc
from test_qotd_day import only_field

from bot.chat.client import StudyBot
from bot.chat.quiz.runner import QuizRunner
from bot.domain import quiz as rules
from bot.domain.markdown import split_markdown
from bot.services.qotd import QotdService
from bot.services.quiz import QuizService

# Far from the real date: the bot's real APScheduler jobs, armed at quiz instants, never fire by themselves.
START = utc("2030-06-01T10:00:00")


def at(seconds: float) -> datetime:
    return START + timedelta(seconds=seconds)


def questions(double: DiscordDouble, channel: str = "quiz") -> list[Message]:
    """The quiz's question messages (embeds titled "Question n/m"), oldest first."""
    return [m for m in double.bot_messages(channel) if m.embeds and m.embeds[0].get("title", "").startswith("Question")]


def titled(double: DiscordDouble, prefix: str, channel: str = "quiz") -> list[Message]:
    return [m for m in double.bot_messages(channel) if m.embeds and m.embeds[0].get("title", "").startswith(prefix)]


async def correct_and_wrong(bot, message: Message) -> tuple[str, str]:
    _, _, quiz_id, position, _ = message.buttons[0]["custom_id"].split(":")
    stored = await bot.services.get(QuizService).quizzes.get(int(quiz_id))
    item = stored.items[int(position)]
    right = rules.correct_option(item, bot.bank.get(item.question_id))
    return rules.LETTERS[right], rules.LETTERS[(right + 1) % len(item.option_order)]


async def start_quiz(double: DiscordDouble, name: str = "alice", **options: object):
    values = {"topic": "rag", "count": 2, "kind": "choice", "seconds": 30}
    values.update(options)
    return await double.member(name).slash("quiz start", double.channel("quiz"), options=values)


async def test_a_choice_quiz_with_three_members(discord_double: DiscordDouble, tmp_path: Path) -> None:
    double = discord_double
    clock = FakeClock(START)
    alice, bob = double.member("alice"), double.member("bob")
    carol = double.add_member("carol")
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        topics = await alice.autocomplete("quiz start", focused="topic", channel=double.channel("quiz"), topic="re")
        assert "rag" in [c.value for c in topics] and len(topics) <= 25
        started = await start_quiz(double)
        assert not started.ephemeral
        assert started.content == "Quiz on Retrieval-augmented generation: 2 × multiple choice, 30 s per question."
        (first,) = questions(double)
        assert first.embeds[0]["title"].startswith("Question 1/2")
        assert [b["label"] for b in first.buttons] == ["A", "B", "C", "D"]
        assert "**A.**" in first.embeds[0]["description"] and "**D.**" in first.embeds[0]["description"]
        right, wrong = await correct_and_wrong(bot, first)

        clock.set(at(2))
        picked = await alice.click(first, label=right)
        assert picked.ephemeral and f"Your pick is in: **{right}**" in picked.content
        clock.set(at(9))
        await bob.click(first, label=wrong)
        twice = await bob.click(first, label=right)  # a double click: the first pick stands
        assert twice.ephemeral and f"You already picked **{wrong}**" in twice.content
        clock.set(at(30.5))  # past the close, before any sweep ran
        late = await carol.click(first, label=right)
        assert late.ephemeral and "closed" in late.content

        await bot.services.get(QuizRunner).sweep()
        (reveal,) = titled(double, "Answer")
        text = reveal.text
        assert f"✅ **{right}.**" in text and f"✅ {right} 1" in text and f"{wrong} 1" in text
        assert "Alice +14" in text and "Bob" not in text.split("Right (fastest first)")[1]
        assert all(b.get("disabled") for b in double.state.message(first.id).buttons)
        second = questions(double)[1]
        assert second.embeds[0]["title"].startswith("Question 2/2")

        right2, wrong2 = await correct_and_wrong(bot, second)
        await carol.click(second, label=right2)  # the instant it opened: the whole speed bonus
        clock.set(at(40))
        await alice.click(second, label=wrong2)
        clock.set(at(61))
        await bot.services.get(QuizRunner).sweep()
        (results,) = titled(double, "Quiz results")
        assert results.embeds[0]["description"].splitlines() == [
            "1. carol — 15 pts (1/1 right)", "2. Alice — 14 pts (1/2 right)", "3. Bob — 0 pts (0/1 right)"]
        missed = results.embeds[0]["fields"][0]
        assert missed["name"] == "Most missed" and missed["value"].count("1/2 missed") == 2
        assert results.embeds[0]["footer"]["text"].startswith("2/2 questions asked")
        assert not bot.wakeups.armed("quiz:close:")
        for message in double.bot_messages("quiz"):
            assert_no_pings(message)

        guild, points = double.guild.id, bot.services.get(QotdService).points
        assert dict(await points.entries_for(guild, alice.id)) == {"quiz_correct": 10, "quiz_speed": 4}
        assert dict(await points.entries_for(guild, carol.id)) == {"quiz_correct": 10, "quiz_speed": 5}
        assert await points.entries_for(guild, bob.id) == []


async def test_an_open_quiz_with_modal_answers_coverage_and_self_grades(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(START)
    alice, bob = double.member("alice"), double.member("bob")
    carol = double.add_member("carol")
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        started = await start_quiz(double, kind="open", count=1, seconds=120)
        assert "1 × open, 120 s per question" in started.content
        (post,) = questions(double)
        assert [b["label"] for b in post.buttons] == ["Answer"]
        question = bot.bank.get(post.embeds[0]["footer"]["text"])
        assert question.prompt in post.embeds[0]["description"]

        clock.set(at(10))
        opened = await alice.click(post, label="Answer")
        assert opened.modal is not None and opened.modal.title == "Question 1 · your answer"
        saved = await alice.submit_modal(opened.modal, {only_field(opened.modal): "先写个草稿"})
        assert saved.ephemeral and "saved" in saved.content
        strong = strong_answer(question)
        again = await alice.click(post, label="Answer")
        assert again.modal.field(only_field(again.modal)).get("value") == "先写个草稿"
        updated = await alice.submit_modal(again.modal, {only_field(again.modal): strong})
        assert "updated" in updated.content
        weak = (await bob.click(post, label="Answer")).modal
        await bob.submit_modal(weak, {only_field(weak): "不太清楚 @everyone"})
        public = "\n".join(m.text for m in double.messages("quiz"))
        assert "草稿" not in public and "不太清楚" not in public

        late_form = (await carol.click(post, label="Answer")).modal  # opened in time, sent too late
        clock.set(at(121))
        too_late = await carol.submit_modal(late_form, {only_field(late_form): "迟到的答案"})
        assert too_late.ephemeral and "closed" in too_late.content
        assert too_late.followups and too_late.followups[0].embeds[0]["description"] == "迟到的答案"

        await bot.services.get(QuizRunner).sweep()
        reveal = titled(double, "Answer")[0]
        total = len(question.key_points)
        shown = "\n".join(m.text for m in double.bot_messages("quiz")[-2:])
        assert f"Alice: key points {total}/{total} · +10" in shown and f"Bob: key points 0/{total} · +0" in shown
        assert "Key points" in shown and question.key_points[0].text in shown
        assert reveal.embeds[0]["description"] == split_markdown(question.answer, 4096)[0]
        grades = next(m for m in double.bot_messages("quiz") if m.buttons and m.buttons[0]["label"] == "Got it")
        got = await alice.click(grades, label="Got it")
        assert got.ephemeral and "Self-grade saved: Got it (+1)" in got.content
        missed = await bob.click(grades, label="Missed")
        assert "Missed" in missed.content
        twice = await bob.click(grades, label="Got it")
        assert "already graded" in twice.content
        nothing = await carol.click(grades, label="Got it")
        assert "did not answer" in nothing.content
        assert not titled(double, "Quiz results")  # the grading time is still running

        clock.set(at(121 + 60))
        await bot.services.get(QuizRunner).sweep()
        (results,) = titled(double, "Quiz results")
        assert results.embeds[0]["description"].splitlines() == ["1. Alice — 11 pts (1/1 right)",
                                                                 "2. Bob — 1 pt (0/1 right)"]
        over = await bob.click(grades, label="Partly")
        assert "over" in over.content
        for message in double.bot_messages("quiz"):
            assert_no_pings(message)
        assert dict(await bot.services.get(QotdService).points.entries_for(double.guild.id, alice.id)) == {
            "quiz_coverage": 10, "quiz_self_grade": 1}


async def test_stop_by_the_starter_a_refused_stop_and_one_quiz_per_channel(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(START)
    alice, bob = double.member("alice"), double.member("bob")
    moderator = double.add_member("mod", roles=(double.role("Moderator"),))  # Manage Messages
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        await start_quiz(double, count=5)
        second = await start_quiz(double, "bob")
        assert second.ephemeral and "already running" in second.content
        elsewhere = await bob.slash("quiz start", double.channel("general"), options={"topic": "lora", "count": 1})
        assert not elsewhere.ephemeral and len(questions(double, "general")) == 1

        refused = await bob.slash("quiz stop", double.channel("quiz"))
        assert refused.ephemeral and "Only the member who started this quiz" in refused.content
        assert len(questions(double)) == 1 and not titled(double, "Quiz results")

        (first,) = questions(double)
        right, _ = await correct_and_wrong(bot, first)
        clock.set(at(5))
        await bob.click(first, label=right)
        stopped = await alice.slash("quiz stop", double.channel("quiz"))
        assert stopped.ephemeral and "stopped" in stopped.content
        (results,) = titled(double, "Quiz results")
        assert results.embeds[0]["title"] == "Quiz results (stopped by Alice)"
        assert results.embeds[0]["description"] == "1. Bob — 14 pts (1/1 right)"
        assert results.embeds[0]["footer"]["text"].startswith("1/5 questions asked")
        assert len(titled(double, "Answer")) == 1 and len(questions(double)) == 1
        assert all(button.get("disabled") for button in double.state.message(first.id).buttons)

        nothing = await alice.slash("quiz stop", double.channel("quiz"))
        assert "no quiz running" in nothing.content
        again = await start_quiz(double, "bob", count=1)  # the channel is free again
        assert not again.ephemeral
        by_manager = await moderator.slash("quiz stop", double.channel("quiz"))
        assert "stopped" in by_manager.content
        assert titled(double, "Quiz results")[-1].embeds[0]["title"] == "Quiz results (stopped by mod)"


async def test_a_restart_mid_quiz_resumes_and_a_long_outage_ends_it_with_partial_results(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(START)
    alice, bob = double.member("alice"), double.member("bob")
    factory = study_bot_factory(tmp_path, clock)
    async with double.running(factory) as bot:
        await start_quiz(double, count=3)
        (first,) = questions(double)
        right, wrong = await correct_and_wrong(bot, first)
        clock.set(at(3))
        await alice.click(first, label=right)

    clock.set(at(12))  # back within the question's time: the quiz goes on
    async with double.running(factory) as bot:
        await bot.services.get(QuizRunner).catch_up
        assert len(questions(double)) == 1 and not titled(double, "Answer")
        quiz_id = first.buttons[0]["custom_id"].split(":")[2]  # quiz:pick:<quiz>:<position>:<option>
        assert bot.wakeups.armed()[f"quiz:close:{quiz_id}"] == at(30)
        twice = await alice.click(first, label=wrong)  # her pick from before the restart still stands
        assert f"You already picked **{right}**" in twice.content
        await bob.click(first, label=wrong)
        clock.set(at(30))
        await bot.services.get(QuizRunner).sweep()
        (reveal,) = titled(double, "Answer")
        assert "Alice +" in reveal.text and f"{wrong} 1" in reveal.text
        second = questions(double)[1]
        right2, _ = await correct_and_wrong(bot, second)
        clock.set(at(35))
        await bob.click(second, label=right2)

    clock.set(at(3600))  # down for an hour: the open question closes with its answers, and the quiz ends
    async with double.running(factory) as bot:
        await bot.services.get(QuizRunner).catch_up
        assert len(titled(double, "Answer")) == 2 and len(questions(double)) == 2
        (results,) = titled(double, "Quiz results")
        assert "offline" in results.embeds[0]["title"]
        # A tie on points goes to more right answers, then to the earlier member id.
        assert results.embeds[0]["description"].splitlines() == ["1. Alice — 14 pts (1/1 right)",
                                                                 "2. Bob — 14 pts (1/2 right)"]
        assert results.embeds[0]["footer"]["text"].startswith("2/3 questions asked")
        points = bot.services.get(QotdService).points
        assert dict(await points.entries_for(double.guild.id, alice.id))["quiz_correct"] == 10
        assert dict(await points.entries_for(double.guild.id, bob.id))["quiz_correct"] == 10

    async with double.running(factory) as bot:  # and again: nothing is posted twice
        await bot.services.get(QuizRunner).catch_up
        assert len(titled(double, "Quiz results")) == 1 and len(titled(double, "Answer")) == 2


async def test_the_armed_wakeup_closes_the_question_when_the_clock_reaches_it(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(START)
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        await start_quiz(double, count=1)
        (quiz,) = await bot.services.get(QuizService).quizzes.active()
        assert bot.wakeups.armed("quiz:close:") == {f"quiz:close:{quiz.id}": at(30)}
        assert bot.wakeups.has("quiz:sweep")
        clock.set(at(30))  # no sweep by hand: the armed wake-up fires
        results = await double.wait_for_message("quiz", lambda m: bool(m.embeds) and m.embeds[0].get(
            "title", "").startswith("Quiz results"))
        assert results.embeds[0]["description"] == "Nobody answered."


async def test_a_solo_practice_run_stays_private(discord_double: DiscordDouble, tmp_path: Path) -> None:
    double = discord_double
    clock = FakeClock(START)
    alice = double.member("alice")
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        started = await alice.slash("practice", double.channel("general"), topic="rag", count=2)
        assert started.ephemeral and started.embeds[0]["title"].startswith("Practice 1/2 · ")
        card = started.message
        assert [b["label"] for b in card.buttons] == ["Show answer"]
        first = bot.bank.get(card.embeds[0]["footer"]["text"])

        shown = await alice.click(card, label="Show answer")
        assert shown.callback_type == "update" and shown.message.id == card.id
        assert split_markdown(first.answer, 4096)[0] in [e.get("description") for e in shown.embeds]
        assert "Key points" in shown.message.text
        assert [b["label"] for b in shown.message.buttons] == ["Got it", "Partly", "Missed"]
        graded = await alice.click(card, label="Got it")
        assert graded.callback_type == "update" and graded.embeds[0]["title"].startswith("Practice 2/2")
        await alice.click(card, label="Show answer")
        done = await alice.click(card, label="Partly")
        assert done.embeds[0]["title"] == "Practice done" and not done.message.buttons
        assert done.embeds[0]["description"] == "2 cards: Got it 1 · Partly 1 · Missed 0"
        assert double.bot_messages("general") == []  # nothing in the channel: only Alice saw her cards


LONG_BANK = """\
topic: {id: long, name_zh: 长答案, name_en: Long answers, order: 1}
questions:
  - id: long-one
    prompt: 一个答案很长的问题？
    difficulty: 2
    tags: [long]
    answer: |
%s
    key_points:
      - text: 第一段
        keywords: [第一段]
"""


async def test_a_long_answer_is_split_into_private_messages_within_discord_limits(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    bank = tmp_path / "bank"
    bank.mkdir()
    paragraphs = [f"第{n}段：" + "内容" * 1250 for n in "一二三"]  # 3 × ~2500 characters: more than 6000 in all
    (bank / "long.yaml").write_text(LONG_BANK % "\n\n".join(f"      {p}" for p in paragraphs), encoding="utf-8")
    settings = replace(settings_for(tmp_path), bank_dir=bank)
    alice = double.member("alice")
    async with double.running(functools.partial(StudyBot, settings, clock=FakeClock(START))):
        card = (await alice.slash("practice", double.channel("general"), count=1)).message
        shown = await alice.click(card, label="Show answer")
        (rest,) = shown.followups
        assert rest.ephemeral and not shown.message.buttons
        texts = [e.get("description") or "" for m in (shown.message, rest) for e in m.embeds]
        assert [text[:3] for text in texts if text.startswith("第")] == ["第一段", "第二段", "第三段"]
        assert [b["label"] for b in rest.buttons] == ["Got it", "Partly", "Missed"]
        done = await alice.click(rest, label="Missed")
        assert done.embeds[0]["title"] == "Practice done" and "Missed 1" in done.embeds[0]["description"]
        assert double.bot_messages("general") == []


async def test_a_quiz_needs_the_bot_to_post_embeds_in_the_channel(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    for role in double.guild.roles.values():
        role.permissions &= ~(1 << 14)  # Embed Links
    async with double.running(study_bot_factory(tmp_path, FakeClock(START))) as bot:
        refused = await start_quiz(double)
        assert refused.ephemeral and "Embed Links" in refused.content
        assert await bot.services.get(QuizService).quizzes.active() == [] and not questions(double)


async def test_members_answering_an_open_question_at_once_all_count_even_across_a_restart(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(START)
    alice, bob = double.member("alice"), double.member("bob")
    factory = study_bot_factory(tmp_path, clock)
    async with double.running(factory) as bot:
        await start_quiz(double, kind="open", count=1, seconds=300)
        (post,) = questions(double)
        clock.set(at(10))
        alice_form = (await alice.click(post, label="Answer")).modal
        bob_form = (await bob.click(post, label="Answer")).modal
        assert alice_form.custom_id != bob_form.custom_id
        assert "saved" in (await alice.submit_modal(alice_form, {only_field(alice_form): "甲的回答"})).content
    async with double.running(factory) as bot:  # bob's form was opened before the restart
        clock.set(at(20))
        saved = await bob.submit_modal(bob_form, {only_field(bob_form): "乙的回答"})
        assert saved.ephemeral and "saved" in saved.content
        clock.set(at(301))
        await bot.services.get(QuizRunner).sweep()
        shown = "\n".join(m.text for m in double.bot_messages("quiz"))
        assert "Alice: key points" in shown and "Bob: key points" in shown


async def test_a_quiz_message_accepted_but_never_recorded_is_not_posted_twice(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    import asyncio
    import contextlib

    double = discord_double
    clock = FakeClock(START)
    factory = study_bot_factory(tmp_path, clock)
    async with double.running(factory) as bot:
        await start_quiz(double, count=2)
        assert len(questions(double)) == 1
        # Question 1 closes: Discord accepts its answer message and the bot dies before it learns its id.
        hold = double.faults.hold_after_accept(double.channel("quiz"))
        clock.moment = at(30)
        sweep = asyncio.create_task(bot.services.get(QuizRunner).sweep())
        await double.wait_until(lambda: hold.held == 1, what="the answer message accepted, never answered")
        sweep.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sweep
    double.faults.clear()
    async with double.running(factory) as bot:  # back within Discord's nonce window
        await bot.services.get(QuizRunner).catch_up
        assert len(titled(double, "Answer")) == 1  # the nonce returned the message Discord had
        assert len(questions(double)) == 2


async def test_a_quiz_speaks_the_server_language_whoever_starts_it(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    double.guild.preferred_locale = "zh-CN"  # a Chinese server...
    alice = double.member("alice")  # ...where alice's Discord client is in English
    async with double.running(study_bot_factory(tmp_path, FakeClock(START))) as bot:
        started = await start_quiz(double)
        assert started.content.startswith("测验开始"), started.content  # everyone reads it: the server's language
        (first,) = titled(double, "第 1/2 题")  # the question too
        right, _ = await correct_and_wrong(bot, first)
        picked = await alice.click(first, label=right)
        assert "Your pick is in" in picked.content  # a private reply: her own language
        await alice.slash("quiz stop", double.channel("quiz"))

        chosen = await double.member("owner").slash("qotd language", language="en")
        assert chosen.ephemeral and "The server language is now English" in chosen.content
        again = await start_quiz(double)
        assert again.content.startswith("Quiz on"), again.content
