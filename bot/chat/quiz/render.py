"""Embeds of a quiz in a channel: a question with its options, a reveal, the results.

Only presentation. Every message stays within Discord's limits (`shared.embeds.pack`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import discord

from bot.chat.shared.embeds import (
    EMBED_DESCRIPTION_LIMIT,
    FIELD_LIMIT,
    HIGHLIGHT_COLOR,
    REVEAL_COLOR,
    TITLE_LIMIT,
    add_difficulty,
    clip,
    discord_time,
    pack,
    reference_reveal,
    topic_label,
)
from bot.domain.bank import Bank, Question
from bot.domain.quiz import ABANDONED, LETTERS, STOPPED, Quiz
from bot.i18n import t
from bot.services.quiz import QuestionPost, RevealPost, SummaryPost


def option_lines(question: Question, order: Sequence[int]) -> str:
    assert question.choices is not None
    return "\n".join(f"**{LETTERS[shown]}.** {question.choices.options[index].text}"
                     for shown, index in enumerate(order))


def question_embed(bank: Bank, post: QuestionPost, language: str) -> discord.Embed:
    question, item = post.question, post.item
    number, total = item.position + 1, len(post.quiz.items)
    title = t("quiz.question.title", language, number=number, total=total,
              topic=topic_label(bank, question.topic_id, language))
    if item.kind == "choice" and question.choices is not None:
        stem = question.choices.question or question.prompt
        description = f"**{stem}**\n\n{option_lines(question, item.option_order)}"
        hint = t("quiz.question.choice_hint", language)
    else:
        description = f"**{question.prompt}**"
        hint = t("quiz.question.open_hint", language)
    embed = discord.Embed(title=clip(title, TITLE_LIMIT), description=clip(description, EMBED_DESCRIPTION_LIMIT),
                          colour=HIGHLIGHT_COLOR)
    if item.closes_at is not None:
        embed.add_field(name=t("quiz.question.closes", language), value=discord_time(item.closes_at, "R"))
    add_difficulty(embed, question, language)
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
        embed = discord.Embed(title=clip(title, TITLE_LIMIT), colour=REVEAL_COLOR, description=clip(
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
    parts, summary = reference_reveal(question, language, "quiz.reveal.key_points")
    parts[0].title = clip(title, TITLE_LIMIT)
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
    embed = discord.Embed(title=clip(t(title, language, name=stopper), TITLE_LIMIT), colour=HIGHLIGHT_COLOR,
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


