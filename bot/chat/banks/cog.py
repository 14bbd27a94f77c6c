"""`/bank ...`: a server's own question packs (upload, topics, turning things off, export)."""

from __future__ import annotations

import contextlib
import io
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.bank.loader import BankError
from bot.bank.packs import MAX_PACK_BYTES
from bot.chat.banks import render
from bot.chat.banks.views import DYNAMIC_ITEMS, MODAL_ROUTES, SUGGEST_MODAL, SuggestionForm, post_for_review
from bot.chat.shared.feature import Feature
from bot.chat.shared.locale import language_of
from bot.i18n import t
from bot.services.banks import BankService, SuggestionService

log = logging.getLogger(__name__)
NONE = discord.AllowedMentions.none()


def _require_manager(interaction: discord.Interaction) -> None:
    user = interaction.user
    if not (isinstance(user, discord.Member) and user.guild_permissions.manage_guild):
        raise app_commands.MissingPermissions(["manage_guild"])


async def reload_shipped(bot: commands.Bot) -> None:
    """The SIGHUP handler: reload the shipped bank; a refusal is logged by the service, the old bank kept."""
    with contextlib.suppress(BankError):
        await bot.services.get(BankService).reload_shipped(bot.settings.bank_dir)  # type: ignore[attr-defined]


class BanksCog(Feature, commands.Cog):
    bank = app_commands.Group(name="bank", description="This server's own questions: packs, topics, exports",
                              guild_only=True)
    items = DYNAMIC_ITEMS
    modals = MODAL_ROUTES

    def parts(self) -> list[object]:
        self.service = BankService(self.bot.db, self.bot.bank)
        self.suggestions = SuggestionService(self.bot.db, self.service)
        return [self.service, self.suggestions]

    @app_commands.command(name="suggest", description="Suggest a question for this server's bank")
    @app_commands.guild_only()
    async def suggest(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        await interaction.response.send_modal(SuggestionForm(self.bot, SUGGEST_MODAL,
                                                             {"guild_id": interaction.guild_id},
                                                             language_of(interaction)))

    @bank.command(name="review-channel",
                  description="Where members' suggestions are posted for review (Manage Server)")
    @app_commands.describe(channel="A text channel managers read")
    async def review_channel(self, interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        _require_manager(interaction)
        assert interaction.guild_id is not None
        await self.suggestions.set_review_channel(interaction.guild_id, channel.id, self.bot.clock.now())
        await interaction.response.defer(ephemeral=True, thinking=True)
        posted = 0
        for waiting in await self.suggestions.unposted(interaction.guild_id):
            posted += await post_for_review(self.bot, waiting)
        await interaction.followup.send(t("banks.review_channel.set", language_of(interaction),
                                          channel=channel.mention, posted=posted), ephemeral=True)

    async def cog_load(self) -> None:
        await super().cog_load()
        await self.service.load()  # the database is the source of truth of every server's own questions

    @bank.command(name="upload", description="Add or update this server's questions from a YAML or CSV file")
    @app_commands.describe(file="A .yaml file in the bank's format or a .csv with the documented columns")
    async def upload(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        _require_manager(interaction)
        assert interaction.guild_id is not None
        language = language_of(interaction)
        if file.size > MAX_PACK_BYTES:
            await interaction.response.send_message(
                t("banks.upload.too_big", language, source=file.filename[:100], size=f"{file.size:,}",
                  most=f"{MAX_PACK_BYTES:,}"), ephemeral=True, allowed_mentions=NONE)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            data = await file.read()
        except discord.HTTPException:
            log.warning("bank upload: could not read %s", file.url, exc_info=True)
            await interaction.followup.send(t("banks.upload.unreadable", language), ephemeral=True)
            return
        try:
            result = await self.service.upload(interaction.guild_id, interaction.user.id, file.filename, data,
                                               self.bot.clock.now())
        except BankError as error:
            text, attachment = render.upload_refused(file.filename, error, language)
            if attachment is None:
                await interaction.followup.send(text, ephemeral=True, allowed_mentions=NONE)
            else:
                await interaction.followup.send(text, file=attachment, ephemeral=True, allowed_mentions=NONE)
            return
        await interaction.followup.send(render.upload_done(result, language), ephemeral=True, allowed_mentions=NONE)

    @bank.command(name="topics", description="This server's topics, shipped and its own, with their counts")
    async def topics(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        lines = await self.service.topics(interaction.guild_id)
        await interaction.response.send_message(embed=render.topics_embed(lines, language_of(interaction)),
                                                ephemeral=True)

    async def _toggle(self, interaction: discord.Interaction, item: str, off: bool) -> None:
        _require_manager(interaction)
        assert interaction.guild_id is not None
        language = language_of(interaction)
        kind, label = await self.service.set_off(interaction.guild_id, item, off, interaction.user.id,
                                                 self.bot.clock.now())
        key = "banks.off.done" if off else "banks.on.done"
        await interaction.response.send_message(t(key, language, kind=t(f"banks.kind.{kind}", language),
                                                  label=label[:100]), ephemeral=True, allowed_mentions=NONE)

    @bank.command(name="off", description="Take a topic or a question out of this server's draw")
    @app_commands.describe(item="A topic id or a question id")
    async def turn_off(self, interaction: discord.Interaction, item: str) -> None:
        await self._toggle(interaction, item, True)

    @bank.command(name="on", description="Put a topic or question back into this server's draw")
    @app_commands.describe(item="A topic id or a question id")
    async def turn_on(self, interaction: discord.Interaction, item: str) -> None:
        await self._toggle(interaction, item, False)

    @turn_off.autocomplete("item")
    @turn_on.autocomplete("item")
    async def _items(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        needle = current.strip().lower()
        shipped = self.bot.bank.shipped
        server = self.bot.bank.server(interaction.guild_id or 0)
        topics = [*shipped.topics, *(server.topics if server else ())]
        questions = [*shipped, *(server.questions if server else ())]
        found = [app_commands.Choice(name=f"📚 {t_.name_en} ({t_.id})"[:100], value=t_.id) for t_ in topics
                 if needle in t_.id or needle in t_.name_en.lower()]
        found += [app_commands.Choice(name=f"{q.id}: {q.prompt}"[:100], value=q.id) for q in questions
                  if needle and (needle in q.id or needle in q.prompt.lower())]
        return found[:25]

    @bank.command(name="reload", description="Read the shipped questions/ folder again (the bot's owner only)")
    async def reload(self, interaction: discord.Interaction) -> None:
        language = language_of(interaction)
        if not await self.bot.is_owner(interaction.user):
            await interaction.response.send_message(t("banks.reload.owner_only", language), ephemeral=True)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            report = await self.service.reload_shipped(self.bot.settings.bank_dir)
        except BankError as error:
            text, attachment = render.reload_refused(error, len(self.bot.bank.shipped), language)
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=NONE,
                                            **({"file": attachment} if attachment else {}))
            return
        await interaction.followup.send(t("banks.reload.done", language, questions=len(report.bank),
                                          topics=len(report.bank.topics)), ephemeral=True)

    @bank.command(name="export", description="A copy of this server's questions: YAML, CSV or an Anki deck")
    @app_commands.describe(format="yaml (uploads again unchanged), csv, or apkg (Anki)",
                           topic="One topic (any topic for csv and apkg); default: this server's own questions")
    @app_commands.choices(format=[app_commands.Choice(name="YAML", value="yaml"),
                                  app_commands.Choice(name="CSV", value="csv"),
                                  app_commands.Choice(name="Anki deck (.apkg)", value="apkg")])
    async def export(self, interaction: discord.Interaction, format: str, topic: str | None = None) -> None:
        assert interaction.guild_id is not None
        language = language_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        exported = await self.service.export(interaction.guild_id, topic.strip() if topic else None, format)
        files = [discord.File(io.BytesIO(f.data), filename=f.filename) for f in exported.files[:10]]
        await interaction.followup.send(render.export_text(exported, language), files=files, ephemeral=True,
                                        allowed_mentions=NONE)

    @export.autocomplete("topic")
    async def _export_topics(self, interaction: discord.Interaction,
                             current: str) -> list[app_commands.Choice[str]]:
        from bot.chat.shared.autocomplete import topic_choices

        return topic_choices(self.bot.bank.for_guild(interaction.guild_id), current, language_of(interaction))
