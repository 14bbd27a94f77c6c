"""Killing the real bot process through a day: every acknowledged answer stays, nothing is sent twice.

The bot runs as an operator runs it (`python -m bot run`, pointed at the Discord double, on a simulated clock at
60× so the day takes a minute and a half) and is killed with SIGKILL 30+ times: at random instants (start-up
included) and at the moments that matter: between Discord accepting a message and the bot recording it (the
post, a reveal part, the k-th message of the answers thread, a quiz message), and just after an answer was
acknowledged. Members keep doing what members do meanwhile, including while the bot is down.

The seed is printed; `KILL_TEST_SEED=<seed>` replays its plan (the kill delays, who answers when, what they pick;
the instants the process reaches under load differ from run to run).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from answers import strong_answer
from bot_process import BotProcess, simulated_clock
from discord_double import DiscordDouble, Message, NoResponse
from discord_double.faults import Hold
from study_bot import ROOT, utc
from test_qotd_day import only_field, question_of

from bot.bank import load_bank
from bot.domain.scoring import PointsRules, vote_award
from bot.services.qotd import CONFIDENCE_EMOJI

SPEED = 60  # one real second is one simulated minute
START = utc("2026-11-30T00:53:00")  # 08:53 in Shanghai
POST = utc("2026-11-30T01:00:00")  # the schedule's 09:00
REVEAL = POST + timedelta(minutes=60)
MEMBERS = 56
LATE_MEMBERS = 4  # they answer after the reveal
KILLS = 32
# The moments every run kills at (the killing goes on until each has happened, up to a minute more).
REQUIRED_KILLS = {"post accepted, not recorded", "a reveal part accepted, not recorded",
                  "just after an answer was acknowledged"}
CONFIDENCE = CONFIDENCE_EMOJI
BANK = load_bank([ROOT / "questions"]).bank



@dataclass
class Day:
    """What the members saw acknowledged, and why each kill happened."""

    # member -> (text, "on time" | "late" | "saved, reply lost": the bot died before its reply, and the next press
    # of Answer said the answer can no longer change, which tells the member it is stored)
    answers: dict[str, tuple[str, str]] = field(default_factory=dict)
    picks: dict[tuple[str, int], str] = field(default_factory=dict)  # (member, question number) -> letter
    # every letter pressed: a pick can be stored and the bot killed before its reply (then the question may close
    # before the member tries again, and the member is never told)
    picks_tried: dict[tuple[str, int], set[str]] = field(default_factory=dict)
    votes_tried: set[tuple[str, str]] = field(default_factory=set)  # (voter, author's name)
    votes: set[tuple[str, str]] = field(default_factory=set)  # acknowledged
    kills: list[str] = field(default_factory=list)
    kill_now: asyncio.Event = field(default_factory=asyncio.Event)
    reason: str = ""

    def trigger(self, reason: str) -> None:
        self.reason = reason
        self.kill_now.set()


class Clocked:
    """Real-time instants of the simulated timeline."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.origin = loop.time()

    def at(self, instant) -> float:
        return self.origin + (instant - START).total_seconds() / SPEED

    async def until(self, instant) -> None:
        await asyncio.sleep(max(0.0, self.at(instant) - self.loop.time()))


def the_post(double: DiscordDouble) -> Message | None:
    return next((m for m in double.bot_messages("general") if any(
        b.get("label") == "Answer" for b in m.buttons)), None)


def said(reply: object | None) -> str:
    """What the bot replied, content and embeds."""
    if reply is None:
        return ""
    return " ".join([reply.content or "", *(e.get("description", "") for e in reply.embeds)])


async def attempt(action) -> object | None:
    """One try at what a member does; None when the bot did not answer (it was down, or died on it)."""
    try:
        return await action()
    except (NoResponse, TimeoutError, LookupError):
        return None


async def answer_until_acknowledged(double: DiscordDouble, day: Day, name: str, text: str,
                                    ack_kills: list[str]) -> None:
    member = double.member(name)
    while name not in day.answers:
        post = the_post(double)
        if post is None or not double.bot_connected:
            await asyncio.sleep(0.1)
            continue
        opened = await attempt(lambda post=post: member.click(double.state.message(post.id), label="Answer"))
        form = getattr(opened, "modal", None)
        reply = await attempt(lambda form=form: member.submit_modal(form, {only_field(form): text})) if form else None
        content = said(reply)
        if "late answer is saved" in content:
            day.answers[name] = (text, "late")
        elif "answer is saved" in content or "answer is updated" in content:
            day.answers[name] = (text, "on time")
        elif "can no longer change" in content:  # saved on time, the reply lost with the bot: the reveal has it
            day.answers[name] = (text, "saved, reply lost")
        else:
            await asyncio.sleep(0.2)
            continue
        if ack_kills:  # the moment that matters: just after an acknowledgement
            day.trigger(ack_kills.pop())


async def react_meanwhile(double: DiscordDouble, day: Day, rng: random.Random, clocked: Clocked,
                          names: list[str]) -> None:
    """Confidence reactions during the answer window, whether the bot is up or not (Discord keeps them either
    way), then 👍 votes on the revealed answers (buttons: a press while the bot is down fails in front of the
    member, who presses again)."""
    loop = asyncio.get_running_loop()
    while loop.time() < clocked.at(REVEAL) - 2:
        post = the_post(double)
        if post is not None:
            member = double.member(rng.choice(names))
            emoji = rng.choice(CONFIDENCE)
            if rng.random() < 0.8:
                await member.react(double.state.message(post.id), emoji, wait=False)
            else:
                await member.unreact(double.state.message(post.id), emoji, wait=False)
        await asyncio.sleep(rng.uniform(0.05, 0.4))
    await clocked.until(REVEAL)
    while loop.time() < clocked.at(REVEAL + timedelta(minutes=16)):
        carrying = [m for t in double.threads("general") for m in double.messages(t)
                    if m.author_id == double.bot_id and m.embeds and m.buttons]
        if carrying and double.bot_connected:
            message = rng.choice(carrying)
            author = rng.choice(message.buttons)["label"]
            voter = rng.choice([n for n in names if n != author])
            day.votes_tried.add((voter, author))
            reply = await attempt(lambda voter=voter, message=message, author=author: double.member(voter).click(
                double.state.message(message.id), label=author))
            if "counted" in said(reply) or "already gave" in said(reply):
                day.votes.add((voter, author))
        await asyncio.sleep(rng.uniform(0.02, 0.15))


async def play_the_quiz(double: DiscordDouble, day: Day, rng: random.Random, clocked: Clocked,
                        names: list[str]) -> None:
    await clocked.until(POST + timedelta(minutes=8))
    starter = double.member(names[0])
    while True:
        if double.bot_connected:
            reply = await attempt(lambda: starter.slash("quiz start", double.channel("quiz"), options={
                "topic": "rag", "count": 2, "kind": "choice", "seconds": 300}))
            content = said(reply)
            if content.startswith("Quiz on") or "already" in content:
                break
        await asyncio.sleep(0.2)

    def over() -> bool:
        return any(m.embeds and m.embeds[0].get("title", "").startswith("Quiz results")
                   for m in double.bot_messages("quiz"))

    async def pick(name: str, number: int) -> None:
        member = double.member(name)
        while (name, number) not in day.picks and not over():
            question = next((m for m in double.bot_messages("quiz") if m.embeds and m.embeds[0].get(
                "title", "").startswith(f"Question {number}/2")), None)
            if question is None or not double.bot_connected:
                await asyncio.sleep(0.1)
                continue
            if any(b.get("disabled") for b in double.state.message(question.id).buttons):
                return  # closed before this member got to it
            letter = rng.choice("ABCD")
            day.picks_tried.setdefault((name, number), set()).add(letter)
            reply = await attempt(lambda question=question, letter=letter: member.click(
                double.state.message(question.id), label=letter))
            content = said(reply)
            if "Your pick is in" in content:
                day.picks[(name, number)] = letter
            elif "already picked" in content:
                day.picks[(name, number)] = content.split("**")[1]
            elif "closed" in content:
                return
            else:
                await asyncio.sleep(0.2)

    for number in (1, 2):
        await asyncio.gather(*(pick(name, number) for name in names[1:11]))


async def kill_through_the_day(double: DiscordDouble, bot: BotProcess, day: Day, rng: random.Random,
                               clocked: Clocked, holds: list[tuple[str, Hold]]) -> None:
    """SIGKILL, restart, again: on triggers (a held message, an acknowledgement) and at random instants."""
    loop = asyncio.get_running_loop()
    end = clocked.at(REVEAL + timedelta(minutes=15))
    while len(day.kills) < KILLS or loop.time() < end or not set(day.kills) >= REQUIRED_KILLS:
        t0 = loop.time()
        await bot.start()
        t1 = loop.time()
        day.kill_now.clear()
        # random instants, start-up included; later in the day, longer spells up
        delay = rng.uniform(0.3, 5.5) if len(day.kills) < KILLS else rng.uniform(3.0, 8.0)
        deadline = loop.time() + delay
        while loop.time() < deadline and not day.kill_now.is_set():
            for label, hold in holds:
                if hold.held and label not in day.kills:
                    day.trigger(label)
            await asyncio.sleep(0.01)
        t2 = loop.time()
        await bot.kill()
        day.kills.append(day.reason if day.kill_now.is_set() else f"random after {delay:.1f} s")
        print(f"{loop.time() - clocked.origin:6.1f} s kill {len(day.kills)}: {day.kills[-1]}; "
              f"{len(day.answers)} answers acknowledged; spawn {t1 - t0:.2f} up {t2 - t1:.2f} "
              f"kill {loop.time() - t2:.2f}", flush=True)
        day.reason = ""
        if loop.time() > end + 60:
            raise AssertionError(f"the day did not finish: {day.kills}")


@pytest.mark.timeout(240)
async def test_killed_with_sigkill_through_a_day_nothing_is_lost_or_doubled(
    discord_double: DiscordDouble, tmp_path: Path, processes: list[BotProcess],
) -> None:
    seed = int(os.environ.get("KILL_TEST_SEED") or random.randrange(10**6))
    print(f"kill test seed: {seed} (KILL_TEST_SEED={seed} replays it)")
    rng = random.Random(seed)
    double = discord_double
    names = [f"m{i:02d}" for i in range(MEMBERS)]
    for name in names:
        double.add_member(name)
    clock = simulated_clock(START, SPEED)
    loop = asyncio.get_running_loop()
    clocked = Clocked(loop)
    bot = BotProcess(double, tmp_path, clock)
    processes.append(bot)
    day = Day()

    with double.serving_process():
        await bot.start()
        await bot.ready()
        reply = await double.member("owner").slash("qotd setup", options={
            "channel": double.channel("general"), "post_time": "09:00", "timezone": "Asia/Shanghai",
            "reveal": "60m", "language": "en"})
        assert "Daily question set for" in reply.content, reply.content
        await bot.kill()
        day.kills.append("after set-up")

        general = double.channel("general")
        holds = [("post accepted, not recorded", double.faults.hold_after_accept(general))]
        killer = asyncio.create_task(kill_through_the_day(double, bot, day, rng, clocked, holds))
        await double.wait_until(lambda: the_post(double) is not None, timeout=60, what="the daily post")
        question = question_of(BANK, the_post(double))
        thread_id = the_post(double).id  # a thread on a message has the message's id

        ack_kills = ["just after an answer was acknowledged"] * 3
        late_kills = ["just after a late answer was acknowledged"]
        late = names[-LATE_MEMBERS:]

        async def member_day(name: str) -> None:
            if name in late:  # they answer after seeing the reveal
                delay = rng.uniform(0.5, 8)
                await double.wait_until(lambda: bool(double.threads("general")), timeout=120, what="the reveal")
                await asyncio.sleep(delay)
            else:
                await asyncio.sleep(rng.uniform(0.5, 35))
            await answer_until_acknowledged(double, day, name, strong_answer(question, f"{name}: "),
                                            late_kills if name in late else ack_kills)

        async def arm_reveal_holds() -> None:
            await clocked.until(REVEAL - timedelta(minutes=1))
            holds.append(("a reveal part accepted, not recorded", double.faults.hold_after_accept(general)))
            first, second = rng.randrange(2, 20), rng.randrange(25, 45)
            holds.append((f"thread message {first + 1} accepted, not recorded",
                          double.faults.hold_after_accept(thread_id, skip=first)))
            holds.append((f"thread message {second + 1} accepted, not recorded",
                          double.faults.hold_after_accept(thread_id, skip=second)))

        async def arm_quiz_hold() -> None:
            await clocked.until(POST + timedelta(minutes=9))
            holds.append(("a quiz message accepted, not recorded",
                          double.faults.hold_after_accept(double.channel("quiz"), skip=1)))

        players = asyncio.gather(*(member_day(name) for name in names),
                                 react_meanwhile(double, day, rng, clocked, names),
                                 play_the_quiz(double, day, rng, clocked, names),
                                 arm_reveal_holds(), arm_quiz_hold())
        try:
            await killer
            print(f"{len(day.kills)} kills: {Counter(day.kills).most_common()}")
            double.faults.clear()
            # The last start runs undisturbed until the day is done, then stops as Docker stops it.
            await bot.start()
            await bot.ready()
            try:
                await asyncio.wait_for(asyncio.shield(players), timeout=60)
            except TimeoutError:
                waiting = sorted(set(names) - set(day.answers))
                raise AssertionError(f"members still waiting for the bot: {waiting}; picks {len(day.picks)}\n"
                                     f"{bot.log_tail()}") from None
        finally:
            for task in (killer, players):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        database = tmp_path / "bot.sqlite3"
        await until_finished(database, day, timeout=30)
        assert await bot.terminate() == 0, bot.log_tail()
    double.take_violations("interaction.deadline")  # members whose click the bot died on (they tried again)
    check_the_day(double, database, day, question, thread_id)
    assert len(day.kills) >= 30
    late_answers = rows(database, "SELECT count(*) FROM answers WHERE late = 1")[0][0]
    assert len(day.answers) - late_answers >= 50 and late_answers >= 1
    assert sum(k.startswith("random") for k in day.kills) >= 15
    assert set(day.kills) >= REQUIRED_KILLS
    assert "Traceback" not in bot.log_text().split(f"===== start {bot.starts} =====")[-1], bot.log_tail()


def rows(database: Path, sql: str, *args: object) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(database)) as conn:
        return conn.execute(sql, args).fetchall()


def unfinished(database: Path, day: Day) -> list[str]:
    """What of the day's end is not in the database yet: the reveal with its grade prompt, every acknowledged
    late answer in the thread, the quiz over."""
    revealed = rows(database, "SELECT count(*) FROM posts WHERE status = 'revealed' AND reveal_prompt_id IS NOT NULL")
    unposted = rows(database, "SELECT count(*) FROM answers WHERE reveal_message_id IS NULL")
    quizzes = rows(database, "SELECT count(*) FROM quizzes WHERE status IN ('running', 'grading')")
    return [what for what, done in (("the reveal and its grade prompt", revealed == [(1,)]),
                                    (f"answers not in the thread: {unposted[0][0]}", unposted == [(0,)]),
                                    ("the quiz", quizzes == [(0,)]), ("any answer", bool(day.answers))) if not done]


async def until_finished(database: Path, day: Day, *, timeout: float) -> None:
    """Wait for the day's end in the database. The bot records each step just after Discord accepts it, so the
    double's last change comes before the last write, and nothing announces the write: look every 0.1 s (waiting
    on the double's changes missed it)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while missing := unfinished(database, day):
        if loop.time() > deadline:
            raise AssertionError(f"the day did not finish within {timeout:.0f} s: {'; '.join(missing)}")
        await asyncio.sleep(0.1)


def check_the_day(double: DiscordDouble, database: Path, day: Day, question, thread_id: int) -> None:
    general = double.bot_messages("general")
    posts = [m for m in general if any(b.get("label") == "Answer" for b in m.buttons)]
    assert len(posts) == 1, "one post for the day"
    (post_id, message_id, parts_sent) = rows(
        database, "SELECT id, message_id, reveal_parts_sent FROM posts")[0]
    assert message_id == posts[0].id
    reveal = [m for m in general if m is not posts[0]]
    assert len(reveal) == parts_sent >= 1, "each reveal part once"
    assert len({json.dumps(m.embeds, sort_keys=True) for m in reveal}) == len(reveal)

    (thread,) = double.threads("general")
    assert thread.id == thread_id
    in_thread = double.messages(thread)
    prompts = [m for m in in_thread if m.author_id == double.bot_id and m.buttons and not m.embeds]
    assert len(prompts) == 1, "one grade prompt"
    stored = {user_id: (content, late, reveal_message_id) for user_id, content, late, reveal_message_id in rows(
        database, "SELECT user_id, content, late, reveal_message_id FROM answers")}
    for name, (text, kind) in day.answers.items():
        member = double.member(name)
        content, late, reveal_message_id = stored[member.id]
        assert content == text, f"{name}'s acknowledged answer is stored"
        if kind != "saved, reply lost":
            assert bool(late) == (kind == "late"), f"{name}: {kind}"
        copies = [m for m in in_thread if f"{name}: " in json.dumps(m.embeds, ensure_ascii=False)]
        assert [m.id for m in copies] == [reveal_message_id], f"{name}'s answer is in the thread once"
    assert len(stored) == len(day.answers), "nothing stored that a member was not told was saved"

    points = rows(database, "SELECT user_id, reason, source_type, source_id, count(*) FROM points_ledger "
                            "GROUP BY user_id, reason, source_type, source_id")
    assert all(count == 1 for *_, count in points)
    on_time_points = {user_id for user_id, reason, *_ in points if reason == "answer_on_time"}
    assert on_time_points == {user_id for user_id, (_content, late, _message) in stored.items() if not late}

    post = double.state.message(posts[0].id)
    for emoji in CONFIDENCE:
        seen = {u for u in post.reactions.get(emoji, []) if u != double.bot_id}
        recorded = {u for (u,) in rows(database, "SELECT user_id FROM reactions WHERE post_id = ? AND emoji = ?",
                                       post_id, emoji)}
        assert recorded == seen, f"confidence {emoji}: every reaction counted, none invented"
    name_of = {double.member(n).id: n for n in day.answers}
    stored_votes = {(name_of.get(voter, str(voter)), name_of[author]) for voter, author in rows(
        database, "SELECT v.voter_id, a.user_id FROM answer_votes v JOIN answers a ON a.id = v.answer_id")}
    assert day.votes <= stored_votes <= day.votes_tried, "every acknowledged 👍 counted, none invented"
    votes_points = dict(rows(database, "SELECT user_id, points FROM points_ledger WHERE reason = 'peer_votes'"))
    received = Counter(author for _voter, author in stored_votes)
    for author, count in received.items():
        expected = vote_award(PointsRules(), count, late=bool(stored[double.member(author).id][1]))
        assert votes_points.get(double.member(author).id, 0) == expected, f"{author}'s peer-vote points"

    # A quiz resumes after a short outage and ends early, with partial results, after a long one.
    titles = [m.embeds[0].get("title", "") for m in double.bot_messages("quiz") if m.embeds]
    asked = [sum(t.startswith(f"Question {n}/2") for t in titles) for n in (1, 2)]
    assert asked in ([1, 1], [1, 0]), titles
    assert sum(t.startswith("Quiz results") for t in titles) == 1, titles
    picked = {(user_id, position): choice for user_id, position, choice in rows(
        database, "SELECT user_id, position, choice FROM quiz_answers JOIN quiz_items ON quiz_items.id = item_id")}
    letters = "ABCD"
    for (name, number), letter in day.picks.items():
        item_choice = picked.get((double.member(name).id, number - 1))
        assert item_choice is not None, f"{name}'s acknowledged pick on question {number} is stored"
        assert letters[item_choice] == letter, f"{name}'s pick on question {number} is the one acknowledged"
    name_by_id = {double.member(n).id: n for n, _number in day.picks_tried}
    for (user_id, position), choice in picked.items():
        tried = day.picks_tried.get((name_by_id[user_id], position + 1), set())
        assert letters[choice] in tried, "no pick stored that the member did not press"


@pytest.mark.timeout(120)
async def test_sigterm_in_the_middle_of_a_reveal_lets_it_finish_and_exits_cleanly(
    discord_double: DiscordDouble, tmp_path: Path, processes: list[BotProcess],
) -> None:
    double = discord_double
    names = [f"s{i:02d}" for i in range(24)]
    for name in names:
        double.add_member(name)
    bot = BotProcess(double, tmp_path, simulated_clock(START, SPEED))
    processes.append(bot)
    database = tmp_path / "bot.sqlite3"
    with double.serving_process():
        await bot.start()
        await bot.ready()
        reply = await double.member("owner").slash("qotd setup", options={
            "channel": double.channel("general"), "post_time": "09:00", "timezone": "Asia/Shanghai",
            "reveal": "10m", "language": "en"})
        assert "Daily question set for" in reply.content, reply.content
        await double.wait_until(lambda: the_post(double) is not None, timeout=30, what="the daily post")
        post = the_post(double)
        question = question_of(BANK, post)
        day = Day()
        await asyncio.gather(*(answer_until_acknowledged(double, day, name, strong_answer(question, name), [])
                               for name in names))
        # Discord slows the thread down (429 with Retry-After), so the reveal is still sending when Docker stops
        # the bot.
        double.faults.rate_limit("POST /channels/{channel_id}/messages", times=2, retry_after=1.5, channel=post.id)
        await double.wait_until(lambda: bool(double.threads("general")), timeout=30, what="the reveal under way")
        code = await bot.terminate()
        assert code == 0, bot.log_tail()
        log = bot.log_text()
        assert "Traceback" not in log and " ERROR " not in log, bot.log_tail()
        assert "rate limited" in log  # the stop came while the reveal waited on Discord
        # The running reveal was given its time to finish (up to 10 s) before the database closed.
        assert rows(database, "SELECT status, reveal_prompt_id IS NOT NULL FROM posts") == [("revealed", 1)]
        # And the next start sends nothing again.
        await bot.start()
        await bot.ready()
        await double.wait_until(
            lambda: rows(database, "SELECT status, reveal_prompt_id IS NOT NULL FROM posts") == [("revealed", 1)],
            timeout=30, what="the reveal finished")
        assert await bot.terminate() == 0
    # On a loaded machine a reply can miss Discord's 3 s: the member pressed again (what this test is not about).
    double.take_violations("interaction.deadline")
    (thread,) = double.threads("general")
    answers = [e["description"] for m in double.messages(thread) for e in m.embeds]
    assert sorted(answers) == sorted(strong_answer(question, name) for name in names)
    titles = [m.embeds[0].get("title", "") for m in double.bot_messages("general") if m.embeds]
    assert sum(title.startswith("Reference answer") for title in titles) == 1
    assert len([m for m in double.messages(thread) if m.buttons and not m.embeds]) == 1
