"""What every chart of the bot shares: the CJK font and a palette that reads on Discord's dark theme.

The font is Noto Sans CJK (SIL Open Font License 1.1), shipped by the `noto-cjk-sans-otc` package as one OpenType
collection with Simplified and Traditional Chinese faces. It is registered with matplotlib's font manager the
first time a chart is drawn; text then names it first, with DejaVu Sans (matplotlib's own) as the fallback.
"""

from __future__ import annotations

import functools
import textwrap
import threading
from typing import Any

# Discord's dark theme: the chat background, its normal and muted text, and the lines between things.
BACKGROUND = "#313338"
TEXT = "#dbdee1"
MUTED = "#949ba4"
GRID = "#4e5058"
EMPTY = "#404249"  # a day or a cell with nothing in it, lighter than the background so it still shows
BAR = "#5865f2"  # Discord's blurple
# Answers per day, from one to four or more: greens that grow brighter, ending at Discord's green.
HEATMAP = ("#2b5b3a", "#3b8f55", "#49c26e", "#57f287")
# One colour per study group: the Okabe-Ito colour-blind-safe hues without the two too dark for this background.
SERIES = ("#e69f00", "#56b4e9", "#009e73", "#f0e442", "#d55e00", "#cc79a7", "#ffffff", "#999999")
COVERAGE_MAP = "viridis"  # key-point coverage from 0 % (dark violet) to 100 % (yellow)

CJK_FAMILY = "Noto Sans CJK SC"  # the collection's Simplified Chinese face; it has the Traditional characters too
LATIN_FAMILY = "DejaVu Sans"

_lock = threading.Lock()
_registered: set[str] = set()  # the font files already added


def register_font() -> None:
    """Add the packaged Noto Sans CJK collection to matplotlib's font manager (once, from any thread).

    A missing package raises ImportError: a chart never falls back silently to boxes for Chinese text."""
    import noto_cjk_sans_otc
    from matplotlib import font_manager

    path = str(noto_cjk_sans_otc.FONT_PATH)
    with _lock:
        if path not in _registered:
            font_manager.fontManager.addfont(path)
            _registered.add(path)


def font_path() -> str:
    """The file matplotlib draws Chinese with, once registered; ValueError when it finds no such font."""
    from matplotlib import font_manager

    register_font()
    return font_manager.findfont(font_manager.FontProperties(family=CJK_FAMILY), fallback_to_default=False)


def families(language: str) -> list[str]:
    """Font families in the order matplotlib tries them for each glyph."""
    return [CJK_FAMILY, LATIN_FAMILY] if language == "zh" else [LATIN_FAMILY, CJK_FAMILY]


def text(language: str, size: float, **more: Any) -> dict[str, Any]:
    """Keyword arguments for a matplotlib text: the language's fonts, the theme's colour."""
    return {"fontfamily": families(language), "fontsize": size, "color": TEXT, **more}


def plain(value: str) -> str:
    """Text shown as written: matplotlib would read `$...$` in a name as mathematics."""
    return value.replace("$", r"\$")


@functools.cache
def _drawable_characters() -> frozenset[int]:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    latin = font_manager.findfont(font_manager.FontProperties(family=LATIN_FAMILY), fallback_to_default=False)
    return frozenset(code for path in (font_path(), latin) for code in FT2Font(path).get_charmap())


def drawable(value: str) -> str:
    """`value` without the characters neither font has (a group named with an emoji): never a box in a chart."""
    known = _drawable_characters()
    return " ".join("".join(c for c in value if ord(c) in known or c.isspace()).split())


def axis_label(name: str, width: int = 24) -> str:
    """A topic or group name under a slanted tick: plain, and long English names on two lines."""
    return plain("\n".join(textwrap.wrap(name, width, max_lines=2, placeholder="…")) or name)


def dark_axes(axes: Any) -> None:
    """The theme on one set of axes: background, spines, ticks."""
    axes.set_facecolor(BACKGROUND)
    for side in axes.spines.values():
        side.set_color(GRID)
    axes.tick_params(colors=MUTED, labelcolor=TEXT)


if __name__ == "__main__":  # the Docker build's check that the image has the font (and a warm font cache)
    print(font_path())
