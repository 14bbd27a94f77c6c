"""Benchmark: loading a 10,000-question bank file. Run by hand: `.venv/bin/python bench/bank_load.py`.

Compares, side by side in one run: PyYAML's pure-Python safe_load, libyaml's CSafeLoader, and the bank loader
(libyaml plus line tracking plus every validation rule). Prints each median and the ratios.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parents[1]))
from bot.bank import load_bank

QUESTIONS = 10_000
ROUNDS = 5


def make_file(folder: Path) -> Path:
    lines = ["topic: {id: bench, name_zh: 基准, name_en: Bench, order: 1}", "questions:"]
    for i in range(QUESTIONS):
        lines += [
            f"  - id: bench-q{i}",
            f"    prompt: 第 {i} 题：LoRA 的秩通常选多少？为什么？",
            f"    difficulty: {i % 3 + 1}",
            "    tags: [lora, peft]",
            "    answer: |",
            "      LoRA 冻结预训练权重 W₀，只训练旁路 ΔW = BA。秩 r 常取 4、8、16。",
            "",
            "      - 缩放系数 α/r",
            "      - B 零初始化",
            "    key_points:",
            "      - text: 低秩分解",
            "        keywords: [低秩, low-rank, rank]",
            "      - text: 冻结原权重",
            "        keywords: [冻结, freeze, frozen]",
            "      - text: 缩放系数",
            "        keywords: [alpha, 缩放]",
        ]
    path = folder / "bench.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def median_seconds(func, rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = make_file(Path(tmp))
        text = path.read_text(encoding="utf-8")
        size_mb = len(text.encode()) / 1e6
        pure = median_seconds(lambda: yaml.load(text, Loader=yaml.SafeLoader))
        c_plain = median_seconds(lambda: yaml.load(text, Loader=yaml.CSafeLoader))
        ours = median_seconds(lambda: load_bank([path]))
    print(f"bank file: {QUESTIONS} questions, {size_mb:.1f} MB; median of {ROUNDS} rounds each")
    print(f"  yaml.safe_load (pure Python)          {pure * 1000:8.0f} ms")
    print(f"  yaml CSafeLoader (libyaml)            {c_plain * 1000:8.0f} ms   {pure / c_plain:4.1f}x faster")
    print(f"  bank loader (libyaml + lines + rules) {ours * 1000:8.0f} ms   {pure / ours:4.1f}x faster "
          "than safe_load")


if __name__ == "__main__":
    main()
