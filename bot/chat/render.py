"""Building embeds from domain values. No rules here: only presentation."""

from __future__ import annotations

import discord

from bot.domain.bank import Bank, Question
from bot.domain.markdown import split_markdown
from bot.i18n import t

EMBED_DESCRIPTION_LIMIT = 4096
COLOR = discord.Colour.from_rgb(88, 101, 242)


def difficulty_label(level: int, language: str) -> str:
    return f"{'★' * level}{'☆' * (3 - level)} {t(f'difficulty.{level}', language)}"


def question_embed(bank: Bank, question: Question, language: str) -> discord.Embed:
    topic = bank.topic(question.topic_id)
    embed = discord.Embed(title=question.prompt[:256], colour=COLOR)
    embed.add_field(name=t("question.topic", language), value=topic.name(language))
    embed.add_field(name=t("question.difficulty", language), value=difficulty_label(question.difficulty, language))
    embed.set_footer(text=question.id)
    return embed


def answer_embeds(question: Question, language: str) -> list[discord.Embed]:
    """The reference answer as one or more embeds, split at paragraph breaks and never inside code."""
    if not question.has_answer:
        return [discord.Embed(description=t("question.no_answer", language), colour=COLOR)]
    parts = split_markdown(question.answer or "", EMBED_DESCRIPTION_LIMIT)
    return [discord.Embed(description=part, colour=COLOR) for part in parts]


def help_embed(bank: Bank, commands: list[tuple[str, str]], language: str) -> discord.Embed:
    embed = discord.Embed(title=t("help.title", language), description=t("help.description", language),
                          colour=COLOR)
    lines = [f"`/{name}` — {desc}" for name, desc in commands]
    chunk: list[str] = []
    for line in lines:  # every command listed: as many 1024-character fields as it takes
        if chunk and len("\n".join([*chunk, line])) > 1024:
            embed.add_field(name=t("help.commands", language) if not embed.fields else "\u200b",
                            value="\n".join(chunk), inline=False)
            chunk = []
        chunk.append(line[:1024])
    embed.add_field(name=t("help.commands", language) if not embed.fields else "\u200b",
                    value="\n".join(chunk) or "—", inline=False)
    embed.set_footer(text=t("help.bank", language, topics=len(bank.topics), questions=len(bank)))
    return embed
