"""Quiz embeds stay within Discord's limits whatever the bank holds."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import discord

from bot.chat.quiz.render import question_embed
from bot.chat.shared.embeds import MESSAGE_EMBED_COUNT, MESSAGE_EMBED_TOTAL, pack
from bot.domain.bank import Bank, ChoiceForm, ChoiceOption, KeyPoint, Question, Topic
from bot.domain.quiz import Item, Quiz
from bot.services.quiz import QuestionPost


def test_pack_keeps_order_and_both_message_limits() -> None:
    embeds = [discord.Embed(description=str(i) * 2500) for i in range(5)] + [discord.Embed(title=str(i)) for i in
                                                                             range(12)]
    messages = pack(embeds)
    assert [e for m in messages for e in m] == embeds
    assert all(sum(len(e) for e in m) <= MESSAGE_EMBED_TOTAL and len(m) <= MESSAGE_EMBED_COUNT for m in messages)
    assert [len(m) for m in messages] == [2, 2, 10, 3]
    assert pack([]) == []


def test_a_choice_question_shows_its_stem_when_the_bank_gives_one() -> None:
    options = tuple(ChoiceOption(f"option {i}", i == 2) for i in range(4))
    plain = Question(id="q", topic_id="rag", prompt="What is RAG?", difficulty=1, answer="a",
                     key_points=(KeyPoint("k", ("kk",)),), choices=ChoiceForm(options, "because"))
    stemmed = replace(plain, choices=ChoiceForm(options, "because", question="Which comes first?"))
    bank = Bank.build([Topic("rag", "检索", "RAG", 1)], [plain])
    item = Item(id=1, position=0, question_id="q", kind="choice", option_order=(2, 0, 3, 1),
                opened_at=datetime(2030, 1, 1, tzinfo=UTC), closes_at=datetime(2030, 1, 1, 0, 0, 30, tzinfo=UTC))
    quiz = Quiz(id=1, guild_id=1, channel_id=1, starter_id=1, language="en", topic_id="rag", kind="choice",
                seconds=30, status="running", items=(item,), started_at=datetime(2030, 1, 1, tzinfo=UTC))
    shown = question_embed(bank, QuestionPost(quiz, item, plain), "en").description
    assert shown.startswith("**What is RAG?**\n\n**A.** option 2\n**B.** option 0")
    assert question_embed(bank, QuestionPost(quiz, item, stemmed), "en").description.startswith(
        "**Which comes first?**\n\n**A.** option 2")
