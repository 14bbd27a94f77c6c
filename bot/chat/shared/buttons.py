"""Button looks shared by the features that ask a member to grade themselves."""

from __future__ import annotations

import inspect
import re
import sys
import typing
from typing import Any, Self

import discord

GRADE_STYLES: dict[str, discord.ButtonStyle] = {
    "got": discord.ButtonStyle.success, "partly": discord.ButtonStyle.primary, "missed": discord.ButtonStyle.secondary,
}


class PersistentButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"(?!)"):
    """A button whose custom id carries its whole state, so it keeps working after a restart.

    A subclass gives a `template` whose named groups are its constructor's parameters (`(?P<post_id>\\d+)` for
    `post_id: int`); `from_custom_id` rebuilds the button from the id Discord sends back, converting each group
    to its parameter's type (int, an int enum, or str) and keeping the label the button showed.
    """

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button[Any],
                             match: re.Match[str]) -> Self:
        hints = typing.get_type_hints(cls.__init__, vars(sys.modules[cls.__module__]))
        values: dict[str, Any] = {name: _convert(hints.get(name), text) for name, text in match.groupdict().items()}
        if item.label and "label" in inspect.signature(cls.__init__).parameters:
            values["label"] = item.label
        return cls(**values)


def _convert(hint: object, text: str) -> object:
    return hint(int(text)) if isinstance(hint, type) and issubclass(hint, int) else text
