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

import logging
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from bot.chat.quiz import render
from bot.chat.quiz.views import grade_view, question_view
from bot.chat.shared.channels import find_channel
from bot.chat.shared.names import display_name
from bot.chat.shared.nonces import nonce
from bot.chat.shared.runner import Runner
from bot.services.quiz import Post, QuestionPost, QuizService, RevealPost, SummaryPost

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)
SWEEP_SECONDS = 30
JOB_PREFIX = "quiz:close:"


class QuizRunner(Runner):
    name = "quiz"
    sweep_seconds = SWEEP_SECONDS
    service: QuizService
    prefixes = (JOB_PREFIX,)

    # -- scheduling ----------------------------------------------------------------------------------------------
    async def wanted(self, now: datetime) -> dict[str, datetime]:
        """One date job per active quiz at its next deadline; jobs of ended quizzes are removed."""
        return {f"{JOB_PREFIX}{quiz_id}": when for quiz_id, when in await self.service.deadlines()}

    async def run(self, now: datetime) -> None:
        """Close what is due and post what is unposted; one quiz's failure never stops another's."""
        await self.service.tick(now)
        await self._flush()

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
    def _names(self, guild_id: int, user_ids: set[int]) -> dict[int, str]:
        return {user_id: display_name(self.bot, guild_id, user_id) for user_id in user_ids}

    async def _post(self, post: Post) -> None:
        try:
            channel = await find_channel(self.bot, post.quiz.channel_id)
        except discord.Forbidden as error:
            await self._give_up(post, error)
            return
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
