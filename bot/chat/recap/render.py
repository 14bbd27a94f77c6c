"""The weekly recap embed."""

from __future__ import annotations

import discord

from bot.chat.shared.embeds import FIELD_LIMIT, HIGHLIGHT_COLOR, clip, coverage_percent
from bot.i18n import t
from bot.services.recap import RecapContent


def recap_embed(content: RecapContent, language: str) -> discord.Embed:
    embed = discord.Embed(title=t("recap.title", language, first=content.first.isoformat(),
                                  last=content.last.isoformat()), colour=HIGHLIGHT_COLOR)
    nobody = t("recap.nobody", language)
    top = [t("recap.top_line", language, rank=rank, member=f"<@{user}>", points=points)
           for rank, (user, points) in enumerate(content.top, start=1)]
    embed.add_field(name=t("recap.top", language), value=clip("\n".join(top) or nobody, FIELD_LIMIT), inline=False)
    streaks = [t("recap.streak_line", language, member=f"<@{user}>", days=days) for user, days in content.streaks]
    embed.add_field(name=t("recap.streaks", language), value="\n".join(streaks) or nobody, inline=False)
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
