"""The rewards' sweep (job "rewards:sweep", every minute): best answers whose delay passed are picked and
highlighted in the reveal thread, and nudges due within the hour before a reveal are sent by DM.

The database decides what is due: a pick and a nudge are each claimed before anything is sent, so a missed,
doubled or post-restart sweep never picks twice or nudges a member twice a day.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from bot.chat.qotd.views import voted_answers
from bot.chat.rewards import render
from bot.chat.rewards.views import BestAnswerButton
from bot.chat.shared.channels import find_channel
from bot.chat.shared.direct import send_direct
from bot.chat.shared.names import display_name
from bot.chat.shared.nonces import nonce
from bot.chat.shared.runner import Runner
from bot.domain.rewards import BEST_ANSWER_POINTS
from bot.i18n import t
from bot.services.rewards import RewardsService
from bot.storage.rewards import BestAnswer, NudgeTarget
from bot.storage.rows import PostRow
from bot.storage.schedules import ScheduleRepository

if TYPE_CHECKING:
    from bot.chat.client import StudyBot

log = logging.getLogger(__name__)
SWEEP_SECONDS = 60
HISTORY_LOOKBACK = 50  # how far back a resumed highlight looks for its line


class RewardsRunner(Runner):
    name = "rewards"
    sweep_seconds = SWEEP_SECONDS

    service: RewardsService

    def __init__(self, bot: StudyBot, service: RewardsService) -> None:
        super().__init__(bot, service)
        self.schedules = ScheduleRepository(service.conn)

    async def run(self, now: datetime) -> None:
        await self.service.due_auto_picks(now)
        await self.each(await self.service.unhighlighted(), lambda item: self.highlight(*item),
                        lambda item: f"best answer of post {item[1].id}")
        await self.each(await self.service.due_nudges(now), self.send_nudge,
                        lambda target: f"nudge for user {target.user_id} in guild {target.guild_id}")

    # -- the answers thread (AnswerMessageExtras) ------------------------------------------------------------
    async def extend_answers_view(self, post: PostRow, view: discord.ui.View, language: str) -> None:
        """The ⭐ button under a thread message's answers, where the server has best answers on. A message sent
        once the post is revealed carries a late answer, which is never the best: no button there."""
        if post.status != "revealed" and (await self.service.settings(post.guild_id)).best_answer:
            view.add_item(BestAnswerButton(post.id, t("rewards.best.button", language)))

    # -- best answer -----------------------------------------------------------------------------------------
    async def highlight_now(self, post_id: int) -> None:
        """Right after a manager's pick (the sweep does it otherwise); the lock keeps it from racing a sweep."""
        async with self.lock:
            for best, post in await self.service.unhighlighted():
                if post.id == post_id:
                    await self.highlight(best, post)

    async def highlight(self, best: BestAnswer, post: PostRow) -> None:
        """Star the answer's embed and post a line in the thread, then record it. The line carries a nonce from the
        post, so a retry after a crash between Discord accepting it and the record returns the same message."""
        schedule = await self.schedules.get(post.schedule_id)
        language = schedule.language if schedule else "zh"
        answer = await self.service.answer(best.answer_id)
        try:
            thread = await find_channel(self.bot, post.thread_id) if post.thread_id else None
            if thread is None or answer is None:
                await self.service.highlighted(post.id, self.bot.clock.now())
                return
            link = None
            if answer.reveal_message_id is not None:
                message = await thread.fetch_message(answer.reveal_message_id)  # type: ignore[attr-defined]
                link = message.jump_url
                order = [answer_id for answer_id, _label in voted_answers(message)]
                if best.answer_id in order and order.index(best.answer_id) < len(message.embeds):
                    embeds = list(message.embeds)
                    index = order.index(best.answer_id)
                    embeds[index] = render.highlighted(embeds[index])
                    await message.edit(embeds=embeds)
            manager = display_name(self.bot, post.guild_id, best.picked_by) if best.picked_by else None
            line = render.best_line(display_name(self.bot, post.guild_id, best.user_id), BEST_ANSWER_POINTS,
                                    manager, link, language)
            if not await self._already_said(thread, link or line):
                await thread.send(line, allowed_mentions=discord.AllowedMentions.none(), nonce=nonce("b", post.id))
        except (discord.NotFound, discord.Forbidden) as error:
            log.warning("rewards: cannot highlight the best answer of post %s: %s", post.id, error.text)
        await self.service.highlighted(post.id, self.bot.clock.now())

    async def _already_said(self, thread: discord.abc.Messageable, mark: str) -> bool:
        """Whether the thread's latest messages hold the bot's line (accepted by Discord before a crash, past its
        nonce window), known by `mark`: the link to the best answer it ends with (names may change meanwhile)."""
        me = self.bot.user.id if self.bot.user else None
        async for message in thread.history(limit=HISTORY_LOOKBACK):
            if message.author.id == me and message.content.startswith(render.STAR) and message.content.endswith(mark):
                log.info("the best-answer line of thread %s was already there: not sent again", thread)
                return True
        return False

    # -- nudges ----------------------------------------------------------------------------------------------
    async def send_nudge(self, target: NudgeTarget) -> None:
        sent = await send_direct(self.bot, target.user_id, "rewards nudge", embed=render.nudge_embed(target))
        if sent.message is None:
            await self.service.nudge_failed(target, self.bot.clock.now(), refused=sent.refused)
            return
        await self.service.nudge_sent(target, sent.message.id)
