"""Shared fixtures: the shipped bank (loaded once) and the project's folders."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(Path(__file__).parent))  # tests/clock.py and friends


@pytest.fixture(scope="session")
def shipped_bank():
    from bot.bank import load_bank

    return load_bank([ROOT / "questions"]).bank
