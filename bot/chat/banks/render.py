"""What the bank commands show: an upload's outcome or its problems, the server's topics, an export's note."""

from __future__ import annotations

import io

import discord

from bot.bank.loader import BankError
from bot.chat.shared.embeds import COLOR, EMBED_DESCRIPTION_LIMIT, clip
from bot.i18n import t
from bot.services.banks import Export, TopicLine, UploadResult

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
