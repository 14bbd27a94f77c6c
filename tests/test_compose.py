"""compose.yaml cannot run here (no Docker): this checks that what it names is real. Every setting it gives a shard
process is one the bot reads and parses; its commands are the CLI's; the shards of its processes cover every shard
once; the database URL names the compose PostgreSQL service, its user and database; every volume is declared."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from bot.cli import build_parser
from bot.config import SETTING_NAMES, Settings

ROOT = Path(__file__).parents[1]
VARIABLE = re.compile(r"\$\{(\w+)(?::?[-?][^}]*)?\}")


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def substituted(value: object) -> str:
    """A value as compose would pass it, with each ${VAR...} given a sample value."""
    return VARIABLE.sub(lambda m: f"sample-{m.group(1).lower()}", str(value))


def shard_services(spec: dict) -> dict[str, dict]:
    return {name: service for name, service in spec["services"].items() if "build" in service}


def cli_commands() -> set[str]:
    parser = build_parser()
    (sub,) = [action for action in parser._actions if action.dest == "command"]
    return set(sub.choices)


def test_every_setting_the_bot_reads_is_listed_and_documented() -> None:
    source = (ROOT / "bot" / "config.py").read_text(encoding="utf-8")
    read = set(re.findall(r'values\.get\("([A-Z_]+)"', source)) | {"DISCORD_API_URL", "DISCORD_GATEWAY_URL"}
    assert read == set(SETTING_NAMES)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in SETTING_NAMES:
        assert f"`{name}`" in readme, f"{name} is not in the README's settings table"


def test_compose_shard_processes_name_real_settings_and_commands() -> None:
    spec = compose()
    shards = shard_services(spec)
    assert len(shards) >= 2
    commands = cli_commands()
    counts, owned = set(), []
    for name, service in shards.items():
        assert (ROOT / service["build"] / "Dockerfile").is_file(), name
        env = {key: substituted(value) for key, value in service["environment"].items()}
        unknown = set(env) - set(SETTING_NAMES)
        assert not unknown, f"{name}: {sorted(unknown)} are not settings the bot reads"
        settings = Settings.from_env(env)  # each parses: a bad value would raise SettingsError naming it
        assert settings.token and settings.shard_count and settings.shard_ids
        counts.add(settings.shard_count)
        owned += settings.shard_ids
        command = service["command"]
        assert command[:3] == ["python", "-m", "bot"] and command[3] in commands, f"{name}: {command}"
        published = [p.split(":")[-1] for p in service.get("ports", [])]
        assert published == [str(settings.metrics_port)] and settings.metrics_host == "0.0.0.0"
        url = urlsplit(settings.database_url)
        database = spec["services"][url.hostname]  # the URL's host is the compose PostgreSQL service
        assert url.scheme == "postgresql" and url.username == database["environment"]["POSTGRES_USER"]
        assert url.path.lstrip("/") == database["environment"]["POSTGRES_DB"]
        assert service["depends_on"][url.hostname]["condition"] == "service_healthy"
        assert "healthcheck" in database
    (count,) = counts  # every process agrees on the count, and each shard is run by exactly one of them
    assert sorted(owned) == list(range(count))
    host_ports = [p.rsplit(":", 1)[0] for s in shards.values() for p in s.get("ports", [])]
    assert len(host_ports) == len(set(host_ports))


def test_compose_volumes_are_declared_and_postgres_sorts_as_sqlite() -> None:
    spec = compose()
    declared = set(spec.get("volumes") or {})
    for name, service in spec["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if not source.startswith((".", "/")):
                assert source in declared, f"{name}: volume {source} is not declared"
    postgres = next(s for s in spec["services"].values() if str(s.get("image", "")).startswith("postgres:"))
    assert "--locale=C" in postgres["environment"]["POSTGRES_INITDB_ARGS"]  # the README's advice for PostgreSQL
