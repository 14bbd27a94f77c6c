"""Embeds of leaderboards and study groups. Members appear as <@id> mentions, which
embeds show as names and never ping."""

from __future__ import annotations

import discord

from bot.chat.shared.embeds import COLOR, FIELD_LIMIT, clip, topic_label
from bot.domain.bank import Bank
from bot.i18n import t
from bot.services.boards import Board, GroupsBoard
from bot.storage.boards import GroupRow


def period_label(period: str, bucket: str, language: str) -> str:
    return t(f"board.period.{period}", language, bucket=bucket)


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
    embed.description = clip("\n".join([" · ".join(header), "", *lines]), 4096)
    viewer = board.viewer
    if not viewer.in_group:
        you = t("board.you.not_in_group", language)
    elif viewer.rank is None:
        you = t("board.you.none", language)
    else:
        you = t("board.you.rank", language, rank=viewer.rank, points=viewer.points)
    if viewer.hidden:
        you += "\n" + t("board.you.hidden", language)
    embed.add_field(name=t("board.you", language), value=clip(you, FIELD_LIMIT), inline=False)
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
    embed.description = clip("\n".join(lines), 4096)
    embed.set_footer(text=t("board.groups.footer", language) + " · " + t(f"board.scope.{board.scope}", language))
    return embed


