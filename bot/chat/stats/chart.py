"""The /stats picture: an activity heatmap of the last 26 weeks and key-point coverage by topic, as a PNG.

matplotlib's object API with the Agg canvas (no pyplot, no global state), so it is safe in a worker thread; call
`render_png` through `asyncio.to_thread`. Only ASCII goes into the image (dates, weekday letters, topic ids):
members' names, which may be Chinese, stay in the embed.
"""

from __future__ import annotations

import io
from datetime import timedelta

from bot.domain.progress import Heatmap, TopicMastery

WIDTH_INCHES, HEIGHT_INCHES, DPI = 10.0, 6.0, 100
SIZE = (int(WIDTH_INCHES * DPI), int(HEIGHT_INCHES * DPI))  # the PNG's pixels: (1000, 600)
_WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "Sun")


def render_png(heatmap: Heatmap, topics: list[TopicMastery]) -> bytes:
    """The chart as PNG bytes, exactly `SIZE` pixels."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI)
    FigureCanvasAgg(figure)
    grid = figure.add_gridspec(2, 1, height_ratios=(1.1, 1.0), hspace=0.55, left=0.08, right=0.97, top=0.92,
                               bottom=0.12)

    top = figure.add_subplot(grid[0])
    cells = np.array([[np.nan if value is None else value for value in row] for row in heatmap.cells], dtype=float)
    greens = ListedColormap(["#ebedf0", "#9be9a8", "#40c463", "#30a14e", "#216e39"])
    levels = np.where(np.isnan(cells), np.nan, np.clip(cells, 0, 4))
    top.pcolormesh(np.ma.masked_invalid(levels), cmap=greens, vmin=0, vmax=4, edgecolors="white", linewidth=2)
    top.set_aspect("equal")
    top.invert_yaxis()
    top.set_yticks([row + 0.5 for row in range(7)], _WEEKDAYS, fontsize=8)
    weeks = len(heatmap.cells[0])
    months = [(week, (heatmap.first_monday + timedelta(weeks=week)).strftime("%b"))
              for week in range(weeks)
              if week == 0 or (heatmap.first_monday + timedelta(weeks=week)).month
              != (heatmap.first_monday + timedelta(weeks=week - 1)).month]
    top.set_xticks([week + 0.5 for week, _ in months], [name for _, name in months], fontsize=8)
    top.tick_params(length=0)
    for side in top.spines.values():
        side.set_visible(False)
    top.set_title(f"Answers per day, {heatmap.first_monday.isoformat()} to {heatmap.today.isoformat()}: "
                  f"{heatmap.total} answers on {heatmap.active_days} days", fontsize=10, loc="left")

    bottom = figure.add_subplot(grid[1])
    if topics:
        names = [topic.topic_id for topic in topics]
        coverage = [100 * (topic.coverage or 0.0) for topic in topics]
        positions = np.arange(len(topics))
        bars = bottom.bar(positions, coverage, color="#5865f2", width=0.6)
        bottom.set_xlim(-0.75, max(len(topics), 10) - 0.25)
        for bar, topic in zip(bars, topics, strict=True):
            bottom.annotate(f"{topic.answers} ans", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                            xytext=(0, 2), textcoords="offset points", ha="center", fontsize=7)
        bottom.set_xticks(positions, names, fontsize=8, rotation=20, ha="right")
    else:
        bottom.text(0.5, 0.5, "no answers yet", ha="center", va="center", transform=bottom.transAxes, fontsize=10)
        bottom.set_xticks([])
    bottom.set_ylim(0, 110)
    bottom.set_ylabel("key points covered (%)", fontsize=8)
    bottom.set_title("Mastery by topic: mean key-point coverage (answers above each bar)", fontsize=10, loc="left")
    for side in ("top", "right"):
        bottom.spines[side].set_visible(False)

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
