"""Uploaded packs: the same rules as the shipped bank, read from memory, with the upload's own limits."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.bank import BankError, load_bank
from bot.bank.codec import question_data, question_from_data
from bot.bank.packs import MAX_PACK_BYTES, read_pack

GOOD_CSV = (
    'topic,topic_name_en,id,prompt,difficulty,answer,key_points,tags,option_a,option_b,correct,explanation\n'
    'club,Club,club-one,"What is a, b?",2,"An answer\nover two lines","speed | fast; quick | slow",x y,Yes,No,A,Why\n'
)


def problems(data: bytes, name: str) -> list[str]:
    with pytest.raises(BankError) as caught:
        read_pack(data, name)
    return [str(p) for p in caught.value.problems]


def test_a_csv_row_becomes_the_same_question_as_its_yaml() -> None:
    pack = read_pack(GOOD_CSV.encode(), "club.csv")
    (question,) = pack.questions
    assert question.prompt == "What is a, b?" and question.answer == "An answer\nover two lines"
    assert question.key_points[0].keywords == ("fast", "quick") and question.key_points[0].contradicts == ("slow",)
    assert question.choices is not None and question.choices.correct_index == 0 and question.tags == ("x", "y")
    back = question_from_data(question_data(question), "t", "s")
    assert back == replace(question, topic_id="t", source="s")


@pytest.mark.parametrize(("data", "name", "expected"), [
    (b"a: &x [1]\nb: *x\n", "bomb.yaml", "bomb.yaml:1: yaml: anchors and aliases"),
    ("topic,id,prompt,difficulty\nclub,q,caf\xe9,1\n".encode("latin-1"), "l.csv", "l.csv:2: file: is not UTF-8"),
    (b"topic,id,prompt\nclub,q,p\n", "c.csv", "c.csv:1: columns: missing column(s) difficulty"),
    (b"topic,id,prompt,difficulty,anwser\nclub,q,p,1,a\n", "c.csv", "unknown column (did you mean 'answer'?)"),
    (b'topic,id,prompt,difficulty\nclub,q,"open,1\n', "q.csv", "q.csv:2: csv:"),
    (b"topic,id,prompt,difficulty\nclub,q,p,5\n", "d.csv", "d.csv:2: question 'q': difficulty: 5 is out of range"),
    (b"topic,id,prompt,difficulty,option_a,option_b,correct,explanation\nclub,q,p,1,a,b,C,e\n", "o.csv",
     "o.csv:2: question 'q': correct: 'C' is not the letter of a filled option (A, B)"),
    (b"x" * (MAX_PACK_BYTES + 1), "big.yaml", "big.yaml:0: file: 1,000,001 bytes"),
    (b"hello", "notes.txt", "expected a .yaml, .yml or .csv file"),
])
def test_every_fault_is_named_with_its_line(data: bytes, name: str, expected: str) -> None:
    assert any(expected in p for p in problems(data, name)), problems(data, name)


def test_a_small_document_cannot_expand_hugely() -> None:
    bomb = b'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + b"".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]\n".encode() for i in range(8))
    found = problems(bomb, "lol.yaml")
    assert found and all("anchors and aliases" in p for p in found)


def test_the_shipped_bank_may_not_use_server_ids(tmp_path) -> None:
    (tmp_path / "t.yaml").write_text("topic:\n  id: s1-x\n  name_zh: a\n  name_en: a\n  order: 1\nquestions:\n"
                                     "  - id: s2-q\n    prompt: p\n    difficulty: 1\n", encoding="utf-8")
    with pytest.raises(BankError) as caught:
        load_bank([tmp_path])
    text = str(caught.value)
    assert "topic.id: 's1-x': ids starting s<number>-" in text and "question 's2-q': id: ids starting" in text
