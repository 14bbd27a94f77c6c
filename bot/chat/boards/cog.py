"""`/leaderboard`, `/groups` for members, and `/group add|remove` for server managers."""

from __future__ import annotations

import asyncio
import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.chat.boards.chart import MAX_GROUPS, render_groups_png
from bot.chat.boards.render import board_embed, group_where, groups_embed
from bot.chat.boards.views import BoardPageButton, board_view, role_members
from bot.chat.shared.autocomplete import topic_choices
from bot.chat.shared.feature import Feature
from bot.chat.shared.locale import language_of
from bot.domain.boards import ALL
from bot.i18n import t
from bot.services.boards import BoardQuery, BoardService

if TYPE_CHECKING:
    pass

PERIOD_CHOICES = [app_commands.Choice(name=name, value=value) for name, value in
                  (("today", "day"), ("this week", "week"), ("this month", "month"), ("all time", "all"))]
GROUPS_CHART_NAME = "groups.png"
POINTS_CHOICES = [app_commands.Choice(name=name, value=value) for name, value in
                  (("daily question + quizzes", "all"), ("daily question only", "daily"), ("quizzes only", "quiz"))]


class BoardsCog(Feature, commands.Cog):
    group = app_commands.Group(name="group", description="Name the server's study groups (server managers)",
                               guild_only=True, default_permissions=discord.Permissions(manage_guild=True))

    items = (BoardPageButton,)

    def parts(self) -> list[object]:
        self.service = BoardService(self.bot.db, self.bot.bank)
        return [self.service]

    @app_commands.command(name="leaderboard", description="Top members by points, with your own rank")
    @app_commands.guild_only()
    @app_commands.describe(period="Which period (in the server's time zone)", topic="Only points of one topic",
                           points="Which points count", group="Only the members of one study group")
    @app_commands.choices(period=PERIOD_CHOICES, points=POINTS_CHOICES)
    async def leaderboard(self, interaction: discord.Interaction, period: str = "week", topic: str | None = None,
                          points: str = "all", group: str | None = None) -> None:
        guild_id = interaction.guild_id or 0
        group_id = (await self.service.group_named(guild_id, group)).id if group else None
        query = BoardQuery(period=period, topic_id=(topic or ALL).strip(), scope=points, group_id=group_id)
        board = await self.service.board(guild_id, interaction.user.id, query, self.bot.clock.now(),
                                         role_members(interaction.guild))
        language = language_of(interaction)
        await interaction.response.send_message(embed=board_embed(board, self.bot.bank, language),
                                                view=board_view(board, language), ephemeral=True)

    @leaderboard.autocomplete("topic")
    async def _topics(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return topic_choices(self.bot.bank.for_guild(interaction.guild_id), current, language_of(interaction))

    @leaderboard.autocomplete("group")
    async def _groups(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        needle = current.strip().casefold()
        return [app_commands.Choice(name=group.name, value=group.name)
                for group in await self.service.groups(interaction.guild_id or 0)
                if needle in group.name.casefold()][:25]

    @app_commands.command(name="groups", description="Study groups ranked against each other")
    @app_commands.guild_only()
    @app_commands.describe(period="Which period (in the server's time zone)", topic="Only points of one topic",
                           points="Which points count")
    @app_commands.choices(period=PERIOD_CHOICES, points=POINTS_CHOICES)
    async def groups(self, interaction: discord.Interaction, period: str = "week", topic: str | None = None,
                     points: str = "all") -> None:
        # The chart takes a moment: acknowledge first, render off the event loop, then send.
        await interaction.response.defer(ephemeral=True, thinking=True)
        guild_id, now, members = interaction.guild_id or 0, self.bot.clock.now(), role_members(interaction.guild)
        query = BoardQuery(period=period, topic_id=(topic or ALL).strip(), scope=points)
        board = await self.service.groups_board(guild_id, query, now, members)
        language = language_of(interaction)
        embed = groups_embed(board, self.bot.bank, language)
        if not board.ranked:
            await interaction.followup.send(embed=embed, ephemeral=True)
            return
        shown = [group for _rank, _score, group in board.ranked[:MAX_GROUPS]]
        progress = await self.service.groups_progress(guild_id, shown, now, members)
        names = {topic.id: topic.name(language) for topic in self.bot.bank.topics}
        png = await asyncio.to_thread(render_groups_png, progress, names, language)
        embed.set_image(url=f"attachment://{GROUPS_CHART_NAME}")
        chart = discord.File(io.BytesIO(png), filename=GROUPS_CHART_NAME,
                             description=t("chart.groups.image_alt", language))
        await interaction.followup.send(embed=embed, file=chart, ephemeral=True)

    groups.autocomplete("topic")(_topics)

    @group.command(name="add", description="Name a role, or a channel with a daily question, as a study group")
    @app_commands.describe(name="The group's name", role="Members holding this role",
                           channel="Members who answer this channel's daily question")
    async def add(self, interaction: discord.Interaction, name: app_commands.Range[str, 1, 50],
                  role: discord.Role | None = None, channel: discord.TextChannel | None = None) -> None:
        added = await self.service.add_group(interaction.guild_id or 0, name, role_id=role.id if role else None,
                                             channel_id=channel.id if channel else None,
                                             created_by=interaction.user.id)
        await interaction.response.send_message(
            t("board.group.added", language_of(interaction), name=discord.utils.escape_markdown(added.name),
              where=group_where(added)), ephemeral=True)

    @group.command(name="remove", description="Remove a study group (members keep their points)")
    @app_commands.describe(name="The study group's name")
    async def remove(self, interaction: discord.Interaction, name: str) -> None:
        await self.service.remove_group(interaction.guild_id or 0, name)
        await interaction.response.send_message(
            t("board.group.removed", language_of(interaction), name=discord.utils.escape_markdown(name.strip())),
            ephemeral=True)

    remove.autocomplete("name")(_groups)
