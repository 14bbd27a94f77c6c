"""Every slash command, option and choice reaches Discord with its Simplified Chinese form, and the Chinese names
obey Discord's rules for localized names."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from clock import FakeClock
from discord_double import DiscordDouble
from study_bot import study_bot_factory, utc

# Discord's rule for command and option names (and their localizations), for the scripts a zh name uses.
NAME = re.compile(r"^[-_\w\u4e00-\u9fff]{1,32}$")


def walk(entry: dict[str, Any], path: str, problems: list[str]) -> None:
    where = f"{path}/{entry['name']}"
    zh_name = (entry.get("name_localizations") or {}).get("zh-CN")
    zh_text = (entry.get("description_localizations") or {}).get("zh-CN")
    if not zh_name:
        problems.append(f"{where}: no zh-CN name")
    elif not NAME.fullmatch(zh_name) or zh_name != zh_name.lower():
        problems.append(f"{where}: zh-CN name {zh_name!r} breaks Discord's name rule")
    if not path and entry.get("type", 1) == 3:  # a message context menu: Discord gives it no description
        return
    if not zh_text or len(zh_text) > 100:
        problems.append(f"{where}: zh-CN description {zh_text!r}")
    options = entry.get("options") or []
    for name, count in _counts((o.get("name_localizations") or {}).get("zh-CN") for o in options).items():
        if name and count > 1:
            problems.append(f"{where}: two options or subcommands are called {name!r} in Chinese")
    for option in options:
        walk(option, where, problems)
    for choice in entry.get("choices") or []:
        if not (choice.get("name_localizations") or {}).get("zh-CN"):
            problems.append(f"{where}: choice {choice['name']!r} has no zh-CN name")


def _counts(values) -> dict[str, int]:
    counted: dict[str, int] = {}
    for value in values:
        counted[value] = counted.get(value, 0) + 1
    return counted


async def test_the_synced_commands_carry_chinese_names_and_descriptions(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    double = discord_double
    async with double.running(study_bot_factory(tmp_path, FakeClock(utc("2026-11-30T00:00:00")))):
        synced = double.commands()
    assert len(synced) >= 10
    problems: list[str] = []
    for command in synced:
        walk(command, "", problems)
    assert problems == []
    top = {c["name"]: c["name_localizations"]["zh-CN"] for c in synced}
    assert len(set(top.values())) == len(top)  # no two commands share a Chinese name
