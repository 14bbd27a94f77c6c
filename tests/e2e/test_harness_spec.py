"""The harness's own tests: where the OpenAPI spec comes from, that it loads once, and that its absence
is reported loudly instead of passing silently."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from discord_double import SPEC_ENV_VAR, RequestSchemas, default_spec_path, load_request_schemas

REPO = Path(__file__).resolve().parents[2]


def test_the_spec_is_found_beside_the_repo_or_where_the_env_var_says(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(SPEC_ENV_VAR, raising=False)
    assert default_spec_path() == REPO.parent / "shared" / "discord-api-spec" / "openapi.json"
    monkeypatch.setenv(SPEC_ENV_VAR, str(tmp_path / "elsewhere.json"))
    assert default_spec_path() == tmp_path / "elsewhere.json"
    assert load_request_schemas(tmp_path / "elsewhere.json") is None


def test_the_spec_is_loaded_once_and_checks_bodies(
    discord_api_schemas: RequestSchemas | None,
) -> None:
    if discord_api_schemas is None:
        pytest.skip("Discord's OpenAPI spec is absent")
    assert load_request_schemas(discord_api_schemas.source) is discord_api_schemas
    route = ("POST", "/channels/{channel_id}/messages")
    assert discord_api_schemas.errors(*route, {"content": "hi", "allowed_mentions": {"parse": []}}) == []
    assert discord_api_schemas.errors(*route, {"content": "x" * 4001})  # the spec's own limit
    assert discord_api_schemas.errors(*route, {"attachments": [{"id": 0, "filename": "a.txt"}]}) == []
    assert not discord_api_schemas.has_operation("GET", "/users/@me")


def test_a_missing_spec_is_reported_loudly() -> None:
    env = os.environ | {SPEC_ENV_VAR: "/nonexistent/openapi.json"}
    target = f"{Path(__file__).parent / 'test_harness_flows.py'}::test_login_and_command_sync"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", target, "-q", "-p", "no:cacheprovider"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "PytestWarning: Discord's OpenAPI spec was not found" in run.stdout
    assert "Discord OpenAPI request-schema check SKIPPED" in run.stdout
