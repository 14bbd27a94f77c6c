"""The /groups picture: each study group's answers per week, and its key-point coverage by topic, as a PNG.

Like the /stats chart (same fonts and dark-theme palette, `bot.chat.stats.style`), it uses matplotlib's object API
with the Agg canvas, so `render_groups_png` runs in a worker thread (`asyncio.to_thread`). Only group and topic
names are drawn, as plain text; no member is named in the picture.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from bot.chat.stats import style
from bot.i18n import t
from bot.services.boards import GroupProgress, GroupsProgress

WIDTH_INCHES, HEIGHT_INCHES, DPI = 10.0, 7.5, 100
SIZE = (int(WIDTH_INCHES * DPI), int(HEIGHT_INCHES * DPI))  # the PNG's pixels: (1000, 750)
MAX_GROUPS = len(style.SERIES)  # one colour each; /groups draws the best-ranked ones
_BRIGHT = 0.6  # coverage from which a cell is light enough for dark text


def render_groups_png(chart: GroupsProgress, topic_names: Mapping[str, str], language: str) -> bytes:
    """The picture as PNG bytes, exactly `SIZE` pixels, for at most `MAX_GROUPS` groups (in the order given)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    style.register_font()
    groups = chart.groups[:MAX_GROUPS]
    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI, facecolor=style.BACKGROUND)
    FigureCanvasAgg(figure)
    grid = figure.add_gridspec(2, 1, height_ratios=(1.0, 1.0), hspace=0.6, left=0.16, right=0.97, top=0.9,
                               bottom=0.19)
    _activity(figure.add_subplot(grid[0]), chart, groups, language)
    _mastery(figure.add_subplot(grid[1]), groups, topic_names, language)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor=style.BACKGROUND)
    return buffer.getvalue()


def _name(item: GroupProgress) -> str:
    """The group's name as the picture can draw it (its number if nothing of it can be drawn)."""
    return style.plain(style.drawable(item.group.name) or f"#{item.group.id}")


def _activity(top: Any, chart: GroupsProgress, groups: list[GroupProgress], language: str) -> None:
    """One line per group: its answers in each of the last weeks."""
    import numpy as np

    style.dark_axes(top)
    weeks = len(groups[0].weekly) if groups else 0
    positions = np.arange(weeks)
    for index, item in enumerate(groups):
        top.plot(positions, item.weekly, color=style.SERIES[index], marker="o", markersize=4, linewidth=2,
                 label=_name(item))
    mondays = [chart.first_monday + timedelta(weeks=week) for week in range(weeks)]
    top.set_xticks(positions, [monday.strftime("%m-%d") for monday in mondays], **style.text(language, 8))
    top.set_xlabel(t("chart.groups.week_axis", language), **style.text(language, 8))
    most = max((max(item.weekly) for item in groups if item.weekly), default=0)
    step = max(1, -(-most // 5))  # at most about six whole-number ticks
    ticks = list(range(0, most + step, step)) if most else [0, 1]
    top.set_yticks(ticks, [str(tick) for tick in ticks], **style.text(language, 8))
    top.set_ylim(0, max(most, 1) * 1.15)  # after the ticks, which would widen it to the last one
    top.yaxis.grid(True, color=style.GRID, linewidth=0.5)
    top.set_axisbelow(True)
    for side in ("top", "right"):
        top.spines[side].set_visible(False)
    if groups:
        # Above the lines, under the title, so it never hides a week.
        top.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=min(4, len(groups)), frameon=False,
                   prop={"family": style.families(language), "size": 8}, labelcolor=style.TEXT, borderaxespad=0.2)
    top.set_title(t("chart.groups.activity_title", language, weeks=weeks, today=chart.today.isoformat()),
                  loc="left", pad=8 + 14 * -(-min(len(groups), MAX_GROUPS) // 4), **style.text(language, 10))


def _mastery(bottom: Any, groups: list[GroupProgress], topic_names: Mapping[str, str], language: str) -> None:
    """Groups by topics: the cell's colour is the mean key-point coverage, its number the answers."""
    import numpy as np
    from matplotlib import colormaps

    style.dark_axes(bottom)
    shown = [topic for topic in topic_names
             if any(m.topic_id == topic and m.answers for item in groups for m in item.topics)]
    if groups and shown:
        by_topic = [{m.topic_id: m for m in item.topics} for item in groups]
        coverage = np.array([[by[topic].coverage if topic in by and by[topic].coverage is not None else np.nan
                              for topic in shown] for by in by_topic], dtype=float)
        cmap = colormaps[style.COVERAGE_MAP].with_extremes(bad=style.EMPTY)
        bottom.pcolormesh(np.ma.masked_invalid(coverage), cmap=cmap, vmin=0, vmax=1, edgecolors=style.BACKGROUND,
                          linewidth=2)
        for row, by in enumerate(by_topic):
            for column, topic in enumerate(shown):
                if topic in by:
                    value = coverage[row, column]
                    dark_text = not np.isnan(value) and value >= _BRIGHT
                    bottom.text(column + 0.5, row + 0.5, str(by[topic].answers), ha="center", va="center",
                                **style.text(language, 7, color=style.BACKGROUND if dark_text else style.TEXT))
        bottom.invert_yaxis()
        bottom.set_xticks([column + 0.5 for column in range(len(shown))],
                          [style.axis_label(topic_names[topic]) for topic in shown], rotation=35, ha="right",
                          rotation_mode="anchor", **style.text(language, 8))
        bottom.set_yticks([row + 0.5 for row in range(len(groups))],
                          [_name(item) for item in groups], **style.text(language, 8))
        for label, index in zip(bottom.get_yticklabels(), range(len(groups)), strict=True):
            label.set_color(style.SERIES[index])  # each row in its line's colour
        bottom.tick_params(length=0)
        for side in bottom.spines.values():
            side.set_visible(False)
    else:
        bottom.text(0.5, 0.5, t("chart.no_answers", language), ha="center", va="center",
                    transform=bottom.transAxes, **style.text(language, 10))
        bottom.set_xticks([])
        bottom.set_yticks([])
    bottom.set_title(t("chart.groups.mastery_title", language), loc="left", **style.text(language, 10))
