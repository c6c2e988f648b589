"""/healthz on the production application (aiohttp's test client, the polling mode's web
application): 200 while the database answers and the scheduler keeps time; 503 with a short
reason when the database does not answer or is broken, the scheduler is paused (a stopping
bot), lagging, or silent. The e2e tests fetch it from the real process in both modes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import text

from bot.ops import HEARTBEAT_JOB, Ops, SchedulerWatch, ops_for
from bot.webapp.server import create_web_app
from db.engine import create_engine
from tests import harness
from tests.harness import App

Client = TestClient  # type: ignore[type-arg]


async def _health(ops: Ops) -> tuple[int, Any]:
    async with TestClient(TestServer(create_web_app(None, ops))) as web:
        response = await web.get("/healthz")
        return response.status, await response.json()


@pytest.fixture
async def web(app: App) -> AsyncIterator[Client]:
    async with TestClient(TestServer(create_web_app(None, ops_for(app.application)))) as client:
        yield client


async def test_healthy(web: Client) -> None:
    response = await web.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"status": "ok"}


async def test_a_paused_scheduler_is_a_stopping_bot(app: App, web: Client) -> None:
    app.application.scheduler.pause()  # what Application.finish does first
    response = await web.get("/healthz")
    assert response.status == 503
    assert await response.json() == {"status": "unhealthy", "reason": "scheduler: not running"}
    app.application.scheduler.resume()
    assert (await web.get("/healthz")).status == 200


async def test_a_lagging_scheduler(app: App) -> None:
    watch = SchedulerWatch(app.application.scheduler, app.engine, beat=0.2, lag_limit=0.1)
    watch.start()  # replaces the app's heartbeat with a fast one
    ops = Ops(app.engine, app.session_factory, watch)
    await asyncio.sleep(0.3)
    assert await _health(ops) == (200, {"status": "ok"})
    time.sleep(0.6)  # noqa: ASYNC251 - the event loop blocked: the next heartbeat is late
    await asyncio.sleep(0.05)
    status, body = await _health(ops)
    assert status == 503 and body["reason"].startswith("scheduler: lagging")
    await asyncio.sleep(0.3)  # the next heartbeat is on time again
    assert await _health(ops) == (200, {"status": "ok"})


async def test_a_silent_scheduler(app: App) -> None:
    watch = SchedulerWatch(app.application.scheduler, app.engine, beat=0.1, lag_limit=0.1)
    watch.start()
    await asyncio.sleep(0.15)
    app.application.scheduler.remove_job(HEARTBEAT_JOB)  # running, but firing nothing
    await asyncio.sleep(0.4)
    status, body = await _health(Ops(app.engine, app.session_factory, watch))
    assert status == 503 and body["reason"].startswith("scheduler: no heartbeat for")


async def test_a_database_that_does_not_answer(app: App) -> None:
    if harness.ON_SERVERS:
        pytest.skip("SQLite's one connection; PostgreSQL has a pool (see the next test)")
    ops = Ops(app.engine, app.session_factory, app.application.watch, probe_timeout=0.3)
    async with app.engine.connect() as held:  # a long transaction holds the connection
        await held.execute(text("SELECT 1"))
        assert await _health(ops) == (
            503,
            {"status": "unhealthy", "reason": "database: no answer in 0.3 s"},
        )
    assert await _health(ops) == (200, {"status": "ok"})


async def test_a_broken_database(app: App, tmp_path: Path) -> None:
    if harness.ON_SERVERS:  # a database that is not there
        url = harness._server_url(f"missing_{tmp_path.name}"[:60])
        reason = "database: InvalidCatalogNameError"
    else:  # a file that is not a database
        (tmp_path / "junk.sqlite3").write_bytes(b"not a database" * 100)
        url = f"sqlite+aiosqlite:///{tmp_path / 'junk.sqlite3'}"
        reason = "database: DatabaseError"
    broken = create_engine(url)
    try:
        ops = Ops(broken, app.session_factory, app.application.watch)
        assert await _health(ops) == (503, {"status": "unhealthy", "reason": reason})
    finally:
        await broken.dispose()
