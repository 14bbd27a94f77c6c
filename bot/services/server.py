"""A server's own settings that every feature follows: the language of what everyone reads, and the server time
zone (boards, recaps, quiz points). The rules themselves are `bot.domain.boards.server_language` and
`guild_timezone`; this is the one place that reads them from the database."""

from __future__ import annotations

from bot.domain.boards import guild_timezone, server_language
from bot.domain.errors import DomainError
from bot.domain.schedule import zone
from bot.storage.database import Database, transaction
from bot.storage.schedules import choose_language, choose_timezone, guild_languages, guild_zones


class ServerSettings:
    def __init__(self, conn: Database) -> None:
        self.conn = conn

    async def timezone(self, guild_id: int) -> str:
        """The server time zone: the one its managers chose, else its first schedule's, else UTC."""
        return guild_timezone(*await guild_zones(self.conn, guild_id))

    async def language(self, guild_id: int, guild_locale: str | None) -> str:
        """What everyone in the server's channels reads (quizzes): `bot.domain.boards.server_language`."""
        chosen, first = await guild_languages(self.conn, guild_id)
        return server_language(chosen, first, guild_locale)

    async def choose_language(self, guild_id: int, language: str) -> None:
        if language not in ("zh", "en"):
            raise DomainError("qotd.bad_language")
        async with transaction(self.conn):
            await choose_language(self.conn, guild_id, language)

    async def choose_timezone(self, guild_id: int, name: str | None) -> str:
        """/qotd timezone: the server time zone (boards, recaps, quiz points), or back to the first schedule's
        zone with no name. Returns the zone now in force."""
        chosen = name.strip() if name and name.strip() else None
        if chosen is not None:
            try:
                zone(chosen)
            except ValueError as exc:
                raise DomainError("qotd.bad_timezone", timezone=chosen[:60]) from exc
        async with transaction(self.conn):
            await choose_timezone(self.conn, guild_id, chosen)
        return await self.timezone(guild_id)
