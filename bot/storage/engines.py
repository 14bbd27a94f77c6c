"""Engine selection from one setting, DATABASE_URL: `sqlite:///relative/path`, `sqlite:////abs/path`, or
`postgresql://user:pass@host:port/db`."""

from __future__ import annotations

from bot.storage.database import Database, open_database
from bot.storage.postgres import DatabaseUnavailable

DEFAULT_URL = "sqlite:///data/bot.sqlite3"


def sqlite_path(url: str) -> str:
    """The file path of a sqlite: URL (three slashes: relative, four: absolute)."""
    rest = url[len("sqlite://"):]
    if not rest.startswith("/"):
        raise DatabaseUnavailable(f"malformed SQLite URL {url!r}: expected sqlite:///relative or sqlite:////absolute")
    return rest[1:] or ":memory:"


async def open_url(url: str, *, sqlite_synchronous: str = "NORMAL") -> Database:
    """Open the database a URL names, or raise DatabaseUnavailable with a one-line reason."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "sqlite":
        return await open_database(sqlite_path(url), synchronous=sqlite_synchronous)
    if scheme in {"postgresql", "postgres"}:
        from bot.storage.postgres import open_postgres

        return await open_postgres(url)
    raise DatabaseUnavailable(f"unknown database URL scheme {scheme!r} in DATABASE_URL (use sqlite:// or postgresql://)")



def require_existing_sqlite(url: str) -> None:
    """A SQLite source URL must name a file that exists (opening a missing one would create it empty)."""
    from pathlib import Path

    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "sqlite":
        path = sqlite_path(url)
        if path != ":memory:" and not Path(path).is_file():
            raise DatabaseUnavailable(f"no SQLite database at {path}")
