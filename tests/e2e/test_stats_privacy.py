"""/stats with its chart, and members' control of their data: hide and show, export, delete, and leaving."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from answers import strong_answer
from board_seed import award, board_lines, leave, rejoin, text, you
from clock import FakeClock
from discord_double import DiscordDouble, Member, Message
from PIL import Image, ImageColor
from study_bot import study_bot_factory, utc
from test_qotd_day import only_field, question_of, setup_schedule

from bot.chat.client import StudyBot
from bot.chat.privacy.cog import Purger
from bot.chat.qotd.runner import QotdRunner
from bot.chat.stats import style
from bot.chat.stats.chart import SIZE
from bot.services.qotd import QotdService


@pytest.fixture(scope="module", autouse=True)
def _matplotlib_loaded() -> None:
    """matplotlib's first import (and font cache) can take seconds on a fresh machine: pay it outside the test."""
    from bot.chat.stats.chart import render_png
    from bot.domain.progress import heatmap

    render_png(heatmap({}, utc("2026-01-01T00:00:00").date()), [])


async def answer(member: Member, post: Message, text_: str) -> None:
    modal = (await member.click(post, label="Answer")).modal
    assert modal is not None
    await member.submit_modal(modal, {only_field(modal): text_})


async def a_revealed_day(double: DiscordDouble, bot: StudyBot, clock: FakeClock,
                         day: str = "2026-11-30") -> tuple[Message, list[Message]]:
    """`day`'s question in Shanghai: alice answers well, bob poorly; bob 🔴; the reveal; they up-vote each other."""
    alice, bob = double.member("alice"), double.member("bob")
    await setup_schedule(double)
    clock.set(utc(f"{day}T01:00:00"))
    await bot.services.get(QotdRunner).sweep()
    (post,) = double.bot_messages("general")
    question = question_of(bot.bank, post)
    await answer(alice, post, strong_answer(question, "我的回答："))
    await answer(bob, post, "不太清楚")
    await bob.react(post, "🔴")
    clock.set(utc(f"{day}T13:00:00"))
    await bot.services.get(QotdRunner).sweep()
    (thread,) = double.threads("general")
    answers = [m for m in double.messages(thread) if m.embeds]  # one message carries both answers
    assert "counted" in (await bob.click(answers[0], label="Alice")).content
    assert "counted" in (await alice.click(answers[0], label="Bob")).content
    return post, answers


async def test_stats_sends_an_embed_and_a_chart_png(discord_double: DiscordDouble, tmp_path: Path) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    alice, bob = double.member("alice"), double.member("bob")
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        await a_revealed_day(double, bot, clock)
        grades = next(m for m in double.messages(double.threads("general")[0]) if m.buttons and not m.embeds)
        await alice.click(grades, label="Got it")

        result = await alice.slash("stats")
        assert result.callback_type == "deferred" and result.ephemeral
        message = result.message
        assert message is not None and not message.loading
        body = text(result)
        assert f"Progress of {alice.mention}" in body and "1 in all · 1 active day" in body
        assert "🔥 1-day streak (best 1)" in body and "#1" in body
        assert "key points 100% · self-grades ✅1" in body  # her answer named every key point
        assert message.embeds[0]["image"]["url"] == "attachment://stats.png"
        (chart,) = message.attachments
        assert chart.filename == "stats.png"
        assert chart.size > 5_000 and chart.data.startswith(b"\x89PNG\r\n\x1a\n")
        image = Image.open(io.BytesIO(chart.data))
        image.load()  # decodes the whole image
        assert image.format == "PNG" and image.size == SIZE
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
        assert colours is not None and len(colours) > 20  # a real picture, not a blank canvas
        one_answer = ImageColor.getrgb(style.HEATMAP[0])  # the heatmap's shade for a day with one answer (11-30)
        assert any(colour == one_answer for _, colour in colours)

        others = await alice.slash("stats", options={"member": bob.user})
        assert f"Progress of {bob.mention}" in text(others) and others.message.attachments


async def test_hide_and_show_leave_the_boards_and_stats_but_keep_points(discord_double: DiscordDouble,
                                                                       tmp_path: Path) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-12-02T04:00:00"))
    alice, bob = double.member("alice"), double.member("bob")
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        await award(bot, double, alice, 10, day="2026-12-02")
        await award(bot, double, bob, 30, day="2026-12-02")
        hidden = await bob.slash("privacy hide")
        assert hidden.ephemeral and "left the public boards" in hidden.content
        assert "already hidden" in (await bob.slash("privacy hide")).content
        board = await alice.slash("leaderboard", period="week")
        assert board_lines(board) == [f"**1.** {alice.mention} — 10 pts"] and you(board) == "#1 with 10 points"
        mine = await bob.slash("leaderboard", period="week")
        assert "#1 with 30 points" in you(mine) and "hidden from the public boards" in you(mine)
        refused = await alice.slash("stats", options={"member": bob.user})
        assert "chosen to keep their figures private" in refused.content
        own = await bob.slash("stats")
        assert "only you see this" in text(own)
        await award(bot, double, bob, 5, day="2026-12-02", reason="coverage")  # points still count while hidden
        shown = await bob.slash("privacy show")
        assert "back on the public boards" in shown.content
        board = await alice.slash("leaderboard", period="week")
        assert board_lines(board)[0] == f"**1.** {bob.mention} — 35 pts"


async def test_export_then_delete_after_a_confirm(discord_double: DiscordDouble, tmp_path: Path) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    alice, bob = double.member("alice"), double.member("bob")
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        _post, answers = await a_revealed_day(double, bot, clock)
        alice_points = dict(await bot.services.get(QotdService).points.entries_for(double.guild.id, alice.id))
        assert alice_points["peer_votes"] == 2

        exported = await bob.slash("privacy export")
        assert exported.ephemeral
        (file,) = exported.message.attachments
        data = json.loads(file.data)
        assert data["user_id"] == str(bob.id) and data["settings"]["hidden_from_boards"] is False
        assert [a["content"] for a in data["answers"]] == ["不太清楚"] and data["answers"][0]["votes_received"] == 1
        assert [r["emoji"] for r in data["reactions"]] == ["🔴"] and len(data["votes_given"]) == 1
        assert data["points_total"] == sum(p["points"] for p in data["points"]) > 0
        assert alice.mention not in file.data.decode() and str(alice.id) not in file.data.decode()
        # Every id is a string (snowflakes exceed 2^53), and the reply names what the file holds.

        def numbers_under_id_keys(value, key=""):
            if isinstance(value, dict):
                return [n for k, v in value.items() for n in numbers_under_id_keys(v, k)]
            if isinstance(value, list):
                return [n for v in value for n in numbers_under_id_keys(v, key)]
            return [key] if isinstance(value, int) and (key == "id" or key.endswith("_id")) else []

        assert numbers_under_id_keys(data) == [] and isinstance(data["answers"][0]["channel_id"], str)
        listed = exported.content.split("The file holds: ")[1].rstrip(".").split(", ")
        assert listed == [k for k in data if k not in ("format", "guild_id", "user_id", "exported_at")]

        asked = await bob.slash("privacy delete")
        assert asked.ephemeral and [b["label"] for b in asked.message.buttons] == ["Delete everything",
                                                                                  "Keep my data"]
        kept = await bob.click(asked.message, label="Keep my data")
        assert "Nothing was deleted" in kept.content and not kept.message.buttons
        assert await bot.services.get(QotdService).points.entries_for(double.guild.id, bob.id)

        asked = await bob.slash("privacy delete")
        done = await bob.click(asked.message, label="Delete everything")
        assert done.callback_type == "update"
        assert "Deleted: 1 answer, 1 reaction, 1 vote" in done.content and not done.message.buttons
        await done.settled()
        # Bob's answer comes off the reveal thread's message it shared with alice's; hers stays, with her button.
        (shared,) = answers
        after = double.state.message(shared.id)
        assert [e["title"].split("'s answer")[0] for e in after.embeds] == ["Alice"]
        assert [b["label"] for b in after.buttons] == ["Alice"]
        assert await bot.services.get(QotdService).points.entries_for(double.guild.id, bob.id) == []
        # Bob's 👍 on alice's answer went with his votes: her peer-vote points are recomputed, and so is the board.
        points = bot.services.get(QotdService).points
        assert dict(await points.entries_for(double.guild.id, alice.id))["peer_votes"] == 0
        board = await alice.slash("leaderboard", period="all")
        (line,) = board_lines(board)
        assert line.startswith(f"**1.** {alice.mention} — {sum(alice_points.values()) - 2} pts")
        again = json.loads((await bob.slash("privacy export")).message.attachments[0].data)
        assert again["answers"] == [] and again["points"] == [] and again["reactions"] == []


async def test_a_member_who_leaves_is_hidden_at_once_and_deleted_after_30_days(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-12-02T04:00:00"))
    alice, bob = double.member("alice"), double.member("bob")
    carol = double.add_member("carol")
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        for member, points in ((alice, 10), (bob, 20), (carol, 30)):
            await award(bot, double, member, points, day="2026-12-02")
        await leave(double, bob)
        await leave(double, carol)
        board = await alice.slash("leaderboard", period="week")
        assert board_lines(board) == [f"**1.** {alice.mention} — 10 pts"]
        clock.advance(days=10)
        await rejoin(double, carol)  # back within 30 days: everything is as it was
        board = await alice.slash("leaderboard", period="all")
        assert board_lines(board) == [f"**1.** <@{carol.id}> — 30 pts", f"**2.** {alice.mention} — 10 pts"]

        purger = bot.services.get(Purger)
        clock.set(utc("2027-01-01T03:59:00"))  # 29 days 23:59 after bob left: kept
        await purger.sweep()
        assert await bot.services.get(QotdService).points.entries_for(double.guild.id, bob.id)
        clock.set(utc("2027-01-01T04:00:00"))
        await purger.sweep()
        assert await bot.services.get(QotdService).points.entries_for(double.guild.id, bob.id) == []
        assert await bot.services.get(QotdService).points.entries_for(double.guild.id, carol.id)
        assert bot.wakeups.has("privacy:purge")
