"""A member's progress as plain numbers: the activity heatmap of recent weeks and mastery by topic.

What members leave when they go, and when it is deleted, is here too (`KEEP_AFTER_LEAVING`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

HEATMAP_WEEKS = 26
# A member who leaves the guild is hidden from every board at once; their data is deleted after this long,
# unless they come back first.
KEEP_AFTER_LEAVING = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class Heatmap:
    """`cells[weekday][week]`: answers on that day (None after `today`); week 0 is the oldest, Monday first."""

    first_monday: date
    today: date
    cells: tuple[tuple[int | None, ...], ...]

    @property
    def total(self) -> int:
        return sum(value or 0 for row in self.cells for value in row)

    @property
    def active_days(self) -> int:
        return sum(1 for row in self.cells for value in row if value)


def heatmap_start(today: date, weeks: int = HEATMAP_WEEKS) -> date:
    """The Monday the heatmap of `weeks` whole weeks ending in `today`'s week starts on."""
    return today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)


def heatmap(counts: Mapping[date, int], today: date, weeks: int = HEATMAP_WEEKS) -> Heatmap:
    """The last `weeks` weeks up to `today`, in whole Monday-to-Sunday columns (the last one holds today)."""
    first_monday = heatmap_start(today, weeks)
    rows = []
    for weekday in range(7):
        row = []
        for week in range(weeks):
            day = first_monday + timedelta(weeks=week, days=weekday)
            row.append(None if day > today else counts.get(day, 0))
        rows.append(tuple(row))
    return Heatmap(first_monday, today, tuple(rows))


@dataclass(frozen=True, slots=True)
class AnsweredQuestion:
    """One answer of the member: its topic, how many key points it covered out of how many, and its self-grade."""

    topic_id: str
    covered: int | None  # None until the answer was scored at the reveal
    key_points: int
    self_grade: str | None


@dataclass(frozen=True, slots=True)
class TopicMastery:
    topic_id: str
    answers: int
    coverage: float | None  # mean share of key points covered by scored answers; None if none was scored
    got: int
    partly: int
    missed: int

    @property
    def graded(self) -> int:
        return self.got + self.partly + self.missed


def mastery(answers: Iterable[AnsweredQuestion], topic_order: Iterable[str]) -> list[TopicMastery]:
    """Per topic the member answered, in `topic_order` (unknown topics last, by id)."""
    grouped: dict[str, list[AnsweredQuestion]] = defaultdict(list)
    for answer in answers:
        grouped[answer.topic_id].append(answer)
    order = {topic: index for index, topic in enumerate(topic_order)}
    result = []
    for topic in sorted(grouped, key=lambda t: (order.get(t, len(order)), t)):
        items = grouped[topic]
        ratios = [a.covered / a.key_points for a in items if a.covered is not None and a.key_points]
        grades = [a.self_grade for a in items]
        result.append(TopicMastery(
            topic_id=topic, answers=len(items), coverage=sum(ratios) / len(ratios) if ratios else None,
            got=grades.count("got"), partly=grades.count("partly"), missed=grades.count("missed"),
        ))
    return result

