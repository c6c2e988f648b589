"""Events: people browsing and signing up for events, against a bare aiogram echo bot, in one run.

Set-up (not measured)
---------------------
The production bot (`bench.registration.production_bot`: migrated SQLite file in a temp dir,
scheduler started) gets --users registered people (100,000 by default: consent, profile, phone,
ten regions in seven time zones, residents / TOS members / chairs with their role rows),
bulk-inserted through SQLAlchemy core in batches, and --events published events ahead (100:
six kinds, half for all of Russia and half for one or two regions, a few for a region nobody
here lives in; capacities 50..500 at 10,000 people (scaled with --people, so small runs fill
events too) and some unlimited; a few need the organiser's approval, a few ask one question,
a few close registration a day before).

What is measured
----------------
* events: --people of those users (10,000, picked at random) act at once, each in order as a
  person would, waiting for every answer: /events (the list), then a third turn to page 2,
  a third pick a kind (one that all of Russia has), then they open one event of the page
  shown (the card), press Sign up (or Join the waitlist, whichever the card shows) and, for an
  event with a question, answer it. Latency is recorded per step.
* echo: the bare aiogram echo bot (MemoryStorage) fed as many updates, in the same shape (each
  person sends as many messages as they sent updates above, in order). It runs after the events
  phase because the number of updates per person is only known then.
* quiet: the event list once more for up to 500 other users, one person at a time (no queue),
  and as many echo updates one at a time: the latency of a list when the bot is not saturated.

Both bots talk to an in-process `FastSession` (bench/registration.py), here also answering
sendDocument (the .ics sent after a sign-up) and noting, per chat, what the bot sent.

How to read it
--------------
Latency under load is mostly queueing: all people arrive at the same instant and every update
waits for the one SQLite connection. sign-ups/s: completed sign-ups / wall time of the phase.
ratio = echo updates/s / events updates/s (what one events update costs in echo updates).

Self-checks (any failure: exit 1, after the report and the JSON are written; a person whose
update failed in the bot stops there and is counted): every update got a reply; every person
got a sign-up outcome (signed up, waitlist with its position, or waiting for approval) and no
alert; the list showed as many events as the person's region has; sign-ups in the DB ==
people; per event the DB agrees with what people were told, signed up + attended <= capacity,
nobody waitlisted while a seat was free, waitlist positions told are exactly 1..k; one .ics
per seat; no warning or error logged.

Run: `python -m bench.events [--people 10000] [--users 100000] [--events 100] [--warmup 100]`.
Results go to bench/results/events.json (or --results).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiogram import Bot, html
from aiogram.methods import AnswerCallbackQuery, SendDocument, SendMessage, TelegramMethod
from aiogram.types import BufferedInputFile, Message
from sqlalchemy import event, insert, select

from bench.registration import (
    BOT_USER,
    FIRST_PERSON,
    RESULTS_DIR,
    THROTTLE_RATE,
    FastSession,
    LogCounter,
    Person,
    Production,
    Target,
    drive,
    echo_bot,
    machine_info,
    production_bot,
    stats,
    table,
    visible,
)
from bot.i18n import Text
from bot.services import events as ev
from bot.services.regions import catalog
from db.models import Event, Signup, User, UserRole
from tests.harness import make_settings

FIRST_USER = FIRST_PERSON  # users are FIRST_USER + 0 .. FIRST_USER + users - 1
BATCH = 10_000  # rows per executemany
QUIET_PEOPLE = 500  # at most, for the one-at-a-time list
# (region code, municipality): ten regions, seven time zones.
REGIONS = (
    ("77", "г. Москва"),
    ("78", "г. Санкт-Петербург"),
    ("50", "г. Подольск"),
    ("16", "г. Казань"),
    ("02", "г. Уфа"),
    ("63", "г. Самара"),
    ("66", "г. Екатеринбург"),
    ("54", "г. Новосибирск"),
    ("14", "г. Якутск"),
    ("25", "г. Владивосток"),
)
NOBODY_LIVES = "87"  # Chukotka: its events are in the DB, no bench user sees them
KINDS_OF_PEOPLE = ("resident",) * 7 + ("tos_member",) * 2 + ("tos_chair",)
SURNAMES = ("Иванова", "Петров", "Смирнова", "Кузнецов", "Попова", "Соколов", "Лебедева")
NAMES = ("Анна", "Игорь", "Мария", "Олег", "Елена", "Сергей", "Наталья", "Дмитрий", "Ольга")
PATRONYMICS = ("Петровна", "Иванович", "Сергеевна", "Олегович", "Андреевна", "Павлович")
EVENT_TITLES = {
    "school": "Школа ТОС",
    "webinar": "Вебинар",
    "conference": "Конференция",
    "masterclass": "Мастер-класс",
    "seminar": "Семинар",
    "meeting": "Встреча",
}
TOPICS = ("как создать ТОС", "гранты", "устав ТОС", "благоустройство", "отчётность", "бюджет")
CAPACITIES = (50, 80, 120, 200, 300, 500, None)  # at 10,000 people; None: unlimited
QUESTION = "Из какого вы ТОС или с какой территории?"
ANSWER = "ТОС «Рассвет», ул. Ленина, 5"
ITEM = re.compile(r"^\d+\. ")
LIST_TOTAL = re.compile(r"Найдено (\d+)")
POSITION = re.compile(r"(\d[\d\s]*)-й по очереди")  # Fluent groups digits with a no-break space


def region_of(user_id: int) -> str:
    return REGIONS[(user_id - FIRST_USER) % len(REGIONS)][0]


# ---- the fake Bot API, with documents ----------------------------------------------------------


class EventsSession(FastSession):
    """FastSession that also answers sendDocument, and notes per chat how many requests the
    bot addressed to it, the texts it sent since the person's last update, the documents, and
    every callback alert. Anything else unexpected still raises."""

    def __init__(self) -> None:
        super().__init__()
        self.replies: Counter[int] = Counter()  # requests addressed to the chat
        self.texts: dict[int, list[str]] = {}  # sendMessage texts, taken by the person
        self.documents: Counter[int] = Counter()
        self.document_bytes = 0
        self.alerts: list[str] = []

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[Any],
        timeout: int | None = None,  # noqa: ASYNC109 - aiogram's signature
    ) -> Any:
        chat_id = getattr(method, "chat_id", None)
        if chat_id is not None:
            self.replies[int(chat_id)] += 1
        if isinstance(method, SendDocument):
            self.calls[method.__api_method__] += 1
            return self._document(bot, method)
        if isinstance(method, SendMessage):
            self.texts.setdefault(int(method.chat_id), []).append(method.text)
        elif isinstance(method, AnswerCallbackQuery) and method.text:
            self.alerts.append(method.text)
        return await super().make_request(bot, method, timeout)

    def _document(self, bot: Bot, method: SendDocument) -> Message:
        chat_id = int(method.chat_id)
        if not isinstance(method.document, BufferedInputFile):
            raise NotImplementedError(f"FastSession does not fake {type(method.document)}")
        self.documents[chat_id] += 1
        self.document_bytes += len(method.document.data)
        message_id = self.next_message_id(chat_id)
        data: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": BOT_USER,
            "document": {
                "file_id": f"doc-{chat_id}-{message_id}",
                "file_unique_id": f"u-{chat_id}-{message_id}",
                "file_name": method.document.filename,
            },
            "caption": visible(method.caption or ""),
        }
        return Message.model_validate(data, context={"bot": bot})

    def labels(self, chat_id: int) -> list[str]:
        """The inline buttons of the chat's newest message with any."""
        kept = self._keyboards.get(chat_id)
        if not kept:
            return []
        _, markup = kept[max(kept)]
        return [button.text for row in markup.inline_keyboard for button in row]


# ---- the data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchEvent:
    id: int
    kind: str
    title: str
    audience: tuple[str, ...]  # () = all of Russia
    capacity: int | None
    needs_approval: bool
    questions: tuple[str, ...]

    def visible_in(self, region: str) -> bool:
        return not self.audience or region in self.audience


def user_rows(start: int, stop: int, now: datetime, policy: str) -> list[dict[str, Any]]:
    rows = []
    for i in range(start, stop):
        code, town = REGIONS[i % len(REGIONS)]
        registered = now - timedelta(days=1 + i % 365, minutes=i % 1440)
        name = (
            f"{SURNAMES[i % len(SURNAMES)]} {NAMES[i // 7 % len(NAMES)]} "
            f"{PATRONYMICS[i // 63 % len(PATRONYMICS)]}"
        )
        rows.append(
            {
                "id": FIRST_USER + i,
                "language": "ru",
                "created_at": registered - timedelta(minutes=5),
                "consent_at": registered - timedelta(minutes=4),
                "consent_version": policy,
                "full_name": name,
                "phone": f"+7912{i:07d}",
                "region_code": code,
                "municipality": town,
                "kind": KINDS_OF_PEOPLE[i % len(KINDS_OF_PEOPLE)],
                "registered_at": registered,
                "unreachable_at": None,
            }
        )
    return rows


def role_rows(users: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """As registration grants them (bot.services.roles.roles_for_kind)."""
    rows = []
    for user in users:
        roles = ("resident", "chair") if user["kind"] == "tos_chair" else ("resident",)
        for role in roles:
            rows.append(
                {
                    "user_id": user["id"],
                    "role": role,
                    "granted_at": user["registered_at"],
                    "granted_by": None,
                }
            )
    return rows


def event_rows(n: int, people: int, now: datetime) -> tuple[list[dict[str, Any]], list[BenchEvent]]:
    rows, events = [], []
    start = now.replace(minute=0, second=0, microsecond=0) + timedelta(days=3)
    for i in range(n):
        kind = ev.KINDS[i % len(ev.KINDS)]
        topic = TOPICS[i // len(ev.KINDS) % len(TOPICS)]
        title = f"{EVENT_TITLES[kind]} №{i + 1}: {topic}"
        local = REGIONS[i // 2 % len(REGIONS)][0]
        if i % 2 == 0:
            audience: list[str] = []
        elif i % 10 == 9:
            audience = [NOBODY_LIVES]
        elif i % 4 == 1:
            audience = [local]
        else:
            audience = [local, REGIONS[(i // 2 + 3) % len(REGIONS)][0]]
        organiser_region = audience[0] if audience else "77"
        region = catalog().get(organiser_region)
        fmt = ev.FORMATS[i % len(ev.FORMATS)]
        base = CAPACITIES[i % len(CAPACITIES)]
        capacity = None if base is None else max(1, round(base * people / 10_000))
        starts = start + timedelta(hours=9 * i)
        bench_event = BenchEvent(
            id=i + 1,
            kind=kind,
            title=title,
            audience=tuple(audience),
            capacity=capacity,
            needs_approval=i % 16 == 4,
            questions=(QUESTION,) if i % 10 == 6 else (),
        )
        town = dict(REGIONS).get(organiser_region, "г. Анадырь")
        row = {
            "id": bench_event.id,
            "kind": kind,
            "title": title,
            "description": (
                f"{EVENT_TITLES[kind]} о теме «{topic}»: разбираем на примерах, отвечаем на "
                "вопросы, делимся документами. Для жителей, активистов и председателей ТОС. " * 3
            ),
            "starts_at": starts,
            "duration_minutes": (60, 90, 120, 180)[i % 4],
            "tz": region.tz if region else "Europe/Moscow",
            "format": fmt,
            "online_link": f"https://example.org/room/{i + 1}" if fmt != "offline" else None,
            "address": f"{town}, ул. Ленина, {i + 1}" if fmt != "online" else None,
            "capacity": capacity,
            "registration_deadline": starts - timedelta(days=1) if i % 8 == 2 else None,
            "audience_regions": audience,
            "needs_approval": bench_event.needs_approval,
            "questions": list(bench_event.questions),
            "status": "published",
            "region_code": organiser_region,
            "organiser_id": None,
            "created_at": now - timedelta(days=1),
            "code_word": None,
            "feedback_requested_at": None,
        }
        rows.append(row)
        events.append(bench_event)
        assert len(title) <= 50, title  # a list button shows 64 characters
    return rows, events


async def populate(prod: Production, users: int, events: int, people: int) -> list[BenchEvent]:
    """Registered users with their roles, and published events, straight into the database."""
    now = datetime.now(UTC)
    policy = make_settings(Path("unused")).privacy_policy_version
    async with prod.engine.begin() as conn:
        for start in range(0, users, BATCH):
            rows = user_rows(start, min(start + BATCH, users), now, policy)
            await conn.execute(insert(User), rows)
            await conn.execute(insert(UserRole), role_rows(rows))
        rows, found = event_rows(events, people, now)
        await conn.execute(insert(Event), rows)
    return found


# ---- simulated people -------------------------------------------------------------------------


@dataclass
class Tally:
    """What people were told, and how long each step took."""

    latencies: defaultdict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    updates: Counter[int] = field(default_factory=Counter)  # per person
    signed_up: Counter[int] = field(default_factory=Counter)  # per event
    pending: Counter[int] = field(default_factory=Counter)
    waitlisted: defaultdict[int, list[int]] = field(default_factory=lambda: defaultdict(list))


STEPS = {
    "list": "event list (/events)",
    "list_page": "list page 2 (button)",
    "list_kind": "list of one kind (button)",
    "card": "event card (button)",
    "sign_up": "Sign up press -> outcome",
    "sign_up_asks": "Sign up press -> question",
    "answer": "answer -> outcome",
}


def events_script(
    t: Text, session: EventsSession, events: list[BenchEvent], tally: Tally
) -> Callable[[Person], Awaitable[None]]:
    by_title = {e.title: e for e in events}
    shown = {code: sum(e.visible_in(code) for e in events) for code, _ in REGIONS}
    everywhere = sorted({e.kind for e in events if not e.audience})
    kind_labels = {k: t(f"events-kind-{k}") for k in ev.KINDS}
    press_labels = (t("events-sign-up-button"), t("events-waitlist-button"))
    told = {
        e.id: (
            t("events-outcome-signed_up", title=html.quote(e.title)),
            t("events-outcome-pending", title=html.quote(e.title)),
        )
        for e in events
    }
    asked = {
        e.id: t(
            "events-question",
            number=1,
            total=len(e.questions),
            title=html.quote(e.title),
            question=html.quote(e.questions[0]),
        )
        for e in events
        if e.questions
    }

    async def step(p: Person, name: str, update: Awaitable[float]) -> list[str]:
        """One update; the texts the bot sent in answer. No answer at all fails the person."""
        before = session.replies[p.user_id]
        tally.latencies[name].append(await update)
        tally.updates[p.user_id] += 1
        if session.replies[p.user_id] == before:
            raise AssertionError(f"person {p.user_id}: no answer to {name}")
        return session.texts.pop(p.user_id, [])

    def outcome(p: Person, e: BenchEvent, texts: list[str]) -> None:
        signed, pending = told[e.id]
        for text in texts:
            if text == signed:
                tally.signed_up[e.id] += 1
                return
            if text == pending:
                tally.pending[e.id] += 1
                return
            found = POSITION.search(text)
            if found:
                position = int(re.sub(r"\D", "", found[1]))
                title = html.quote(e.title)
                if text == t("events-outcome-waitlisted", title=title, position=position):
                    tally.waitlisted[e.id].append(position)
                    return
        raise AssertionError(f"person {p.user_id}: no outcome for {e.title!r}, got {texts}")

    async def browse_and_sign_up(p: Person) -> None:
        uid = p.user_id
        rng = random.Random(uid)
        texts = await step(p, "list", p.send("/events"))
        total = LIST_TOTAL.search(texts[0]) if texts else None
        if total is None or int(total[1]) != shown[region_of(uid)]:
            raise AssertionError(f"person {uid}: list of {shown[region_of(uid)]} expected: {texts}")
        roll = rng.random()
        if roll < 1 / 3 and "▶️" in session.labels(uid):
            await step(p, "list_page", p.click("▶️"))
        elif roll < 2 / 3 and everywhere:
            await step(p, "list_kind", p.click(kind_labels[rng.choice(everywhere)]))
        items = [label for label in session.labels(uid) if ITEM.match(label)]
        if not items:
            raise AssertionError(f"person {uid}: no events on the list: {session.labels(uid)}")
        label = rng.choice(items)
        chosen = by_title[label.split(". ", 1)[1]]
        await step(p, "card", p.click(label))
        press = next((x for x in press_labels if x in session.labels(uid)), None)
        if press is None:
            raise AssertionError(f"person {uid}: no Sign up on {chosen.title!r}")
        if not chosen.questions:
            outcome(p, chosen, await step(p, "sign_up", p.click(press)))
            return
        texts = await step(p, "sign_up_asks", p.click(press))
        if asked[chosen.id] not in texts:
            raise AssertionError(f"person {uid}: no question for {chosen.title!r}: {texts}")
        outcome(p, chosen, await step(p, "answer", p.send(ANSWER)))

    return browse_and_sign_up


def echo_like(updates: Counter[int]) -> Callable[[Person], Awaitable[None]]:
    """Each person sends the echo bot as many messages as they sent the events bot."""

    async def talk(p: Person) -> None:
        for n in range(updates[p.user_id]):
            await p.send(f"Сообщение номер {n + 1}")

    return talk


async def one_at_a_time(
    target: Target, script: Callable[[Person], Awaitable[Any]], people: Iterable[int]
) -> list[float]:
    target.latencies.clear()
    for uid in people:
        await script(Person(target, uid))
    return list(target.latencies)


# ---- checks and reports -----------------------------------------------------------------------


async def check_database(
    prod: Production, events: list[BenchEvent], tally: Tally, people: int
) -> tuple[list[str], dict[str, int]]:
    """The sign-ups in the database against capacity and against what people were told."""
    async with prod.session_factory() as db:
        rows = (await db.execute(select(Signup.event_id, Signup.user_id, Signup.status))).all()
    failures: list[str] = []
    by_status = Counter(status for _, _, status in rows)
    if len(rows) != people:
        failures.append(f"{len(rows)} sign-ups in the DB, expected {people} (one per person)")
    if len({user for _, user, _ in rows}) != len(rows):
        failures.append("someone has two sign-ups")
    per_event: defaultdict[int, Counter[str]] = defaultdict(Counter)
    for event_id, _, status in rows:
        per_event[event_id][status] += 1
    for e in events:
        n = per_event[e.id]
        seated = n["signed_up"] + n["attended"]
        if e.capacity is not None and seated > e.capacity:
            failures.append(f"event {e.id}: {seated} seated, capacity {e.capacity}")
        if n["waitlisted"] and (e.capacity is None or seated < e.capacity):
            failures.append(f"event {e.id}: waitlist with free seats ({seated}/{e.capacity})")
        if (n["pending"] and not e.needs_approval) or (e.needs_approval and seated):
            failures.append(f"event {e.id}: approval ignored: {dict(n)}")
        told = (tally.signed_up[e.id], len(tally.waitlisted[e.id]), tally.pending[e.id])
        if told != (n["signed_up"], n["waitlisted"], n["pending"]):
            failures.append(
                f"event {e.id}: DB {dict(n)}, people told (seated, line, pending) {told}"
            )
        if sorted(tally.waitlisted[e.id]) != list(range(1, n["waitlisted"] + 1)):
            failures.append(f"event {e.id}: waitlist positions told are not 1..{n['waitlisted']}")
    return failures, dict(by_status)


class StatementSampler:
    """The first parameters of every distinct SQL statement, to EXPLAIN them afterwards."""

    def __init__(self, prod: Production) -> None:
        self.samples: dict[str, Any] = {}
        self._engine = prod.engine.sync_engine
        event.listen(self._engine, "before_cursor_execute", self._sample)

    def _sample(self, *args: Any) -> None:
        self.samples.setdefault(args[2], args[3])

    def stop(self) -> None:
        event.remove(self._engine, "before_cursor_execute", self._sample)

    def plans(self, db_path: Path) -> dict[str, list[str]]:
        """EXPLAIN QUERY PLAN of each SELECT the run made (a fresh read-only connection)."""
        out: dict[str, list[str]] = {}
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
            for statement, parameters in self.samples.items():
                if not statement.lstrip().upper().startswith("SELECT"):
                    continue
                rows = conn.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
                out[" ".join(statement.split())] = [str(row[-1]) for row in rows]
        return out


def signup_indexes(db_path: Path) -> list[str]:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'signups'"
        ).fetchall()
    return [f"{name}: {sql or '(constraint)'}" for name, sql in rows]


@dataclass
class StepLatency:
    step: str
    updates: int
    mean_ms: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float


def step_latency(step: str, latencies: list[float]) -> StepLatency:
    ms = [x * 1000 for x in latencies] or [0.0]
    q = statistics.quantiles(ms * 2 if len(ms) == 1 else ms, n=100, method="inclusive")
    return StepLatency(
        step=step,
        updates=len(latencies),
        mean_ms=round(statistics.fmean(ms), 3),
        p50_ms=round(q[49], 3),
        p95_ms=round(q[94], 3),
        p99_ms=round(q[98], 3),
        max_ms=round(max(ms), 3),
    )


def step_table(rows: list[StepLatency]) -> str:
    head = (
        f"{'step':<36}{'updates':>8}{'mean ms':>10}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}"
        f"{'max ms':>10}"
    )
    lines = [head, "-" * len(head)]
    for s in rows:
        lines.append(
            f"{s.step:<36}{s.updates:>8}{s.mean_ms:>10.2f}{s.p50_ms:>10.2f}{s.p95_ms:>10.2f}"
            f"{s.p99_ms:>10.2f}{s.max_ms:>10.2f}"
        )
    return "\n".join(lines)


# ---- running ----------------------------------------------------------------------------------


class Logged(LogCounter):
    """LogCounter that keeps the first three records of each level, with their exception."""

    def emit(self, record: logging.LogRecord) -> None:
        self.counts[record.levelname] += 1
        if self.counts[record.levelname] <= 3:
            text = f"{record.levelname} {record.name}: {record.getMessage()}"
            if record.exc_info and record.exc_info[1] is not None:
                text += f" ({record.exc_info[1]!r})"
            self.first.append(text[:500])


async def warm_up(tmp: Path, people: int, events: int) -> None:
    """Every code path once in throwaway bots (pydantic schemas, caches, compiled SQL), so the
    measured phases pay no one-off costs; the measured database stays clean."""
    if people <= 0:
        return
    everyone = range(FIRST_USER, FIRST_USER + people)
    session = EventsSession()
    async with production_bot(tmp / "warmup.sqlite3", session) as prod:
        found = await populate(prod, people, events, people)
        tally = Tally()
        script = events_script(prod.translator.for_locale("ru"), session, found, tally)
        await drive(prod.target, script, everyone)
    await drive(echo_bot(), echo_like(tally.updates), everyone)


def save(path: Path, result: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False))


async def run(people: int, users: int, events: int, warmup: int, results: Path) -> int:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    counter = Logged()
    logging.getLogger().addHandler(counter)
    chosen = [FIRST_USER + i for i in random.Random(2026).sample(range(users), people)]
    others = sorted(set(range(FIRST_USER, FIRST_USER + users)) - set(chosen))[:QUIET_PEOPLE]
    with tempfile.TemporaryDirectory(prefix="bench-events-") as tmp:
        await warm_up(Path(tmp), warmup, events)
        counter.counts.clear()
        counter.first.clear()

        db_path = Path(tmp) / "bot.sqlite3"
        session = EventsSession()
        async with production_bot(db_path, session) as prod:
            started = time.perf_counter()
            found = await populate(prod, users, events, people)
            setup_s = time.perf_counter() - started
            t = prod.translator.for_locale("ru")
            tally = Tally()
            sampler = StatementSampler(prod)
            prod.count_sql()
            script = events_script(t, session, found, tally)
            failed: list[BaseException] = []
            phase = await drive(prod.target, script, chosen, failed=failed)
            sql = dict(prod.sql)
            sampler.stop()
            events_stats = stats("events (production)", people, prod.target.latencies, phase)
            failures, statuses = await check_database(prod, found, tally, people)
            bot_calls = dict(session.calls)
            documents = sum(session.documents.values())
            document_bytes = session.document_bytes
            alerts = list(session.alerts)

            async def list_once(p: Person) -> None:
                await p.send("/events")
                if not any(LIST_TOTAL.search(x) for x in session.texts.pop(p.user_id, [])):
                    raise AssertionError(f"person {p.user_id}: no list")

            quiet_list = await one_at_a_time(prod.target, list_once, others)
            plans = sampler.plans(db_path)
            indexes = signup_indexes(db_path)

        echo = echo_bot()
        phase = await drive(echo, echo_like(tally.updates), chosen)
        echo_stats = stats("echo (bare aiogram)", people, echo.latencies, phase)

        async def echo_once(p: Person) -> None:
            await p.send("Сообщение")

        quiet_echo = await one_at_a_time(echo, echo_once, others)

    steps = [step_latency(STEPS[k], tally.latencies[k]) for k in STEPS if tally.latencies[k]]
    quiet = [
        step_latency("event list, one person at a time", quiet_list),
        step_latency("echo, one person at a time", quiet_echo),
    ]  # empty lists (--users == --people) give zeros
    signups = sum(statuses.values())
    signups_per_s = signups / events_stats.wall_s
    ratio = echo_stats.updates_per_s / events_stats.updates_per_s
    cpu_ratio = events_stats.cpu_ms_per_update / echo_stats.cpu_ms_per_update
    quiet_ratio = quiet[0].p95_ms / quiet[1].p95_ms if quiet[1].p95_ms else float("nan")
    updates = events_stats.updates

    print(
        f"\n{people} people of {users} registered users, {events} events; all people at once, "
        f"each in order; warm-up: {warmup} people per bot in a throwaway DB, not measured. "
        f"Set-up (bulk insert, not measured): {setup_s:.1f} s. Load average at start: "
        f"{load:.2f} on {os.cpu_count()} CPUs (other processes make wall times noisy)."
    )
    print(f"Flood throttle: throttle_rate={THROTTLE_RATE:_}/s (cannot trigger here).\n")
    print(table([echo_stats, events_stats]))
    print("\nLatency by step (events phase; includes waiting for the one SQLite connection)")
    print(step_table(steps))
    print(f"\nNo load: the event list for {len(quiet_list)} other users, one at a time")
    print(step_table(quiet))
    print(
        f"\nsign-ups/s = {signups} sign-ups / {events_stats.wall_s:.2f} s = {signups_per_s:.1f}"
        f"; updates/s = {events_stats.updates_per_s:.1f} ({updates / people:.2f} per person)"
    )
    print(
        f"ratio (events cost per update / echo) = echo updates/s / events updates/s = "
        f"{ratio:.2f}x; CPU-time ratio = {cpu_ratio:.2f}x; "
        f"list p95 with no load / echo p95 with no load = {quiet_ratio:.1f}x"
    )
    statements = sum(n for k, n in sql.items() if k != "COMMIT")
    print(
        f"SQL per events update: {statements / updates:.2f} statements "
        f"({sql.get('CACHE_HIT', 0) / updates:.2f} from the compiled cache), "
        f"{sql.get('COMMIT', 0) / updates:.2f} commits; by cache outcome: {sql}"
    )
    print(f"Bot API calls by the production bot: {bot_calls}; .ics bytes: {document_bytes}")
    print(f"sign-ups in DB by status: {statuses} (expected {people} in all)")
    if failed or counter.counts:
        print(f"people failed: {len(failed)}; logged: {dict(counter.counts)}; {counter.first}")
    print("indexes on signups: " + "; ".join(indexes))
    scans = {s: p for s, p in plans.items() if any(x.startswith("SCAN") for x in p)}
    print(f"SELECTs run: {len(plans)}; with a full SCAN in their plan: {len(scans)}")
    for statement, plan in scans.items():
        print(f"  {statement[:150]}{'...' if len(statement) > 150 else ''}\n    {plan}")

    if failed:
        failures.insert(0, f"{len(failed)} people failed, first: {failed[0]!r}"[:600])
    if documents != statuses.get("signed_up", 0):
        failures.append(f"{documents} .ics files sent, {statuses.get('signed_up', 0)} seated")
    if alerts:
        failures.append(f"{len(alerts)} alerts shown, first: {alerts[0]!r}")
    if sum(tally.updates.values()) != updates or echo_stats.updates != updates:
        failures.append(f"updates: {updates} events, {echo_stats.updates} echo")
    if counter.counts:
        failures.append(f"logged: {dict(counter.counts)}; first: {counter.first}")

    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "people": people,
        "users": users,
        "events": events,
        "warmup_people": warmup,
        "setup_s": round(setup_s, 2),
        "echo": asdict(echo_stats),
        "events_phase": asdict(events_stats),
        "steps": [asdict(s) for s in steps],
        "quiet": [asdict(s) for s in quiet],
        "people_failed": len(failed),
        "errors_logged": dict(counter.counts),
        "signups": signups,
        "signups_per_s": round(signups_per_s, 1),
        "signups_by_status": statuses,
        "ratio": round(ratio, 3),
        "cpu_ratio": round(cpu_ratio, 3),
        "quiet_list_p95_ratio": round(quiet_ratio, 2),
        "sql_statements": sql,
        "bot_api_calls": bot_calls,
        "signup_indexes": indexes,
        "query_plans": plans,
        "ok": not failures,
        "failures": failures,
        "machine": machine_info(),
    }
    save(results, result)
    print(f"results: {results}")
    if failures:
        more = f"; and {len(failures) - 10} more" if len(failures) > 10 else ""
        print("FAIL: " + "; ".join(failures[:10]) + more, file=sys.stderr)
        return 1
    print("self-checks: OK")
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--people", type=int, default=10_000, help="people acting at once")
    parser.add_argument("--users", type=int, default=100_000, help="registered users in the DB")
    parser.add_argument("--events", type=int, default=100, help="published events")
    parser.add_argument("--warmup", type=int, default=100, help="unmeasured people first")
    parser.add_argument(
        "--results", type=Path, default=RESULTS_DIR / "events.json", help="results JSON"
    )
    args = parser.parse_args()
    if args.people < 1 or args.events < 1:
        parser.error("--people and --events must be at least 1")
    if args.users < args.people:
        parser.error("--users must be at least --people")
    raise SystemExit(
        asyncio.run(run(args.people, args.users, args.events, args.warmup, args.results))
    )


if __name__ == "__main__":
    main()
