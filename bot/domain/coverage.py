"""Key-point feedback: which rubric points an answer mentions, by forgiving keyword matching, and backs.

Text is normalised first (NFKC so full-width letters become ASCII, casefold, punctuation and symbols to spaces).
Latin keywords match whole words only ("kv" is not found in "kvm"); spaces inside a keyword are optional in the
answer ("kv cache" finds "KV-Cache" and "kvcache"); Chinese text matches regardless of spaces between characters.

A keyword list is not an answer. Two rules keep the rubric from being gamed:
- a point is cancelled when the answer says one of its `contradicts` phrases (the opposite of the point);
- each credited point must be backed by text of the answer's own: what is left once every keyword of the
  question is taken out is measured in units (a CJK character is one, a Latin word two), and every
  `UNITS_PER_POINT` units back one point. A bare list of keywords, or a line too short for what it names, earns
  little or nothing; a real sentence or two per point earns it all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.domain.bank import KeyPoint

_LATIN = re.compile(r"[a-z0-9]")
_LATIN_WORD = re.compile(r"[a-z0-9]+")
UNITS_PER_POINT = 8  # about one short clause of the answer's own words per credited point


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


def _units(text: str) -> int:
    """The size of free text: one unit per CJK (or other non-Latin) character, two per Latin word."""
    words = _LATIN_WORD.findall(text)
    others = sum(1 for ch in _LATIN_WORD.sub("", text) if not ch.isspace())
    return 2 * len(words) + others


def substance(normalised_answer: str, key_points: Sequence[KeyPoint]) -> int:
    """Units of the answer that are not the question's keywords (what backs the points it names)."""
    rest = normalised_answer
    keywords = sorted({k for point in key_points for k in (*point.keywords, *point.contradicts)},
                      key=lambda k: -len(normalise(k)))
    for keyword in keywords:
        pattern = _pattern(keyword)
        if pattern is not None:
            rest = pattern.sub(" ", rest)
    return _units(rest)


def coverage(answer: str, key_points: Sequence[KeyPoint]) -> Coverage:
    """The key points an answer mentions (any keyword), does not contradict, and backs with its own text."""
    text = normalise(answer)
    mentioned: list[tuple[int, int]] = []  # (first position in the answer, point index)
    for index, point in enumerate(key_points):
        if any(_covers_normalised(text, phrase) for phrase in point.contradicts):
            continue
        positions = [m.start() for k in point.keywords if (p := _pattern(k)) is not None and (m := p.search(text))]
        if positions:
            mentioned.append((min(positions), index))
    backed = substance(text, key_points) // UNITS_PER_POINT
    credited = sorted(index for _, index in sorted(mentioned)[:backed])
    return Coverage(covered=tuple(credited), total=len(key_points))
