"""A question or topic as the plain data of the bank's YAML format, and back through the bank's own checks.

A server's questions are stored in this shape (JSON in the database) and exported in it (YAML): so what the bot
keeps, what it exports and what it accepts are one format, checked by one set of rules.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.bank.loader import check_document
from bot.bank.located_yaml import located
from bot.bank.rules import Problem
from bot.domain.bank import FollowUp, KeyPoint, Question, Topic


def _points(points: tuple[KeyPoint, ...]) -> list[dict[str, Any]]:
    result = []
    for point in points:
        item: dict[str, Any] = {"text": point.text, "keywords": list(point.keywords)}
        if point.contradicts:
            item["contradicts"] = list(point.contradicts)
        result.append(item)
    return result


def _follow_up(follow_up: FollowUp) -> str | dict[str, Any]:
    if follow_up.answer is None and not follow_up.key_points:
        return follow_up.question
    item: dict[str, Any] = {"question": follow_up.question}
    if follow_up.answer is not None:
        item["answer"] = follow_up.answer
    if follow_up.key_points:
        item["key_points"] = _points(follow_up.key_points)
    return item


def question_data(question: Question, question_id: str | None = None) -> dict[str, Any]:
    """The question as its YAML mapping (keys in the format's order, empty optional fields left out)."""
    data: dict[str, Any] = {"id": question_id or question.id, "prompt": question.prompt,
                            "difficulty": question.difficulty}
    if question.tags:
        data["tags"] = list(question.tags)
    if question.answer is not None:
        data["answer"] = question.answer
    if question.key_points:
        data["key_points"] = _points(question.key_points)
    if question.follow_ups:
        data["follow_ups"] = [_follow_up(f) for f in question.follow_ups]
    if question.references:
        data["references"] = list(question.references)
    if question.choices is not None:
        form: dict[str, Any] = {}
        if question.choices.question is not None:
            form["question"] = question.choices.question
        form["options"] = [{"text": o.text, "correct": True} if o.correct else {"text": o.text}
                           for o in question.choices.options]
        form["explanation"] = question.choices.explanation
        data["choices"] = form
    return data


def topic_data(topic: Topic, topic_id: str | None = None) -> dict[str, Any]:
    return {"id": topic_id or topic.id, "name_zh": topic.name_zh, "name_en": topic.name_en, "order": topic.order}


def question_from_data(data: dict[str, Any], topic_id: str, source: str, question_id: str | None = None) -> Question:
    """A stored question, checked again by the bank's rules (a stored row that no longer passes raises)."""
    document = located({"topic": {"id": "stored", "name_zh": "stored", "name_en": "stored", "order": 1},
                        "questions": [data]}, 1)
    _topic, questions, problems = check_document(document, source)
    if problems or len(questions) != 1:
        raise ValueError("; ".join(str(p) for p in problems) or f"{source}: not one question")
    return replace(questions[0], id=question_id or questions[0].id, topic_id=topic_id, source=source)


__all__ = ["Problem", "question_data", "question_from_data", "topic_data"]
