"""Buttons that keep working after a restart (their id carries their state), and the grade buttons' looks."""

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
    to its parameter's type (int, an int enum, or str) and keeping the label the button showed. A subclass's
    constructor passes its state as keywords to `super().__init__`, which keeps them as attributes and writes the
    custom id from the same template, so the id and its parser cannot drift apart.
    """

    def __init__(self, *, label: str | None, style: discord.ButtonStyle, emoji: str | None = None,
                 disabled: bool = False, row: int | None = None, **state: Any) -> None:
        for name, value in state.items():
            setattr(self, name, value)
        super().__init__(discord.ui.Button(label=label, style=style, emoji=emoji, disabled=disabled, row=row,
                                           custom_id=self.custom_id_for(**state)))

    @classmethod
    def custom_id_for(cls, **state: Any) -> str:
        """The template with each named group replaced by its value (`(?P<post_id>\\d+)` by `post_id`)."""
        template = cls.__discord_ui_compiled_template__
        custom_id = _GROUP.sub(lambda group: _text(state[group.group(1)]), template.pattern)
        if not template.fullmatch(custom_id):
            raise ValueError(f"{cls.__name__}: {custom_id!r} does not match its template {template.pattern!r}")
        return custom_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button[Any],
                             match: re.Match[str]) -> Self:
        hints = typing.get_type_hints(cls.__init__, vars(sys.modules[cls.__module__]))
        values: dict[str, Any] = {name: _convert(hints.get(name), text) for name, text in match.groupdict().items()}
        if item.label and "label" in inspect.signature(cls.__init__).parameters:
            values["label"] = item.label
        return cls(**values)


_GROUP = re.compile(r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)")  # a named group, one level of parentheses inside


def _text(value: object) -> str:
    return str(int(value)) if isinstance(value, int) else str(value)


def _convert(hint: object, text: str) -> object:
    return hint(int(text)) if isinstance(hint, type) and issubclass(hint, int) else text
