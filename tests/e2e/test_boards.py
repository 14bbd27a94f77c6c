"""Leaderboards end to end: periods in the guild's time zone, pages, ties, the caller's own rank, topics, quiz
points in or out, study groups by role and by channel, and groups ranked against each other."""

from __future__ import annotations

from pathlib import Path

from board_seed import award, board_lines, button, text, you
from clock import FakeClock
from discord_double import DiscordDouble, assert_no_pings
from study_bot import study_bot_factory, utc
from test_qotd_day import setup_schedule

from bot.chat.qotd.runner import QotdRunner


async def test_leaderboard_pages_ties_and_the_callers_own_rank(discord_double: DiscordDouble, tmp_path: Path) -> None:
    double = discord_double
    # 04:00 on Monday 2026-11-30 in Shanghai, still Sunday 2026-11-29 in UTC: the week is Shanghai's W49.
    clock = FakeClock(utc("2026-11-29T20:00:00"))
    alice, bob = double.member("alice"), double.member("bob")
    others = [double.add_member(f"member{n:02d}") for n in range(12)]
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        await setup_schedule(double)  # the guild's first schedule sets its time zone: Asia/Shanghai
        for n, member in enumerate(others):
            await award(bot, double, member, 100 - 5 * n, day="2026-11-30")  # 100, 95, ... 45
        await award(bot, double, others[11], 5, day="2026-11-30", reason="coverage")  # ties member10 at 50
        await award(bot, double, bob, 50, day="2026-11-30", topic="lora")  # a three-way tie at 50
        await award(bot, double, alice, 20, day="2026-11-30")
        await award(bot, double, alice, 500, day="2026-11-23", source_id=2)  # last week: not on this week's board
        await award(bot, double, bob, 30, day="2026-11-30", source="quiz", reason="quiz_correct", source_id=9)

        first = await alice.slash("leaderboard", period="week")
        assert first.ephemeral and "this week (2026-W49)" in first.embeds[0]["title"]
        lines = board_lines(first)
        assert len(lines) == 10
        assert lines[0] == f"**1.** {others[0].mention} — 100 pts"
        # bob's 50 daily + 30 quiz points tie with member04's 80: both 5th, and the next is 7th.
        assert lines[4:6] == [f"**5.** {bob.mention} — 80 pts", f"**5.** {others[4].mention} — 80 pts"]
        assert [line.split("**")[1] for line in lines] == ["1.", "2.", "3.", "4.", "5.", "5.", "7.", "8.", "9.",
                                                           "10."]
        assert you(first) == "#14 with 20 points"  # outside the top 10, still shown
        assert button(first, "Previous").get("disabled") and not button(first, "Next").get("disabled")
        assert first.message is not None
        assert_no_pings(first.message)

        second = await alice.click(first.message, label="Next")
        assert second.callback_type == "update"
        lines = board_lines(second)
        assert lines == [f"**11.** {others[9].mention} — 55 pts", f"**12.** {others[10].mention} — 50 pts",
                         f"**12.** {others[11].mention} — 50 pts", f"**14.** {alice.mention} — 20 pts"]
        assert "Page 2" in text(second) and button(second, "Next").get("disabled")
        back = await alice.click(second.message, label="Previous")
        assert board_lines(back)[0].startswith("**1.**")

        # Quiz points out: bob falls to a three-way tie at 50 with member10 and member11.
        daily = await alice.slash("leaderboard", period="week", points="daily")
        assert f"**11.** {bob.mention} — 50 pts" in board_lines(await alice.click(daily.message, label="Next"))
        quiz = await alice.slash("leaderboard", period="week", points="quiz")
        assert board_lines(quiz) == [f"**1.** {bob.mention} — 30 pts"]
        assert you(quiz) == "You have no points in this period yet."

        # By topic, with autocomplete over the bank's topics.
        choices = await alice.autocomplete("leaderboard", focused="topic", topic="lo")
        assert "lora" in [c.value for c in choices]
        lora = await alice.slash("leaderboard", period="week", topic="lora")
        assert board_lines(lora) == [f"**1.** {bob.mention} — 50 pts"] and "Topic: LoRA" in text(lora)
        unknown = await alice.slash("leaderboard", topic="nope")
        assert unknown.ephemeral and "no topic `nope`" in unknown.content

        # Other periods: all time counts last week too; today is Shanghai's Monday.
        all_time = await alice.slash("leaderboard", period="all")
        assert board_lines(all_time)[0] == f"**1.** {alice.mention} — 520 pts" and you(all_time) == "#1 with 520 points"
        today = await alice.slash("leaderboard", period="day")
        assert "today (2026-11-30)" in today.embeds[0]["title"] and len(board_lines(today)) == 10


async def test_streaks_show_on_the_board_from_the_daily_question(discord_double: DiscordDouble,
                                                                  tmp_path: Path) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    alice = double.member("alice")
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        await setup_schedule(double)
        for day in ("2026-11-30", "2026-12-01"):
            clock.set(utc(f"{day}T01:00:00"))
            await bot.services.get(QotdRunner).sweep()
            post = double.bot_messages("general")[-1] if day == "2026-11-30" else next(
                m for m in double.bot_messages("general") if m.embeds and day in m.embeds[0]["title"])
            modal = (await alice.click(post, label="Answer")).modal
            await alice.submit_modal(modal, {next(iter(modal.fields)): "我的回答"})
            clock.set(utc(f"{day}T13:00:00"))
            await bot.services.get(QotdRunner).sweep()
        board = await alice.slash("leaderboard", period="week")
        (line,) = board_lines(board)
        assert line.startswith(f"**1.** {alice.mention} — ") and line.endswith("🔥 2d")


async def test_group_boards_by_role_and_by_channel(discord_double: DiscordDouble, tmp_path: Path) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-12-02T04:00:00"))
    nlp = double.add_role("NLP")
    alice, bob = double.member("alice"), double.member("bob")
    carol = double.add_member("carol", roles=(nlp,))
    dave = double.add_member("dave", roles=(nlp,))
    double.guild.members[alice.id].role_ids.append(nlp.id)
    owner = double.member("owner")
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        await setup_schedule(double, channel=double.channel("quiz"), timezone="UTC", reveal="2h")
        for member, points in ((alice, 30), (bob, 90), (carol, 10), (dave, 20)):
            await award(bot, double, member, points, day="2026-12-02")
        added = await owner.slash("group add", name="NLP crew", role=nlp)
        assert added.ephemeral and "Study group **NLP crew**" in added.content
        refused = await owner.slash("group add", options={"name": "Nowhere", "channel": double.channel("general")})
        assert "has no daily question" in refused.content
        both = await owner.slash("group add", options={"name": "Both", "role": nlp, "channel": double.channel("quiz")})
        assert "Pick exactly one" in both.content
        again = await owner.slash("group add", name="nlp CREW", role=nlp)
        assert "exists" in again.content

        # Bob answered in #quiz: that channel's group is its answerers.
        clock.set(utc("2026-12-02T09:00:00"))
        await bot.services.get(QotdRunner).sweep()
        post = double.bot_messages("quiz")[-1]
        modal = (await bob.click(post, label="Answer")).modal
        await bob.submit_modal(modal, {next(iter(modal.fields)): "answer"})
        await owner.slash("group add", options={"name": "Quiz channel", "channel": double.channel("quiz")})

        names = await alice.autocomplete("leaderboard", focused="group", group="nlp")
        assert [c.value for c in names] == ["NLP crew"]
        in_group = await alice.slash("leaderboard", period="week", group="NLP crew")
        assert board_lines(in_group) == [f"**1.** {alice.mention} — 30 pts", f"**2.** <@{dave.id}> — 20 pts",
                                         f"**3.** <@{carol.id}> — 10 pts"]
        assert "Group: NLP crew" in text(in_group) and you(in_group) == "#1 with 30 points"
        outsider = await bob.slash("leaderboard", period="week", group="NLP crew")
        assert you(outsider) == "You are not in this group."

        # Before the reveal not even the fact that Bob answered shows: the channel's group has nobody yet.
        early = (await alice.slash("groups", period="week")).embeds[0]["description"]
        assert "0 total · 0 active" in early.split("Quiz channel")[1].splitlines()[0]
        assert you(await bob.slash("leaderboard", period="week", group="Quiz channel")) == "You are not in this group."
        clock.set(utc("2026-12-02T11:00:00"))  # the reveal
        await bot.services.get(QotdRunner).sweep()

        ranked = await alice.slash("groups", period="week")
        description = ranked.embeds[0]["description"]
        # Quiz channel: 90 from one active member; NLP crew: 60 from three (20 each). Size alone does not win.
        assert description.index("Quiz channel") < description.index("NLP crew")
        assert "90.0 per active member · 90 total · 1 active" in description
        assert "20.0 per active member · 60 total · 3 active" in description

        removed = await owner.slash("group remove", name="Quiz channel")
        assert "removed" in removed.content
        gone = await alice.slash("leaderboard", group="Quiz channel")
        assert "no study group named" in gone.content
