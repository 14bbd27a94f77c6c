"""A year of a study group's history, entered through the services as the bot enters it: a daily question on two
channels for 365 days (posts, answers, edits, reactions, reveals, points, streaks, peer votes, best answers and
self-grades), a quiz every week, review cards filled by the grades and a review session every week, and the
leaderboards kept with the points. Time comes from the loop, never today's date."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from answers import one_point_answer, strong_answer
from fsrs import Rating

from bot.domain import quiz as quiz_rules
from bot.domain.errors import DomainError
from bot.services.grades import GradeFeed
from bot.services.qotd import QotdService
from bot.services.quiz import QuestionPost, QuizService, RevealPost
from bot.services.review import ReviewService, SessionCard
from bot.storage.database import Database
from bot.storage.schedules import ScheduleInput

GUILD = 100
CHANNELS = (200, 201)
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
            try:
                await quiz.answer_choice(started.id, position, member, rng.choice((right, (right + 1) % 4)),
                                         opens + timedelta(seconds=rng.randint(1, 25)))
            except DomainError:
                pass  # the question closed or moved on: as for a member who clicked late
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
    for channel in CHANNELS:
        await qotd.configure(_schedule(channel))
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
                while isinstance(step, SessionCard) and ratings < 10_000:
                    rated = await review.rate(member, step.session_id, step.card.id, Rating(rng.randint(1, 4)), moment,
                                              scope=[GUILD])
                    ratings += 1
                    step = rated.following
        now = evening
    return Seeded(days, answers, quizzes, ratings, now)
