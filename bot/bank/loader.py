"""Load every YAML file of a bank folder, check it, and build the immutable `Bank` (or raise with all faults)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.bank.located_yaml import LocatedDict, LocatedList, load_located
from bot.bank.rules import FileChecker, Problem
from bot.domain.bank import Bank, Question, Topic

__all__ = ["BankError", "LoadReport", "Problem", "bank_files", "check_document", "check_text", "load_bank"]

# Ids of the form s<number>-... name servers' own topics and questions (bot.bank.packs): the shipped bank may not
# use them, so no id of a server's pack can ever equal a shipped one.
RESERVED = re.compile(r"^s[0-9]+-")


class BankError(Exception):
    """The bank has faults; `problems` lists every one of them, in file and line order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True, slots=True)
class LoadReport:
    bank: Bank
    files: tuple[str, ...]
    without_answer: tuple[str, ...]


def bank_files(paths: Iterable[Path]) -> list[Path]:
    """Each path is a bank folder (its *.yaml and *.yml files) or one YAML file."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted([*path.glob("*.yaml"), *path.glob("*.yml")]))
        else:
            files.append(path)
    return files


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _check_file(path: Path, strict: bool) -> tuple[Topic | None, list[Question], list[Problem]]:
    name = _display(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [], [Problem(name, 0, "file", "no such file")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [], [Problem(name, 0, "file", f"cannot be read as UTF-8 text: {exc}")]
    return check_text(text, name, strict=strict)


def _syntax_problem(name: str, exc: yaml.YAMLError) -> Problem:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        if exc.context_mark and mark and exc.context_mark.line != mark.line:
            message += f" (it starts at line {exc.context_mark.line + 1})"
        return Problem(name, line, "yaml", f"syntax error: {message}")
    return Problem(name, 0, "yaml", f"syntax error: {exc}")


def _aliases(text: str, name: str) -> list[Problem]:
    """Anchors and aliases (`&a` / `*a`) let a few bytes expand into millions of nodes (a "billion laughs"
    bomb); a bank never needs them, so text from outside (an upload) may not use them at all."""
    found: list[Problem] = []
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        anchor = getattr(event, "anchor", None)
        if isinstance(event, yaml.AliasEvent) or anchor is not None:
            found.append(Problem(name, event.start_mark.line + 1, "yaml",
                                 f"anchors and aliases (&{anchor} / *{anchor}) are not allowed in an uploaded pack"))
            if len(found) >= 10:
                break
    return found


def check_text(
    text: str, name: str, *, strict: bool = False, max_id_length: int | None = None, aliases: bool = True,
) -> tuple[Topic | None, list[Question], list[Problem]]:
    """Check one bank document held in memory; `name` is the file name its problems are reported under.

    `aliases=False` refuses YAML anchors and aliases (text a server uploads); `max_id_length` lowers the id limit.
    """
    try:
        if not aliases and (refused := _aliases(text, name)):
            return None, [], refused
        data = load_located(text)
    except yaml.YAMLError as exc:
        return None, [], [_syntax_problem(name, exc)]
    return check_document(data, name, strict=strict, max_id_length=max_id_length)


def check_document(
    data: object, name: str, *, strict: bool = False, max_id_length: int | None = None,
) -> tuple[Topic | None, list[Question], list[Problem]]:
    """Check one parsed document (YAML's, or a CSV turned into the same shape) with the bank's rules."""
    checker = FileChecker(name, strict=strict)
    if max_id_length is not None:
        checker.max_id_length = max_id_length
    if not isinstance(data, LocatedDict):
        what = "is empty" if data is None else "must be a mapping with 'topic' and 'questions'"
        return None, [], [Problem(name, 1, "file", what)]
    checker.keys(data, ("topic", "questions"), "")
    topic = checker.topic(data)
    questions: list[Question] = []
    seen: dict[str, Question] = {}
    nodes = data.get("questions")
    if not isinstance(nodes, LocatedList):
        checker.report(data.key_lines.get("questions", data.line), "questions",
                       "is required" if nodes is None else "expected a list of questions")
    else:
        for index, node in enumerate(nodes):
            question = checker.question(node, nodes.item_lines[index], index, topic.id if topic else "")
            if question is None:
                continue
            if question.id in seen:
                line = int(question.source.rsplit(":", 1)[1])
                checker.problems.append(Problem(name, line, "id", f"duplicate id; first defined at "
                                                f"{seen[question.id].source}", question.id))
                continue
            seen[question.id] = question
            questions.append(question)
    return topic, questions, checker.problems


def load_bank(paths: Iterable[Path | str], *, strict: bool = False) -> LoadReport:
    """Read, check and index the bank. Raises BankError listing every problem found in every file."""
    files = bank_files(Path(p) for p in paths)
    problems: list[Problem] = []
    if not files:
        raise BankError([Problem(", ".join(str(p) for p in paths) or ".", 0, "bank", "no YAML files found")])
    topics: dict[str, tuple[Topic, str]] = {}
    seen: dict[str, Question] = {}
    questions: list[Question] = []
    for path in files:
        topic, file_questions, file_problems = _check_file(path, strict)
        problems.extend(file_problems)
        name = _display(path)
        if topic is not None and RESERVED.match(topic.id):
            problems.append(Problem(name, 1, "topic.id", f"'{topic.id}': ids starting s<number>- are kept for "
                                    "servers' own packs"))
        if topic is not None:
            if topic.id in topics:
                problems.append(Problem(name, 1, "topic.id",
                                        f"'{topic.id}' is also the topic of {topics[topic.id][1]}"))
            topics[topic.id] = (topic, name)
        for question in file_questions:
            if RESERVED.match(question.id):
                file, line = question.source.rsplit(":", 1)
                problems.append(Problem(file, int(line), "id", "ids starting s<number>- are kept for servers' "
                                        "own packs", question.id))
            if question.id in seen:
                file, line = question.source.rsplit(":", 1)
                problems.append(Problem(file, int(line), "id", f"duplicate id; first defined at "
                                        f"{seen[question.id].source}", question.id))
                continue
            seen[question.id] = question
            questions.append(question)
    if problems:
        raise BankError(problems)
    bank = Bank.build([t for t, _ in topics.values()], questions)
    return LoadReport(
        bank=bank,
        files=tuple(_display(f) for f in files),
        without_answer=tuple(q.id for q in questions if not q.has_answer),
    )
