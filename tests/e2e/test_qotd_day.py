"""The question of the day end to end: set-up, post, blind answers, reactions, reveal, votes, grades, points."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from answers import one_point_answer, strong_answer
from clock import FakeClock
from discord_double import DiscordDouble, Message, ModalForm, assert_no_pings
from study_bot import study_bot_factory, utc

from bot.chat.qotd.runner import QotdRunner
from bot.domain.bank import Question
from bot.services.qotd import QotdService

# Both engines: SQLite and a fresh PostgreSQL database per test (tests/e2e/conftest.py).
pytestmark = pytest.mark.usefixtures("on_each_engine")


def only_field(modal: ModalForm) -> str:
    (custom_id,) = modal.fields
    return custom_id


def question_of(bank: Iterable[Question], post: Message) -> Question:
    """The bank question a daily post shows: its embed's description is the prompt."""
    return next(q for q in bank if q.prompt == post.embeds[0]["description"])


def embeds_text(message: Message) -> str:
    parts = [message.content or ""]
    for embed in message.embeds:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']} {f['value']}" for f in embed.get("fields") or []]
    return "\n".join(parts)


async def setup_schedule(double: DiscordDouble, **options: object) -> None:
    values = {"channel": double.channel("general"), "post_time": "09:00", "timezone": "Asia/Shanghai",
              "reveal": "21:00", "language": "en"}
    values.update(options)
    reply = await double.member("owner").slash("qotd setup", options=values)
    assert reply.ephemeral, reply.content
    assert "Daily question set for" in reply.content, reply.content


async def test_a_full_day_with_three_members(discord_double: DiscordDouble, tmp_path: Path) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))  # 08:00 in Shanghai
    alice, bob = double.member("alice"), double.member("bob")
    carol = double.add_member("carol")
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        await setup_schedule(double)
        status = await double.member("owner").slash("qotd status")
        shown = embeds_text(status.message)
        assert "Asia/Shanghai" in shown and "running" in shown
        assert "next post 2026-11-30 09:00" in shown and "next reveal 2026-11-30 21:00" in shown

        clock.set(utc("2026-11-30T01:00:02"))
        await bot.services.get(QotdRunner).sweep()
        await bot.services.get(QotdRunner).sweep()  # a second wake-up in the same minute posts nothing more
        (post,) = double.bot_messages("general")
        assert post.embeds[0]["title"] == "Question of the day · 2026-11-30"
        assert [b["label"] for b in post.buttons] == ["Answer", "My answer"]
        await double.wait_until(lambda: len(post.reactions) == 3, what="the confidence reactions")
        assert sorted(post.reactions) == sorted(["🟢", "🟡", "🔴"])
        question = bot.bank.get(post.embeds[0]["footer"]["text"]) or question_of(bot.bank, post)

        # Answers through the modal; alice edits hers; nothing shows anywhere before the reveal.
        strong = strong_answer(question, "我的回答：")
        opened = await alice.click(post, label="Answer")
        assert opened.modal is not None and opened.modal.title == "Your answer"
        saved = await alice.submit_modal(opened.modal, {only_field(opened.modal): "初稿"})
        assert saved.ephemeral and "saved" in saved.content
        reopened = await alice.click(post, label="Answer")
        assert reopened.modal.field(only_field(reopened.modal)).get("value") == "初稿"
        edited = await alice.submit_modal(reopened.modal, {only_field(reopened.modal): strong})
        assert "updated" in edited.content
        bob_modal = (await bob.click(post, label="Answer")).modal
        await bob.submit_modal(bob_modal, {only_field(bob_modal): "不太清楚 @everyone"})
        mine = await alice.click(post, label="My answer")
        assert mine.ephemeral and mine.embeds[0]["description"] == strong
        empty = await carol.click(post, label="My answer")
        assert empty.ephemeral and "not answered" in empty.content
        await carol.react(post, "🟢")
        await bob.react(post, "🔴")
        await carol.unreact(post, "🟢")
        await carol.react(post, "🟡")
        public = "\n".join(embeds_text(m) for m in double.messages("general"))
        assert "初稿" not in public and "不太清楚" not in public and not double.threads("general")

        # The reveal at 21:00 local.
        clock.set(utc("2026-11-30T13:00:00"))
        await bot.services.get(QotdRunner).sweep()
        reveal = double.bot_messages("general")[1]
        assert reveal.embeds[0]["title"] == "Reference answer · 2026-11-30"
        revealed = "\n".join(embeds_text(m) for m in double.bot_messages("general")[1:])
        assert "Key points" in revealed and "2 answered" in revealed and "🔴 1" in revealed and "🟡 1" in revealed
        assert "Leaderboard" in revealed
        (thread,) = double.threads("general")
        (answers,) = [m for m in double.messages(thread) if m.embeds]  # both answers in one message
        by_author = {e["title"].split("'s answer")[0]: e for e in answers.embeds}
        total = len(question.key_points)
        assert f"key points {total}/{total}" in by_author["Alice"]["title"]
        assert "key points 0/" in by_author["Bob"]["title"]
        assert [b["label"] for b in answers.buttons] == list(by_author)  # a 👍 button per answer, in order
        for message in double.bot_messages(thread) + double.bot_messages("general"):
            assert_no_pings(message)

        # Peer votes (never one's own) and self-grades after the reveal.
        assert "counted" in (await bob.click(answers, label="Alice")).content
        assert "counted" in (await carol.click(answers, label="Alice")).content
        assert "own answer" in (await alice.click(answers, label="Alice")).content
        grades = next(m for m in double.messages(thread) if m.buttons and not m.embeds)
        graded = await bob.click(grades, label="Missed")
        assert graded.ephemeral and "Missed" in graded.content
        nothing = await carol.click(grades, label="Got it")
        assert "did not answer" in nothing.content

        points = dict(await bot.services.get(QotdService).points.entries_for(double.guild.id, alice.id))
        assert points == {"answer_on_time": 10, "coverage": 10, "peer_votes": 4}
        assert dict(await bot.services.get(QotdService).points.entries_for(double.guild.id, bob.id)) == {
            "answer_on_time": 10, "self_grade": 1}

        # A late answer: accepted after the reveal with its coverage shown at once, and added to the thread.
        late_modal = (await carol.click(post, label="Answer")).modal
        late = await carol.submit_modal(late_modal, {only_field(late_modal): one_point_answer(question)})
        assert late.ephemeral and "late" in late.embeds[0]["description"]
        await double.wait_until(lambda: len([m for m in double.messages(thread) if m.embeds]) == 2,
                                what="the late answer in the thread, a message of its own")
        locked = await alice.click(post, label="Answer")
        assert locked.callback_type == "message" and "can no longer change" in locked.content


async def test_bad_answers_get_a_polite_ephemeral_message_and_store_nothing(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T01:00:00"))
    alice = double.member("alice")
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        await setup_schedule(double)
        await bot.services.get(QotdRunner).sweep()
        (post,) = double.bot_messages("general")
        modal = (await alice.click(post, label="Answer")).modal
        assert modal.field(only_field(modal))["max_length"] == 1500
        blank = await alice.submit_modal(modal, {only_field(modal): "   \n  "})
        assert blank.ephemeral and "empty" in blank.content
        mine = await alice.click(post, label="My answer")
        assert "not answered" in mine.content


async def test_setup_names_each_missing_permission(discord_double: DiscordDouble, tmp_path: Path) -> None:
    double = discord_double
    add_reactions, create_threads = 1 << 6, 1 << 35
    for role in double.guild.roles.values():
        role.permissions &= ~(add_reactions | create_threads)
    async with double.running(study_bot_factory(tmp_path, FakeClock(utc("2026-11-30T00:00:00")))) as bot:
        reply = await double.member("owner").slash("qotd setup", options={
            "channel": double.channel("general"), "post_time": "09:00", "timezone": "Asia/Shanghai",
            "reveal": "21:00"})
        assert reply.ephemeral
        assert "Add Reactions" in reply.content and "Create Public Threads" in reply.content
        assert await bot.services.get(QotdService).schedules.for_guild(double.guild.id) == []


async def test_setup_rejects_bad_input_clearly(discord_double: DiscordDouble, tmp_path: Path) -> None:
    double = discord_double
    async with double.running(study_bot_factory(tmp_path, FakeClock(utc("2026-11-30T00:00:00")))):
        owner = double.member("owner")
        zones = await owner.autocomplete("qotd setup", focused="timezone", timezone="shang")
        assert [c.value for c in zones] == ["Asia/Shanghai"]
        general = double.channel("general")
        bad_zone = await owner.slash("qotd setup", options={
            "channel": general, "post_time": "09:00", "timezone": "Mars/Base", "reveal": "21:00"})
        assert "unknown time zone" in bad_zone.content
        bad_time = await owner.slash("qotd setup", options={
            "channel": general, "post_time": "9am", "timezone": "UTC", "reveal": "21:00"})
        assert "9am" in bad_time.content and "HH:MM" in bad_time.content
        bad_topic = await owner.slash("qotd setup", options={
            "channel": general, "post_time": "09:00", "timezone": "UTC", "reveal": "8h", "topics": "rag, nope"})
        assert "nope" in bad_topic.content


async def test_now_skip_pause_and_resume(discord_double: DiscordDouble, tmp_path: Path) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))  # 08:00, before the 09:00 post
    owner = double.member("owner")
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        await setup_schedule(double)
        now = await owner.slash("qotd now", options={"channel": double.channel("general")})
        await now.settled()
        assert "posted" in now.followups[-1].content
        (post,) = double.bot_messages("general")
        first_prompt = post.embeds[0]["description"]
        again = await owner.slash("qotd now", options={"channel": double.channel("general")})
        await again.settled()
        assert "already posted" in again.followups[-1].content
        skipped = await owner.slash("qotd skip", options={"channel": double.channel("general")})
        await skipped.settled()
        assert "replaced" in skipped.followups[-1].content
        assert post.embeds[0]["description"] != first_prompt  # the same message, edited in place
        clock.set(utc("2026-11-30T01:00:00"))
        await bot.services.get(QotdRunner).sweep()
        assert len(double.bot_messages("general")) == 1  # the scheduled time does not post a second one

        paused = await owner.slash("qotd pause", options={"channel": double.channel("general")})
        assert "paused" in paused.content
        clock.set(utc("2026-12-01T01:00:00"))
        await bot.services.get(QotdRunner).sweep()
        assert not any("2026-12-01" in (m.embeds[0].get("title") or "")
                       for m in double.bot_messages("general") if m.embeds)
        await owner.slash("qotd resume", options={"channel": double.channel("general")})
        await bot.services.get(QotdRunner).sweep()
        assert double.bot_messages("general")[-1].embeds[0]["title"] == "Question of the day · 2026-12-01"
