"""`/roles` for server managers: streak roles at N days, the monthly champion role, and the list of both."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.chat.roles.facts import role_facts
from bot.chat.roles.render import role_label, settings_text
from bot.chat.roles.runner import RoleRunner
from bot.chat.shared.feature import Feature
from bot.chat.shared.locale import language_of
from bot.i18n import t
from bot.services.boards import BoardService
from bot.services.roles import MAX_DAYS, RoleMemberData, RoleService

if TYPE_CHECKING:
    pass


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class RolesCog(Feature, commands.GroupCog, group_name="roles",
               group_description="Reward roles for streaks and the monthly champion (server managers)"):
    streak = app_commands.Group(name="streak", description="Roles for daily-question streaks")

    def parts(self) -> list[object]:
        self.service = RoleService(self.bot.db)
        self.runner = RoleRunner(self.bot, self.service)
        return [self.service, RoleMemberData(self.bot.db), self.runner]

    async def _timezone(self, guild_id: int) -> str:
        return await self.bot.services.get(BoardService).timezone(guild_id)

    async def _apply(self) -> None:
        """After the answer: give and take what the new settings ask at once (the sweep would within minutes)."""
        await self.runner.sweep()

    @streak.command(name="add", description="Give a role to members whose streak reaches N days")
    @app_commands.describe(days="Streak length in days", role="The role to give")
    async def streak_add(self, interaction: discord.Interaction, days: app_commands.Range[int, 1, MAX_DAYS],
                         role: discord.Role) -> None:
        assert interaction.guild is not None
        await self.service.add_tier(interaction.guild.id, days, role.id, role_facts(interaction.guild, role.id),
                                    role.mention, interaction.user.id)
        await interaction.response.send_message(
            t("roles.tier_saved", language_of(interaction), days=days, role=role.mention), ephemeral=True)
        await self._apply()

    @streak.command(name="remove", description="Stop giving the streak role of N days")
    @app_commands.describe(days="Streak length in days")
    async def streak_remove(self, interaction: discord.Interaction,
                            days: app_commands.Range[int, 1, MAX_DAYS]) -> None:
        await self.service.remove_tier(interaction.guild_id or 0, days)
        await interaction.response.send_message(
            t("roles.tier_removed", language_of(interaction), days=days), ephemeral=True)
        await self._apply()

    @app_commands.command(name="champion", description="The role of last month's top member (empty: none)")
    @app_commands.describe(role="The role to give (leave empty to stop)")
    async def champion(self, interaction: discord.Interaction, role: discord.Role | None = None) -> None:
        assert interaction.guild is not None
        guild = interaction.guild
        language = language_of(interaction)
        await self.service.set_champion(guild.id, role.id if role else None,
                                        role_facts(guild, role.id) if role else None,
                                        role.mention if role else "", interaction.user.id)
        text = (t("roles.champion_saved", language, role=role_label(role.id), timezone=await self._timezone(guild.id))
                if role else t("roles.champion_cleared", language))
        await interaction.response.send_message(text, ephemeral=True)
        await self._apply()

    @app_commands.command(name="list", description="The reward roles of this server")
    async def list_roles(self, interaction: discord.Interaction) -> None:
        guild_id = interaction.guild_id or 0
        await interaction.response.send_message(settings_text(
            await self.service.settings(guild_id), await self._timezone(guild_id), language_of(interaction)),
            ephemeral=True)
