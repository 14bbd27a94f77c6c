"""What the bank commands show: an upload's outcome or its problems, the server's topics, an export's note."""

from __future__ import annotations

import io

import discord

from bot.bank.loader import BankError
from bot.chat.shared.embeds import COLOR, EMBED_DESCRIPTION_LIMIT, clip
from bot.i18n import t
from bot.services.banks import Export, Suggestion, TopicLine, UploadResult

# Problems inside the reply while they fit in a message (2000 characters with the heading); else a text file.
INLINE_PROBLEMS = 1500
PROBLEMS_FILE = "problems.txt"


def upload_done(result: UploadResult, language: str) -> str:
    return t("banks.upload.done", language, source=clip(result.source, 100), topics=", ".join(result.topics),
             added=result.added, updated=result.updated, unchanged=result.unchanged, dropped=result.dropped)


def upload_refused(source: str, error: BankError, language: str) -> tuple[str, discord.File | None]:
    """Every problem at once: in a code block when short, else as an attached text file."""
    listing = "\n".join(str(p) for p in error.problems)
    count = len(error.problems)
    if len(listing) <= INLINE_PROBLEMS:
        safe = listing.replace("```", "`\u200b``")
        return f"{t('banks.upload.refused', language, source=clip(source, 100), count=count)}\n```\n{safe}\n```", None
    file = discord.File(io.BytesIO((listing + "\n").encode()), filename=PROBLEMS_FILE)
    return t("banks.upload.refused_attached", language, source=clip(source, 100), count=count,
             file=PROBLEMS_FILE), file


def _listing(error: BankError, heading: str) -> tuple[str, discord.File | None]:
    listing = "\n".join(str(p) for p in error.problems)
    if len(listing) <= INLINE_PROBLEMS:
        safe = listing.replace("```", "`\u200b``")
        return f"{heading}\n```\n{safe}\n```", None
    return heading, discord.File(io.BytesIO((listing + "\n").encode()), filename=PROBLEMS_FILE)


def reload_refused(error: BankError, kept: int, language: str) -> tuple[str, discord.File | None]:
    return _listing(error, t("banks.reload.refused", language, count=len(error.problems), kept=kept))


def topics_embed(lines: list[TopicLine], language: str) -> discord.Embed:
    rows = []
    for line in lines:
        extra = ""
        if line.own:
            extra += t("banks.topics.own", language)
        if line.disabled:
            extra += t("banks.topics.off", language)
        elif line.off:
            extra += t("banks.topics.some_off", language, off=line.off)
        rows.append(t("banks.topics.line", language, mark="⛔" if line.disabled else "📚",
                      name=line.topic.name(language), id=line.topic.id, count=line.questions, extra=extra))
    embed = discord.Embed(title=t("banks.topics.title", language), colour=COLOR,
                          description=clip("\n".join(rows), EMBED_DESCRIPTION_LIMIT))
    embed.set_footer(text=t("banks.topics.footer", language))
    return embed


def export_text(export: Export, language: str) -> str:
    text = t("banks.export.done", language, count=export.questions)
    if export.withheld:
        text += "\n" + t("banks.export.withheld", language, withheld=export.withheld)
    return text


def _question_fields(embed: discord.Embed, suggestion: Suggestion, language: str) -> None:
    question = suggestion.question
    embed.add_field(name=t("banks.suggest.topic", language), value=clip(suggestion.topic.name(language), 1024))
    embed.add_field(name=t("banks.suggest.difficulty", language), value=str(question.difficulty))
    embed.add_field(name=t("banks.suggest.by", language), value=f"<@{suggestion.row.author_id}>")
    if question.answer:
        embed.add_field(name=t("banks.suggest.answer", language), value=clip(question.answer, 1024), inline=False)
    if question.key_points:
        points = "\n".join(f"• {p.text} ({', '.join(p.keywords)})" for p in question.key_points)
        embed.add_field(name=t("banks.suggest.key_points", language), value=clip(points, 1024), inline=False)


def suggestion_embed(suggestion: Suggestion, language: str) -> discord.Embed:
    """The review post of a pending suggestion."""
    embed = discord.Embed(title=t("banks.suggest.review_title", language, id=suggestion.row.id), colour=COLOR,
                          description=clip(suggestion.question.prompt, EMBED_DESCRIPTION_LIMIT))
    _question_fields(embed, suggestion, language)
    return embed


def decided_embed(suggestion: Suggestion, manager_id: int, language: str) -> discord.Embed:
    embed = suggestion_embed(suggestion, language)
    row = suggestion.row
    if row.status == "accepted":
        status = t("banks.suggest.accepted_by", language, manager=f"<@{manager_id}>", id=row.question_id or "")
    else:
        status = t("banks.suggest.rejected_by", language, manager=f"<@{manager_id}>", reason=clip(row.reason or "-",
                                                                                                  500))
    embed.add_field(name=t("banks.suggest.status", language), value=clip(status, 1024), inline=False)
    return embed


def form_defaults(suggestion: Suggestion) -> dict[str, str]:
    """The suggestion back in the form's fields, for a manager's Edit."""
    question = suggestion.question
    points = "\n".join(" | ".join(filter(None, (p.text, "; ".join(p.keywords), "; ".join(p.contradicts))))
                       for p in question.key_points)
    return {"prompt": question.prompt, "answer": question.answer or "", "key_points": points,
            "topic": suggestion.row.topic_local, "difficulty": str(question.difficulty)}
