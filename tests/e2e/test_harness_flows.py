"""The harness's own tests: a small commands.Bot driven through every member action the double offers."""

from __future__ import annotations

import functools
import io
from typing import Any

import discord
import pytest
from discord import app_commands
from discord.ext import commands
from discord_double import DiscordDouble, assert_no_pings

TOPICS = ["llm", "lora", "rag", "transformers", "tokenizers"]


class VoteButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"vote:(?P<choice>[a-z]+)"):
    """A persistent button: its state lives in the custom_id, so it works after a restart."""

    def __init__(self, choice: str) -> None:
        super().__init__(discord.ui.Button(label=f"Vote {choice}", custom_id=f"vote:{choice}"))
        self.choice = choice

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button[Any], match: Any
    ) -> VoteButton:
        return cls(match["choice"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"voted {self.choice}", ephemeral=True)


class AnswerModal(discord.ui.Modal, title="Your answer"):
    answer = discord.ui.TextInput(label="Answer", style=discord.TextStyle.long, max_length=500)
    note = discord.ui.Label(text="Note", component=discord.ui.TextInput(custom_id="note", required=False))

    async def on_submit(self, interaction: discord.Interaction) -> None:
        note = self.note.component.value  # type: ignore[union-attr]
        await interaction.response.send_message(
            f"got {self.answer.value} ({note or 'no note'})", ephemeral=True
        )


class AnswerView(discord.ui.View):
    @discord.ui.button(label="Answer", custom_id="answer:open")
    async def open_modal(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await interaction.response.send_modal(AnswerModal())

    @discord.ui.select(
        custom_id="answer:difficulty",
        placeholder="How hard was it?",
        options=[discord.SelectOption(label=level, value=level) for level in ("easy", "hard")],
    )
    async def difficulty(self, interaction: discord.Interaction, select: discord.ui.Select[Any]) -> None:
        await interaction.response.send_message(f"difficulty: {select.values[0]}", ephemeral=True)

    @discord.ui.button(label="Reveal", custom_id="answer:reveal")
    async def reveal(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        button.disabled = True
        await interaction.response.edit_message(content="revealed: 42", view=self)


class CardView(discord.ui.LayoutView):
    """Components v2: a container with text and a section whose accessory is a button."""

    def __init__(self) -> None:
        super().__init__()
        button: discord.ui.Button[CardView] = discord.ui.Button(label="Flip", custom_id="card:flip")
        button.callback = self.flip  # type: ignore[method-assign]
        section = discord.ui.Section(discord.ui.TextDisplay("Q: What is LoRA?"), accessory=button)
        self.add_item(discord.ui.Container(discord.ui.TextDisplay("## Flashcard"), section))

    async def flip(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("A: low-rank adapters", ephemeral=True)


quiz = app_commands.Group(name="quiz", description="Quiz commands")
admin = app_commands.Group(name="admin", description="Quiz administration", parent=quiz)


@quiz.command(description="Start a quiz")
@app_commands.describe(topic="Topic", count="How many questions")
async def start(
    interaction: discord.Interaction, topic: str, count: app_commands.Range[int, 1, 10] = 3
) -> None:
    await interaction.response.send_message(f"quiz on {topic}: {count} questions")


@start.autocomplete("topic")
async def topic_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=t.upper(), value=t) for t in TOPICS if t.startswith(current)]


@admin.command(description="Reset the scores")
async def reset(interaction: discord.Interaction, member: discord.Member) -> None:
    await interaction.response.send_message(f"reset {member.display_name}", ephemeral=True)


class HarnessBot(commands.Bot):
    """Stands in for the real bot: slash commands, views, a DynamicItem, raw reactions, files, threads."""

    def __init__(self, *, guild_id: int | None = None, **options: Any) -> None:
        intents = discord.Intents.default()
        intents.message_content = True
        intents.members = True
        super().__init__(command_prefix="!", intents=intents, **options)
        self.guild_id = guild_id
        self.raw_reactions: list[tuple[str, str, int]] = []

    async def setup_hook(self) -> None:
        self.add_dynamic_items(VoteButton)
        self.tree.add_command(quiz)
        for command in (echo, secret, slow, progress, card, vote, answer, report, discuss, remind):
            self.tree.add_command(command)
        self.add_command(ping)
        await self.tree.sync()
        if self.guild_id is not None:
            guild = discord.Object(self.guild_id)
            self.tree.add_command(local, guild=guild)
            await self.tree.sync(guild=guild)

    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        self.raw_reactions.append(("add", str(payload.emoji), payload.user_id))

    async def on_raw_reaction_remove(self, payload: discord.RawReactionActionEvent) -> None:
        self.raw_reactions.append(("remove", str(payload.emoji), payload.user_id))

    async def on_message(self, message: discord.Message) -> None:
        if message.guild is None and not message.author.bot:
            await message.channel.send(f"got your DM: {message.content}")
        await self.process_commands(message)


@commands.command()
async def ping(ctx: commands.Context[HarnessBot]) -> None:
    await ctx.send("pong")


@app_commands.command(description="Repeat what you say")
async def echo(interaction: discord.Interaction, text: str, times: app_commands.Range[int, 1, 3] = 1) -> None:
    await interaction.response.send_message(
        " ".join([text] * times), allowed_mentions=discord.AllowedMentions.none()
    )


@app_commands.command(description="Only you can see it")
async def secret(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("just for you", ephemeral=True)


@app_commands.command(description="Takes its time")
async def slow(interaction: discord.Interaction) -> None:
    await interaction.response.defer(thinking=True)
    await interaction.followup.send("done thinking")
    await interaction.followup.send("one more thing", ephemeral=True)


@app_commands.command(description="Shows progress")
async def progress(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("working...")
    await interaction.edit_original_response(content="done")


@app_commands.command(description="Show a flashcard")
async def card(interaction: discord.Interaction) -> None:
    await interaction.response.send_message(view=CardView())


@app_commands.command(description="Post a vote")
async def vote(interaction: discord.Interaction) -> None:
    view = discord.ui.View(timeout=None)
    for choice in ("a", "b"):
        view.add_item(VoteButton(choice))
    await interaction.response.send_message("Vote!", view=view)
    message = await interaction.original_response()
    await message.add_reaction("✅")


@app_commands.command(description="Answer a question")
async def answer(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("What is 6 x 7?", view=AnswerView())


@app_commands.command(description="Upload a report")
async def report(interaction: discord.Interaction) -> None:
    await interaction.response.send_message(
        "report", file=discord.File(io.BytesIO(b"score,1\n"), "report.csv")
    )
    await interaction.channel.send("raw", file=discord.File(io.BytesIO(b"\x00\x01"), "raw.bin"))  # type: ignore[union-attr]


@app_commands.command(description="Open a discussion thread")
async def discuss(interaction: discord.Interaction, topic: str) -> None:
    message = await interaction.channel.send(f"Discussion: {topic}")  # type: ignore[union-attr]
    thread = await message.create_thread(name=topic)
    await thread.send("Discuss here")
    await interaction.response.send_message(f"opened {thread.mention}", ephemeral=True)


@app_commands.command(description="Remind me in private")
async def remind(interaction: discord.Interaction) -> None:
    await interaction.user.send("Reminder: practise RAG")
    await interaction.response.send_message("sent you a DM", ephemeral=True)


@app_commands.command(description="A guild-only command")
async def local(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("local")


def make_bot(double: DiscordDouble) -> functools.partial[HarnessBot]:
    return functools.partial(HarnessBot, guild_id=double.guild.id)


async def test_login_and_command_sync(discord_double: DiscordDouble) -> None:
    async with discord_double.running(make_bot(discord_double)) as bot:
        assert bot.user is not None and bot.user.id == discord_double.bot_id
        assert bot.get_guild(discord_double.guild.id) is not None
        synced = {c["name"]: c for c in discord_double.commands()}
        commands = {"quiz", "echo", "secret", "slow", "progress", "card", "vote", "answer", "report"}
        assert set(synced) == commands | {"discuss", "remind"}
        quiz_options = {o["name"]: o for o in synced["quiz"]["options"]}
        assert quiz_options["admin"]["type"] == 2 and quiz_options["start"]["type"] == 1
        assert [c["name"] for c in discord_double.commands(discord_double.guild)] == ["local"]
        assert discord_double.gateway.identifies[0]["intents"] == bot.intents.value
        pointed_at = discord.http.Route.BASE
        assert pointed_at == f"{discord_double.base_url}/api/v10"
    restored = (discord.http.Route.BASE, str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY))
    assert restored == ("https://discord.com/api/v10", "wss://gateway.discord.gg/")


async def test_slash_command_with_options_subcommands_and_guild_scope(discord_double: DiscordDouble) -> None:
    alice, bob = discord_double.member("alice"), discord_double.member("bob")
    async with discord_double.running(make_bot(discord_double)):
        started = await alice.slash("quiz start", topic="rag", count=5)
        assert (started.callback_type, started.content, started.ephemeral) == (
            "message",
            "quiz on rag: 5 questions",
            False,
        )
        assert started.message in discord_double.bot_messages("general")
        reset_result = await alice.slash("quiz admin reset", member=bob)
        assert reset_result.content == "reset Bob" and reset_result.ephemeral
        assert (await alice.slash("local")).content == "local"
        with pytest.raises(ValueError, match="between 1 and 10"):
            await alice.slash("quiz start", topic="rag", count=11)


async def test_ephemeral_deferred_follow_ups_and_edits(discord_double: DiscordDouble) -> None:
    alice = discord_double.member("alice")
    async with discord_double.running(make_bot(discord_double)):
        hidden = await alice.slash("secret")
        assert hidden.ephemeral and hidden.content == "just for you"
        assert hidden.message not in discord_double.messages("general")
        in_private = await alice.slash("secret", channel=alice.dm)
        assert in_private.content == "just for you" and in_private.payload["user"]["id"] == str(alice.id)
        slow_result = await alice.slash("slow")
        assert slow_result.callback_type == "deferred"
        first, second = await slow_result.wait_for_followups(2)
        assert (first.content, first.ephemeral) == ("done thinking", False)
        assert first.id == slow_result.message.id  # the first follow-up replaced the "thinking" message
        assert (second.content, second.ephemeral) == ("one more thing", True)
        edited = await alice.slash("progress")
        assert edited.content == "done" and [e["content"] for e in edited.edits] == ["done"]
        assert edited.message.history[0]["content"] == "working..."


async def test_autocomplete_returns_the_offered_choices(discord_double: DiscordDouble) -> None:
    alice = discord_double.member("alice")
    async with discord_double.running(make_bot(discord_double)):
        choices = await alice.autocomplete("quiz start", focused="topic", topic="l")
        assert [(c.name, c.value) for c in choices] == [("LLM", "llm"), ("LORA", "lora")]
        assert choices.result.callback_type == "autocomplete"
        (start,) = choices.result.payload["data"]["options"]
        assert start["options"] == [{"type": 3, "name": "topic", "value": "l", "focused": True}]


async def test_button_updates_the_message(discord_double: DiscordDouble) -> None:
    alice = discord_double.member("alice")
    async with discord_double.running(make_bot(discord_double)):
        question = (await alice.slash("answer")).message
        assert question is not None
        revealed = await alice.click(question, label="Reveal")
        assert revealed.callback_type == "update"
        assert question.content == "revealed: 42"
        assert [b["disabled"] for b in question.buttons] == [False, True]
        with pytest.raises(ValueError, match="disabled"):
            await alice.click(question, "answer:reveal")


async def test_components_v2_button_inside_a_container(discord_double: DiscordDouble) -> None:
    alice = discord_double.member("alice")
    async with discord_double.running(make_bot(discord_double)):
        shown = await alice.slash("card")
        assert shown.message is not None and shown.message.flags & (1 << 15)
        assert (await alice.click(shown.message, label="Flip")).content == "A: low-rank adapters"


async def test_select_menu(discord_double: DiscordDouble) -> None:
    alice = discord_double.member("alice")
    async with discord_double.running(make_bot(discord_double)):
        question = (await alice.slash("answer")).message
        assert question is not None
        assert (await alice.select(question, ["hard"])).content == "difficulty: hard"
        with pytest.raises(ValueError, match="offers"):
            await alice.select(question, ["impossible"])


async def test_modal_opened_from_a_button_and_submitted(discord_double: DiscordDouble) -> None:
    alice = discord_double.member("alice")
    async with discord_double.running(make_bot(discord_double)):
        question = (await alice.slash("answer")).message
        assert question is not None
        opened = await alice.click(question, label="Answer")
        assert opened.callback_type == "modal" and opened.modal is not None
        assert opened.modal.title == "Your answer"
        assert set(opened.modal.fields) >= {"note"}
        submitted = await alice.submit_modal(opened.modal, {"Answer": "42", "note": "easy"})
        assert submitted.content == "got 42 (easy)" and submitted.ephemeral
        with pytest.raises(ValueError, match="required"):
            await alice.submit_modal(opened.modal, note="forgot the answer")


async def test_dynamic_item_button_survives_a_restart(discord_double: DiscordDouble) -> None:
    alice = discord_double.member("alice")
    async with discord_double.running(make_bot(discord_double)):
        posted = (await alice.slash("vote")).message
        assert posted is not None
        assert (await alice.click(posted, label="Vote a")).content == "voted a"
    async with discord_double.running(make_bot(discord_double)):
        assert (await alice.click(posted, "vote:b")).content == "voted b"
    assert len(discord_double.gateway.identifies) == 2


async def test_raw_reactions_reach_the_bot(discord_double: DiscordDouble) -> None:
    alice = discord_double.member("alice")
    async with discord_double.running(make_bot(discord_double)) as bot:
        posted = (await alice.slash("vote")).message
        assert posted is not None
        assert discord_double.bot_reactions(posted) == ["✅"]  # added before the command returned
        await alice.react(posted, "👍")
        await alice.unreact(posted, "👍")
        mine = [r for r in bot.raw_reactions if r[2] == alice.id]
        assert mine == [("add", "👍", alice.id), ("remove", "👍", alice.id)]


async def test_file_uploads_are_recorded_with_names_and_bytes(discord_double: DiscordDouble) -> None:
    alice = discord_double.member("alice")
    async with discord_double.running(make_bot(discord_double)):
        result = await alice.slash("report")
        await result.settled()
        response, raw = discord_double.bot_messages("general")
        assert [(a.filename, a.data) for a in response.attachments] == [("report.csv", b"score,1\n")]
        assert [(a.filename, a.data) for a in raw.attachments] == [("raw.bin", b"\x00\x01")]


async def test_threads_dms_and_prefix_messages(discord_double: DiscordDouble) -> None:
    alice = discord_double.member("alice")
    async with discord_double.running(make_bot(discord_double)):
        await (await alice.slash("discuss", topic="KV cache")).settled()
        (thread,) = discord_double.threads("general")
        assert thread.name == "KV cache"
        assert [m.content for m in discord_double.messages(thread)] == ["Discuss here"]
        await (await alice.slash("remind")).settled()
        assert [m.content for m in discord_double.dms(alice)] == ["Reminder: practise RAG"]
        await alice.send_dm("thanks")
        assert discord_double.dms(alice)[-1].content == "got your DM: thanks"
        await alice.send("!ping")
        assert discord_double.bot_messages("general")[-1].content == "pong"


async def test_allowed_mentions_are_recorded(discord_double: DiscordDouble) -> None:
    alice = discord_double.member("alice")
    async with discord_double.running(make_bot(discord_double)):
        echoed = await alice.slash("echo", text="@everyone <@&1> hi")
        assert echoed.message is not None
        assert echoed.message.allowed_mentions == {"parse": []}
        assert_no_pings(echoed.message)
        await alice.send("!ping")
        pong = discord_double.bot_messages("general")[-1]
        with pytest.raises(AssertionError, match="could ping"):
            assert_no_pings(pong)  # sent without allowed_mentions: Discord parses every mention


class NoContentBot(discord.Client):
    """Without the message_content intent a bot sees empty content, as on Discord."""

    def __init__(self, **options: Any) -> None:
        super().__init__(intents=discord.Intents.default(), **options)
        self.seen: list[str] = []

    async def on_message(self, message: discord.Message) -> None:
        self.seen.append(message.content)


async def test_message_content_needs_the_intent(discord_double: DiscordDouble) -> None:
    alice = discord_double.member("alice")
    async with discord_double.running(NoContentBot) as bot:
        await alice.send("hello there")
        await alice.send(f"<@{discord_double.bot_id}> hello bot")
        await alice.send_dm("hello in private")
        assert bot.seen == ["", f"<@{discord_double.bot_id}> hello bot", "hello in private"]
