"""The harness's own tests: every enforced Discord rule rejects a deliberately bad reply.

The test bot's `/bad case:<rule>` answers with a body that breaks exactly that rule, through discord.py's
own API where discord.py does not check it locally, or through a raw request where it does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import discord
import pytest
from discord import app_commands
from discord.http import Route
from discord_double import DiscordDouble, NoResponse

Case = Callable[[discord.Interaction], Awaitable[Any]]


async def raw_callback(interaction: discord.Interaction, body: dict[str, Any]) -> None:
    route = Route(
        "POST",
        "/interactions/{interaction_id}/{interaction_token}/callback",
        interaction_id=interaction.id,
        interaction_token=interaction.token,
    )
    await interaction.client.http.request(route, json=body)


def reply(**kwargs: Any) -> Case:
    return lambda interaction: interaction.response.send_message(**kwargs)


def embed(**kwargs: Any) -> discord.Embed:
    return discord.Embed(**kwargs)


def fields(count: int, name: str = "n", value: str = "v") -> discord.Embed:
    built = discord.Embed(title="t")
    for _ in range(count):
        built.add_field(name=name, value=value)
    return built


def with_button(**kwargs: Any) -> Case:
    view = discord.ui.View()
    view.add_item(discord.ui.Button(**kwargs))
    return reply(content="buttons", view=view)


def rows(count: int, per_row: int) -> Case:
    button = {"type": 2, "style": 1, "label": "b", "custom_id": "b"}
    components = [
        {"type": 1, "components": [button | {"custom_id": f"b{r}-{i}"} for i in range(per_row)]}
        for r in range(count)
    ]
    return lambda i: raw_callback(i, {"type": 4, "data": {"content": "rows", "components": components}})


def modal(title: str = "Quiz", *inputs: discord.ui.TextInput[Any]) -> Case:
    built = discord.ui.Modal(title=title)
    for item in inputs or (discord.ui.TextInput(label="Answer"),):
        built.add_item(item)
    return lambda interaction: interaction.response.send_modal(built)


def six_input_modal(interaction: discord.Interaction) -> Awaitable[None]:
    text = {"type": 4, "style": 1, "label": "x"}
    components = [{"type": 1, "components": [text | {"custom_id": f"t{i}"}]} for i in range(6)]
    data = {"custom_id": "m", "title": "Quiz", "components": components}
    return raw_callback(interaction, {"type": 9, "data": data})


def register(commands: list[dict[str, Any]]) -> Case:
    async def run(interaction: discord.Interaction) -> None:
        client = interaction.client
        try:
            await client.http.bulk_upsert_global_commands(client.application_id, commands)  # type: ignore[arg-type]
        except discord.HTTPException as error:
            await interaction.response.send_message(f"rejected {error.status} {error.code}")

    return run


def command(name: str = "ok", description: str = "fine", **extra: Any) -> dict[str, Any]:
    return {"name": name, "description": description, "type": 1, **extra}


def option(index: int) -> dict[str, Any]:
    return {"type": 3, "name": f"o{index}", "description": "d"}


CASES: dict[str, Case] = {
    "content.length": reply(content="x" * 2001),
    "embed.title": reply(embed=embed(title="x" * 257)),
    "embed.description": reply(embed=embed(description="x" * 4097)),
    "embed.field.name": reply(embed=fields(1, name="x" * 257)),
    "embed.field.value": reply(embed=fields(1, value="x" * 1025)),
    "embed.fields": reply(embed=fields(26)),
    "embed.footer": reply(embed=embed(title="t").set_footer(text="x" * 2049)),
    "embed.author": reply(embed=embed(title="t").set_author(name="x" * 257)),
    "embeds.total": reply(embeds=[embed(description="x" * 3500), embed(description="y" * 3500)]),
    "embeds.count": lambda i: raw_callback(i, {"type": 4, "data": {"embeds": [{"title": "t"}] * 11}}),
    "components.rows": rows(6, 1),
    "components.row_width": rows(1, 6),
    "button.label": with_button(label="x" * 81, custom_id="long-label"),
    "component.custom_id": with_button(label="ok", custom_id="x" * 101),
    "modal.title": modal("x" * 46),
    "text_input.label": modal("Quiz", discord.ui.TextInput(label="x" * 46)),
    "text_input.value": modal("Quiz", discord.ui.TextInput(label="Answer", default="x" * 4001)),
    "modal.components": six_input_modal,
    "command.name": register([command("Bad Name")]),
    "command.description": register([command(description="x" * 101)]),
    "command.options": register([command(options=[option(i) for i in range(26)])]),
    "commands.count": register([command(f"c{i}") for i in range(101)]),
    # No limit covers an embed colour; Discord's OpenAPI schema does (0 to 0xFFFFFF).
    "schema": lambda i: raw_callback(i, {"type": 4, "data": {"embeds": [{"color": 2**24}]}}),
}


@app_commands.command(description="Break a rule")
async def bad(interaction: discord.Interaction, case: str) -> None:
    try:
        await CASES[case](interaction)
    except discord.HTTPException as error:
        interaction.client.rejections.append(error)  # type: ignore[attr-defined]


@app_commands.command(description="Calls a route the double does not implement")
async def emojis(interaction: discord.Interaction) -> None:
    try:
        await interaction.guild.fetch_emojis()  # type: ignore[union-attr]
    except discord.NotFound:
        await interaction.response.send_message("no emojis")


@app_commands.command(description="Pick a topic")
async def pick(interaction: discord.Interaction, topic: str) -> None:
    await interaction.response.send_message(topic)


@pick.autocomplete("topic")
async def too_many_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=f"t{i}", value=f"t{i}") for i in range(26)]


@app_commands.command(description="Answers too late")
async def late(interaction: discord.Interaction) -> None:
    await interaction.client.released.wait()  # type: ignore[attr-defined]  # the test lets it go late
    await interaction.response.send_message("too late")


@app_commands.command(description="Answers twice")
async def twice(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("once")
    try:
        await raw_callback(interaction, {"type": 4, "data": {"content": "twice"}})
    except discord.HTTPException as error:
        interaction.client.rejections.append(error)  # type: ignore[attr-defined]


class LimitsBot(discord.Client):
    def __init__(self, **options: Any) -> None:
        super().__init__(intents=discord.Intents.default(), **options)
        self.tree = app_commands.CommandTree(self)
        self.rejections: list[discord.HTTPException] = []
        self.released = asyncio.Event()
        for command in (bad, emojis, pick, late, twice):
            self.tree.add_command(command)

    async def setup_hook(self) -> None:
        await self.tree.sync()


@pytest.mark.parametrize("rule", list(CASES))
async def test_each_limit_rejects_a_bad_reply(discord_double: DiscordDouble, rule: str) -> None:
    if rule == "schema" and discord_double.schemas is None:
        pytest.skip("Discord's OpenAPI spec is absent")
    alice = discord_double.member("alice")
    async with discord_double.running(LimitsBot) as bot:
        with discord_double.expect_violation(rule) as claimed:
            result = await alice.slash("bad", case=rule)
        assert rule in {v.rule for v in claimed}
        if rule.startswith("command"):
            assert result.content == "rejected 400 50035"
        else:
            assert result.callback is None and result.rejections
            (error,) = bot.rejections
            assert (error.status, error.code) == (400, 50035)


async def test_more_than_25_autocomplete_choices_are_rejected(discord_double: DiscordDouble) -> None:
    async with discord_double.running(LimitsBot):
        with discord_double.expect_violation("autocomplete.choices"):
            choices = await discord_double.member("alice").autocomplete("pick", focused="topic")
        assert choices == []
        (error,) = discord_double.take_client_errors()  # discord.py logs the failed autocomplete
        assert error.exc_info is not None and getattr(error.exc_info[1], "code", None) == 50035


async def test_a_late_first_response_misses_the_deadline(discord_double: DiscordDouble) -> None:
    discord_double.interaction_deadline = 0.1
    async with discord_double.running(LimitsBot) as bot:
        with discord_double.expect_violation("interaction.deadline"), pytest.raises(NoResponse):
            await discord_double.member("alice").slash("late")
        bot.released.set()
        (result,) = discord_double.interactions.values()
        await result.settled()  # the late answer got Discord's 404 "Unknown interaction"
        assert result.callback is None and result.callback_attempts == 1
    (error,) = discord_double.take_client_errors()
    cause = error.exc_info[1].__cause__  # type: ignore[index,union-attr]
    assert isinstance(cause, discord.NotFound) and cause.code == 10062


async def test_a_second_initial_response_is_rejected(discord_double: DiscordDouble) -> None:
    async with discord_double.running(LimitsBot) as bot:
        with discord_double.expect_violation("interaction.acknowledged"):
            result = await discord_double.member("alice").slash("twice")
            await result.settled()
        assert result.content == "once"
        assert [e.code for e in bot.rejections] == [40060]


@pytest.mark.discord_violations("content.length")
async def test_a_marker_declares_expected_violations(discord_double: DiscordDouble) -> None:
    async with discord_double.running(LimitsBot):
        await discord_double.member("alice").slash("bad", case="content.length")


async def test_a_route_the_double_lacks_is_reported(discord_double: DiscordDouble) -> None:
    async with discord_double.running(LimitsBot):
        with discord_double.expect_violation("harness.unsupported_route") as claimed:
            assert (await discord_double.member("alice").slash("emojis")).content == "no emojis"
    assert claimed[0].route.endswith("/emojis")
