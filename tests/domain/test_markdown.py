"""Splitting answers for Discord: parts fit the limit, paragraphs stay whole where they can, code never breaks."""

from __future__ import annotations

import pytest

from bot.domain.markdown import UnsplittableError, discord_markdown_issues, split_markdown


def test_short_text_is_one_part() -> None:
    assert split_markdown("短答案", 4096) == ["短答案"]
    assert split_markdown("   \n", 10) == []


def test_long_text_splits_at_blank_lines_and_keeps_everything() -> None:
    paragraphs = [f"第{i}段：" + "内容" * 30 for i in range(10)]
    text = "\n\n".join(paragraphs)
    parts = split_markdown(text, 200)
    assert all(len(p) <= 200 for p in parts)
    assert "\n\n".join(parts) == text
    assert all(p.split("\n\n")[0].startswith("第") for p in parts)


def test_code_block_with_blank_lines_is_never_cut() -> None:
    code = "```python\ndef f():\n\n    return 1\n\n\nprint(f())\n```"
    text = "前言" * 15 + "\n\n" + code + "\n\n" + "结尾" * 15
    parts = split_markdown(text, len(code) + 5)
    assert len(parts) == 3
    assert code in parts
    for part in parts:
        assert part.count("```") % 2 == 0


def test_long_paragraph_splits_between_lines() -> None:
    text = "\n".join(f"- 要点 {i}" for i in range(100))
    parts = split_markdown(text, 120)
    assert all(len(p) <= 120 for p in parts)
    assert "\n".join(parts) == text


def test_code_longer_than_the_limit_is_unsplittable() -> None:
    code = "```\n" + "x = 1\n" * 50 + "```"
    with pytest.raises(UnsplittableError, match="code block"):
        split_markdown("intro\n\n" + code, 100)


def test_markdown_discord_cannot_render_is_found_outside_code_only() -> None:
    text = "## 标题\n正文 $$x^2$$\n| a | b |\n|---|---|\n```python\n# a comment, not a heading\n```\n**粗体**"
    issues = discord_markdown_issues(text)
    assert [offset for offset, _ in issues] == [0, 1, 3]
    assert "heading" in issues[0][1] and "LaTeX" in issues[1][1] and "table" in issues[2][1]
