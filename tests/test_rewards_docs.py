"""The README's rewards table is the rewards' points table (as tests/test_packaging.py does for the others)."""

from __future__ import annotations

from pathlib import Path

from bot.domain.rewards import points_table

ROOT = Path(__file__).parents[1]


def test_readme_rewards_table_is_the_points_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for reason, english, _chinese in points_table():
        assert f"| `{reason}` | {english} |" in readme, reason
    assert "| `answer_on_time` | 10 for answering before the reveal |" in readme
