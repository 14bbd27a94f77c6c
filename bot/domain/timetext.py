"""Times as managers type them in commands: a clock time ("21:30") and a reveal setting ("21:00", "90m", "8h")."""

from __future__ import annotations

from datetime import time

from bot.domain.errors import DomainError


def parse_clock(text: str, error_key: str = "qotd.bad_time") -> time:
    """'9:00', '09:00', '21:30' → time; DomainError(`error_key`) for anything else."""
    try:
        hours, minutes = text.strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError as exc:
        raise DomainError(error_key, value=text[:20]) from exc


def parse_reveal(text: str) -> tuple[time | None, int | None]:
    """A reveal setting: a local time ('21:00') or a delay after the post ('90m', '8h', '1h30m')."""
    cleaned = text.strip().lower().replace(" ", "")
    if ":" in cleaned:
        return parse_clock(cleaned), None
    minutes = 0
    number = ""
    for char in cleaned:
        if char.isdigit():
            number += char
        elif char in "hm" and number:
            minutes += int(number) * (60 if char == "h" else 1)
            number = ""
        else:
            raise DomainError("qotd.bad_reveal", value=text[:20])
    if number or not 0 < minutes <= 24 * 60:
        raise DomainError("qotd.bad_reveal", value=text[:20])
    return None, minutes
