"""Buttons and the answer modal of quizzes and practice. Ids carry the quiz (or run), the question's position and
the option or grade, so every button keeps working after a restart; the state itself is in the database."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.chat import quiz_render as render
from bot.chat.audience import audience
from bot.chat.locale import language_of
from bot.chat.modals import TextAnswerModal, refuse_and_hand_back, route
from bot.chat.qotd_views import guarded
from bot.domain.bank import Question
from bot.domain.quiz import LETTERS, SELF_GRADES, Item, Quiz
from bot.i18n import t
from bot.services.quiz import MAX_ANSWER_LENGTH

if TYPE_CHECKING:
    from bot.chat.cogs.practice import PracticeCog
    from bot.chat.cogs.quiz import QuizCog

GRADE_STYLES: dict[str, discord.ButtonStyle] = {
    "got": discord.ButtonStyle.success, "partly": discord.ButtonStyle.primary, "missed": discord.ButtonStyle.secondary,
}


def _quiz_cog(interaction: discord.Interaction) -> QuizCog:
    return interaction.client.get_cog("QuizCog")  # type: ignore[attr-defined, return-value]


def _practice_cog(interaction: discord.Interaction) -> PracticeCog:
    return interaction.client.get_cog("PracticeCog")  # type: ignore[attr-defined, return-value]


def _now(interaction: discord.Interaction):
    return interaction.client.clock.now()  # type: ignore[attr-defined]


# -- the quiz in a channel -------------------------------------------------------------------------------------
class PickButton(discord.ui.DynamicItem[discord.ui.Button[Any]],
                 template=r"quiz:pick:(?P<quiz>\d+):(?P<pos>\d+):(?P<opt>\d)"):
    def __init__(self, quiz_id: int, position: int, option: int, *, disabled: bool = False) -> None:
        super().__init__(discord.ui.Button(label=LETTERS[option], style=discord.ButtonStyle.secondary,
                                           disabled=disabled, custom_id=f"quiz:pick:{quiz_id}:{position}:{option}"))
        self.quiz_id, self.position, self.option = quiz_id, position, option

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button[Any],
                             match: re.Match[str]) -> PickButton:
        return cls(int(match["quiz"]), int(match["pos"]), int(match["opt"]))

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        await _quiz_cog(interaction).service.answer_choice(self.quiz_id, self.position, interaction.user.id,
                                                           self.option, _now(interaction))
        await interaction.response.send_message(
            t("quiz.picked", language_of(interaction), option=LETTERS[self.option]), ephemeral=True)


@route(r"quiz:modal:(?P<quiz>\d+):(?P<pos>\d+)")
async def _quiz_answer_submitted(interaction: discord.Interaction, match: re.Match[str], text: str) -> None:
    try:
        receipt = await _quiz_cog(interaction).service.answer_open(
            int(match["quiz"]), int(match["pos"]), interaction.user.id, text, _now(interaction))
    except Exception as exc:
        await refuse_and_hand_back(interaction, exc, text)
        return
    key = "quiz.answer_saved" if receipt.created else "quiz.answer_updated"
    await interaction.response.send_message(t(key, language_of(interaction), length=receipt.length), ephemeral=True)


def quiz_answer_modal(interaction: discord.Interaction, quiz_id: int, position: int,
                      current: str | None) -> TextAnswerModal:
    language = language_of(interaction)
    return TextAnswerModal(
        interaction.client, prefix=f"quiz:modal:{quiz_id}:{position}",
        title=t("quiz.modal.title", language, number=position + 1), label=t("quiz.modal.label", language),
        max_length=MAX_ANSWER_LENGTH, default=current, placeholder=t("qotd.modal.placeholder", language),
        handler=_quiz_answer_submitted,
    )


class OpenAnswerButton(discord.ui.DynamicItem[discord.ui.Button[Any]],
                       template=r"quiz:answer:(?P<quiz>\d+):(?P<pos>\d+)"):
    def __init__(self, quiz_id: int, position: int, label: str = "Answer", *, disabled: bool = False) -> None:
        super().__init__(discord.ui.Button(label=label, style=discord.ButtonStyle.primary, emoji="✍️",
                                           disabled=disabled, custom_id=f"quiz:answer:{quiz_id}:{position}"))
        self.quiz_id, self.position = quiz_id, position

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button[Any],
                             match: re.Match[str]) -> OpenAnswerButton:
        return cls(int(match["quiz"]), int(match["pos"]), item.label or "Answer")

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        current = await _quiz_cog(interaction).service.open_answer(self.quiz_id, self.position,
                                                                  interaction.user.id, _now(interaction))
        await interaction.response.send_modal(quiz_answer_modal(interaction, self.quiz_id, self.position, current))


class QuizGradeButton(discord.ui.DynamicItem[discord.ui.Button[Any]],
                      template=r"quiz:grade:(?P<quiz>\d+):(?P<pos>\d+):(?P<grade>got|partly|missed)"):
    def __init__(self, quiz_id: int, position: int, grade: str, label: str | None = None) -> None:
        super().__init__(discord.ui.Button(label=label or grade, style=GRADE_STYLES[grade],
                                           custom_id=f"quiz:grade:{quiz_id}:{position}:{grade}"))
        self.quiz_id, self.position, self.grade = quiz_id, position, grade

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button[Any],
                             match: re.Match[str]) -> QuizGradeButton:
        return cls(int(match["quiz"]), int(match["pos"]), match["grade"], item.label)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        language = language_of(interaction)
        points = await _quiz_cog(interaction).service.self_grade(self.quiz_id, self.position, interaction.user.id,
                                                                 self.grade, _now(interaction))
        await interaction.response.send_message(
            t("quiz.graded", language, grade=t(f"grade.{self.grade}", language), points=points), ephemeral=True)


def question_view(quiz: Quiz, item: Item, question: Question, language: str, *,
                  disabled: bool = False) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    if item.kind == "choice" and question.choices is not None:
        for option in range(len(item.option_order)):
            view.add_item(PickButton(quiz.id, item.position, option, disabled=disabled))
    else:
        view.add_item(OpenAnswerButton(quiz.id, item.position, t("quiz.button.answer", language), disabled=disabled))
    return view


def grade_view(quiz: Quiz, item: Item, language: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for grade in SELF_GRADES:
        view.add_item(QuizGradeButton(quiz.id, item.position, grade, t(f"grade.{grade}", language)))
    return view


# -- solo practice ---------------------------------------------------------------------------------------------
class ShowAnswerButton(discord.ui.DynamicItem[discord.ui.Button[Any]],
                       template=r"practice:show:(?P<run>\d+):(?P<pos>\d+)"):
    def __init__(self, run_id: int, position: int, label: str = "Show answer") -> None:
        super().__init__(discord.ui.Button(label=label, style=discord.ButtonStyle.primary,
                                           custom_id=f"practice:show:{run_id}:{position}"))
        self.run_id, self.position = run_id, position

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button[Any],
                             match: re.Match[str]) -> ShowAnswerButton:
        return cls(int(match["run"]), int(match["pos"]), item.label or "Show answer")

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        language = language_of(interaction)
        cog = _practice_cog(interaction)
        card = await cog.service.show(self.run_id, self.position, interaction.user.id, _now(interaction),
                                      scope=audience(interaction))
        messages = render.card_answer_messages(cog.bot.bank, card, language)
        grades = practice_grade_view(self.run_id, self.position, language)
        # The card's own message shows the answer; a long answer continues in more private messages, the last
        # of which carries the grade buttons.
        await interaction.response.edit_message(embeds=messages[0], view=grades if len(messages) == 1 else None)
        for index, embeds in enumerate(messages[1:], start=2):
            view = grades if index == len(messages) else discord.utils.MISSING
            await interaction.followup.send(embeds=embeds, view=view, ephemeral=True)


class PracticeGradeButton(discord.ui.DynamicItem[discord.ui.Button[Any]],
                          template=r"practice:grade:(?P<run>\d+):(?P<pos>\d+):(?P<grade>got|partly|missed)"):
    def __init__(self, run_id: int, position: int, grade: str, label: str | None = None) -> None:
        super().__init__(discord.ui.Button(label=label or grade, style=GRADE_STYLES[grade],
                                           custom_id=f"practice:grade:{run_id}:{position}:{grade}"))
        self.run_id, self.position, self.grade = run_id, position, grade

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button[Any],
                             match: re.Match[str]) -> PracticeGradeButton:
        return cls(int(match["run"]), int(match["pos"]), match["grade"], item.label)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        language = language_of(interaction)
        cog = _practice_cog(interaction)
        card = await cog.service.grade(self.run_id, self.position, interaction.user.id, self.grade, _now(interaction))
        if card.question is None:
            await interaction.response.edit_message(embeds=[render.result_embed(card.run, language)], view=None)
            return
        await interaction.response.edit_message(embeds=[render.card_embed(cog.bot.bank, card, language)],
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


QUIZ_ITEMS = (PickButton, OpenAnswerButton, QuizGradeButton)
PRACTICE_ITEMS = (ShowAnswerButton, PracticeGradeButton)
