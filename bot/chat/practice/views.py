"""Buttons of solo practice. Ids carry the run and the card's position, so they keep working after a restart."""

from __future__ import annotations

import discord

from bot.chat.practice import render
from bot.chat.shared.audience import audience
from bot.chat.shared.buttons import GRADE_STYLES, PersistentButton
from bot.chat.shared.errors import guarded
from bot.chat.shared.locale import language_of
from bot.chat.shared.services import services
from bot.domain.quiz import SELF_GRADES
from bot.i18n import t
from bot.services.practice import PracticeService


class ShowAnswerButton(PersistentButton,
                       template=r"practice:show:(?P<run_id>\d+):(?P<position>\d+)"):
    def __init__(self, run_id: int, position: int, label: str = "Show answer") -> None:
        super().__init__(label=label, style=discord.ButtonStyle.primary, run_id=run_id, position=position)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        language = language_of(interaction)
        service = services(interaction).get(PracticeService)
        card = await service.show(self.run_id, self.position, interaction.user.id, interaction.client.clock.now(),
                                      scope=audience(interaction))
        messages = render.card_answer_messages(interaction.client.bank, card, language)
        grades = practice_grade_view(self.run_id, self.position, language)
        # The card's own message shows the answer; a long answer continues in more private messages, the last
        # of which carries the grade buttons.
        await interaction.response.edit_message(embeds=messages[0], view=grades if len(messages) == 1 else None)
        for index, embeds in enumerate(messages[1:], start=2):
            view = grades if index == len(messages) else discord.utils.MISSING
            await interaction.followup.send(embeds=embeds, view=view, ephemeral=True)


class PracticeGradeButton(PersistentButton,
                          template=r"practice:grade:(?P<run_id>\d+):(?P<position>\d+):(?P<grade>got|partly|missed)"):
    def __init__(self, run_id: int, position: int, grade: str, label: str | None = None) -> None:
        super().__init__(label=label or grade, style=GRADE_STYLES[grade], run_id=run_id, position=position, grade=grade)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        language = language_of(interaction)
        service = services(interaction).get(PracticeService)
        card = await service.grade(self.run_id, self.position, interaction.user.id, self.grade,
                                   interaction.client.clock.now())
        if card.question is None:
            await interaction.response.edit_message(embeds=[render.result_embed(card.run, language)], view=None)
            return
        await interaction.response.edit_message(embeds=[render.card_embed(interaction.client.bank, card, language)],
                                                view=show_view(card.run.id, card.run.position, language))


def show_view(run_id: int, position: int, language: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ShowAnswerButton(run_id, position, t("practice.button.show", language)))
    return view


def practice_grade_view(run_id: int, position: int, language: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for grade in SELF_GRADES:
        view.add_item(PracticeGradeButton(run_id, position, grade, t(f"grade.{grade}", language)))
    return view



PRACTICE_ITEMS = (ShowAnswerButton, PracticeGradeButton)
