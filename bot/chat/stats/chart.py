"""The /stats picture: an activity heatmap of the last 26 weeks and key-point coverage by topic, as a PNG.

matplotlib's object API with the Agg canvas (no pyplot, no global state but the font manager, which
`style.register_font` fills once under a lock), so it is safe in a worker thread; call `render_png` through
`asyncio.to_thread`. Texts and topic names are in the member's language, in Noto Sans CJK for Chinese; members'
names stay in the embed.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import timedelta

from bot.chat.stats import style
from bot.domain.progress import Heatmap, TopicMastery
from bot.i18n import t

WIDTH_INCHES, HEIGHT_INCHES, DPI = 10.0, 6.0, 100
SIZE = (int(WIDTH_INCHES * DPI), int(HEIGHT_INCHES * DPI))  # the PNG's pixels: (1000, 600)


def render_png(heatmap: Heatmap, topics: list[TopicMastery], topic_names: Mapping[str, str] | None = None,
               language: str = "en") -> bytes:
    """The chart as PNG bytes, exactly `SIZE` pixels; `topic_names` maps topic ids to names in `language`."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure

    style.register_font()
    names_of = topic_names or {}
    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI, facecolor=style.BACKGROUND)
    FigureCanvasAgg(figure)
    grid = figure.add_gridspec(2, 1, height_ratios=(1.1, 1.0), hspace=0.55, left=0.08, right=0.97, top=0.93,
                               bottom=0.2)

    top = figure.add_subplot(grid[0])
    style.dark_axes(top)
    cells = np.array([[np.nan if value is None else value for value in row] for row in heatmap.cells], dtype=float)
    shades = ListedColormap([style.EMPTY, *style.HEATMAP])
    levels = np.where(np.isnan(cells), np.nan, np.clip(cells, 0, 4))
    top.pcolormesh(np.ma.masked_invalid(levels), cmap=shades, vmin=0, vmax=4, edgecolors=style.BACKGROUND,
                   linewidth=2)
    top.set_aspect("equal")
    top.invert_yaxis()
    top.set_yticks([row + 0.5 for row in range(7)], t("chart.weekdays", language).split(","),
                   **style.text(language, 8))
    weeks = len(heatmap.cells[0])
    month_names = t("chart.months", language).split(",")
    mondays = [heatmap.first_monday + timedelta(weeks=week) for week in range(weeks)]
    months = [(week, month_names[monday.month - 1]) for week, monday in enumerate(mondays)
              if week == 0 or monday.month != mondays[week - 1].month]
    top.set_xticks([week + 0.5 for week, _ in months], [name for _, name in months], **style.text(language, 8))
    top.tick_params(length=0)
    for side in top.spines.values():
        side.set_visible(False)
    top.set_title(t("chart.stats.heatmap_title", language, first=heatmap.first_monday.isoformat(),
                    today=heatmap.today.isoformat(), total=heatmap.total, days=heatmap.active_days),
                  loc="left", **style.text(language, 10))

    bottom = figure.add_subplot(grid[1])
    style.dark_axes(bottom)
    if topics:
        names = [style.axis_label(names_of.get(topic.topic_id, topic.topic_id)) for topic in topics]
        coverage = [100 * (topic.coverage or 0.0) for topic in topics]
        positions = np.arange(len(topics))
        bars = bottom.bar(positions, coverage, color=style.BAR, width=0.6)
        bottom.set_xlim(-0.75, max(len(topics), 10) - 0.25)
        for bar, topic in zip(bars, topics, strict=True):
            bottom.annotate(t("chart.stats.answers", language, answers=topic.answers),
                            (bar.get_x() + bar.get_width() / 2, bar.get_height()), xytext=(0, 2),
                            textcoords="offset points", ha="center", **style.text(language, 7))
        bottom.set_xticks(positions, names, rotation=35, ha="right", rotation_mode="anchor",
                          **style.text(language, 8))
    else:
        bottom.text(0.5, 0.5, t("chart.no_answers", language), ha="center", va="center",
                    transform=bottom.transAxes, **style.text(language, 10))
        bottom.set_xticks([])
    bottom.set_ylim(0, 110)
    bottom.set_yticks([0, 25, 50, 75, 100], ["0", "25", "50", "75", "100"], **style.text(language, 8))
    bottom.yaxis.grid(True, color=style.GRID, linewidth=0.5)
    bottom.set_axisbelow(True)
    bottom.set_ylabel(t("chart.coverage_axis", language), **style.text(language, 8))
    bottom.set_title(t("chart.stats.mastery_title", language), loc="left", **style.text(language, 10))
    for side in ("top", "right"):
        bottom.spines[side].set_visible(False)

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor=style.BACKGROUND)
    return buffer.getvalue()
