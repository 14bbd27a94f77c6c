"""The question bank as immutable values: topics, questions, rubric key points and choice forms."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class KeyPoint:
    """One rubric point: a short statement and the keywords that show an answer covers it."""

    text: str
    keywords: tuple[str, ...]
    contradicts: tuple[str, ...] = ()  # phrases that state the opposite: any of them cancels the point


@dataclass(frozen=True, slots=True)
class FollowUp:
    """What an interviewer asks next, with a short reference answer and its own rubric (once written)."""

    question: str
    answer: str | None = None
    key_points: tuple[KeyPoint, ...] = ()

    def __str__(self) -> str:
        return self.question


@dataclass(frozen=True, slots=True)
class ChoiceOption:
    text: str
    correct: bool


@dataclass(frozen=True, slots=True)
class ChoiceForm:
    """A multiple-choice form of a question, graded automatically in quizzes.

    `question` is an optional stem for when the options answer a narrower question than the prompt.
    """

    options: tuple[ChoiceOption, ...]
    explanation: str
    question: str | None = None

    @property
    def correct_index(self) -> int:
        return next(i for i, option in enumerate(self.options) if option.correct)


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    name_zh: str
    name_en: str
    order: int

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_zh


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    topic_id: str
    prompt: str
    difficulty: int
    answer: str | None
    key_points: tuple[KeyPoint, ...]
    tags: tuple[str, ...] = ()
    follow_ups: tuple[FollowUp, ...] = ()
    references: tuple[str, ...] = ()
    choices: ChoiceForm | None = None
    source: str = ""  # "file:line" where the question is defined, for messages to bank editors

    @property
    def has_answer(self) -> bool:
        return bool(self.answer and self.answer.strip())


@dataclass(frozen=True, slots=True)
class Bank:
    """All topics and questions, indexed by id and by topic. Built once by the loader, never mutated."""

    topics: tuple[Topic, ...]
    questions: Mapping[str, Question]
    _by_topic: Mapping[str, tuple[Question, ...]] = field(repr=False)

    @classmethod
    def build(cls, topics: list[Topic], questions: list[Question]) -> Bank:
        ordered_topics = tuple(sorted(topics, key=lambda t: (t.order, t.id)))
        by_topic: dict[str, list[Question]] = {t.id: [] for t in ordered_topics}
        for question in questions:
            by_topic.setdefault(question.topic_id, []).append(question)
        return cls(
            topics=ordered_topics,
            questions=MappingProxyType({q.id: q for q in questions}),
            _by_topic=MappingProxyType({k: tuple(v) for k, v in by_topic.items()}),
        )

    def __len__(self) -> int:
        return len(self.questions)

    def __iter__(self) -> Iterator[Question]:
        for topic in self.topics:
            yield from self._by_topic.get(topic.id, ())

    def topic(self, topic_id: str) -> Topic:
        return next(t for t in self.topics if t.id == topic_id)

    def in_topic(self, topic_id: str) -> tuple[Question, ...]:
        return self._by_topic.get(topic_id, ())

    def get(self, question_id: str) -> Question | None:
        return self.questions.get(question_id)

    def for_guild(self, _guild_id: int | None) -> Bank:
        """What a server draws from: a plain bank is the same for all (the Library gives each server its own)."""
        return self
