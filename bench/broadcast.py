"""Broadcasts: an organiser's announcement queued for its audience by the production code and
delivered as copies by the production sender against a rate-limited fake Bot API, in two
phases of one run.

Set-up (not measured)
---------------------
Each phase builds the production application (`create_application`, a migrated SQLite file in a
temp dir, `Application.start()`: the scheduler, the outbox sender and the broadcast progress job
running on the real clock) with outbox_chat_rate=1 and no quiet hours, talking to an
in-process fake Bot API (`CopySession`, a `bench.registration.FastSession` that also answers
copyMessage and, like `bench.outbox.LimitedSession`, allows `allowed` messages per rolling
second: one more is answered 429 with retry_after=1 and counted). People are bulk-inserted:
--recipients who match the audience, spread over eight regions, and one in twenty more who do
not (registered in two other regions, never registered, or registered without the resident
role), interleaved by id so the audience query has to skip them. An organiser whose scope is
all ten regions, and the announcement they sent the bot (the message the fake API lets be
copied; a copy of anything else is answered 400).

What is measured
----------------
The dialog's Send, as handlers/broadcast.py `_start` does it: the Broadcast row, then
`broadcasts.queue` with the organiser's scope and the audience "residents of these eight
regions" (`Audience(regions=..., roles=("resident",))`): the audience query walked in id order
in batches of 1,000, one outbox row per recipient keyed `bc:<id>:<user>`, each batch committed
(the sender wakes at the first commit, so the drain starts while the rest is being queued, as
in production), then the progress message. Then the drain, until every row is settled, and the
progress job's report ("done").

* fast: --recipients (100,000), outbox_rate=900/s against a fake allowing 1,000/s. 900, not
  1,000: the API's limit is a rolling count, and a sender set exactly at the limit has no room
  for timer jitter, so one runs below it (as bench/outbox.py does); what is reported is the
  achieved rate against the configured one.
* slow: --slow-recipients (1,000), outbox_rate=25/s (the bot's default) against a fake allowing
  30/s (about what Telegram allows): not a single 429 may be earned.

achieved rate = (copies - 1) / (last copy - first copy), as the fake API saw them arrive.
enqueue = from the Send to the progress message (the Broadcast row, every batch queued and
committed). lateness = sent_at - due_at per row (due_at is the moment of the Send, so the
lateness of the first rows includes waiting for the first commit); the ideal is row k out at
k / rate. Memory: the process's resident set sampled every 10 ms from the Send to the end of
the drain (peak during the enqueue and overall), plus ru_maxrss (the process's peak so far)
read after the set-up and again at the end of the drain, before this benchmark's own analysis
(which loads every row's times) adds to it. The fake API keeps its bookkeeping compact (a
byte per person, an array of arrival times), so the resident set is the bot's.

Self-checks (any failure: exit 1, after the report and the JSON are written): the audience
counted and queued is exactly the recipients; every recipient got exactly one copy (across
instances), of the organiser's message, and nobody else got any; every row ended `sent`; the
broadcast's report is all sent and its status `done` once the progress job has run; no 429 in
the slow phase (with two instances, not from the shared limit either); nothing logged at error
in any instance. The rate and memory targets are reported with a verdict but do not fail the
run (timing is noisy on a shared machine).

On PostgreSQL + Redis (`--backend postgres`, servers from --postgres-url / --redis-url or
TEST_POSTGRES_URL / TEST_REDIS_URL), each phase gets a database of its own on the server and a
Redis prefix of its own (removed at the end). With `--instances 2` the application is two worker
processes (`--worker`, bench/servers.py), each the production application started as above
with an in-process fake API of its own, and the configured rate is the total: each instance
runs at outbox_rate = rate / 2 (OUTBOX_RATE is per process), with OUTBOX_POLL_SECONDS =
--poll-seconds (1). The benchmark migrates the database and inserts the people; instance a
takes the Send (it queues the broadcast and its sender wakes at the first commit), instance b
finds the rows at its next poll, and both claim batches with FOR UPDATE SKIP LOCKED. Every
fake reports the (machine-wide monotonic) arrival times of its copies and who got them: the
achieved rate, the busiest rolling second and the copies per person are computed over both,
and the rolling-second limit is replayed over the merged arrivals ("a fake API shared by the
instances would have answered N 429s": Telegram's limit is the bot's, not the instance's).
The split between the instances is reported per instance; memory per process (the largest).
The servers' CPU is reported beside the bot's where they run on this machine.

Run: `python -m bench.broadcast [--recipients 100000] [--slow-recipients 1000] [--backend
postgres [--instances 2]]`. Results go to bench/results/broadcast.json
(broadcast-postgres-N.json on PostgreSQL, or --results).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import gc
import itertools
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from array import array
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramRetryAfter
from aiogram.methods import CopyMessage, SendMessage, TelegramMethod
from aiogram.types import MessageId
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bench import servers
from bench.outbox import REGIONS, RssSampler, busiest_second, maxrss_mb, quantile, rss_bytes
from bench.registration import RESULTS_DIR, FastSession, LogCounter, machine_info
from bench.servers import Backend, ServerCpu, Worker, WorkerChannel, server_info
from bot.commands import record_menus_current
from bot.config import Settings
from bot.factory import Application, create_application
from bot.runtime import tune_gc
from bot.services import broadcasts
from bot.services.broadcasts import Audience
from db.engine import create_engine, create_session_factory
from db.models import Broadcast, OutboxMessage, RoleRegion, User, UserRole
from db.repositories import Repo
from db.session_hooks import commit
from tests.harness import TOKEN, make_settings

FIRST_USER = 30_000_000
ORGANISER = FIRST_USER - 1
INSERT_BATCH = 1_000  # users per insert statement
OUTSIDERS_PER_RECIPIENT = 1 / 20
TARGET_SHARE = 0.95  # of the configured rate
TARGET_RSS_MB = 200.0  # the whole process, during enqueue and drain
PROGRESS_WAIT_S = 20.0  # the progress job runs every 5 s (bot/scheduler.py)
AUDIENCE_REGIONS = tuple(code for code, _town in REGIONS[:8])
OUTSIDE_REGIONS = tuple(code for code, _town in REGIONS[8:])
TOWNS = dict(REGIONS)
ANNOUNCEMENT = "Школа ТОС: гранты и местный бюджет. Запись открыта до пятницы."

# What a person of the table is (a byte each, by position).
RECIPIENT, ELSEWHERE, UNREGISTERED, NOT_RESIDENT = 0, 1, 2, 3


class CopySession(FastSession):
    """FastSession that answers copyMessage of the messages it knows and allows `allowed`
    messages (copies and sends) per rolling second, as the Bot API's flood control does: one
    more gets 429 "retry after 1" (through aiogram's own response check, so the bot sees
    TelegramRetryAfter exactly as from the real API) and is counted, not sent."""

    def __init__(self, allowed: int, first: int, people: int) -> None:
        super().__init__()
        self.allowed = allowed
        self.first = first
        self.arrivals = array("d")  # monotonic arrival of every accepted copy
        self.copies = bytearray(people)  # copies per person, by position (saturates at 255)
        self.strangers = 0  # copies to chats outside the table
        self.wrong_source = 0  # copies of anything but a known original
        self.rejected = 0  # 429s answered
        self.originals: set[tuple[int, int]] = set()
        self._window: deque[float] = deque()
        self._copy_ids = itertools.count(1_000_000)

    def original(self, chat_id: int) -> int:
        """A message the person sent the bot (the announcement to copy); its id."""
        message_id = self.next_message_id(chat_id)
        self.originals.add((chat_id, message_id))
        return message_id

    def _flood_control(self, bot: Bot, method: TelegramMethod[Any]) -> None:
        now = time.monotonic()
        while self._window and self._window[0] <= now - 1.0:
            self._window.popleft()
        if len(self._window) >= self.allowed:
            self.rejected += 1
            self.calls[f"{method.__api_method__} (429)"] += 1
            body = {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 1",
                "parameters": {"retry_after": 1},
            }
            self.check_response(bot, method, 429, json.dumps(body))  # raises RetryAfter
        self._window.append(now)

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[Any],
        timeout: int | None = None,  # noqa: ASYNC109 - aiogram's signature
    ) -> Any:
        if isinstance(method, CopyMessage):
            self._flood_control(bot, method)
            if (int(method.from_chat_id), method.message_id) not in self.originals:
                self.wrong_source += 1
                body = {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: message to copy not found",
                }
                self.check_response(bot, method, 400, json.dumps(body))  # raises BadRequest
            self.calls["copyMessage"] += 1
            self.arrivals.append(time.monotonic())
            position = int(method.chat_id) - self.first
            if 0 <= position < len(self.copies):
                self.copies[position] = min(255, self.copies[position] + 1)
            else:
                self.strangers += 1
            return MessageId(message_id=next(self._copy_ids))
        if isinstance(method, SendMessage):  # the progress message
            self._flood_control(bot, method)
        return await super().make_request(bot, method, timeout)


# ---- the data --------------------------------------------------------------------------------


def kinds(recipients: int) -> bytearray:
    """What each position of the table is: recipients, with outsiders spread evenly among
    them (cycling through the three ways of being outside the audience)."""
    outsiders = max(3, round(recipients * OUTSIDERS_PER_RECIPIENT))
    total = recipients + outsiders
    table = bytearray(total)  # RECIPIENT everywhere
    for j in range(outsiders):
        table[(2 * j + 1) * total // (2 * outsiders)] = ELSEWHERE + j % 3
    return table


def user_row(uid: int, kind: int, n: int, now: datetime, policy: str) -> dict[str, Any]:
    if kind == ELSEWHERE:
        code = OUTSIDE_REGIONS[n % len(OUTSIDE_REGIONS)]
    else:
        code = AUDIENCE_REGIONS[n % len(AUDIENCE_REGIONS)]
    registered = None if kind == UNREGISTERED else now - timedelta(days=1 + n % 300)
    joined = (registered or now) - timedelta(minutes=5)
    return {
        "id": uid,
        "language": "en" if n % 10 == 3 else "ru",
        "created_at": joined,
        "consent_at": None if registered is None else joined,
        "consent_version": None if registered is None else policy,
        "full_name": None if registered is None else f"Участник {n}",
        "phone": None if registered is None else f"+7913{n:07d}",
        "region_code": code,
        "municipality": TOWNS[code],
        "kind": None if registered is None else "resident",
        "registered_at": registered,
        "unreachable_at": None,
        "muted_kinds": [],
    }


def audience_of() -> Audience:
    """The broadcast's audience: residents of the eight regions."""
    return Audience(regions=AUDIENCE_REGIONS, roles=("resident",))


async def populate(engine: AsyncEngine, table: bytearray) -> None:
    """The people (by position in `table`), their roles, and the organiser with all ten
    regions; bulk-inserted, as the set-up is not what is measured."""
    now = datetime.now(UTC)
    async with engine.begin() as conn:
        organiser = user_row(ORGANISER, RECIPIENT, 0, now, "v") | {
            "region_code": OUTSIDE_REGIONS[0],  # not in the audience: no copy to themselves
            "municipality": TOWNS[OUTSIDE_REGIONS[0]],
        }
        await conn.execute(insert(User), [organiser])
        await conn.execute(
            insert(UserRole),
            [
                {"user_id": ORGANISER, "role": role, "granted_at": now, "granted_by": None}
                for role in ("resident", "organiser")
            ],
        )
        await conn.execute(
            insert(RoleRegion), [{"user_id": ORGANISER, "region_code": c} for c, _t in REGIONS]
        )
        for start in range(0, len(table), INSERT_BATCH):
            positions = range(start, min(start + INSERT_BATCH, len(table)))
            people = [user_row(FIRST_USER + i, table[i], i, now, "v") for i in positions]
            await conn.execute(insert(User), people)
            roles = [
                {
                    "user_id": FIRST_USER + i,
                    "role": "expert" if table[i] == NOT_RESIDENT else "resident",
                    "granted_at": now,
                    "granted_by": None,
                }
                for i in positions
                if table[i] != UNREGISTERED
            ]
            if roles:
                await conn.execute(insert(UserRole), roles)


# ---- measuring ---------------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    recipients: int
    configured_rate: float  # in all: each of n instances is set to configured_rate / n
    allowed_rate: int
    batch: int
    backend: str = "sqlite"
    instances: int = 1
    rate_per_instance: float = 0.0
    poll_seconds: float | None = None  # OUTBOX_POLL_SECONDS of the instances (None: default)
    people_in_table: int = 0
    counted: int = 0  # the audience's count, as the dialog shows it
    count_s: float = 0.0
    queued: int = 0
    enqueue_s: float = 0.0
    enqueue_rows_per_s: float = 0.0
    sent_during_enqueue: int = 0
    copies: int = 0  # accepted copyMessage calls
    answered_429: int = 0  # by the instances' fake APIs
    # Of the copies all instances made, how many a single fake API shared by them (Telegram's
    # limit is the bot's, whichever instance calls) would have answered 429: the rolling
    # window replayed over every instance's arrivals (0 for one instance by construction).
    shared_429: int = 0
    sender_pauses: int = 0
    achieved_rate: float = 0.0
    achieved_share: float = 0.0  # of the configured rate
    drain_s: float = 0.0  # first copy to last copy
    send_to_first_copy_s: float = 0.0
    send_to_done_s: float = 0.0  # from the Send to the last row settled
    lateness_p50_s: float = 0.0
    lateness_p99_s: float = 0.0
    lateness_max_s: float = 0.0
    ideal_lateness_p50_s: float = 0.0
    ideal_lateness_p99_s: float = 0.0
    busiest_second: int = 0  # most copies the fake API saw in any rolling second
    stalls: int = 0  # gaps between copies longer than twice the configured spacing
    stalled_s: float = 0.0
    # The achieved rate in each tenth of the copies: does the drain slow as the table fills?
    rate_by_tenth: list[float] = field(default_factory=list)
    # With several instances: the largest of them (each figure is per process).
    rss_start_mb: float = 0.0
    rss_peak_enqueue_mb: float = 0.0
    rss_peak_mb: float = 0.0
    rss_growth_mb: float = 0.0
    maxrss_setup_mb: float = 0.0  # ru_maxrss once the people are inserted, before the Send
    maxrss_mb: float = 0.0  # ru_maxrss at the end of the drain
    cpu_s: float = 0.0  # the instances' processes, summed
    server_cpu: dict[str, float | None] = field(default_factory=dict)
    broadcast_status: str = ""
    report: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    bot_api_calls: dict[str, int] = field(default_factory=dict)
    per_instance: list[dict[str, Any]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


@dataclass
class Seen:
    """What one instance's fake API saw, and the instance's own figures."""

    name: str
    arrivals: list[float]  # machine-wide monotonic times of the accepted copies
    copies: bytearray
    strangers: int
    wrong_source: int
    rejected: int
    pauses: int
    calls: dict[str, int]
    rss_start_mb: float
    rss_peak_enqueue_mb: float
    rss_peak_mb: float
    maxrss_setup_mb: float
    maxrss_mb: float
    cpu_s: float
    logged: dict[str, int] = field(default_factory=dict)
    first_logged: list[str] = field(default_factory=list)

    @staticmethod
    def of(name: str, session: CopySession, pauses: int, rss: RssSampler) -> Seen:
        return Seen(
            name,
            list(session.arrivals),
            session.copies,
            session.strangers,
            session.wrong_source,
            session.rejected,
            pauses,
            dict(session.calls),
            round(rss.start / 2**20, 1),
            0.0,
            round(rss.peak / 2**20, 1),
            0.0,
            round(maxrss_mb(), 1),
            0.0,
        )

    def to_json(self) -> dict[str, Any]:
        values = asdict(self)
        values["copies"] = base64.b64encode(self.copies).decode()
        return values

    @staticmethod
    def from_json(values: dict[str, Any]) -> Seen:
        values = dict(values)
        values["copies"] = bytearray(base64.b64decode(values["copies"]))
        return Seen(**values)


async def wait_drained(
    sessions: async_sessionmaker[AsyncSession],
    arrived: Callable[[], Awaitable[int]],
    rows: int,
    limit: float,
) -> bool:
    """Until every row is settled (no pending or sending left), or `limit` seconds."""
    deadline = time.monotonic() + limit
    last_look = 0.0
    while time.monotonic() < deadline:
        # The fakes' counters cost nothing; the database is asked once a second, or at the end.
        if await arrived() >= rows or time.monotonic() - last_look >= 1.0:
            last_look = time.monotonic()
            async with sessions() as db:
                counts = await Repo(db).outbox.counts()
            if not counts.get("pending") and not counts.get("sending"):
                return True
        await asyncio.sleep(0.02)
    return False


async def send_broadcast(app: Application, audience: Audience, original: int) -> tuple[int, int]:
    """What the dialog's Send does (handlers/broadcast.py `_start`), in one session whose
    batches `broadcasts.queue` commits; the broadcast's id and how many were queued."""
    now = datetime.now(UTC)
    async with app.session_factory() as session:
        repo = Repo(session)
        scope = await repo.roles.regions_of(ORGANISER)
        broadcast = Broadcast(
            organiser_id=ORGANISER,
            from_chat_id=ORGANISER,
            message_ids=[original],
            filters=audience.to_json(),
            status="draft",
            scheduled_at=None,
            total=0,
            created_at=now,
        )
        session.add(broadcast)
        await session.flush()
        queued = await broadcasts.queue(repo, broadcast, scope, now)
        await commit(session)  # as the request middleware does before the progress message
        progress = await app.bot.send_message(ORGANISER, f"📣 0 / {queued}")
        broadcast.progress_message_id = progress.message_id
        await commit(session)
        return broadcast.id, queued


async def live_count(app: Application) -> tuple[int, float]:
    """The live count the organiser sees before sending, and how long it took."""
    started = time.perf_counter()
    async with app.session_factory() as db:
        repo = Repo(db)
        counted = await broadcasts.count(
            repo, await repo.roles.regions_of(ORGANISER), audience_of()
        )
    return counted, round(time.perf_counter() - started, 3)


async def wait_done(
    sessions: async_sessionmaker[AsyncSession], broadcast_id: int, limit: float
) -> Broadcast | None:
    """The broadcast once the progress job has called it done (or as it stands at `limit`)."""
    deadline = time.monotonic() + limit
    while True:
        async with sessions() as db:
            broadcast = await db.get(Broadcast, broadcast_id)
            if broadcast is not None:
                db.expunge(broadcast)
        if broadcast is None or broadcast.status == "done" or time.monotonic() > deadline:
            return broadcast
        await asyncio.sleep(0.25)


async def settle_figures(
    sessions: async_sessionmaker[AsyncSession], phase: Phase, broadcast_id: int
) -> list[float]:
    """The broadcast's status (once the progress job had time), rows by status, its report;
    the lateness of every sent row, sorted."""
    broadcast = await wait_done(sessions, broadcast_id, PROGRESS_WAIT_S)
    phase.broadcast_status = broadcast.status if broadcast else "missing"
    async with sessions() as db:
        repo = Repo(db)
        phase.statuses = await repo.outbox.counts()
        phase.report = await broadcasts.report(repo, broadcast_id)
        rows = await db.execute(
            select(OutboxMessage.due_at, OutboxMessage.sent_at).where(
                OutboxMessage.status == "sent"
            )
        )
        return sorted((s - d).total_seconds() for d, s in rows if s is not None)


def phase_settings(tmp: Path, phase: Phase, overrides: dict[str, Any]) -> Settings:
    extra = {} if phase.poll_seconds is None else {"outbox_poll_seconds": phase.poll_seconds}
    return make_settings(
        tmp / f"{phase.name}.sqlite3",
        outbox_rate=phase.rate_per_instance,
        outbox_chat_rate=1,
        outbox_batch=phase.batch,
        quiet_hours="",
        **extra,
        **overrides,
    )


async def run_here(
    tmp: Path, phase: Phase, table: bytearray, overrides: dict[str, Any], backend: Backend
) -> tuple[list[Seen], float, list[float]]:
    """One instance: the production application in this process (as before servers)."""
    session = CopySession(phase.allowed_rate, FIRST_USER, len(table))
    app = await create_application(phase_settings(tmp, phase, overrides), bot_session=session)
    cpu_meter = ServerCpu(backend, overrides["database_url"]) if overrides else None
    rss = RssSampler()
    try:
        await app.start()
        tune_gc()  # as bot.app.run does after start-up
        await populate(app.engine, table)
        original = session.original(ORGANISER)
        phase.counted, phase.count_s = await live_count(app)

        gc.collect()
        maxrss_setup = round(maxrss_mb(), 1)
        if cpu_meter:
            await cpu_meter.start()
        cpu = time.process_time()
        with rss.restart():
            sent_at = time.monotonic()
            broadcast_id, phase.queued = await send_broadcast(app, audience_of(), original)
            enqueued_at = time.monotonic()
            peak_enqueue = round(rss.peak / 2**20, 1)

            async def arrived() -> int:
                return len(session.arrivals)

            limit = 10 * phase.recipients / phase.configured_rate + 60  # a slow machine too
            drained = await wait_drained(app.session_factory, arrived, phase.recipients, limit)
            done_at = time.monotonic()
        seen = Seen.of("a", session, app.outbox.pauses, rss)
        seen.cpu_s = round(time.process_time() - cpu, 2)
        seen.maxrss_setup_mb, seen.rss_peak_enqueue_mb = maxrss_setup, peak_enqueue
        if cpu_meter:
            phase.server_cpu = await cpu_meter.stop()
        finish(phase, sent_at, enqueued_at, done_at, drained, limit)
        # The drain that sent the last row is still planning the next one: let it finish.
        await app.outbox.drain(wait=True)
        lateness = await settle_figures(app.session_factory, phase, broadcast_id)
    finally:
        await app.close()
    return [seen], sent_at, lateness


def finish(
    phase: Phase, sent_at: float, enqueued_at: float, done_at: float, drained: bool, limit: float
) -> None:
    phase.enqueue_s = round(enqueued_at - sent_at, 3)
    phase.enqueue_rows_per_s = round(phase.queued / max(enqueued_at - sent_at, 1e-9))
    phase.send_to_done_s = round(done_at - sent_at, 3)
    if not drained:
        phase.failures.append(f"{phase.name}: not drained within {limit:.0f} s")


async def run_instances(
    phase: Phase, table: bytearray, overrides: dict[str, Any], backend: Backend
) -> tuple[list[Seen], float, list[float]]:
    """Several instances: a worker process each (`--worker`), each the production application
    (`create_application` + `start()`: its scheduler, outbox sender and progress job) with an
    in-process fake API of its own, sharing the database and Redis. The benchmark migrated
    the database and inserted the people; instance a gets the organiser's Send (the instance
    the balancer gave that update to: it queues the broadcast, and its sender wakes at the
    first commit), the others find the rows at their next poll. Each reports the arrival
    times its fake saw; the overall rate and the shared limit are checked over all of them."""
    engine = create_engine(overrides["database_url"])
    sessions = create_session_factory(engine)
    cpu_meter = ServerCpu(backend, overrides["database_url"])
    config = {
        "overrides": overrides,
        "phase": asdict(phase),
        "table_size": len(table),
    }
    workers = [Worker("bench.broadcast", name, config) for name in "abcdefgh"[: phase.instances]]
    sender = workers[0]
    try:
        await populate(engine, table)
        await asyncio.gather(*(w.start() for w in workers))
        await asyncio.gather(*(w.receive(600) for w in workers))  # ready
        counted = await sender.ask("count", 600)
        phase.counted, phase.count_s = counted["counted"], counted["count_s"]
        await cpu_meter.start()
        await asyncio.gather(*(w.ask("start", 60) for w in workers))
        sent = await sender.ask("send", 600)
        phase.queued, broadcast_id = sent["queued"], sent["broadcast_id"]
        sent_at, enqueued_at = sent["sent_at"], sent["enqueued_at"]

        async def arrived() -> int:
            answers = await asyncio.gather(*(w.ask("arrived", 60) for w in workers))
            return sum(int(a["arrived"]) for a in answers)

        limit = 10 * phase.recipients / phase.configured_rate + 60
        drained = await wait_drained(sessions, arrived, phase.recipients, limit)
        done_at = time.monotonic()
        answers = await asyncio.gather(*(w.ask("finish", 120) for w in workers))
        phase.server_cpu = await cpu_meter.stop()
        finish(phase, sent_at, enqueued_at, done_at, drained, limit)
        lateness = await settle_figures(sessions, phase, broadcast_id)
    finally:
        codes = await asyncio.gather(*(w.stop() for w in workers))
        await engine.dispose()
    seen = [Seen.from_json(a["seen"]) for a in answers]
    seen[0].rss_peak_enqueue_mb = sent["rss_peak_enqueue_mb"]
    for worker, code in zip(workers, codes, strict=True):
        if code != 0:
            phase.failures.append(f"{phase.name}: instance {worker.name} exited with code {code}")
    return seen, sent_at, lateness


async def worker(config: dict[str, Any]) -> int:
    """A worker process (see run_instances): the production application, taking commands."""
    channel = WorkerChannel()
    counter = LogCounter()
    logging.getLogger().addHandler(counter)
    phase = Phase(**config["phase"])
    session = CopySession(phase.allowed_rate, FIRST_USER, config["table_size"])
    rss = RssSampler()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-broadcast-worker-") as tmp:
            settings = phase_settings(Path(tmp), phase, config["overrides"])
            app = await create_application(settings, bot_session=session)
            try:
                # The set-up wrote its people straight into the tables; had they registered
                # and been given roles in the chat, their menus would have been set then.
                await record_menus_current(app.bot, app.session_factory, app.translator)
                await app.start()
                tune_gc()
                # The organiser's announcement: the same message id in every instance's fake.
                original = session.original(ORGANISER)
                channel.answer("ready")
                await serve(channel, config["name"], app, session, original, rss, counter)
            finally:
                await app.close()
    except Exception as exc:
        channel.answer("error", error=repr(exc))
        raise
    return 0


async def serve(
    channel: WorkerChannel,
    name: str,
    app: Application,
    session: CopySession,
    original: int,
    rss: RssSampler,
    counter: LogCounter,
) -> None:
    cpu, maxrss_setup, peak_enqueue = 0.0, 0.0, 0.0
    while True:
        command = (await channel.command())["command"]
        if command == "exit":
            return
        if command == "count":
            counted, count_s = await live_count(app)
            channel.answer("counted", counted=counted, count_s=count_s)
        elif command == "start":
            counter.counts.clear()
            counter.first.clear()
            gc.collect()
            maxrss_setup = round(maxrss_mb(), 1)
            cpu = time.process_time()
            rss.restart().__enter__()
            channel.answer("started")
        elif command == "send":
            sent_at = time.monotonic()
            broadcast_id, queued = await send_broadcast(app, audience_of(), original)
            enqueued_at = time.monotonic()
            peak_enqueue = round(rss.peak / 2**20, 1)
            channel.answer(
                "sent",
                broadcast_id=broadcast_id,
                queued=queued,
                sent_at=sent_at,
                enqueued_at=enqueued_at,
                rss_peak_enqueue_mb=peak_enqueue,
            )
        elif command == "arrived":
            channel.answer("arrived", arrived=len(session.arrivals))
        elif command == "finish":
            rss.__exit__()
            seen = Seen.of(name, session, app.outbox.pauses, rss)
            seen.cpu_s = round(time.process_time() - cpu, 2)
            seen.maxrss_setup_mb, seen.rss_peak_enqueue_mb = maxrss_setup, peak_enqueue
            # The drain that sent the last row is still planning the next one: let it finish.
            await app.outbox.drain(wait=True)
            seen.logged, seen.first_logged = dict(counter.counts), list(counter.first)
            channel.answer("finished", seen=seen.to_json())


def shared_refusals(arrivals: list[float], allowed: int) -> int:
    """How many of these (sorted) arrivals one fake API allowing `allowed` per rolling second
    would have answered 429 (a refused one takes no place in the window)."""
    window: deque[float] = deque()
    refused = 0
    for t in arrivals:
        while window and window[0] <= t - 1.0:
            window.popleft()
        if len(window) >= allowed:
            refused += 1
        else:
            window.append(t)
    return refused


async def run_phase(tmp: Path, phase: Phase, counter: LogCounter, backend: Backend) -> Phase:
    table = kinds(phase.recipients)
    phase.people_in_table = len(table)
    phase.backend, phase.rate_per_instance = backend.name, phase.configured_rate / phase.instances
    overrides: dict[str, Any] = {}
    if backend.servers:
        # Several instances cannot all migrate a new database at once: the benchmark does.
        url = await backend.new_database(f"broadcast_{phase.name}", migrated=phase.instances > 1)
        overrides = backend.overrides(url, backend.new_prefix(f"broadcast-{phase.name}"))
    counter.counts.clear()
    counter.first.clear()
    if phase.instances == 1:
        seen, sent_at, lateness = await run_here(tmp, phase, table, overrides, backend)
    else:
        seen, sent_at, lateness = await run_instances(phase, table, overrides, backend)
    analyse(phase, table, seen, sent_at, lateness)
    if counter.counts["ERROR"] or counter.counts["CRITICAL"]:
        phase.failures.append(
            f"{phase.name}: errors logged: {dict(counter.counts)}; first: {counter.first}"
        )
    return phase


def analyse(
    phase: Phase, table: bytearray, seen: list[Seen], sent_at: float, lateness: list[float]
) -> None:
    """The figures and the self-checks over what every instance's fake saw."""
    arrivals = sorted(t for s in seen for t in s.arrivals)
    copies = bytearray(len(table))
    for s in seen:
        copies = bytearray(min(255, a + b) for a, b in zip(copies, s.copies, strict=True))
    phase.copies = len(arrivals)
    phase.answered_429 = sum(s.rejected for s in seen)
    phase.shared_429 = shared_refusals(arrivals, phase.allowed_rate)
    phase.sender_pauses = sum(s.pauses for s in seen)
    calls: Counter[str] = Counter()
    for s in seen:
        calls.update(s.calls)
    phase.bot_api_calls = dict(calls)
    phase.sent_during_enqueue = sum(1 for t in arrivals if t <= sent_at + phase.enqueue_s)
    if arrivals:
        phase.send_to_first_copy_s = round(arrivals[0] - sent_at, 3)
    if len(arrivals) >= 2:
        phase.drain_s = round(arrivals[-1] - arrivals[0], 3)
        phase.achieved_rate = round((len(arrivals) - 1) / (arrivals[-1] - arrivals[0]), 1)
        phase.achieved_share = round(phase.achieved_rate / phase.configured_rate, 4)
        phase.busiest_second = busiest_second(arrivals)
        spacing = 1 / phase.configured_rate
        gaps = [b - a for a, b in itertools.pairwise(arrivals) if b - a > 2 * spacing]
        phase.stalls = len(gaps)
        phase.stalled_s = round(sum(gaps) - spacing * len(gaps), 3)
        tenth = max(1, (len(arrivals) - 1) // 10)
        phase.rate_by_tenth = [
            round(tenth / (arrivals[k + tenth] - arrivals[k]), 1)
            for k in range(0, len(arrivals) - tenth, tenth)
            if arrivals[k + tenth] > arrivals[k]
        ][:10]
    if lateness:
        phase.lateness_p50_s = round(quantile(lateness, 50), 3)
        phase.lateness_p99_s = round(quantile(lateness, 99), 3)
        phase.lateness_max_s = round(lateness[-1], 3)
        ideal = [k / phase.configured_rate for k in range(phase.recipients)]
        phase.ideal_lateness_p50_s = round(quantile(ideal, 50), 3)
        phase.ideal_lateness_p99_s = round(quantile(ideal, 99), 3)
    phase.rss_start_mb = max(s.rss_start_mb for s in seen)
    phase.rss_peak_enqueue_mb = max(s.rss_peak_enqueue_mb for s in seen)
    phase.rss_peak_mb = max(s.rss_peak_mb for s in seen)
    phase.rss_growth_mb = round(max(s.rss_peak_mb - s.rss_start_mb for s in seen), 1)
    phase.maxrss_setup_mb = max(s.maxrss_setup_mb for s in seen)
    phase.maxrss_mb = max(s.maxrss_mb for s in seen)
    phase.cpu_s = round(sum(s.cpu_s for s in seen), 2)
    name = phase.name
    for s in seen:
        own = s.arrivals
        phase.per_instance.append(
            {
                "instance": s.name,
                "copies": len(own),
                "share": round(len(own) / max(1, len(arrivals)), 4),
                "first_copy_after_send_s": round(own[0] - sent_at, 3) if own else None,
                "last_copy_after_send_s": round(own[-1] - sent_at, 3) if own else None,
                "achieved_rate": (
                    round((len(own) - 1) / (own[-1] - own[0]), 1)
                    if len(own) >= 2 and own[-1] > own[0]
                    else 0.0
                ),
                "answered_429": s.rejected,
                "sender_pauses": s.pauses,
                "rss_start_mb": s.rss_start_mb,
                "rss_peak_mb": s.rss_peak_mb,
                "maxrss_mb": s.maxrss_mb,
                "cpu_s": s.cpu_s,
            }
        )
        if s.logged.get("ERROR") or s.logged.get("CRITICAL"):
            phase.failures.append(
                f"{name}: instance {s.name}: errors logged: {s.logged}; first: {s.first_logged}"
            )

    # Self-checks.
    n = phase.recipients
    if phase.counted != n or phase.queued != n:
        phase.failures.append(f"{name}: audience counted {phase.counted}, queued {phase.queued}")
    wrong = [
        (FIRST_USER + i, got)
        for i, (kind, got) in enumerate(zip(table, copies, strict=True))
        if got != (1 if kind == RECIPIENT else 0)
    ]
    if wrong:
        phase.failures.append(
            f"{name}: {len(wrong)} people did not get what they should (one copy for the "
            f"audience, none outside it, across instances): {wrong[:5]}"
        )
    strangers, wrong_source = sum(s.strangers for s in seen), sum(s.wrong_source for s in seen)
    if strangers or wrong_source:
        phase.failures.append(
            f"{name}: {strangers} copies to unknown chats, {wrong_source} copies of another message"
        )
    if phase.statuses != {"sent": n}:
        phase.failures.append(f"{name}: rows by status {phase.statuses}, all should be sent")
    if phase.report != {"sent": n}:
        phase.failures.append(f"{name}: the broadcast's report is {phase.report}")
    if phase.broadcast_status != "done":
        phase.failures.append(
            f"{name}: the broadcast is {phase.broadcast_status!r} {PROGRESS_WAIT_S:.0f} s after "
            "the drain (the progress job should have called it done)"
        )


def report(phase: Phase) -> str:
    share_ok = phase.achieved_share >= TARGET_SHARE
    rss_ok = phase.rss_peak_mb < TARGET_RSS_MB
    stalled = phase.stalled_s / phase.drain_s if phase.drain_s else 0.0
    each = f" ({phase.instances} x {phase.rate_per_instance:g}/s)" if phase.instances > 1 else ""
    lines = [
        f"{phase.name}: a broadcast to {phase.recipients} of {phase.people_in_table} people "
        f"(residents of {len(AUDIENCE_REGIONS)} of {len(REGIONS)} regions), batch "
        f"{phase.batch}; outbox_rate={phase.configured_rate:g}/s{each}, the fake API allows "
        f"{phase.allowed_rate}/s",
        f"  enqueue         {phase.enqueue_s:.2f} s ({phase.enqueue_rows_per_s:.0f} rows/s;"
        f" {phase.sent_during_enqueue} copies went out meanwhile); the live count "
        f"{phase.counted} took {phase.count_s * 1000:.0f} ms",
        f"  achieved rate   {phase.achieved_rate:.1f}/s = {phase.achieved_share:.1%} of "
        f"{phase.configured_rate:g}/s (target >= {TARGET_SHARE:.0%}: "
        f"{'OK' if share_ok else 'BELOW TARGET'}); {phase.copies} copies in "
        f"{phase.drain_s:.2f} s; busiest rolling second: {phase.busiest_second}",
        f"  timeline        first copy {phase.send_to_first_copy_s:.3f} s after the Send, "
        f"last row settled after {phase.send_to_done_s:.2f} s",
        f"  lateness        p50 {phase.lateness_p50_s:.2f} s, p99 {phase.lateness_p99_s:.2f}"
        f" s, max {phase.lateness_max_s:.2f} s (ideal at the configured rate: p50 "
        f"{phase.ideal_lateness_p50_s:.2f} s, p99 {phase.ideal_lateness_p99_s:.2f} s)",
        f"  stalls          {phase.stalls} gaps longer than twice the configured spacing, "
        f"{phase.stalled_s:.2f} s lost in them ({stalled:.0%} of the drain); rate by tenth "
        f"of the copies: {', '.join(f'{r:g}' for r in phase.rate_by_tenth)}",
        f"  429 answered    {phase.answered_429} (sender pauses: {phase.sender_pauses})"
        + (
            f"; a fake API shared by the instances would have answered {phase.shared_429}"
            if phase.instances > 1
            else ""
        ),
        f"  memory          RSS {phase.rss_start_mb:.1f} MB at the Send, peak "
        f"{phase.rss_peak_enqueue_mb:.1f} MB during the enqueue, {phase.rss_peak_mb:.1f} MB "
        f"overall (+{phase.rss_growth_mb:.1f} MB; target < {TARGET_RSS_MB:.0f} MB: "
        f"{'OK' if rss_ok else 'ABOVE TARGET'}); ru_maxrss {phase.maxrss_setup_mb:.1f} MB "
        f"after the set-up, {phase.maxrss_mb:.1f} MB at the end of the drain"
        + (" (the largest instance)" if phase.instances > 1 else ""),
        f"  CPU             {phase.cpu_s:.2f} s (the bot's process"
        f"{'es' if phase.instances > 1 else ''}, enqueue and drain)"
        + server_cpu_text(phase.server_cpu),
    ]
    if phase.instances > 1:
        for s in phase.per_instance:
            first = s["first_copy_after_send_s"]
            pace = (
                "no copies"
                if first is None
                else f"{s['achieved_rate']:.1f}/s from its first copy {first:.2f} s after the "
                "Send to its last"
            )
            lines.append(
                f"  instance {s['instance']}      {s['copies']} copies ({s['share']:.1%}), "
                f"{pace}; 429s {s['answered_429']}; RSS peak {s['rss_peak_mb']:.1f} MB; CPU "
                f"{s['cpu_s']:.2f} s"
            )
    lines.append(
        f"  broadcast       {phase.broadcast_status}, report {phase.report}; rows by status "
        f"{phase.statuses}; Bot API calls {phase.bot_api_calls}"
    )
    return "\n".join(lines)


def server_cpu_text(spent: dict[str, float | None]) -> str:
    if not spent:
        return ""
    pg, redis = spent.get("postgres_cpu_s"), spent.get("redis_cpu_s")
    return (
        f"; PostgreSQL backends {'n/a' if pg is None else f'{pg:.2f} s'}, Redis "
        f"{'n/a' if redis is None else f'{redis:.2f} s'} (all its clients)"
    )


def aiogram_import_mb() -> float | None:
    """The resident set of a fresh Python that only imports aiogram (the floor under any
    aiogram bot's memory), or None where it cannot be read."""
    probe = (
        "import aiogram, os\n"
        "with open('/proc/self/statm') as f:\n"
        "    print(int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE'))"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
        )
        return round(int(done.stdout.strip()) / 2**20, 1)
    except (OSError, ValueError, subprocess.SubprocessError):
        return None


async def fake_refuses() -> bool:
    """The fake's own checks: the second copy within a second at 1/s is answered 429, and a
    copy of an unknown message 400 (else "no 429" and "the right message" would prove
    nothing)."""
    session = CopySession(1, 1, 2)
    bot = Bot(TOKEN, session=session)
    original = session.original(7)
    await bot.copy_message(1, 7, original)
    try:
        await bot.copy_message(2, 7, original)
    except TelegramRetryAfter as exc:
        limited = exc.retry_after == 1 and session.rejected == 1
    else:
        limited = False
    await asyncio.sleep(1.01)
    try:
        await bot.copy_message(2, 7, original + 1)
    except TelegramBadRequest:
        checked = session.wrong_source == 1
    else:
        checked = False
    return limited and checked and list(session.copies) == [1, 0]


async def run(args: argparse.Namespace, backend: Backend) -> int:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    imported_mb = round((rss_bytes() or 0) / 2**20, 1)  # this process, before any app
    aiogram_mb = aiogram_import_mb()
    counter = LogCounter()
    logging.getLogger().addHandler(counter)
    n = args.instances
    poll = args.poll_seconds if n > 1 else None
    fast = Phase("fast", args.recipients, args.rate, args.allowed, args.batch, instances=n)
    slow = Phase(
        "slow", args.slow_recipients, args.slow_rate, args.slow_allowed, args.batch, instances=n
    )
    fast.poll_seconds = slow.poll_seconds = poll
    try:
        with tempfile.TemporaryDirectory(prefix="bench-broadcast-") as tmp:
            fast = await run_phase(Path(tmp), fast, counter, backend)
            slow = await run_phase(Path(tmp), slow, counter, backend)
    finally:
        await backend.cleanup()

    print(
        f"\nLoad average at start: {load:.2f} on {os.cpu_count()} CPUs (other processes make "
        "timings noisy).\n"
    )
    print(f"Production bot: {backend.label(args.instances)}.")
    if args.instances > 1:
        print(
            f"{args.instances} worker processes, each the production application with "
            f"outbox_rate = the configured rate / {args.instances} and OUTBOX_POLL_SECONDS="
            f"{args.poll_seconds:g}; instance a takes the Send, the others find the rows at "
            "their next poll. Each has a fake API of its own; the rate and the limit are "
            "checked over all their arrivals together.\n"
        )
    print(
        f"Memory floor: a fresh Python importing only aiogram holds "
        f"{aiogram_mb if aiogram_mb is not None else float('nan'):.1f} MB; this process after "
        f"importing the bot (aiogram, SQLAlchemy, handlers...) and the benchmark, before any "
        f"application: {imported_mb:.1f} MB.\n"
    )
    print(report(fast) + "\n")
    print(report(slow) + "\n")
    failures = fast.failures + slow.failures
    if not await fake_refuses():
        failures.append("the fake API's rate limit or its message check did not refuse")
    if slow.answered_429 or slow.shared_429:
        failures.append(
            f"slow: {slow.answered_429} answers 429, {slow.shared_429} from a shared limit "
            "(expected none)"
        )

    if args.results is None:
        suffix = f"-postgres-{args.instances}" if backend.servers else ""
        args.results = RESULTS_DIR / f"broadcast{suffix}.json"
    args.results.parent.mkdir(parents=True, exist_ok=True)
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python -m bench.broadcast " + " ".join(sys.argv[1:]),
        "backend": backend.name,
        "instances": args.instances,
        "servers": server_info(backend),
        "target_share": TARGET_SHARE,
        "target_rss_mb": TARGET_RSS_MB,
        "rss_after_imports_mb": imported_mb,
        "rss_aiogram_import_only_mb": aiogram_mb,
        "fast": asdict(fast),
        "slow": asdict(slow),
        "ok": not failures,
        "failures": failures,
        "machine": machine_info(),
    }
    args.results.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"results: {args.results}")
    if failures:
        print("self-checks: FAILED: " + "; ".join(failures))
        print("FAIL: " + "; ".join(failures), file=sys.stderr)
        return 1
    print(
        f"self-checks: OK (every recipient got exactly one copy: {fast.recipients} + "
        f"{slow.recipients}, nobody outside the audience any; every row sent; both broadcasts "
        f"done; 429s in the slow phase: 0{', across instances' if args.instances > 1 else ''})"
    )
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--recipients", type=int, default=100_000, help="fast phase's audience")
    parser.add_argument("--rate", type=float, default=900, help="outbox_rate, fast phase")
    parser.add_argument("--allowed", type=int, default=1000, help="the fake API's limit, fast")
    parser.add_argument("--slow-recipients", type=int, default=1000, help="slow phase's audience")
    parser.add_argument("--slow-rate", type=float, default=25, help="outbox_rate, slow phase")
    parser.add_argument("--slow-allowed", type=int, default=30, help="the fake API's limit, slow")
    parser.add_argument("--batch", type=int, default=None, help="outbox_batch (default: the bot's)")
    parser.add_argument(
        "--results",
        type=Path,
        default=None,
        help="where the JSON goes (default: bench/results/broadcast[-postgres-N].json)",
    )
    parser.add_argument(
        "--poll-seconds",
        type=float,
        default=1.0,
        help="OUTBOX_POLL_SECONDS of each instance with --instances 2 (how soon the instance "
        "that did not take the Send finds the rows)",
    )
    servers.add_arguments(parser)
    args = parser.parse_args()
    if args.worker:
        raise SystemExit(asyncio.run(worker(json.loads(args.worker))))
    backend = servers.backend_from_args(parser, args)
    if args.recipients < 2 or args.slow_recipients < 2:
        parser.error("--recipients and --slow-recipients must be at least 2")
    if args.batch is None:
        args.batch = make_settings(Path("unused")).outbox_batch
    raise SystemExit(asyncio.run(run(args, backend)))


if __name__ == "__main__":
    main()
