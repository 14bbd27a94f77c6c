"""What one bot process did, for Prometheus (prometheus-client): off unless `METRICS_PORT` is set.

Each process has its own registry and its own endpoint (`GET /metrics` on `METRICS_HOST:METRICS_PORT`), so a
scraper sees every shard process separately; the counters start from zero at each start, as Prometheus expects.
The instruments exist whether or not the endpoint is served, so the code that counts never asks.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

log = logging.getLogger(__name__)

LAG_INTERVAL = 0.5  # seconds between two measurements of the event loop's lag
SWEEP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
LAG_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)

# Why something the bot meant to do did not happen (the `reason` label of study_bot_failures_total).
MISSING_PERMISSION = "missing_permission"  # Discord refused: the bot lacks a permission in the channel
CHANNEL_GONE = "channel_gone"  # the schedule's channel was deleted; the schedule is paused
NO_QUESTION = "no_question"  # a schedule has no eligible question left to claim
ERROR = "error"  # anything else (logged with its traceback)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.posts = Counter("study_bot_posts", "Daily questions Discord accepted.", registry=self.registry)
        self.reveals = Counter("study_bot_reveals", "Reveals of a daily question finished.", registry=self.registry)
        self.answers = Counter("study_bot_answers", "Daily answers saved, by kind: new, edited or late.", ["kind"],
                               registry=self.registry)
        self.failures = Counter("study_bot_failures", "What the bot could not do, by reason.", ["reason"],
                                registry=self.registry)
        self.sweep_seconds = Histogram("study_bot_sweep_seconds", "Duration of one sweep of a feature's runner.",
                                       ["runner"], buckets=SWEEP_BUCKETS, registry=self.registry)
        self.loop_lag = Histogram("study_bot_event_loop_lag_seconds",
                                  f"How late the event loop woke a {LAG_INTERVAL} s sleep.", buckets=LAG_BUCKETS,
                                  registry=self.registry)
        self.loop_lag_last = Gauge("study_bot_event_loop_lag_last_seconds", "The last event-loop lag measured.",
                                   registry=self.registry)
        self._server: WSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._watch: asyncio.Task[None] | None = None

    @property
    def port(self) -> int | None:
        """The port the endpoint listens on (the one the system chose when asked for port 0), or None."""
        return self._server.server_port if self._server is not None else None

    def serve(self, host: str, port: int) -> None:
        """Serve `GET /metrics` from a thread of its own, and start measuring the event loop's lag."""
        self._server, self._thread = start_http_server(port, addr=host, registry=self.registry)
        self._watch = asyncio.get_running_loop().create_task(self._watch_loop(), name="metrics-loop-lag")
        log.info("metrics on http://%s:%d/metrics", host, self.port)

    async def _watch_loop(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            asked = loop.time()
            await asyncio.sleep(LAG_INTERVAL)
            lag = max(0.0, loop.time() - asked - LAG_INTERVAL)
            self.loop_lag.observe(lag)
            self.loop_lag_last.set(lag)

    async def close(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
            self._watch = None
        if self._server is not None:
            server, self._server = self._server, None
            await asyncio.to_thread(server.shutdown)
            server.server_close()
