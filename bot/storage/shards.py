"""The shards a database's process owns, and the SQL filter every sweep's query adds for them.

The filter is `(guild_id >> 22) % count IN (...)`: the same text on SQLite and PostgreSQL (both have `>>` and `%` on
64-bit integers; Discord's snowflakes are positive). A process that owns every shard adds no filter at all.
"""

from __future__ import annotations

from bot.domain.shards import Shards
from bot.storage.database import Database


def own_shards(db: Database, shards: Shards) -> None:
    """From now on, every sweep's query on `db` reads only the guilds of `shards`."""
    db.shards = shards


def guild_filter(db: Database, column: str = "guild_id") -> tuple[str, tuple[int, ...]]:
    """(` AND ...` to append to a WHERE clause, its parameters); empty when the process owns every guild."""
    shards = db.shards
    if shards.everything:
        return "", ()
    marks = ", ".join("?" * len(shards.owned))
    return f" AND (({column} >> 22) % ?) IN ({marks})", (shards.count, *shards.owned)
