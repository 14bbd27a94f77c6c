"""/stats and /groups for a member whose Discord is in Chinese: charts in Chinese, with no missing glyph."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from board_seed import text
from clock import FakeClock
from discord_double import DiscordDouble
from glyphs import no_missing_glyphs
from PIL import Image, ImageColor
from study_bot import study_bot_factory, utc
from test_qotd_day import question_of
from test_stats_privacy import a_revealed_day

from bot.chat.boards import cog as boards_cog
from bot.chat.boards.chart import SIZE as GROUPS_SIZE
from bot.chat.stats import cog as stats_cog
from bot.chat.stats import style
from bot.chat.stats.chart import SIZE
from bot.services.boards import BoardService


@pytest.fixture(scope="module", autouse=True)
def _matplotlib_loaded() -> None:
    """matplotlib's first import and font cache can take seconds on a fresh machine: pay it outside the tests."""
    from bot.chat.stats.chart import render_png
    from bot.domain.progress import heatmap

    render_png(heatmap({}, utc("2026-01-01T00:00:00").date()), [], None, "zh")


def picture(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    assert image.format == "PNG"
    return image.convert("RGB")


def drawn_in_threads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the threads the /stats and /groups charts are drawn in, as they are drawn."""
    threads: list[str] = []
    for module in (stats_cog, boards_cog):
        name = "render_png" if module is stats_cog else "render_groups_png"
        original = getattr(module, name)

        def recorded(*args: object, _original=original) -> bytes:
            threads.append(threading.current_thread().name)
            return _original(*args)

        monkeypatch.setattr(module, name, recorded)
    return threads


async def test_a_chinese_member_sees_stats_and_groups_charts_in_chinese_with_no_missing_glyph(
    discord_double: DiscordDouble, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    double = discord_double
    threads = drawn_in_threads(monkeypatch)
    clock = FakeClock(utc("2026-11-30T00:00:00"))
    alice, bob, owner = double.member("alice"), double.member("bob"), double.member("owner")
    crew = double.add_role("晨读")
    for member in (alice, bob):
        double.guild.members[member.id].role_ids.append(crew.id)
    async with double.running(study_bot_factory(tmp_path, clock)) as bot:
        post, _answers = await a_revealed_day(double, bot, clock)  # alice and bob answer, then the reveal
        topic = question_of(bot.bank, post).topic_id
        added = await owner.slash("group add", name="晨读小组 🦜", role=crew)
        assert "晨读小组 🦜" in added.content
        alice.locale = "zh-CN"

        with no_missing_glyphs():  # the renders run in worker threads; their warnings are caught all the same
            stats = await alice.slash("stats")
            groups = await alice.slash("groups", period="all")
        # The bot's event loop is this test's: the charts were drawn in other threads, off the loop.
        assert len(threads) == 2 and threading.current_thread().name not in threads
        assert stats.callback_type == "deferred" and stats.ephemeral
        assert f"{alice.mention} 的学习进度" in text(stats)
        (chart,) = stats.message.attachments
        image = picture(chart.data)
        assert chart.filename == "stats.png" and image.size == SIZE
        assert image.getpixel((2, 2)) == ImageColor.getrgb(style.BACKGROUND)

        assert groups.callback_type == "deferred" and groups.ephemeral
        assert "小组排行" in groups.embeds[0]["title"] and "晨读小组 🦜" in groups.embeds[0]["description"]
        assert groups.embeds[0]["image"]["url"] == "attachment://groups.png"
        (group_chart,) = groups.message.attachments
        image = picture(group_chart.data)
        assert group_chart.filename == "groups.png" and image.size == GROUPS_SIZE
        assert image.getpixel((2, 2)) == ImageColor.getrgb(style.BACKGROUND)
        colours = {colour for _, colour in image.getcolors(maxcolors=1_000_000)}
        assert ImageColor.getrgb(style.SERIES[0]) in colours  # the group's line

        english = await bob.slash("groups", period="all")  # the same picture in English is another picture
        assert "Study groups" in english.embeds[0]["title"]
        assert english.message.attachments[0].data != group_chart.data

        # The figures behind the picture: this week's two answers, both in the day's topic.
        (group,) = await bot.services.get(BoardService).groups(double.guild.id)
        progress = await bot.services.get(BoardService).groups_progress(
            double.guild.id, [group], clock.now(), lambda _role: {alice.id, bob.id})
        (figures,) = progress.groups
        assert len(figures.weekly) == 12 and figures.weekly[-1] == 2 and sum(figures.weekly) == 2
        assert [(m.topic_id, m.answers) for m in figures.topics] == [(topic, 2)]
        assert progress.today.isoformat() == "2026-11-30" and progress.first_monday.weekday() == 0


async def test_groups_without_a_group_sends_no_picture(discord_double: DiscordDouble, tmp_path: Path) -> None:
    double = discord_double
    alice = double.member("alice")
    alice.locale = "zh-CN"
    async with double.running(study_bot_factory(tmp_path, FakeClock(utc("2026-11-30T00:00:00")))):
        result = await alice.slash("groups")
        assert result.ephemeral and result.embeds and not result.message.attachments
        assert "image" not in result.embeds[0]
