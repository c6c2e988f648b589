"""The real process killed (SIGKILL) in the middle of draining the outbox, then restarted: every
message still goes out, and only the rows in flight at the kill can go out twice."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy import select

from bot.services import outbox
from bot.services.outbox import Outgoing
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from db.models import OutboxMessage
from db.repositories import Repo
from db.session_hooks import commit
from tests import harness
from tests.e2e.conftest import log_of
from tests.e2e.process import BotProcess
from tests.fake_telegram.server import FakeTelegramServer

pytestmark = pytest.mark.asyncio(loop_scope="module")

ROWS = 600
RATE = 100  # messages a second: the drain takes about 6 s
BATCH = 50  # rows claimed at a time
# In flight at the kill: the batch being sent and the next one, claimed meanwhile.
IN_FLIGHT = 2 * BATCH
FIRST = 300_000  # recipients' ids
KILL_AFTER = 130  # messages that reached Telegram before the kill: in the third batch


def database_url(workdir: Path) -> str:
    return harness.database_url(workdir / "bot.sqlite3")


async def queue_messages(url: str) -> None:
    """The database as the process will find it: migrated, ROWS people, a notice due for each."""
    engine = create_engine(url)
    try:
        await upgrade(engine)
        now = datetime.now(UTC)
        async with create_session_factory(engine)() as session:
            repo = Repo(session)
            recipients = range(FIRST, FIRST + ROWS)
            for uid in recipients:
                await repo.users.ensure(uid, "ru", now)
            await outbox.enqueue(
                repo,
                *(
                    Outgoing(uid, outbox.NOTICE, outbox.text("common-cancelled"), now, f"n:{uid}")
                    for uid in recipients
                ),
                now=now,
            )
            await commit(session)
    finally:
        await engine.dispose()


async def rows_by_status(url: str) -> dict[str, list[int]]:
    """Recipients by the status of their row (read while the process is down or running)."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(select(OutboxMessage.status, OutboxMessage.recipient_id))
            found: dict[str, list[int]] = {}
            for status, recipient in rows:
                found.setdefault(status, []).append(recipient)
            return found
    finally:
        await engine.dispose()


def delivered(server: FakeTelegramServer) -> Counter[int]:
    return Counter(
        c.params["chat_id"]
        for c in server.api.calls
        if c.method == "sendMessage" and c.ok and FIRST <= c.params["chat_id"] < FIRST + ROWS
    )


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def outbox_bot(
    server: FakeTelegramServer, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[BotProcess]:
    workdir = tmp_path_factory.mktemp("outbox")
    await queue_messages(database_url(workdir))
    process = BotProcess(
        server,
        workdir,
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


async def test_killed_mid_drain_sends_everything_once_but_the_rows_in_flight(
    server: FakeTelegramServer, outbox_bot: BotProcess
) -> None:
    url = database_url(outbox_bot.workdir)
    await outbox_bot.start()  # the drain starts with the process: everything is due
    await server.api.wait_for(lambda _c: sum(delivered(server).values()) >= KILL_AFTER, 30)
    await outbox_bot.kill()

    before = delivered(server)
    at_kill = await rows_by_status(url)
    in_flight = set(at_kill.get("sending", []))
    assert KILL_AFTER <= sum(before.values()) < ROWS, "the kill was not mid-drain"
    assert len(in_flight) <= IN_FLIGHT
    assert all(n == 1 for n in before.values())
    # Settled rows went out; only claimed ones may have reached Telegram unrecorded.
    assert set(at_kill.get("sent", [])) <= set(before)
    assert set(before) <= set(at_kill.get("sent", [])) | in_flight

    await outbox_bot.start()  # leases of the killed process run out (2 s); their rows return
    await server.api.wait_for(lambda _c: len(delivered(server)) == ROWS, 45)
    for _ in range(100):  # the last batch is recorded just after its messages went out
        final = await rows_by_status(url)
        if set(final) == {"sent"}:
            break
        await asyncio.sleep(0.1)

    after = delivered(server)
    twice = {uid for uid, n in after.items() if n > 1}
    assert set(after) == set(range(FIRST, FIRST + ROWS))  # everyone got the message
    assert max(after.values()) <= 2
    # Duplicates: only rows claimed but not settled at the kill that had reached Telegram.
    assert twice <= in_flight & set(before)
    assert len(twice) <= BATCH  # only the batch being sent had reached Telegram
    assert {status: len(ids) for status, ids in final.items()} == {"sent": ROWS}
    assert outbox_bot.starts == 2
    assert "Traceback" not in log_of(outbox_bot)
