"""The rules of one bank file: each check records a Problem with its line and field, and all are reported."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.bank.located_yaml import LocatedDict, LocatedList
from bot.domain.bank import ChoiceForm, ChoiceOption, FollowUp, KeyPoint, Question, Topic
from bot.domain.coverage import normalise
from bot.domain.markdown import UnsplittableError, discord_markdown_issues, split_markdown

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EMBED_DESCRIPTION_LIMIT = 4096
TOPIC_KEYS = ("id", "name_zh", "name_en", "order")
QUESTION_KEYS = (
    "id", "prompt", "answer", "key_points", "difficulty", "tags", "follow_ups", "references", "choices",
)
KEY_POINT_KEYS = ("text", "keywords", "contradicts")
FOLLOW_UP_KEYS = ("question", "answer", "key_points")
CHOICES_KEYS = ("options", "explanation", "question")
OPTION_KEYS = ("text", "correct")
STRICT_MIN_KEY_POINTS = 3
MAX_ID_LENGTH = 60  # ids travel inside component custom_ids, which Discord caps at 100 characters
FOLLOW_UP_ANSWER_LIMIT = 1000
# Strict mode: the correct option may be at most this much longer than the longest distractor, so that length
# gives nothing away (a quiz where "pick the longest" wins teaches nothing).
MAX_CORRECT_LENGTH_RATIO = 1.2


def _matchable(keyword: str) -> str | None:
    """A keyword made only of punctuation and symbols normalises to nothing and could never match an answer."""
    return None if normalise(keyword) else f"'{keyword}' has no letters or digits, so it can never match"


@dataclass(frozen=True, slots=True)
class Problem:
    """One fault in a bank file, rendered as `file:line: question 'id': field: message`."""

    file: str
    line: int
    field: str
    message: str
    question_id: str | None = None

    def __str__(self) -> str:
        where = f"question '{self.question_id}': " if self.question_id else ""
        return f"{self.file}:{self.line}: {where}{self.field}: {self.message}"


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "nothing"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "text"


@dataclass
class FileChecker:
    """Checks one parsed file; collects problems instead of stopping at the first."""

    file: str
    strict: bool = False
    problems: list[Problem] = field(default_factory=list)
    question_id: str | None = None
    max_id_length: int = MAX_ID_LENGTH

    def report(self, line: int, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, line, where, message, self.question_id))

    # -- generic field checks -------------------------------------------------------------------------
    def keys(self, mapping: LocatedDict, allowed: tuple[str, ...], path: str) -> None:
        for key, line in mapping.duplicate_keys:
            self.report(line, f"{path}{key}", "this key appears twice; the later value would silently win")
        for key in mapping:
            if key not in allowed:
                hint = difflib.get_close_matches(str(key), allowed, n=1)
                suggestion = f" (did you mean '{hint[0]}'?)" if hint else f" (allowed: {', '.join(allowed)})"
                self.report(mapping.key_lines[key], f"{path}{key}", f"unknown key{suggestion}")

    def text(
        self, mapping: LocatedDict, key: str, path: str, *, required: bool = True,
        min_len: int = 1, max_len: int | None = None,
    ) -> str | None:
        line = mapping.key_lines.get(key, mapping.line)
        if key not in mapping or (mapping[key] is None and key not in mapping.raw):
            if required:
                self.report(line, path + key, "is required" if key not in mapping else "is empty")
            return None
        value = mapping[key]
        return self._text_value(value, mapping.raw.get(key), line, path + key, min_len, max_len)

    def _text_value(
        self, value: Any, raw: str | None, line: int, where: str, min_len: int, max_len: int | None,
    ) -> str | None:
        if raw is not None:
            self.report(line, where, f"YAML read `{raw}` as {_type_name(value)}; put the text in quotes")
            return None
        if not isinstance(value, str):
            self.report(line, where, f"expected text, got {_type_name(value)}")
            return None
        if len(value.strip()) < min_len:
            self.report(line, where, "is empty" if not value.strip() else f"shorter than {min_len} characters")
            return None
        if max_len is not None and len(value) > max_len:
            self.report(line, where, f"{len(value)} characters; at most {max_len}")
            return None
        return value

    def integer(self, mapping: LocatedDict, key: str, path: str, lo: int, hi: int | None) -> int | None:
        line = mapping.key_lines.get(key, mapping.line)
        if key not in mapping:
            self.report(line, path + key, "is required")
            return None
        value = mapping[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.report(line, path + key, f"expected a whole number, got {_type_name(value)}")
            return None
        if value < lo or (hi is not None and value > hi):
            bound = f"from {lo} to {hi}" if hi is not None else f"at least {lo}"
            self.report(line, path + key, f"{value} is out of range ({bound})")
            return None
        return value

    def text_list(
        self, mapping: LocatedDict, key: str, path: str, *, min_len: int = 1, max_len: int | None = None,
        item_check: Callable[[str], str | None] | None = None, required: bool = False, min_items: int = 0,
    ) -> tuple[str, ...]:
        line = mapping.key_lines.get(key, mapping.line)
        if key not in mapping:
            if required:
                self.report(line, path + key, "is required")
            return ()
        value = mapping[key]
        if not isinstance(value, LocatedList):
            self.report(line, path + key, f"expected a list of strings, got {_type_name(value)}")
            return ()
        if len(value) < min_items:
            self.report(line, path + key, f"needs at least {min_items} item(s)")
        items: list[str] = []
        for index, item in enumerate(value):
            item_line = value.item_lines[index]
            where = f"{path}{key}[{index}]"
            if not isinstance(item, str) and value.raw.get(index) is None:
                self.report(item_line, f"{path}{key}", f"expected a list of strings, got {_type_name(item)}")
                continue
            text = self._text_value(item, value.raw.get(index), item_line, where, min_len, max_len)
            if text is None:
                continue
            if item_check and (message := item_check(text)):
                self.report(item_line, where, message)
                continue
            items.append(text)
        return tuple(items)

    def mapping(self, parent: LocatedDict, key: str, path: str, required: bool) -> LocatedDict | None:
        if key not in parent:
            if required:
                self.report(parent.line, path + key, "is required")
            return None
        value = parent[key]
        if not isinstance(value, LocatedDict):
            self.report(parent.key_lines[key], path + key, f"expected a mapping, got {_type_name(value)}")
            return None
        return value

    # -- the bank's own shapes ------------------------------------------------------------------------
    def topic(self, data: LocatedDict) -> Topic | None:
        node = self.mapping(data, "topic", "", required=True)
        if node is None:
            return None
        self.keys(node, TOPIC_KEYS, "topic.")
        topic_id = self.text(node, "id", "topic.")
        if topic_id is not None and not SLUG.match(topic_id):
            self.report(node.key_lines["id"], "topic.id", f"'{topic_id}' is not a slug (a-z, 0-9 and '-')")
            topic_id = None
        name_zh = self.text(node, "name_zh", "topic.", max_len=50)
        name_en = self.text(node, "name_en", "topic.", max_len=50)
        order = self.integer(node, "order", "topic.", 1, None)
        if None in (topic_id, name_zh, name_en, order):
            return None
        return Topic(topic_id, name_zh, name_en, order)  # type: ignore[arg-type]

    def question(self, node: Any, line: int, index: int, topic_id: str) -> Question | None:
        self.question_id = None
        if not isinstance(node, LocatedDict):
            self.report(line, f"questions[{index}]", f"expected a mapping, got {_type_name(node)}")
            return None
        raw_id = node.get("id")
        self.question_id = raw_id if isinstance(raw_id, str) else None
        self.keys(node, QUESTION_KEYS, "")
        qid = self.text(node, "id", "")
        if qid is not None and not SLUG.match(qid):
            self.report(node.key_lines["id"], "id", f"'{qid}' is not a slug (a-z, 0-9 and '-')")
            qid = None
        elif qid is not None and len(qid) > self.max_id_length:
            self.report(node.key_lines["id"], "id", f"{len(qid)} characters; at most {self.max_id_length}")
            qid = None
        prompt = self.text(node, "prompt", "", max_len=1000)
        difficulty = self.integer(node, "difficulty", "", 1, 3)
        answer = self.answer(node)
        key_points = self.key_points(node)
        tags = self.text_list(
            node, "tags", "", item_check=lambda t: None if SLUG.match(t) else f"'{t}' is not a lowercase slug",
        )
        follow_ups = self.follow_ups(node)
        references = self.text_list(node, "references", "", max_len=500)
        choices = self.choices(node)
        if self.strict:
            self.strict_rules(node, answer, key_points)
            self.strict_choice_rules(node, choices)
        if qid is None or prompt is None or difficulty is None:
            return None
        return Question(
            id=qid, topic_id=topic_id, prompt=prompt, difficulty=difficulty, answer=answer,
            key_points=key_points, tags=tags, follow_ups=follow_ups, references=references,
            choices=choices, source=f"{self.file}:{node.line}",
        )

    def answer(self, node: LocatedDict) -> str | None:
        answer = self.text(node, "answer", "", required=False)
        if answer is None:
            return None
        line = node.key_lines["answer"]
        try:
            split_markdown(answer, EMBED_DESCRIPTION_LIMIT)
        except UnsplittableError as exc:
            self.report(line, "answer", f"does not fit Discord's {EMBED_DESCRIPTION_LIMIT}-character embed "
                        f"description and cannot be split cleanly: {exc}")
        for offset, message in discord_markdown_issues(answer):
            self.report(line + 1 + offset, "answer", message)
        return answer

    def key_points(self, node: LocatedDict, prefix: str = "") -> tuple[KeyPoint, ...]:
        if "key_points" not in node:
            return ()
        value = node["key_points"]
        if not isinstance(value, LocatedList):
            self.report(node.key_lines["key_points"], prefix + "key_points",
                        f"expected a list, got {_type_name(value)}")
            return ()
        points: list[KeyPoint] = []
        for index, item in enumerate(value):
            path = f"{prefix}key_points[{index}]."
            if not isinstance(item, LocatedDict):
                self.report(value.item_lines[index], path[:-1], f"expected a mapping with text and keywords, "
                            f"got {_type_name(item)}")
                continue
            self.keys(item, KEY_POINT_KEYS, path)
            text = self.text(item, "text", path, max_len=200)
            keywords = self.text_list(item, "keywords", path, min_len=2, max_len=60, required=True, min_items=1,
                                      item_check=_matchable)
            contradicts = self.text_list(item, "contradicts", path, min_len=2, max_len=60, item_check=_matchable)
            if text is not None and keywords:
                points.append(KeyPoint(text, keywords, contradicts))
        return tuple(points)

    def follow_ups(self, node: LocatedDict) -> tuple[FollowUp, ...]:
        """Each follow-up is a bare question (the first edition) or `{question, answer, key_points}`."""
        if "follow_ups" not in node:
            return ()
        value = node["follow_ups"]
        if not isinstance(value, LocatedList):
            self.report(node.key_lines["follow_ups"], "follow_ups", f"expected a list, got {_type_name(value)}")
            return ()
        items: list[FollowUp] = []
        for index, item in enumerate(value):
            where = f"follow_ups[{index}]"
            line = value.item_lines[index]
            if isinstance(item, LocatedDict):
                self.keys(item, FOLLOW_UP_KEYS, where + ".")
                question = self.text(item, "question", where + ".", max_len=500)
                answer = self.text(item, "answer", where + ".", required=False, max_len=FOLLOW_UP_ANSWER_LIMIT)
                if answer is not None:
                    for offset, message in discord_markdown_issues(answer):
                        self.report(item.key_lines["answer"] + 1 + offset, where + ".answer", message)
                points = self.key_points(item, where + ".")
                if self.strict and answer is None:
                    self.report(item.line, where + ".answer", "is required in strict mode")
                if question is not None:
                    items.append(FollowUp(question, answer, points))
                continue
            text = self._text_value(item, value.raw.get(index), line, where, 1, 500) \
                if isinstance(item, str) or value.raw.get(index) is not None else None
            if text is None and not isinstance(item, str) and value.raw.get(index) is None:
                self.report(line, where, f"expected a question or a mapping with question and answer, "
                            f"got {_type_name(item)}")
            if text is not None:
                if self.strict:
                    self.report(line, where, "is a bare question; strict mode wants {question, answer, key_points} "
                                "so that the follow-up can be practised")
                items.append(FollowUp(text))
        return tuple(items)

    def choices(self, node: LocatedDict) -> ChoiceForm | None:
        form = self.mapping(node, "choices", "", required=False)
        if form is None:
            return None
        self.keys(form, CHOICES_KEYS, "choices.")
        explanation = self.text(form, "explanation", "choices.", max_len=300)
        reported = len(self.problems)
        stem = self.text(form, "question", "choices.", required=False, max_len=300)
        bad_stem = len(self.problems) > reported
        options_node = form.get("options")
        if not isinstance(options_node, LocatedList):
            where = form.key_lines.get("options", form.line)
            self.report(where, "choices.options", "expected a list of options" if "options" in form
                        else "is required")
            return None
        options: list[ChoiceOption] = []
        for index, item in enumerate(options_node):
            path = f"choices.options[{index}]."
            if not isinstance(item, LocatedDict):
                self.report(options_node.item_lines[index], path[:-1], "expected a mapping with text and correct")
                continue
            self.keys(item, OPTION_KEYS, path)
            text = self.text(item, "text", path, max_len=100)
            correct = item.get("correct", False)
            if not isinstance(correct, bool):
                self.report(item.key_lines["correct"], path + "correct", "expected true or false")
                correct = False
            if text is not None:
                options.append(ChoiceOption(text, correct))
        if not 2 <= len(options_node) <= 5:
            self.report(options_node.line, "choices.options", f"has {len(options_node)} options; needs 2 to 5")
        correct_count = sum(1 for o in options if o.correct)
        if correct_count != 1:
            self.report(options_node.line, "choices.options",
                        f"needs exactly one option with correct: true, found {correct_count}")
        texts = [o.text.strip() for o in options]
        if len(set(texts)) != len(texts):
            self.report(options_node.line, "choices.options", "two options have the same text")
        if explanation is None or len(options) != len(options_node) or correct_count != 1 or bad_stem:
            return None
        return ChoiceForm(tuple(options), explanation, stem)

    def strict_rules(self, node: LocatedDict, answer: str | None, key_points: tuple[KeyPoint, ...]) -> None:
        if answer is None:
            self.report(node.line, "answer", "is required in strict mode (every shipped question has an answer)")
        if len(key_points) < STRICT_MIN_KEY_POINTS:
            where = node.key_lines.get("key_points", node.line)
            self.report(where, "key_points", f"has {len(key_points)}; strict mode needs at least "
                        f"{STRICT_MIN_KEY_POINTS}")

    def strict_choice_rules(self, node: LocatedDict, choices: ChoiceForm | None) -> None:
        """The correct option must not stand out by its length."""
        if choices is None:
            return
        correct = choices.options[choices.correct_index].text
        longest_distractor = max(len(o.text) for o in choices.options if not o.correct)
        if len(correct) > MAX_CORRECT_LENGTH_RATIO * longest_distractor:
            where = node["choices"].key_lines.get("options", node.key_lines["choices"])
            self.report(where, "choices.options", f"the correct option ({len(correct)} characters) is more than "
                        f"{round((MAX_CORRECT_LENGTH_RATIO - 1) * 100)}% longer than every distractor (longest "
                        f"{longest_distractor}): length gives the answer away")
