"""A year of a study group's history, entered through the services as the bot enters it: a daily question on one
channel for 365 days (posts, answers, edits, reactions, reveals, points, streaks, peer votes, best answers and
self-grades), a quiz every week on another, review cards filled by the grades and a review session every week, the
leaderboards kept with the points, and the server's own bank (a pack, a topic off, suggestions).
Time comes from the loop, never today's date."""

from __future__ import annotations

import contextlib
import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from answers import one_point_answer, strong_answer
from fsrs import Rating

from bot.domain import quiz as quiz_rules
from bot.domain.errors import DomainError
from bot.services.banks import BankService, Library, SuggestionService
from bot.services.grades import GradeFeed
from bot.services.qotd import QotdService
from bot.services.quiz import QuestionPost, QuizService, RevealPost
from bot.services.review import ReviewService, SessionCard
from bot.storage.database import Database
from bot.storage.schedules import ScheduleInput

GUILD = 100
CHANNELS = (200, 201)  # the daily question on the first, quizzes on the second
MEMBERS = (1, 2, 3, 4, 5, 6)
FIRST_DAY = datetime(2025, 1, 6, tzinfo=UTC)  # a Monday


@dataclass(frozen=True, slots=True)
class Seeded:
    days: int
    answers: int
    quizzes: int
    ratings: int
    last_moment: datetime


def _schedule(channel: int) -> ScheduleInput:
    return ScheduleInput(guild_id=GUILD, channel_id=channel, post_time=time(9, 0), timezone="UTC",
                         reveal_time=time(21, 0), reveal_after_minutes=None, topics=frozenset(), min_difficulty=1,
                         max_difficulty=3, ping_role_id=None, language="en", created_by=MEMBERS[0])


async def _quiz(quiz: QuizService, rng: random.Random, channel: int, start: datetime, ids: list[int]) -> None:
    """A two-question choice quiz: a few members answer, the ticks close it, every message is confirmed."""
    started = await quiz.start(guild_id=GUILD, channel_id=channel, starter_id=MEMBERS[0], language="en",
                               topic_id=None, kind="choice", count=2, seconds=30, now=start, seed=f"q{start}")

    async def confirm() -> None:
        for post in await quiz.outbox(started.id):
            ids[0] += 1
            if isinstance(post, QuestionPost):
                await quiz.confirm_question(post.item.id, ids[0])
            elif isinstance(post, RevealPost):
                await quiz.confirm_reveal(post.item.id, ids[0])
            else:
                await quiz.confirm_summary(post.quiz.id, ids[0])

    await confirm()
    for position, item in enumerate(started.items):
        opens = start + timedelta(seconds=31 * position)
        right = quiz_rules.correct_option(item, quiz.bank.get(item.question_id))
        for member in rng.sample(MEMBERS, 3):
            with contextlib.suppress(DomainError):  # the question closed: as for a member who clicked late
                await quiz.answer_choice(started.id, position, member, rng.choice((right, (right + 1) % 4)),
                                         opens + timedelta(seconds=rng.randint(1, 25)))
        await quiz.tick(opens + timedelta(seconds=31))
        await confirm()
    await quiz.tick(start + timedelta(minutes=10))
    await confirm()


async def seed_year(db: Database, bank, days: int = 365, seed: int = 12) -> Seeded:
    rng = random.Random(seed)
    feed = GradeFeed()
    review = ReviewService(db, bank)
    feed.subscribe(review.on_grade)
    qotd = QotdService(db, bank, grades=feed)
    quiz = QuizService(db, bank, feed)
    await qotd.configure(_schedule(CHANNELS[0]))
    ids = [10_000]  # Discord message ids, handed out in order
    answers = quizzes = ratings = 0
    now = FIRST_DAY
    for day in range(days):
        morning = FIRST_DAY + timedelta(days=day, hours=9, seconds=5)
        for plan in await qotd.due_posts(morning):
            ids[0] += 1
            await qotd.confirm_posted(plan.post.id, ids[0], morning)
            message_id = ids[0]
            for member in rng.sample(MEMBERS, rng.randint(1, len(MEMBERS))):
                text = strong_answer(plan.question) if rng.random() < 0.5 else one_point_answer(plan.question)
                await qotd.submit_answer(plan.post.id, member, text,
                                         morning + timedelta(minutes=rng.randint(1, 600)))
                answers += 1
                if rng.random() < 0.2:
                    await qotd.submit_answer(plan.post.id, member, text + " (edited)",
                                             morning + timedelta(minutes=601))
                if rng.random() < 0.3:
                    await qotd.reaction(message_id, member, rng.choice(("🔴", "🟢", "👍")), added=True)
        evening = FIRST_DAY + timedelta(days=day, hours=21, seconds=1)
        for reveal in await qotd.due_reveals(evening):
            ids[0] += 1
            await qotd.record_reveal_message([m.answer.id for m in reveal.members], ids[0])
            ids[0] += 1
            await qotd.finish_reveal(reveal.post.id, ids[0], evening)
            for member in reveal.members:
                voter = rng.choice(MEMBERS)
                if voter != member.answer.user_id and rng.random() < 0.4:
                    await qotd.vote(member.answer.id, voter)
                if rng.random() < 0.5:
                    await qotd.self_grade(reveal.post.id, member.answer.user_id,
                                          rng.choice(("got", "partly", "missed")), evening + timedelta(minutes=5))
        if day % 7 == 3:
            await _quiz(quiz, rng, CHANNELS[1], FIRST_DAY + timedelta(days=day, hours=14), ids)
            quizzes += 1
        if day % 7 == 5:
            for member in MEMBERS[:3]:
                moment = FIRST_DAY + timedelta(days=day, hours=22)
                step = await review.start(member, GUILD, moment, scope=[GUILD])
                session_id = step.session_id
                for _ in range(4):  # a short session: four cards, then Finish
                    if not isinstance(step, SessionCard):
                        break
                    rated = await review.rate(member, step.session_id, step.card.id, Rating(rng.randint(1, 4)),
                                              moment, scope=[GUILD])
                    ratings += 1
                    step = rated.following
                if session_id is not None:
                    await review.finish(member, session_id, moment)
        now = evening
    await _server_bank(db, bank, now)
    await _settings_and_bookkeeping(db, now)
    return Seeded(days, answers, quizzes, ratings, now)


PACK = """\
topic:
  id: club
  name_zh: 俱乐部
  name_en: Club questions
  order: 1
questions:
  - id: club-one
    prompt: What does the club ask first?
    difficulty: 2
    answer: |
      The first reference answer.
    key_points:
      - text: names the idea
        keywords: [idea, 想法]
"""


async def _server_bank(db: Database, bank, now: datetime) -> None:
    """The server's own questions through their services: an uploaded pack, a topic turned off, one suggestion
    accepted and one waiting in the review channel."""
    banks = BankService(db, Library(bank))
    await banks.upload(GUILD, MEMBERS[0], "club.yaml", PACK.encode(), now)
    await banks.set_off(GUILD, bank.topics[-1].id, True, MEMBERS[0], now)
    suggestions = SuggestionService(db, banks)
    await suggestions.set_review_channel(GUILD, CHANNELS[1], now)
    form = {"prompt": "Why warm up the learning rate?",
            "answer": "Early updates are noisy; a warm-up keeps them small.",
            "key_points": "keeps early updates small | warm-up; small", "topic": "club", "difficulty": "2"}
    accepted = await suggestions.suggest(GUILD, MEMBERS[1], form, "en", now)
    await suggestions.accept(accepted.row.id, MEMBERS[0], now)
    await suggestions.suggest(GUILD, MEMBERS[2], {**form, "prompt": "什么是梯度裁剪？"}, "zh", now)


async def _settings_and_bookkeeping(db: Database, now: datetime) -> None:
    """Rows of the features the loop above does not drive (settings, groups, privacy, rewards, roles, reminders,
    recaps, seasons, the heartbeat), entered as plain rows so that every table of the schema holds some; with
    non-ASCII text, a float and NULLs, which the checksum must carry across engines."""
    stamp = now.isoformat()
    post_id, answer_id, user_id = (await db.execute_fetchall(
        "SELECT a.post_id, a.id, a.user_id FROM answers a ORDER BY a.id DESC LIMIT 1"))[0]
    rows: list[tuple[str, tuple]] = [
        ("INSERT INTO admin_reports (guild_id, report_key, reported_at) VALUES (?, ?, ?)", (GUILD, "bank:空", stamp)),
        ("INSERT INTO best_answers (post_id, answer_id, guild_id, user_id, picked_by, picked_at, highlighted_at) "
         "VALUES (?, ?, ?, ?, NULL, ?, NULL)", (post_id, answer_id, GUILD, user_id, stamp)),
        ("INSERT INTO champion_roles (guild_id, role_id, updated_by, updated_at) VALUES (?, ?, ?, ?)",
         (GUILD, 7001, MEMBERS[0], stamp)),
        ("INSERT INTO command_sync (scope, tree_hash, synced_at) VALUES (?, ?, ?)", ("global", "ab" * 32, stamp)),
        ("INSERT INTO shard_heartbeats (shard_count, shard_id, beat_at, host, pid, version) VALUES (1, 0, ?, ?, ?, ?)",
         (stamp, "box", 4242, "1.0")),
        ("INSERT INTO member_privacy (guild_id, user_id, hidden, left_at, updated_at) VALUES (?, ?, 1, NULL, ?)",
         (GUILD, MEMBERS[-1], stamp)),
        ("INSERT INTO nudge_members (guild_id, user_id, language, dm_failed_told, updated_at) "
         "VALUES (?, ?, 'zh', 0, ?)",
         (GUILD, MEMBERS[1], stamp)),
        ("INSERT INTO nudges (guild_id, user_id, local_date, post_id, status, message_id, claimed_at) "
         "VALUES (?, ?, ?, ?, 'sent', ?, ?)", (GUILD, MEMBERS[1], stamp[:10], post_id, 99_001, stamp)),
        ("INSERT INTO practice_runs (guild_id, user_id, topic_id, question_ids, position, shown, grades, started_at, "
         "updated_at) VALUES (?, ?, NULL, ?, 1, 0, ?, ?, ?)", (GUILD, MEMBERS[2], '["a", "b"]', '["got"]', stamp,
                                                                stamp)),
        ("INSERT INTO recap_settings (guild_id, channel_id, weekday, post_time, enabled, updated_by, updated_at) "
         "VALUES (?, ?, 6, '20:00', 1, ?, ?)", (GUILD, CHANNELS[0], MEMBERS[0], stamp)),
        ("INSERT INTO recaps (guild_id, week, first_date, last_date, channel_id, status, message_id, due_at, "
         "posted_at) VALUES (?, '2025-W52', '2025-12-22', '2025-12-28', ?, 'posted', ?, ?, ?)",
         (GUILD, CHANNELS[0], 99_002, stamp, stamp)),
        ("INSERT INTO review_members (user_id, timezone, remind_time, remind_guild_id, language, dm_failed_told, "
         "updated_at) VALUES (?, 'Asia/Shanghai', '08:30', ?, 'zh', 0, ?)", (MEMBERS[0], GUILD, stamp)),
        ("INSERT INTO review_reminders (user_id, local_date, status, due_cards, message_id, claimed_at) "
         "VALUES (?, ?, 'sent', 3, ?, ?)", (MEMBERS[0], stamp[:10], 99_003, stamp)),
        ("INSERT INTO rewards_settings (guild_id, best_answer, best_answer_delay, best_answer_since, nudges, "
         "updated_at) VALUES (?, 1, 90, ?, 1, ?)", (GUILD, stamp, stamp)),
        ("INSERT INTO role_grants (guild_id, role_id, user_id, granted_at) VALUES (?, ?, ?, ?)",
         (GUILD, 7001, MEMBERS[0], stamp)),
        ("INSERT INTO role_problems (guild_id, role_id, problem, reported_at) VALUES (?, ?, ?, ?)",
         (GUILD, 7002, "above the bot’s role — 角色太高", stamp)),
        ("INSERT INTO seasons (guild_id, month, channel_id, status, message_id, due_at, posted_at) "
         "VALUES (?, '2025-12', ?, 'posted', ?, ?, ?)", (GUILD, CHANNELS[0], 99_004, stamp, stamp)),
        ("INSERT INTO streak_roles (guild_id, days, role_id, created_by, created_at) VALUES (?, 30, ?, ?, ?)",
         (GUILD, 7003, MEMBERS[0], stamp)),
        ("INSERT INTO study_groups (guild_id, name, role_id, channel_id, created_by, created_at) "
         "VALUES (?, ?, NULL, ?, ?, ?)", (GUILD, "晚上学习组 🌙", CHANNELS[0], MEMBERS[0], stamp)),
    ]
    async with db.transaction():
        for sql, params in rows:
            await db.execute(sql, params)
