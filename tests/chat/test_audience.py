"""Which servers a request speaks for (the withholding rule's audience) and which server it counts in."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from bot.chat.shared.audience import audience, home_guild

ALICE, DAVE = 1, 2


@dataclass
class FakeGuild:
    id: int
    members: set[int] = field(default_factory=set)
    chunked: bool = True

    def get_member(self, user_id: int) -> object | None:
        return object() if user_id in self.members else None


def request(user_id: int, guild_id: int | None, *guilds: FakeGuild) -> Any:
    client = SimpleNamespace(guilds=list(guilds), get_guild=lambda wanted: next(
        (g for g in guilds if g.id == wanted), None))
    return SimpleNamespace(user=SimpleNamespace(id=user_id), guild_id=guild_id, client=client)


def test_a_request_from_anywhere_speaks_for_every_server_the_member_shares_with_the_bot() -> None:
    study, other = FakeGuild(10, {ALICE}), FakeGuild(20, {DAVE})
    assert audience(request(ALICE, None, study, other)) == {10}  # the bot's DM, a private channel
    assert audience(request(ALICE, 99, study, other)) == {10, 99}  # a server the bot is not in
    assert audience(request(ALICE, 20, study, other)) == {10, 20}


def test_a_server_whose_members_are_not_all_loaded_counts_as_shared() -> None:
    loading = FakeGuild(30, set(), chunked=False)
    assert audience(request(DAVE, None, FakeGuild(10, {ALICE}), loading)) == {30}  # withhold more, never less


def test_a_request_counts_in_a_server_only_when_the_bot_is_in_it() -> None:
    study = FakeGuild(10, {ALICE})
    assert home_guild(request(ALICE, 10, study)) == 10
    assert home_guild(request(ALICE, 99, study)) is None  # only her own install reaches that server
    assert home_guild(request(ALICE, None, study)) is None
