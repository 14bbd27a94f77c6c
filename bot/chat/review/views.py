"""The buttons of a review session and of the reminder DM.

Every custom id carries the member it belongs to (and the session and card), so the buttons keep working after a
restart, and every click by anyone else is refused before anything is read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

from bot.chat.review import render
from bot.chat.shared.audience import audience, home_guild
from bot.chat.shared.buttons import PersistentButton
from bot.chat.shared.errors import guarded
from bot.chat.shared.locale import language_of
from bot.domain.review import RATING_NAMES, RATINGS, Rating
from bot.i18n import t
from bot.services.review import Rated, ReviewService, SessionCard, SessionSummary

if TYPE_CHECKING:
    from bot.chat.client import StudyBot

RATING_STYLES = {Rating.Again: discord.ButtonStyle.danger, Rating.Hard: discord.ButtonStyle.secondary,
                 Rating.Good: discord.ButtonStyle.success, Rating.Easy: discord.ButtonStyle.primary}


def _bot(interaction: discord.Interaction) -> StudyBot:
    return interaction.client  # type: ignore[return-value]


def review_service(bot: StudyBot) -> ReviewService:
    return bot.services.get(ReviewService)


async def _owner(interaction: discord.Interaction, user_id: int) -> tuple[StudyBot, str] | None:
    """The bot and the member's language when the member a button was made for pressed it; anyone else gets a
    private refusal (and None)."""
    language = language_of(interaction)
    if interaction.user.id != user_id:
        await interaction.response.send_message(t("review.not_yours", language), ephemeral=True)
        return None
    return _bot(interaction), language


def step_message(bot: StudyBot, step: SessionCard | SessionSummary, user_id: int,
                 language: str) -> dict[str, Any]:
    """Message arguments for the next step of a session: a card with Show answer, or the summary."""
    if isinstance(step, SessionSummary):
        return {"embeds": [render.summary_embed(step, language)], "view": None}
    view = discord.ui.View(timeout=None)
    view.add_item(ShowButton(user_id, step.session_id, step.card.id, t("review.button.show", language)))
    view.add_item(EndButton(user_id, step.session_id, t("review.button.end", language)))
    return {"embeds": render.card_embeds(bot.bank, step, language, bot.clock.now(), with_answer=False), "view": view}


def start_view(user_id: int, language: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(StartButton(user_id, t("review.button.start", language)))
    return view


class StartButton(PersistentButton, template=r"review:start:(?P<user_id>\d+)"):
    """On the reminder DM: starts a session right there (a DM has no guild; the deck is the member's anyway)."""

    def __init__(self, user_id: int, label: str = "Start review") -> None:
        super().__init__(label=label, style=discord.ButtonStyle.primary, emoji="🧠", user_id=user_id)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        if (owner := await _owner(interaction, self.user_id)) is None:
            return
        bot, language = owner
        step = await review_service(bot).start(self.user_id, home_guild(interaction), bot.clock.now(),
                                               scope=audience(interaction))
        message = step_message(bot, step, self.user_id, language)
        if message["view"] is None:
            del message["view"]
        await interaction.response.send_message(**message, ephemeral=True)


class ShowButton(PersistentButton,
                 template=r"review:show:(?P<user_id>\d+):(?P<session_id>\d+):(?P<card_id>\d+)"):
    def __init__(self, user_id: int, session_id: int, card_id: int, label: str = "Show answer") -> None:
        super().__init__(label=label, style=discord.ButtonStyle.primary, user_id=user_id, session_id=session_id,
                         card_id=card_id)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        if (owner := await _owner(interaction, self.user_id)) is None:
            return
        bot, language = owner
        now = bot.clock.now()
        step = await review_service(bot).show(self.user_id, self.session_id, self.card_id, now,
                                              scope=audience(interaction))
        view = discord.ui.View(timeout=None)
        for rating in RATINGS:
            view.add_item(RateButton(self.user_id, self.session_id, self.card_id, rating,
                                     render.rating_label(rating, language)))
        view.add_item(EndButton(self.user_id, self.session_id, t("review.button.end", language)))
        await interaction.response.edit_message(
            embeds=render.card_embeds(bot.bank, step, language, now, with_answer=True), view=view)


class RateButton(PersistentButton,
                 template=r"review:rate:(?P<user_id>\d+):(?P<session_id>\d+):(?P<card_id>\d+):(?P<rating>[1-4])"):
    def __init__(self, user_id: int, session_id: int, card_id: int, rating: Rating, label: str | None = None) -> None:
        super().__init__(label=label or RATING_NAMES[rating], style=RATING_STYLES[rating], user_id=user_id,
                         session_id=session_id, card_id=card_id, rating=rating)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        if (owner := await _owner(interaction, self.user_id)) is None:
            return
        bot, language = owner
        rated: Rated = await review_service(bot).rate(self.user_id, self.session_id, self.card_id, self.rating,
                                                      bot.clock.now(), scope=audience(interaction))
        message = step_message(bot, rated.following, self.user_id, language)
        await interaction.response.edit_message(content=render.rated_text(rated, language), **message)


class EndButton(PersistentButton,
                template=r"review:end:(?P<user_id>\d+):(?P<session_id>\d+)"):
    def __init__(self, user_id: int, session_id: int, label: str = "End session") -> None:
        super().__init__(label=label, style=discord.ButtonStyle.secondary, user_id=user_id, session_id=session_id)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        if (owner := await _owner(interaction, self.user_id)) is None:
            return
        bot, language = owner
        summary = await review_service(bot).finish(self.user_id, self.session_id, bot.clock.now())
        await interaction.response.edit_message(content=None, embeds=[render.summary_embed(summary, language)],
                                                view=None)


DYNAMIC_ITEMS = (StartButton, ShowButton, RateButton, EndButton)
