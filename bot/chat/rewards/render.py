"""Texts and embeds of the rewards: the settings, the best answer's highlight and line, the nudge DM."""

from __future__ import annotations

import discord

from bot.chat.shared.embeds import COLOR, HIGHLIGHT_COLOR, TITLE_LIMIT, clip, discord_time
from bot.i18n import t
from bot.storage.rewards import NudgeTarget, RewardsSettings

STAR = "⭐"


def settings_text(settings: RewardsSettings, language: str) -> str:
    best = (t("rewards.status.best_on", language, minutes=settings.delay_minutes) if settings.best_answer
            else t("rewards.status.best_off", language))
    nudges = t("rewards.status.nudges_on" if settings.nudges else "rewards.status.nudges_off", language)
    return f"{best}\n{nudges}"


def highlighted(embed: discord.Embed) -> discord.Embed:
    """The answer's embed marked best: a star before its title, the highlight colour."""
    title = embed.title or ""
    if not title.startswith(STAR):
        embed.title = clip(f"{STAR} {title}", TITLE_LIMIT)
    embed.colour = HIGHLIGHT_COLOR
    return embed


def best_line(name: str, points: int, manager: str | None, jump_url: str | None, language: str) -> str:
    key = "rewards.best.line_manager" if manager else "rewards.best.line_auto"
    line = t(key, language, name=name, points=points, manager=manager or "")
    return f"{line} {jump_url}" if jump_url else line


def jump_url(guild_id: int, channel_id: int, message_id: int | None) -> str | None:
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}" if message_id else None


def nudge_embed(target: NudgeTarget) -> discord.Embed:
    """Where and when, never what: no answer, no key point, not even the question."""
    language = target.language
    embed = discord.Embed(title=t("rewards.nudge.title", language), colour=COLOR, description=t(
        "rewards.nudge.text", language, channel=f"<#{target.channel_id}>",
        reveal=discord_time(target.reveal_due_at, "R")))
    link = jump_url(target.guild_id, target.channel_id, target.message_id)
    if link:
        embed.add_field(name=t("rewards.nudge.open", language), value=link, inline=False)
    embed.set_footer(text=t("rewards.nudge.footer", language))
    return embed
