from datetime import time

import pytest

from bot.domain.errors import DomainError
from bot.domain.timetext import parse_reveal


def test_reveal_setting_parses_times_and_delays() -> None:
    assert parse_reveal("21:00") == (time(21, 0), None)
    assert parse_reveal("1h30m") == (None, 90)
    assert parse_reveal("90m") == (None, 90)
    for bad in ("soon", "25h", "0m", "h"):
        with pytest.raises(DomainError):
            parse_reveal(bad)
