"""Question banks the group owns: the per-server view of the bank, uploads, topics turned off, exports.

`Library` is the one place where a server's question source is decided: every service asks it `for_guild(id)`
(the shipped bank, plus that server's pack, minus what it turned off) to draw daily questions, quizzes, practice
and review, and `get(id)` to find any question history hangs on (a server's dropped ones too). Ids of a server's
questions are `s<code>-<id>`: the shipped bank may not use that shape, and each server has its own code.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import MappingProxyType

from bot.bank import exports
from bot.bank.codec import question_data, question_from_data
from bot.bank.loader import BankError, LoadReport, check_document, load_bank
from bot.bank.located_yaml import located
from bot.bank.packs import Pack, read_pack, row_question
from bot.bank.rules import Problem
from bot.domain.bank import Bank, Question, Topic
from bot.domain.errors import DomainError
from bot.domain.library import ServerBank, guild_view
from bot.services.withholding import Withholding
from bot.storage.banks import BankRepository, SuggestionRow
from bot.storage.database import Database, transaction
from bot.storage.posts import PostRepository

log = logging.getLogger(__name__)
MAX_SERVER_QUESTIONS = 2000
EXPORT_FORMATS = ("yaml", "csv", "apkg")


def namespaced(code: int, local_id: str) -> str:
    return f"s{code}-{local_id}"


def local_of(item_id: str) -> str:
    """A server's id without its s<code>- prefix (a shipped id is returned as it is)."""
    head, _, tail = item_id.partition("-")
    return tail if head[:1] == "s" and head[1:].isdigit() and tail else item_id


class Library:
    """The shipped bank and every server's own questions. Reads like the shipped `Bank` where no server is in
    question (`topics`, `in_topic`, iteration); `get` and `questions` see every question of every server."""

    def __init__(self, shipped: Bank) -> None:
        self._shipped = shipped
        self._servers: dict[int, ServerBank] = {}
        self._views: dict[int, Bank] = {}
        self._owned: dict[str, Question] = {}

    # -- the sources -------------------------------------------------------------------------------------------
    @property
    def shipped(self) -> Bank:
        return self._shipped

    def replace_shipped(self, bank: Bank) -> None:
        self._shipped = bank
        self._views.clear()

    def set_server(self, server: ServerBank) -> None:
        self._servers[server.guild_id] = server
        self._views.pop(server.guild_id, None)
        self._owned = {q.id: q for s in self._servers.values() for q in (*s.retired, *s.questions)}

    def server(self, guild_id: int) -> ServerBank | None:
        return self._servers.get(guild_id)

    def for_guild(self, guild_id: int | None) -> Bank:
        """What this server draws from (None: outside any server, the shipped bank)."""
        if guild_id is None or guild_id not in self._servers:
            return self._shipped
        view = self._views.get(guild_id)
        if view is None:
            view = self._views[guild_id] = guild_view(self._shipped, self._servers[guild_id])
        return view

    def credit(self, question_id: str) -> int | None:
        """The member who suggested a server's question, if one did."""
        return next((s.credits[question_id] for s in self._servers.values() if question_id in s.credits), None)

    # -- the shipped bank's reading, for code that has no server -----------------------------------------------
    def get(self, question_id: str) -> Question | None:
        return self._shipped.get(question_id) or self._owned.get(question_id)

    @property
    def questions(self) -> Mapping[str, Question]:
        return MappingProxyType({**self._owned, **self._shipped.questions})

    @property
    def topics(self) -> tuple[Topic, ...]:
        return self._shipped.topics

    def find_topic(self, topic_id: str) -> Topic | None:
        """A shipped topic or any server's own, by id."""
        found = next((t for t in self._shipped.topics if t.id == topic_id), None)
        for server in self._servers.values():
            found = found or next((t for t in server.topics if t.id == topic_id), None)
        return found

    def topic(self, topic_id: str) -> Topic:
        found = self.find_topic(topic_id)
        if found is None:
            raise StopIteration(topic_id)
        return found

    def in_topic(self, topic_id: str) -> tuple[Question, ...]:
        return self._shipped.in_topic(topic_id)

    def __iter__(self) -> Iterator[Question]:
        return iter(self._shipped)

    def __len__(self) -> int:
        return len(self._shipped)


@dataclass(frozen=True, slots=True)
class UploadResult:
    source: str
    topics: tuple[str, ...]  # names of the topics the pack holds
    added: int
    updated: int
    unchanged: int
    dropped: int


@dataclass(frozen=True, slots=True)
class TopicLine:
    topic: Topic
    own: bool
    questions: int  # in the draw
    off: int  # questions turned off one by one
    disabled: bool  # the whole topic is off


@dataclass(frozen=True, slots=True)
class ExportFile:
    filename: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Export:
    files: tuple[ExportFile, ...]
    questions: int
    withheld: int


class BankService:
    def __init__(self, conn: Database, library: Library) -> None:
        self.conn = conn
        self.library = library
        self.repo = BankRepository(conn)
        self.withholding = Withholding(PostRepository(conn))

    # -- loading -----------------------------------------------------------------------------------------------
    async def load(self) -> None:
        """Every server's own questions from the database (the source of truth) into the library."""
        for guild_id in await self.repo.guilds():
            await self.refresh(guild_id)

    async def refresh(self, guild_id: int) -> ServerBank:
        code = await self.repo.code(guild_id)
        topics: list[Topic] = []
        active: list[Question] = []
        retired: list[Question] = []
        credits: dict[str, int] = {}
        if code is not None:
            rows = await self.repo.topics(guild_id)
            global_topic = {row.local_id: row.topic_id for row in rows}
            topics = [Topic(row.topic_id, row.name_zh, row.name_en, row.position) for row in rows]
            for row in await self.repo.questions(guild_id):
                # its own topic, else a shipped topic it was suggested into
                topic_id = global_topic.get(row.topic_local) or (
                    row.topic_local if self.library.shipped.in_topic(row.topic_local) else
                    namespaced(code, row.topic_local))
                try:
                    question = question_from_data(row.body, topic_id, f"server {guild_id}", row.question_id)
                except ValueError:
                    log.exception("server %s: stored question %s no longer passes the bank's rules", guild_id,
                                  row.question_id)
                    continue
                (active if row.active else retired).append(question)
                if row.suggested_by is not None:
                    credits[question.id] = row.suggested_by
        off_topics, off_questions = await self.repo.disabled(guild_id)
        server = ServerBank(guild_id, tuple(topics), tuple(active), tuple(retired), off_topics, off_questions,
                            credits)
        self.library.set_server(server)
        return server

    async def reload_shipped(self, bank_dir: Path) -> LoadReport:
        """Read `questions/` again; a bank with any problem is refused (BankError), the old one kept and every
        problem logged with its file and line."""
        try:
            report = await asyncio.to_thread(load_bank, [bank_dir])
        except BankError as error:
            log.error("bank reload refused, the old bank (%d questions) is kept; %d problem(s):\n%s",
                      len(self.library.shipped), len(error.problems), error)
            raise
        self.library.replace_shipped(report.bank)
        for guild_id in await self.repo.guilds():  # a server's suggestions may sit in shipped topics
            await self.refresh(guild_id)
        log.info("bank reloaded: %d questions in %d topics", len(report.bank), len(report.bank.topics))
        return report

    # -- uploads -----------------------------------------------------------------------------------------------
    async def upload(self, guild_id: int, user_id: int, filename: str, data: bytes, now: datetime) -> UploadResult:
        """Check and store a pack, all or nothing: any problem raises BankError and changes nothing."""
        pack = await asyncio.to_thread(read_pack, data, filename)
        async with transaction(self.conn):
            result = await self._store(guild_id, user_id, pack, now)
        await self.refresh(guild_id)
        return result

    async def _store(self, guild_id: int, user_id: int, pack: Pack, now: datetime) -> UploadResult:
        existing = {row.local_id: row for row in await self.repo.questions(guild_id)}
        pack_topics = {part.topic.id for part in pack.topics}
        problems: list[Problem] = []
        for question in pack.questions:
            row = existing.get(question.id)
            if row is not None and row.active and row.topic_local not in pack_topics:
                line = int(question.source.rsplit(":", 1)[1])
                problems.append(Problem(pack.source, line, "id", f"is already a question of this server's topic "
                                        f"'{row.topic_local}'; give it another id", question.id))
        stays = {local for local, row in existing.items() if row.active and row.topic_local not in pack_topics}
        total = len(stays) + len(pack.questions)
        if total > MAX_SERVER_QUESTIONS:
            problems.append(Problem(pack.source, 1, "questions", f"the server would have {total} questions of its "
                                    f"own; at most {MAX_SERVER_QUESTIONS}"))
        if problems:
            raise BankError(problems)
        code = await self.repo.ensure_code(guild_id, now)
        added = updated = unchanged = 0
        for part in pack.topics:
            topic = part.topic
            await self.repo.save_topic(guild_id, topic.id, namespaced(code, topic.id), topic.name_en, topic.name_zh,
                                       topic.order, pack.source, pack.text, user_id, now)
            for question in part.questions:
                body = question_data(question)
                row = existing.get(question.id)
                if row is not None and row.active and row.body == body and row.topic_local == topic.id:
                    unchanged += 1
                    continue
                if row is None:
                    added += 1
                else:
                    updated += 1
                await self.repo.save_question(guild_id, question.id, namespaced(code, question.id), topic.id, body,
                                              now)
        kept = {q.id for q in pack.questions}
        dropped = [local for local, row in existing.items()
                   if row.active and row.topic_local in pack_topics and local not in kept]
        await self.repo.drop_questions(guild_id, dropped, now)
        return UploadResult(pack.source, tuple(part.topic.name_en for part in pack.topics), added, updated,
                            unchanged, len(dropped))

    # -- topics and turning things off -------------------------------------------------------------------------
    async def topics(self, guild_id: int) -> list[TopicLine]:
        server = self.library.server(guild_id)
        off_topics = server.disabled_topics if server else frozenset()
        off_questions = server.disabled_questions if server else frozenset()
        view = self.library.for_guild(guild_id)
        own = server.topics if server else ()
        own_ids = {t.id for t in own}
        every = [*(t for t in self.library.shipped.topics if t.id not in own_ids), *own]
        owned_questions = {t.id: [q for q in server.questions if q.topic_id == t.id] for t in own} if server else {}
        lines = []
        for topic in every:
            all_questions = owned_questions.get(topic.id) or self.library.shipped.in_topic(topic.id)
            lines.append(TopicLine(topic, topic.id in own_ids, len(view.in_topic(topic.id)),
                                   sum(1 for q in all_questions if q.id in off_questions), topic.id in off_topics))
        return lines

    async def set_off(self, guild_id: int, item_id: str, off: bool, user_id: int, now: datetime) -> tuple[str, str]:
        """Turn a topic or a question (shipped or the server's own) off for this server, or on again. Returns
        (kind, what it is called)."""
        wanted = item_id.strip()
        server = self.library.server(guild_id)
        own_topics = {t.id: t for t in server.topics} if server else {}
        own_questions = {q.id: q for q in server.questions} if server else {}
        shipped = self.library.shipped
        topic = own_topics.get(wanted) or next((t for t in shipped.topics if t.id == wanted), None)
        if topic is not None:
            kind, label = "topic", topic.name_en
        elif (question := own_questions.get(wanted) or shipped.get(wanted)) is not None:
            kind, label = "question", question.id
        else:
            raise DomainError("banks.unknown_item", item=wanted[:100])
        async with transaction(self.conn):
            await self.repo.set_disabled(guild_id, kind, wanted, off, user_id, now)
        await self.refresh(guild_id)
        return kind, label

    # -- exports -----------------------------------------------------------------------------------------------
    async def export(self, guild_id: int, topic_id: str | None, fmt: str) -> Export:
        """The server's own questions (or one topic, any topic for CSV and Anki) as files; never a question whose
        reveal is still pending in this server."""
        if fmt not in EXPORT_FORMATS:
            raise DomainError("banks.bad_format", format=fmt[:20])
        server = self.library.server(guild_id)
        own = {t.id: t for t in server.topics} if server else {}
        view = self.library.for_guild(guild_id)
        if topic_id is None:
            topics = list(own.values())
            if not topics:
                raise DomainError("banks.nothing_to_export")
        elif topic_id in own or (fmt != "yaml" and any(t.id == topic_id for t in view.topics)):
            topics = [own.get(topic_id) or view.topic(topic_id)]
        elif any(t.id == topic_id for t in self.library.shipped.topics):
            raise DomainError("banks.yaml_own_only")
        else:
            raise DomainError("banks.unknown_topic", topic=topic_id[:50])
        withheld = await self.withholding.pending([guild_id])
        chosen: list[tuple[Topic, list[Question]]] = []
        held = 0
        for topic in topics:
            source = [q for q in server.questions if q.topic_id == topic.id] if topic.id in own and server else \
                list(view.in_topic(topic.id))
            held += sum(1 for q in source if q.id in withheld)
            chosen.append((topic, [q for q in source if q.id not in withheld]))
        count = sum(len(qs) for _, qs in chosen)
        if count == 0:
            raise DomainError("banks.export_empty", withheld=held)
        files = await asyncio.to_thread(self._files, guild_id, chosen, fmt)
        return Export(tuple(files), count, held)

    def _files(self, guild_id: int, chosen: list[tuple[Topic, list[Question]]], fmt: str) -> list[ExportFile]:
        if fmt == "yaml":
            return [ExportFile(f"{local_of(topic.id)}.yaml",
                               exports.yaml_text(topic, local_of(topic.id),
                                                 [(local_of(q.id), q) for q in questions]).encode())
                    for topic, questions in chosen]
        name = local_of(chosen[0][0].id) if len(chosen) == 1 else "questions"
        if fmt == "csv":
            rows = [(local_of(topic.id), topic, local_of(q.id), q) for topic, questions in chosen for q in questions]
            return [ExportFile(f"{name}.csv", exports.csv_text(rows).encode())]
        title = chosen[0][0].name_en if len(chosen) == 1 else "Study group questions"
        questions = [q for _, qs in chosen for q in qs]
        return [ExportFile(f"{name}.apkg", exports.apkg_bytes(title, f"{guild_id}:{name}", questions))]


# -- member suggestions --------------------------------------------------------------------------------------------
SUGGESTION_FIELDS = ("prompt", "answer", "key_points", "topic", "difficulty")


@dataclass(frozen=True, slots=True)
class Suggestion:
    row: SuggestionRow
    question: Question
    topic: Topic


class SuggestionService:
    """`/suggest`: a member's question, checked by the bank's rules, kept until a manager accepts or rejects it."""

    def __init__(self, conn: Database, banks: BankService) -> None:
        self.conn = conn
        self.banks = banks
        self.repo = banks.repo

    def _topic(self, guild_id: int, wanted: str) -> tuple[str, Topic]:
        """(the id stored with the suggestion, the topic): a server's own topic by its local id, or a shipped one."""
        view = self.banks.library.for_guild(guild_id)
        found = next((t for t in view.topics if t.id == wanted or local_of(t.id) == wanted), None)
        if found is None:
            raise DomainError("banks.unknown_topic", topic=wanted[:50])
        own = self.banks.library.server(guild_id)
        is_own = own is not None and any(t.id == found.id for t in own.topics)
        return (local_of(found.id) if is_own else found.id), found

    def check(self, guild_id: int, values: dict[str, str]) -> tuple[dict[str, object], str, Topic]:
        """The form as a question of the bank's format, checked by its rules; DomainError lists what is wrong."""
        topic_local, topic = self._topic(guild_id, values.get("topic", "").strip().lower())
        problems: list[Problem] = []
        row = {key: values.get(key, "") for key in ("prompt", "answer", "key_points", "difficulty")}
        data = row_question({"id": "suggestion", **row}, 1, problems, "suggestion")
        document = located({"topic": {"id": "suggestion", "name_zh": "s", "name_en": "s", "order": 1},
                            "questions": [data]}, 1)
        _, questions, found = check_document(document, "suggestion")
        problems += found
        if problems or not questions:
            lines = "\n".join(f"{p.field}: {p.message}" for p in problems)
            raise DomainError("banks.suggest.invalid", problems=lines[:1500])
        data.pop("id")
        return data, topic_local, topic

    async def suggest(self, guild_id: int, author_id: int, values: dict[str, str], language: str,
                      now: datetime) -> Suggestion:
        data, topic_local, _ = self.check(guild_id, values)
        async with transaction(self.conn):
            suggestion_id = await self.repo.add_suggestion(guild_id, author_id, data, topic_local, language, now)
        found = await self.get(suggestion_id)
        assert found is not None
        return found

    async def get(self, suggestion_id: int) -> Suggestion | None:
        row = await self.repo.suggestion(suggestion_id)
        if row is None:
            return None
        view = self.banks.library.for_guild(row.guild_id)
        topic = next((t for t in view.topics if local_of(t.id) == row.topic_local or t.id == row.topic_local), None)
        topic = topic or Topic(row.topic_local, row.topic_local, row.topic_local, 1)
        question = question_from_data({"id": "suggestion", **row.body}, topic.id, f"suggestion {row.id}",
                                      f"suggested-{row.id}")
        return Suggestion(row, question, topic)

    async def edit(self, suggestion_id: int, values: dict[str, str]) -> Suggestion:
        current = await self._pending(suggestion_id)
        data, topic_local, _ = self.check(current.row.guild_id, values)
        async with transaction(self.conn):
            await self.repo.update_suggestion(suggestion_id, data, topic_local)
        found = await self.get(suggestion_id)
        assert found is not None
        return found

    async def _pending(self, suggestion_id: int) -> Suggestion:
        found = await self.get(suggestion_id)
        if found is None:
            raise DomainError("banks.suggest.gone")
        if found.row.status != "pending":
            raise DomainError("banks.suggest.decided", status=found.row.status)
        return found

    async def accept(self, suggestion_id: int, manager_id: int, now: datetime) -> Suggestion:
        """The suggestion joins the server's pack as `suggested-<n>`, credited to its author."""
        found = await self._pending(suggestion_id)
        row = found.row
        local_id = f"suggested-{row.id}"
        async with transaction(self.conn):
            code = await self.repo.ensure_code(row.guild_id, now)
            question_id = namespaced(code, local_id)
            if not await self.repo.decide_suggestion(row.id, "accepted", manager_id, now, question_id=question_id):
                raise DomainError("banks.suggest.decided", status="accepted")
            await self.repo.save_question(row.guild_id, local_id, question_id, row.topic_local,
                                          {"id": local_id, **row.body}, now, suggested_by=row.author_id)
        await self.banks.refresh(row.guild_id)
        accepted = await self.get(row.id)
        assert accepted is not None
        return accepted

    async def reject(self, suggestion_id: int, manager_id: int, reason: str, now: datetime) -> Suggestion:
        found = await self._pending(suggestion_id)
        async with transaction(self.conn):
            if not await self.repo.decide_suggestion(found.row.id, "rejected", manager_id, now,
                                                     reason=reason.strip()[:500]):
                raise DomainError("banks.suggest.decided", status="rejected")
        rejected = await self.get(found.row.id)
        assert rejected is not None
        return rejected

    async def unposted(self, guild_id: int) -> list[Suggestion]:
        return [s for row in await self.repo.unposted_suggestions() if row.guild_id == guild_id
                and (s := await self.get(row.id)) is not None]

    async def posted(self, suggestion_id: int, channel_id: int, message_id: int) -> None:
        async with transaction(self.conn):
            await self.repo.set_suggestion_post(suggestion_id, channel_id, message_id)

    async def review_channel(self, guild_id: int) -> int | None:
        return await self.repo.review_channel(guild_id)

    async def set_review_channel(self, guild_id: int, channel_id: int, now: datetime) -> None:
        async with transaction(self.conn):
            await self.repo.set_review_channel(guild_id, channel_id, now)
