"""The real bot against the double: it logs in, syncs its commands, and answers /help and /question show."""

from __future__ import annotations

from pathlib import Path

from clock import FakeClock
from discord_double import DiscordDouble, assert_no_pings
from study_bot import study_bot_factory, utc


async def test_login_sync_help_and_question_show(discord_double: DiscordDouble, tmp_path: Path) -> None:
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    alice = discord_double.member("alice")
    async with discord_double.running(study_bot_factory(tmp_path, clock)) as bot:
        names = {c["name"] for c in discord_double.commands()}
        assert {"help", "question", "qotd"} <= names
        qotd = next(c for c in discord_double.commands() if c["name"] == "qotd")
        assert int(qotd["default_member_permissions"]) == 32  # Manage Server
        help_reply = await alice.slash("help")
        assert help_reply.ephemeral and f"{len(bot.bank)} questions" in help_reply.embeds[0]["footer"]["text"]
        listed = "\n".join(field["value"] for field in help_reply.embeds[0]["fields"])
        for command in bot.tree.walk_commands():
            if not hasattr(command, "commands"):  # every leaf command is listed, none cut off
                assert f"`/{command.qualified_name}`" in listed
        choices = await alice.autocomplete("question show", focused="question_id", question_id="qlora")
        assert "lora-qlora" in [c.value for c in choices] and len(choices) <= 25
        shown = await alice.slash("question show", question_id="lora-qlora")
        assert shown.ephemeral and "QLoRA" in shown.embeds[0]["title"]
        assert "NF4" in " ".join(e.get("description") or "" for e in shown.embeds)
        missing = await alice.slash("question show", question_id="@everyone")
        assert "@everyone" in missing.content and missing.ephemeral
        assert_no_pings(missing.message)
        assert bot.wakeups.has("heartbeat")
