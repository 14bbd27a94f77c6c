"""A server's uploaded pack: a YAML file in the bank's own format, or a CSV with documented columns, read from
memory and checked by the same loader and rules as the shipped bank.

Everything wrong is reported at once (BankError), as `file:line: question 'id': field: message`; a pack with any
problem is refused whole. Limits: the file's size, UTF-8 text only, no YAML anchors or aliases (a small document
could expand hugely), questions per pack, and the format's own field limits.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.bank.loader import BankError, check_document, check_text
from bot.bank.located_yaml import LocatedDict, LocatedList, located
from bot.bank.rules import Problem
from bot.domain.bank import Question, Topic

MAX_PACK_BYTES = 1_000_000
MAX_PACK_QUESTIONS = 500
# A server's ids are stored as s<number>-<id> (bot.services.banks); 48 characters leave room for the prefix
# within the 60 that component custom ids allow.
MAX_LOCAL_ID_LENGTH = 48
CSV_REQUIRED = ("topic", "id", "prompt", "difficulty")
CSV_OPTIONAL = (
    "topic_name_en", "topic_name_zh", "answer", "key_points", "tags", "follow_ups", "references",
    "option_a", "option_b", "option_c", "option_d", "option_e", "correct", "explanation", "choice_question",
)
CSV_COLUMNS = CSV_REQUIRED + CSV_OPTIONAL
OPTION_COLUMNS = ("option_a", "option_b", "option_c", "option_d", "option_e")
_TAG_SPLIT = re.compile(r"[,\s]+")


@dataclass(frozen=True, slots=True)
class PackTopic:
    topic: Topic
    questions: tuple[Question, ...]


@dataclass(frozen=True, slots=True)
class Pack:
    """An accepted upload: its topics with their questions (ids as the file gives them), and the text itself."""

    source: str
    kind: str  # "yaml" or "csv"
    text: str
    topics: tuple[PackTopic, ...]

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for part in self.topics for q in part.questions)


def kind_of(filename: str) -> str | None:
    lower = filename.lower()
    if lower.endswith((".yaml", ".yml")):
        return "yaml"
    if lower.endswith(".csv"):
        return "csv"
    return None


def decode(data: bytes, name: str) -> str:
    """UTF-8 text (a byte-order mark is dropped), else the line of the first byte that is not UTF-8."""
    if len(data) > MAX_PACK_BYTES:
        raise BankError([Problem(name, 0, "file", f"{len(data):,} bytes; a pack may have at most "
                                 f"{MAX_PACK_BYTES:,} bytes (split it into several files)")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise BankError([Problem(name, line, "file", f"is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it "
                                 "as UTF-8 and upload it again")]) from exc
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise BankError([Problem(name, line, "file", "contains a NUL character: it is not a text file")])
    return text


def read_pack(data: bytes, filename: str) -> Pack:
    """Check an uploaded file; raises BankError with every problem, or returns the whole pack."""
    kind = kind_of(filename)
    if kind is None:
        raise BankError([Problem(filename, 0, "file", "expected a .yaml, .yml or .csv file")])
    text = decode(data, filename)
    problems: list[Problem] = []
    parts: list[PackTopic] = []
    if kind == "yaml":
        topic, questions, problems = check_text(text, filename, aliases=False, max_id_length=MAX_LOCAL_ID_LENGTH)
        if topic is not None:
            parts.append(PackTopic(topic, tuple(questions)))
    else:
        documents, problems = csv_documents(text, filename)
        seen: dict[str, Question] = {}
        for document in documents:
            topic, questions, found = check_document(document, filename, max_id_length=MAX_LOCAL_ID_LENGTH)
            problems += found
            kept = []
            for question in questions:
                if question.id in seen:
                    problems.append(Problem(filename, _line(question), "id", "duplicate id; first defined at "
                                            f"{seen[question.id].source}", question.id))
                    continue
                seen[question.id] = question
                kept.append(question)
            if topic is not None:
                parts.append(PackTopic(topic, tuple(kept)))
    count = sum(len(part.questions) for part in parts)
    if count > MAX_PACK_QUESTIONS:
        problems.append(Problem(filename, 1, "questions", f"{count} questions; a pack may have at most "
                                f"{MAX_PACK_QUESTIONS}"))
    if not problems and count == 0:
        problems.append(Problem(filename, 1, "questions", "the pack has no questions"))
    if problems:
        raise BankError(problems)
    return Pack(filename, kind, text, tuple(parts))


def _line(question: Question) -> int:
    return int(question.source.rsplit(":", 1)[1])


# -- CSV ---------------------------------------------------------------------------------------------------------
def _rows(text: str, name: str) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) of each row; a broken quote raises BankError at its line."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    end = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise BankError([Problem(name, end + 1, "csv", f"{exc} (a quote \" that is never closed, or a stray "
                                     "quote inside a cell: write it as \"\")")]) from exc
        start, end = end + 1, reader.line_num
        yield start, cells


def _lines(cell: str) -> list[str]:
    return [line.strip() for line in cell.splitlines() if line.strip()]


def row_question(row: dict[str, str], line: int, problems: list[Problem], name: str) -> dict[str, object]:
    data: dict[str, object] = {"id": row["id"].strip(), "prompt": row["prompt"].strip()}
    difficulty = row["difficulty"].strip()
    if difficulty:
        data["difficulty"] = int(difficulty) if difficulty.isdigit() else difficulty
    if row.get("answer", "").strip():
        data["answer"] = row["answer"].replace("\r\n", "\n").strip("\n")
    if tags := [t for t in _TAG_SPLIT.split(row.get("tags", "").strip()) if t]:
        data["tags"] = tags
    points = []
    for point in _lines(row.get("key_points", "")):
        text, *rest = (part.strip() for part in point.split("|"))
        item: dict[str, object] = {"text": text}
        if rest:
            item["keywords"] = [k.strip() for k in rest[0].split(";") if k.strip()]
        if len(rest) > 1:
            item["contradicts"] = [k.strip() for k in rest[1].split(";") if k.strip()]
        points.append(item)
    if points:
        data["key_points"] = points
    if follow_ups := _lines(row.get("follow_ups", "")):
        data["follow_ups"] = follow_ups
    if references := _lines(row.get("references", "")):
        data["references"] = references
    if (form := _choices(row, line, problems, name, str(data["id"]) or None)) is not None:
        data["choices"] = form
    return data


def _choices(row: dict[str, str], line: int, problems: list[Problem], name: str,
             question_id: str | None) -> dict[str, object] | None:
    """option_a..option_e, correct (a letter), explanation, choice_question: the multiple-choice form."""
    offered = [(column[-1].upper(), row.get(column, "").strip()) for column in OPTION_COLUMNS]
    offered = [(letter, text) for letter, text in offered if text]
    correct = row.get("correct", "").strip().upper()
    if not (offered or correct or row.get("explanation", "").strip()):
        return None
    letters = [letter for letter, _ in offered]
    if correct not in letters:
        problems.append(Problem(name, line, "correct", f"'{correct}' is not the letter of a filled option "
                                f"({', '.join(letters) or 'none'})" if correct else
                                "is empty; give the letter of the right option", question_id))
    form: dict[str, object] = {"options": [{"text": text, "correct": letter == correct} for letter, text in offered]}
    if row.get("explanation", "").strip():
        form["explanation"] = row["explanation"].strip()
    if row.get("choice_question", "").strip():
        form["question"] = row["choice_question"].strip()
    return form


def csv_documents(text: str, name: str) -> tuple[list[LocatedDict], list[Problem]]:
    """The CSV as one bank document per topic (rows grouped by their `topic` cell), ready for the bank's checks;
    problems of the CSV itself (columns, quotes, cells) are returned beside them."""
    rows = _rows(text, name)
    header = next(rows, None)
    if header is None:
        raise BankError([Problem(name, 1, "file", "is empty")])
    columns = [cell.strip().lower() for cell in header[1]]
    problems: list[Problem] = []
    for column in columns:
        if column not in CSV_COLUMNS:
            hint = difflib.get_close_matches(column, CSV_COLUMNS, n=1)
            problems.append(Problem(name, 1, f"column '{column}'", "unknown column" +
                                    (f" (did you mean '{hint[0]}'?)" if hint else "")))
    for column in sorted({c for c in columns if columns.count(c) > 1}):
        problems.append(Problem(name, 1, f"column '{column}'", "appears twice"))
    missing = [column for column in CSV_REQUIRED if column not in columns]
    if missing:
        problems.append(Problem(name, 1, "columns", f"missing column(s) {', '.join(missing)}; a CSV pack needs "
                                f"{', '.join(CSV_REQUIRED)}"))
    if problems:
        raise BankError(problems)
    topics: dict[str, tuple[int, dict[str, str], list[tuple[int, dict[str, object]]]]] = {}
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(columns):
            problems.append(Problem(name, line, "row", f"{len(cells)} cells; the header has {len(columns)} "
                                    "columns (a comma inside a cell needs quotes)"))
            continue
        row = dict(zip(columns, [*cells, *[""] * (len(columns) - len(cells))], strict=True))
        topic_id = row["topic"].strip()
        _, names, questions = topics.setdefault(topic_id, (line, {}, []))
        for key in ("topic_name_en", "topic_name_zh"):
            if row.get(key, "").strip() and key not in names:
                names[key] = row[key].strip()
        questions.append((line, row_question(row, line, problems, name)))
    documents = []
    for topic_id, (line, names, questions) in topics.items():
        topic = located({"id": topic_id, "name_en": names.get("topic_name_en", topic_id),
                         "name_zh": names.get("topic_name_zh", names.get("topic_name_en", topic_id)),
                         "order": 1}, line)
        items = LocatedList(located(data, row_line) for row_line, data in questions)
        items.line, items.raw, items.item_lines = line, {}, [row_line for row_line, _ in questions]
        document = located({}, line)
        document["topic"], document["questions"] = topic, items
        document.key_lines.update(topic=line, questions=line)
        documents.append(document)
    return documents, problems
