"""The optional `choices.question` stem: loaded when given, absent by default, checked like any text field."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator

from bot.bank import load_bank
from bot.bank.loader import BankError

ROOT = Path(__file__).parents[2]


def bank_file(tmp_path: Path, stem_line: str) -> Path:
    path = tmp_path / "rag.yaml"
    path.write_text(
        "topic: {id: rag, name_zh: 检索增强, name_en: RAG, order: 2}\n"
        "questions:\n"
        "  - id: rag-one\n    prompt: 什么是 RAG？\n    difficulty: 2\n    tags: [rag]\n"
        "    answer: |\n      检索 + 生成。\n"
        "    key_points:\n      - text: 先检索\n        keywords: [检索, retrieval]\n"
        f"    choices:\n{stem_line}      options:\n        - {{text: 先检索再生成, correct: true}}\n"
        "        - {text: 只生成}\n      explanation: RAG 先检索相关文档再生成。\n",
        encoding="utf-8",
    )
    return path


def schema_errors(path: Path) -> list[str]:
    schema = json.loads((ROOT / "questions" / "bank.schema.json").read_text(encoding="utf-8"))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [error.message for error in Draft202012Validator(schema).iter_errors(data)]


def test_a_stem_is_loaded_and_valid_for_editors(tmp_path: Path) -> None:
    path = bank_file(tmp_path, "      question: RAG 的两个阶段按什么顺序？\n")
    question = load_bank([path]).bank.get("rag-one")
    assert question is not None and question.choices is not None
    assert question.choices.question == "RAG 的两个阶段按什么顺序？"
    assert schema_errors(path) == []


def test_without_a_stem_the_form_is_unchanged(tmp_path: Path) -> None:
    question = load_bank([bank_file(tmp_path, "")]).bank.get("rag-one")
    assert question is not None and question.choices is not None and question.choices.question is None


def test_a_bad_stem_is_reported_with_its_line(tmp_path: Path) -> None:
    for stem_line, message in (("      question: " + "长" * 301 + "\n", "301 characters; at most 300"),
                               ("      question: yes\n", "put the text in quotes")):
        path = bank_file(tmp_path, stem_line)
        try:
            load_bank([path])
        except BankError as error:
            text = str(error)
        else:
            raise AssertionError("a bad stem was accepted")
        assert f"{path.name}:13: question 'rag-one': choices.question:" in text and message in text
        assert schema_errors(path)
