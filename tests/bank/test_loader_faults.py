"""Every kind of broken bank file is rejected with its file, line and field named."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.bank import BankError, load_bank

HERE = Path(__file__).parent
FAULTS = HERE / "faults"

# file name -> (line, the field and message the report must contain)
EXPECTED = {
    "syntax.yaml": (10, "yaml: syntax error: while scanning a quoted scalar"),
    "unknown-key.yaml": (10, "question 'q-one': anwser: unknown key (did you mean 'answer'?)"),
    "missing-field.yaml": (7, "question 'q-one': prompt: is required"),
    "wrong-type.yaml": (9, "question 'q-one': difficulty: expected a whole number, got text"),
    "yaml-boolean.yaml": (10, "question 'q-one': tags[1]: YAML read `on` as a boolean; put the text in quotes"),
    "two-correct.yaml": (12, "choices.options: needs exactly one option with correct: true, found 2"),
    "no-correct.yaml": (12, "choices.options: needs exactly one option with correct: true, found 0"),
    "keywords-not-list.yaml": (12, "key_points[0].keywords: expected a list of strings, got text"),
    "difficulty-range.yaml": (9, "difficulty: 5 is out of range (from 1 to 3)"),
    "bad-slug.yaml": (7, "id: 'Q_One' is not a slug"),
    "duplicate-key.yaml": (9, "prompt: this key appears twice"),
    "missing-keywords.yaml": (11, "key_points[0].keywords: is required"),
    "latex.yaml": (11, "answer: LaTeX: Discord renders none"),
    "long-answer.yaml": (10, "answer: does not fit Discord's 4096-character embed description and cannot be split"),
    "duplicate-in-file.yaml": (10, "question 'q-one': id: duplicate id; first defined at"),
    "empty.yaml": (1, "file: is empty"),
    "missing-topic.yaml": (1, "topic: is required"),
}


def test_every_fixture_is_listed() -> None:
    assert sorted(p.name for p in FAULTS.glob("*.yaml")) == sorted(EXPECTED)
    assert len(EXPECTED) >= 12


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fault_is_reported_with_file_line_and_field(name: str) -> None:
    line, message = EXPECTED[name]
    with pytest.raises(BankError) as caught:
        load_bank([FAULTS / name])
    rendered = [str(p) for p in caught.value.problems]
    assert any(f"{name}:{line}: " in r and message in r for r in rendered), rendered
    assert all(f"{name}:" in r for r in rendered)


def test_duplicate_ids_across_files_name_both_places() -> None:
    with pytest.raises(BankError) as caught:
        load_bank([HERE / "faults_across_files"])
    (problem,) = caught.value.problems
    assert problem.file.endswith("b.yaml") and problem.line == 10
    assert problem.question_id == "shared-id"
    assert "first defined at" in problem.message and "a.yaml:7" in problem.message


def test_all_problems_of_a_file_are_reported_at_once(tmp_path: Path) -> None:
    bad = tmp_path / "many.yaml"
    bad.write_text(
        "topic: {id: t, name_zh: 测, name_en: T, order: 1}\n"
        "questions:\n"
        "  - id: a\n    prompt: yes\n    difficulty: 0\n    tagz: []\n",
        encoding="utf-8",
    )
    with pytest.raises(BankError) as caught:
        load_bank([bad])
    fields = [p.field for p in caught.value.problems]
    assert fields == ["prompt", "difficulty", "tagz"]
    assert [p.line for p in caught.value.problems] == [4, 5, 6]


def test_folder_with_no_yaml_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(BankError, match="no YAML files found"):
        load_bank([tmp_path])


def test_a_good_file_loads_into_an_immutable_bank(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(
        "topic: {id: rag, name_zh: 检索增强, name_en: RAG, order: 2}\n"
        "questions:\n"
        "  - id: rag-one\n    prompt: 什么是 RAG？\n    difficulty: 2\n    tags: [rag]\n"
        "    answer: |\n      检索 + 生成。\n"
        "    key_points:\n      - text: 先检索\n        keywords: [检索, retrieval]\n"
        "    choices:\n      options:\n        - {text: 先检索再生成, correct: true}\n        - {text: 只生成}\n"
        "        - {text: 只检索}\n        - {text: 都不是}\n      explanation: RAG 先检索相关文档再生成。\n",
        encoding="utf-8",
    )
    report = load_bank([good])
    question = report.bank.get("rag-one")
    assert question is not None and question.topic_id == "rag"
    assert question.choices is not None and question.choices.correct_index == 0
    assert question.key_points[0].keywords == ("检索", "retrieval")
    assert report.bank.in_topic("rag") == (question,)
    with pytest.raises(TypeError):
        report.bank.questions["x"] = question  # type: ignore[index]
    assert report.without_answer == ()
