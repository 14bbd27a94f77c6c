"""The daily post's buttons and the answer modal. Ids carry the post, so they keep working after a restart."""

from __future__ import annotations

import re
from collections.abc import Sequence

import discord

from bot.chat.qotd.render import coverage_fields
from bot.chat.shared.buttons import GRADE_STYLES, PersistentButton
from bot.chat.shared.errors import guarded
from bot.chat.shared.locale import language_of
from bot.chat.shared.modals import ModalRoute, TextAnswerModal, refuse_and_hand_back
from bot.chat.shared.names import display_name
from bot.chat.shared.services import services
from bot.domain.answers import MAX_ANSWER_LENGTH
from bot.domain.quiz import SELF_GRADES
from bot.i18n import t
from bot.services.qotd import VOTE_EMOJI, QotdService


def _service(interaction: discord.Interaction) -> QotdService:
    return services(interaction).get(QotdService)


async def _answer_submitted(interaction: discord.Interaction, match: re.Match[str], text: str) -> None:
    await submit_answer_text(interaction, int(match["post_id"]), match["question_id"], text)


ANSWER_MODAL = ModalRoute("qotd:modal:{post_id}:{question_id}", _answer_submitted)


async def submit_answer_text(interaction: discord.Interaction, post_id: int, question_id: str, text: str) -> None:
    """Store the member's answer and tell them; on refusal, hand their text back so nothing is lost."""
    from bot.chat.qotd.runner import QotdRunner  # the runner imports this module's views

    language = language_of(interaction)
    try:
        outcome = await _service(interaction).submit_answer(post_id, interaction.user.id, text,
                                                            interaction.client.clock.now(), question_id)
    except Exception as exc:
        await refuse_and_hand_back(interaction, exc, text)
        return
    kind = "late" if outcome.late else "new" if outcome.created else "edited"
    interaction.client.metrics.answers.labels(kind).inc()
    if outcome.late and outcome.coverage is not None:
        embed = discord.Embed(description=t("answer.saved_late", language, covered=len(outcome.coverage.covered),
                                            total=outcome.coverage.total))
        coverage_fields(embed, outcome.question, outcome.coverage, language)
        await interaction.response.send_message(embed=embed, ephemeral=True)
        await services(interaction).get(QotdRunner).post_late_answer(outcome)
        return
    key = "answer.saved" if outcome.created else "answer.updated"
    await interaction.response.send_message(t(key, language, length=len(outcome.answer.content)), ephemeral=True)


def answer_modal(interaction: discord.Interaction, post_id: int, question_id: str,
                 current: str | None) -> TextAnswerModal:
    """The form carries the question it shows, so an answer to a replaced question is never filed under the new one."""
    language = language_of(interaction)
    return TextAnswerModal(
        interaction.client, ANSWER_MODAL, {"post_id": post_id, "question_id": question_id},
        title=t("qotd.modal.title", language), label=t("qotd.modal.label", language), max_length=MAX_ANSWER_LENGTH,
        default=current, placeholder=t("qotd.modal.placeholder", language),
    )


class AnswerButton(PersistentButton, template=r"qotd:answer:(?P<post_id>\d+)"):
    def __init__(self, post_id: int, label: str = "Answer") -> None:
        super().__init__(label=label, style=discord.ButtonStyle.primary, emoji="✍️", post_id=post_id)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        service = _service(interaction)
        post, question = await service.open_post(self.post_id)
        mine = await service.my_answer(post.id, interaction.user.id)
        if post.status == "revealed" and mine is not None:
            await interaction.response.send_message(t("answer.locked", language_of(interaction)), ephemeral=True)
            return
        await interaction.response.send_modal(
            answer_modal(interaction, post.id, question.id, mine.content if mine else None))


class MyAnswerButton(PersistentButton, template=r"qotd:mine:(?P<post_id>\d+)"):
    def __init__(self, post_id: int, label: str = "My answer") -> None:
        super().__init__(label=label, style=discord.ButtonStyle.secondary, emoji="📝", post_id=post_id)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        language = language_of(interaction)
        service = _service(interaction)
        post, _question = await service.open_post(self.post_id)
        mine = await service.my_answer(post.id, interaction.user.id)
        if mine is None:
            await interaction.response.send_message(t("answer.none_yet", language), ephemeral=True,
                                                    view=answer_view(post.id, language, mine=False))
            return
        embed = discord.Embed(title=t("answer.yours", language), description=mine.content)
        view = answer_view(post.id, language, mine=False) if post.status != "revealed" else discord.utils.MISSING
        await interaction.response.send_message(embed=embed, ephemeral=True, view=view,
                                                allowed_mentions=discord.AllowedMentions.none())


class GradeButton(PersistentButton,
                  template=r"qotd:grade:(?P<post_id>\d+):(?P<grade>got|partly|missed)"):
    def __init__(self, post_id: int, grade: str, label: str | None = None) -> None:
        super().__init__(label=label or grade, style=GRADE_STYLES[grade], post_id=post_id, grade=grade)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        language = language_of(interaction)
        await _service(interaction).self_grade(self.post_id, interaction.user.id, self.grade,
                                                interaction.client.clock.now())
        await interaction.response.send_message(
            t("grade.saved", language, grade=t(f"grade.{self.grade}", language)), ephemeral=True)


class VoteButton(PersistentButton, template=r"qotd:vote:(?P<answer_id>\d+)"):
    """A 👍 for one member's answer: one button per answer on the reveal thread's messages (several answers share
    a message). Idempotent, so a press again after a lost reply changes nothing."""

    def __init__(self, answer_id: int, label: str) -> None:
        super().__init__(label=label[:80], style=discord.ButtonStyle.secondary, emoji=VOTE_EMOJI, answer_id=answer_id)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        language = language_of(interaction)
        outcome = await _service(interaction).vote(self.answer_id, interaction.user.id)
        name = display_name(interaction.client, outcome.answer.guild_id, outcome.answer.user_id)
        if outcome.changed:
            await interaction.response.send_message(t("vote.counted", language, name=name, votes=outcome.votes),
                                                    ephemeral=True)
            return
        view = discord.ui.View(timeout=None)
        view.add_item(UnvoteButton(self.answer_id, t("vote.take_back", language)))
        await interaction.response.send_message(t("vote.already", language, name=name, votes=outcome.votes),
                                                ephemeral=True, view=view)


class UnvoteButton(PersistentButton, template=r"qotd:unvote:(?P<answer_id>\d+)"):
    def __init__(self, answer_id: int, label: str) -> None:
        super().__init__(label=label, style=discord.ButtonStyle.danger, answer_id=answer_id)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        language = language_of(interaction)
        outcome = await _service(interaction).vote(self.answer_id, interaction.user.id, add=False)
        name = display_name(interaction.client, outcome.answer.guild_id, outcome.answer.user_id)
        key = "vote.removed" if outcome.changed else "vote.not_given"
        await interaction.response.edit_message(content=t(key, language, name=name, votes=outcome.votes), view=None)


def vote_view(entries: Sequence[tuple[int, str]]) -> discord.ui.View:
    """One 👍 button per answer, in the order of the message's embeds: (answer id, the member's name)."""
    view = discord.ui.View(timeout=None)
    for answer_id, name in entries:
        view.add_item(VoteButton(answer_id, name))
    return view


def voted_answers(message: discord.Message) -> list[tuple[int, str]]:
    """(answer id, label) of a thread message's vote buttons, in order: which answers the message carries."""
    found = []
    for row in message.components:
        for child in getattr(row, "children", ()):
            match = re.fullmatch(r"qotd:vote:(\d+)", getattr(child, "custom_id", None) or "")
            if match:
                found.append((int(match[1]), child.label or ""))
    return found


def without_answers(message: discord.Message, answer_ids: set[int]) -> tuple[list[discord.Embed], discord.ui.View]:
    """The message's embeds and vote buttons with these answers taken off (each answer's embed sits at its
    button's position)."""
    entries = voted_answers(message)
    keep = [index for index, (answer_id, _label) in enumerate(entries) if answer_id not in answer_ids]
    embeds = [message.embeds[index] for index in keep if index < len(message.embeds)]
    return embeds, vote_view([entries[index] for index in keep])


def answer_view(post_id: int, language: str, *, mine: bool = True) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(AnswerButton(post_id, t("qotd.button.answer", language)))
    if mine:
        view.add_item(MyAnswerButton(post_id, t("qotd.button.mine", language)))
    return view


def grade_view(post_id: int, language: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for grade in SELF_GRADES:
        view.add_item(GradeButton(post_id, grade, t(f"grade.{grade}", language)))
    return view


MODALS = (ANSWER_MODAL,)
DYNAMIC_ITEMS = (AnswerButton, MyAnswerButton, GradeButton, VoteButton, UnvoteButton)
