"""Two real bot processes in webhook mode behind a load balancer (the fake Telegram server
sends updates to them in turn), sharing one PostgreSQL database and one Redis: one of them
sets the webhook, a person's dialog goes on whichever instance gets the next update, a
5,000-recipient broadcast is drained by both and survives one of them being SIGKILLed (the
other takes over its claimed rows after the lease), and the periodic jobs run once a slot.
Runs in the suite's second pass (TEST_ON_SERVERS=1), where PostgreSQL and Redis are up."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import func, select

from bot.scheduler import BROADCAST_PROGRESS
from bot.services import broadcasts
from bot.services.broadcasts import Audience
from db.engine import create_engine, create_session_factory
from db.models import Broadcast, JobRun, User
from db.repositories import Repo
from db.session_hooks import commit
from tests import harness
from tests.e2e.conftest import log_of
from tests.e2e.process import BotProcess, Person, free_port
from tests.fake_telegram.server import FakeTelegramServer
from tests.harness import ON_SERVERS

pytestmark = [
    pytest.mark.asyncio(loop_scope="module"),
    pytest.mark.skipif(not ON_SERVERS, reason="two instances need PostgreSQL and Redis"),
]

RECIPIENTS = 5_000
FIRST = 600_000
ORGANISER = 599_000
RATE = 250  # each instance: together about 500 a second, 10 s for the broadcast
BATCH = 50
LEASE = 3  # seconds before a killed instance's claimed rows go to the other
# At the kill the killed instance holds at most two claimed batches (the one being sent and
# the next), and only the one being sent can have reached Telegram unrecorded.
SENT_UNRECORDED = BATCH
KILL_AFTER = 1_500


def ru(key: str, **args: Any) -> str:
    from bot.i18n import Translator

    return Translator("ru").for_locale("ru")(key, **args)


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def shared(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """The one database and the Redis prefix both instances use."""
    where = tmp_path_factory.mktemp("shared") / "bot.sqlite3"
    return harness.database_url(where), harness.server_overrides(where)["redis_prefix"]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def instances(
    server: FakeTelegramServer, shared: tuple[str, str], tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[list[BotProcess]]:
    url, prefix = shared
    ports = [free_port(), free_port()]
    server.balance = [f"http://127.0.0.1:{port}" for port in ports]
    bots = [
        BotProcess(
            server,
            tmp_path_factory.mktemp(f"instance-{name}"),
            RUN_MODE="webhook",
            TELEGRAM_API_URL=f"{server.base_url}/via/{name}",
            DATABASE_URL=url,
            REDIS_PREFIX=prefix,
            # The public address Telegram posts to (the balancer), the same for both.
            WEBHOOK_BASE_URL="https://tos-bot.example.org",
            WEBHOOK_SECRET="s3cret-token_for-tests",
            WEBHOOK_HOST="127.0.0.1",
            WEBHOOK_PORT=str(port),
            ADMIN_IDS="900",
            OUTBOX_RATE=str(RATE),
            OUTBOX_BATCH=str(BATCH),
            OUTBOX_LEASE_SECONDS=str(LEASE),
            OUTBOX_POLL_SECONDS="1",
            QUIET_HOURS="",
        )
        for name, port in zip(("a", "b"), ports, strict=True)
    ]
    await asyncio.gather(*(bot.start() for bot in bots))  # starting together
    yield bots
    for bot in bots:
        code = await bot.stop()
        assert code in (0, -9), log_of(bot)


async def test_one_instance_sets_the_webhook(
    server: FakeTelegramServer, instances: list[BotProcess]
) -> None:
    sets = [c for c in server.api.calls if c.method == "setWebhook" and c.ok]
    assert len(sets) == 1, [c.via for c in sets]
    assert sets[0].params["url"] == "https://tos-bot.example.org/telegram/webhook"
    infos = {c.via for c in server.api.calls if c.method == "getWebhookInfo"}
    assert infos == {"a", "b"}  # the other looked and found it set


async def test_a_dialog_goes_on_across_instances(
    server: FakeTelegramServer, instances: list[BotProcess], shared: tuple[str, str]
) -> None:
    person = Person(server, 7301)
    since = len(server.api.calls)
    await person.send("/start", expect=ru("start-greeting"))
    await person.click(ru("start-register-button"))
    await person.click(
        ru("registration-consent-agree"), expect="…" + ru("registration-ask-name", step=1, total=5)
    )
    await person.send("Анна Иванова", expect=ru("registration-ask-phone", step=2, total=5))
    await person.send("+7 912 345-67-12", expect=ru("registration-ask-region", step=3, total=5))
    await person.send("татарстан", expect=ru("registration-region-matches", count=1))
    await person.click(
        "Республика Татарстан", expect="…" + ru("registration-ask-municipality", step=4, total=5)
    )
    await person.send("г. Казань", expect=ru("registration-ask-kind", step=5, total=5))
    await person.click(
        ru("kind-resident"), expect="…" + ru("registration-summary", fields="")[:20] + "…"
    )
    await person.click(
        ru("registration-confirm-button"), expect="…" + ru("registration-done", name="Анна Иванова")
    )
    replies = [
        c
        for c in server.api.calls[since:]
        if c.ok
        and c.method in ("sendMessage", "editMessageText")
        and c.params.get("chat_id") == 7301
    ]
    assert {c.via for c in replies} == {"a", "b"}  # both instances answered this person
    engine = create_engine(shared[0])
    try:
        async with engine.connect() as conn:
            user = (await conn.execute(select(User).where(User.id == 7301))).one()
            assert user.full_name == "Анна Иванова" and user.phone == "+79123456712"
    finally:
        await engine.dispose()


async def _prepare_broadcast(url: str, server: FakeTelegramServer) -> int:
    """5,000 registered people of Samara (the dialog test's person lives elsewhere), an organiser, and their broadcast queued as the
    dialog's Send queues it, with a progress message the progress job edits."""
    message = server.api.updates.message(ORGANISER, "Грантовый конкурс: заявки до 1 марта")
    server.api.remember(message["message"])
    engine = create_engine(url)
    try:
        now = datetime.now(UTC)
        async with create_session_factory(engine)() as session:
            repo = Repo(session)
            for uid in (ORGANISER, *range(FIRST, FIRST + RECIPIENTS)):
                await repo.users.ensure(uid, "ru", now)
                await repo.users.save_profile(
                    uid,
                    {
                        "full_name": f"Участник {uid}",
                        "phone": f"+7917{uid:07d}",
                        "region_code": "63",
                        "municipality": "г. Самара",
                        "kind": "resident",
                        "registered_at": now,
                    },
                )
            await repo.roles.grant(ORGANISER, "organiser", now)
            await repo.roles.toggle_region(ORGANISER, "63")
            await commit(session)
            broadcast = Broadcast(
                organiser_id=ORGANISER,
                from_chat_id=ORGANISER,
                message_ids=[message["message"]["message_id"]],
                filters=Audience().to_json(),
                status="draft",
                total=0,
                created_at=now,
            )
            session.add(broadcast)
            await session.flush()
            queued = await broadcasts.queue(repo, broadcast, {"63"}, now)
            assert queued == RECIPIENTS + 1  # the organiser lives there too
            progress = server.api.handle("sendMessage", {"chat_id": ORGANISER, "text": "📣 …"})
            broadcast.progress_message_id = progress["message_id"]
            await commit(session)
            return broadcast.id
    finally:
        await engine.dispose()


def _copies(server: FakeTelegramServer) -> list[Any]:
    return [c for c in server.api.calls if c.method == "copyMessage" and c.ok]


async def _until(condition: Any, timeout: float, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise TimeoutError(f"{what}: not within {timeout} s")
        await asyncio.sleep(0.05)


async def test_a_broadcast_drained_by_both_survives_a_kill(
    server: FakeTelegramServer, instances: list[BotProcess], shared: tuple[str, str]
) -> None:
    url = shared[0]
    broadcast_id = await _prepare_broadcast(url, server)
    everyone = {ORGANISER, *range(FIRST, FIRST + RECIPIENTS)}
    await _until(lambda: len(_copies(server)) >= KILL_AFTER, 60, "the drain to get going")
    await instances[0].kill()
    at_kill = Counter(c.via for c in _copies(server))
    assert at_kill["a"] > 0 and at_kill["b"] > 0  # both were draining
    await _until(
        lambda: {int(c.params["chat_id"]) for c in _copies(server)} >= everyone,
        90,
        "every recipient to get the broadcast",
    )
    got = Counter(int(c.params["chat_id"]) for c in _copies(server))
    assert set(got) == everyone
    twice = [uid for uid, n in got.items() if n > 1]
    assert len(twice) <= SENT_UNRECORDED and max(got.values()) <= 2
    after = Counter(c.via for c in _copies(server)) - at_kill
    assert after["a"] == 0 and after["b"] > 0  # the survivor finished, the killed one's too
    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session:
            assert await broadcasts.report(Repo(session), broadcast_id) == {"sent": RECIPIENTS + 1}
    finally:
        await engine.dispose()


async def test_periodic_jobs_run_once_a_slot(
    server: FakeTelegramServer, instances: list[BotProcess], shared: tuple[str, str]
) -> None:
    """The progress job ticks every 5 s in both instances (one is killed by now; it ran
    alongside the other for the first tests): each slot in job_runs once, and the progress
    message edited at most once a slot."""
    engine = create_engine(shared[0])
    try:
        async with engine.connect() as conn:
            slots = list(
                await conn.scalars(select(JobRun.slot).where(JobRun.job == BROADCAST_PROGRESS.name))
            )
            runs = await conn.scalar(select(func.count()).select_from(JobRun))
    finally:
        await engine.dispose()
    assert len(slots) == len(set(slots)) >= 3 and runs
    edits = [
        c
        for c in server.api.calls
        if c.method == "editMessageText" and c.params.get("chat_id") == ORGANISER
    ]
    assert edits
    per_slot = Counter(BROADCAST_PROGRESS.slot(_at(c)) for c in edits)
    assert max(per_slot.values()) == 1, per_slot


def _at(call: Any) -> datetime:
    """When the fake received a call, on the wall clock the slots are counted in."""
    import time

    return datetime.fromtimestamp(time.time() - (time.monotonic() - call.at), UTC)
