"""A hook into the reveal thread's answer messages: another feature may add its own buttons to them (the rewards'
best-answer button), without the daily question knowing that feature. Found on `bot.services` by this protocol."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import discord

from bot.storage.rows import PostRow


@runtime_checkable
class AnswerMessageExtras(Protocol):
    async def extend_answers_view(self, post: PostRow, view: discord.ui.View, language: str) -> None:
        """Add items to the view of a thread message that carries answers to `post` (before it is sent)."""
