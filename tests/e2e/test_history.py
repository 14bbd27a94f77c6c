"""/history end to end: a week of daily questions, newest first and paged; each revealed day with its reference
answer and figures, the member's own answer beside it; today's reference answer withheld until its reveal."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from clock import FakeClock
from discord_double import DiscordDouble, Message, assert_no_pings
from study_bot import study_bot_factory, utc
from test_qotd_day import only_field, setup_schedule

from bot.chat.qotd.runner import QotdRunner

# Both engines: SQLite and a fresh PostgreSQL database per test (tests/e2e/conftest.py).
pytestmark = pytest.mark.usefixtures("on_each_engine")

DAYS = 7


def fields(reply: Message) -> list[dict]:
    return reply.embeds[0].get("fields", [])


async def test_history_pages_newest_first_and_withholds_today(discord_double: DiscordDouble, tmp_path: Path) -> None:
    double = discord_double
    alice, bob = double.member("alice"), double.member("bob")
    first = utc("2026-11-24T00:00:00")  # 08:00 in Shanghai
    clock = FakeClock(first)
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        runner = bot.services.get(QotdRunner)
        await setup_schedule(double)
        questions = []
        for day in range(DAYS):
            clock.set(first + timedelta(days=day, hours=1, seconds=2))  # 09:00 local: the post
            await runner.sweep()
            post = [m for m in double.bot_messages("general")
                    if m.embeds and m.embeds[0]["title"].startswith("Question of the day")][-1]
            questions.append(next(q for q in bot.bank.questions.values()
                                  if q.prompt == post.embeds[0]["description"]))
            if day % 2 == 0:  # alice answers every other day, @everyone included (it must never ping)
                opened = await alice.click(post, label="Answer")
                await alice.submit_modal(opened.modal, {only_field(opened.modal): f"my answer on day {day} @everyone"})
            if day < DAYS - 1:
                clock.set(first + timedelta(days=day, hours=13, seconds=2))  # 21:00 local: the reveal
                await runner.sweep()

        page = await alice.slash("history")
        assert page.ephemeral
        shown = fields(page)
        assert len(shown) == 5
        dates = [f["name"].split(" · ")[0] for f in shown]
        assert dates == [f"2026-11-{30 - n}" for n in range(5)]  # newest first
        today, today_question = shown[0], questions[-1]
        assert "Reference answer" not in today["value"] and "shown at the reveal" in today["value"]
        assert "my answer on day 6" in today["value"]  # her own answer, even before the reveal
        yesterday = shown[1]
        assert "Reference answer" in yesterday["value"] and "0 answers" in yesterday["value"]
        assert "Your answer" not in yesterday["value"]
        assert "1 answer (1 before the reveal)" in shown[2]["value"] and "my answer on day 4" in shown[2]["value"]
        assert page.embeds[0]["footer"]["text"] == "Page 1"
        assert_no_pings(page.message)

        # Bob's view of the same days: the figures, but not alice's answers.
        bobs = await bob.slash("history")
        assert all("my answer" not in f["value"] for f in fields(bobs))

        older = await alice.click(page.message, label="Older ›")
        rest = fields(older)
        assert [f["name"].split(" · ")[0] for f in rest] == ["2026-11-25", "2026-11-24"]
        assert all("Reference answer" in f["value"] for f in rest)
        assert older.embeds[0]["footer"]["text"] == "Page 2"
        assert [b.get("disabled", False) for b in older.message.buttons] == [False, True]  # no page 3
        assert "someone else's" in (await bob.click(older.message, label="‹ Newer")).content

        # A topic narrows it; once today is revealed, its reference answer is there too.
        topic_id = today_question.topic_id
        topic = await alice.slash("history", options={"topic": topic_id})
        in_topic = {day for day, asked in zip([f"2026-11-{24 + n}" for n in range(DAYS)], questions, strict=True)
                    if asked.topic_id == topic_id}
        assert {f["name"].split(" · ")[0] for f in fields(topic)} == set(sorted(in_topic, reverse=True)[:5])
        clock.set(first + timedelta(days=DAYS - 1, hours=13, seconds=2))
        await runner.sweep()
        after = await alice.slash("history")
        assert "Reference answer" in fields(after)[0]["value"]
        unknown = await alice.slash("history", options={"topic": "no-such-topic"})
        assert unknown.ephemeral and "no-such-topic" in unknown.content
