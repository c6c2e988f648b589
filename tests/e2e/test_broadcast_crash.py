"""A 2,000-recipient broadcast, the real process killed (SIGKILL) in the middle of the drain,
then restarted: everyone in the audience gets one copy of the organiser's message, nobody
outside it gets any, only the rows in flight at the kill can go out twice, and the broadcast
ends `done` with a report of 2,000 sent."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import select

from bot.services import broadcasts
from bot.services.broadcasts import Audience
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from db.models import Broadcast, OutboxMessage
from db.repositories import Repo
from db.session_hooks import commit
from tests.e2e.conftest import log_of
from tests.e2e.process import BotProcess
from tests.fake_telegram.server import FakeTelegramServer

pytestmark = pytest.mark.asyncio(loop_scope="module")

RECIPIENTS = 2_000
REGION = "16"  # everyone in the audience lives in Tatarstan
RATE = 200  # messages a second: the whole drain takes about 10 s
BATCH = 50  # rows claimed at a time
# In flight at the kill: the batch being sent and the next one, claimed and rendered meanwhile
# (the sender's pipeline). Only the batch being sent can have reached Telegram unrecorded: the
# next one starts sending after the first is recorded.
IN_FLIGHT = 2 * BATCH
KILL_AFTER = 500  # copies that reached Telegram before the kill: a quarter of the way
FIRST = 400_000  # recipients' ids
ORGANISER = 399_000  # lives in Moscow, organises for Tatarstan
# Not in the audience: registered in another region, or in the region but never registered.
ELSEWHERE = range(399_100, 399_120)
UNREGISTERED = range(399_200, 399_205)
ANNOUNCEMENT = "Школа ТОС в Казани: гранты и местный бюджет. Запись открыта!"
PROGRESS_JOB_SECONDS = 5  # bot/scheduler.py: the progress job's interval


def profile(uid: int, region: str, now: datetime) -> dict[str, Any]:
    return {
        "full_name": f"Участник {uid}",
        "phone": f"+7917{uid:07d}",
        "region_code": region,
        "municipality": "г. Казань" if region == REGION else "г. Самара",
        "kind": "resident",
        "registered_at": now,
    }


def original_message(server: FakeTelegramServer) -> dict[str, Any]:
    """The organiser's announcement as Telegram holds it (bold title, a link): the message the
    dialog would have been sent, so the fake API can copy it."""
    update = server.api.updates.message(ORGANISER, ANNOUNCEMENT)
    message: dict[str, Any] = update["message"]
    message["entities"] = [
        {"type": "bold", "offset": 0, "length": 8},
        {"type": "url", "offset": 10, "length": 6},
    ]
    server.api.remember(message)
    return message


async def prepare(url: str, server: FakeTelegramServer) -> tuple[int, dict[str, Any]]:
    """The database as the dialog's Send leaves it (handlers/broadcast.py `_start`): migrated,
    the people registered, the Broadcast row, its deliveries queued by `broadcasts.queue` in
    batches, and the progress message in the organiser's chat. Returns the broadcast's id and
    the original message."""
    original = original_message(server)
    engine = create_engine(url)
    try:
        await upgrade(engine)
        now = datetime.now(UTC)
        async with create_session_factory(engine)() as session:
            repo = Repo(session)
            await repo.users.ensure(ORGANISER, "ru", now)
            await repo.users.save_profile(ORGANISER, profile(ORGANISER, "77", now))
            for role in ("resident", "organiser"):
                await repo.roles.grant(ORGANISER, role, now)
            assert await repo.roles.toggle_region(ORGANISER, REGION)
            people = [(uid, REGION) for uid in range(FIRST, FIRST + RECIPIENTS)]
            for uid, region in [*people, *((uid, "63") for uid in ELSEWHERE)]:
                await repo.users.ensure(uid, "ru", now)
                await repo.users.save_profile(uid, profile(uid, region, now))
                await repo.roles.grant(uid, "resident", now)
            for uid in UNREGISTERED:
                await repo.users.ensure(uid, "ru", now)
                await repo.users.save_profile(uid, {"region_code": REGION})
            await commit(session)

            scope = await repo.roles.regions_of(ORGANISER)
            audience = Audience()  # everyone the organiser may reach
            assert await broadcasts.count(repo, scope, audience) == RECIPIENTS
            broadcast = Broadcast(
                organiser_id=ORGANISER,
                from_chat_id=ORGANISER,
                message_ids=[original["message_id"]],
                filters=audience.to_json(),
                status="draft",
                scheduled_at=None,
                total=0,
                created_at=now,
            )
            session.add(broadcast)
            await session.flush()
            assert await broadcasts.queue(repo, broadcast, scope, now) == RECIPIENTS
            progress = server.api.handle("sendMessage", {"chat_id": ORGANISER, "text": "📣 …"})
            broadcast.progress_message_id = progress["message_id"]
            await commit(session)
            assert broadcast.status == "sending"
            return broadcast.id, original
    finally:
        await engine.dispose()


async def rows_by_status(url: str, broadcast_id: int) -> dict[str, list[int]]:
    """Recipients by the status of their delivery (read while the process is down or running)."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(OutboxMessage.status, OutboxMessage.recipient_id).where(
                    OutboxMessage.dedupe_key.startswith(broadcasts.prefix(broadcast_id))
                )
            )
            found: dict[str, list[int]] = {}
            for status, recipient in rows:
                found.setdefault(status, []).append(recipient)
            return found
    finally:
        await engine.dispose()


async def broadcast_state(url: str, broadcast_id: int) -> tuple[Broadcast, dict[str, int]]:
    """The Broadcast row and its report, as /broadcasts would show them."""
    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session:
            repo = Repo(session)
            broadcast = await session.get(Broadcast, broadcast_id)
            assert broadcast is not None
            session.expunge(broadcast)
            return broadcast, await broadcasts.report(repo, broadcast_id)
    finally:
        await engine.dispose()


def copies(server: FakeTelegramServer) -> list[dict[str, Any]]:
    """The parameters of every copy Telegram accepted."""
    return [c.params for c in server.api.calls if c.method == "copyMessage" and c.ok]


def delivered(server: FakeTelegramServer) -> Counter[int]:
    return Counter(int(p["chat_id"]) for p in copies(server))


async def until(condition: Any, timeout: float, what: str) -> None:
    """Poll a cheap condition (counting the fake's calls on every request would be quadratic)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await condition():
        if loop.time() > deadline:
            raise TimeoutError(f"{what}: not within {timeout} s")
        await asyncio.sleep(0.02)


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def broadcast_bot(
    server: FakeTelegramServer, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[BotProcess]:
    process = BotProcess(
        server,
        tmp_path_factory.mktemp("broadcast"),
        RUN_MODE="polling",
        OUTBOX_RATE=str(RATE),
        OUTBOX_BATCH=str(BATCH),
        OUTBOX_LEASE_SECONDS="2",
        # Rows whose lease ran out are taken back at the next drain; look every second.
        OUTBOX_POLL_SECONDS="1",
        QUIET_HOURS="",
    )
    yield process
    assert await process.stop() == 0, log_of(process)


async def test_killed_mid_broadcast_everyone_gets_one_copy_but_the_rows_in_flight(
    server: FakeTelegramServer, broadcast_bot: BotProcess
) -> None:
    url = broadcast_bot.env["DATABASE_URL"]  # the database the process will use
    broadcast_id, original = await prepare(url, server)
    audience = set(range(FIRST, FIRST + RECIPIENTS))

    async def enough_for_the_kill() -> bool:
        return len(copies(server)) >= KILL_AFTER

    await broadcast_bot.start()  # the drain starts with the process: everything is due
    await until(enough_for_the_kill, 60, f"{KILL_AFTER} copies")
    await broadcast_bot.kill()

    before = delivered(server)
    at_kill = await rows_by_status(url, broadcast_id)
    in_flight = set(at_kill.get("sending", []))
    assert KILL_AFTER <= sum(before.values()) < RECIPIENTS, "the kill was not mid-drain"
    assert 0 < len(in_flight) <= IN_FLIGHT
    assert all(n == 1 for n in before.values())
    # Settled rows went out; only claimed ones may have reached Telegram unrecorded.
    assert set(at_kill.get("sent", [])) <= set(before)
    assert set(before) <= set(at_kill.get("sent", [])) | in_flight
    unrecorded = set(before) - set(at_kill.get("sent", []))
    assert len(unrecorded) <= BATCH

    async def everyone_has_it() -> bool:
        return len(delivered(server)) >= RECIPIENTS

    async def reported_done() -> bool:
        broadcast, _report = await broadcast_state(url, broadcast_id)
        return broadcast.status == "done"

    await broadcast_bot.start()  # the killed process's leases ran out (2 s); its rows return
    await until(everyone_has_it, 60, "a copy to everyone")
    await until(reported_done, 6 * PROGRESS_JOB_SECONDS, "the progress job's 'done'")

    after = delivered(server)
    twice = {uid for uid, n in after.items() if n > 1}
    assert set(after) == audience  # everyone got it; nobody outside the audience
    assert max(after.values()) <= 2
    # Duplicates: only rows claimed but not settled at the kill that had reached Telegram.
    assert twice <= unrecorded
    assert len(twice) <= BATCH
    assert sum(after.values()) == RECIPIENTS + len(twice)
    # Each is a copy of the organiser's message, formatting intact.
    assert {(p["from_chat_id"], p["message_id"]) for p in copies(server)} == {
        (ORGANISER, original["message_id"])
    }
    copied = [c.message for c in server.api.calls if c.method == "copyMessage" and c.ok]
    assert all(
        m is not None and (m["text"], m["entities"]) == (ANNOUNCEMENT, original["entities"])
        for m in copied
    )

    broadcast, report = await broadcast_state(url, broadcast_id)
    assert report == {"sent": RECIPIENTS}  # nothing pending, sending, failed or blocked
    assert (broadcast.status, broadcast.total) == ("done", RECIPIENTS)
    assert broadcast.finished_at is not None
    # The organiser's progress message ends as the report, without Pause / Stop.
    edits = [
        c
        for c in server.api.calls
        if c.method == "editMessageText"
        and c.ok
        and c.params.get("chat_id") == ORGANISER
        and c.params.get("message_id") == broadcast.progress_message_id
    ]
    assert edits, "the progress message was never edited"
    final = edits[-1].params
    shown = final["text"].replace("\N{NO-BREAK SPACE}", "")  # Fluent groups digits: 2 000
    assert "завершена" in shown and f"Доставлено: {RECIPIENTS}" in shown
    assert "reply_markup" not in final
    assert broadcast_bot.starts == 2
    log = log_of(broadcast_bot)
    assert "Traceback" not in log and " ERROR " not in log
