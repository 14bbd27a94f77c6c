"""Shared fixtures: the shipped bank (loaded once), the project's folders, and the storage engines.

Engines: a test that takes `database` (an open, migrated database), `database_url` (a URL to a migrated database it
opens itself, e.g. to reopen after a "restart"), or `engine` runs once per engine: "sqlite" (a file in tmp_path) and
"postgresql" (a database copied per test from a migrated template). PostgreSQL is the server TEST_DATABASE_URL names
(its user may create databases), or else a throwaway server this session starts (initdb into a temporary folder) and
deletes at the end. If that server cannot start the session fails with the reason; `pytest --sqlite-only` runs the
SQLite half alone.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
MIGRATIONS = ROOT / "migrations"
sys.path.insert(0, str(Path(__file__).parent))  # tests/clock.py and friends

import pg_server  # noqa: E402

ENGINES = ("sqlite", "postgresql")
_numbers = itertools.count(1)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--sqlite-only", action="store_true", default=False,
                     help="run the engine-parametrized tests on SQLite only (no PostgreSQL server needed)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine" in metafunc.fixturenames:
        engines = ["sqlite"] if metafunc.config.getoption("--sqlite-only") else list(ENGINES)
        metafunc.parametrize("engine", engines, scope="function")


@pytest.fixture(scope="session")
def shipped_bank():
    from bot.bank import load_bank

    return load_bank([ROOT / "questions"]).bank


@pytest.fixture(scope="session")
def pg_admin_url(request: pytest.FixtureRequest):
    """A URL to the PostgreSQL server's maintenance database (TEST_DATABASE_URL, or a throwaway server's)."""
    if request.config.getoption("--sqlite-only"):
        pytest.skip("--sqlite-only: no PostgreSQL server for this session")
    given = os.environ.get("TEST_DATABASE_URL")
    if given:
        yield given
        return
    server = pg_server.ThrowawayServer()
    try:
        server.start()
    except (pg_server.ServerUnavailable, OSError, subprocess.SubprocessError) as error:
        server.stop()
        pytest.fail(f"the throwaway PostgreSQL server could not start: {error}", pytrace=False)
    try:
        yield server.url()
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_admin_url: str) -> str:
    """The name of a database with every migration applied, copied for each test."""
    return pg_server.build_template(pg_admin_url, MIGRATIONS, f"bot_template_{os.getpid()}")


@pytest.fixture(scope="session")
def pg_stock(pg_admin_url: str, pg_template: str):
    """Migrated databases made ahead while the tests run, one per test."""
    stock = pg_server.DatabaseStock(pg_admin_url, pg_template)
    yield stock
    stock.close()


@pytest.fixture
def fresh_pg_url(pg_admin_url: str, pg_stock: pg_server.DatabaseStock):
    """A factory: `await fresh_pg_url(migrated=True)` is the URL of a new database (migrated, from the stock, or
    empty), dropped after the test."""
    made: list[str] = []

    async def make(migrated: bool = True) -> str:
        if migrated:
            name, url = await pg_stock.take()
        else:
            name = f"bot_test_{os.getpid()}_{next(_numbers)}"
            url = await pg_server.create_database(pg_admin_url, name, None)
        made.append(name)
        return url

    yield make
    if made:
        pg_server.run_in_thread(pg_server.drop_databases(pg_admin_url, made))


@pytest.fixture
async def database_url(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """The URL of a migrated database on `engine`, for tests that open (and reopen) it themselves."""
    if engine == "sqlite":
        from bot.storage.engines import open_url
        from bot.storage.migrations import migrate

        url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
        db = await open_url(url)
        try:
            await migrate(db, MIGRATIONS)
        finally:
            await db.close()
        return url
    make = request.getfixturevalue("fresh_pg_url")
    return await make()


@pytest.fixture
def make_database_url(engine: str, tmp_path: Path, request: pytest.FixtureRequest):
    """A factory: `await make_database_url()` is the URL of another new, empty database (no migrations) on `engine`."""
    made = itertools.count(1)

    async def make() -> str:
        if engine == "sqlite":
            return f"sqlite:///{tmp_path / f'empty{next(made)}.sqlite3'}"
        return await request.getfixturevalue("fresh_pg_url")(migrated=False)

    return make


@pytest.fixture
async def database(database_url: str):
    """An open, migrated database on `engine`, closed after the test."""
    from bot.storage.engines import open_url

    db = await open_url(database_url)
    yield db
    await db.close()
