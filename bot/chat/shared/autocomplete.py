"""Autocomplete choices several commands offer: time zones, topics and questions of the bank. Discord shows at most
25 choices of at most 100 characters each."""

from __future__ import annotations

from zoneinfo import available_timezones

from discord import app_commands

from bot.domain.bank import Bank
from bot.i18n import t

MAX_CHOICES = 25
CHOICE_LIMIT = 100
MIXED = "mixed"  # every topic: what /quiz and /practice offer first
ZONES = sorted(available_timezones())
COMMON_ZONES = ("Asia/Shanghai", "Asia/Singapore", "Europe/Berlin", "America/New_York", "UTC")

Choices = list[app_commands.Choice[str]]


def _choice(name: str, value: str) -> app_commands.Choice[str]:
    return app_commands.Choice(name=name[:CHOICE_LIMIT], value=value[:CHOICE_LIMIT])


def zone_choices(current: str) -> Choices:
    """IANA zones containing what was typed (spaces read as underscores); a few common ones before typing."""
    needle = current.strip().lower().replace(" ", "_")
    found = [zone for zone in ZONES if needle in zone.lower()] if needle else list(COMMON_ZONES)
    return [_choice(zone, zone) for zone in found[:MAX_CHOICES]]


def _topics_matching(bank: Bank, needle: str, skip: frozenset[str] = frozenset()):
    needle = needle.strip().lower()
    return [topic for topic in bank.topics if topic.id not in skip
            and (needle in topic.id or needle in topic.name_zh.lower() or needle in topic.name_en.lower())]


def topic_choices(bank: Bank, current: str, language: str, *, mixed: bool = False) -> Choices:
    """Topics whose id or names contain what was typed; with `mixed`, "mixed" (every topic) first."""
    found = ([_choice(t("quiz.topic.mixed", language), MIXED)]
             if mixed and current.strip().lower() in MIXED else [])
    found += [_choice(f"{topic.name(language)} ({topic.id})", topic.id) for topic in _topics_matching(bank, current)]
    return found[:MAX_CHOICES]


def topic_of(value: str | None) -> str | None:
    """The topic id a /quiz or /practice option names; None for mixed (every topic)."""
    cleaned = (value or MIXED).strip().lower()
    return None if cleaned in (MIXED, "") else cleaned


def topic_list_choices(bank: Bank, current: str, language: str) -> Choices:
    """For a comma-separated list of topic ids: the ids typed so far, then each topic that could come next."""
    *done, last = [part.strip() for part in current.split(",")]
    prefix = ",".join([*done, ""]) if done else ""
    return [_choice(f"{prefix}{topic.id} ({topic.name(language)})", f"{prefix}{topic.id}")
            for topic in _topics_matching(bank, last, frozenset(done))[:MAX_CHOICES]]


def question_choices(bank: Bank, current: str) -> Choices:
    """Questions whose id or prompt contains what was typed."""
    needle = current.strip().lower()
    found = [question for question in bank if needle in question.id or needle in question.prompt.lower()]
    return [_choice(f"{question.id} · {question.prompt}", question.id) for question in found[:MAX_CHOICES]]
