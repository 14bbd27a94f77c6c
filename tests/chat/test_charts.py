"""The /stats and /groups pictures: Noto Sans CJK from its package, every topic of the bank drawn in Chinese with no
missing glyph, and the dark-theme palette."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import noto_cjk_sans_otc
import pytest
from glyphs import no_missing_glyphs
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font
from PIL import Image, ImageColor

from bot.chat.boards.chart import MAX_GROUPS, render_groups_png
from bot.chat.boards.chart import SIZE as GROUPS_SIZE
from bot.chat.stats import style
from bot.chat.stats.chart import SIZE, render_png
from bot.domain.bank import Bank
from bot.domain.progress import TopicMastery, heatmap
from bot.services.boards import GroupProgress, GroupsProgress
from bot.storage.boards import GroupRow

TODAY = date(2026, 11, 30)
TRADITIONAL = "長上下文與高效注意力 推理與部署 評測 智能體與工具調用 多模態模型 綜合問題"


def every_topic(bank: Bank) -> list[TopicMastery]:
    return [TopicMastery(topic.id, index + 1, (index % 11) / 10, 1, 0, 0) for index, topic in enumerate(bank.topics)]


def names(bank: Bank, language: str) -> dict[str, str]:
    return {topic.id: topic.name(language) for topic in bank.topics}


def picture(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG"
    return image.convert("RGB")


def test_the_chinese_font_is_the_packaged_noto_sans_cjk_with_simplified_and_traditional_faces(
    shipped_bank: Bank,
) -> None:
    style.register_font()
    style.register_font()  # once is enough; again changes nothing
    path = font_manager.findfont(font_manager.FontProperties(family=style.CJK_FAMILY), fallback_to_default=False)
    assert Path(path) == Path(str(noto_cjk_sans_otc.FONT_PATH))
    faces = [entry.name for entry in font_manager.fontManager.ttflist if entry.fname == path]
    assert {"Noto Sans CJK SC", "Noto Sans CJK TC"} <= set(faces) and len(faces) == len(set(faces))
    charmap = FT2Font(path).get_charmap()
    text = "".join(t.name_zh + t.name_en for t in shipped_bank.topics) + TRADITIONAL
    assert [c for c in text if not c.isspace() and ord(c) not in charmap] == []
    assert style.families("zh")[0] == style.CJK_FAMILY and style.families("en")[0] == style.LATIN_FAMILY


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_stats_chart_draws_every_topic_of_the_bank_with_no_missing_glyph(shipped_bank: Bank,
                                                                             language: str) -> None:
    assert len(shipped_bank.topics) == 17
    counts = Counter({TODAY - timedelta(days=day): day % 5 for day in range(0, 150, 3)})
    with no_missing_glyphs():
        png = render_png(heatmap(counts, TODAY), every_topic(shipped_bank), names(shipped_bank, language), language)
    image = picture(png)
    assert image.size == SIZE
    colours = {colour for _, colour in image.getcolors(maxcolors=1_000_000)}
    assert image.getpixel((2, 2)) == ImageColor.getrgb(style.BACKGROUND)  # Discord's dark theme behind it all
    assert {ImageColor.getrgb(c) for c in (*style.HEATMAP, style.EMPTY, style.BAR)} <= colours


def test_a_chinese_chart_differs_from_the_english_one(shipped_bank: Bank) -> None:
    """The topic names and titles really are drawn in the language (not ids, not boxes)."""
    today = heatmap({}, TODAY)
    topics = every_topic(shipped_bank)
    with no_missing_glyphs():
        zh = render_png(today, topics, names(shipped_bank, "zh"), "zh")
        en = render_png(today, topics, names(shipped_bank, "en"), "en")
        ids = render_png(today, topics, None, "en")
    assert len({zh, en, ids}) == 3


def groups_chart(bank: Bank) -> GroupsProgress:
    group_names = ["晨读小组", "Night owls", "周末$冲刺$班", "算法组 🦜", "RAG 读书会", "長上下文研究組", "🦜🦜", "八"]
    groups = []
    for index, name in enumerate(group_names):
        weekly = tuple((index * 3 + week * 2) % 9 for week in range(12))
        topics = [TopicMastery(topic.id, (index + column) % 5, ((index + column) % 11) / 10 if column % 4 else None,
                               0, 0, 0)
                  for column, topic in enumerate(bank.topics) if (index + column) % 5]
        groups.append(GroupProgress(GroupRow(index + 1, 1, name, None, 5), weekly, topics))
    return GroupsProgress(TODAY - timedelta(weeks=11, days=TODAY.weekday()), TODAY, groups)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_groups_chart_draws_every_topic_and_group_name_with_no_missing_glyph(shipped_bank: Bank,
                                                                                 language: str) -> None:
    chart = groups_chart(shipped_bank)
    assert len(chart.groups) == MAX_GROUPS
    assert {m.topic_id for g in chart.groups for m in g.topics} == {t.id for t in shipped_bank.topics}
    with no_missing_glyphs():
        png = render_groups_png(chart, names(shipped_bank, language), language)
    image = picture(png)
    assert image.size == GROUPS_SIZE
    assert image.getpixel((2, 2)) == ImageColor.getrgb(style.BACKGROUND)
    colours = {colour for _, colour in image.getcolors(maxcolors=1_000_000)}
    assert {ImageColor.getrgb(c) for c in style.SERIES} <= colours  # one line colour per group


def test_a_groups_chart_without_answers_yet_still_draws(shipped_bank: Bank) -> None:
    quiet = GroupsProgress(TODAY - timedelta(weeks=11, days=TODAY.weekday()), TODAY,
                           [GroupProgress(GroupRow(1, 1, "新小组", 7, None), (0,) * 12, [])])
    with no_missing_glyphs():
        image = picture(render_groups_png(quiet, names(shipped_bank, "zh"), "zh"))
    assert image.size == GROUPS_SIZE


def test_names_lose_only_what_no_font_can_draw() -> None:
    assert style.drawable("🦜 晨读  小组 ✨") == "晨读 小组"
    assert style.drawable("長上下文 · Night owls — 1") == "長上下文 · Night owls — 1"
    assert style.plain("$x$") == r"\$x\$"  # drawn as written, not as mathematics
    assert style.axis_label("Long context and efficient attention") == "Long context and\nefficient attention"


def test_the_glyph_check_fails_on_a_box(shipped_bank: Bank, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the Chinese font in the families, matplotlib warns of missing glyphs and the check fails."""
    monkeypatch.setattr(style, "families", lambda _language: [style.LATIN_FAMILY])
    with pytest.raises(AssertionError, match="missing from font"), no_missing_glyphs():
        render_png(heatmap({}, TODAY), every_topic(shipped_bank), names(shipped_bank, "zh"), "zh")


def test_the_docker_image_installs_the_font_and_checks_it_at_build_time() -> None:
    """The image installs the project (so its dependencies, the font among them) and fails to build without it."""
    import re
    import tomllib

    root = Path(__file__).parents[2]
    dependencies = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert any(d.startswith("noto-cjk-sans-otc") for d in dependencies)
    dockerfile = (root / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^RUN pip install \. ", dockerfile, flags=re.MULTILINE)
    assert re.search(r"^RUN python -m bot\.chat\.stats\.style$", dockerfile, flags=re.MULTILINE)
    assert style.font_path() == str(noto_cjk_sans_otc.FONT_PATH)
