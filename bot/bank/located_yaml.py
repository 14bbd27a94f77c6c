"""A YAML loader that remembers the line of every key and list item, built on libyaml when present."""

from __future__ import annotations

from typing import Any

import yaml

try:  # libyaml's parser is several times faster than the pure-Python one.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

HAS_LIBYAML = _BaseLoader.__name__ == "CSafeLoader"


class LocatedDict(dict[Any, Any]):
    """A mapping with 1-based line numbers: its own, each key's, and the raw text of scalars YAML converted."""

    line: int
    key_lines: dict[Any, int]
    raw: dict[Any, str]
    duplicate_keys: list[tuple[Any, int]]


class LocatedList(list[Any]):
    """A sequence with 1-based line numbers for itself and each item."""

    line: int
    item_lines: list[int]
    raw: dict[int, str]


class _LocatingLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    pass


def _raw_if_converted(node: yaml.Node, value: Any) -> str | None:
    """The source text of a plain scalar that YAML turned into a bool or None (`yes`, `no`, `on`, `~`)."""
    if isinstance(node, yaml.ScalarNode) and (value is None or isinstance(value, bool)):
        return str(node.value)
    return None


def _construct_mapping(loader: _LocatingLoader, node: yaml.MappingNode) -> LocatedDict:
    loader.flatten_mapping(node)
    result = LocatedDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    result.raw = {}
    result.duplicate_keys = []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            key = str(key)
        if key in result:
            result.duplicate_keys.append((key, line))
        value = loader.construct_object(value_node, deep=True)
        result[key] = value
        result.key_lines[key] = line
        raw = _raw_if_converted(value_node, value)
        if raw is not None:
            result.raw[key] = raw
    return result


def _construct_sequence(loader: _LocatingLoader, node: yaml.SequenceNode) -> LocatedList:
    result = LocatedList()
    result.line = node.start_mark.line + 1
    result.item_lines = []
    result.raw = {}
    for index, child in enumerate(node.value):
        value = loader.construct_object(child, deep=True)
        result.append(value)
        result.item_lines.append(child.start_mark.line + 1)
        raw = _raw_if_converted(child, value)
        if raw is not None:
            result.raw[index] = raw
    return result


_LocatingLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_LocatingLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def load_located(text: str) -> Any:
    """Parse one YAML document; mappings and lists come back as LocatedDict and LocatedList."""
    return yaml.load(text, Loader=_LocatingLoader)


def located(value: Any, line: int) -> Any:
    """Plain data (dicts, lists, scalars) as the loader's located shapes, every part on `line`: how a CSV row or a
    stored question reaches the same checks as a YAML file."""
    if isinstance(value, dict):
        mapping = LocatedDict()
        mapping.line, mapping.raw, mapping.duplicate_keys = line, {}, []
        mapping.key_lines = {}
        for key, item in value.items():
            mapping[key] = located(item, line)
            mapping.key_lines[key] = line
        return mapping
    if isinstance(value, list):
        items = LocatedList(located(item, line) for item in value)
        items.line, items.raw, items.item_lines = line, {}, [line] * len(value)
        return items
    return value
