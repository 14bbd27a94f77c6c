"""Helpers of the boards' end-to-end tests: points entered through the ledger's public API, embed text, a member
leaving or rejoining the guild as the gateway tells it."""

from __future__ import annotations

from typing import Any

from discord_double import DiscordDouble, InteractionResult, Member, Message
from discord_double import payloads as double_payloads
from discord_double.gateway import GUILD_MEMBERS
from discord_double.state import GuildMember

from bot.chat.client import StudyBot
from bot.storage.database import transaction
from bot.storage.points import LedgerEntry, PointsRepository


async def award(bot: StudyBot, double: DiscordDouble, member: Member, points: int, *, day: str,
                topic: str | None = "rag", source: str = "answer", reason: str = "answer_on_time",
                source_id: int = 1) -> None:
    """Points as the daily question (source "answer") or a quiz (source "quiz") enters them."""
    async with transaction(bot.db):
        await PointsRepository(bot.db).award(LedgerEntry(double.guild.id, member.id, points, reason, source,
                                                         source_id, day, topic))


def text(item: InteractionResult | Message) -> str:
    embeds = item.embeds
    parts = [item.content or ""]
    for embed in embeds:
        parts += [embed.get("title") or "", embed.get("description") or "",
                  (embed.get("footer") or {}).get("text") or ""]
        parts += [f"{f['name']} {f['value']}" for f in embed.get("fields") or []]
    return "\n".join(parts)


def board_lines(result: InteractionResult) -> list[str]:
    """The ranked lines of a board embed ("**1.** <@id> — 40 pts · 🔥 2d")."""
    return [line for line in (result.embeds[0].get("description") or "").splitlines() if line.startswith("**")]


def you(result: InteractionResult) -> str:
    return next(f["value"] for f in result.embeds[0]["fields"] if f["name"] == "You")


def button(result: InteractionResult, label: str) -> dict[str, Any]:
    assert result.message is not None
    return next(b for b in result.message.buttons if b["label"] == label)


async def leave(double: DiscordDouble, member: Member) -> None:
    """The member leaves the guild: Discord drops them and sends GUILD_MEMBER_REMOVE (members intent)."""
    double.guild.members.pop(member.id)
    double.state.touch()
    data = {"guild_id": str(double.guild.id), "user": double_payloads.user(member.user)}
    delivery = await double.deliver("GUILD_MEMBER_REMOVE", data, intent=GUILD_MEMBERS)
    assert not delivery.filtered, "the bot should have the members intent"
    await delivery.settle(double.timeout)


async def rejoin(double: DiscordDouble, member: Member) -> None:
    double.guild.members[member.id] = GuildMember(member.id)
    double.state.touch()
    data = double_payloads.member(double.state, double.guild, member.id) | {"guild_id": str(double.guild.id)}
    delivery = await double.deliver("GUILD_MEMBER_ADD", data, intent=GUILD_MEMBERS)
    await delivery.settle(double.timeout)
