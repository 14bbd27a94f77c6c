"""Buttons of boards. Their custom ids carry their whole state, so they keep working after a restart."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.chat.boards.render import board_embed
from bot.chat.shared.errors import guarded
from bot.chat.shared.locale import language_of
from bot.chat.shared.services import services
from bot.i18n import t
from bot.services.boards import Board, BoardQuery, BoardService


def role_members(guild: discord.Guild | None):
    """Who holds a role, from the member cache (the bot has the members intent)."""

    def members(role_id: int) -> list[int]:
        role = guild.get_role(role_id) if guild else None
        return [member.id for member in role.members] if role else []

    return members


class BoardPageButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"board:page:(?P<period>day|week|month|all):(?P<bucket>[0-9W-]*):(?P<topic>[a-z0-9*-]+):"
             r"(?P<scope>all|daily|quiz):(?P<group>\d+):(?P<page>\d+)",
):
    """Turns the board to `query.page`, on the same bucket (so page 2 of this week stays this week)."""

    def __init__(self, query: BoardQuery, bucket: str, *, label: str = "›", disabled: bool = False) -> None:
        custom_id = (f"board:page:{query.period}:{bucket}:{query.topic_id}:{query.scope}:{query.group_id or 0}:"
                     f"{query.page}")
        super().__init__(discord.ui.Button(label=label, style=discord.ButtonStyle.secondary, custom_id=custom_id,
                                           disabled=disabled))
        self.query = BoardQuery(query.period, query.topic_id, query.scope, query.group_id, query.page, bucket)

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button[Any],
                             match: re.Match[str]) -> BoardPageButton:
        group = int(match["group"])
        query = BoardQuery(match["period"], match["topic"], match["scope"], group or None, int(match["page"]))
        return cls(query, match["bucket"], label=item.label or "›")

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        board = await services(interaction).get(BoardService).board(
            interaction.guild_id or 0, interaction.user.id, self.query, interaction.client.clock.now(),
            role_members(interaction.guild))
        language = language_of(interaction)
        await interaction.response.edit_message(embed=board_embed(board, interaction.client.bank, language),
                                                view=board_view(board, language))


def board_view(board: Board, language: str) -> discord.ui.View:
    query = board.query
    view = discord.ui.View(timeout=None)
    previous = BoardQuery(query.period, query.topic_id, query.scope, query.group_id, max(query.page - 1, 0))
    following = BoardQuery(query.period, query.topic_id, query.scope, query.group_id, query.page + 1)
    view.add_item(BoardPageButton(previous, board.bucket, label=t("board.button.previous", language),
                                  disabled=query.page == 0))
    view.add_item(BoardPageButton(following, board.bucket, label=t("board.button.next", language),
                                  disabled=not board.has_next))
    return view


