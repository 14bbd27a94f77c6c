"""Blind until the reveal: today's reference answer reaches nobody, by any path, before the reveal.

Each path a member could use to read the answer of a question whose daily post is not yet revealed is tried
here, and each is refused (or the question left out) until the reveal; after it, the same path works.
"""

from __future__ import annotations

import json
from pathlib import Path

from clock import FakeClock
from discord import app_commands
from discord_double import DiscordDouble
from study_bot import study_bot_factory, utc
from test_qotd_day import question_of, setup_schedule

from bot.chat.qotd.runner import QotdRunner
from bot.chat.shared.permissions import has_default_permissions
from bot.services.review import ReviewService

POST = utc("2026-11-30T01:00:00")  # 09:00 in Shanghai
REVEAL = utc("2026-11-30T13:00:00")  # 21:00 in Shanghai


async def todays_question(double: DiscordDouble, bot, clock: FakeClock) -> str:
    """Set up the daily question on the 4-question topic `open`, post it, and return its id."""
    await setup_schedule(double, topics="open")
    clock.set(POST)
    await bot.services.get(QotdRunner).sweep()
    (post,) = double.bot_messages("general")
    return question_of(bot.bank, post).id


async def test_question_show_is_withheld_in_the_server_and_in_a_dm_until_the_reveal(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    alice = double.member("alice")
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        question_id = await todays_question(double, bot, clock)
        for where in (double.channel("general"), alice.dm):  # a DM has no server: every shared server counts
            hidden = await alice.slash("question show", where, question_id=question_id)
            assert hidden.ephemeral and not hidden.embeds, where
            assert "Answer it first" in hidden.content and f"<t:{int(REVEAL.timestamp())}:R>" in hidden.content
        clock.set(REVEAL)
        await bot.services.get(QotdRunner).sweep()
        shown = await alice.slash("question show", alice.dm, question_id=question_id)
        assert shown.embeds[0]["footer"]["text"] == question_id and len(shown.embeds) >= 2  # question + answer


async def test_review_add_and_review_cards_wait_for_the_reveal(discord_double: DiscordDouble, tmp_path: Path) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    alice = double.member("alice")
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        question_id = await todays_question(double, bot, clock)
        refused = await alice.slash("review add", question=question_id)
        assert refused.ephemeral and "Answer it first" in refused.content
        assert not await bot.db.execute_fetchall("SELECT 1 FROM review_cards")
        # A card of the question that was in the deck already (from an earlier quiz, say) is due, but not shown.
        service = bot.services.get(ReviewService)
        await service.add_question(alice.id, double.guild.id, question_id, POST, scope=[])
        for where in (double.channel("general"), alice.dm):
            started = await alice.slash("review start", where)
            assert started.embeds[0]["description"] == "Nothing is due right now.", where
        clock.set(REVEAL)
        await bot.services.get(QotdRunner).sweep()
        started = await alice.slash("review start", alice.dm)
        assert started.embeds[0]["footer"]["text"].endswith(question_id) or question_id in json.dumps(started.embeds)


async def test_quiz_and_practice_draws_leave_out_the_unrevealed_question(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    alice = double.member("alice")
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        question_id = await todays_question(double, bot, clock)
        open_topic = {q.id for q in bot.bank.in_topic("open")}
        practice = await alice.slash("practice", options={"topic": "open", "count": 4})
        assert practice.ephemeral and practice.embeds, practice.content
        (run,) = await bot.db.execute_fetchall("SELECT question_ids FROM practice_runs")
        assert set(json.loads(run[0])) == open_topic - {question_id}
        await alice.slash("quiz start", double.channel("quiz"),
                          options={"topic": "open", "count": 4, "kind": "open", "seconds": 60})
        drawn = {row[0] for row in await bot.db.execute_fetchall("SELECT question_id FROM quiz_items")}
        assert drawn == open_topic - {question_id}
        # While the quiz runs, its questions are withheld from private practice too (their answers come at each
        # close, in public): nothing of the topic is left to practise.
        refused = await alice.slash("practice", options={"topic": "open", "count": 4})
        assert not refused.embeds


async def test_admin_commands_check_manage_server_themselves(discord_double: DiscordDouble, tmp_path: Path) -> None:
    """A server may grant /qotd to a role in one channel; the bot still refuses a member without Manage Server
    (the command takes a `channel:` and could reconfigure another channel's schedule)."""
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    alice = double.member("alice")
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        guarded = {c.qualified_name for c in bot.tree.walk_commands()
                   if isinstance(c, app_commands.Command) and has_default_permissions in c.checks}
        assert {"qotd setup", "qotd now", "qotd skip", "group add", "recap config"} <= guarded
        attempts = [
            ("qotd setup", {"channel": double.channel("quiz"), "post_time": "09:00", "timezone": "UTC",
                            "reveal": "2h"}),
            ("qotd now", {"channel": double.channel("general")}),
            ("group add", {"name": "Mine", "channel": double.channel("quiz")}),
        ]
        for command, options in attempts:
            refused = await alice.slash(command, options=options)
            assert refused.ephemeral and "needs: Manage Server" in refused.content, (command, refused.content)
        assert not await bot.db.execute_fetchall("SELECT 1 FROM schedules")
        assert not await bot.db.execute_fetchall("SELECT 1 FROM study_groups")
        assert not double.bot_messages("general")
        await setup_schedule(double)  # the owner may
        assert len(await bot.db.execute_fetchall("SELECT 1 FROM schedules")) == 1
