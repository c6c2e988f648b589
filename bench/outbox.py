"""Outbox: a burst of event reminders drained by the production sender against a rate-limited
fake Bot API, in two phases of one run.

Set-up (not measured)
---------------------
Each phase builds the production application (`create_application`, a migrated SQLite file in a
temp dir, `Application.start()`: the scheduler and the outbox sender running on the real clock)
with outbox_chat_rate=1 and no quiet hours, talking to an in-process fake Bot API
(`LimitedSession`, a `bench.registration.FastSession` that also enforces an allowed rate: more
than `allowed` sendMessage in any rolling second is answered 429 with retry_after=1 and
counted). Registered people (ten regions, seven time zones, ru and en) are bulk-inserted, with
events (ten in the fast phase, one in the slow one) starting at the same moment an hour
ahead, everyone holding a seat. Their reminders are queued by the production code
(`bot.services.reminders.plan`, one offset of 60 minutes) and committed the way a handler
commits (`db.session_hooks.commit`), so the sender is woken for the due time T0, a few seconds
after the set-up ends: every reminder of the run is due at the same moment, as the reminders
of events starting at the same minute are.

What is measured
----------------
* fast: --rows reminders (10,000), outbox_rate=900/s against a fake allowing 1,000/s. 900, not
  1,000: the API's limit is a rolling count, and a sender set exactly at the limit has no room
  for timer jitter, so one runs below it; what is reported is the achieved rate against the
  configured one.
* slow: --slow-rows reminders (600), outbox_rate=30/s against a fake allowing 30/s (Telegram's
  documented broadcast limit): the sender at the API's limit must not earn a single 429.

achieved rate = (messages - 1) / (last send - first send), as the fake API saw them arrive (the
conservative count: n messages span n - 1 intervals). lateness = sent_at - due_at per row, from
the database (sent_at is stamped when Telegram answered). The "ideal" lateness is what a sender
exactly at the configured rate would show (row k out at k / rate after T0). Memory: the
process's resident set sampled every 10 ms during the drain (peak, and growth over the start of
the drain), plus ru_maxrss (the process's peak so far, set-up included).

Self-checks (any failure: exit 1, after the report and the JSON are written): all reminders
planned; every recipient got exactly one message (counted per chat by the fake API); every row
ended `sent` (none pending, sending, failed...); no 429 in the slow phase; no error logged.
The rate and lateness targets are reported with a verdict but do not fail the run (timing is
noisy on a shared machine).

Run: `python -m bench.outbox [--rows 10000] [--slow-rows 600]`. Results go to
bench/results/outbox.json (or --results).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import json
import logging
import os
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter, deque
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import SendMessage, TelegramMethod
from sqlalchemy import insert, select

from bench.registration import RESULTS_DIR, FastSession, LogCounter, machine_info
from bot.factory import Application, create_application
from bot.runtime import tune_gc
from bot.services import reminders
from db.models import Event, OutboxMessage, Signup, User, UserRole
from db.repositories import Repo
from db.session_hooks import commit
from tests.harness import TOKEN, make_settings

FIRST_USER = 20_000_000
BATCH = 1_000  # rows per insert statement / people per planning transaction
REMINDER_MINUTES = 60  # one reminder per seat, an hour before the start
TARGET_SHARE = 0.95  # of the configured rate
REGIONS = [
    ("77", "г. Москва"),
    ("78", "г. Санкт-Петербург"),
    ("16", "г. Казань"),
    ("54", "г. Новосибирск"),
    ("66", "г. Екатеринбург"),
    ("14", "г. Якутск"),
    ("25", "г. Владивосток"),
    ("39", "г. Калининград"),
    ("52", "г. Нижний Новгород"),
    ("2", "г. Уфа"),
]


class LimitedSession(FastSession):
    """FastSession that allows `allowed` sendMessage per rolling second, as the Bot API's flood
    control does: one more gets 429 "retry after 1" (through aiogram's own response check, so
    the bot sees TelegramRetryAfter exactly as from the real API) and is counted, not sent."""

    def __init__(self, allowed: int) -> None:
        super().__init__()
        self.allowed = allowed
        self.arrivals: list[float] = []  # monotonic arrival of every accepted sendMessage
        self.per_chat: Counter[int] = Counter()
        self.rejected = 0  # 429s answered
        self._window: deque[float] = deque()

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[Any],
        timeout: int | None = None,  # noqa: ASYNC109 - aiogram's signature
    ) -> Any:
        if isinstance(method, SendMessage):
            now = time.monotonic()
            while self._window and self._window[0] <= now - 1.0:
                self._window.popleft()
            if len(self._window) >= self.allowed:
                self.rejected += 1
                self.calls["sendMessage (429)"] += 1
                body = {
                    "ok": False,
                    "error_code": 429,
                    "description": "Too Many Requests: retry after 1",
                    "parameters": {"retry_after": 1},
                }
                self.check_response(bot, method, 429, json.dumps(body))  # raises RetryAfter
            self._window.append(now)
            self.arrivals.append(now)
            self.per_chat[int(method.chat_id)] += 1
            result = await super().make_request(bot, method, timeout)
            # The sender never presses buttons: keep no keyboards (the fake's memory, not the
            # bot's, would show in the measured peak).
            self._keyboards.pop(int(method.chat_id), None)
            return result
        return await super().make_request(bot, method, timeout)


# ---- the data --------------------------------------------------------------------------------


def user_rows(first: int, n: int, now: datetime, policy: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for i in range(n):
        code, town = REGIONS[i % len(REGIONS)]
        registered = now - timedelta(days=1 + i % 300)
        rows.append(
            {
                "id": first + i,
                "language": "en" if i % 10 == 3 else "ru",
                "created_at": registered - timedelta(minutes=5),
                "consent_at": registered - timedelta(minutes=4),
                "consent_version": policy,
                "full_name": f"Участник {i}",
                "phone": f"+7913{i:07d}",
                "region_code": code,
                "municipality": town,
                "kind": "resident",
                "registered_at": registered,
                "unreachable_at": None,
                "muted_kinds": [],
            }
        )
    return rows


def event_row(event_id: int, starts: datetime, now: datetime) -> dict[str, Any]:
    online = event_id % 2 == 1
    return {
        "id": event_id,
        "kind": "webinar" if online else "school",
        "title": f"Школа ТОС №{event_id}: бюджет и гранты",
        "description": "Разбираем заявки на гранты и участие в местном бюджете. " * 3,
        "starts_at": starts,
        "duration_minutes": 90,
        "tz": "Europe/Moscow",
        "format": "online" if online else "hybrid",
        "online_link": f"https://example.org/room/{event_id}",
        "address": None if online else f"г. Москва, ул. Ленина, {event_id}",
        "capacity": None,
        "registration_deadline": None,
        "audience_regions": [],
        "needs_approval": False,
        "questions": [],
        "status": "published",
        "region_code": "77",
        "organiser_id": None,
        "created_at": now - timedelta(days=7),
        "code_word": None,
        "reminder_offsets": [REMINDER_MINUTES],
        "feedback_requested_at": None,
    }


async def populate(app: Application, rows: int, events: int, starts: datetime) -> list[int]:
    """Registered people with seats at `events` events starting at `starts`; their ids."""
    now = datetime.now(UTC)
    users = list(range(FIRST_USER, FIRST_USER + rows))
    async with app.engine.begin() as conn:
        for start in range(0, rows, BATCH):
            people = user_rows(FIRST_USER + start, min(BATCH, rows - start), now, "v")
            await conn.execute(insert(User), people)
            roles = [
                {"user_id": p["id"], "role": "resident", "granted_at": now, "granted_by": None}
                for p in people
            ]
            await conn.execute(insert(UserRole), roles)
        await conn.execute(insert(Event), [event_row(e + 1, starts, now) for e in range(events)])
        for start in range(0, rows, BATCH):
            seats = [
                {
                    "event_id": 1 + i % events,
                    "user_id": uid,
                    "status": "signed_up",
                    "answers": [],
                    "created_at": now - timedelta(hours=1),
                    "updated_at": now - timedelta(hours=1),
                }
                for i, uid in enumerate(users[start : start + BATCH], start)
            ]
            await conn.execute(insert(Signup), seats)
    return users


async def plan_reminders(app: Application, users: list[int], events: int) -> int:
    """Queue everyone's reminder as the sign-up service does, one transaction per batch,
    committed like a handler's (so the sender is woken for the due time)."""
    planned = 0
    now = datetime.now(UTC)
    for event_id in range(1, events + 1):
        seated = users[event_id - 1 :: events]
        for start in range(0, len(seated), BATCH):
            async with app.session_factory() as session:
                repo = Repo(session)
                event = await repo.events.get(event_id)
                assert event is not None
                planned += await reminders.plan(repo, event, seated[start : start + BATCH], now)
                await commit(session)
    return planned


# ---- measuring ---------------------------------------------------------------------------------


def rss_bytes() -> int | None:
    """The resident set now (Linux), or None."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def maxrss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


class RssSampler:
    """The peak resident set while running (sampled every 10 ms in a thread-free task)."""

    def __init__(self) -> None:
        self.start = rss_bytes() or 0
        self.peak = self.start
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            self.peak = max(self.peak, rss_bytes() or 0)
            await asyncio.sleep(0.01)

    def restart(self) -> RssSampler:
        self.start = self.peak = rss_bytes() or 0
        return self

    def __enter__(self) -> RssSampler:
        self._task = asyncio.create_task(self._run())
        return self

    def __exit__(self, *_exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        self.peak = max(self.peak, rss_bytes() or 0)


def quantile(values: list[float], q: int) -> float:
    """The q-th percentile (inclusive method); the value itself for a single one."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


@dataclass
class Phase:
    name: str
    rows: int
    configured_rate: float
    allowed_rate: int
    batch: int
    events: int
    planned: int = 0
    sent_messages: int = 0  # accepted sendMessage calls
    answered_429: int = 0
    sender_pauses: int = 0
    achieved_rate: float = 0.0
    achieved_share: float = 0.0  # of the configured rate
    drain_s: float = 0.0  # first send to last send
    first_send_after_due_s: float = 0.0
    lateness_p50_s: float = 0.0
    lateness_p99_s: float = 0.0
    lateness_max_s: float = 0.0
    ideal_lateness_p50_s: float = 0.0
    ideal_lateness_p99_s: float = 0.0
    busiest_second: int = 0  # most sendMessage the fake API saw in any rolling second
    # Gaps between two messages longer than twice the configured spacing: the sender was busy
    # with something else than sending (claiming, rendering, recording outcomes).
    stalls: int = 0
    stalled_s: float = 0.0
    rss_start_mb: float = 0.0
    rss_peak_mb: float = 0.0
    rss_growth_mb: float = 0.0
    maxrss_mb: float = 0.0
    cpu_s: float = 0.0
    setup_margin_s: float = 0.0  # from the end of the set-up to the due time
    statuses: dict[str, int] = field(default_factory=dict)
    bot_api_calls: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def busiest_second(arrivals: list[float]) -> int:
    """The most arrivals in any window (t - 1 s, t]."""
    best, left = 0, 0
    for right, t in enumerate(arrivals):
        while arrivals[left] <= t - 1.0:
            left += 1
        best = max(best, right - left + 1)
    return best


async def wait_drained(app: Application, session: LimitedSession, rows: int, limit: float) -> bool:
    """Until every row is settled (no pending or sending left), or `limit` seconds."""
    deadline = time.monotonic() + limit
    last_look = 0.0
    while time.monotonic() < deadline:
        # The fake's counter costs nothing; the database is asked once a second, or at the end.
        if len(session.arrivals) >= rows or time.monotonic() - last_look >= 1.0:
            last_look = time.monotonic()
            async with app.session_factory() as db:
                counts = await Repo(db).outbox.counts()
            if not counts.get("pending") and not counts.get("sending"):
                return True
        await asyncio.sleep(0.02)
    return False


async def run_phase(tmp: Path, phase: Phase, lead: float, counter: LogCounter) -> Phase:
    session = LimitedSession(phase.allowed_rate)
    settings = make_settings(
        tmp / f"{phase.name}.sqlite3",
        outbox_rate=phase.configured_rate,
        outbox_chat_rate=1,
        outbox_batch=phase.batch,
        quiet_hours="",
    )
    app = await create_application(settings, bot_session=session)
    lateness: list[float] = []
    users: list[int] = []
    rss = RssSampler()
    try:
        await app.start()
        tune_gc()  # as bot.app.run does after start-up
        # The set-up takes a while at 10,000 people; the reminders fall due `lead` s after it.
        setup_estimate = 1.0 + phase.rows / 2_000
        due = datetime.now(UTC) + timedelta(seconds=setup_estimate + lead)
        starts = due + timedelta(minutes=REMINDER_MINUTES)
        users = await populate(app, phase.rows, phase.events, starts)
        phase.planned = await plan_reminders(app, users, phase.events)
        if phase.planned != phase.rows:
            phase.failures.append(
                f"{phase.name}: {phase.planned} reminders planned of {phase.rows}"
            )
        margin = (due - datetime.now(UTC)).total_seconds()
        phase.setup_margin_s = round(margin, 2)
        if margin < 0.5:
            phase.failures.append(
                f"{phase.name}: set-up ended {-margin:.1f} s after the due time (raise --lead)"
            )
        counter.counts.clear()
        gc.collect()
        cpu = time.process_time()
        limit = margin + 10 * phase.rows / phase.configured_rate + 60  # a slow machine too
        with rss.restart():
            drained = await wait_drained(app, session, phase.rows, limit)
        phase.cpu_s = round(time.process_time() - cpu, 2)
        if not drained:
            phase.failures.append(f"{phase.name}: not drained within {limit:.0f} s")
        # The drain that sent the last row is still planning the next one: let it finish
        # before the engine goes (`wait`: after it, one more look, which finds nothing).
        await app.outbox.drain(wait=True)

        async with app.session_factory() as db:
            phase.statuses = await Repo(db).outbox.counts()
            sent = (
                await db.execute(
                    select(OutboxMessage.due_at, OutboxMessage.sent_at).where(
                        OutboxMessage.status == "sent"
                    )
                )
            ).all()
        lateness = sorted((s - d).total_seconds() for d, s in sent if s is not None)
    finally:
        await app.close()

    arrivals = session.arrivals
    phase.sent_messages = len(arrivals)
    phase.answered_429 = session.rejected
    phase.sender_pauses = app.outbox.pauses
    phase.bot_api_calls = dict(session.calls)
    if len(arrivals) >= 2:
        phase.drain_s = round(arrivals[-1] - arrivals[0], 3)
        phase.achieved_rate = round((len(arrivals) - 1) / (arrivals[-1] - arrivals[0]), 1)
        phase.achieved_share = round(phase.achieved_rate / phase.configured_rate, 4)
        phase.busiest_second = busiest_second(arrivals)
        spacing = 1 / phase.configured_rate
        gaps = [b - a for a, b in itertools.pairwise(arrivals) if b - a > 2 * spacing]
        phase.stalls = len(gaps)
        phase.stalled_s = round(sum(gaps) - spacing * len(gaps), 3)
    if lateness:
        phase.first_send_after_due_s = round(lateness[0], 3)
        phase.lateness_p50_s = round(quantile(lateness, 50), 3)
        phase.lateness_p99_s = round(quantile(lateness, 99), 3)
        phase.lateness_max_s = round(lateness[-1], 3)
        ideal = [k / phase.configured_rate for k in range(phase.rows)]
        phase.ideal_lateness_p50_s = round(quantile(ideal, 50), 3)
        phase.ideal_lateness_p99_s = round(quantile(ideal, 99), 3)
    phase.rss_start_mb = round(rss.start / 2**20, 1)
    phase.rss_peak_mb = round(rss.peak / 2**20, 1)
    phase.rss_growth_mb = round((rss.peak - rss.start) / 2**20, 1)
    phase.maxrss_mb = round(maxrss_mb(), 1)

    # Self-checks.
    wrong = {uid: n for uid in users if (n := session.per_chat.get(uid, 0)) != 1}
    strangers = set(session.per_chat) - set(users)
    if wrong:
        sample = dict(list(wrong.items())[:5])
        phase.failures.append(
            f"{phase.name}: {len(wrong)} recipients did not get exactly one message: {sample}"
        )
    if strangers:
        phase.failures.append(f"{phase.name}: messages to {len(strangers)} unknown chats")
    if phase.statuses != {"sent": phase.rows}:
        phase.failures.append(f"{phase.name}: rows by status {phase.statuses}, all should be sent")
    if counter.counts["ERROR"] or counter.counts["CRITICAL"]:
        phase.failures.append(
            f"{phase.name}: errors logged: {dict(counter.counts)}; first: {counter.first}"
        )
    return phase


def report(phase: Phase) -> str:
    share_ok = phase.achieved_share >= TARGET_SHARE
    stalled = phase.stalled_s / phase.drain_s if phase.drain_s else 0.0
    return "\n".join(
        [
            f"{phase.name}: {phase.rows} reminders due at once, batch {phase.batch}, "
            f"{phase.events} event(s); outbox_rate={phase.configured_rate:g}/s, the fake API "
            f"allows {phase.allowed_rate}/s",
            f"  achieved rate   {phase.achieved_rate:.1f}/s = {phase.achieved_share:.1%} of "
            f"{phase.configured_rate:g}/s (target >= {TARGET_SHARE:.0%}: "
            f"{'OK' if share_ok else 'BELOW TARGET'}); {phase.sent_messages} messages in "
            f"{phase.drain_s:.2f} s; busiest rolling second: {phase.busiest_second}",
            f"  lateness        p50 {phase.lateness_p50_s:.2f} s, p99 {phase.lateness_p99_s:.2f}"
            f" s, max {phase.lateness_max_s:.2f} s (ideal at the configured rate: p50 "
            f"{phase.ideal_lateness_p50_s:.2f} s, p99 {phase.ideal_lateness_p99_s:.2f} s); "
            f"first message {phase.first_send_after_due_s:.3f} s after the due time (set-up "
            f"ended {phase.setup_margin_s:.1f} s before it)",
            f"  stalls          {phase.stalls} gaps longer than twice the configured spacing, "
            f"{phase.stalled_s:.2f} s lost in them ({stalled:.0%} of the drain)",
            f"  429 answered    {phase.answered_429} (sender pauses: {phase.sender_pauses})",
            f"  memory          RSS {phase.rss_start_mb:.1f} MB at the start of the drain, peak "
            f"{phase.rss_peak_mb:.1f} MB (+{phase.rss_growth_mb:.1f} MB); ru_maxrss "
            f"{phase.maxrss_mb:.1f} MB",
            f"  CPU             {phase.cpu_s:.2f} s (process, during the drain)",
            f"  rows by status  {phase.statuses}; Bot API calls {phase.bot_api_calls}",
        ]
    )


async def limiter_answers_429() -> bool:
    """The fake's flood control itself: the second message within a second at 1/s is refused
    (else "no 429" would prove nothing)."""
    session = LimitedSession(1)
    bot = Bot(TOKEN, session=session)
    await bot.send_message(1, "first")
    try:
        await bot.send_message(2, "second")
    except TelegramRetryAfter as exc:
        return exc.retry_after == 1 and session.rejected == 1 and session.per_chat == {1: 1}
    return False


async def run(args: argparse.Namespace) -> int:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    counter = LogCounter()
    logging.getLogger().addHandler(counter)
    fast = Phase(
        "fast",
        args.rows,
        args.rate,
        args.allowed,
        args.batch,
        events=max(1, min(10, args.rows // 100)),
    )
    slow = Phase("slow", args.slow_rows, args.slow_rate, args.slow_allowed, args.batch, events=1)
    with tempfile.TemporaryDirectory(prefix="bench-outbox-") as tmp:
        fast = await run_phase(Path(tmp), fast, args.lead, counter)
        slow = await run_phase(Path(tmp), slow, args.lead, counter)

    print(
        f"\nLoad average at start: {load:.2f} on {os.cpu_count()} CPUs (other processes make "
        "timings noisy). Every reminder of a phase is due at the same moment.\n"
    )
    print(report(fast) + "\n")
    print(report(slow) + "\n")
    failures = fast.failures + slow.failures
    if not await limiter_answers_429():
        failures.append("the fake API's rate limit did not answer 429")
    if slow.answered_429:
        failures.append(f"slow: {slow.answered_429} answers 429 (expected none)")

    args.results.parent.mkdir(parents=True, exist_ok=True)
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "target_share": TARGET_SHARE,
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
        f"self-checks: OK (every recipient got exactly one message: {fast.rows} + "
        f"{slow.rows}; no row left unsent; 429s in the slow phase: 0)"
    )
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=10_000, help="reminders in the fast phase")
    parser.add_argument("--rate", type=float, default=900, help="outbox_rate, fast phase")
    parser.add_argument("--allowed", type=int, default=1000, help="the fake API's limit, fast")
    parser.add_argument("--slow-rows", type=int, default=600, help="reminders in the slow phase")
    parser.add_argument("--slow-rate", type=float, default=30, help="outbox_rate, slow phase")
    parser.add_argument("--slow-allowed", type=int, default=30, help="the fake API's limit, slow")
    parser.add_argument("--batch", type=int, default=None, help="outbox_batch (default: the bot's)")
    parser.add_argument("--lead", type=float, default=2.0, help="seconds from set-up to due time")
    parser.add_argument("--results", type=Path, default=RESULTS_DIR / "outbox.json")
    args = parser.parse_args()
    if args.rows < 2 or args.slow_rows < 2:
        parser.error("--rows and --slow-rows must be at least 2")
    if args.batch is None:
        args.batch = make_settings(Path("unused")).outbox_batch
    raise SystemExit(asyncio.run(run(args)))


if __name__ == "__main__":
    main()
