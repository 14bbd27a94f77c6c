"""The command line: `python -m bot run | health | bank ... | db ...`. It parses and calls; nothing more."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import TextIO

from bot.config import Settings, SettingsError

TOKEN_HELP = """\
DISCORD_TOKEN is not set, so the bot cannot log in. To get a token:

  1. Open https://discord.com/developers/applications and click "New Application"; give it a name.
  2. Open the "Bot" page: click "Reset Token" and copy the token.
     Under "Privileged Gateway Intents" turn on SERVER MEMBERS INTENT
     (the bot uses it to honour members leaving; Message Content is not needed).
  3. Give the token to the bot, either in the environment:
         export DISCORD_TOKEN='paste-the-token-here'
     or in a file named .env in the folder you run the bot from:
         DISCORD_TOKEN=paste-the-token-here
  4. Invite the bot to your server with this URL, after putting your application's id
     (the "General Information" page) in place of APPLICATION_ID:
         {invite}
     It asks for the scopes `bot` and `applications.commands` and these permissions:
         {permissions}
  5. Run the bot again:  python -m bot run
"""


def _invite_template() -> tuple[str, str]:
    from bot.chat.shared.permissions import REQUIRED_CHANNEL_PERMISSIONS, permission_labels

    url = ("https://discord.com/oauth2/authorize?client_id=APPLICATION_ID"
           f"&scope=bot+applications.commands&permissions={REQUIRED_CHANNEL_PERMISSIONS.value}")
    names = ", ".join(permission_labels([name for name, on in REQUIRED_CHANNEL_PERMISSIONS if on]))
    return url, names


def cmd_run(settings: Settings, _args: argparse.Namespace, out: TextIO) -> int:
    if not settings.token:
        url, names = _invite_template()
        print(TOKEN_HELP.format(invite=url, permissions=names), file=sys.stderr)
        return 2
    import discord

    from bot.chat.client import StudyBot, point_discord_at
    from bot.storage.migrations import MigrationError
    from bot.storage.postgres import DatabaseUnavailable
    from bot.wakeups import SchedulerWakeups

    point_discord_at(settings.discord_api_url, settings.discord_gateway_url)
    try:  # before Discord: a database the bot cannot open or must not touch stops it with one line
        asyncio.run(_check_database(settings))
    except (DatabaseUnavailable, MigrationError) as exc:
        print(f"database unavailable: {exc}", file=sys.stderr)
        return 1

    async def serve() -> None:
        from bot.chat.banks.cog import reload_shipped

        clock = settings.clock()
        bot = StudyBot(settings, clock=clock, wakeups=SchedulerWakeups(clock), freeze_gc=True)
        loop = asyncio.get_running_loop()
        closing: list[asyncio.Task[None]] = []

        def stop() -> None:
            if not closing:  # the first signal closes; later ones (or the same one seen twice) change nothing
                closing.append(loop.create_task(bot.close()))

        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop)
            # asyncio learns of a signal through one byte on its self-pipe; under load (aiosqlite's threads
            # filling that pipe) the byte can be dropped ("Exception ignored when trying to write to the signal
            # wakeup fd") and the signal with it. The Python-level handler runs in the main thread whatever the
            # pipe holds, so the signal is never lost; `stop` runs once either way.
            signal.signal(sig, lambda _sig, _frame: loop.call_soon_threadsafe(stop))
        # SIGHUP reloads questions/ (refused, with the old bank kept, on any error: see BankService.reload_shipped)
        loop.add_signal_handler(signal.SIGHUP, lambda: asyncio.ensure_future(reload_shipped(bot)))
        async with bot:
            await bot.start(settings.token or "")
        # `bot.start` returns as soon as the client is marked closed, before the signal's close has closed the
        # database; asyncio.run would cancel that mid-way (and a connection's thread would keep the process alive).
        for task in closing:
            await task

    try:
        asyncio.run(serve())
    except (DatabaseUnavailable, MigrationError) as exc:
        print(f"database unavailable: {exc}", file=sys.stderr)
        return 1
    except discord.LoginFailure:
        print("Discord rejected DISCORD_TOKEN: it is wrong or was reset. Copy a fresh token from the "
              "Bot page of your application at https://discord.com/developers/applications", file=sys.stderr)
        return 2
    except discord.PrivilegedIntentsRequired:
        print("Discord refused the SERVER MEMBERS intent: turn it on under \"Privileged Gateway Intents\" on "
              "the Bot page of your application, then run again.", file=sys.stderr)
        return 2
    return 0


async def _check_database(settings: Settings) -> None:
    """Open DATABASE_URL and refuse a schema newer than this code (DatabaseUnavailable / MigrationError)."""
    from bot.storage.engines import open_url
    from bot.storage.migrations import MigrationError, current_version, discover

    conn = await open_url(settings.database_url)
    try:
        version = await current_version(conn)
    finally:
        await conn.close()
    latest = max((m.version for m in discover(settings.migrations_dir)), default=0)
    if version > latest:
        raise MigrationError(f"the database is at schema version {version} but this code knows only up to "
                             f"{latest}: it was written by a newer version of the bot; upgrade the bot")


def cmd_sync(settings: Settings, _args: argparse.Namespace, out: TextIO) -> int:
    """Send Discord the command tree now, changed or not (the bot itself syncs only when the tree changed)."""
    if not settings.token:
        print("python -m bot sync needs DISCORD_TOKEN (see python -m bot run for how to get one)", file=sys.stderr)
        return 2
    from bot.chat.client import StudyBot, point_discord_at
    from bot.wakeups import SchedulerWakeups

    point_discord_at(settings.discord_api_url, settings.discord_gateway_url)

    async def sync() -> bool:
        bot = StudyBot(settings, wakeups=SchedulerWakeups(), force_sync=True)
        async with bot:
            await bot.login(settings.token or "")  # runs setup_hook, which syncs; no gateway connection
            return bot.commands_in_step

    if asyncio.run(sync()):
        print("application commands synced", file=out)
        return 0
    print("the sync failed; the log above says why", file=out)
    return 1


def cmd_bank_validate(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    from bot.bank import BankError, load_bank

    paths = args.paths or [settings.bank_dir]
    try:
        report = load_bank(paths, strict=args.strict)
    except BankError as exc:
        for problem in exc.problems:
            print(problem, file=out)
        print(f"{len(exc.problems)} problem(s) found", file=out)
        return 1
    bank = report.bank
    print(f"ok: {len(bank)} questions in {len(bank.topics)} topics from {len(report.files)} file(s); "
          f"{len(report.without_answer)} without an answer", file=out)
    return 0


def _load_or_report(settings: Settings, out: TextIO):
    from bot.bank import BankError, load_bank

    try:
        return load_bank([settings.bank_dir])
    except BankError as exc:
        print(exc, file=out)
        print("the bank has problems: run `python -m bot bank validate`", file=out)
        return None


def _cells(*values: object, first: int = 28, width: int = 11) -> str:
    """One table row; the first cell is padded by display width, since Chinese characters take two columns."""
    import unicodedata

    label = str(values[0])
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in label)
    return label + " " * max(first - shown, 1) + "".join(f"{v!s:>{width}}" for v in values[1:])


def cmd_bank_stats(settings: Settings, _args: argparse.Namespace, out: TextIO) -> int:
    from bot.domain.choice_stats import choice_stats

    report = _load_or_report(settings, out)
    if report is None:
        return 1
    bank = report.bank
    columns = ("questions", "d1", "d2", "d3", "answered", "≥3 points", "choices")
    print(_cells("topic", *columns), file=out)
    totals: Counter[str] = Counter()
    for topic in bank.topics:
        questions = bank.in_topic(topic.id)
        row = dict(zip(columns, (
            len(questions),
            sum(q.difficulty == 1 for q in questions),
            sum(q.difficulty == 2 for q in questions),
            sum(q.difficulty == 3 for q in questions),
            sum(q.has_answer for q in questions),
            sum(len(q.key_points) >= 3 for q in questions),
            sum(q.choices is not None for q in questions),
        ), strict=True))
        totals.update(row)
        print(_cells(f"{topic.id} ({topic.name_zh})", *row.values()), file=out)
    print(_cells("total", *(totals[c] for c in columns)), file=out)
    print(f"{totals['answered']}/{len(bank)} questions with answers, {totals['≥3 points']}/{len(bank)} with at "
          f"least 3 key points, {totals['choices']} with choices", file=out)
    size = max(len(bank), 1)
    print("difficulty: " + " · ".join(f"d{d} {totals[f'd{d}']} ({totals[f'd{d}'] / size:.0%})" for d in (1, 2, 3)),
          file=out)
    stats = choice_stats(bank)
    forms = max(stats.forms, 1)
    print(f"choice forms: {stats.forms} · correct option strictly the longest in {stats.correct_strictly_longest} "
          f"({stats.correct_strictly_longest / forms:.0%}) · 'pick the longest' scores {stats.pick_longest_score:.0%} "
          f"(chance about 25%) · median length correct/mean distractor {stats.median_length_ratio:.2f} · absolute "
          f"words in {stats.absolute_in_distractors:.0%} of distractors, {stats.absolute_in_correct:.0%} of correct "
          f"options", file=out)
    follow_ups = [f for q in bank for f in q.follow_ups]
    print(f"follow-ups: {len(follow_ups)}, {sum(f.answer is not None for f in follow_ups)} with a reference answer",
          file=out)
    return 0


def cmd_bank_show(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    report = _load_or_report(settings, out)
    if report is None:
        return 1
    question = report.bank.get(args.id)
    if question is None:
        import difflib

        close = difflib.get_close_matches(args.id, list(report.bank.questions), n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        print(f"no question with id '{args.id}'{hint}", file=out)
        return 1
    topic = report.bank.topic(question.topic_id)
    print(f"{question.id}  [{topic.name_zh} / {topic.name_en}]  difficulty {question.difficulty}  "
          f"({question.source})", file=out)
    print(f"\nQ: {question.prompt}\n", file=out)
    print(question.answer or "(no reference answer yet)", file=out)
    if question.key_points:
        print("\nKey points:", file=out)
        for point in question.key_points:
            print(f"  - {point.text}  [{', '.join(point.keywords)}]", file=out)
    if question.choices:
        print("\nChoices:", file=out)
        if question.choices.question:
            print(f"  {question.choices.question}", file=out)
        for index, option in enumerate(question.choices.options):
            print(f"  {'ABCDE'[index]}. {option.text}{'  ✓' if option.correct else ''}", file=out)
        print(f"  {question.choices.explanation}", file=out)
    for title, items in (("Follow-ups", question.follow_ups), ("References", question.references)):
        if items:
            print(f"\n{title}:", file=out)
            for item in items:
                print(f"  - {item}", file=out)
    return 0


def cmd_db_migrate(settings: Settings, _args: argparse.Namespace, out: TextIO) -> int:
    from bot.storage.engines import open_url
    from bot.storage.migrations import MigrationError, current_version, migrate
    from bot.storage.postgres import DatabaseUnavailable, redact_url

    async def go() -> int:
        conn = await open_url(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)
        try:
            applied = await migrate(conn, settings.migrations_dir)
            version = await current_version(conn)
        finally:
            await conn.close()
        names = ", ".join(m.path.name for m in applied) or "none pending"
        print(f"{redact_url(settings.database_url)}: schema version {version} (applied: {names})", file=out)
        return 0

    try:
        return asyncio.run(go())
    except MigrationError as exc:
        print(f"migration failed: {exc}", file=out)
        return 1
    except DatabaseUnavailable as exc:
        print(f"database unavailable: {exc}", file=out)
        return 1


def cmd_db_copy(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    """Copy a whole database to another engine (or file), verified table by table; see bot/storage/copy.py."""
    from bot.storage.copy import CopyError, VerificationFailed, copy_database, verification_table
    from bot.storage.engines import open_url, require_existing_sqlite
    from bot.storage.postgres import DatabaseUnavailable, redact_url

    async def go() -> int:
        source = await _open_side("SOURCE_URL", args.source)
        try:
            target = await _open_side("TARGET_URL", args.target)
            try:
                print(f"copying {redact_url(args.source)} -> {redact_url(args.target)}", file=out)
                report = await copy_database(source, target, settings.migrations_dir,
                                             progress=lambda line: print(line, file=out, flush=True))
            finally:
                await target.close()
        finally:
            await source.close()
        for line in verification_table(report):
            print(line, file=out)
        print(f"copied {len(report.checks)} tables, {report.rows} rows at schema version {report.version} in "
              f"{report.seconds:.2f} s; every count and checksum matches", file=out)
        return 0

    async def _open_side(name: str, url: str):
        try:
            return await open_url(url)
        except DatabaseUnavailable as exc:
            raise DatabaseUnavailable(f"{name}: {str(exc).replace(' in DATABASE_URL', '')}") from exc

    try:
        if args.source.strip() == args.target.strip():
            raise CopyError("SOURCE_URL and TARGET_URL are the same database")
        try:
            require_existing_sqlite(args.source)
        except DatabaseUnavailable as exc:
            raise DatabaseUnavailable(f"SOURCE_URL: {exc}") from exc
        return asyncio.run(go())
    except VerificationFailed as exc:
        for line in verification_table(exc.report):
            print(line, file=out)
        print(f"copy failed: {exc}", file=sys.stderr)
        return 1
    except CopyError as exc:
        print(f"copy {'failed' if 'rolled back' in str(exc) else 'refused'}: {exc}", file=sys.stderr)
        return 1
    except DatabaseUnavailable as exc:
        print(f"database unavailable: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a row the target refuses (a type or constraint): the copy was rolled back
        print(f"copy failed and was rolled back: {type(exc).__name__}: {' '.join(str(exc).split())}",
              file=sys.stderr)
        return 1


def cmd_db_backup(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    from bot.storage.backup import backup

    try:
        size = backup(settings.database_path, Path(args.dest))
    except (FileNotFoundError, OSError) as exc:
        print(f"backup failed: {exc}", file=out)
        return 1
    print(f"backed up {settings.database_path} to {args.dest} ({size} bytes)", file=out)
    return 0


def cmd_health(settings: Settings, _args: argparse.Namespace, out: TextIO) -> int:
    """Exit 0 when the database answers and each shard of this process (SHARD_COUNT/SHARD_IDS, else the whole bot)
    has a fresh heartbeat: the running bot writes one per shard while that shard is connected to Discord."""
    from bot.storage.engines import open_url, require_existing_sqlite
    from bot.storage.heartbeat import last_beats
    from bot.storage.postgres import DatabaseUnavailable

    shards = settings.shards()

    async def go() -> dict[int, tuple[datetime, str, int]]:
        require_existing_sqlite(settings.database_url)
        db = await open_url(settings.database_url)
        try:
            return await last_beats(db, shards)
        finally:
            await db.close()

    try:
        beats = asyncio.run(go())
    except DatabaseUnavailable as exc:
        print(f"unhealthy: {exc}", file=out)
        return 1
    except Exception as exc:
        print(f"unhealthy: database not readable: {exc}", file=out)
        return 1
    now = settings.clock().now()  # the bot's own clock (SIMULATED_CLOCK in drills) stamps its heartbeats
    limit = max(3 * settings.heartbeat_seconds, 60)
    problems, fine = [], []
    for shard in shards.owned:
        name = f"shard {shard} of {shards.count}" if settings.shard_count else "the bot"
        if shard not in beats:
            problems.append(f"{name} has not written a heartbeat yet (is it running and connected to Discord?)")
            continue
        at, host, pid = beats[shard]
        age = (now - at).total_seconds()
        if age > limit:
            problems.append(f"{name}: last heartbeat {age:.0f} s ago (limit {limit} s), from {host} pid {pid}")
        else:
            fine.append(f"{name}: last heartbeat {age:.0f} s ago")
    if problems:
        print("unhealthy: " + "; ".join(problems), file=out)
        return 1
    print("healthy: " + "; ".join(fine), file=out)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="A Discord study-group bot for LLM "
                                     "interview preparation.")
    parser.add_argument("--env-file", default=".env", help="read settings from this file too (default: .env)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("run", help="start the bot").set_defaults(handler=cmd_run)
    sub.add_parser("sync", help="send Discord the slash commands now (the bot syncs by itself when they change)") \
        .set_defaults(handler=cmd_sync)
    sub.add_parser("health", help="exit 0 if the database answers and the heartbeat of each of this process's "
                   "shards is fresh") \
        .set_defaults(handler=cmd_health)

    bank = sub.add_parser("bank", help="check and inspect the question bank").add_subparsers(
        dest="bank_command", required=True, metavar="ACTION")
    validate = bank.add_parser("validate", help="check bank files; exit 1 listing every problem")
    validate.add_argument("paths", nargs="*", type=Path, help="bank folders or YAML files (default: the bank)")
    validate.add_argument("--strict", action="store_true",
                          help="also require an answer and at least 3 key points for every question")
    validate.set_defaults(handler=cmd_bank_validate)
    bank.add_parser("stats", help="questions by topic and difficulty").set_defaults(handler=cmd_bank_stats)
    show = bank.add_parser("show", help="print one question with its answer")
    show.add_argument("id")
    show.set_defaults(handler=cmd_bank_show)

    db = sub.add_parser("db", help="database maintenance").add_subparsers(
        dest="db_command", required=True, metavar="ACTION")
    db.add_parser("migrate", help="apply pending migrations").set_defaults(handler=cmd_db_migrate)
    backup = db.add_parser("backup", help="copy the database safely, even while the bot runs")
    backup.add_argument("dest", help="the backup file to write")
    backup.set_defaults(handler=cmd_db_backup)
    copy = db.add_parser("copy", help="copy the whole database to another (SQLite <-> PostgreSQL), verified; the "
                         "target must be empty")
    copy.add_argument("source", metavar="SOURCE_URL", help="sqlite:///path or postgresql://user@host/db to read")
    copy.add_argument("target", metavar="TARGET_URL", help="an empty database to write (migrated first)")
    copy.set_defaults(handler=cmd_db_copy)
    return parser


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    out = out or sys.stdout
    try:
        settings = Settings.from_env(dotenv=Path(args.env_file))
    except SettingsError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # discord.py logs whole gateway events and request bodies at DEBUG, and aiosqlite every statement with its
    # parameters: members' answers among them. Never that, whatever LOG_LEVEL says.
    for chatty in ("discord", "aiosqlite"):
        logging.getLogger(chatty).setLevel(max(logging.getLevelName(settings.log_level), logging.INFO))
    return int(args.handler(settings, args, out))
