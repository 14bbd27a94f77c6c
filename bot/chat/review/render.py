"""Embeds and texts of personal review: a card, its answer, a rating, the summary, stats and the reminder DM.

Times are shown as wall-clock text in the member's (or guild's) time zone, followed by Discord's relative time.
"""

from __future__ import annotations

from datetime import datetime

import discord

from bot.chat.shared.embeds import (
    COLOR,
    EMBED_DESCRIPTION_LIMIT,
    FIELD_LIMIT,
    MESSAGE_EMBED_TOTAL,
    REVEAL_COLOR,
    add_difficulty,
    answer_texts,
    clip,
    key_points_text,
    topic_label,
)
from bot.domain.bank import Bank, Question
from bot.domain.review import RATING_NAMES, Rating, retrievability
from bot.domain.schedule import zone
from bot.i18n import t
from bot.services.review import DeckStats, Rated, ReminderPlan, SessionCard, SessionSummary

SPARE = 300  # the answer embed's title, footer and "shortened" note
STATE_KEYS = {1: "review.card.learning", 2: "review.card.review", 3: "review.card.relearning"}


def percent(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


def local_time(moment: datetime, zone_name: str, language: str) -> str:
    """'2026-12-01 09:10 (Asia/Shanghai)': wall-clock time in the member's or guild's zone."""
    local = moment.astimezone(zone(zone_name)).strftime("%Y-%m-%d %H:%M")
    return t("review.when", language, local=local, zone=zone_name)


def when(moment: datetime | None, zone_name: str, language: str) -> str:
    """The local time followed by Discord's relative time ('in 2 days'); a dash for no time."""
    if moment is None:
        return t("review.summary.none", language)
    return f"{local_time(moment, zone_name, language)} · <t:{int(moment.timestamp())}:R>"


def rating_label(rating: Rating | int, language: str) -> str:
    return t(f"review.rating.{RATING_NAMES[Rating(rating)]}", language)


def card_embeds(bank: Bank, step: SessionCard, language: str, now: datetime, *,
                with_answer: bool) -> list[discord.Embed]:
    question = step.question
    card = step.card.card
    embed = discord.Embed(title=t("review.card.title", language, position=step.position, left=step.left),
                          description=question.prompt, colour=COLOR)
    embed.add_field(name=t("question.topic", language), value=topic_label(bank, question.topic_id, language))
    add_difficulty(embed, question, language)
    state = t("review.card.new" if card.is_new else STATE_KEYS[card.state], language)
    embed.add_field(name=t("review.card.state", language), value=state)
    if not card.is_new:
        embed.add_field(name="\u200b", inline=False,
                        value=t("review.card.recall", language, percent=percent(retrievability(card, now))))
    embed.set_footer(text=question.id)
    if not with_answer:
        embed.description = f"{question.prompt}\n\n*{t('review.card.hint', language)}*"
        return [embed]
    key_points = key_points_text(question)
    budget = min(EMBED_DESCRIPTION_LIMIT, MESSAGE_EMBED_TOTAL - len(embed) - len(key_points)) - SPARE
    return [embed, answer_embed(question, key_points, language, budget)]


def answer_embed(question: Question, key_points: str, language: str, budget: int) -> discord.Embed:
    """The reference answer within `budget` characters: whole paragraphs, with a pointer to the full text."""
    parts, whole = answer_texts(question, language, budget)
    first, shortened = (parts[0] if parts else ""), len(parts) > 1 or not whole
    if shortened:
        description = "\n\n".join(filter(None, [first, t("review.answer.shortened", language,
                                                             question_id=question.id)]))
    else:
        description = first
    embed = discord.Embed(title=t("review.answer.title", language), description=description, colour=REVEAL_COLOR)
    if question.key_points:
        embed.add_field(name=t("review.answer.key_points", language), value=key_points, inline=False)
    embed.set_footer(text=t("review.answer.prompt", language))
    return embed


def rated_text(rated: Rated, language: str) -> str:
    key = "review.rated" if rated.applied else "review.rated_before"
    return t(key, language, rating=rating_label(rated.rating, language), question_id=rated.question.id,
             when=when(rated.card.due, rated.zone, language))


def summary_embed(summary: SessionSummary, language: str) -> discord.Embed:
    if summary.session_id is None:
        key = "review.summary.nothing" if summary.next_due else "review.summary.empty_deck"
        embed = discord.Embed(description=t(key, language), colour=COLOR)
    else:
        embed = discord.Embed(title=t("review.summary.title", language), colour=REVEAL_COLOR)
        counts = {name: summary.ratings.get(int(rating), 0) for rating, name in RATING_NAMES.items()}
        embed.add_field(name=t("review.summary.reviewed", language), inline=False,
                        value=t("review.summary.reviewed_value", language, count=summary.reviewed, **counts))
        recalled = summary.reviewed - counts["again"]
        embed.add_field(name=t("review.summary.retention", language), inline=False,
                        value=t("review.summary.retention_value", language, percent=percent(summary.retention),
                                recalled=recalled, count=summary.reviewed))
    if summary.next_due is not None:
        embed.add_field(name=t("review.summary.next_due", language), value=when(summary.next_due, summary.zone,
                                                                                 language), inline=False)
    return embed


def stats_embed(stats: DeckStats, language: str) -> discord.Embed:
    embed = discord.Embed(title=t("review.stats.title", language), colour=COLOR)
    if not stats.cards:
        embed.description = t("review.summary.empty_deck", language)
    embed.add_field(name=t("review.stats.cards", language), inline=False,
                    value=t("review.stats.cards_value", language, total=stats.cards, new=stats.new,
                            learning=stats.learning, reviewing=stats.reviewing))
    forecast = stats.forecast
    embed.add_field(name=t("review.stats.due", language), inline=False,
                    value=t("review.stats.due_value", language, now=forecast.now, today=forecast.today,
                            week=forecast.next_7_days))
    if forecast.next_7_days:
        embed.add_field(name=t("review.stats.week", language), inline=False,
                        value=" · ".join(f"{day:%m-%d} {count}" for day, count in forecast.days if count))
    embed.add_field(name=t("review.stats.retention", language),
                    value=t("review.stats.retention_value", language, percent=percent(stats.retention),
                            count=stats.ratings))
    embed.add_field(name=t("review.stats.recall", language), value=percent(stats.recall_now))
    if stats.topics:
        lines = [t("review.stats.topic_line", language, topic=count.topic.name(language), cards=count.cards,
                   due=count.due) for count in stats.topics]
        embed.add_field(name=t("review.stats.topics", language), value=clip("\n".join(lines), FIELD_LIMIT),
                        inline=False)
    embed.add_field(name=t("review.stats.next_due", language), value=when(stats.next_due, stats.zone, language),
                    inline=False)
    if stats.reminders_paused:
        reminder = t("review.stats.reminder_paused", language)
    elif stats.remind_time is not None:
        reminder = t("review.stats.reminder_on", language, time=stats.remind_time.strftime("%H:%M"),
                     zone=stats.remind_zone)
    else:
        reminder = t("review.stats.reminder_off", language)
    embed.add_field(name=t("review.stats.reminder", language), value=reminder, inline=False)
    embed.set_footer(text=t("review.stats.footer", language, zone=stats.zone))
    return embed


def reminder_embed(plan: ReminderPlan, language: str) -> discord.Embed:
    embed = discord.Embed(title=t("review.reminder.title", language),
                          description=t("review.reminder.body", language, count=plan.due), colour=COLOR)
    embed.set_footer(text=t("review.reminder.footer", language))
    return embed
