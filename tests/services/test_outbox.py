"""The outbox sender against the fake Bot API: every outcome, leases, two senders, the rate,
quiet hours. Senders here get a clock the test moves, so waits cost no real time."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.outbox_sender import OutboxSender
from bot.services import outbox
from bot.services.outbox import Outgoing, QuietHours
from bot.ui.outbox import RENDERERS
from tests.fake_telegram.core import DROPPED
from tests.harness import App, running_app

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)  # 12:00 in Moscow


class Clock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def sender(
    app: App,
    clock: Clock | None = None,
    sessions: async_sessionmaker[AsyncSession] | None = None,
    **settings: Any,
) -> OutboxSender:
    """A sender of its own (the app's keeps its real clock), on the app's bot and database
    (through `sessions`: another engine stands for another instance), with a scheduler that
    never runs: only the test drains it, at the test's clock."""
    tuned = app.settings.model_copy(update=settings)
    return OutboxSender(
        app.bot,
        sessions or app.session_factory,
        app.translator,
        tuned,
        AsyncIOScheduler(),
        RENDERERS,
        clock=clock or Clock(),
    )


async def queue(app: App, *ids: int, key: str = "t", due: datetime = NOW, **kw: Any) -> None:
    async with app.repo() as repo:
        for uid in ids:
            await repo.users.ensure(uid, "ru", NOW)
        await outbox.enqueue(
            repo,
            *(
                Outgoing(
                    uid,
                    outbox.NOTICE,
                    outbox.text("common-cancelled"),
                    due,
                    f"{key}:{uid}",
                    kw.get("expires_at"),
                )
                for uid in ids
            ),
            now=NOW,
        )


async def statuses(app: App) -> dict[str, int]:
    async with app.repo() as repo:
        return await repo.outbox.counts()


def sends(app: App) -> Counter[int]:
    return Counter(c.params["chat_id"] for c in app.api.calls if c.method == "sendMessage" and c.ok)


@pytest.fixture
async def quiet_app(tmp_path: Path) -> Any:
    """An app whose own sender never runs on its own (an hour between polls, nothing due
    when it starts), so only the test's senders send."""
    async with running_app(tmp_path / "bot.sqlite3", outbox_poll_seconds=3600) as app:
        yield app


async def test_sent_once_in_the_recipients_language(quiet_app: App) -> None:
    app = quiet_app
    async with app.repo() as repo:
        await repo.users.ensure(2, "en", NOW)
    await queue(app, 1, 2)
    await queue(app, 1, 2)  # the same keys again: still one message each
    s = sender(app)
    assert await s.drain() == 2
    assert await s.drain() == 0
    assert sends(app) == {1: 1, 2: 1}
    assert app.api.last_text(1) == app.t("ru")("common-cancelled")
    assert app.api.last_text(2) == app.t("en")("common-cancelled")
    async with app.repo() as repo:
        row = await repo.outbox.get("t:1")
    assert row is not None and row.status == "sent" and row.sent_message_id is not None
    assert row.attempts == 1 and row.sent_at == NOW


async def test_cancel_reschedule_and_expiry(quiet_app: App) -> None:
    app = quiet_app
    clock = Clock()
    await queue(app, 1, 2, key="ev:7:rem")
    await queue(app, 3, key="ev:70:rem")  # another event whose key shares the digits
    await queue(app, 4, key="x", expires_at=NOW - timedelta(seconds=1))
    async with app.repo() as repo:
        assert await outbox.cancel(repo, "ev:7:") == 2
        assert await outbox.reschedule(repo, "ev:70:", NOW + timedelta(hours=1)) == 1
    s = sender(app, clock)
    assert await s.drain() == 0
    assert await statuses(app) == {"cancelled": 2, "pending": 1, "expired": 1}
    clock.now = NOW + timedelta(hours=1)
    assert await s.drain() == 1 and sends(app) == {3: 1}
    await queue(app, 1, key="ev:7:rem")  # signed up again: the cancelled row comes back
    assert await s.drain() == 1 and sends(app) == {1: 1, 3: 1}


async def test_every_error_ends_in_its_state(quiet_app: App) -> None:
    app = quiet_app
    clock = Clock()
    s = sender(app, clock, outbox_max_attempts=3)
    await queue(app, 10, key="blocked")
    app.api.block(10)
    assert await s.drain() == 0
    await queue(app, 11, key="missing")
    app.api.fail_next("sendMessage", 400, "Bad Request: chat not found")
    assert await s.drain() == 0
    async with app.repo() as repo:
        assert (await repo.outbox.get("blocked:10")).status == "blocked"  # type: ignore[union-attr]
        assert (await repo.users.get(10)).unreachable_at == NOW  # type: ignore[union-attr]
        assert (await repo.outbox.get("missing:11")).status == "failed"  # type: ignore[union-attr]
    # 5xx and dropped connections: retried after 2 s, 4 s, then given up after 3 attempts.
    await queue(app, 12, key="flaky")
    app.api.fail_next("sendMessage", 502, "Bad Gateway")
    app.api.fail_next("sendMessage", DROPPED, "")
    await s.drain()
    async with app.repo() as repo:
        row = await repo.outbox.get("flaky:12")
    assert row is not None and (row.status, row.attempts) == ("pending", 1)
    assert row.due_at == NOW + timedelta(seconds=2)
    clock.now += timedelta(seconds=2)
    await s.drain()
    clock.now += timedelta(seconds=4)
    assert await s.drain() == 1  # the third attempt goes through
    await queue(app, 13, key="doomed")
    app.api.fail_next("sendMessage", 500, "Internal Server Error", times=3)
    for wait in (0, 2, 4, 8):
        clock.now += timedelta(seconds=wait)
        await s.drain()
    async with app.repo() as repo:
        row = await repo.outbox.get("doomed:13")
    assert row is not None and (row.status, row.attempts) == ("failed", 3)
    assert sends(app) == {12: 1}


async def test_429_pauses_everything_and_costs_no_attempt(quiet_app: App) -> None:
    app = quiet_app
    s = sender(app)  # a real pause: retry_after is honoured in real time
    await queue(app, 20, 21, 22)
    app.api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    await s.drain()
    async with app.repo() as repo:
        first = await repo.outbox.get("t:20")
    assert first is not None and first.status == "pending" and first.attempts == 0
    assert s.pauses == 1
    after_429 = [c.at for c in app.api.calls if c.method == "sendMessage"]
    assert after_429[-1] - after_429[0] >= 0.99  # nothing was sent during the pause
    s._clock = Clock(NOW + timedelta(seconds=1))  # the row's retry is due now
    await s.drain()
    assert sends(app) == {20: 1, 21: 1, 22: 1}


async def test_a_stale_lease_returns_the_row_and_two_senders_never_share(
    quiet_app: App,
) -> None:
    app = quiet_app
    clock = Clock()
    await queue(app, 30)
    async with app.repo() as repo:  # a sender claims the row and dies before sending
        claimed = await repo.outbox.claim(NOW, 10, NOW + timedelta(seconds=60))
    assert [r.recipient_id for r in claimed] == [30]
    s = sender(app, clock)
    assert await s.drain() == 0  # still leased to the dead sender
    clock.now = NOW + timedelta(seconds=61)
    assert await s.drain() == 1 and sends(app) == {30: 1}
    # Two senders draining 300 rows at once: every row goes out exactly once.
    ids = list(range(1000, 1300))
    await queue(app, *ids, key="many")
    a, b = sender(app, clock, outbox_batch=7), sender(app, clock, outbox_batch=11)
    counts = await asyncio.gather(a.drain(), b.drain(), a.drain(wait=True))
    assert sum(counts) == 300 and a.sent > 0 and b.sent > 0
    assert all(sends(app)[uid] == 1 for uid in ids)


async def test_the_rate_never_exceeds_the_setting(quiet_app: App) -> None:
    app = quiet_app
    await queue(app, *range(2000, 2060), key="rate")
    s = sender(app, outbox_rate=40, outbox_batch=25)
    await s.drain()
    times = sorted(c.at for c in app.api.calls if c.method == "sendMessage")
    assert len(times) == 60
    busiest = max(sum(1 for t in times if start <= t < start + 1) for start in times)
    assert busiest <= 40
    assert times[-1] - times[0] >= 59 / 40 * 0.95  # and it is the rate, not far below
    # One chat: at most one message a second (here 4 a second, to keep the test short).
    async with app.repo() as repo:
        await outbox.enqueue(
            repo,
            *(
                Outgoing(2000, outbox.NOTICE, outbox.text("common-cancelled"), NOW, f"one:{n}")
                for n in range(5)
            ),
            now=NOW,
        )
    one = sender(app, outbox_chat_rate=4)
    await one.drain()
    chat = [
        c.at for c in app.api.calls if c.method == "sendMessage" and c.params["chat_id"] == 2000
    ]
    gaps = [later - earlier for earlier, later in zip(chat[-5:-1], chat[-4:], strict=True)]
    assert min(gaps) >= 0.24


async def test_quiet_hours_hold_messages_until_morning(quiet_app: App) -> None:
    app = quiet_app
    late = datetime(2026, 11, 22, 20, 30, tzinfo=UTC)  # 23:30 in Moscow, 05:30 next day in Yakutsk
    clock = Clock(late)
    async with app.repo() as repo:
        await repo.users.ensure(40, "ru", NOW)
        await repo.users.save_profile(40, {"region_code": "77"})  # Moscow
        await repo.users.ensure(41, "ru", NOW)
        await repo.users.save_profile(41, {"region_code": "14"})  # Yakutia
        soon = late + timedelta(hours=1)
        await outbox.enqueue(
            repo,
            Outgoing(40, outbox.NOTICE, outbox.text("common-cancelled"), late, "q:40"),
            Outgoing(41, outbox.NOTICE, outbox.text("common-cancelled"), late, "q:41"),
            Outgoing(
                40,
                outbox.EVENT_REMINDER,
                {**outbox.text("common-cancelled"), "urgent_before": soon.isoformat()},
                late,
                "q:urgent",
            ),
            now=late,
        )
    s = sender(app, clock, quiet_hours="22-8")
    assert await s.drain() == 1  # only the reminder of an event an hour away
    async with app.repo() as repo:
        moscow, yakutsk = await repo.outbox.get("q:40"), await repo.outbox.get("q:41")
    assert moscow is not None and moscow.due_at == datetime(2026, 11, 23, 5, 0, tzinfo=UTC)
    assert yakutsk is not None and yakutsk.due_at == datetime(2026, 11, 22, 23, 0, tzinfo=UTC)
    assert moscow.attempts == 0 and moscow.status == "pending"


def test_quiet_hours_arithmetic() -> None:
    quiet = QuietHours.parse("22-8")
    assert quiet is not None and QuietHours.parse("") is None
    for bad in ("8-8", "25-3", "x"):
        with pytest.raises(ValueError):
            QuietHours.parse(bad)
    evening = datetime(2026, 11, 22, 19, 0, tzinfo=UTC)  # 22:00 Moscow: quiet begins
    assert quiet.ends_after(evening, "Europe/Moscow") == datetime(2026, 11, 23, 5, 0, tzinfo=UTC)
    assert quiet.ends_after(evening - timedelta(minutes=1), "Europe/Moscow") is None
    assert quiet.ends_after(evening, "Europe/Kaliningrad") is None  # 21:00 there
    day = QuietHours.parse("1-5")
    assert (
        day is not None
        and day.holds(datetime(2026, 1, 1, 3))
        and not day.holds(datetime(2026, 1, 1, 5))
    )
    assert outbox.backoff(1) == timedelta(seconds=2) and outbox.backoff(20) == timedelta(minutes=10)


@pytest.mark.expect_errors
async def test_a_row_that_cannot_be_rendered_fails_alone(quiet_app: App) -> None:
    app = quiet_app
    async with app.repo() as repo:
        for uid in (50, 51):
            await repo.users.ensure(uid, "ru", NOW)
        await outbox.enqueue(
            repo,
            Outgoing(50, outbox.NOTICE, outbox.text("no-such-text"), NOW, "bad:50"),
            Outgoing(51, outbox.NOTICE, outbox.text("common-cancelled"), NOW, "good:51"),
            now=NOW,
        )
    assert await sender(app).drain() == 1
    async with app.repo() as repo:
        bad = await repo.outbox.get("bad:50")
    assert bad is not None and bad.status == "failed" and "no-such-text" in (bad.last_error or "")
    assert sends(app) == {51: 1}


async def test_a_claim_takes_at_most_its_batch(quiet_app: App) -> None:
    """On either database: 120 rows due, claims of 50 take 50, 50 and 20, none twice."""
    app = quiet_app
    await queue(app, *range(3000, 3120), key="claim")
    lease = NOW + timedelta(minutes=5)
    taken: list[int] = []
    for expected in (50, 50, 20, 0):
        async with app.repo() as repo:
            rows = await repo.outbox.claim(NOW + timedelta(seconds=1), 50, lease)
        assert len(rows) == expected
        taken += [row.id for row in rows]
    assert len(set(taken)) == 120


async def _until(check: Any, what: str, limit: float = 20.0) -> None:
    """Wait for a state the test cannot be told about (a row claimed by a task in flight)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not await check():
        assert loop.time() < deadline, f"never happened: {what}"
        await asyncio.sleep(0.02)


async def test_a_batch_that_outlasts_its_lease_is_still_sent_once(quiet_app: App) -> None:
    """The pipeline claims the next batch while one is sent; when the first takes longer
    than the lease, the claim that follows must not take back the rows the sender holds."""
    app = quiet_app
    clock = Clock()
    await queue(app, 40, 41)
    s = sender(app, clock, outbox_batch=1)  # lease: 300 s by the clock the test moves
    release = app.api.hold("sendMessage", 40)
    draining = asyncio.create_task(s.drain())

    async def both_claimed() -> bool:
        return await statuses(app) == {"sending": 2}

    await _until(both_claimed, "40 being sent and 41 claimed next")
    clock.now = NOW + timedelta(seconds=301)  # 41's lease ran out while 40 was being sent
    release.set()
    assert await draining == 2
    assert sends(app) == {40: 1, 41: 1}
    assert await statuses(app) == {"sent": 2}


async def test_a_sender_renews_its_lease_so_another_never_takes_the_row(
    quiet_app: App,
) -> None:
    """Two instances: one is still sending when its lease would have run out; it renews
    the lease, so the other one finds nothing to take back."""
    app = quiet_app
    clock = Clock()
    await queue(app, 50)
    slow = sender(app, clock, outbox_lease_seconds=1)  # renewed every third of a second
    other = sender(app, clock, outbox_lease_seconds=1)
    release = app.api.hold("sendMessage", 50)
    draining = asyncio.create_task(slow.drain())
    await app.api.wait_for(lambda c: c.method == "sendMessage", 20)
    clock.now = NOW + timedelta(seconds=5)  # the lease taken at NOW is long over

    async def renewed() -> bool:
        async with app.repo() as repo:
            row = await repo.outbox.get("t:50")
        return row is not None and row.lease_until is not None and row.lease_until > clock.now

    await _until(renewed, "the lease renewed past the clock")
    assert await other.drain() == 0
    release.set()
    assert await draining == 1
    assert sends(app) == {50: 1}


async def test_a_stopping_sender_finishes_its_batch_and_returns_the_next(quiet_app: App) -> None:
    app = quiet_app
    await queue(app, 60, 61)
    s = sender(app, outbox_batch=1)
    release = app.api.hold("sendMessage", 60)
    draining = asyncio.create_task(s.drain())

    async def both_claimed() -> bool:
        return await statuses(app) == {"sending": 2}

    await _until(both_claimed, "60 being sent and 61 claimed next")
    stopping = asyncio.create_task(s.stop())
    await asyncio.sleep(0)  # the stop is asked for while 60 is still in flight
    release.set()
    await stopping
    assert draining.done() and await draining == 1
    assert sends(app) == {60: 1}
    async with app.repo() as repo:
        returned = await repo.outbox.get("t:61")
    assert returned is not None and returned.status == "pending" and returned.attempts == 0


async def test_a_drain_that_outlives_the_stop_is_cancelled(quiet_app: App) -> None:
    app = quiet_app
    await queue(app, 70)
    s = sender(app)
    app.api.hold("sendMessage", 70)  # never answered
    draining = asyncio.create_task(s.drain())
    await app.api.wait_for(lambda c: c.method == "sendMessage", 20)
    await s.stop(grace=0.2)
    assert draining.cancelled()
    assert await statuses(app) == {"sending": 1}  # back to the queue when its lease is over
