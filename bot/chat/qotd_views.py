"""The daily post's buttons and the answer modal. Ids carry the post, so they keep working after a restart."""

from __future__ import annotations

import functools
import re
import secrets
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import discord

from bot.chat.errors import report_command_error
from bot.chat.locale import language_of
from bot.chat.qotd_render import coverage_fields
from bot.i18n import t
from bot.services.qotd import MAX_ANSWER_LENGTH, SELF_GRADES

if TYPE_CHECKING:
    from bot.chat.client import StudyBot

Item = TypeVar("Item", bound=discord.ui.DynamicItem[Any])


def guarded(callback: Callable[[Item, discord.Interaction], Awaitable[None]]):
    """Route any error of a button or modal to the one place that turns errors into ephemeral replies."""

    @functools.wraps(callback)
    async def wrapper(self: Item, interaction: discord.Interaction) -> None:
        try:
            await callback(self, interaction)
        except Exception as exc:
            await report_command_error(interaction, exc)

    return wrapper


def _bot(interaction: discord.Interaction) -> StudyBot:
    return interaction.client  # type: ignore[return-value]


# Modals live only in discord.py's memory. Each one gets its own custom_id (two members answering the same post
# at once must not share one), and a submit that no live modal claims (the bot restarted, or the modal timed out
# while the member was writing) is still saved, by `submit_orphan_modal`.
MODAL_ID = re.compile(r"qotd:modal:(?P<post>\d+):[0-9a-f]+")
MODAL_TIMEOUT = 3600.0


async def submit_answer_text(interaction: discord.Interaction, post_id: int, text: str) -> None:
    """Store the member's answer and tell them; on refusal, hand their text back so nothing is lost."""
    bot = _bot(interaction)
    language = language_of(interaction)
    try:
        outcome = await bot.qotd.submit_answer(post_id, interaction.user.id, text, bot.clock.now())
    except Exception as exc:
        await report_command_error(interaction, exc)
        if text.strip():
            await interaction.followup.send(
                embed=discord.Embed(description=text[:4000]), ephemeral=True,
                allowed_mentions=discord.AllowedMentions.none())
        return
    if outcome.late and outcome.coverage is not None:
        embed = discord.Embed(description=t("answer.saved_late", language, covered=len(outcome.coverage.covered),
                                            total=outcome.coverage.total))
        coverage_fields(embed, outcome.question, outcome.coverage, language)
        await interaction.response.send_message(embed=embed, ephemeral=True)
        await bot.qotd_runner.post_late_answer(outcome, interaction.user)
        return
    key = "answer.saved" if outcome.created else "answer.updated"
    await interaction.response.send_message(t(key, language, length=len(outcome.answer.content)), ephemeral=True)


def _submitted_text(components: list[dict[str, Any]]) -> str:
    """The first text input's value in a modal submit payload (inside action rows or labels)."""
    for component in components:
        inner = component.get("components") or ([component["component"]] if "component" in component else [])
        for child in inner:
            if child.get("type") == discord.ComponentType.text_input.value:
                return str(child.get("value") or "")
    return ""


async def submit_orphan_modal(interaction: discord.Interaction) -> None:
    """A modal submit that no live modal will handle: save it all the same."""
    custom_id = str((interaction.data or {}).get("custom_id", ""))
    match = MODAL_ID.fullmatch(custom_id)
    if match is None or custom_id in _bot(interaction).qotd_runner.live_modals or interaction.response.is_done():
        return
    components = (interaction.data or {}).get("components") or []
    await submit_answer_text(interaction, int(match["post"]), _submitted_text(components))  # type: ignore[arg-type]


class AnswerModal(discord.ui.Modal):
    def __init__(self, post_id: int, language: str, current: str | None, live: set[str]) -> None:
        custom_id = f"qotd:modal:{post_id}:{secrets.token_hex(6)}"
        super().__init__(title=t("qotd.modal.title", language)[:45], custom_id=custom_id, timeout=MODAL_TIMEOUT)
        self.post_id = post_id
        self.answer = discord.ui.TextInput(
            label=t("qotd.modal.label", language)[:45], style=discord.TextStyle.long, required=True,
            max_length=MAX_ANSWER_LENGTH, default=current, placeholder=t("qotd.modal.placeholder", language)[:100],
        )
        self.add_item(self.answer)
        self.live = live  # the running bot's open modals (a new process starts with none)
        live.add(custom_id)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        try:
            await submit_answer_text(interaction, self.post_id, self.answer.value or "")
        finally:
            self.live.discard(self.custom_id)

    async def on_timeout(self) -> None:
        self.live.discard(self.custom_id)

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        self.live.discard(self.custom_id)
        await report_command_error(interaction, error)


class AnswerButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"qotd:answer:(?P<post>\d+)"):
    def __init__(self, post_id: int, label: str = "Answer") -> None:
        super().__init__(discord.ui.Button(label=label, style=discord.ButtonStyle.primary, emoji="✍️",
                                           custom_id=f"qotd:answer:{post_id}"))
        self.post_id = post_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button[Any],
                             match: re.Match[str]) -> AnswerButton:
        return cls(int(match["post"]), item.label or "Answer")

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        service = _bot(interaction).qotd
        post, _question = await service.open_post(self.post_id)
        mine = await service.my_answer(post.id, interaction.user.id)
        if post.status == "revealed" and mine is not None:
            await interaction.response.send_message(t("answer.locked", language_of(interaction)), ephemeral=True)
            return
        await interaction.response.send_modal(
            AnswerModal(post.id, language_of(interaction), mine.content if mine else None,
                        _bot(interaction).qotd_runner.live_modals))


class MyAnswerButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"qotd:mine:(?P<post>\d+)"):
    def __init__(self, post_id: int, label: str = "My answer") -> None:
        super().__init__(discord.ui.Button(label=label, style=discord.ButtonStyle.secondary, emoji="📝",
                                           custom_id=f"qotd:mine:{post_id}"))
        self.post_id = post_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button[Any],
                             match: re.Match[str]) -> MyAnswerButton:
        return cls(int(match["post"]), item.label or "My answer")

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        language = language_of(interaction)
        service = _bot(interaction).qotd
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


class GradeButton(discord.ui.DynamicItem[discord.ui.Button[Any]],
                  template=r"qotd:grade:(?P<post>\d+):(?P<grade>got|partly|missed)"):
    STYLES: ClassVar[dict[str, discord.ButtonStyle]] = {
        "got": discord.ButtonStyle.success, "partly": discord.ButtonStyle.primary,
        "missed": discord.ButtonStyle.secondary,
    }

    def __init__(self, post_id: int, grade: str, label: str | None = None) -> None:
        super().__init__(discord.ui.Button(label=label or grade, style=self.STYLES[grade],
                                           custom_id=f"qotd:grade:{post_id}:{grade}"))
        self.post_id = post_id
        self.grade = grade

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button[Any],
                             match: re.Match[str]) -> GradeButton:
        return cls(int(match["post"]), match["grade"], item.label)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        language = language_of(interaction)
        await _bot(interaction).qotd.self_grade(self.post_id, interaction.user.id, self.grade,
                                                _bot(interaction).clock.now())
        await interaction.response.send_message(
            t("grade.saved", language, grade=t(f"grade.{self.grade}", language)), ephemeral=True)


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


DYNAMIC_ITEMS = (AnswerButton, MyAnswerButton, GradeButton)
