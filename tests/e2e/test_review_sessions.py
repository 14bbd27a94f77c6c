"""Personal review end to end: a deck filled by the daily question and a quiz, sessions, stats, reminder DMs."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from clock import FakeClock
from discord_double import DiscordDouble, InteractionResult, Member, Message
from fsrs import Card, Rating, Scheduler
from study_bot import study_bot_factory, utc
from test_qotd_day import only_field, question_of, setup_schedule

from bot.chat.client import StudyBot
from bot.chat.qotd.runner import QotdRunner
from bot.chat.review.runner import ReviewReminders
from bot.domain.review import CardState
from bot.services.grades import GradeEvent, GradeFeed
from bot.services.review import ReviewService

LIBRARY = Scheduler(enable_fuzzing=False)  # the bot's scheduler: FSRS defaults, no fuzz
SHANGHAI = ZoneInfo("Asia/Shanghai")


def review_of(bot: StudyBot) -> ReviewService:
    return bot.services.get(ReviewService)  # type: ignore[union-attr]


def shown_question(message: Message) -> str:
    return message.embeds[0]["footer"]["text"]


def local(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


async def answer_and_grade_the_daily_question(double: DiscordDouble, bot: StudyBot, clock: FakeClock,
                                              member: Member, grade: str) -> str:
    """A whole day: post at 09:00 Shanghai, the member answers, the reveal at 21:00, the member self-grades."""
    await setup_schedule(double)
    clock.set(utc("2026-11-30T01:00:00"))
    await bot.services.get(QotdRunner).sweep()
    (post,) = double.bot_messages("general")
    question = question_of(bot.bank, post)
    clock.set(utc("2026-11-30T01:30:00"))
    modal = (await member.click(post, label="Answer")).modal
    await member.submit_modal(modal, {only_field(modal): "我的回答"})
    clock.set(utc("2026-11-30T13:00:00"))
    await bot.services.get(QotdRunner).sweep()
    (thread,) = double.threads("general")
    grades = next(m for m in double.messages(thread) if m.buttons and not m.embeds)
    graded = await member.click(grades, label=grade)
    assert "Self-grade saved" in graded.content
    return question.id


async def rate(member: Member, session: Message, label: str) -> InteractionResult:
    shown = await member.click(session, label="Show answer")
    assert shown.callback_type == "update" and "Reference answer" in shown.message.text
    assert [b["label"] for b in shown.message.buttons] == ["Again", "Hard", "Good", "Easy", "End session"]
    return await member.click(shown.message, label=label)


async def test_a_deck_from_the_daily_question_and_a_quiz_reviewed_with_all_four_ratings_across_a_restart(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    alice, bob = double.member("alice"), double.member("bob")
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    factory = study_bot_factory(tmp_path, clock)
    async with double.running(factory) as bot:
        daily = await answer_and_grade_the_daily_question(double, bot, clock, alice, "Got it")
        # A quiz's wrong choice (published on the grade feed as the quiz feature does).
        quiz = next(q.id for q in bot.bank.in_topic("rag") if q.choices and q.id != daily)
        clock.set(utc("2026-11-30T13:05:00"))
        await bot.services.get(GradeFeed).publish(
            GradeEvent(double.guild.id, alice.id, quiz, "quiz", clock.now(), correct=False))
        clock.set(utc("2026-11-30T13:07:00"))
        stats = await alice.slash("review stats")
        assert stats.ephemeral
        text = stats.message.text
        assert "2 in all: 0 new · 2 learning · 0 in review" in text
        assert "now 1 · today 2" in text  # FSRS learning steps: Again is back in 1 minute, Good in 10
        assert "Retention (last 30 days)" in text and "50% over 2 ratings" in text
        assert f"Next card due {local(utc('2026-11-30T13:10:00'))} (Asia/Shanghai)" in text  # the guild's zone

        # Two questions added by hand, one found by autocomplete.
        clock.set(utc("2026-11-30T13:10:00"))
        found = await alice.autocomplete("review add", focused="question", question="lora")
        assert found and all("lora" in (c.value + bot.bank.get(c.value).prompt).lower() for c in found)
        first = next(c.value for c in found if c.value not in (daily, quiz))
        added = [first, next(q.id for q in bot.bank.in_topic("bert") if q.id not in (daily, quiz, first))]
        for question_id in added:
            reply = await alice.slash("review add", question=question_id)
            assert reply.ephemeral and f"Added `{question_id}`" in reply.content
        again = await alice.slash("review add", question=added[0])
        assert "already in your deck" in again.content
        text = (await alice.slash("review stats")).message.text
        assert "4 in all: 2 new · 2 learning" in text and "now 4 · today 4" in text
        topics = [bot.bank.topic(bot.bank.get(q).topic_id).name_en for q in (daily, quiz, *added)]
        for topic in topics:
            assert f"{topic}: {topics.count(topic)} ({topics.count(topic)} due)" in text

        # The session, an hour later: never-rated cards first, then the least recently learned.
        clock.set(utc("2026-11-30T14:00:00"))
        session = await alice.slash("review start")
        assert session.ephemeral and session.message.embeds[0]["title"] == "Review · card 1 (4 due)"
        assert shown_question(session.message) == added[0]
        first = await rate(alice, session.message, "Again")
        assert shown_question(first.message) == added[1]
        second = await rate(alice, first.message, "Hard")
        assert shown_question(second.message) == quiz and "card 3 (2 due)" in second.message.embeds[0]["title"]

        # Somebody else pressing alice's buttons changes nothing.
        refused = await bob.click(second.message, label="Show answer")
        assert refused.ephemeral and "not your review" in refused.content
        assert shown_question(double.state.message(second.message.id)) == quiz

    clock.set(utc("2026-11-30T14:01:00"))
    async with double.running(factory) as bot:  # a restart in the middle of the session: its buttons still work
        third = await rate(alice, second.message, "Good")
        assert shown_question(third.message) == daily
        done = await rate(alice, third.message, "Easy")
        summary = done.message.text
        assert "Review finished" in summary and "Reviewed 4 (Again 1 · Hard 1 · Good 1 · Easy 1)" in summary
        assert "75% (3 of 4 not Again)" in summary and not done.message.buttons

        # Every due date is the library's, replaying each card's history from its creation.
        history = {
            added[0]: (utc("2026-11-30T13:10:00"), [(Rating.Again, "2026-11-30T14:00:00")]),
            added[1]: (utc("2026-11-30T13:10:00"), [(Rating.Hard, "2026-11-30T14:00:00")]),
            quiz: (utc("2026-11-30T13:05:00"), [(Rating.Again, "2026-11-30T13:05:00"),
                                                 (Rating.Good, "2026-11-30T14:01:00")]),
            daily: (utc("2026-11-30T01:30:00"), [(Rating.Good, "2026-11-30T13:00:00"),
                                                  (Rating.Easy, "2026-11-30T14:01:00")]),
        }
        service = review_of(bot)
        for question_id, (created, ratings) in history.items():
            stored = await service.cards.card(alice.id, question_id)
            expected = Card(card_id=stored.id, due=created)
            for rating, moment in ratings:
                expected, _ = LIBRARY.review_card(expected, rating, review_datetime=utc(moment))
            assert stored.card == CardState.from_fsrs(expected), question_id
            assert [log.rating for log in await service.cards.ratings_of(stored.id)] == [r for r, _ in ratings]
        daily_due = (await service.cards.card(alice.id, daily)).card.due
        assert f"Rated Easy: {daily}, next review {local(daily_due)} (Asia/Shanghai)" in done.content
        assert (daily_due - utc("2026-11-30T14:01:00")).days >= 1  # Easy graduates the card to days

        # The card rated Again is back a minute later (FSRS's first learning step), in a new session.
        relearn = await alice.slash("review start")
        assert shown_question(relearn.message) == added[0] and "card 1 (1 due)" in relearn.message.embeds[0]["title"]
        last = await rate(alice, relearn.message, "Good")
        assert "Reviewed 1 (Again 0 · Hard 0 · Good 1 · Easy 0)" in last.message.text
        nothing = await alice.slash("review start")
        assert "Nothing is due right now" in nothing.message.text and not nothing.message.buttons
        assert f"Next card due {local(utc('2026-11-30T14:05:30'))}" in nothing.message.text  # Hard: 5.5 minutes
        assert await service.cards.deck(bob.id) == []
        stats = await bob.slash("review stats")
        assert "0 in all" in stats.message.text and "Your deck is empty" in stats.message.text


async def test_a_reminder_dm_starts_a_session_in_dms_once_a_day_even_after_a_restart(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    alice = double.member("alice")
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    factory = study_bot_factory(tmp_path, clock)
    async with double.running(factory) as bot:
        assert bot.wakeups.has("review:reminders")
        topics = await alice.autocomplete("review add", focused="topic", topic="lo")
        assert "lora" in [c.value for c in topics]
        added = await alice.slash("review add", topic="lora")
        assert f"Added {len(bot.bank.in_topic('lora'))} questions of LoRA" in added.content
        neither = await alice.slash("review add")
        assert "either a question or a topic" in neither.content
        zones = await alice.autocomplete("review remind on", focused="timezone", timezone="shang")
        assert [c.value for c in zones] == ["Asia/Shanghai"]
        bad = await alice.slash("review remind on", time="9am")
        assert "HH:MM" in bad.content
        reply = await alice.slash("review remind on", time="09:00", timezone="Asia/Shanghai")
        assert reply.ephemeral and "09:00 (Asia/Shanghai)" in reply.content
        assert "Next: 2026-11-30 09:00 (Asia/Shanghai)" in reply.content
        reminders = bot.services.get(ReviewReminders)
        clock.set(utc("2026-11-30T00:59:00"))
        await reminders.sweep()
        assert double.dms(alice) == []
        clock.set(utc("2026-11-30T01:00:30"))
        await reminders.sweep()
        await reminders.sweep()  # a second wake-up the same day sends nothing more
        (dm,) = double.dms(alice)
        count = len(bot.bank.in_topic("lora"))
        assert dm.embeds[0]["title"] == "Time to review" and f"Cards due for review: {count}." in dm.text
        assert [b["label"] for b in dm.buttons] == ["Start review"]

    clock.set(utc("2026-11-30T05:00:00"))
    async with double.running(factory) as bot:  # restarted the same local day: no second reminder
        await bot.services.get(ReviewReminders).catch_up
        assert double.dms(alice) == [dm]
        session = await alice.click(dm, label="Start review")  # the button from before the restart, in the DM
        assert session.ephemeral and session.message.channel_id == alice.dm.id
        assert session.message.embeds[0]["title"] == f"Review · card 1 ({count} due)"
        rated = await rate(alice, session.message, "Good")
        assert rated.content.startswith("Rated Good:") and "(Asia/Shanghai)" in rated.content
        ended = await alice.click(rated.message, label="End session")
        assert "Reviewed 1 (Again 0 · Hard 0 · Good 1 · Easy 0)" in ended.message.text and not ended.message.buttons

        in_dm = await alice.slash("review stats", channel=alice.dm)  # the deck and the member's zone, no guild
        assert in_dm.ephemeral and f"{count} in all" in in_dm.message.text
        assert "a DM at 09:00 (Asia/Shanghai)" in in_dm.message.text

        clock.set(utc("2026-12-01T01:00:00"))
        await bot.services.get(ReviewReminders).sweep()
        assert len(double.dms(alice)) == 2
        off = await alice.slash("review remind off")
        assert "off" in off.content
        clock.set(utc("2026-12-02T01:00:00"))
        await bot.services.get(ReviewReminders).sweep()
        assert len(double.dms(alice)) == 2


async def test_a_closed_dm_is_noted_and_the_member_is_told_in_the_guild(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    alice = double.member("alice")
    clock = FakeClock(utc("2026-11-30T08:00:00"))
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        reminders = bot.services.get(ReviewReminders)
        await alice.slash("review add", question=next(iter(bot.bank)).id)
        reply = await alice.slash("review remind on", time="09:00")
        assert "09:00 (UTC)" in reply.content  # no zone given and the server has none: UTC
        double.faults.forbid(alice.dm)
        clock.set(utc("2026-11-30T09:00:00"))
        await reminders.sweep()
        assert double.faults.forbidden_hits == 1 and double.dms(alice) == []

        told = await alice.slash("help")  # the next time she uses the bot in the guild, whatever the command
        (notice,) = await told.wait_for_followups(1)
        assert notice.ephemeral and "could not DM you your review reminder on 2026-11-30 09:00 (UTC)" in notice.content
        again = await alice.slash("review stats")
        assert "paused: a DM could not be delivered" in again.message.text
        await again.settled()
        assert again.followups == []  # told once

        clock.set(utc("2026-12-01T09:00:00"))
        await reminders.sweep()
        assert double.faults.forbidden_hits == 1  # paused: no new attempt

        double.faults.allow(alice.dm)
        await alice.slash("review remind on", time="10:00")
        clock.set(utc("2026-12-01T10:00:00"))
        await reminders.sweep()
        (dm,) = double.dms(alice)
        assert "Cards due for review: 1." in dm.text


async def test_a_real_quiz_fills_each_members_deck(discord_double: DiscordDouble, tmp_path: Path) -> None:
    """Through the quiz feature itself: one member per option, so exactly one picks right."""
    double = discord_double
    start = utc("2030-06-01T10:00:00")  # far from the real date: the quiz's real APScheduler jobs never fire
    async with double.running(study_bot_factory(tmp_path, FakeClock(start))) as bot:
        started = await double.member("alice").slash("quiz start", double.channel("quiz"), options={
            "topic": "rag", "count": 1, "kind": "choice", "seconds": 30})
        assert not started.ephemeral
        (question,) = [m for m in double.bot_messages("quiz") if m.buttons]
        letters = [button["label"] for button in question.buttons]
        members = [double.member("alice"), double.member("bob")]
        members += [double.add_member(f"member{n}") for n in range(len(letters) - 2)]
        for member, letter in zip(members, letters, strict=True):
            picked = await member.click(question, label=letter)
            assert picked.ephemeral
        service = review_of(bot)
        decks = [await service.cards.deck(member.id) for member in members]
        assert all(len(deck) == 1 for deck in decks)
        cards = [deck[0] for deck in decks]
        assert len({card.question_id for card in cards}) == 1 and {card.origin for card in cards} == {"quiz"}
        ratings = [[log.rating for log in await service.cards.ratings_of(card.id)] for card in cards]
        assert sorted(ratings) == [[Rating.Again]] * (len(letters) - 1) + [[Rating.Good]]  # right Good, wrong Again
        for card, (rating,) in zip(cards, ratings, strict=True):
            expected, _ = LIBRARY.review_card(Card(card_id=card.id, due=start), Rating(rating), review_datetime=start)
            assert card.card == CardState.from_fsrs(expected)
