"""A server's own bank through its services, on each engine: uploads all or nothing, re-upload by id, questions
dropped from a pack keep their row, items turned off, suggestions accepted into the pack and credited, and the YAML
export read back; a fresh service (a restart) loads the same library from the database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.bank.loader import BankError
from bot.domain.errors import DomainError
from bot.services.banks import BankService, Library, SuggestionService
from bot.storage.engines import open_url

GUILD, OTHER_GUILD, MANAGER, AUTHOR = 100, 101, 1, 2
T0 = datetime(2030, 3, 1, 12, 0, tzinfo=UTC)

QUESTION = """\
  - id: {id}
    prompt: What is {id}?
    difficulty: 2
    answer: |
      The reference answer of {id}{extra}.
    key_points:
      - text: names the idea
        keywords: [idea]
"""


def pack(*ids: str, extra: str = "") -> bytes:
    head = "topic:\n  id: club\n  name_zh: 俱乐部\n  name_en: Club questions\n  order: 1\nquestions:\n"
    return (head + "".join(QUESTION.format(id=i, extra=extra) for i in ids)).encode()


@pytest.fixture
async def banks(database_url: str, shipped_bank) -> AsyncIterator[BankService]:
    db = await open_url(database_url)
    service = BankService(db, Library(shipped_bank))
    await service.load()
    yield service
    await db.close()


def own_ids(service: BankService, guild_id: int = GUILD) -> set[str]:
    server = service.library.server(guild_id)
    return {q.id for q in server.questions} if server else set()


async def test_an_upload_joins_only_its_server_and_a_restart_loads_it_again(
        banks: BankService, database_url: str, shipped_bank) -> None:
    result = await banks.upload(GUILD, MANAGER, "club.yaml", pack("alpha", "beta"), T0)

    assert (result.added, result.updated, result.dropped) == (2, 0, 0)
    ids = own_ids(banks)
    assert len(ids) == 2 and all(i.startswith("s1-") for i in ids)
    assert ids <= set(banks.library.for_guild(GUILD).questions)
    assert not ids & set(banks.library.for_guild(OTHER_GUILD).questions)

    db = await open_url(database_url)
    try:
        restarted = BankService(db, Library(shipped_bank))
        await restarted.load()
        assert own_ids(restarted) == ids
    finally:
        await db.close()


async def test_reupload_updates_by_id_and_a_dropped_question_leaves_the_draw(banks: BankService) -> None:
    await banks.upload(GUILD, MANAGER, "club.yaml", pack("alpha", "beta"), T0)
    result = await banks.upload(GUILD, MANAGER, "club.yaml", pack("alpha", extra=" (revised)"), T0 + timedelta(1))

    assert (result.added, result.updated, result.dropped) == (0, 1, 1)
    server = banks.library.server(GUILD)
    assert server is not None
    assert [q.id for q in server.questions] == ["s1-alpha"]
    assert "revised" in server.questions[0].answer
    assert [q.id for q in server.retired] == ["s1-beta"]


async def test_an_upload_with_errors_changes_nothing(banks: BankService) -> None:
    await banks.upload(GUILD, MANAGER, "club.yaml", pack("alpha"), T0)
    broken = pack("alpha", "gamma").replace(b"difficulty: 2\n    answer: |\n      The reference answer of gamma",
                                            b"difficulty: 9\n    answer: |\n      The reference answer of gamma")

    with pytest.raises(BankError) as refused:
        await banks.upload(GUILD, MANAGER, "club.yaml", broken, T0 + timedelta(1))

    assert any(p.field == "difficulty" for p in refused.value.problems)
    assert own_ids(banks) == {"s1-alpha"}


async def test_a_topic_turned_off_leaves_the_servers_draw_and_comes_back(banks: BankService) -> None:
    topic = banks.library.shipped.topics[0]
    assert await banks.set_off(GUILD, topic.id, True, MANAGER, T0) == ("topic", topic.name_en)
    assert not banks.library.for_guild(GUILD).in_topic(topic.id)
    assert banks.library.for_guild(OTHER_GUILD).in_topic(topic.id)

    await banks.set_off(GUILD, topic.id, False, MANAGER, T0)
    assert banks.library.for_guild(GUILD).in_topic(topic.id)
    with pytest.raises(DomainError):
        await banks.set_off(GUILD, "no-such-thing", True, MANAGER, T0)


async def test_an_accepted_suggestion_joins_the_pack_credited_and_cannot_be_decided_twice(
        banks: BankService) -> None:
    suggestions = SuggestionService(banks.conn, banks)
    topic = banks.library.shipped.topics[0]
    suggestion = await suggestions.suggest(GUILD, AUTHOR, {
        "prompt": "Why does attention scale by the square root of the key size?",
        "answer": "Dot products grow with the dimension, so unscaled scores saturate the softmax.",
        "key_points": "saturates the softmax | softmax; saturate", "topic": topic.id, "difficulty": "2"}, "en", T0)
    assert suggestion.row.status == "pending"

    accepted = await suggestions.accept(suggestion.row.id, MANAGER, T0 + timedelta(hours=1))

    assert accepted.row.status == "accepted" and accepted.row.question_id
    question = banks.library.for_guild(GUILD).get(accepted.row.question_id)
    assert question is not None and question.topic_id == topic.id
    assert banks.library.credit(accepted.row.question_id) == AUTHOR
    with pytest.raises(DomainError):
        await suggestions.reject(suggestion.row.id, MANAGER, "too late", T0 + timedelta(hours=2))


async def test_the_yaml_export_uploads_again_unchanged(banks: BankService) -> None:
    await banks.upload(GUILD, MANAGER, "club.yaml", pack("alpha", "beta"), T0)
    export = await banks.export(GUILD, None, "yaml")

    assert export.questions == 2
    again = await banks.upload(GUILD, MANAGER, export.files[0].filename, export.files[0].data, T0 + timedelta(1))
    assert (again.added, again.updated, again.unchanged, again.dropped) == (0, 0, 2, 0)
