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



class _Node:
    """A cycle only the collector can free."""

    def __init__(self) -> None:
        self.itself = self


async def test_run_freezes_what_start_up_built_and_a_later_ready_gives_it_back(
    discord_double: DiscordDouble, tmp_path: Path,
) -> None:
    """`python -m bot run` builds the bot with freeze_gc: once READY, the caches move out of the collector's reach
    (a full collection walked them all: 150-180 ms at 10,000 servers); a later READY unfreezes first, so what an
    earlier freeze kept and is garbage now is freed."""
    import asyncio
    import gc
    import weakref

    factory = study_bot_factory(tmp_path, FakeClock(utc("2026-11-30T00:00:00")))
    gc.unfreeze()
    try:
        async with discord_double.running(lambda **options: factory(freeze_gc=True, **options)):
            assert gc.get_freeze_count() > 0  # the first READY froze what start-up built
            node = _Node()
            dead = weakref.ref(node)
            gc.freeze()  # frozen as if it had been there at the first READY
            del node
            gc.collect()
            assert dead() is not None  # frozen: the collector does not see it
            await discord_double.drop_gateway("invalidate")  # a new session: READY again
            for _ in range(200):
                if dead() is None:
                    break
                await asyncio.sleep(0.01)
            assert dead() is None
    finally:
        gc.unfreeze()  # the rest of the test session collects as usual
