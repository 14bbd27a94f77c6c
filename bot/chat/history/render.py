"""The archive's embed: one field per past daily question, newest first."""

from __future__ import annotations

import discord

from bot.chat.shared.embeds import COLOR, discord_time
from bot.i18n import t
from bot.services.qotd import HistoryDay, HistoryPage

FIELD = 1024


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _day_value(day: HistoryDay, language: str) -> str:
    lines = [t("history.figures", language, answers=day.answers, on_time=day.on_time)]
    if day.question is None:
        lines.append(t("history.question_gone", language))
    elif day.revealed:
        lines.append(t("history.reference", language, answer=_clip(day.question.answer, 420)))
    else:
        lines.append(t("history.withheld", language, reveal=discord_time(day.post.reveal_due_at, "R")))
    if day.own_answer is not None:
        lines.append(t("history.yours", language, answer=_clip(day.own_answer, 300)))
    return _clip("\n".join(lines), FIELD) if len("\n".join(lines)) > FIELD else "\n".join(lines)


def history_embed(page: HistoryPage, topic_name: str | None, language: str) -> discord.Embed:
    title = t("history.title_topic", language, topic=topic_name) if topic_name else t("history.title", language)
    embed = discord.Embed(title=title, colour=COLOR)
    if not page.days:
        embed.description = t("history.empty" if page.page == 0 else "history.no_more", language)
    for day in page.days:
        prompt = day.question.prompt if day.question else day.post.question_id
        embed.add_field(name=_clip(f"{day.post.local_date} · {prompt}", 256), value=_day_value(day, language),
                        inline=False)
    embed.set_footer(text=t("history.page", language, page=page.page + 1))
    return embed
