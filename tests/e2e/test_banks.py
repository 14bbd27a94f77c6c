"""A server's own questions end to end: uploads refused with every problem and nothing changed, a good pack used by
the next daily question and a quiz, re-upload by id, topics turned off, and each export format read back."""

from __future__ import annotations

import asyncio
import csv
import io
import shutil
import signal
import sqlite3
import tempfile
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from clock import FakeClock
from discord_double import DiscordDouble, assert_no_pings
from study_bot import ROOT, study_bot_factory, utc
from test_qotd_day import setup_schedule

from bot.chat.qotd.runner import QotdRunner

QUESTION = """\
  - id: {id}
    prompt: {prompt}
    difficulty: 2
    answer: |
      The reference answer of {id}.
    key_points:
      - text: names the idea
        keywords: [idea, 想法]
    choices:
      options:
        - text: The right one {id}
          correct: true
        - text: A wrong one {id}
        - text: Another wrong one {id}
      explanation: Because it is right.
"""


def pack(*ids: str, prompt: str = "What is {id}?") -> bytes:
    head = "topic:\n  id: club\n  name_zh: 俱乐部\n  name_en: Club questions\n  order: 1\nquestions:\n"
    return (head + "".join(QUESTION.format(id=i, prompt=prompt.format(id=i)) for i in ids)).encode()


async def upload(double: DiscordDouble, name: str, data: bytes, who: str = "owner"):
    return await double.member(who).slash("bank upload", file=double.upload(name, data))


async def test_uploads_join_the_draw_and_exports_read_back(discord_double: DiscordDouble, tmp_path: Path) -> None:
    double = discord_double
    clock = FakeClock(utc("2026-11-30T00:00:00"))  # 08:00 in Shanghai
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        # Refused: every problem at once, with file and line, and nothing changed.
        broken = pack("club-one").replace(b"difficulty: 2", b"difficulty: 7", 1) + b"  - id: Bad_Id\n    prompt: x\n"
        refused = await upload(double, "club.yaml", broken)
        assert refused.ephemeral and "was refused; nothing changed" in refused.content
        text = refused.followups[-1].content if refused.followups else refused.content
        assert "club.yaml:9: question 'club-one': difficulty: 7 is out of range" in text
        assert "question 'Bad_Id': id: 'Bad_Id' is not a slug" in text
        assert "difficulty: is required" in text
        assert_no_pings(refused.followups[-1] if refused.followups else refused.message)
        assert not bot.bank.server(double.guild.id) or not bot.bank.server(double.guild.id).questions

        bomb = b'a: &a ["x","x","x"]\nb: &b [*a,*a,*a]\nc: [*b,*b,*b]\n'
        refused = await upload(double, "bomb.yaml", bomb)
        assert "anchors and aliases" in refused.followups[-1].content
        refused = await upload(double, "latin1.csv", "topic,id,prompt,difficulty\nclub,q,caf\xe9,1\n".encode("latin-1"))
        assert "latin1.csv:2: file: is not UTF-8 text" in refused.followups[-1].content
        refused = await upload(double, "cols.csv", b"topic,id,difficulty\nclub,q,1\n")
        assert "cols.csv:1: columns: missing column(s) prompt" in refused.followups[-1].content
        refused = await upload(double, "quote.csv", b'topic,id,prompt,difficulty\nclub,q,"never closed,1\n')
        assert "quote.csv:2: csv:" in refused.followups[-1].content
        many = "topic,id,prompt,difficulty\n" + "".join(f"club,Q{i},p,9\n" for i in range(60))
        refused = await upload(double, "many.csv", many.encode())
        (listing,) = refused.followups[-1].attachments  # long: the problems come as a text file
        assert listing.filename == "problems.txt" and listing.data.decode().count("many.csv:") >= 120
        assert bot.bank.for_guild(double.guild.id) is bot.bank.shipped  # nothing of it was kept

        # Accepted: the pack's topic joins this server's draw under a namespaced id.
        accepted = await upload(double, "club.yaml", pack("club-one", "club-two", "club-three"))
        assert "accepted" in accepted.followups[-1].content and "3 new" in accepted.followups[-1].content
        view = bot.bank.for_guild(double.guild.id)
        (club,) = [t for t in view.topics if t.name_en == "Club questions"]
        assert club.id.startswith("s") and club.id.endswith("-club")
        assert {q.id for q in view.in_topic(club.id)} == {f"{club.id[:-4]}club-{n}" for n in ("one", "two", "three")}
        assert all(q.id not in bot.bank.shipped.questions for q in view.in_topic(club.id))
        topics = await double.member("alice").slash("bank topics")
        assert "Club questions" in topics.embeds[0]["description"] and "3 questions" in topics.embeds[0]["description"]
        denied = await upload(double, "club.yaml", pack("club-one"), who="alice")
        assert "Manage Server" in denied.content

        # The next daily question comes from the pack (the schedule asks for the server's topic).
        await setup_schedule(double, topics=club.id)
        clock.set(utc("2026-11-30T01:00:02"))
        await bot.services.get(QotdRunner).sweep()
        (post,) = double.bot_messages("general")
        assert post.embeds[0]["description"].startswith("What is club-")
        posted = next(q for q in view.in_topic(club.id) if q.prompt == post.embeds[0]["description"])

        # A quiz on the topic draws the pack's questions too (but not today's, whose reveal is pending).
        quiz = await double.member("alice").slash("quiz start", double.channel("quiz"),
                                                   options={"topic": club.id, "count": 2, "kind": "choice",
                                                            "seconds": 30})
        assert "Club questions" in quiz.content
        asked = [m for m in double.bot_messages("quiz") if m.embeds and m.embeds[0]["title"].startswith("Question")]
        assert "club-" in asked[0].embeds[0]["description"] and posted.prompt not in asked[0].embeds[0]["description"]
        await double.member("alice").slash("quiz stop", double.channel("quiz"))

        # Re-upload by id: one edited, one dropped (it leaves the draw, its history keeps its text).
        dropped = next(q for q in view.in_topic(club.id) if q.id != posted.id)
        kept = [q.id.split("-", 1)[1] for q in view.in_topic(club.id) if q.id != dropped.id]
        again = await upload(double, "club.yaml", pack(*kept, prompt="Edited, what is {id}?"))
        assert "0 new, 2 updated, 0 unchanged, 1 dropped" in again.followups[-1].content
        view = bot.bank.for_guild(double.guild.id)
        assert dropped.id not in view.questions and bot.bank.get(dropped.id) is not None
        assert bot.bank.get(posted.id).prompt.startswith("Edited,")

        # Turning a question off takes it out of the draw; on again puts it back.
        off = await double.member("owner").slash("bank off", item=posted.id)
        assert "off for this server" in off.content
        assert posted.id not in bot.bank.for_guild(double.guild.id).questions
        await double.member("owner").slash("bank on", item=posted.id)
        assert posted.id in bot.bank.for_guild(double.guild.id).questions

        # Exports: never today's question before its reveal; the YAML uploads again unchanged.
        yaml_export = await double.member("alice").slash("bank export", format="yaml")
        (yaml_file,) = yaml_export.followups[-1].attachments
        assert "held back until their reveal" in yaml_export.followups[-1].content or \
            "held back until its reveal" in yaml_export.followups[-1].content
        assert posted.prompt not in yaml_file.data.decode() and b"Edited" in yaml_file.data
        clock.set(utc("2026-11-30T13:00:05"))  # past the 21:00 reveal in Shanghai
        await bot.services.get(QotdRunner).sweep()
        yaml_export = await double.member("alice").slash("bank export", format="yaml")
        (yaml_file,) = yaml_export.followups[-1].attachments
        same = await upload(double, yaml_file.filename, yaml_file.data)
        assert "0 new, 0 updated, 2 unchanged, 0 dropped" in same.followups[-1].content

        csv_export = await double.member("alice").slash("bank export", format="csv")
        (csv_file,) = csv_export.followups[-1].attachments
        rows = list(csv.DictReader(io.StringIO(csv_file.data.decode())))
        assert len(rows) == 2 and {r["topic"] for r in rows} == {"club"} and rows[0]["correct"] == "A"
        assert "unchanged" in (await upload(double, "club.csv", csv_file.data)).followups[-1].content

        apkg = await double.member("alice").slash("bank export", format="apkg", topic=club.id)
        (deck,) = apkg.followups[-1].attachments
        assert deck.filename.endswith(".apkg")
        with zipfile.ZipFile(io.BytesIO(deck.data)) as archive, tempfile.TemporaryDirectory() as folder:
            archive.extract("collection.anki2", folder)
            with sqlite3.connect(Path(folder) / "collection.anki2") as collection:
                notes = [row[0] for row in collection.execute("SELECT flds FROM notes")]
        assert len(notes) == 2 and all("Edited, what is club-" in n for n in notes)

    # After a restart the pack is read back from the database.
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        assert len(bot.bank.for_guild(double.guild.id).in_topic(club.id)) == 2


async def test_a_broken_reload_is_refused_and_the_old_bank_kept(
    discord_double: DiscordDouble, tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    double = discord_double
    bank_dir = tmp_path / "questions"
    shutil.copytree(ROOT / "questions", bank_dir)
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    async with double.running(study_bot_factory(tmp_path, clock, bank_dir=bank_dir)) as bot:
        before = len(bot.bank.shipped)
        lora = bank_dir / "lora.yaml"
        good = lora.read_text(encoding="utf-8")
        lora.write_text(good.replace("    difficulty: 2", "    difficulty: 9", 1), encoding="utf-8")
        denied = await double.member("alice").slash("bank reload")
        assert "Only the bot's owner" in denied.content
        refused = await double.member("owner").slash("bank reload")
        text = refused.followups[-1].content
        assert "was not reloaded; the old bank" in text and "questions/lora.yaml:" in text
        assert "difficulty: 9 is out of range" in text
        assert len(bot.bank.shipped) == before
        assert any("bank reload refused" in r.message and "lora.yaml:" in r.getMessage() for r in caplog.records)

        extra = good.replace("  - id: ", "  - id: lora-reloaded-copy\n    prompt: A question added by a reload\n"
                                           "    difficulty: 1\n  - id: ", 1)
        lora.write_text(extra, encoding="utf-8")
        done = await double.member("owner").slash("bank reload")
        assert f"Reloaded the shipped bank: {before + 1} questions" in done.followups[-1].content
        assert bot.bank.for_guild(double.guild.id).get("lora-reloaded-copy") is not None


async def test_a_suggestion_accepted_after_a_restart(discord_double: DiscordDouble, tmp_path: Path) -> None:
    double = discord_double
    review = double.add_channel("review")
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    factory = study_bot_factory(tmp_path, clock)
    alice, bob, owner = double.member("alice"), double.member("bob"), double.member("owner")
    form = {"prompt": "Why does @everyone warm up the learning rate?", "answer": "Early steps are unstable.",
            "key_points": "stabilises early training | warm-up; unstable", "topic": "llm", "difficulty": "2"}
    async with double.running(factory) as bot:
        opened = await alice.slash("suggest")
        bad = await alice.submit_modal(opened.modal, {**form, "difficulty": "7"})
        assert "cannot be sent yet" in bad.content and "difficulty: 7 is out of range" in bad.content
        assert "Early steps are unstable." in bad.followups[-1].embeds[0]["description"]  # handed back
        sent = await alice.submit_modal((await alice.slash("suggest")).modal, form)
        assert "saved" in sent.content  # no review channel yet: kept, posted once one is chosen
        chosen = await owner.slash("bank review-channel", options={"channel": review})
        assert "1 pending suggestion posted" in chosen.followups[-1].content
        second = await bob.submit_modal((await bob.slash("suggest")).modal, {**form, "prompt": "A weak one?"})
        assert "with the managers" in second.content
    posts = double.bot_messages("review")
    assert len(posts) == 2 and all(assert_no_pings(p) is None for p in posts)
    first, weak = posts

    async with double.running(factory) as bot:  # a restart: the buttons keep working
        refused = await alice.click(first, label="Accept")
        assert "Only members with Manage Server" in refused.content
        edit = await owner.click(first, label="Edit")
        assert edit.modal.field("prompt")["value"] == form["prompt"]
        edited = await owner.submit_modal(edit.modal, {**form, "prompt": "Why warm up the learning rate?"})
        assert edited.callback_type == "update"
        accepted = await owner.click(first, label="Accept")
        assert "Accepted by" in accepted.message.text and not accepted.message.buttons
        view = bot.bank.for_guild(double.guild.id)
        (question,) = [q for q in view.in_topic("llm") if q.prompt == "Why warm up the learning rate?"]
        assert bot.bank.credit(question.id) == alice.id and question.id not in bot.bank.shipped.questions
        await double.wait_until(lambda: any("was accepted" in m.content for m in double.dms(alice)), what="DM")

        rejecting = await owner.click(weak, label="Reject")
        rejected = await owner.submit_modal(rejecting.modal, {next(iter(rejecting.modal.fields)): "Too vague"})
        assert "Rejected by" in rejected.message.text
        await double.wait_until(lambda: any("Too vague" in m.content for m in double.dms(bob)), what="DM")
        again = await owner.click(first, label="Accept") if first.buttons else None
        assert again is None or "already decided" in again.content


async def test_managers_are_told_once_a_pass_when_a_week_of_questions_is_left(
        discord_double: DiscordDouble, tmp_path: Path) -> None:
    double = discord_double
    first = utc("2026-11-30T00:00:00")  # 08:00 in Shanghai
    clock = FakeClock(first)
    owner = double.member("owner")

    def low_pool_notices() -> list[str]:
        return [m.content for m in double.dms(owner) if "left; after that the questions start again" in m.content]

    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        await upload(double, "club.yaml", pack("club-one", "club-two", "club-three"))
        (club,) = [t for t in bot.bank.for_guild(double.guild.id).topics if t.name_en == "Club questions"]
        await setup_schedule(double, topics=club.id)
        runner = bot.services.get(QotdRunner)
        told = []
        for day in range(5):
            clock.set(first + timedelta(days=day, hours=1, seconds=2))
            await runner.sweep()
            clock.set(first + timedelta(days=day, hours=13, seconds=2))
            await runner.sweep()
            told.append(len(low_pool_notices()))

        # Day 1 leaves 2 unused: told. Days 2 and 3 finish the pass: not again. Day 4 starts a new pass: told again.
        assert told == [1, 1, 1, 2, 2]
        assert "2 unused questions left" in low_pool_notices()[0] and "/bank upload" in low_pool_notices()[0]
        assert f"<#{double.channel('general').id}>" in low_pool_notices()[0]


async def test_sighup_reloads_the_shipped_bank_in_the_running_process(
        discord_double: DiscordDouble, tmp_path: Path) -> None:
    """The operator's path: `kill -HUP` the bot process. A broken bank is refused with file and line in the log and
    the bot keeps running on the old one; a good one is taken without a restart."""
    from datetime import UTC, datetime

    from bot_process import BotProcess, simulated_clock

    bank_dir = tmp_path / "questions"
    shutil.copytree(ROOT / "questions", bank_dir)
    bot = BotProcess(discord_double, tmp_path, simulated_clock(datetime(2026, 11, 30, tzinfo=UTC), 1))
    bot.env["BANK_DIR"] = str(bank_dir)

    with discord_double.serving_process():
        await bot.start()
        try:
            await bot.ready()
            await reload_twice(bot, bank_dir)
        finally:
            if bot.running:
                await bot.kill()


async def reload_twice(bot, bank_dir: Path) -> None:
    """A broken bank then a good one, each sent by SIGHUP; the bot stops cleanly after."""

    async def logged(text: str) -> str:
        for _ in range(500):
            if text in bot.log_text():
                return bot.log_text()
            await asyncio.sleep(0.02)
        raise AssertionError(f"{text!r} never logged:\n{bot.log_tail()}")

    lora = bank_dir / "lora.yaml"
    good = lora.read_text(encoding="utf-8")
    lora.write_text(good.replace("    difficulty: 2", "    difficulty: 9", 1), encoding="utf-8")
    bot.process.send_signal(signal.SIGHUP)
    log = await logged("bank reload refused")
    assert "lora.yaml:" in log and "difficulty: 9 is out of range" in log
    assert bot.running

    lora.write_text(good.replace("  - id: ", "  - id: lora-reloaded-copy\n    prompt: Added by a reload\n"
                                            "    difficulty: 1\n  - id: ", 1), encoding="utf-8")
    bot.process.send_signal(signal.SIGHUP)
    await logged("bank reloaded:")
    assert bot.running
    assert await bot.terminate() == 0
