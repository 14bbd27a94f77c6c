"""Embed building blocks every feature uses: Discord's limits, colours, clipping, packing embeds into messages, and
the one way a reference answer is split. No rules here: only presentation."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import discord

from bot.domain.bank import Bank, Question
from bot.domain.boards import ALL
from bot.domain.markdown import UnsplittableError, split_markdown
from bot.i18n import t

# Discord's limits on embeds (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4096
FIELD_LIMIT = 1024
MESSAGE_EMBED_TOTAL = 6000  # all embeds of one message together
MESSAGE_EMBED_COUNT = 10

COLOR = discord.Colour.from_rgb(88, 101, 242)
REVEAL_COLOR = discord.Colour.from_rgb(87, 242, 135)
HIGHLIGHT_COLOR = discord.Colour.from_rgb(254, 231, 92)  # quizzes and recaps


def clip(text: str, limit: int) -> str:
    """`text` within `limit` characters, ending in an ellipsis when shortened."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def pack(embeds: Sequence[discord.Embed]) -> list[list[discord.Embed]]:
    """Group embeds, in order, into messages of at most 10 embeds and 6000 characters in total."""
    messages: list[list[discord.Embed]] = []
    current: list[discord.Embed] = []
    for embed in embeds:
        if current and (sum(len(e) for e in current) + len(embed) > MESSAGE_EMBED_TOTAL
                        or len(current) == MESSAGE_EMBED_COUNT):
            messages.append(current)
            current = []
        current.append(embed)
    if current:
        messages.append(current)
    return messages


def discord_time(moment: datetime, style: str = "f") -> str:
    """Discord renders <t:...> in each reader's own time zone and language."""
    return f"<t:{int(moment.timestamp())}:{style}>"


def difficulty_label(level: int, language: str) -> str:
    return f"{'★' * level}{'☆' * (3 - level)} {t(f'difficulty.{level}', language)}"


def add_difficulty(embed: discord.Embed, question: Question, language: str) -> None:
    """The question's difficulty as an inline field (★★☆ and its name)."""
    embed.add_field(name=t("question.difficulty", language), value=difficulty_label(question.difficulty, language))


def topic_label(bank: Bank, topic_id: str, language: str) -> str:
    """The topic's name in `language`; "all topics" for ALL; the id itself for a topic the bank no longer has."""
    if topic_id == ALL:
        return t("board.all_topics", language)
    found = next((topic for topic in bank.topics if topic.id == topic_id), None)
    find_topic = getattr(bank, "find_topic", None)  # the Library also knows every server's own topics
    if found is None and find_topic is not None:
        found = find_topic(topic_id)
    return found.name(language) if found is not None else topic_id


def coverage_percent(value: float | None, language: str) -> str:
    return t("stats.no_coverage", language) if value is None else f"{round(value * 100)}%"


def key_points_text(question: Question) -> str:
    return clip("\n".join(f"• {point.text}" for point in question.key_points) or "—", FIELD_LIMIT)


def answer_texts(question: Question, language: str,
                 budget: int = EMBED_DESCRIPTION_LIMIT) -> tuple[list[str], bool]:
    """The reference answer in parts of at most `budget` characters, split at paragraph breaks and never inside a
    code block, and whether the parts hold the whole answer. A code block longer than `budget` (the bank's rules
    keep that from happening at 4096) is left out whole, with everything after it."""
    if not question.has_answer:
        return [t("question.no_answer", language)], True
    text = question.answer or ""
    try:
        return split_markdown(text, budget), True
    except UnsplittableError:
        before = text.split("```", maxsplit=1)[0].strip()
    try:
        return split_markdown(before, budget), False
    except UnsplittableError:  # a single line longer than the budget
        return [clip(before, budget)], False


def answer_parts(question: Question, language: str, colour: discord.Colour = COLOR) -> list[discord.Embed]:
    """The reference answer as embeds of at most 4096 characters each (see `answer_texts`)."""
    parts, _ = answer_texts(question, language)
    return [discord.Embed(description=part, colour=colour) for part in parts]


def reference_reveal(question: Question, language: str, key_points_key: str) -> tuple[list[discord.Embed],
                                                                                     discord.Embed]:
    """The reference answer as reveal-coloured embeds, and a summary embed that opens with the key points (the
    caller adds its own figures to it before packing)."""
    summary = discord.Embed(colour=REVEAL_COLOR)
    summary.add_field(name=t(key_points_key, language), value=key_points_text(question), inline=False)
    return answer_parts(question, language, REVEAL_COLOR), summary


def question_embed(bank: Bank, question: Question, language: str) -> discord.Embed:
    embed = discord.Embed(title=clip(question.prompt, TITLE_LIMIT), colour=COLOR)
    embed.add_field(name=t("question.topic", language), value=topic_label(bank, question.topic_id, language))
    add_difficulty(embed, question, language)
    embed.set_footer(text=question.id)
    return embed
