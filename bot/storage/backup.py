"""An online copy of the database with SQLite's backup API: consistent even while the bot writes."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def backup(source: Path, destination: Path) -> int:
    """Copy `source` to `destination` page by page; returns the destination's size in bytes."""
    if not source.is_file():
        raise FileNotFoundError(f"no database at {source}")
    destination.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(destination)
        try:
            src.backup(dst, pages=256)
        finally:
            dst.close()
    finally:
        src.close()
    return destination.stat().st_size
