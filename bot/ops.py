"""What an operator's tools ask the running bot over HTTP: /healthz and /metrics, on the
webhook's server (webhook mode) or the bot's own web server (polling mode, WEB_PORT).

/healthz answers 200 {"status": "ok"} when a cheap query reaches the database within
PROBE_TIMEOUT seconds and the scheduler runs and keeps time (its heartbeat job fires every
HEARTBEAT seconds and started at most LAG_LIMIT seconds late); otherwise 503 with
{"status": "unhealthy", "reason": "..."}, one short reason (no URL, no error text that could
carry a password). A stopping bot pauses its scheduler, so it reports 503 while it finishes.

/metrics is Prometheus's text format (bot/metrics.py). The outbox's depth and the running
broadcasts' progress are read when scraped, at most every SCRAPE_CACHE seconds.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from aiohttp import web
from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_SUBMITTED,
    JobExecutionEvent,
    JobSubmissionEvent,
)
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.schedulers.base import STATE_RUNNING
from prometheus_client import REGISTRY
from prometheus_client.exposition import choose_encoder
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.metrics import (
    BROADCASTS,
    DB_SECONDS,
    ERRORS,
    OUTBOX_DUE,
    OUTBOX_OLDEST_DUE,
    SCHEDULER_LAG,
)

if TYPE_CHECKING:
    from bot.factory import Application

log = logging.getLogger(__name__)

HEARTBEAT = 10.0  # seconds between the scheduler's heartbeats
HEARTBEAT_JOB = "heartbeat"
LAG_LIMIT = 30.0  # seconds late a heartbeat may start before the scheduler counts as lagging
PROBE_TIMEOUT = 3.0  # seconds the database has to answer SELECT 1
SCRAPE_CACHE = 5.0  # seconds the database-read gauges are reused between scrapes
_probe_seconds = DB_SECONDS.labels("probe")


async def probe(engine: AsyncEngine, within: float = PROBE_TIMEOUT) -> str | None:
    """None if the database answers SELECT 1 in time; else why not, in a few words. On
    SQLite this waits for the one connection, so a database held by a long transaction
    counts as not answering."""
    started = time.perf_counter()
    try:
        async with asyncio.timeout(within):
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
    except TimeoutError:
        return f"database: no answer in {within:g} s"
    except Exception as exc:  # the kind only: an error's text may quote the URL
        return f"database: {type(exc).__name__}"
    finally:
        _probe_seconds.observe(time.perf_counter() - started)
    return None


class SchedulerWatch:
    """The scheduler's heartbeat and lag: every job's start is timed against its plan
    (tos_scheduler_lag_seconds), and a heartbeat job (which also probes the database, for
    tos_db_seconds) shows that the scheduler still fires."""

    def __init__(
        self,
        scheduler: AsyncIOScheduler,
        engine: AsyncEngine,
        *,
        beat: float = HEARTBEAT,
        lag_limit: float = LAG_LIMIT,
    ) -> None:
        self._scheduler = scheduler
        self._engine = engine
        self.beat = beat
        self.lag_limit = lag_limit
        self.last_beat: float | None = None  # monotonic time of the last heartbeat's start
        self.lag = 0.0  # how late the last heartbeat started, in seconds
        self._started = time.monotonic()

    def start(self) -> None:
        self._scheduler.add_listener(self._submitted, EVENT_JOB_SUBMITTED)
        self._scheduler.add_listener(self._failed, EVENT_JOB_ERROR)
        self._scheduler.add_job(
            self._heartbeat,
            "interval",
            seconds=self.beat,
            id=HEARTBEAT_JOB,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=None,
        )
        self._started = time.monotonic()

    def _submitted(self, event: JobSubmissionEvent) -> None:
        planned = event.scheduled_run_times
        if not planned:
            return
        lag = max((datetime.now(UTC) - planned[0]).total_seconds(), 0.0)
        SCHEDULER_LAG.observe(lag)
        if event.job_id == HEARTBEAT_JOB:
            now = time.monotonic()
            # A coalesced heartbeat reports only its last missed run time, so a loop blocked
            # for many beats would look punctual: the gap since the previous beat counts too.
            if self.last_beat is not None:
                lag = max(lag, now - self.last_beat - self.beat)
            self.lag = lag
            self.last_beat = now

    @staticmethod
    def _failed(_event: JobExecutionEvent) -> None:
        ERRORS.labels("job").inc()

    async def _heartbeat(self) -> None:
        await probe(self._engine)

    def problem(self) -> str | None:
        """None if the scheduler runs and keeps time; else why not."""
        if not self._scheduler.running or self._scheduler.state != STATE_RUNNING:
            return "scheduler: not running"
        since = time.monotonic() - (self.last_beat or self._started)
        if since > 2 * self.beat + self.lag_limit:
            return f"scheduler: no heartbeat for {since:.0f} s"
        if self.lag > self.lag_limit:
            return f"scheduler: lagging {self.lag:.0f} s"
        return None


@dataclass(slots=True)
class Ops:
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    watch: SchedulerWatch
    probe_timeout: float = PROBE_TIMEOUT
    cache_seconds: float = SCRAPE_CACHE
    _read_at: float | None = None
    _reading: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def health(self) -> str | None:
        return await probe(self.engine, self.probe_timeout) or self.watch.problem()

    async def read_gauges(self) -> None:
        """The outbox's depth and the running broadcasts' progress, from the database, unless
        read less than SCRAPE_CACHE seconds ago."""
        async with self._reading:
            if self._read_at is not None and time.monotonic() - self._read_at < self.cache_seconds:
                return
            self._read_at = time.monotonic()
            from bot.services import broadcasts
            from db.repositories import Repo

            now = datetime.now(UTC)
            try:
                async with self.session_factory() as session:
                    repo = Repo(session)
                    due, oldest = await repo.outbox.due(now)
                    running = [
                        (b.id, broadcasts.progress(b, await broadcasts.report(repo, b.id), now))
                        for b in await repo.broadcasts.running()
                        if b.status in ("sending", "paused")
                    ]
                    await session.rollback()
            except Exception as exc:
                log.warning("metrics: the database could not be read: %s", type(exc).__name__)
                return
            OUTBOX_DUE.set(due)
            OUTBOX_OLDEST_DUE.set(max((now - oldest).total_seconds(), 0.0) if oldest else 0.0)
            BROADCASTS.clear()
            for broadcast_id, done in running:
                label = str(broadcast_id)
                for state, value in (
                    ("total", done.total),
                    ("done", done.done),
                    ("sent", done.sent),
                    ("blocked", done.blocked),
                    ("failed", done.failed),
                ):
                    BROADCASTS.labels(label, state).set(value)


OPS = web.AppKey("ops", Ops)


def ops_for(application: Application) -> Ops:
    return Ops(application.engine, application.session_factory, application.watch)


async def healthz(request: web.Request) -> web.Response:
    reason = await request.app[OPS].health()
    if reason is not None:
        return web.json_response({"status": "unhealthy", "reason": reason}, status=503)
    return web.json_response({"status": "ok"})


async def metrics_shown(request: web.Request) -> web.Response:
    await request.app[OPS].read_gauges()
    # The format the scraper asks for (Prometheus's text or OpenMetrics), as the client
    # library's own server chooses it.
    encode, content_type = choose_encoder(request.headers.get("Accept", ""))
    return web.Response(
        body=encode(REGISTRY), headers={"Content-Type": content_type, "Cache-Control": "no-store"}
    )


def add_ops(app: web.Application, ops: Ops) -> None:
    app[OPS] = ops
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics_shown)
