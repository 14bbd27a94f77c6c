"""The weekly recap embed and the monthly season summary's."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.chat.shared.embeds import FIELD_LIMIT, HIGHLIGHT_COLOR, clip, coverage_percent, topic_label
from bot.domain.bank import Bank
from bot.i18n import t
from bot.services.recap import RecapContent, SeasonContent


def _standings(embed: discord.Embed, top: Sequence[tuple[int, int]], streaks: Sequence[tuple[int, int]],
               language: str, heading: str) -> None:
    """The points ranking and the longest streaks, under the recap's or the season's headings."""
    nobody = t("recap.nobody", language)
    ranked = [t("recap.top_line", language, rank=rank, member=f"<@{user}>", points=points)
              for rank, (user, points) in enumerate(top, start=1)]
    embed.add_field(name=t(f"{heading}.top", language), value=clip("\n".join(ranked) or nobody, FIELD_LIMIT),
                    inline=False)
    longest = [t("recap.streak_line", language, member=f"<@{user}>", days=days) for user, days in streaks]
    embed.add_field(name=t(f"{heading}.streaks", language), value=clip("\n".join(longest) or nobody, FIELD_LIMIT),
                    inline=False)


def recap_embed(content: RecapContent, language: str) -> discord.Embed:
    embed = discord.Embed(title=t("recap.title", language, first=content.first.isoformat(),
                                  last=content.last.isoformat()), colour=HIGHLIGHT_COLOR)
    _standings(embed, content.top, content.streaks, language, "recap")
    if content.hardest is not None:
        hard = content.hardest
        prompt = clip(hard.question.prompt, 300)
        if hard.message_id:
            prompt = f"[{prompt}](https://discord.com/channels/{content.guild_id}/{hard.channel_id}/{hard.message_id})"
        embed.add_field(name=t("recap.hardest", language), inline=False, value=clip(t(
            "recap.hardest_line", language, date=hard.local_date, prompt=prompt, answers=hard.answers,
            coverage=coverage_percent(hard.coverage, language), red=hard.red), FIELD_LIMIT))
    voted = []
    for answer in content.voted:
        prompt = clip(answer.question.prompt, 60)
        if answer.thread_id and answer.message_id:
            prompt = f"[{prompt}](https://discord.com/channels/{content.guild_id}/{answer.thread_id}/{answer.message_id})"
        voted.append(t("recap.voted_line", language, member=f"<@{answer.user_id}>", votes=answer.votes, prompt=prompt))
    if voted:
        embed.add_field(name=t("recap.voted", language), value=clip("\n".join(voted), FIELD_LIMIT), inline=False)
    embed.set_footer(text=t("recap.footer", language))
    return embed


def season_embed(content: SeasonContent, bank: Bank, language: str) -> discord.Embed:
    """The month's summary: the champion, the month's top, its longest streaks, the most answered topic."""
    embed = discord.Embed(title=t("season.title", language, month=content.month), colour=HIGHLIGHT_COLOR)
    if content.top:
        champion, points = content.top[0]
        embed.add_field(name=t("season.champion", language), inline=False,
                        value=t("season.champion_line", language, member=f"<@{champion}>", points=points))
    _standings(embed, content.top, content.streaks, language, "season")
    if content.topic is not None:
        topic_id, answers = content.topic
        embed.add_field(name=t("season.topic", language), inline=False, value=t(
            "season.topic_line", language, topic=topic_label(bank, topic_id, language), answers=answers))
    figures = content.figures
    embed.add_field(name=t("season.figures", language), inline=False, value=t(
        "season.figures_line", language, posts=figures.posts, answers=figures.answers, members=figures.members))
    embed.set_footer(text=t("season.footer", language))
    return embed
