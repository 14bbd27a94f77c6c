"""What one server draws questions from: the shipped bank plus the server's own pack, minus what it turned off.

Pure: `guild_view` composes the immutable Banks; `bot.services.banks.Library` keeps them per server.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.bank import Bank, Question, Topic

# A server's topics follow the shipped ones in menus, in the order their packs give.
SERVER_TOPIC_ORDER = 10_000


@dataclass(frozen=True, slots=True)
class ServerBank:
    """A server's own questions (ids already namespaced), the ones dropped from its packs (history only), and the
    topics and questions (shipped or its own) it turned off."""

    guild_id: int
    topics: tuple[Topic, ...] = ()
    questions: tuple[Question, ...] = ()
    retired: tuple[Question, ...] = ()
    disabled_topics: frozenset[str] = frozenset()
    disabled_questions: frozenset[str] = frozenset()
    credits: dict[str, int] = field(default_factory=dict)  # question id -> the member who suggested it


def guild_view(shipped: Bank, server: ServerBank | None) -> Bank:
    """The bank as this server sees it: its daily question, quizzes, practice and review draw from this only."""
    if server is None:
        return shipped
    off_topics, off_questions = server.disabled_topics, server.disabled_questions
    own_ids = {t.id for t in server.topics}
    topics = [t for t in shipped.topics if t.id not in off_topics and t.id not in own_ids]
    topics += [Topic(t.id, t.name_zh, t.name_en, SERVER_TOPIC_ORDER + t.order) for t in server.topics
               if t.id not in off_topics]
    kept = {t.id for t in topics}
    questions = [q for q in (*shipped, *server.questions) if q.topic_id in kept and q.id not in off_questions]
    return Bank.build(topics, questions)
