"""The feature packages' wiring, checked on the running bot: every modal and persistent button any feature can
build is routed back to it (also after a restart, whatever was imported), and every service is found by type."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import typing
from pathlib import Path

import discord
from clock import FakeClock
from discord_double import DiscordDouble
from study_bot import study_bot_factory, utc

import bot.chat
from bot.chat.features import FEATURES
from bot.chat.quiz.cog import QuizCog
from bot.chat.shared.buttons import PersistentButton
from bot.chat.shared.feature import Feature
from bot.chat.shared.modals import ModalRoute
from bot.chat.shared.runner import Runner


def _defined_in_bot_chat() -> tuple[list[ModalRoute], list[type[discord.ui.DynamicItem]]]:
    """Every ModalRoute and DynamicItem class defined anywhere under bot/chat (all modules imported)."""
    routes: list[ModalRoute] = []
    items: list[type[discord.ui.DynamicItem]] = []
    for module_info in pkgutil.walk_packages(bot.chat.__path__, "bot.chat."):
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if isinstance(value, ModalRoute) and value not in routes:
                routes.append(value)
            if (inspect.isclass(value) and issubclass(value, discord.ui.DynamicItem) and value.__module__ ==
                    module.__name__ and value is not PersistentButton):
                items.append(value)
    return routes, items


def _sample(hint: object, name: str) -> object:
    if isinstance(hint, type) and issubclass(hint, int):
        return hint(1)
    return {"grade": "got", "action": "delete"}.get(name, "sample-id")


async def test_every_modal_and_button_a_feature_can_build_is_routed_back(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    routes, items = _defined_in_bot_chat()
    assert routes and items
    async with discord_double.running(study_bot_factory(tmp_path, FakeClock(utc("2026-11-30T00:00:00")))) as bot:
        for route in routes:
            fields = re.findall(r"\{(\w+)\}", route.template)
            custom_id = route.custom_id(**dict.fromkeys(fields, 7))
            found = bot.modal_routes.find(custom_id)
            assert found is not None, f"no route for modal {custom_id}"
            assert found[0] is route and {field: found[1][field] for field in fields} == dict.fromkeys(fields, "7")

        registered = {item for cog in bot.cogs.values() for item in getattr(cog, "items", ())}
        for item in items:
            assert item in registered, f"{item.__name__} is not in any feature's items: it would not survive a restart"
            if not issubclass(item, PersistentButton):
                continue
            hints = typing.get_type_hints(item.__init__, vars(importlib.import_module(item.__module__)))
            names = [name for name in inspect.signature(item.__init__).parameters if name != "self"]
            groups = item.__discord_ui_compiled_template__.groupindex
            values = {name: _sample(hints.get(name), name) for name in names if name in groups}
            button = item(**values, **({"label": "Label"} if "label" in names else {}))
            match = item.__discord_ui_compiled_template__.fullmatch(button.custom_id)
            assert match is not None, f"{item.__name__}'s custom id {button.custom_id} misses its own template"
            rebuilt = await item.from_custom_id(None, button.item, match)  # type: ignore[arg-type]
            assert rebuilt.custom_id == button.custom_id and rebuilt.item.label == button.item.label


async def test_each_feature_registers_its_services_by_type_and_unloads_cleanly(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    async with discord_double.running(study_bot_factory(tmp_path, FakeClock(utc("2026-11-30T00:00:00")))) as bot:
        assert len(bot.cogs) == len(FEATURES)
        for cog in bot.cogs.values():
            assert isinstance(cog, Feature)
            for part in cog._parts:
                assert bot.services.get(type(part)) is part
        runners = bot.services.all(Runner)
        assert {runner.name for runner in runners} == {"qotd", "quiz", "recap", "review", "privacy", "rewards", "roles"}
        assert all(bot.wakeups.has(runner.sweep_job) for runner in runners)
        quiz = next(cog for cog in bot.cogs.values() if isinstance(cog, QuizCog))
        await bot.remove_cog(quiz.qualified_name)
        assert not bot.wakeups.has("quiz:sweep") and all(r.name != "quiz" for r in bot.services.all(Runner))
        assert all(route.template.split(":")[0] != "quiz" for route in bot.modal_routes.routes)
