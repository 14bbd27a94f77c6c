"""A check for charts: matplotlib's "Glyph ... missing from font" warning fails the test instead of leaving boxes."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

MISSING = re.compile(r"Glyph \d+ .* missing from font")


@contextmanager
def no_missing_glyphs() -> Iterator[list[warnings.WarningMessage]]:
    """Records every warning inside (from any thread: the bot renders in a worker) and fails on a missing glyph."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield caught
    missing = sorted({str(w.message) for w in caught if MISSING.search(str(w.message))})
    assert not missing, "text drawn without a glyph:\n" + "\n".join(missing)
