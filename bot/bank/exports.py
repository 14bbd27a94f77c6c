"""A server's questions as files to take away: YAML in the bank's format (uploads again unchanged), CSV with the
documented columns, and an Anki deck (.apkg, written by genanki)."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from bot.bank.codec import question_data, topic_data
from bot.bank.packs import CSV_COLUMNS, OPTION_COLUMNS
from bot.domain.bank import Question, Topic


class _BlockDumper(yaml.SafeDumper):
    """Multi-line text as `|` blocks, as people write the bank by hand."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value and not any(line != line.rstrip() for line in value.splitlines()):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_BlockDumper.add_representer(str, _text)


def yaml_text(topic: Topic, topic_id: str, questions: Sequence[tuple[str, Question]]) -> str:
    """One topic as a bank file; `questions` pairs each question with the id the file gives it."""
    document: dict[str, Any] = {"topic": topic_data(topic, topic_id),
                                "questions": [question_data(q, local) for local, q in questions]}
    return yaml.dump(document, Dumper=_BlockDumper, allow_unicode=True, sort_keys=False, width=120)


def csv_text(rows: Sequence[tuple[str, Topic, str, Question]]) -> str:
    """Rows of (topic id, topic, question id, question) as a CSV pack; follow-ups keep their questions only."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(CSV_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for topic_id, topic, question_id, question in rows:
        row = {"topic": topic_id, "topic_name_en": topic.name_en, "topic_name_zh": topic.name_zh,
               "id": question_id, "prompt": question.prompt, "difficulty": question.difficulty,
               "answer": question.answer or "", "tags": " ".join(question.tags),
               "key_points": "\n".join(" | ".join(filter(None, (p.text, "; ".join(p.keywords),
                                                                 "; ".join(p.contradicts))))
                                       for p in question.key_points),
               "follow_ups": "\n".join(f.question for f in question.follow_ups),
               "references": "\n".join(question.references)}
        if question.choices is not None:
            for column, option in zip(OPTION_COLUMNS, question.choices.options, strict=False):
                row[column] = option.text
            row["correct"] = OPTION_COLUMNS[question.choices.correct_index][-1].upper()
            row["explanation"] = question.choices.explanation
            row["choice_question"] = question.choices.question or ""
        writer.writerow(row)
    return out.getvalue()


def _html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _stable_id(*parts: object) -> int:
    """Anki keys decks and note types by number: the same deck exported twice updates, never duplicates."""
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def apkg_bytes(deck_name: str, deck_key: str, questions: Sequence[Question]) -> bytes:
    """An Anki deck: a note per question, the prompt on the front, the reference answer and key points behind."""
    import genanki

    model = genanki.Model(
        _stable_id("seed-study-bot", "model", 1), "Study bot question",
        fields=[{"name": "Id"}, {"name": "Question"}, {"name": "Answer"}, {"name": "Key points"}],
        templates=[{"name": "Card 1", "qfmt": "{{Question}}",
                    "afmt": "{{FrontSide}}<hr id=answer>{{Answer}}<br><br>{{Key points}}"}],
        sort_field_index=1,
    )
    deck = genanki.Deck(_stable_id("deck", deck_key), deck_name)
    for question in questions:
        points = "<br>".join(f"• {html.escape(p.text)}" for p in question.key_points)
        deck.add_note(genanki.Note(model=model, fields=[question.id, _html(question.prompt),
                                                        _html(question.answer or ""), points],
                                   guid=genanki.guid_for(question.id), tags=list(question.tags)))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "deck.apkg"
        genanki.Package(deck).write_to_file(str(path))
        return path.read_bytes()
