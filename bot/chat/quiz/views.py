"""Buttons and the answer modal of quizzes. Ids carry the quiz, the question's position and
the option or grade, so every button keeps working after a restart; the state itself is in the database."""

from __future__ import annotations

import re

import discord

from bot.chat.shared.buttons import GRADE_STYLES, PersistentButton
from bot.chat.shared.errors import guarded
from bot.chat.shared.locale import language_of
from bot.chat.shared.modals import ModalRoute, TextAnswerModal, refuse_and_hand_back
from bot.chat.shared.services import services
from bot.domain.answers import MAX_ANSWER_LENGTH
from bot.domain.bank import Question
from bot.domain.quiz import LETTERS, SELF_GRADES, Item, Quiz
from bot.i18n import t
from bot.services.quiz import QuizService


class PickButton(PersistentButton,
                 template=r"quiz:pick:(?P<quiz_id>\d+):(?P<position>\d+):(?P<option>\d)"):
    def __init__(self, quiz_id: int, position: int, option: int, *, disabled: bool = False) -> None:
        super().__init__(label=LETTERS[option], style=discord.ButtonStyle.secondary, disabled=disabled,
                         quiz_id=quiz_id, position=position, option=option)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        await services(interaction).get(QuizService).answer_choice(self.quiz_id, self.position, interaction.user.id,
                                                           self.option, interaction.client.clock.now())
        await interaction.response.send_message(
            t("quiz.picked", language_of(interaction), option=LETTERS[self.option]), ephemeral=True)


async def _quiz_answer_submitted(interaction: discord.Interaction, match: re.Match[str], text: str) -> None:
    try:
        receipt = await services(interaction).get(QuizService).answer_open(
            int(match["quiz_id"]), int(match["position"]), interaction.user.id, text, interaction.client.clock.now())
    except Exception as exc:
        await refuse_and_hand_back(interaction, exc, text)
        return
    key = "quiz.answer_saved" if receipt.created else "quiz.answer_updated"
    await interaction.response.send_message(t(key, language_of(interaction), length=receipt.length), ephemeral=True)


ANSWER_MODAL = ModalRoute("quiz:modal:{quiz_id}:{position}", _quiz_answer_submitted)


def quiz_answer_modal(interaction: discord.Interaction, quiz_id: int, position: int,
                      current: str | None) -> TextAnswerModal:
    language = language_of(interaction)
    return TextAnswerModal(
        interaction.client, ANSWER_MODAL, {"quiz_id": quiz_id, "position": position},
        title=t("quiz.modal.title", language, number=position + 1), label=t("quiz.modal.label", language),
        max_length=MAX_ANSWER_LENGTH, default=current, placeholder=t("qotd.modal.placeholder", language),
    )


class OpenAnswerButton(PersistentButton,
                       template=r"quiz:answer:(?P<quiz_id>\d+):(?P<position>\d+)"):
    def __init__(self, quiz_id: int, position: int, label: str = "Answer", *, disabled: bool = False) -> None:
        super().__init__(label=label, style=discord.ButtonStyle.primary, emoji="✍️", disabled=disabled,
                         quiz_id=quiz_id, position=position)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        current = await services(interaction).get(QuizService).open_answer(self.quiz_id, self.position,
                                                                  interaction.user.id, interaction.client.clock.now())
        await interaction.response.send_modal(quiz_answer_modal(interaction, self.quiz_id, self.position, current))


class QuizGradeButton(PersistentButton,
                      template=r"quiz:grade:(?P<quiz_id>\d+):(?P<position>\d+):(?P<grade>got|partly|missed)"):
    def __init__(self, quiz_id: int, position: int, grade: str, label: str | None = None) -> None:
        super().__init__(label=label or grade, style=GRADE_STYLES[grade], quiz_id=quiz_id, position=position,
                         grade=grade)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        language = language_of(interaction)
        points = await services(interaction).get(QuizService).self_grade(
            self.quiz_id, self.position, interaction.user.id, self.grade, interaction.client.clock.now())
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


QUIZ_MODALS = (ANSWER_MODAL,)
QUIZ_ITEMS = (PickButton, OpenAnswerButton, QuizGradeButton)
