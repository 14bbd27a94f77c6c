"""The domain stays free of Discord, database, scheduler and YAML imports, so it is tested fast and directly."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

DOMAIN = Path(__file__).parents[2] / "bot" / "domain"
FORBIDDEN = ("discord", "aiosqlite", "sqlite3", "apscheduler", "yaml", "aiohttp")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_no_domain_file_imports_io_libraries() -> None:
    files = sorted(DOMAIN.rglob("*.py"))
    assert files, "the domain package has files"
    offenders = {f.name: sorted(imported_modules(f) & set(FORBIDDEN)) for f in files}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_the_domain_loads_none_of_them() -> None:
    modules = [f"bot.domain.{p.stem}" for p in DOMAIN.glob("*.py") if p.stem != "__init__"]
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=DOMAIN.parents[1])
    assert result.stdout.strip() == "[]"
