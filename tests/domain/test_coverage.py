"""Key-point coverage: normalisation, word boundaries, Chinese and English keywords, and the shipped bank."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.bank import KeyPoint
from bot.domain.coverage import Coverage, coverage, covers, normalise

REPO = Path(__file__).parents[2]


def test_normalise() -> None:
    assert normalise("ＬｏＲＡ，ＫＶ　Cache！") == "lora kv cache"
    assert normalise("  Self-Attention\n\t(QKᵀ/√d)  ") == "self attention qkt d"
    assert normalise("W₀ + S²-Attn × lora_alpha") == "w0 s2 attn lora alpha"
    assert normalise("低秩矩阵、冻结。") == "低秩矩阵 冻结"
    assert normalise("Straße") == "strasse"
    assert normalise("") == ""


@pytest.mark.parametrize(
    ("answer", "keyword"),
    [
        ("用 LORA 微调", "LoRA"),  # case
        ("ＬｏＲＡ的秩", "lora"),  # full-width answer
        ("lora", "ＬｏＲＡ"),  # full-width keyword
        ("ＫＶ缓存", "kv"),
        ("KV cache", "kv"),
        ("kv-cache", "kv"),
        ("(kv)", "kv"),
        ("kvcache 很大", "kv cache"),
        ("KV-Cache 很大", "kv cache"),
        ("KV  cache", "kv-cache"),
        ("使用低秩矩阵", "低秩 矩阵"),
        ("使用低秩 矩阵", "低秩矩阵"),
        ("低秩，矩阵", "低秩矩阵"),
        ("把W₀冻结", "冻结"),
        ("rank 为 8", "rank"),
        ("秩r=8", "秩 r"),
        ("初始化为0。", "初始化为0"),
        ("S²-Attn 分组", "S2-Attn"),
        ("lora_dropout=0.1", "lora_dropout"),
        ("lora dropout", "lora_dropout"),
        ("使用LoRA微调", "lora"),  # Chinese around a Latin word is a boundary
    ],
)
def test_covers(answer: str, keyword: str) -> None:
    assert covers(answer, keyword)


@pytest.mark.parametrize(
    ("answer", "keyword"),
    [
        ("kvm 虚拟机", "kv"),  # word boundary after
        ("the skv store", "kv"),  # word boundary before
        ("rank8", "rank"),  # a digit also continues a word
        ("frozenset", "frozen"),
        ("lo ra", "lora"),  # a keyword without a space needs the word whole
        ("低秩的矩阵", "低秩矩阵"),
        ("", "lora"),
        ("lora", ""),  # a keyword of nothing matches nothing
        ("lora", "——"),
        ("初始化为01", "初始化为0"),
    ],
)
def test_does_not_cover(answer: str, keyword: str) -> None:
    assert not covers(answer, keyword)


POINTS = (
    KeyPoint("秩与缩放", ("秩 r", "rank", "alpha")),
    KeyPoint("冻结原权重", ("冻结", "freeze", "frozen")),
    KeyPoint("B 零初始化", ("零初始化", "zero init")),
)


def test_aliases_in_either_language_cover_a_point() -> None:
    assert coverage("We freeze the pretrained W and only pick a small rank for the update.", POINTS) == \
        Coverage(covered=(0, 1), total=3)
    assert coverage("训练时冻结原来的权重矩阵；B 零初始化，这样一开始旁路输出就是零", POINTS).covered == (1, 2)
    assert coverage("ZERO-INIT of B so the update starts at nothing, and ALPHA/r scaling of the update",
                    POINTS).covered == (0, 2)


def test_ratio_and_missed() -> None:
    result = coverage("we keep a low rank update and the frozen weights stay as they were", POINTS)
    assert result.ratio == pytest.approx(2 / 3)
    assert result.missed == (2,)
    full = coverage("选一个较小的秩 r 控制旁路大小；原权重冻结不动，只训练旁路；B 零初始化保证起点与原模型一致", POINTS)
    assert (full.ratio, full.missed) == (1.0, ())


def test_a_list_of_keywords_is_not_an_answer() -> None:
    salad = "，".join(k for point in POINTS for k in point.keywords)
    assert coverage(salad, POINTS).covered == ()
    assert coverage("秩r，冻结，零初始化", POINTS).covered == ()
    # Too short for what it names: one point's worth of own words backs one point, not three.
    assert len(coverage("就是秩r，冻结，零初始化这几个", POINTS).covered) <= 1


def test_a_contradicting_phrase_cancels_the_point() -> None:
    points = (KeyPoint("B 零初始化", ("零初始化", "zero init"), contradicts=("a 零初始化", "b 随机初始化")),
              *POINTS[:2])
    assert coverage("B 零初始化，这样训练开始时旁路的输出是零，不影响原模型", points).covered == (0,)
    assert coverage("A 零初始化、B 随机初始化，这样训练开始时旁路的输出是零", points).covered == ()


def test_empty_answer_covers_nothing() -> None:
    result = coverage("", POINTS)
    assert (result.covered, result.total, result.ratio, result.missed) == ((), 3, 0.0, (0, 1, 2))


def test_no_key_points_is_ratio_zero() -> None:
    result = coverage("anything at all", ())
    assert (result.covered, result.total, result.ratio, result.missed) == ((), 0, 0.0, ())


def test_every_reference_answer_covers_at_least_half_its_key_points() -> None:
    from bot.bank import load_bank

    bank = load_bank([REPO / "questions"]).bank
    assert len(bank) > 0
    weak = {}
    for question in bank:
        if not question.has_answer or not question.key_points:
            continue
        result = coverage(question.answer or "", question.key_points)
        if 2 * len(result.covered) < result.total:
            weak[question.id] = [question.key_points[i].text for i in result.missed]
    assert weak == {}, f"reference answers covering under half of their own key points: {weak}"
