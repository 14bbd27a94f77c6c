"""Embeds and texts of the daily question: the post, the reveal, a member's answer, the status."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import discord

from bot.chat.shared.embeds import (
    COLOR,
    EMBED_DESCRIPTION_LIMIT,
    FIELD_LIMIT,
    TITLE_LIMIT,
    add_difficulty,
    clip,
    discord_time,
    pack,
    reference_reveal,
)
from bot.domain.bank import Bank, Question
from bot.domain.coverage import Coverage
from bot.i18n import t
from bot.services.qotd import CONFIDENCE_EMOJI, RevealedMember, RevealPlan, ScheduleStatus


def local_and_relative(moment: datetime, timezone: str) -> str:
    """The time in the schedule's own zone, then Discord's relative form ("in 3 hours")."""
    return f"{moment.astimezone(ZoneInfo(timezone)):%Y-%m-%d %H:%M} ({discord_time(moment, 'R')})"


def post_embed(bank: Bank, question: Question, local_date: str, reveal_at: datetime, language: str,
               suggested_by: int | None = None) -> discord.Embed:
    """The daily question; `suggested_by`: the member whose suggestion it was, named on the post."""
    topic = bank.topic(question.topic_id)
    embed = discord.Embed(title=t("qotd.post.title", language, date=local_date), description=question.prompt,
                          colour=COLOR)
    embed.add_field(name=t("question.topic", language), value=topic.name(language))
    add_difficulty(embed, question, language)
    if suggested_by is not None:
        embed.add_field(name=t("banks.suggest.by", language), value=f"<@{suggested_by}>")
    embed.add_field(name="\u200b", value=t("qotd.post.confidence", language), inline=False)
    embed.set_footer(text=t("qotd.post.footer", language, reveal=reveal_at.strftime("%Y-%m-%d %H:%M UTC")))
    return embed


def reveal_embeds(plan: RevealPlan, language: str, standings: str = "") -> list[list[discord.Embed]]:
    """The reveal as messages (each a list of embeds within Discord's 6000-character total), the short
    leaderboard included before the packing so that no message can exceed the total."""
    parts, summary = reference_reveal(plan.question, language, "qotd.reveal.key_points")
    parts[0].title = t("qotd.reveal.title", language, date=plan.post.local_date)
    spread = reaction_spread(plan.reactions) if sum(plan.reactions.values()) else t("qotd.reveal.no_reactions",
                                                                                    language)
    summary.add_field(name=t("qotd.reveal.figures", language),
                      value=f"{t('qotd.reveal.answered', language, count=len(plan.members))} · {spread}", inline=False)
    if standings:
        summary.add_field(name=t("qotd.reveal.leaderboard", language), value=clip(standings, FIELD_LIMIT),
                          inline=False)
    return pack([*parts, summary])


def coverage_fields(embed: discord.Embed, question: Question, result: Coverage, language: str) -> None:
    covered = [question.key_points[i].text for i in result.covered]
    missed = [question.key_points[i].text for i in result.missed]
    if covered:
        embed.add_field(name=f"✅ {t('qotd.reveal.covered', language)}",
                        value=clip("\n".join(covered), FIELD_LIMIT), inline=False)
    if missed:
        embed.add_field(name=f"⬜ {t('qotd.reveal.missed', language)}",
                        value=clip("\n".join(missed), FIELD_LIMIT), inline=False)


def member_answer_embed(member: RevealedMember, name: str, question: Question, language: str) -> discord.Embed:
    header = t("qotd.reveal.member_answer", language, name=name, covered=len(member.coverage.covered),
               total=member.coverage.total, points=member.points)
    if member.answer.late:
        header += t("qotd.reveal.late", language)
    embed = discord.Embed(title=clip(header, TITLE_LIMIT),
                          description=clip(member.answer.content, EMBED_DESCRIPTION_LIMIT),
                          colour=COLOR)
    coverage_fields(embed, question, member.coverage, language)
    return embed


def standings_text(plan: RevealPlan, names: dict[int, str], language: str) -> str:
    lines = [t("qotd.reveal.standing", language, rank=rank, name=names.get(s.user_id, str(s.user_id)),
               points=s.points, streak=streak)
             for rank, (s, streak) in enumerate(plan.standings, start=1)]
    return "\n".join(lines)


def status_embed(statuses: list[ScheduleStatus], language: str) -> discord.Embed:
    embed = discord.Embed(title=t("qotd.status.title", language), colour=COLOR)
    if not statuses:
        embed.description = t("qotd.status.none", language)
        return embed
    for index, status in enumerate(statuses[:25], start=1):
        schedule = status.schedule
        reveal = (schedule.reveal_time.strftime("%H:%M") if schedule.reveal_time
                  else t("qotd.reveal_after", language, minutes=schedule.reveal_after_minutes))
        embed.add_field(  # Discord renders no mention in a field name: the channel leads the value
            name=f"{index}.",
            value=clip(f"<#{schedule.channel_id}>\n" + t(
                "qotd.status.line", language,
                state=t("qotd.status.paused" if schedule.paused else "qotd.status.running", language),
                post_time=schedule.post_time.strftime("%H:%M"), timezone=schedule.timezone, reveal=reveal,
                topics=", ".join(sorted(schedule.topics)) or t("qotd.status.all_topics", language),
                low=schedule.min_difficulty, high=schedule.max_difficulty,
                next_post=local_and_relative(status.next_post_at, schedule.timezone),
                next_reveal=local_and_relative(status.next_reveal_at, schedule.timezone),
            ), FIELD_LIMIT),
            inline=False,
        )
    return embed


def reaction_spread(reactions: Counter[str]) -> str:
    return " · ".join(f"{emoji} {reactions.get(emoji, 0)}" for emoji in CONFIDENCE_EMOJI)
