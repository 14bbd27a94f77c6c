"""Which guilds this process owns: Discord's shard of a guild is `(guild_id >> 22) % shard_count`.

Several processes (on several machines) split the shards between them and share one database; each handles the
guilds of its own shards in every sweep and job. One process with every shard (the default) owns every guild.
"""

from __future__ import annotations

from dataclasses import dataclass


def shard_of(guild_id: int, shard_count: int) -> int:
    return (guild_id >> 22) % shard_count


@dataclass(frozen=True, slots=True)
class Shards:
    count: int = 1
    ids: tuple[int, ...] | None = None  # None: all of them

    def __post_init__(self) -> None:
        if self.count < 1:
            raise ValueError("the shard count must be at least 1")
        if self.ids is not None:
            if not self.ids:
                raise ValueError("at least one shard id is needed")
            wrong = [i for i in self.ids if not 0 <= i < self.count]
            if wrong:
                raise ValueError(f"shard ids {wrong} are not below the shard count {self.count}")

    @property
    def owned(self) -> tuple[int, ...]:
        return self.ids if self.ids is not None else tuple(range(self.count))

    @property
    def everything(self) -> bool:
        """Whether this process owns every guild (no filter needed)."""
        return set(self.owned) == set(range(self.count))

    def owns(self, guild_id: int) -> bool:
        return self.everything or shard_of(guild_id, self.count) in self.owned


ALL = Shards()
