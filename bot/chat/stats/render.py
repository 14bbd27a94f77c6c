"""The /stats embed."""

from __future__ import annotations

import discord

from bot.chat.shared.embeds import COLOR, FIELD_LIMIT, clip, coverage_percent, topic_label
from bot.domain.bank import Bank
from bot.i18n import t
from bot.services.stats import MemberStats


def stats_embed(stats: MemberStats, bank: Bank, timezone: str, language: str) -> discord.Embed:
    embed = discord.Embed(title=t("stats.title", language), colour=COLOR,
                          description=t("stats.member", language, member=f"<@{stats.user_id}>"))
    embed.add_field(name=t("stats.points", language),
                    value=t("stats.points_value", language, points=stats.points, week=stats.week_points))
    embed.add_field(name=t("stats.rank", language),
                    value=t("stats.rank_value", language, rank=stats.rank) if stats.rank else t("stats.no_rank",
                                                                                                 language))
    embed.add_field(name=t("stats.streak", language),
                    value=t("stats.streak_value", language, current=stats.current_streak, best=stats.best_streak))
    embed.add_field(name=t("stats.answers", language), inline=False,
                    value=t("stats.answers_value", language, answers=stats.answers,
                            days=stats.heatmap.active_days))
    topics = [
        t("stats.topic_line", language, topic=topic_label(bank, topic.topic_id, language), answers=topic.answers,
          coverage=coverage_percent(topic.coverage, language), got=topic.got, partly=topic.partly, missed=topic.missed)
        for topic in stats.topics
    ]
    embed.add_field(name=t("stats.topics", language), inline=False,
                    value=clip("\n".join(topics), FIELD_LIMIT) if topics else t("stats.no_answers", language))
    if stats.hidden:
        embed.add_field(name="\u200b", value=t("stats.hidden_note", language), inline=False)
    embed.set_footer(text=t("stats.footer", language, timezone=timezone, today=stats.today.isoformat()))
    return embed


