"""What every feature's cog does on load and unload, in one place.

A feature's cog lists its persistent buttons in `items` and returns from `parts()` what it builds: services,
member-data sources, runners. On load each part is registered on `bot.services` (found by type), the buttons are
registered with discord.py, the modal routes (`modals`) with the bot, and runners are started; unload undoes it
in reverse.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import discord

from bot.chat.shared.modals import ModalRoute
from bot.chat.shared.runner import Runner

if TYPE_CHECKING:
    from bot.chat.client import StudyBot


class Feature:
    """Mixed into a feature's `commands.Cog` (or `GroupCog`): `class QuizCog(Feature, commands.Cog)`."""

    items: ClassVar[tuple[type[discord.ui.DynamicItem[Any]], ...]] = ()
    modals: ClassVar[tuple[ModalRoute, ...]] = ()  # where this feature's modal submits go

    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        super().__init__()

    def parts(self) -> Sequence[object]:
        return ()

    async def cog_load(self) -> None:
        self._parts = tuple(self.parts())
        for part in self._parts:
            self.bot.services.add(part)
        self.bot.add_dynamic_items(*self.items)
        self.bot.modal_routes.add(*self.modals)
        for part in self._parts:
            if isinstance(part, Runner):
                await part.start()

    async def cog_unload(self) -> None:
        for part in reversed(self._parts):
            if isinstance(part, Runner):
                await part.stop()
        self.bot.remove_dynamic_items(*self.items)
        self.bot.modal_routes.remove(*self.modals)
        for part in reversed(self._parts):
            self.bot.services.remove(part)
