"""The Dockerfile and CI script name real entry points, and the README's commands are the ones CI runs."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from bot.cli import build_parser

ROOT = Path(__file__).parents[1]


def dockerfile_exec_forms(instruction: str) -> list[list[str]]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    found = re.findall(rf"^{instruction}\b.*?(\[.*\])\s*$", text, flags=re.MULTILINE)
    return [json.loads(form) for form in found]


def assert_is_a_cli_command(argv: list[str]) -> None:
    assert argv[:3] == ["python", "-m", "bot"], argv
    args = build_parser().parse_args(argv[3:])
    assert callable(args.handler)


def test_dockerfile_cmd_and_healthcheck_run_real_commands() -> None:
    (cmd,) = dockerfile_exec_forms("CMD")
    assert_is_a_cli_command(cmd)
    assert cmd[3] == "run"
    (health,) = dockerfile_exec_forms("HEALTHCHECK")
    assert_is_a_cli_command(health)
    assert health[3] == "health"


def test_dockerfile_copies_what_the_bot_reads_and_runs_as_non_root() -> None:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    for folder in ("bot", "questions", "migrations"):
        assert re.search(rf"^COPY {folder} \./{folder}$", text, flags=re.MULTILINE), folder
        assert (ROOT / folder).is_dir()
    assert re.search(r"^USER (?!root)\w+", text, flags=re.MULTILINE)
    assert 'VOLUME ["/data"]' in text
    assert "DATABASE_PATH=/data/" in text


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:sh|bash)\n(.*?)```", readme, flags=re.DOTALL)
    run_command, test_command = blocks[0].strip(), blocks[1].strip()
    assert run_command.endswith("python -m bot run")
    assert "pytest" in test_command
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci


def test_console_script_points_at_a_real_function() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    module, func = project["project"]["scripts"]["seed-study-bot"].split(":")
    imported = __import__(module, fromlist=[func])
    assert callable(getattr(imported, func))


def test_readme_points_tables_are_the_scoring_tables() -> None:
    from bot.domain import quiz
    from bot.domain.scoring import POINTS_TABLE

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for reason, english, _chinese in (*POINTS_TABLE, *quiz.points_table()):
        assert f"| `{reason}` | {english} |" in readme, reason


def test_ci_provides_postgresql_before_the_tests() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    install = ci.index("apt-get install -y -q postgresql-15")
    assert "DEBIAN_FRONTEND=noninteractive" in ci and "command -v initdb" in ci
    assert install < ci.index(".venv/bin/python -m pytest")
