"""The discord.py client: opens storage, loads the bank and cogs, syncs commands, runs the scheduler."""

from __future__ import annotations

import asyncio
import gc
import hashlib
import json
import logging
from datetime import timedelta
from typing import Any

import discord
import yarl
from discord import app_commands
from discord.ext import commands

from bot.bank import load_bank
from bot.chat.shared.command_text import CatalogTranslator
from bot.chat.shared.errors import report_command_error
from bot.chat.shared.installs import GUILD_CONTEXTS, GUILD_INSTALLS
from bot.chat.shared.modals import ModalRoutes, dispatch_orphan
from bot.chat.shared.permissions import require_default_permissions
from bot.chat.shared.runner import Runner
from bot.chat.shared.services import ServiceRegistry
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.metrics import Metrics
from bot.services.banks import Library
from bot.services.grades import GradeFeed
from bot.services.server import ServerSettings
from bot.services.withholding import Withholding
from bot.storage import heartbeat
from bot.storage.command_sync import record_sync, synced_hash
from bot.storage.database import Database, transaction
from bot.storage.engines import open_url
from bot.storage.migrations import migrate
from bot.storage.posts import PostRepository
from bot.storage.shards import own_shards
from bot.wakeups import SchedulerWakeups, Wakeups

log = logging.getLogger(__name__)
SYNC_RETRY_SECONDS = 60


def point_discord_at(api_url: str | None, gateway_url: str | None) -> None:
    """Send REST calls to `api_url` (a proxy such as nirn-proxy, or a test double) and open the gateway at
    `gateway_url`, for this whole process; None keeps Discord's own address."""
    if api_url:
        discord.http.Route.BASE = f"{api_url}/api/v{discord.http.INTERNAL_API_VERSION}"
    if gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


def intents() -> discord.Intents:
    """Guilds, guild messages and reactions (default), plus members to honour a member leaving a guild.

    Message content is not needed: answers come in through modals.
    """
    wanted = discord.Intents.default()
    wanted.members = True
    return wanted


class StudyTree(app_commands.CommandTree["StudyBot"]):
    async def on_error(
        self, interaction: discord.Interaction[StudyBot], error: app_commands.AppCommandError,
    ) -> None:
        await report_command_error(interaction, error)


class StudyBot(commands.AutoShardedBot):
    """The bot. Everything it holds is built in `setup_hook` and released in `close`.

    It shards as Discord requires (one connection per 2,500 servers at most): SHARD_COUNT and SHARD_IDS say
    which shards this process runs; without them it runs all the shards Discord advises, in this one process.
    """

    def __init__(self, settings: Settings, *, clock: Clock | None = None, wakeups: Wakeups | None = None,
                 force_sync: bool = False, freeze_gc: bool = False, **options: Any) -> None:
        options.setdefault("intents", intents())
        if settings.shard_count is not None:  # else discord.py asks Discord (GET /gateway/bot) how many
            options.setdefault("shard_count", settings.shard_count)
            if settings.shard_ids is not None:
                options.setdefault("shard_ids", list(settings.shard_ids))
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            tree_cls=StudyTree,
            allowed_contexts=GUILD_CONTEXTS,  # every command is a server's unless it is personal (shared/installs)
            allowed_installs=GUILD_INSTALLS,
            allowed_mentions=discord.AllowedMentions.none(),
            **options,
        )
        self.settings = settings
        self.force_sync = force_sync  # `python -m bot sync`: send the tree even if it did not change
        self.freeze_gc = freeze_gc  # `python -m bot run`: see on_ready (not in tests: many bots in one process)
        self.commands_in_step = False
        self.clock: Clock = clock or SystemClock()
        self.wakeups: Wakeups = wakeups or SchedulerWakeups()
        self._db: Database | None = None
        self._bank: Library | None = None
        self.services = ServiceRegistry()  # found by type: bot.services.get(QuizService)
        self.live_modals: set[str] = set()  # custom_ids of the answer modals this process has open
        self.modal_routes = ModalRoutes()  # each feature adds its own (bot.chat.shared.feature)
        self.metrics = Metrics()  # counted always; served only when METRICS_PORT is set

    @property
    def db(self) -> Database:
        if self._db is None:
            raise RuntimeError("the database is opened in setup_hook")
        return self._db

    @property
    def bank(self) -> Library:
        """The shipped bank and every server's own questions; `bank.for_guild(id)` is what a server draws from."""
        if self._bank is None:
            raise RuntimeError("the bank is loaded in setup_hook")
        return self._bank

    async def setup_hook(self) -> None:
        self._db = await open_url(self.settings.database_url,
                                  sqlite_synchronous=self.settings.sqlite_synchronous)
        own_shards(self._db, self.settings.shards())  # every sweep reads only this process's guilds
        if self.settings.metrics_port is not None:
            try:
                self.metrics.serve(self.settings.metrics_host, self.settings.metrics_port)
            except OSError as exc:  # the bot's own work goes on without its metrics
                log.error("metrics: cannot listen on %s:%s (%s); METRICS_PORT is ignored",
                          self.settings.metrics_host, self.settings.metrics_port, exc.strerror or exc)
        applied = await migrate(self._db, self.settings.migrations_dir)
        if applied:
            log.info("database at schema version %d", applied[-1].version)
        report = await asyncio.to_thread(load_bank, [self.settings.bank_dir])
        self._bank = Library(report.bank)
        log.info("bank: %d questions in %d topics (%d without an answer)",
                 len(report.bank), len(report.bank.topics), len(report.without_answer))
        # What every feature may use; each feature's cog adds its own services (bot.chat.shared.feature).
        self.services.add(GradeFeed())
        self.services.add(Withholding(PostRepository(self.db)))
        self.services.add(ServerSettings(self.db))
        await self.add_cogs()
        require_default_permissions(self.tree)  # the bot checks what Discord's per-role overrides could grant
        await self.tree.set_translator(CatalogTranslator())
        self.wakeups.start()
        self.wakeups.every("heartbeat", self.settings.heartbeat_seconds, self._beat)
        self.commands_in_step = await self.sync_commands(force=self.force_sync)

    async def add_cogs(self) -> None:
        import importlib

        from bot.chat.features import FEATURES

        for entry in FEATURES:
            feature, class_name = entry.split(":")
            module = importlib.import_module(f"bot.chat.{feature}.cog")
            await self.add_cog(getattr(module, class_name)(self))

    async def sync_commands(self, *, force: bool = False) -> bool:
        """Send Discord the command tree where it changed since the last sync (a hash per scope in the
        database), or everywhere with `force` (`python -m bot sync`). With DEV_GUILD_ID the commands go to that
        guild and the global list is emptied, so no stale global copy stays beside the guild's. A failure is
        logged and retried a minute later; it never stops the bot. Returns whether Discord has the tree now."""
        targets: list[tuple[str, discord.Object | None, bool]] = []  # (scope, guild, empty it)
        if self.settings.dev_guild_id:
            guild = discord.Object(self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            targets += [(f"guild:{guild.id}", guild, False), ("global", None, True)]
        else:
            targets.append(("global", None, False))
        in_step = True
        for scope, guild, empty in targets:
            commands = [] if empty else self.tree.get_commands(guild=guild)
            translator = self.tree.translator
            payload = [await command.get_translated_payload(self.tree, translator) if translator
                       else command.to_dict(self.tree) for command in commands]
            tree_hash = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
            if not force and await synced_hash(self.db, scope) == tree_hash:
                log.info("application commands (%s) unchanged since the last sync: not synced", scope)
                continue
            try:
                if empty:
                    await self.http.bulk_upsert_global_commands(self.application_id, payload=[])
                    synced = 0
                else:
                    synced = len(await self.tree.sync(guild=guild))
            except (discord.HTTPException, app_commands.AppCommandError):
                log.exception("could not sync the application commands (%s); trying again in %d s", scope,
                              SYNC_RETRY_SECONDS)
                in_step = False
                continue
            async with transaction(self.db):
                await record_sync(self.db, scope, tree_hash, self.clock.now())
            log.info("synced %d application commands (%s)", synced, scope)
        if in_step:
            self.wakeups.cancel("commands:sync")
        else:
            self.wakeups.at("commands:sync", self.clock.now() + timedelta(seconds=SYNC_RETRY_SECONDS),
                            self.sync_commands)
        return in_step

    def connected_shards(self) -> set[int]:
        """The shards, as this process's settings number them, whose gateway connection is open now. Without
        SHARD_COUNT the process runs every shard Discord advised; together they count as shard 0 of 1."""
        shards = self.shards
        open_now = {shard_id for shard_id, info in shards.items() if not info.is_closed()}
        if self.settings.shard_count is None:
            return {0} if shards and len(open_now) == len(shards) else set()
        return open_now

    async def _beat(self) -> None:
        connected = self.connected_shards()
        if connected:
            async with transaction(self.db):
                await heartbeat.beat(self.db, self.clock.now(), self.db.shards, connected)

    async def on_shard_ready(self, _shard_id: int) -> None:
        await self._beat()  # `health` turns healthy as soon as the shard is connected

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        await dispatch_orphan(interaction)

    async def on_ready(self) -> None:
        log.info("logged in as %s (%s) in %d guilds", self.user, getattr(self.user, "id", "?"),
                 len(self.guilds))
        if self.freeze_gc:
            # What start-up built (every guild, channel and member discord.py caches) lives as long as the process:
            # moved out of the collector's reach, a full collection no longer walks it (it took 180 ms at 10,000
            # servers, stalling every interaction behind it: bench/servers.py). A later READY (a new session after
            # a long outage rebuilds the caches) first gives back what an earlier freeze kept, so nothing leaks.
            gc.unfreeze()
            gc.collect()
            gc.freeze()

    async def close(self) -> None:
        for runner in self.services.all(Runner):
            if runner.catch_up is not None and not runner.catch_up.done():
                runner.catch_up.cancel()
        await self.wakeups.close()  # running sends get a bounded time to finish
        await super().close()
        await self.metrics.close()
        if self._db is not None:
            await self._db.close()
            self._db = None
