"""A throwaway PostgreSQL server for the tests: initdb into a temporary folder, pg_ctl start on a loopback port and a
unix socket in that folder, stop and delete at the end.

initdb refuses to run as root: when the tests run as root, the server's commands run as the `postgres` system user
(runuser) with the folder chowned to it. The binaries come from PATH or /usr/lib/postgresql/*/bin.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

TEMPLATE = "bot_template"


class ServerUnavailable(RuntimeError):
    """The throwaway server could not be created or started (the message says why)."""


def find_binary(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    if candidates:
        return candidates[0]
    raise ServerUnavailable(
        f"PostgreSQL's {name} is not on PATH nor in /usr/lib/postgresql/*/bin: install PostgreSQL 15 "
        "(apt-get install postgresql-15), set TEST_DATABASE_URL to a server, or run pytest --sqlite-only")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayServer:
    """One PostgreSQL cluster in a temporary folder, owned by this process."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="bot-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        self.user = "postgres" if self.as_root else (os.environ.get("USER") or "postgres")
        self.started = False

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        command = list(args)
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=timeout, cwd=self.folder)
        if done.returncode != 0:
            raise ServerUnavailable(f"{' '.join(args[:2])} failed ({done.returncode}): "
                                    f"{(done.stderr or done.stdout).strip()[-800:]}")
        return done

    def start(self) -> ThrowawayServer:
        initdb, self._pg_ctl = find_binary("initdb"), find_binary("pg_ctl")
        if self.as_root:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run(initdb, "-D", str(self.data), "-A", "trust", "-U", self.user, "--locale=C", "-E", "UTF8",
                  "--no-sync")
        self.started = True
        self.resume()
        return self

    def resume(self) -> None:
        """pg_ctl start (again, after `pause`), waiting until it accepts connections."""
        options = (f"-k {self.folder} -p {self.port} -h 127.0.0.1 -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c max_connections=200")
        self._run(self._pg_ctl, "-D", str(self.data), "-l", str(self.folder / "log"), "-w", "-t", "60",
                  "-o", options, "start")

    def pause(self) -> None:
        """pg_ctl stop -m fast: connections are cut, the data stays."""
        self._run(self._pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "stop")

    def stop(self) -> None:
        try:
            if self.started:
                self.pause()
        except ServerUnavailable:
            pass
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"


def run_bench(bench) -> None:
    """`asyncio.run(bench(folder, admin_url))` for a script in bench/: a temporary folder, and PostgreSQL at
    BENCH_DATABASE_URL or else a throwaway server started for the run and stopped after it."""
    given = os.environ.get("BENCH_DATABASE_URL")
    server = None if given else ThrowawayServer().start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            asyncio.run(bench(Path(folder), given or server.url()))
    finally:
        if server is not None:
            server.stop()


def database_url(admin_url: str, name: str) -> str:
    """The URL of database `name` on the server `admin_url` names."""
    base, _, query = admin_url.partition("?")
    base = base.rsplit("/", 1)[0]
    return f"{base}/{name}" + (f"?{query}" if query else "")


async def _admin(admin_url: str, *statements: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(admin_url)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


def build_template(admin_url: str, migrations: Path, name: str = TEMPLATE) -> str:
    """A database with every migration applied, to copy per test (CREATE DATABASE ... TEMPLATE)."""
    from bot.storage.engines import open_url
    from bot.storage.migrations import migrate

    async def build() -> None:
        await _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
        db = await open_url(database_url(admin_url, name))
        try:
            await migrate(db, migrations)
        finally:
            await db.close()

    run_in_thread(build())
    return name


def run_in_thread(coro) -> None:
    """asyncio.run in a thread of its own: callers may be inside a running event loop (a test's fixtures)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coro).result()


async def create_database(admin_url: str, name: str, template: str | None) -> str:
    # FILE_COPY: four times faster than PostgreSQL 15's default (WAL_LOG) for a small template on this server.
    source = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else " TEMPLATE template0 STRATEGY FILE_COPY"
    await _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"{source}')
    return database_url(admin_url, name)


async def drop_databases(admin_url: str, names: list[str]) -> None:
    await _admin(admin_url, *(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in names))


class DatabaseStock:
    """Migrated databases made ahead, by a thread of their own, while the tests run (CREATE DATABASE takes a few
    hundred milliseconds here; a test then takes a ready one instead of waiting for its own)."""

    def __init__(self, admin_url: str, template: str, ahead: int = 3) -> None:
        import itertools
        import queue
        import threading

        self.admin_url, self.template = admin_url, template
        self.ready: queue.Queue[str] = queue.Queue(maxsize=ahead)
        self._numbers = itertools.count(1)
        self._stop = threading.Event()
        self.made: list[str] = []
        self._thread = threading.Thread(target=self._run, name="pg-stock", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import queue

        async def fill() -> None:
            while not self._stop.is_set():
                name = f"{self.template}_copy_{next(self._numbers)}"
                try:
                    url = await create_database(self.admin_url, name, self.template)
                except Exception as error:  # handed to the test that takes it: it fails with the reason
                    url = f"error: {error}"
                self.made.append(name)
                while not self._stop.is_set():
                    try:
                        self.ready.put(url, timeout=0.2)
                        break
                    except queue.Full:
                        continue

        asyncio.run(fill())

    async def take(self) -> tuple[str, str]:
        """(the name, the URL) of a ready database, dropped by `drop` or at `close`."""
        url = await asyncio.to_thread(self.ready.get, True, 60)
        if url.startswith("error: "):
            raise ServerUnavailable(f"could not create a test database: {url[7:]}")
        return url.rsplit("/", 1)[1], url

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)
        if self.made:
            run_in_thread(drop_databases(self.admin_url, self.made))
