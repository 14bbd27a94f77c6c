"""Fixtures for end-to-end tests: a Discord double per test, the OpenAPI request schemas per session.

A test fails at teardown if the bot broke a Discord rule or discord.py logged an error for the client,
unless the test claimed it (`double.expect_violation(...)`, `@pytest.mark.discord_violations(...)`,
`double.take_client_errors()`).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import AsyncIterator

import pytest
from bot_process import BotProcess
from discord_double import DiscordDouble, RequestSchemas, default_spec_path, load_request_schemas

_skipped_schema_check: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "discord_violations(*rules): the test provokes these Discord rule violations on purpose"
    )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _skipped_schema_check:
        terminalreporter.write_sep("!", "Discord OpenAPI request-schema check SKIPPED", red=True, bold=True)
        terminalreporter.write_line(_skipped_schema_check[0], red=True)


@pytest.fixture
def on_each_engine(database_url: str, tmp_path):
    """The bot under test keeps its data in `database_url`: SQLite, or a fresh PostgreSQL database (a test module
    opts in with `pytestmark = pytest.mark.usefixtures("on_each_engine")` and then runs once per engine)."""
    from study_bot import DATABASE_URLS

    DATABASE_URLS[tmp_path] = database_url
    yield database_url
    DATABASE_URLS.pop(tmp_path, None)


@pytest.fixture(scope="session")
def discord_api_schemas() -> RequestSchemas | None:
    """Discord's OpenAPI spec, loaded once; None (with a loud warning) where the file is absent."""
    path = default_spec_path()
    schemas = load_request_schemas(path)
    if schemas is None:
        message = (
            f"Discord's OpenAPI spec was not found at {path} (set DISCORD_API_SPEC to override): "
            "request bodies were NOT validated against Discord's schema, only against the harness's limits."
        )
        _skipped_schema_check.append(message)
        warnings.warn(pytest.PytestWarning(message), stacklevel=1)
    return schemas


@pytest.fixture
async def discord_double(
    request: pytest.FixtureRequest, discord_api_schemas: RequestSchemas | None
) -> AsyncIterator[DiscordDouble]:
    """A started Discord double with the default world (guild "Study Group", #general, #quiz, alice, bob)."""
    double = DiscordDouble(schemas=discord_api_schemas)
    await double.start()
    try:
        yield double
    finally:
        await double.stop()
    marker = request.node.get_closest_marker("discord_violations")
    if marker is not None:
        _, missing = double.violations.claim(*marker.args)
        if missing:
            pytest.fail(
                f"the test declared it provokes {missing}, but the double never saw them", pytrace=False
            )
    problems = []
    if double.violations.recorded:
        problems.append(double.violations.report())
    if double.client_errors:
        formatter = logging.Formatter("%(name)s: %(message)s")
        lines = "\n".join(formatter.format(record) for record in double.client_errors)
        problems.append(f"discord.py logged {len(double.client_errors)} error(s) for the client:\n{lines}")
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


@pytest.fixture
async def processes() -> AsyncIterator[list[BotProcess]]:
    """The bot processes a test starts: killed at the end whatever happened, so none outlives its test."""
    started: list[BotProcess] = []
    yield started
    for bot in started:
        await bot.kill()
