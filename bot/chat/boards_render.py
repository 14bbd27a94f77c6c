"""Embeds of leaderboards, study groups, /stats and the weekly recap. Members appear as <@id> mentions, which
embeds show as names and never ping."""

from __future__ import annotations

import discord

from bot.chat.render import COLOR
from bot.domain.bank import Bank
from bot.domain.boards import ALL
from bot.i18n import t
from bot.services.boards import Board, GroupsBoard
from bot.services.recap import RecapContent
from bot.services.stats import MemberStats
from bot.storage.boards import GroupRow

FIELD_LIMIT = 1024
RECAP_COLOR = discord.Colour.from_rgb(254, 231, 92)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def period_label(period: str, bucket: str, language: str) -> str:
    return t(f"board.period.{period}", language, bucket=bucket)


def topic_label(bank: Bank, topic_id: str, language: str) -> str:
    if topic_id == ALL:
        return t("board.all_topics", language)
    return next((topic.name(language) for topic in bank.topics if topic.id == topic_id), topic_id)


def group_where(group: GroupRow) -> str:
    return f"<@&{group.role_id}>" if group.role_id is not None else f"<#{group.channel_id}>"


def board_embed(board: Board, bank: Bank, language: str) -> discord.Embed:
    query = board.query
    embed = discord.Embed(title=t("board.title", language, period=period_label(query.period, board.bucket, language)),
                          colour=COLOR)
    header = [t("board.topic", language, topic=topic_label(bank, query.topic_id, language))]
    if board.group is not None:
        header.append(t("board.group", language, group=f"{board.group.name} ({group_where(board.group)})"))
    lines = [
        t("board.line", language, rank=line.rank, member=f"<@{line.user_id}>", points=line.points)
        + (t("board.streak", language, days=line.streak) if line.streak else "")
        for line in board.lines
    ]
    if not lines:
        lines = [t("board.empty" if query.page == 0 else "board.empty_page", language)]
    embed.description = _clip("\n".join([" · ".join(header), "", *lines]), 4096)
    viewer = board.viewer
    if not viewer.in_group:
        you = t("board.you.not_in_group", language)
    elif viewer.rank is None:
        you = t("board.you.none", language)
    else:
        you = t("board.you.rank", language, rank=viewer.rank, points=viewer.points)
    if viewer.hidden:
        you += "\n" + t("board.you.hidden", language)
    embed.add_field(name=t("board.you", language), value=_clip(you, FIELD_LIMIT), inline=False)
    embed.set_footer(text=t("board.footer", language, page=query.page + 1, scope=t(f"board.scope.{query.scope}",
                                                                                     language)))
    return embed


def groups_embed(board: GroupsBoard, bank: Bank, language: str) -> discord.Embed:
    title = t("board.groups.title", language, period=period_label(board.period, board.bucket, language))
    embed = discord.Embed(title=title, colour=COLOR)
    if not board.ranked:
        embed.description = t("board.groups.none", language)
        return embed
    lines = [t("board.topic", language, topic=topic_label(bank, board.topic_id, language)), ""]
    lines += [
        t("board.groups.line", language, rank=rank, name=discord.utils.escape_markdown(score.name),
          where=group_where(group), per_active=f"{score.per_active:.1f}", total=score.total, active=score.active)
        for rank, score, group in board.ranked
    ]
    embed.description = _clip("\n".join(lines), 4096)
    embed.set_footer(text=t("board.groups.footer", language) + " · " + t(f"board.scope.{board.scope}", language))
    return embed


def _percent(value: float | None, language: str) -> str:
    return t("stats.no_coverage", language) if value is None else f"{round(value * 100)}%"


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
          coverage=_percent(topic.coverage, language), got=topic.got, partly=topic.partly, missed=topic.missed)
        for topic in stats.topics
    ]
    embed.add_field(name=t("stats.topics", language), inline=False,
                    value=_clip("\n".join(topics), FIELD_LIMIT) if topics else t("stats.no_answers", language))
    if stats.hidden:
        embed.add_field(name="\u200b", value=t("stats.hidden_note", language), inline=False)
    embed.set_footer(text=t("stats.footer", language, timezone=timezone, today=stats.today.isoformat()))
    return embed


def recap_embed(content: RecapContent, language: str) -> discord.Embed:
    embed = discord.Embed(title=t("recap.title", language, first=content.first.isoformat(),
                                  last=content.last.isoformat()), colour=RECAP_COLOR)
    nobody = t("recap.nobody", language)
    top = [t("recap.top_line", language, rank=rank, member=f"<@{user}>", points=points)
           for rank, (user, points) in enumerate(content.top, start=1)]
    embed.add_field(name=t("recap.top", language), value=_clip("\n".join(top) or nobody, FIELD_LIMIT), inline=False)
    streaks = [t("recap.streak_line", language, member=f"<@{user}>", days=days) for user, days in content.streaks]
    embed.add_field(name=t("recap.streaks", language), value="\n".join(streaks) or nobody, inline=False)
    if content.hardest is not None:
        hard = content.hardest
        prompt = _clip(hard.question.prompt, 300)
        if hard.message_id:
            prompt = f"[{prompt}](https://discord.com/channels/{content.guild_id}/{hard.channel_id}/{hard.message_id})"
        embed.add_field(name=t("recap.hardest", language), inline=False, value=_clip(t(
            "recap.hardest_line", language, date=hard.local_date, prompt=prompt, answers=hard.answers,
            coverage=_percent(hard.coverage, language), red=hard.red), FIELD_LIMIT))
    voted = []
    for answer in content.voted:
        prompt = _clip(answer.question.prompt, 60)
        if answer.thread_id and answer.message_id:
            prompt = f"[{prompt}](https://discord.com/channels/{content.guild_id}/{answer.thread_id}/{answer.message_id})"
        voted.append(t("recap.voted_line", language, member=f"<@{answer.user_id}>", votes=answer.votes, prompt=prompt))
    if voted:
        embed.add_field(name=t("recap.voted", language), value=_clip("\n".join(voted), FIELD_LIMIT), inline=False)
    embed.set_footer(text=t("recap.footer", language))
    return embed
