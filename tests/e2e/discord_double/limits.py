"""Discord's documented limits, checked on the JSON bodies the bot sends.

Each check returns `Breach`es: a rule name tests can expect (`embed.description`), the path of the
offending field (for Discord's nested 400 `errors` object) and a message. The OpenAPI spec is checked too;
where the two differ, both apply, so the stricter one wins.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .state import IS_COMPONENTS_V2, walk_components

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Breach:
    rule: str
    path: Path
    message: str


def _too_long(rule: str, path: Path, value: Any, limit: int) -> Iterator[Breach]:
    if isinstance(value, str) and len(value) > limit:
        yield Breach(rule, path, f"must be {limit} or fewer in length (got {len(value)})")


def _too_many(rule: str, path: Path, items: Any, limit: int) -> Iterator[Breach]:
    if isinstance(items, list) and len(items) > limit:
        yield Breach(rule, path, f"must have {limit} or fewer items (got {len(items)})")


def message_body(body: dict[str, Any]) -> list[Breach]:
    """Content, embeds and components of a message create/edit, follow-up or callback `data`."""
    found = list(_too_long("content.length", ("content",), body.get("content"), 2000))
    embeds = body.get("embeds") or []
    found += _too_many("embeds.count", ("embeds",), embeds, 10)
    total = 0
    for index, embed in enumerate(embeds):
        found += _embed(embed, ("embeds", index))
        total += _embed_size(embed)
    if total > 6000:
        found.append(
            Breach("embeds.total", ("embeds",), f"embeds hold {total} characters; the limit is 6000")
        )
    found += _components(body.get("components") or [], int(body.get("flags") or 0))
    return found


def _embed(embed: dict[str, Any], at: Path) -> Iterator[Breach]:
    yield from _too_long("embed.title", (*at, "title"), embed.get("title"), 256)
    yield from _too_long("embed.description", (*at, "description"), embed.get("description"), 4096)
    yield from _too_long(
        "embed.footer", (*at, "footer", "text"), (embed.get("footer") or {}).get("text"), 2048
    )
    yield from _too_long(
        "embed.author", (*at, "author", "name"), (embed.get("author") or {}).get("name"), 256
    )
    fields = embed.get("fields") or []
    yield from _too_many("embed.fields", (*at, "fields"), fields, 25)
    for index, item in enumerate(fields):
        yield from _too_long("embed.field.name", (*at, "fields", index, "name"), item.get("name"), 256)
        yield from _too_long("embed.field.value", (*at, "fields", index, "value"), item.get("value"), 1024)


def _embed_size(embed: dict[str, Any]) -> int:
    texts = [embed.get("title"), embed.get("description")]
    texts += [(embed.get("footer") or {}).get("text"), (embed.get("author") or {}).get("name")]
    for item in embed.get("fields") or []:
        texts += [item.get("name"), item.get("value")]
    return sum(len(text) for text in texts if isinstance(text, str))


def _components(components: list[dict[str, Any]], flags: int) -> Iterator[Breach]:
    if flags & IS_COMPONENTS_V2:
        total = sum(1 for _ in walk_components(components))
        if total > 40:
            yield Breach("components.total", ("components",), f"{total} components; the limit is 40")
    else:
        yield from _too_many("components.rows", ("components",), components, 5)
        for index, row in enumerate(components):
            if row.get("type") != 1:
                yield Breach(
                    "components.rows", ("components", index), "top-level components must be action rows"
                )
                continue
            children = row.get("components") or []
            buttons = [c for c in children if c.get("type") == 2]
            yield from _too_many("components.row_width", ("components", index, "components"), buttons, 5)
            if len(buttons) < len(children) and len(children) > 1:
                yield Breach(
                    "components.row_width", ("components", index), "a select menu must be alone in its row"
                )
    yield from _items(components, ("components",))


def _items(components: list[dict[str, Any]], at: Path) -> Iterator[Breach]:
    for index, component in enumerate(components):
        here = (*at, index)
        if component.get("type") == 2:
            yield from _too_long("button.label", (*here, "label"), component.get("label"), 80)
        yield from _too_long("component.custom_id", (*here, "custom_id"), component.get("custom_id"), 100)
        if component.get("type") == 3:
            yield from _too_many("select.options", (*here, "options"), component.get("options"), 25)
        yield from _items(component.get("components") or [], (*here, "components"))
        for key in ("accessory", "component"):
            if isinstance(component.get(key), dict):
                yield from _items([component[key]], (*here, key))


def modal(data: dict[str, Any]) -> list[Breach]:
    """A modal callback's `data`: title 45, 5 components, text input label 45 and value 4000."""
    found = list(_too_long("modal.title", ("title",), data.get("title"), 45))
    found += _too_long("component.custom_id", ("custom_id",), data.get("custom_id"), 100)
    top = data.get("components") or []
    found += _too_many("modal.components", ("components",), top, 5)
    for at, component in _walk_with_paths(top, ("components",)):
        if component.get("type") == 18:
            found += _too_long("text_input.label", (*at, "label"), component.get("label"), 45)
        if component.get("type") == 4:
            found += _too_long("text_input.label", (*at, "label"), component.get("label"), 45)
            found += _too_long("text_input.value", (*at, "value"), component.get("value"), 4000)
            found += _too_long("component.custom_id", (*at, "custom_id"), component.get("custom_id"), 100)
    return found


def _walk_with_paths(components: list[dict[str, Any]], at: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    for index, component in enumerate(components):
        here = (*at, index)
        yield here, component
        yield from _walk_with_paths(component.get("components") or [], (*here, "components"))
        if isinstance(component.get("component"), dict):
            yield (*here, "component"), component["component"]


def autocomplete(data: dict[str, Any]) -> list[Breach]:
    choices = data.get("choices") or []
    found = list(_too_many("autocomplete.choices", ("choices",), choices, 25))
    for index, choice in enumerate(choices):
        found += _too_long("autocomplete.choice", ("choices", index, "name"), choice.get("name"), 100)
        found += _too_long("autocomplete.choice", ("choices", index, "value"), choice.get("value"), 100)
    return found


def _valid_name(name: Any) -> bool:
    """Discord's `^[-_'\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$`, lower case where a case exists."""
    if not isinstance(name, str) or not 1 <= len(name) <= 32 or name != name.lower():
        return False
    for char in name:
        category = unicodedata.category(char)
        script = unicodedata.name(char, "")
        if not (char in "-_'" or category[0] in "LN" or script.startswith(("DEVANAGARI", "THAI"))):
            return False
    return True


def commands(payload: Any) -> list[Breach]:
    """A bulk command registration: ≤ 100 slash commands, names, descriptions, options."""
    if not isinstance(payload, list):
        return []
    found: list[Breach] = []
    slash = [c for c in payload if c.get("type", 1) == 1]
    found += _too_many("commands.count", (), slash, 100)
    seen: set[tuple[int, str]] = set()
    for index, command in enumerate(payload):
        key = (command.get("type", 1), command.get("name"))
        if key in seen:
            found.append(Breach("command.duplicate", (index, "name"), f"duplicate command name {key[1]!r}"))
        seen.add(key)
        if command.get("type", 1) == 1:
            found += _named(command, (index,), "command")
        elif not (isinstance(command.get("name"), str) and 1 <= len(command["name"]) <= 32):
            found.append(Breach("command.name", (index, "name"), "context menu names are 1-32 characters"))
    return found


def _named(item: dict[str, Any], at: Path, kind: str) -> Iterator[Breach]:
    if not _valid_name(item.get("name")):
        yield Breach(f"{kind}.name", (*at, "name"), f"invalid name {item.get('name')!r} (lower case, 1-32)")
    description = item.get("description")
    if not (isinstance(description, str) and 1 <= len(description) <= 100):
        yield Breach(f"{kind}.description", (*at, "description"), "description must be 1-100 characters")
    options = item.get("options") or []
    yield from _too_many(f"{kind}.options", (*at, "options"), options, 25)
    yield from _options(options, (*at, "options"))


def _options(options: Iterable[dict[str, Any]], at: Path) -> Iterator[Breach]:
    names: set[str] = set()
    optional_seen = False
    for index, option in enumerate(options):
        here = (*at, index)
        yield from _named(option, here, "option")
        if option.get("name") in names:
            yield Breach("option.duplicate", (*here, "name"), f"duplicate option name {option.get('name')!r}")
        names.add(option.get("name", ""))
        yield from _too_many("option.choices", (*here, "choices"), option.get("choices"), 25)
        if option.get("type") not in (1, 2):
            if option.get("required") and optional_seen:
                yield Breach("option.order", here, "required options must come before optional ones")
            optional_seen = optional_seen or not option.get("required")
