"""Splitting Discord Markdown into parts that fit a length limit without cutting a code block."""

from __future__ import annotations

import re
from dataclasses import dataclass

_FENCE = re.compile(r"^\s*(```|~~~)")


class UnsplittableError(ValueError):
    """A single code block, or a single line, is longer than the limit and cannot be split cleanly."""


@dataclass(frozen=True, slots=True)
class _Block:
    text: str
    is_code: bool


def _blocks(text: str) -> list[_Block]:
    """Paragraphs separated by blank lines; a fenced code block is always one block, blank lines included."""
    blocks: list[_Block] = []
    current: list[str] = []
    in_code = False
    current_is_code = False

    def flush() -> None:
        nonlocal current, current_is_code
        if current:
            blocks.append(_Block("\n".join(current), current_is_code))
        current = []
        current_is_code = False

    for line in text.strip("\n").split("\n"):
        if _FENCE.match(line):
            if not in_code:
                flush()
                in_code = True
                current_is_code = True
                current.append(line)
                continue
            current.append(line)
            in_code = False
            flush()
            continue
        if in_code or line.strip():
            current.append(line)
        else:
            flush()
    if in_code:
        # An unterminated fence: treat the rest as code, as Discord does.
        current_is_code = True
    flush()
    return blocks


def _pack(pieces: list[str], limit: int, joint: str) -> list[str]:
    """Join consecutive pieces with `joint` into as few parts as fit in `limit` (each piece fits alone)."""
    parts: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}{joint}{piece}" if current else piece
        if len(candidate) > limit:
            parts.append(current)
            current = piece
        else:
            current = candidate
    if current:
        parts.append(current)
    return parts


def _split_prose(block: str, limit: int) -> list[str]:
    lines = block.split("\n")
    for line in lines:
        if len(line) > limit:
            raise UnsplittableError(f"a line of {len(line)} characters is longer than {limit}")
    return _pack(lines, limit, "\n")


def split_markdown(text: str, limit: int) -> list[str]:
    """Pack paragraphs into as few parts as possible, each at most `limit` characters.

    Parts break at blank lines; an over-long paragraph breaks between its lines; a code block never breaks.
    Raises UnsplittableError when a code block or a single line alone exceeds the limit.
    """
    if limit <= 0:
        raise ValueError("limit must be positive")
    if len(text) <= limit:
        return [text] if text.strip() else []
    pieces: list[str] = []
    for block in _blocks(text):
        if len(block.text) <= limit:
            pieces.append(block.text)
        elif block.is_code:
            raise UnsplittableError(f"a code block of {len(block.text)} characters is longer than {limit}")
        else:
            pieces.extend(_split_prose(block.text, limit))
    return _pack(pieces, limit, "\n\n")


_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$")
_LATEX = re.compile(r"\$\$|\\(frac|sqrt|sum|alpha|beta|theta|cdot|mathrm|text|left|right)\b|\$[^$\s][^$]*\\[a-z]+")


def discord_markdown_issues(text: str) -> list[tuple[int, str]]:
    """Markdown that Discord embeds do not render, outside code blocks, as (line offset, message) pairs."""
    issues: list[tuple[int, str]] = []
    in_code = False
    for offset, line in enumerate(text.split("\n")):
        if _FENCE.match(line):
            in_code = not in_code
            continue
        if in_code:
            continue
        if _HEADING.match(line):
            issues.append((offset, "Markdown heading: Discord embeds do not render headings; use **bold**"))
        elif _TABLE_RULE.match(line):
            issues.append((offset, "Markdown table: Discord does not render tables; use a list"))
        elif _LATEX.search(line):
            issues.append((offset, "LaTeX: Discord renders none; write the formula in plain Unicode"))
    return issues
