"""Key-point feedback: which rubric points an answer mentions, by forgiving keyword matching.

Text is normalised first (NFKC so full-width letters become ASCII, casefold, punctuation and symbols to spaces).
Latin keywords match whole words only ("kv" is not found in "kvm"); spaces inside a keyword are optional in the
answer ("kv cache" finds "KV-Cache" and "kvcache"); Chinese text matches regardless of spaces between characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.domain.bank import KeyPoint

_LATIN = re.compile(r"[a-z0-9]")


def normalise(text: str) -> str:
    """NFKC, casefold, every punctuation or symbol character to a space, whitespace runs to one space, trimmed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    spaced = "".join(" " if unicodedata.category(ch)[0] in "PS" else ch for ch in folded)
    return " ".join(spaced.split())


def _is_latin(ch: str) -> bool:
    return _LATIN.fullmatch(ch) is not None


@lru_cache(maxsize=4096)
def _pattern(keyword: str) -> re.Pattern[str] | None:
    """The compiled matcher for a raw keyword; None when it normalises to nothing (it then matches no answer)."""
    words = normalise(keyword).split(" ")
    chars = "".join(words)
    if not chars:
        return None
    spaced_after = set()
    position = 0
    for word in words[:-1]:
        position += len(word)
        spaced_after.add(position - 1)
    parts: list[str] = []
    for i, ch in enumerate(chars):
        parts.append(re.escape(ch))
        if i + 1 < len(chars) and (i in spaced_after or not (_is_latin(ch) and _is_latin(chars[i + 1]))):
            # A space the keyword has, or a join next to a non-Latin character: the answer may or may not space it.
            parts.append(" ?")
    prefix = "(?<![a-z0-9])" if _is_latin(chars[0]) else ""
    suffix = "(?![a-z0-9])" if _is_latin(chars[-1]) else ""
    return re.compile(prefix + "".join(parts) + suffix)


def _covers_normalised(normalised_answer: str, keyword: str) -> bool:
    pattern = _pattern(keyword)
    return pattern is not None and pattern.search(normalised_answer) is not None


def covers(answer: str, keyword: str) -> bool:
    """Whether `answer` mentions `keyword`, both normalised. A keyword with no letters or digits matches nothing."""
    return _covers_normalised(normalise(answer), keyword)


@dataclass(frozen=True)
class Coverage:
    """Which key points (by index) an answer covers, out of `total`."""

    covered: tuple[int, ...]
    total: int

    @property
    def ratio(self) -> float:
        """Covered / total; 0.0 when a question has no key points, so it earns no coverage points."""
        return len(self.covered) / self.total if self.total else 0.0

    @property
    def missed(self) -> tuple[int, ...]:
        covered = set(self.covered)
        return tuple(i for i in range(self.total) if i not in covered)


def coverage(answer: str, key_points: Sequence[KeyPoint]) -> Coverage:
    """A key point is covered when the answer mentions any one of its keywords."""
    text = normalise(answer)
    covered = tuple(
        index
        for index, point in enumerate(key_points)
        if any(_covers_normalised(text, keyword) for keyword in point.keywords)
    )
    return Coverage(covered=covered, total=len(key_points))
