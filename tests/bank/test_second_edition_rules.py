"""The rules the second edition added: follow-ups with answers, contradicting phrases, capped ids, and choice
forms whose correct option does not stand out by its length."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.bank import BankError, load_bank

HEADER = "topic: {id: t, name_zh: 测, name_en: T, order: 1}\nquestions:\n"
GOOD_CHOICES = (
    "    choices:\n      options:\n        - {text: 先检索再生成, correct: true}\n        - {text: 只生成不检索}\n"
    "        - {text: 只检索不生成}\n        - {text: 两者都不做}\n      explanation: RAG 先检索相关文档再生成。\n"
)
BASE = (
    "  - id: t-one\n    prompt: 什么是 RAG？\n    difficulty: 2\n    answer: |\n      检索 + 生成。\n"
    "    key_points:\n"
    "      - {text: 先检索, keywords: [检索, retrieval], contradicts: [不检索]}\n"
    "      - {text: 再生成, keywords: [生成, generation]}\n"
    "      - {text: 引用, keywords: [引用, citation]}\n"
)


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "t.yaml"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def problems(path: Path, *, strict: bool = True) -> list[str]:
    with pytest.raises(BankError) as caught:
        load_bank([path], strict=strict)
    return [str(p) for p in caught.value.problems]


def test_follow_ups_carry_an_answer_and_key_points(tmp_path: Path) -> None:
    path = write(tmp_path, BASE + GOOD_CHOICES + (
        "    follow_ups:\n"
        "      - question: 检索不到怎么办？\n        answer: 改写查询或回退到拒答。\n"
        "        key_points:\n          - {text: 改写查询, keywords: [改写, rewrite]}\n"
    ))
    question = load_bank([path], strict=True).bank.get("t-one")
    assert question is not None
    (follow_up,) = question.follow_ups
    assert follow_up.question == "检索不到怎么办？" and follow_up.answer == "改写查询或回退到拒答。"
    assert follow_up.key_points[0].keywords == ("改写", "rewrite")
    assert question.key_points[0].contradicts == ("不检索",)


def test_strict_wants_an_answer_for_each_follow_up_object(tmp_path: Path) -> None:
    path = write(tmp_path, BASE + "    follow_ups:\n      - question: 检索不到怎么办？\n")
    assert any("t.yaml:" in p and "follow_ups[0].answer: is required in strict mode" in p for p in problems(path))
    assert load_bank([path]).bank.get("t-one") is not None  # not strict: a question alone is fine


def test_strict_refuses_a_bare_follow_up_question(tmp_path: Path) -> None:
    path = write(tmp_path, BASE + GOOD_CHOICES + "    follow_ups:\n      - 检索不到怎么办？\n")
    (problem,) = problems(path)
    assert problem.startswith("t.yaml:") or "t.yaml:" in problem
    assert "follow_ups[0]: is a bare question; strict mode wants {question, answer, key_points}" in problem
    (follow_up,) = load_bank([path]).bank.get("t-one").follow_ups  # outside strict mode a bare question loads
    assert follow_up.question == "检索不到怎么办？" and follow_up.answer is None


def test_a_follow_up_with_an_unknown_key_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, BASE + "    follow_ups:\n      - question: 为什么？\n        anwser: 因为。\n")
    assert any("follow_ups[0].anwser: unknown key (did you mean 'answer'?)" in p for p in problems(path))


def test_an_id_longer_than_60_characters_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, BASE.replace("t-one", "t-" + "x" * 59))
    assert any("id: 61 characters; at most 60" in p for p in problems(path, strict=False))


def test_a_correct_option_much_longer_than_every_distractor_fails_strict(tmp_path: Path) -> None:
    long_correct = GOOD_CHOICES.replace("先检索再生成", "先从知识库检索相关文档，再把它们放进上下文生成回答")
    path = write(tmp_path, BASE + long_correct)
    found = problems(path)
    assert any("t.yaml:" in p and "choices.options: the correct option (25 characters) is more than 20% longer"
               in p for p in found), found
    assert load_bank([path]).bank.get("t-one") is not None  # a warning-level rule outside strict mode
    load_bank([write(tmp_path, BASE + GOOD_CHOICES)], strict=True)  # within 20%: fine


def test_a_keyword_without_letters_or_digits_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, BASE.replace("keywords: [引用, citation]", 'keywords: ["+=", citation]'))
    assert any("key_points[2].keywords[0]: '+=' has no letters or digits" in p for p in problems(path, strict=False))
