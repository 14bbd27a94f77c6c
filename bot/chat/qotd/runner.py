"""Sends what the daily-question service plans, and keeps APScheduler's jobs in step with the database.

The database is the source of truth. APScheduler (in-memory) only wakes the bot: a sweep every minute plus one
job, `qotd:next`, at the earliest post or reveal instant still ahead over all of this process's schedules (two
index reads). Every sweep asks the service what is due, so a missed or duplicated wake-up changes nothing, and
several posts due at once go out in one sweep.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from bot import metrics
from bot.chat.qotd import render
from bot.chat.qotd.views import answer_view, grade_view, vote_view, voted_answers, without_answers
from bot.chat.shared.answer_extras import AnswerMessageExtras
from bot.chat.shared.channels import find_channel
from bot.chat.shared.embeds import pack
from bot.chat.shared.names import display_name, label_name
from bot.chat.shared.nonces import nonce
from bot.chat.shared.permissions import missing_permissions, permission_labels
from bot.chat.shared.reports import report_to_admins
from bot.chat.shared.runner import Runner
from bot.domain.errors import DomainError
from bot.domain.schedule import next_post
from bot.i18n import t
from bot.services.qotd import (
    CONFIDENCE_EMOJI,
    LATE_REPOST_WINDOW,
    AnswerOutcome,
    PostPlan,
    QotdService,
    RevealedMember,
    RevealPlan,
    rule_of,
)
from bot.storage.rows import PostRow

if TYPE_CHECKING:
    from bot.chat.client import StudyBot

log = logging.getLogger(__name__)
SWEEP_SECONDS = 60
THREAD_ALREADY_CREATED = 160004  # Discord's error code: "A thread has already been created for this message"
HISTORY_LOOKBACK = 50  # how far back a re-sent post looks for the copy Discord may already have


class QotdRunner(Runner):
    name = "qotd"
    sweep_seconds = SWEEP_SECONDS
    prefixes = ("qotd:next",)
    next_job = "qotd:next"
    service: QotdService

    def __init__(self, bot: StudyBot, service: QotdService) -> None:
        super().__init__(bot, service)
        self.locks: dict[int, asyncio.Lock] = {}  # per schedule: one server's reveal never holds up another's post

    def lock_for(self, schedule_id: int) -> asyncio.Lock:
        return self.locks.setdefault(schedule_id, asyncio.Lock())

    # -- scheduling ------------------------------------------------------------------------------------------
    async def prepare(self) -> None:
        """Before the first sweep after a start: the reactions made while the bot was down, so that an overdue
        reveal counts them."""
        await self.reconcile()

    async def wanted(self, now: datetime) -> dict[str, datetime]:
        """The one wake-up: the earliest post or reveal instant still ahead (what is due now is this sweep's, or,
        if it could not be done, the next periodic sweep's)."""
        ahead = [when for when in (await self.service.schedules.next_post_after(now),
                                   await self.service.posts.next_reveal_after(now)) if when is not None]
        # A schedule set up or resumed since the last sweep has no instant stored yet: work it out here.
        ahead += [next_post(rule_of(schedule), now)[1] for schedule in await self.service.schedules.not_looked_at()]
        return self.earliest(self.next_job, ahead)

    async def arm_channel(self, channel_id: int) -> None:
        """Bring the one wake-up forward to this channel's next post, if that comes first: what /qotd setup and
        resume change (a paused schedule is simply not due). Its cost does not grow with the number of servers."""
        schedule = await self.service.schedules.by_channel(channel_id)
        if schedule is None or schedule.paused:
            return
        _day, post_at = next_post(rule_of(schedule), self.bot.clock.now())
        self.bring_forward(self.next_job, post_at)

    async def run(self, now: datetime) -> None:
        """Post what is due, reveal what is overdue; one guild's failure never stops another's."""
        posts = await self.service.due_posts(now)
        await asyncio.gather(*(self._safely(self._post_once, plan) for plan in posts))
        await self._report_problems()
        posted = await self.service.posts.due_reveals(now)
        await asyncio.gather(*(self._safely(self._reveal_once, post) for post in posted))
        for outcome in await self.service.unposted_late_answers(now):
            await self.post_late_answer(outcome, resuming=True)

    async def reconcile(self) -> None:
        """At start-up: the confidence reactions of open and recently revealed posts as Discord shows them now
        (members kept reacting while the bot was down and raw events for that time are gone). It runs inside the
        first sweep (`prepare`), before any reveal. Votes are buttons: a press while the bot is down fails in front
        of the member, so none is silently lost."""
        await self.bot.wait_until_ready()
        me = self.bot.user.id if self.bot.user else None
        since = self.bot.clock.now() - LATE_REPOST_WINDOW
        targets = [(post.channel_id, post.message_id, CONFIDENCE_EMOJI)
                   for post in await self.service.posts.reactable(since)]
        changed = 0
        for channel_id, message_id, emojis in targets:
            try:
                channel = await find_channel(self.bot, channel_id)
                if channel is None:
                    continue
                message = await channel.fetch_message(message_id)
                for emoji in emojis:
                    reaction = next((r for r in message.reactions if str(r.emoji) == emoji), None)
                    seen = {u.id async for u in reaction.users() if u.id != me} if reaction else set()
                    changed += await self.service.reconcile_reactions(message_id, emoji, seen)
            except discord.HTTPException:
                log.warning("could not read the reactions of message %s", message_id, exc_info=True)
        if changed:
            log.info("start-up: %d reactions made while the bot was down recorded", changed)

    async def _post_once(self, plan: PostPlan) -> None:
        async with self.lock_for(plan.schedule.id):
            current = await self.service.post(plan.post.id)
            if current is not None and current.status == "pending":  # another sweep may have sent it meanwhile
                await self.send_post(plan)

    async def _reveal_once(self, post: PostRow) -> None:
        async with self.lock_for(post.schedule_id):
            plan = await self.service.prepare_reveal(post.id)  # None once revealed (by another sweep)
            if plan is not None:
                await self.send_reveal(plan)

    async def _report_problems(self) -> None:
        """Schedules whose post could not even be claimed (no eligible question left), and those with a week of unused
        questions left in their pass: tell their admins, once each."""
        problems, self.service.problems[:] = list(self.service.problems), []
        for schedule, day, error in problems:
            self.bot.metrics.failures.labels(metrics.NO_QUESTION).inc()
            if not await self.service.first_report(schedule.guild_id, f"claim:{schedule.id}:{day}:{error.key}",
                                                   self.bot.clock.now()):
                continue  # told once already: not again every minute
            language = schedule.language
            reason = t(error.key, language, **error.values)
            await self.report(schedule.guild_id, t("report.claim_failed", language,
                                                   channel=f"<#{schedule.channel_id}>", reason=reason))
        low, self.service.low_pools[:] = list(self.service.low_pools), []
        for schedule, cycle, left in low:
            if await self.service.first_report(schedule.guild_id, f"low-pool:{schedule.id}:{cycle}",
                                               self.bot.clock.now()):
                await self.report(schedule.guild_id, t("report.low_pool", schedule.language,
                                                       channel=f"<#{schedule.channel_id}>", left=left))

    async def _safely(self, action, item) -> None:
        post = getattr(item, "post", item)
        try:
            await action(item)
        except Exception:
            self.bot.metrics.failures.labels(metrics.ERROR).inc()
            log.exception("daily question: %s failed for guild %s post %s", action.__name__, post.guild_id,
                          post.id)

    # -- channels --------------------------------------------------------------------------------------------
    async def report(self, guild_id: int, text: str) -> None:
        await report_to_admins(self.bot, guild_id, text)

    async def _forbidden(self, plan: PostPlan | RevealPlan, channel: object, action: str,
                         error: discord.Forbidden) -> None:
        language = plan.schedule.language
        self.bot.metrics.failures.labels(metrics.MISSING_PERMISSION).inc()
        log.warning("guild %s channel %s: cannot %s: %s", plan.post.guild_id, plan.post.channel_id, action,
                    error.text)
        granted = channel.permissions_for(channel.guild.me) if hasattr(channel, "permissions_for") else None
        missing = missing_permissions(granted) if granted is not None else []
        names = ", ".join(permission_labels(missing)) or f"({error.text or 'Missing Permissions'})"
        await self.report(plan.post.guild_id, t("report.forbidden", language, channel=f"<#{plan.post.channel_id}>",
                                                permissions=names, action=t(f"qotd.action.{action}", language)))

    async def _channel_gone(self, plan: PostPlan) -> None:
        self.bot.metrics.failures.labels(metrics.CHANNEL_GONE).inc()
        log.warning("guild %s: channel %s is gone; pausing its schedule", plan.post.guild_id, plan.post.channel_id)
        await self.service.set_paused(plan.post.channel_id, True)
        await self.service.give_up(plan.post.id)
        await self.report(plan.post.guild_id, t("report.channel_gone", plan.schedule.language,
                                                channel=f"<#{plan.post.channel_id}>"))

    # -- the post --------------------------------------------------------------------------------------------
    async def send_post(self, plan: PostPlan) -> discord.Message | None:
        language = plan.schedule.language
        channel = await find_channel(self.bot, plan.post.channel_id)
        if channel is None:
            await self._channel_gone(plan)
            return None
        embed = render.post_embed(self.bot.bank, plan.question, plan.post.local_date, plan.post.reveal_due_at,
                                  language, self.bot.bank.credit(plan.question.id))
        embed.add_field(name=t("qotd.post.reveal", language), value=render.discord_time(plan.post.reveal_due_at, "R"))
        role = plan.schedule.ping_role_id
        try:
            # Claimed but never recorded as sent (a crash in between): Discord may have it already. Within its
            # nonce window the same nonce returns that message; past it, the channel's recent history shows it.
            message = await self._already_sent(channel, f"qotd:answer:{plan.post.id}")
            if message is None:
                message = await channel.send(
                    content=f"<@&{role}>" if role else None, embed=embed, view=answer_view(plan.post.id, language),
                    allowed_mentions=discord.AllowedMentions(roles=[discord.Object(role)]) if role
                    else discord.AllowedMentions.none(), nonce=nonce("q", plan.post.id),
                )
        except discord.Forbidden as error:
            await self.service.give_up(plan.post.id)
            await self._forbidden(plan, channel, "post", error)
            return None
        except discord.NotFound:
            await self._channel_gone(plan)
            return None
        await self.service.confirm_posted(plan.post.id, message.id, self.bot.clock.now())
        self.bot.metrics.posts.inc()
        for emoji in CONFIDENCE_EMOJI:
            try:
                await message.add_reaction(emoji)
            except discord.HTTPException:
                log.warning("could not add %s to post %s", emoji, plan.post.id, exc_info=True)
        return message

    async def _own_recent(self, channel: discord.abc.Messageable) -> list[discord.Message]:
        """The bot's own messages among the channel's latest `HISTORY_LOOKBACK` (what a resumed send looks
        through for the copy Discord may already have); those read before Discord refused the rest."""
        me = self.bot.user.id if self.bot.user else None
        found: list[discord.Message] = []
        try:
            async for message in channel.history(limit=HISTORY_LOOKBACK):
                if message.author.id == me:
                    found.append(message)
        except discord.HTTPException:
            log.warning("could not read the recent history of channel %s", getattr(channel, "id", "?"))
        return found

    async def _already_sent(self, channel: discord.abc.Messageable, wanted: str) -> discord.Message | None:
        """The bot's own message among the channel's latest ones that carries the button `wanted` (a post's
        Answer button names the post)."""
        for message in await self._own_recent(channel):
            if wanted in {getattr(child, "custom_id", None) for row in message.components
                          for child in getattr(row, "children", ())}:
                log.info("%s was already in channel %s: recorded, not sent again", wanted, channel)
                return message
        return None

    async def post_now(self, channel_id: int) -> discord.Message:
        schedule = await self.service.schedules.by_channel(channel_id)
        async with self.lock_for(schedule.id if schedule else 0):
            plan = await self.service.post_now(channel_id, self.bot.clock.now())
            message = await self.send_post(plan)
        await self.arm()
        if message is None:  # refused by Discord: the admins have the reason in their report
            raise DomainError("qotd.post_failed", channel=f"<#{channel_id}>")
        return message

    async def skip(self, channel_id: int) -> None:
        schedule = await self.service.schedules.by_channel(channel_id)
        async with self.lock_for(schedule.id if schedule else 0):
            plan = await self.service.skip(channel_id, self.bot.clock.now())
            channel = await find_channel(self.bot, plan.post.channel_id)
            if channel is None or plan.post.message_id is None:
                return
            embed = render.post_embed(self.bot.bank, plan.question, plan.post.local_date, plan.post.reveal_due_at,
                                      plan.schedule.language, self.bot.bank.credit(plan.question.id))
            embed.add_field(name=t("qotd.post.reveal", plan.schedule.language),
                            value=render.discord_time(plan.post.reveal_due_at, "R"))
            await channel.get_partial_message(plan.post.message_id).edit(embed=embed)

    # -- the reveal ------------------------------------------------------------------------------------------
    def _name(self, guild_id: int, user_id: int) -> str:
        return display_name(self.bot, guild_id, user_id)

    async def send_reveal(self, plan: RevealPlan) -> None:
        """Send what of the reveal is not sent yet, recording each step as Discord accepts it, so that a restart
        at any point resumes: nothing is sent twice, nothing is skipped. Each message carries a nonce derived
        from the post, so a retry after a crash between Discord's accepting and our recording returns the
        message Discord already has instead of a copy."""
        language = plan.schedule.language
        post = plan.post
        channel = await find_channel(self.bot, post.channel_id)
        if channel is None:
            await self.service.finish_reveal(post.id, None, self.bot.clock.now())
            return
        names = {s.user_id: self._name(post.guild_id, s.user_id) for s, _ in plan.standings}
        standings = render.standings_text(plan, names, language) if plan.standings else ""
        messages = render.reveal_embeds(plan, language, standings)
        post_message = channel.get_partial_message(post.message_id) if post.message_id else None
        resumed = post.answers_closed_at is not None  # an earlier attempt began this reveal
        try:
            for index in range(post.reveal_parts_sent, len(messages)):
                # Only the first unrecorded part can have been accepted unrecorded: past Discord's nonce window,
                # the channel's history shows it.
                sent = (await self._reveal_part_in(channel, messages[index])
                        if resumed and index == post.reveal_parts_sent else None)
                if sent is None:
                    await channel.send(
                        embeds=messages[index], allowed_mentions=discord.AllowedMentions.none(),
                        reference=post_message.to_reference(fail_if_not_exists=False) if post_message and index == 0
                        else None, nonce=nonce("r", post.id, index),
                    )
                await self.service.record_reveal_progress(post.id, parts_sent=index + 1)
            thread_id = await self._answers_thread(plan, channel, post_message, language, resumed=resumed)
        except discord.Forbidden as error:
            await self._forbidden(plan, channel, "reveal", error)
            thread_id = post.thread_id
        # Any other error propagates: the post stays unrevealed and the next sweep resumes from what was recorded.
        await self.service.finish_reveal(post.id, thread_id, self.bot.clock.now())
        self.bot.metrics.reveals.inc()

    async def _answers_thread(self, plan: RevealPlan, channel: object, post_message: object,
                              language: str, *, resumed: bool) -> int | None:
        post = plan.post
        if not plan.members:
            if post.reveal_prompt_id is None:
                sent = await channel.send(t("qotd.reveal.no_answers", language),  # type: ignore[attr-defined]
                                          nonce=nonce("t", post.id))
                await self.service.record_reveal_progress(post.id, prompt_id=sent.id)
            return None
        thread = await find_channel(self.bot, post.thread_id) if post.thread_id else None
        if thread is None:
            thread = await self._open_thread(plan, channel, post_message, language)
            await self.service.record_reveal_progress(post.id, thread_id=thread.id)
        await self._member_answers(thread, plan, [m for m in plan.members if m.answer.reveal_message_id is None],
                                   language, resuming=resumed)
        if post.reveal_prompt_id is None:
            prompt = await thread.send(
                t("qotd.reveal.vote_hint", language) + "\n" + t("qotd.reveal.grade_prompt", language),
                view=grade_view(post.id, language), nonce=nonce("t", post.id))
            await self.service.record_reveal_progress(post.id, prompt_id=prompt.id)
        return thread.id

    async def _open_thread(self, plan: RevealPlan, channel: object, post_message: object, language: str):
        name = t("qotd.reveal.thread_name", language, date=plan.post.local_date)[:100]
        if post_message is not None:
            try:
                return await post_message.create_thread(name=name)
            except discord.HTTPException as error:
                if error.code == THREAD_ALREADY_CREATED:  # ours from before a restart, or a member's: use it
                    found = await find_channel(self.bot, post_message.id)
                    if found is not None:
                        return found
                elif not isinstance(error, discord.NotFound):  # a deleted post: a thread of its own below
                    raise
        return await channel.create_thread(  # type: ignore[attr-defined]
            name=name, type=discord.ChannelType.public_thread)

    async def _member_answers(self, thread: discord.abc.Messageable, plan: RevealPlan | AnswerOutcome,
                              members: list[RevealedMember], language: str, *, resuming: bool) -> None:
        """Members' answers into the thread, several per message (up to 10 embeds and 6000 characters), each
        with its 👍 button. Idempotent: a message carries its answers' ids in its buttons, so after a crash
        between Discord accepting a message and the bot recording it, the nonce (within Discord's window) or the
        thread's recent history (past it) finds the message instead of sending a copy."""
        guild_id = plan.post.guild_id
        pending = list(members)
        sent = await self._answers_in(thread) if resuming and pending else {}
        while pending:
            embeds = [render.member_answer_embed(m, self._name(guild_id, m.answer.user_id), plan.question, language)
                      for m in pending]
            batch = pending[:len(pack(embeds)[0])]
            first = batch[0].answer.id
            message = sent.get(first)
            if message is None:
                view = vote_view([(m.answer.id, label_name(self.bot, guild_id, m.answer.user_id)) for m in batch])
                for extras in self.bot.services.all(AnswerMessageExtras):  # other features' buttons (rewards)
                    await extras.extend_answers_view(plan.post, view, language)
                message = await thread.send(
                    embeds=embeds[:len(batch)], allowed_mentions=discord.AllowedMentions.none(),
                    view=view, nonce=nonce("a", first))
            carried = [answer_id for answer_id, _label in voted_answers(message)]
            if first not in carried:  # not ours after all: never loop on it
                raise RuntimeError(f"thread message {message.id} does not carry answer {first}")
            deleted = await self.service.record_reveal_message(carried, message.id)
            if deleted:  # the member deleted their data meanwhile: their answer does not stay up
                await self.take_off(message, deleted)
            pending = [m for m in pending if m.answer.id not in carried]

    async def _reveal_part_in(self, channel: discord.abc.Messageable,
                              embeds: list[discord.Embed]) -> discord.Message | None:
        """The bot's message among the channel's latest that is this reveal part (same first embed)."""
        wanted = (embeds[0].title, embeds[0].description)
        for message in await self._own_recent(channel):
            if message.embeds and (message.embeds[0].title, message.embeds[0].description) == wanted:
                log.info("a reveal part was already in channel %s: recorded, not sent again", channel)
                return message
        return None

    async def _answers_in(self, thread: discord.abc.Messageable) -> dict[int, discord.Message]:
        """The answers the thread's latest messages from the bot carry, by answer id (a resumed reveal)."""
        return {answer_id: message for message in await self._own_recent(thread)
                for answer_id, _label in voted_answers(message)}

    @staticmethod
    async def take_off(message: discord.Message, answer_ids: set[int]) -> None:
        """Take these answers off a thread message that carries several; delete it when none is left."""
        embeds, view = without_answers(message, answer_ids)
        if embeds:
            await message.edit(embeds=embeds, view=view)
        else:
            await message.delete()

    async def post_late_answer(self, outcome: AnswerOutcome, *, resuming: bool = False) -> None:
        """A late answer joins the reveal thread, marked late, so peers can still read and vote on it."""
        if outcome.post.thread_id is None or outcome.coverage is None:
            return
        thread = await find_channel(self.bot, outcome.post.thread_id)
        if thread is None:
            return
        member = RevealedMember(outcome.answer, outcome.coverage, self.service.rules.late, 0)
        schedule = await self.service.schedules.get(outcome.post.schedule_id)
        try:
            await self._member_answers(thread, outcome, [member], schedule.language if schedule else "zh",
                                       resuming=resuming)
        except discord.HTTPException:
            log.warning("could not post a late answer in thread %s", outcome.post.thread_id, exc_info=True)
