"""What every written answer must be, wherever it is given (the daily question, a quiz): not empty, and no longer
than `MAX_ANSWER_LENGTH` (Discord's modals allow 4000; the bot asks for less)."""

from __future__ import annotations

from bot.domain.errors import DomainError

MAX_ANSWER_LENGTH = 1500


def clean_answer(text: str, *, empty: str, too_long: str) -> str:
    """The answer without surrounding white space; DomainError(`empty`) or DomainError(`too_long`, limit, length)
    when it is not acceptable (the keys are each feature's own messages)."""
    content = text.strip()
    if not content:
        raise DomainError(empty)
    if len(content) > MAX_ANSWER_LENGTH:
        raise DomainError(too_long, limit=MAX_ANSWER_LENGTH, length=len(content))
    return content
