"""Embeds of solo practice: a flashcard, its answer, the run's result."""

from __future__ import annotations

import discord

from bot.chat.shared.embeds import (
    COLOR,
    EMBED_DESCRIPTION_LIMIT,
    REVEAL_COLOR,
    TITLE_LIMIT,
    add_difficulty,
    clip,
    pack,
    reference_reveal,
    topic_label,
)
from bot.domain.bank import Bank
from bot.domain.practice import Run
from bot.domain.quiz import SELF_GRADES
from bot.i18n import t
from bot.services.practice import Card


def card_embed(bank: Bank, card: Card, language: str) -> discord.Embed:
    assert card.question is not None
    question = card.question
    embed = discord.Embed(
        title=clip(t("practice.card.title", language, number=card.run.position + 1,
                     total=len(card.run.question_ids), topic=topic_label(bank, question.topic_id, language)),
                   TITLE_LIMIT),
        description=clip(f"**{question.prompt}**", EMBED_DESCRIPTION_LIMIT), colour=COLOR)
    add_difficulty(embed, question, language)
    embed.set_footer(text=question.id)
    return embed


def card_answer_messages(bank: Bank, card: Card, language: str) -> list[list[discord.Embed]]:
    """The card, then its reference answer and key points, packed into as many ephemeral messages as needed."""
    assert card.question is not None
    parts, points = reference_reveal(card.question, language, "quiz.reveal.key_points")
    points.add_field(name="\u200b", value=t("practice.grade_prompt", language), inline=False)
    return pack([card_embed(bank, card, language), *parts, points])


def result_embed(run: Run, language: str) -> discord.Embed:
    tally = run.tally
    counts = " · ".join(f"{t(f'grade.{grade}', language)} {tally.get(grade, 0)}" for grade in SELF_GRADES)
    return discord.Embed(title=t("practice.result.title", language), colour=REVEAL_COLOR,
                         description=t("practice.result.body", language, total=len(run.grades), counts=counts))
