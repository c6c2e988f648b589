"""/metrics on the production application: the outbox's depth and its oldest due row's age
and the running broadcasts' progress as read at scrape time; sends counted by result
through the real sender against the fake Bot API (ok, 403, 429, failed); updates counted by
handler through the production dispatcher, errors included. The e2e tests scrape the real
process in both modes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.ops import Ops
from bot.services import broadcasts
from bot.webapp.server import create_web_app
from db.models import Broadcast, OutboxMessage
from tests.e2e.scrape import Samples, parse, value
from tests.harness import App
from tests.services.test_outbox import Clock, queue, sender

Client = TestClient  # type: ignore[type-arg]


@pytest.fixture
async def web(app: App) -> AsyncIterator[Client]:
    ops = Ops(app.engine, app.session_factory, app.application.watch, cache_seconds=0)
    async with TestClient(TestServer(create_web_app(None, ops))) as client:
        yield client


async def scrape(web: Client) -> Samples:
    response = await web.get("/metrics")
    assert response.status == 200
    return parse(await response.text())


@pytest.mark.expect_errors  # the refusals below are the fake Bot API's errors on purpose
async def test_outbox_depth_age_and_sends_by_result(app: App, web: Client) -> None:
    app.application.scheduler.pause()  # the app's own sender stays away from these rows
    now = datetime.now(UTC)
    await queue(app, 501, 502, 503, 504, key="m", due=now - timedelta(seconds=90))
    samples = await scrape(web)
    assert value(samples, "tos_outbox_due") == 4
    assert 90 <= value(samples, "tos_outbox_oldest_due_age_seconds") < 150

    before = await scrape(web)
    app.api.block(502)
    app.api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    app.api.fail_next("sendMessage", 400, "Bad Request: chat not found")
    # The sender's clock an hour ahead: the 429's row is due again an hour from now.
    assert await sender(app, Clock(datetime.now(UTC) + timedelta(hours=1))).drain() == 1
    after = await scrape(web)

    def sent(result: str) -> float:
        return value(after, "tos_outbox_sends_total", result=result) - value(
            before, "tos_outbox_sends_total", result=result
        )

    assert (sent("ok"), sent("403"), sent("429"), sent("failed"), sent("retry")) == (1, 1, 1, 1, 0)
    assert value(after, "tos_outbox_due") == 0  # the 429's row waits out retry_after
    assert value(after, "tos_outbox_oldest_due_age_seconds") == 0
    assert value(after, "tos_db_seconds_count", op="outbox_claim") > value(
        before, "tos_db_seconds_count", op="outbox_claim"
    )


async def test_running_broadcasts_progress(app: App, web: Client) -> None:
    now = datetime.now(UTC)
    async with app.repo() as repo:
        for uid in (601, 602, 603):
            await repo.users.ensure(uid, "ru", now)
        running = Broadcast(
            organiser_id=None,
            from_chat_id=900,
            message_ids=[1],
            filters={},
            status="sending",
            total=3,
            created_at=now,
            started_at=now,
        )
        finished = Broadcast(
            organiser_id=None,
            from_chat_id=900,
            message_ids=[1],
            filters={},
            status="done",
            total=1,
            created_at=now,
        )
        repo.session.add_all([running, finished])
        await repo.session.flush()
        for uid, status in ((601, "sent"), (602, "blocked"), (603, "pending")):
            repo.session.add(
                OutboxMessage(
                    recipient_id=uid,
                    kind="broadcast",
                    payload=broadcasts.payload(running),
                    due_at=now + timedelta(hours=1),
                    status=status,
                    attempts=0,
                    dedupe_key=f"{broadcasts.prefix(running.id)}{uid}",
                    created_at=now,
                )
            )
        label, finished_label = str(running.id), str(finished.id)
    samples = await scrape(web)
    states = {
        state: value(samples, "tos_broadcast_deliveries", broadcast_id=label, state=state)
        for state in ("total", "done", "sent", "blocked", "failed")
    }
    assert states == {"total": 3, "done": 2, "sent": 1, "blocked": 1, "failed": 0}
    assert not any(
        n == "tos_broadcast_deliveries" and ("broadcast_id", finished_label) in labels
        for n, labels in samples
    )


async def test_updates_by_handler_and_errors(app: App, web: Client) -> None:
    before = await scrape(web)
    await app.client(7401).send("/start")
    await app.client(7401).send("/help")
    after = await scrape(web)

    def handled(handler: str, result: str = "ok") -> float:
        return value(after, "tos_updates_total", handler=handler, result=result) - value(
            before, "tos_updates_total", handler=handler, result=result
        )

    assert handled("start.started") == 1
    assert (
        sum(v - before.get(k, 0) for k, v in after.items() if k[0] == "tos_update_seconds_count")
        == 2
    )


@pytest.mark.expect_errors
async def test_a_failed_update_is_counted_as_an_error(app: App, web: Client) -> None:
    before = await scrape(web)
    app.api.fail_next("sendMessage", 400, "Bad Request: message text is empty")
    await app.client(7402).send("/start")
    after = await scrape(web)
    assert (
        value(after, "tos_updates_total", handler="start.started", result="error")
        - value(before, "tos_updates_total", handler="start.started", result="error")
        == 1
    )
    assert (
        value(after, "tos_errors_total", where="update")
        - value(before, "tos_errors_total", where="update")
        == 1
    )
