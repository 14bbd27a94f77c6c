"""`/qotd ...` for admins, and the raw reaction events of daily posts and revealed answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.chat.qotd.render import status_embed
from bot.chat.qotd.runner import QotdRunner
from bot.chat.qotd.views import DYNAMIC_ITEMS, MODALS
from bot.chat.shared.autocomplete import topic_list_choices, zone_choices
from bot.chat.shared.embeds import discord_time
from bot.chat.shared.feature import Feature
from bot.chat.shared.locale import language_of
from bot.chat.shared.permissions import missing_permissions, permission_labels
from bot.domain.errors import DomainError
from bot.domain.schedule import next_post
from bot.domain.timetext import parse_clock, parse_reveal
from bot.i18n import t
from bot.services.grades import GradeFeed
from bot.services.qotd import QotdService, rule_of
from bot.services.server import ServerSettings
from bot.storage.schedules import ScheduleInput

if TYPE_CHECKING:
    pass

TextChannel = discord.TextChannel


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class QotdCog(Feature, commands.GroupCog, group_name="qotd", group_description="The daily question (server managers)"):
    items = DYNAMIC_ITEMS
    modals = MODALS

    def parts(self) -> list[object]:
        self.service = QotdService(self.bot.db, self.bot.bank, grades=self.bot.services.get(GradeFeed))
        self.runner = QotdRunner(self.bot, self.service)
        return [self.service, self.runner]

    @app_commands.command(name="setup", description="Post a daily question in a channel, on its own schedule")
    @app_commands.describe(
        channel="Where to post", post_time="Local time to post, 24h HH:MM", timezone="IANA time zone",
        reveal="A local time (21:00) or a delay after the post (90m, 8h)",
        topics="Topic ids separated by commas (empty: all)", min_difficulty="Lowest difficulty (1-3)",
        max_difficulty="Highest difficulty (1-3)", role="A role to ping with each post",
        language="Language of the posts",
    )
    async def setup(
        self, interaction: discord.Interaction, channel: discord.TextChannel, post_time: str, timezone: str,
        reveal: str, topics: str | None = None, min_difficulty: app_commands.Range[int, 1, 3] = 1,
        max_difficulty: app_commands.Range[int, 1, 3] = 3, role: discord.Role | None = None,
        language: Literal["zh", "en"] = "zh",
    ) -> None:
        reply = language_of(interaction)
        me = channel.guild.me
        missing = missing_permissions(channel.permissions_for(me))
        if missing:
            raise DomainError("qotd.missing_permissions", channel=channel.mention,
                              permissions=", ".join(permission_labels(missing)))
        reveal_time, reveal_after = parse_reveal(reveal)
        chosen = frozenset(part.strip() for part in (topics or "").split(",") if part.strip())
        schedule = await self.service.configure(ScheduleInput(
            guild_id=channel.guild.id, channel_id=channel.id, post_time=parse_clock(post_time),
            timezone=timezone.strip(), reveal_time=reveal_time, reveal_after_minutes=reveal_after, topics=chosen,
            min_difficulty=min_difficulty, max_difficulty=max_difficulty, ping_role_id=role.id if role else None,
            language=language, created_by=interaction.user.id,
        ))
        await self.runner.arm_channel(schedule.channel_id)
        _day, first = next_post(rule_of(schedule), self.bot.clock.now())
        when = (t("qotd.reveal_at_time", reply, time=schedule.reveal_time.strftime("%H:%M"))
                if schedule.reveal_time else t("qotd.reveal_after", reply, minutes=schedule.reveal_after_minutes))
        await interaction.response.send_message(
            t("qotd.saved", reply, channel=channel.mention, post_time=schedule.post_time.strftime("%H:%M"),
              timezone=schedule.timezone, reveal=when, next_post=discord_time(first)),
            ephemeral=True,
        )

    @setup.autocomplete("timezone")
    async def _zones(self, _interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return zone_choices(current)

    @setup.autocomplete("topics")
    async def _topics(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return topic_list_choices(self.bot.bank.for_guild(interaction.guild_id), current, language_of(interaction))

    @app_commands.command(name="status", description="Show this server's daily-question schedules")
    async def status(self, interaction: discord.Interaction) -> None:
        statuses = await self.service.status(interaction.guild_id or 0, self.bot.clock.now())
        await interaction.response.send_message(embed=status_embed(statuses, language_of(interaction)),
                                                ephemeral=True)

    async def _pause(self, interaction: discord.Interaction, channel: TextChannel | None, paused: bool) -> None:
        target = channel or interaction.channel
        await self.service.set_paused(getattr(target, "id", 0), paused)
        await self.runner.arm_channel(getattr(target, "id", 0))
        key = "qotd.paused" if paused else "qotd.resumed"
        await interaction.response.send_message(t(key, language_of(interaction), channel=f"<#{target.id}>"),
                                                ephemeral=True)

    @app_commands.command(name="timezone", description="The server time zone for boards, recaps and quiz points")
    @app_commands.describe(timezone="IANA time zone; leave empty to use the first schedule's zone")
    async def timezone(self, interaction: discord.Interaction, timezone: str | None = None) -> None:
        zone = await self.bot.services.get(ServerSettings).choose_timezone(interaction.guild_id or 0, timezone)
        await interaction.response.send_message(t("qotd.timezone_set", language_of(interaction), timezone=zone),
                                                ephemeral=True)

    @app_commands.command(name="language", description="The language of what everyone in this server reads")
    @app_commands.describe(language="zh (中文) or en (English)")
    async def language(self, interaction: discord.Interaction, language: Literal["zh", "en"]) -> None:
        await self.bot.services.get(ServerSettings).choose_language(interaction.guild_id or 0, language)
        await interaction.response.send_message(
            t("qotd.language_set", language_of(interaction), language=t(f"language.{language}", language_of(
                interaction))), ephemeral=True)

    @timezone.autocomplete("timezone")
    async def _server_zones(self, _interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return zone_choices(current)

    @app_commands.command(name="pause", description="Pause a channel's daily question")
    @app_commands.describe(channel="The channel (default: this one)")
    async def pause(self, interaction: discord.Interaction, channel: TextChannel | None = None) -> None:
        await self._pause(interaction, channel, True)

    @app_commands.command(name="resume", description="Resume a channel's daily question")
    @app_commands.describe(channel="The channel (default: this one)")
    async def resume(self, interaction: discord.Interaction, channel: TextChannel | None = None) -> None:
        await self._pause(interaction, channel, False)

    @app_commands.command(name="now", description="Post today's question at once (to try it out)")
    @app_commands.describe(channel="The channel (default: this one)")
    async def now(self, interaction: discord.Interaction, channel: TextChannel | None = None) -> None:
        await self._today(interaction, channel, self.runner.post_now, "qotd.posted_now")

    @app_commands.command(name="skip", description="Replace today's question before anyone answers")
    @app_commands.describe(channel="The channel (default: this one)")
    async def skip(self, interaction: discord.Interaction, channel: TextChannel | None = None) -> None:
        await self._today(interaction, channel, self.runner.skip, "qotd.skipped")

    async def _today(self, interaction: discord.Interaction, channel: TextChannel | None,
                     action: Callable[[int], Awaitable[object]], done_key: str) -> None:
        """/qotd now and skip: act on today's post of the channel (posting takes a moment: defer first)."""
        target = channel or interaction.channel
        await interaction.response.defer(ephemeral=True, thinking=True)
        await action(getattr(target, "id", 0))
        await interaction.followup.send(t(done_key, language_of(interaction)), ephemeral=True)

    # -- raw reactions: the message may not be in the cache ------------------------------------------------
    @commands.Cog.listener()
    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        await self._reaction(payload, added=True)

    @commands.Cog.listener()
    async def on_raw_reaction_remove(self, payload: discord.RawReactionActionEvent) -> None:
        await self._reaction(payload, added=False)

    async def _reaction(self, payload: discord.RawReactionActionEvent, *, added: bool) -> None:
        if payload.guild_id is None or (self.bot.user and payload.user_id == self.bot.user.id):
            return
        await self.service.reaction(payload.message_id, payload.user_id, str(payload.emoji), added)

