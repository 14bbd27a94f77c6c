"""Study anywhere: the personal commands also come with a user install and work in any DM, and the withholding
rule follows the member there; every other command stays a server's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clock import FakeClock
from discord_double import DiscordDouble, InteractionResult, Member
from study_bot import study_bot_factory, utc
from test_blind_until_reveal import REVEAL, todays_question

from bot.chat.qotd.runner import QotdRunner

PERSONAL = {"practice", "review", "question", "help"}
START = utc("2026-11-30T00:00:00")


async def practise_to_the_end(member: Member, started: InteractionResult, grades: list[str]) -> InteractionResult:
    """Show each card's answer and grade it; returns the last click (the result)."""
    card = started
    for grade in grades:
        shown = await member.click(card.message, label="Show answer")
        assert shown.callback_type == "update" and len(shown.embeds) >= 1
        card = await member.click(shown.message, label=grade)
    return card


async def test_the_synced_payload_makes_the_personal_commands_user_installable_and_the_rest_guild_only(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    async with double.running(study_bot_factory(tmp_path, FakeClock(START))):
        synced = {c["name"]: c for c in double.commands()}
    assert set(synced) > PERSONAL
    for name, command in synced.items():
        if name in PERSONAL:
            assert (command["integration_types"], command["contexts"]) == ([0, 1], [0, 1, 2]), name
        else:  # qotd, quiz, boards, stats, privacy, recap, group...: installed with the server, used in it
            assert (command["integration_types"], command["contexts"]) == ([0], [0]), name


async def test_a_user_installed_practice_in_a_dm(discord_double: DiscordDouble, tmp_path: Path) -> None:
    """Done when: a member who added the app to their account practises in a DM with a friend (a private channel
    the bot is not in) and in the bot's DM; nothing counts for a server, and the grades feed their deck."""
    double = discord_double
    alice = double.member("alice")
    dave = double.add_user("dave")  # shares no server with the bot
    with_alice = double.private_channel(dave, alice)
    async with double.running(study_bot_factory(tmp_path, FakeClock(START))) as bot:
        with pytest.raises(ValueError, match="not installed for this member"):
            await dave.slash("practice", with_alice)  # not before dave adds the app
        double.install_for_user(dave)
        started = await dave.slash("practice", with_alice, options={"topic": "open", "count": 2})
        assert started.payload["context"] == 2 and started.payload["authorizing_integration_owners"] == {
            "1": str(dave.id)}
        assert "guild_id" not in started.payload
        assert started.ephemeral and started.embeds[0]["title"].startswith("Practice 1/2"), started.content
        done = await practise_to_the_end(dave, started, ["Got it", "Missed"])
        assert done.embeds[0]["title"] == "Practice done" and done.ephemeral
        assert not [m for m in double.messages(with_alice, include_ephemeral=True) if not m.ephemeral]
        runs = await bot.db.execute_fetchall("SELECT guild_id, user_id, grades FROM practice_runs")
        assert [(r[0], r[1], json.loads(r[2])) for r in runs] == [(0, dave.id, ["got", "missed"])]
        cards = await bot.db.execute_fetchall("SELECT guild_id, origin FROM review_cards WHERE user_id = ?",
                                              (dave.id,))
        assert [tuple(c) for c in cards] == [(None, "quiz"), (None, "quiz")]  # the deck is dave's, from no server
        assert not await bot.db.execute_fetchall("SELECT 1 FROM points_ledger")  # practice earns no points anywhere

        in_bot_dm = await dave.slash("practice", dave.dm, options={"count": 1})
        assert in_bot_dm.payload["context"] == 1
        assert in_bot_dm.payload["authorizing_integration_owners"] == {"0": "0", "1": str(dave.id)}
        assert in_bot_dm.ephemeral and in_bot_dm.embeds[0]["title"].startswith("Practice 1/1")
        stats = await dave.slash("review stats", with_alice)
        assert stats.ephemeral and stats.embeds


async def test_guild_features_stay_in_servers_whatever_the_member_installed(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    alice = double.member("alice")
    elsewhere = double.add_foreign_guild("Other Server", (alice,))
    with_bob = double.private_channel(alice, double.member("bob"))
    double.install_for_user(alice)
    async with double.running(study_bot_factory(tmp_path, FakeClock(START))):
        for command, where in [("qotd status", alice.dm), ("leaderboard", with_bob), ("stats", elsewhere),
                               ("quiz start", elsewhere), ("privacy export", alice.dm), ("recap preview", with_bob)]:
            with pytest.raises(ValueError, match=r"not available in|not installed"):
                await alice.slash(command, where)
        helped = await alice.slash("help", elsewhere)
        listed = json.dumps(helped.embeds)
        assert "/practice" in listed and "/review start" in listed and "/question show" in listed
        assert "/qotd" not in listed and "/leaderboard" not in listed  # not usable where she is
        assert "/qotd setup" in json.dumps((await alice.slash("help")).embeds)  # in the bot's server: all


async def test_no_reference_answer_of_a_pending_post_in_a_server_the_bot_is_not_in_or_a_private_channel(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    """Today's question is pending in Study Group: alice, its member, cannot read its answer through her own
    install, neither in a server without the bot nor in a DM with bob; after the reveal she can."""
    double = discord_double
    clock = FakeClock(START)
    alice, bob = double.member("alice"), double.member("bob")
    elsewhere = double.add_foreign_guild("Other Server", (alice,))
    with_bob = double.private_channel(alice, bob)
    double.install_for_user(alice)
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        question_id = await todays_question(double, bot, clock)
        open_topic = {q.id for q in bot.bank.in_topic("open")}
        for where in (elsewhere, with_bob):
            hidden = await alice.slash("question show", where, question_id=question_id)
            assert hidden.ephemeral and not hidden.embeds and "Answer it first" in hidden.content, where
            assert hidden.payload["authorizing_integration_owners"] == {"1": str(alice.id)}  # her own install only
            assert hidden.payload.get("guild_id") == (str(elsewhere.guild_id) if where is elsewhere else None)
            refused = await alice.slash("review add", where, question=question_id)
            assert "Answer it first" in refused.content
            practice = await alice.slash("practice", where, options={"topic": "open", "count": 4})
            assert practice.ephemeral and practice.embeds
        for guild_id, drawn in await bot.db.execute_fetchall("SELECT guild_id, question_ids FROM practice_runs"):
            assert set(json.loads(drawn)) == open_topic - {question_id}
            assert guild_id == 0  # run outside the bot's servers: counts for none of them
        assert not await bot.db.execute_fetchall("SELECT 1 FROM review_cards")
        # A card of it already in her deck is due, and stays out of a session started through her install.
        added = await alice.slash("review add", elsewhere, topic="open")
        assert added.ephemeral
        started = await alice.slash("review start", with_bob)
        assert question_id not in json.dumps(started.embeds)
        cards = await bot.db.execute_fetchall("SELECT DISTINCT guild_id FROM review_cards")
        assert [tuple(c) for c in cards] == [(None,)]  # a server the bot is not in is no server of the bot's
        clock.set(REVEAL)
        await bot.services.get(QotdRunner).sweep()
        shown = await alice.slash("question show", with_bob, question_id=question_id)
        assert shown.embeds[0]["footer"]["text"] == question_id and len(shown.embeds) >= 2


async def test_a_member_the_bot_shares_no_server_with_reads_any_answer(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    """The rule speaks for the servers a member shares with the bot: a stranger to them is withheld nothing."""
    double = discord_double
    clock = FakeClock(START)
    dave = double.add_user("dave")
    double.install_for_user(dave)
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        question_id = await todays_question(double, bot, clock)
        shown = await dave.slash("question show", dave.dm, question_id=question_id)
        assert shown.embeds[0]["footer"]["text"] == question_id
