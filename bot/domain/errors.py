"""Domain errors. Each carries a catalog key and values; the Discord layer turns it into a user's message."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule said no. `key` names the catalog entry that explains it to the member."""

    key = "error.generic"

    def __init__(self, key: str | None = None, **values: Any) -> None:
        self.key = key or type(self).key
        self.values = values
        super().__init__(f"{self.key} {values}" if values else self.key)
