"""Validation of the bot's REST request bodies against Discord's own OpenAPI 3.1 spec.

The spec (1.2 MB) is loaded and wrapped in a `referencing.Registry` once per process; one Draft 2020-12
validator is compiled per operation (and per union branch) and cached.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, relevance
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_ENV_VAR = "DISCORD_API_SPEC"
_SPEC_URI = "urn:discord-openapi"
_REPO_ROOT = Path(__file__).resolve().parents[3]


def default_spec_path() -> Path:
    """`$DISCORD_API_SPEC`, else `<repo root>/../shared/discord-api-spec/openapi.json`."""
    override = os.environ.get(SPEC_ENV_VAR)
    if override:
        return Path(override)
    return _REPO_ROOT.parent / "shared" / "discord-api-spec" / "openapi.json"


def _relax(spec: dict[str, Any]) -> None:
    """Loosen the few places where the preview spec is stricter than Discord itself.

    Snowflakes are typed as strings, but Discord accepts integers and discord.py sends them (attachment
    ids, allowed_mentions user and role ids).
    """
    schemas = spec["components"]["schemas"]
    string_snowflake = schemas["SnowflakeType"]
    schemas["SnowflakeType"] = {"anyOf": [string_snowflake, {"type": "integer", "minimum": 0}]}


class RequestSchemas:
    """Request-body validators for every operation of the spec, compiled on first use."""

    def __init__(self, spec: dict[str, Any], source: Path) -> None:
        _relax(spec)
        self.source = source
        self._spec = spec
        resource: Resource[Any] = DRAFT202012.create_resource(spec)
        self._registry: Registry[Any] = Registry().with_resource(_SPEC_URI, resource)
        self._validators: dict[tuple[str, str, int | None], Draft202012Validator | None] = {}

    @classmethod
    def load(cls, path: Path) -> RequestSchemas:
        with path.open(encoding="utf-8") as handle:
            return cls(json.load(handle), path)

    def has_operation(self, method: str, path: str) -> bool:
        """Whether the operation takes a request body the spec describes."""
        return self._json_schema(method, path) is not None

    def response_codes(self, method: str, path: str) -> set[str]:
        """The response codes the spec lists for an operation ("204", "4XX"...); empty if it has no such route."""
        operation = self._spec["paths"].get(path, {}).get(method.lower()) or {}
        return set(operation.get("responses") or {})

    def errors(self, method: str, path: str, body: Any) -> list[str]:
        """Readable schema errors of `body` for the operation `METHOD path` (spec path template)."""
        validator = self._validator(method.lower(), path, self._branch(method.lower(), path, body))
        if validator is None:
            return []
        found = list(validator.iter_errors(body))
        return [_describe(_pinpoint(found))] if found else []

    def _json_schema(self, method: str, path: str) -> dict[str, Any] | None:
        operation = self._spec["paths"].get(path, {}).get(method.lower())
        if not operation or "requestBody" not in operation:
            return None
        content = operation["requestBody"]["content"]
        return content.get("application/json")

    def _branch(self, method: str, path: str, body: Any) -> int | None:
        """Index of the union branch whose `type` enum names `body["type"]`, so errors stay specific."""
        media = self._json_schema(method, path)
        if media is None or not isinstance(body, dict):
            return None
        for index, option in enumerate(media["schema"].get("anyOf", [])):
            target = self._resolve(option)
            type_schema = target.get("properties", {}).get("type", {})
            if body.get("type") in type_schema.get("enum", ()):
                return index
        return None

    def _resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        ref = schema.get("$ref")
        if not ref:
            return schema
        node: Any = self._spec
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
        return node

    def _validator(self, method: str, path: str, branch: int | None) -> Draft202012Validator | None:
        key = (method, path, branch)
        if key not in self._validators:
            media = self._json_schema(method, path)
            if media is None:
                self._validators[key] = None
            else:
                pointer = f"/paths/{_escape(path)}/{method}/requestBody/content/application~1json/schema"
                if branch is not None:
                    pointer += f"/anyOf/{branch}"
                schema = {"$ref": f"{_SPEC_URI}#{pointer}"}
                self._validators[key] = Draft202012Validator(schema, registry=self._registry)
        return self._validators[key]


def _escape(path: str) -> str:
    return path.replace("~", "~0").replace("/", "~1")


def _pinpoint(errors: list[ValidationError]) -> ValidationError:
    """The most telling error, descending oneOf/anyOf failures into the branch whose discriminator matched.

    jsonschema's `best_match` may descend into a branch that failed only on `type` (e.g. "enum [10] failed
    for 2": a button checked against the separator schema); the branch that matched says what is wrong.
    """
    error = max(errors, key=relevance)
    while error.context:
        branches: dict[Any, list[ValidationError]] = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        plausible = [errs for errs in branches.values() if not any(_discriminator_miss(e) for e in errs)]
        error = max(plausible[0] if len(plausible) == 1 else error.context, key=relevance)
    return error


def _discriminator_miss(error: ValidationError) -> bool:
    at_type = list(error.relative_path) == ["type"] and error.validator in ("enum", "const")
    wrong_kind = not error.relative_path and error.validator == "type"
    return at_type or wrong_kind


def _describe(error: ValidationError) -> str:
    location = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path)
    shown = json.dumps(error.instance, ensure_ascii=False, default=str)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"body{location}: {error.validator} {error.validator_value!r} failed for {shown}"


@cache
def load_request_schemas(path: Path) -> RequestSchemas | None:
    """The spec at `path`, loaded once per process; None where the file is absent."""
    if not path.is_file():
        return None
    return RequestSchemas.load(path)
