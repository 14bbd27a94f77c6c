"""Embeds of quizzes and practice: a question with its options, a reveal, the results, flashcards.

Only presentation. Every message stays within Discord's limits: at most 10 embeds and 6000 characters across them
(`pack`), long reference answers split at paragraph breaks by `split_markdown`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import discord

from bot.chat.qotd_render import discord_time
from bot.chat.render import COLOR, EMBED_DESCRIPTION_LIMIT, difficulty_label
from bot.domain.bank import Bank, Question
from bot.domain.markdown import split_markdown
from bot.domain.practice import Run
from bot.domain.quiz import ABANDONED, LETTERS, SELF_GRADES, STOPPED, Quiz
from bot.i18n import t
from bot.services.practice import Card
from bot.services.quiz import QuestionPost, RevealPost, SummaryPost

QUIZ_COLOR = discord.Colour.from_rgb(254, 231, 92)
REVEAL_COLOR = discord.Colour.from_rgb(87, 242, 135)
FIELD_LIMIT = 1024
MESSAGE_EMBED_TOTAL = 6000
MESSAGE_EMBED_COUNT = 10


def clip(text: str, limit: int) -> str:
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


def answer_parts(question: Question, language: str, colour: discord.Colour) -> list[discord.Embed]:
    """The reference answer as embeds of at most 4096 characters each, never cut inside a code block."""
    if not question.has_answer:
        return [discord.Embed(description=t("question.no_answer", language), colour=colour)]
    return [discord.Embed(description=part, colour=colour)
            for part in split_markdown(question.answer or "", EMBED_DESCRIPTION_LIMIT)]


def key_points_text(question: Question) -> str:
    return clip("\n".join(f"• {point.text}" for point in question.key_points) or "—", FIELD_LIMIT)


def option_lines(question: Question, order: Sequence[int]) -> str:
    assert question.choices is not None
    return "\n".join(f"**{LETTERS[shown]}.** {question.choices.options[index].text}"
                     for shown, index in enumerate(order))


def _topic_name(bank: Bank, question: Question, language: str) -> str:
    return bank.topic(question.topic_id).name(language)


# -- the quiz in a channel -------------------------------------------------------------------------------------
def question_embed(bank: Bank, post: QuestionPost, language: str) -> discord.Embed:
    question, item = post.question, post.item
    number, total = item.position + 1, len(post.quiz.items)
    title = t("quiz.question.title", language, number=number, total=total,
              topic=_topic_name(bank, question, language))
    if item.kind == "choice" and question.choices is not None:
        stem = question.choices.question or question.prompt
        description = f"**{stem}**\n\n{option_lines(question, item.option_order)}"
        hint = t("quiz.question.choice_hint", language)
    else:
        description = f"**{question.prompt}**"
        hint = t("quiz.question.open_hint", language)
    embed = discord.Embed(title=clip(title, 256), description=clip(description, EMBED_DESCRIPTION_LIMIT),
                          colour=QUIZ_COLOR)
    if item.closes_at is not None:
        embed.add_field(name=t("quiz.question.closes", language), value=discord_time(item.closes_at, "R"))
    embed.add_field(name=t("question.difficulty", language), value=difficulty_label(question.difficulty, language))
    embed.add_field(name="\u200b", value=hint, inline=False)
    embed.set_footer(text=question.id)
    return embed


def _points(awards, user_id: int) -> int:
    return sum(a.points for a in awards if a.user_id == user_id)


def reveal_messages(bank: Bank, post: RevealPost, names: Mapping[int, str], language: str) -> list[list[discord.Embed]]:
    question, item = post.question, post.item
    title = t("quiz.reveal.title", language, number=item.position + 1, total=len(post.quiz.items))
    if item.kind == "choice" and question.choices is not None and post.correct is not None:
        right = question.choices.options[item.option_order[post.correct]]
        embed = discord.Embed(title=clip(title, 256), colour=REVEAL_COLOR, description=clip(
            f"✅ **{LETTERS[post.correct]}.** {right.text}\n\n{question.choices.explanation}", EMBED_DESCRIPTION_LIMIT))
        spread = " · ".join(f"{'✅ ' if shown == post.correct else ''}{LETTERS[shown]} {count}"
                            for shown, count in enumerate(post.counts))
        embed.add_field(name=t("quiz.reveal.picks", language), value=spread, inline=False)
        winners = [f"{names.get(a.user_id, a.user_id)} +{_points(post.awards, a.user_id)}"
                   for a in post.answers if a.choice == post.correct]
        embed.add_field(name=t("quiz.reveal.right", language),
                        value=clip(" · ".join(winners) or t("quiz.reveal.nobody_right", language), FIELD_LIMIT),
                        inline=False)
        embed.set_footer(text=question.id)
        return [[embed]]
    parts = answer_parts(question, language, REVEAL_COLOR)
    parts[0].title = clip(title, 256)
    summary = discord.Embed(colour=REVEAL_COLOR)
    summary.add_field(name=t("quiz.reveal.key_points", language), value=key_points_text(question), inline=False)
    lines = []
    for answer in post.answers:
        result = post.coverage.get(answer.user_id)
        if result is not None:
            lines.append(t("quiz.reveal.coverage_line", language, name=names.get(answer.user_id, answer.user_id),
                           covered=len(result.covered), total=result.total,
                           points=_points(post.awards, answer.user_id)))
    summary.add_field(name=t("quiz.reveal.answers", language, count=len(post.answers)),
                      value=clip("\n".join(lines) or t("quiz.reveal.no_answers", language), FIELD_LIMIT),
                      inline=False)
    if post.quiz.active and post.answers:
        summary.add_field(name="\u200b", value=t("quiz.reveal.grade_prompt", language), inline=False)
    summary.set_footer(text=question.id)
    return pack([*parts, summary])


def summary_embed(post: SummaryPost, names: Mapping[int, str], language: str) -> discord.Embed:
    quiz = post.quiz
    title = {STOPPED: "quiz.summary.title_stopped", ABANDONED: "quiz.summary.title_abandoned"}.get(
        quiz.status, "quiz.summary.title")
    stopper = names.get(quiz.stopped_by, "?") if quiz.stopped_by is not None else "?"
    lines = [t("quiz.summary.line", language, rank=rank, name=names.get(s.user_id, s.user_id), points=s.points,
               right=s.right, answered=s.answered)
             for rank, s in enumerate(post.summary.standings, start=1)]
    embed = discord.Embed(title=clip(t(title, language, name=stopper), 256), colour=QUIZ_COLOR,
                          description=clip("\n".join(lines) or t("quiz.summary.nobody", language),
                                           EMBED_DESCRIPTION_LIMIT))
    missed = [t("quiz.summary.missed_line", language, number=r.position + 1,
                prompt=clip(post.questions[r.position].prompt, 80) if r.position in post.questions else r.question_id,
                missed=len(r.missed), answered=len(r.answered))
              for r in post.summary.most_missed]
    embed.add_field(name=t("quiz.summary.most_missed", language),
                    value=clip("\n".join(missed) or t("quiz.summary.none_missed", language), FIELD_LIMIT), inline=False)
    closed = sum(1 for item in quiz.items if item.closed_at is not None)
    embed.set_footer(text=t("quiz.summary.footer", language, asked=closed, total=len(quiz.items)))
    return embed


def started_text(bank: Bank, quiz: Quiz, language: str) -> str:
    topic = bank.topic(quiz.topic_id).name(language) if quiz.topic_id else t("quiz.topic.mixed", language)
    return t("quiz.started", language, count=len(quiz.items), kind=t(f"quiz.kind.{quiz.kind}", language),
             topic=topic, seconds=quiz.seconds)


# -- solo practice ---------------------------------------------------------------------------------------------
def card_embed(bank: Bank, card: Card, language: str) -> discord.Embed:
    assert card.question is not None
    question = card.question
    embed = discord.Embed(
        title=clip(t("practice.card.title", language, number=card.run.position + 1,
                     total=len(card.run.question_ids), topic=_topic_name(bank, question, language)), 256),
        description=clip(f"**{question.prompt}**", EMBED_DESCRIPTION_LIMIT), colour=COLOR)
    embed.add_field(name=t("question.difficulty", language), value=difficulty_label(question.difficulty, language))
    embed.set_footer(text=question.id)
    return embed


def card_answer_messages(bank: Bank, card: Card, language: str) -> list[list[discord.Embed]]:
    """The card, then its reference answer and key points, packed into as many ephemeral messages as needed."""
    assert card.question is not None
    points = discord.Embed(colour=REVEAL_COLOR)
    points.add_field(name=t("quiz.reveal.key_points", language), value=key_points_text(card.question), inline=False)
    points.add_field(name="\u200b", value=t("practice.grade_prompt", language), inline=False)
    return pack([card_embed(bank, card, language), *answer_parts(card.question, language, REVEAL_COLOR), points])


def result_embed(run: Run, language: str) -> discord.Embed:
    tally = run.tally
    counts = " · ".join(f"{t(f'grade.{grade}', language)} {tally.get(grade, 0)}" for grade in SELF_GRADES)
    return discord.Embed(title=t("practice.result.title", language), colour=REVEAL_COLOR,
                         description=t("practice.result.body", language, total=len(run.grades), counts=counts))
