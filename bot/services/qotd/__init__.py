"""The question of the day: set-up, claims and posts, answers, the reveal's scoring, reactions and votes,
self-grades. One module per part (each a mixin over `QotdBase`); `QotdService` is all of them.

Every step is idempotent against the database, so the scheduler may run it again after a restart or a retry
without a second post, a second award or a lost answer.
"""

from __future__ import annotations

from bot.services.qotd.answers import Answers
from bot.services.qotd.feedback import Feedback
from bot.services.qotd.grades import SelfGrades
from bot.services.qotd.history import HISTORY_PAGE, History, HistoryDay, HistoryPage
from bot.services.qotd.plans import (
    CONFIDENCE_EMOJI,
    LATE_REPOST_WINDOW,
    VOTE_EMOJI,
    AnswerOutcome,
    PostPlan,
    RevealedMember,
    RevealPlan,
    ScheduleStatus,
    VoteOutcome,
    rule_of,
)
from bot.services.qotd.posting import Posting
from bot.services.qotd.reveal import Reveal
from bot.services.qotd.setup import ScheduleSetup


class QotdService(ScheduleSetup, Posting, Answers, Reveal, Feedback, SelfGrades, History):
    """The daily question's use cases, found by type on the bot."""


__all__ = [
    "CONFIDENCE_EMOJI", "HISTORY_PAGE", "LATE_REPOST_WINDOW", "VOTE_EMOJI", "AnswerOutcome",
    "HistoryDay", "HistoryPage",
    "PostPlan", "QotdService", "RevealPlan", "RevealedMember", "ScheduleStatus", "VoteOutcome", "rule_of",
]
