"""Runs quizzes on the clock: closes questions when their time is up and posts what the service says is unposted.

The database is the source of truth. APScheduler only wakes the bot: a date job at each quiz's next deadline
(`quiz:close:<id>`) and a sweep every `SWEEP_SECONDS` as a backstop. Every sweep asks the service what is due
and what is still unposted, so a missed or repeated wake-up, or a restart between a change and its message,
changes nothing. At start-up a first sweep resumes the quizzes that were running (see bot/domain/quiz.py).

Each message carries a nonce derived from its row (`bot/chat/nonces.py`): after a crash between Discord
accepting a message and the bot recording it, the retry gets the message Discord already has. That holds within
Discord's nonce window (a few minutes), which is about how long a quiz waits for the bot before it is abandoned
(`QuizRules.resume_within`); a results message cut off by a longer outage could be sent twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

import discord

from bot.chat import quiz_render as render
from bot.chat.names import display_name
from bot.chat.nonces import nonce
from bot.chat.quiz_views import grade_view, question_view
from bot.services.quiz import Post, QuestionPost, QuizService, RevealPost, SummaryPost
from bot.wakeups import keep_in_step

if TYPE_CHECKING:
    from bot.chat.client import StudyBot

log = logging.getLogger(__name__)
SWEEP_SECONDS = 30
JOB_PREFIX = "quiz:close:"


class QuizRunner:
    def __init__(self, bot: StudyBot, service: QuizService) -> None:
        self.bot = bot
        self.service = service
        self.lock = asyncio.Lock()
        self.catch_up: asyncio.Task[None] | None = None

    # -- scheduling ----------------------------------------------------------------------------------------------
    async def start(self) -> None:
        self.bot.wakeups.every("quiz:sweep", SWEEP_SECONDS, self.sweep)
        await self.arm()
        self.catch_up = asyncio.create_task(self.sweep(), name="quiz-catch-up")  # the sweep waits for ready

    async def stop(self) -> None:
        if self.catch_up is not None and not self.catch_up.done():
            self.catch_up.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.catch_up

    async def arm(self) -> None:
        """One date job per active quiz at its next deadline; jobs of ended quizzes are removed."""
        wanted = {f"{JOB_PREFIX}{quiz_id}": when for quiz_id, when in await self.service.deadlines()}
        keep_in_step(self.bot.wakeups, (JOB_PREFIX,), wanted, self.sweep)

    async def sweep(self) -> None:
        """Close what is due and post what is unposted; one quiz's failure never stops another's."""
        await self.bot.wait_until_ready()  # a date job armed at start-up can fire before the guilds are known
        try:
            async with self.lock:
                await self.service.tick(self.bot.clock.now())
                await self._flush()
        finally:
            if not self.bot.is_closed():  # a sweep cancelled by the shutdown leaves the jobs alone
                await self.arm()

    async def flush(self) -> None:
        """Post what is unposted now (after /quiz start and /quiz stop)."""
        async with self.lock:
            await self._flush()
        await self.arm()

    async def _flush(self) -> None:
        for quiz_id in await self.service.unposted():
            try:
                for post in await self.service.outbox(quiz_id):
                    await self._post(post)
            except Exception:
                log.exception("quiz %s: posting failed; the next sweep tries again", quiz_id)

    # -- posting -------------------------------------------------------------------------------------------------
    async def _channel(self, channel_id: int) -> discord.abc.Messageable | None:
        channel = self.bot.get_channel(channel_id)
        if channel is None:
            try:
                channel = await self.bot.fetch_channel(channel_id)
            except (discord.NotFound, discord.Forbidden):
                return None
        return channel  # type: ignore[return-value]

    def _names(self, guild_id: int, user_ids: set[int]) -> dict[int, str]:
        return {user_id: display_name(self.bot, guild_id, user_id) for user_id in user_ids}

    async def _post(self, post: Post) -> None:
        channel = await self._channel(post.quiz.channel_id)
        if channel is None:
            await self._give_up(post, "the channel is gone")
            return
        try:
            if isinstance(post, QuestionPost):
                await self._question(channel, post)
            elif isinstance(post, RevealPost):
                await self._reveal(channel, post)
            else:
                await self._summary(channel, post)
        except (discord.Forbidden, discord.NotFound) as error:
            await self._give_up(post, error)

    async def _give_up(self, post: Post, why: object) -> None:
        """A lasting refusal: record the message as posted (0) so that it is not retried on every sweep."""
        log.warning("quiz %s in channel %s: cannot post: %s", post.quiz.id, post.quiz.channel_id, why)
        if isinstance(post, QuestionPost):
            await self.service.confirm_question(post.item.id, 0)
        elif isinstance(post, RevealPost):
            await self.service.confirm_reveal(post.item.id, 0)
        else:
            await self.service.confirm_summary(post.quiz.id, 0)

    async def _question(self, channel: discord.abc.Messageable, post: QuestionPost) -> None:
        language = post.quiz.language
        message = await channel.send(embed=render.question_embed(self.bot.bank, post, language),
                                     view=question_view(post.quiz, post.item, post.question, language),
                                     nonce=nonce("Q", post.item.id))
        await self.service.confirm_question(post.item.id, message.id)

    async def _reveal(self, channel: discord.abc.Messageable, post: RevealPost) -> None:
        language = post.quiz.language
        if post.question_message_id:
            # The question's buttons go grey: a late click could not count anyway.
            view = question_view(post.quiz, post.item, post.question, language, disabled=True)
            try:
                await channel.get_partial_message(post.question_message_id).edit(view=view)  # type: ignore[attr-defined]
            except discord.HTTPException:
                log.warning("quiz %s: could not disable question %s", post.quiz.id, post.item.position, exc_info=True)
        names = self._names(post.quiz.guild_id, {a.user_id for a in post.answers})
        messages = render.reveal_messages(self.bot.bank, post, names, language)
        gradable = post.item.kind == "open" and post.quiz.active and bool(post.answers)
        last: discord.Message | None = None
        for index, embeds in enumerate(messages):
            view = grade_view(post.quiz, post.item, language) if gradable and index == len(messages) - 1 \
                else discord.utils.MISSING
            last = await channel.send(embeds=embeds, view=view, nonce=nonce("R", post.item.id, index))
        await self.service.confirm_reveal(post.item.id, last.id if last else 0)

    async def _summary(self, channel: discord.abc.Messageable, post: SummaryPost) -> None:
        users = {s.user_id for s in post.summary.standings}
        if post.quiz.stopped_by is not None:
            users.add(post.quiz.stopped_by)
        embed = render.summary_embed(post, self._names(post.quiz.guild_id, users), post.quiz.language)
        message = await channel.send(embed=embed, nonce=nonce("S", post.quiz.id))
        await self.service.confirm_summary(post.quiz.id, message.id)
