"""Registration throughput: the production bot against a bare aiogram echo bot, in one run.

What is measured
----------------
* registration: N simulated people go through the whole registration dialog at once
  (/start, Register, I agree, name, phone contact, region typed then picked, municipality,
  kind, Confirm: 10 updates each). A person sends an update only after the previous one was
  processed, as a real person waits for the answer; all N people run concurrently as asyncio
  tasks. Updates go through the production wiring (`create_bot`, `create_dispatcher`, the
  database-backed FSM, a migrated SQLite file in a temp dir, the scheduler started) with
  `dp.feed_raw_update`. Callbacks carry the callback_data of the buttons the bot sent.
* echo: a bare aiogram `Dispatcher()` (MemoryStorage) whose only handler answers the text,
  fed the same number of updates in the same shape (N people x 10 messages, each in order).

Both bots talk to the same in-process `FastSession`, which fabricates Bot API answers without
network, serialisation or request validation, so only the bots' own work is compared: update
parsing, middlewares, routing, handlers, database, FSM, texts.

How to read it
--------------
latency: from taking one of the MAX_CONCURRENT_UPDATES slots (both bots have the same cap) to
the end of `feed_raw_update`, per update: the update served, not the queue of N people
started at once (it still includes waiting for the event loop and the SQLite connection).
For CPU per update over real processes and HTTP, see bench/process.py.
updates/s: all updates of the phase / its wall time.
ratio = echo updates/s / registration updates/s: how many echo updates cost as much as one
registration update. The target is at most 3.

On PostgreSQL + Redis (`--backend postgres`, servers from --postgres-url / --redis-url or
TEST_POSTGRES_URL / TEST_REDIS_URL): the production bot's data goes to a migrated database of
the run's own on that server, its dialog state, event isolation and flood counts to Redis
under a prefix of its own (both removed at the end); the echo bot is the same. With
`--instances 2` the production bot is two worker processes (`--worker`, bench/servers.py),
each the production application with its own FastSession and MAX_CONCURRENT_UPDATES slots,
registering every other person (a person's updates all go to one instance: on PostgreSQL and
Redis nothing of a person is kept in an instance between updates, so which instance takes the
next update changes no work; tests/e2e/test_two_instances.py moves one dialog across the
instances). They warm up on a database of their own, start on one signal, and report their
latencies and CPU; updates/s is all updates / (the last instance's end - the first one's
start). The servers' CPU is reported beside the bot's where they run on this machine: the
PostgreSQL backends of the run's database (sampled from /proc) and the Redis server's own
figure (which counts its other clients too).

Run: `python -m bench.registration [--people 1000] [--profile] [--backend postgres
[--instances 2]]`. Results also go to bench/results/registration.json (with --profile:
registration-profile.json and a .prof dump; on PostgreSQL registration-postgres-N.json), or
--results.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import html
import io
import itertools
import json
import logging
import os
import platform
import pstats
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, get_args

import aiogram
import aiosqlite
import pydantic
import sqlalchemy
from aiogram import Bot, Dispatcher
from aiogram.client.session.base import BaseSession
from aiogram.methods import (
    EditMessageReplyMarkup,
    EditMessageText,
    GetMe,
    SendMessage,
    TelegramMethod,
)
from aiogram.types import InlineKeyboardMarkup, Message
from aiogram.types import User as TelegramUser
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bench import servers
from bench.servers import Backend, ServerCpu, Worker, WorkerChannel, server_info
from bot.config import Settings
from bot.factory import create_application
from bot.i18n import Text, Translator
from bot.runtime import tune_gc
from bot.services.roles import Kind
from db.engine import create_engine, create_session_factory
from db.models import User
from tests.harness import TOKEN, make_settings

RESULTS_DIR = Path(__file__).resolve().parent / "results"
UPDATES_PER_PERSON = 10  # the registration dialog below; the echo people send as many
THROTTLE_RATE = 1_000_000  # the middleware runs, but machine-speed people never reach it
FIRST_PERSON = 10_000_000  # measured people's ids; warm-up people come before
BOT_USER: dict[str, Any] = {"id": 42, "is_bot": True, "first_name": "Bench Bot"}
_TAG = re.compile(r"<[^>]+>")


def visible(text: str) -> str:
    """What the chat shows of an HTML message (entities dropped: nothing here reads them)."""
    if "<" not in text and "&" not in text:
        return text
    return html.unescape(_TAG.sub("", text))


class FastSession(BaseSession):
    """An in-process Bot API answering from memory, as cheaply as aiogram lets it.

    sendMessage / editMessageText return a Message built straight from the method; methods
    returning bool (answerCallbackQuery, setMyCommands...) return True; editMessageReplyMarkup
    returns True (allowed by the API). It remembers each chat's bot messages that still have an
    inline keyboard, so a simulated person can press their buttons. Anything else raises, so a
    bot calling an unexpected method fails the run instead of measuring a fake.
    """

    KEPT_PER_CHAT = 20  # keyboards older than this cannot be pressed (bounds memory)

    def __init__(self) -> None:
        super().__init__()
        self.calls: Counter[str] = Counter()
        self._last_message_id: dict[int, int] = {}
        self._keyboards: dict[int, dict[int, tuple[str, InlineKeyboardMarkup]]] = {}

    def next_message_id(self, chat_id: int) -> int:
        """Bot and person share a chat's message ids, as in Telegram."""
        n = self._last_message_id.get(chat_id, 0) + 1
        self._last_message_id[chat_id] = n
        return n

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[Any],
        timeout: int | None = None,  # noqa: ASYNC109 - aiogram's signature
    ) -> Any:
        self.calls[method.__api_method__] += 1
        if isinstance(method, SendMessage):
            chat_id = int(method.chat_id)
            message_id = self.next_message_id(chat_id)
            return self._message(bot, chat_id, message_id, method.text, method.reply_markup)
        if isinstance(method, EditMessageText) and method.chat_id and method.message_id:
            chat_id = int(method.chat_id)
            return self._message(bot, chat_id, method.message_id, method.text, method.reply_markup)
        if isinstance(method, EditMessageReplyMarkup) and method.chat_id and method.message_id:
            chat_id, message_id = int(method.chat_id), method.message_id
            kept = self._keyboards.get(chat_id, {})
            if isinstance(method.reply_markup, InlineKeyboardMarkup) and message_id in kept:
                kept[message_id] = (kept[message_id][0], method.reply_markup)
            else:
                kept.pop(message_id, None)
            return True
        if isinstance(method, GetMe):  # the start-up check of the token
            return TelegramUser.model_validate(BOT_USER)
        if method.__returning__ is bool or bool in get_args(method.__returning__):
            return True  # answerCallbackQuery, setMyCommands, inline-message edits...
        raise NotImplementedError(f"FastSession does not fake {method.__api_method__}")

    def _message(
        self, bot: Bot, chat_id: int, message_id: int, text: str | None, markup: Any
    ) -> Message:
        text = visible(text or "")
        kept = self._keyboards.setdefault(chat_id, {})
        data: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": BOT_USER,
            "text": text,
        }
        if isinstance(markup, InlineKeyboardMarkup):
            data["reply_markup"] = markup  # a model instance: pydantic does not re-validate it
            kept[message_id] = (text, markup)
            if len(kept) > self.KEPT_PER_CHAT:
                del kept[next(iter(kept))]
        else:  # a reply keyboard is not part of the Message; an edit without one drops it
            kept.pop(message_id, None)
        return Message.model_validate(data, context={"bot": bot})

    def press(self, chat_id: int, label: str) -> tuple[dict[str, Any], str]:
        """The newest bot message in the chat with an inline button `label`, as a callback
        update carries it, and the button's callback_data."""
        for message_id, (text, markup) in reversed(self._keyboards.get(chat_id, {}).items()):
            for row in markup.inline_keyboard:
                for button in row:
                    if button.text == label and button.callback_data:
                        message = {
                            "message_id": message_id,
                            "from": BOT_USER,
                            "chat": {"id": chat_id, "type": "private", "first_name": "Person"},
                            "date": int(time.time()),
                            "text": text,
                            "reply_markup": markup.model_dump(exclude_none=True),
                        }
                        return message, button.callback_data
        raise LookupError(f"no inline button {label!r} in chat {chat_id}")

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,  # noqa: ASYNC109 - aiogram's signature
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        raise NotImplementedError("no downloads in the benchmark")
        yield b""  # pragma: no cover - makes this an async generator

    async def close(self) -> None:
        """Nothing to release."""


# ---- simulated people ------------------------------------------------------------------------


# Update ids are unique per bot as Telegram's are: one counter for every Target of the
# process, and a block of its own for each worker (instances share the database, where
# handled update ids are remembered and a repeated one is dropped as a duplicate).
UPDATE_IDS = itertools.count(1)
WORKER_UPDATE_ID_BLOCK = 10**9


@dataclass
class Target:
    """A bot under test: where updates go and what it answered."""

    dp: Dispatcher
    bot: Bot
    session: FastSession
    latencies: list[float]
    # As many updates in the dispatcher at once as the production bot allows (polling's
    # tasks_concurrency_limit), for both bots; the latency is from taking a slot to the end.
    slots: asyncio.Semaphore | None = None

    def __post_init__(self) -> None:
        self._query_ids = itertools.count(1)

    def next_update_id(self) -> int:
        return next(UPDATE_IDS)

    def next_query_id(self) -> str:
        return str(next(self._query_ids))

    async def feed(self, update: dict[str, Any]) -> float:
        """Handle one update; its latency (seconds, from taking a slot: the update served,
        not the queue of people who arrived at once) is recorded and returned."""
        if self.slots is None:
            start = time.perf_counter()
            await self.dp.feed_raw_update(self.bot, update)
        else:
            async with self.slots:
                start = time.perf_counter()
                await self.dp.feed_raw_update(self.bot, update)
        elapsed = time.perf_counter() - start
        self.latencies.append(elapsed)
        return elapsed


class Person:
    """One private chat; builds the Update dicts Telegram would send (as tests' UpdateFactory)."""

    def __init__(self, target: Target, user_id: int) -> None:
        self.target = target
        self.user_id = user_id
        self.user = {"id": user_id, "is_bot": False, "first_name": "Person", "language_code": "ru"}
        self.chat = {"id": user_id, "type": "private", "first_name": "Person"}

    async def _message(self, content: dict[str, Any]) -> float:
        message = {
            "message_id": self.target.session.next_message_id(self.user_id),
            "from": self.user,
            "chat": self.chat,
            "date": int(time.time()),
            **content,
        }
        return await self.target.feed(
            {"update_id": self.target.next_update_id(), "message": message}
        )

    async def send(self, text: str) -> float:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return await self._message(content)

    async def share_contact(self, phone: str) -> float:
        contact = {"phone_number": phone, "first_name": "Person", "user_id": self.user_id}
        return await self._message({"contact": contact})

    async def click(self, label: str) -> float:
        message, data = self.target.session.press(self.user_id, label)
        query = {
            "id": self.target.next_query_id(),
            "from": self.user,
            "message": message,
            "chat_instance": str(self.user_id * 31 + 7),
            "data": data,
        }
        return await self.target.feed(
            {"update_id": self.target.next_update_id(), "callback_query": query}
        )


def registration_script(t: Text) -> Callable[[Person], Awaitable[None]]:
    """The dialog of tests/dialogs/test_registration.py; button labels come from the texts,
    their callback_data from the bot's own messages."""
    kinds = [t(f"kind-{kind.value}") for kind in Kind]

    async def register(p: Person) -> None:
        await p.send("/start")
        await p.click(t("start-register-button"))
        await p.click(t("registration-consent-agree"))
        await p.send("Иванова Анна-Мария Петровна")
        await p.share_contact(f"7912{p.user_id % 10_000_000:07d}")
        await p.send("татарстан")
        await p.click("Республика Татарстан")
        await p.send("г. Казань")
        await p.click(kinds[p.user_id % len(kinds)])
        await p.click(t("registration-confirm-button"))

    return register


async def echo_script(p: Person) -> None:
    for n in range(UPDATES_PER_PERSON):
        await p.send(f"Сообщение номер {n + 1}")


# ---- the two bots ------------------------------------------------------------------------------


@dataclass
class Production:
    target: Target
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    translator: Translator
    sql: Counter[str]  # statements by SQLAlchemy cache outcome, and commits
    # Database connections the pool opened (PostgreSQL: a server process each) and closed.
    pool: Counter[str] = field(default_factory=Counter)

    def count_sql(self) -> None:
        """Count statements and commits from now on (a counter bump per statement: cheap),
        and the connections the pool opens and closes."""

        def statement(*args: Any) -> None:
            outcome = getattr(args[4], "cache_hit", None)  # CACHE_HIT, NO_CACHE_KEY...
            self.sql[outcome.name if outcome is not None else "UNKNOWN"] += 1

        def commit(_connection: Any) -> None:
            self.sql["COMMIT"] += 1

        def opened(*_args: Any) -> None:
            self.pool["opened"] += 1

        def closed(*_args: Any) -> None:
            self.pool["closed"] += 1

        event.listen(self.engine.sync_engine, "before_cursor_execute", statement)
        event.listen(self.engine.sync_engine, "commit", commit)
        event.listen(self.engine.sync_engine, "connect", opened)
        event.listen(self.engine.sync_engine, "close", closed)


@asynccontextmanager
async def production_bot(
    db_path: Path, session: FastSession | None = None, **overrides: Any
) -> AsyncIterator[Production]:
    """The start-up of bot.app.run, minus polling: migrated SQLite, admins, scheduler, menus.
    `session`: a FastSession (sub)class instance, a fresh FastSession by default; `overrides`:
    settings (bench.servers.Backend.overrides: PostgreSQL and Redis instead of the file)."""
    session = FastSession() if session is None else session
    app = await create_application(
        make_settings(db_path, throttle_rate=THROTTLE_RATE, **overrides), bot_session=session
    )
    try:
        await app.start()
        tune_gc()  # as bot.app.run does after start-up
        yield Production(
            Target(
                app.dp, app.bot, session, [], asyncio.Semaphore(app.settings.max_concurrent_updates)
            ),
            app.engine,
            app.session_factory,
            app.translator,
            Counter(),
        )
    finally:
        await app.close()


def echo_bot(concurrency: int = Settings.model_fields["max_concurrent_updates"].default) -> Target:
    """A bare aiogram bot with the same concurrency cap as the production one."""
    dp = Dispatcher()  # MemoryStorage, SimpleEventIsolation: aiogram's defaults

    @dp.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    session = FastSession()
    return Target(dp, Bot(TOKEN, session=session), session, [], asyncio.Semaphore(concurrency))


# ---- running and reporting -----------------------------------------------------------------------


@dataclass
class Stats:
    name: str
    people: int
    updates: int
    wall_s: float
    updates_per_s: float
    cpu_s: float  # process CPU time (all threads: the loop and aiosqlite's)
    loop_cpu_s: float  # of which the event loop's thread (the rest: SQLite's worker thread)
    cpu_ms_per_update: float
    gc_s: float  # time in the cyclic garbage collector
    mean_ms: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float


@dataclass
class Run:
    """What one phase took: wall, CPU (process, loop thread) and GC seconds."""

    wall: float
    cpu: float
    loop_cpu: float
    gc: float
    # The phase's start and end on the machine-wide monotonic clock (comparable between
    # processes: two instances' phases are put on one time line).
    started_at: float = 0.0
    ended_at: float = 0.0


class GcTimer:
    """Time spent in gc collections (cProfile cannot see it; it lands on whatever allocated)."""

    def __init__(self) -> None:
        self.total = 0.0
        self._start = 0.0

    def __call__(self, phase: str, _info: dict[str, Any]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.total += time.perf_counter() - self._start


def stats(name: str, people: int, latencies: list[float], run: Run) -> Stats:
    ms = [x * 1000 for x in latencies]
    q = statistics.quantiles(ms, n=100, method="inclusive")
    return Stats(
        name=name,
        people=people,
        updates=len(ms),
        wall_s=round(run.wall, 3),
        updates_per_s=round(len(ms) / run.wall, 1),
        cpu_s=round(run.cpu, 3),
        loop_cpu_s=round(run.loop_cpu, 3),
        cpu_ms_per_update=round(1000 * run.cpu / len(ms), 4),
        gc_s=round(run.gc, 3),
        mean_ms=round(statistics.fmean(ms), 3),
        p50_ms=round(q[49], 3),
        p95_ms=round(q[94], 3),
        p99_ms=round(q[98], 3),
        max_ms=round(max(ms), 3),
    )


async def drive(
    target: Target,
    script: Callable[[Person], Awaitable[None]],
    people: Iterable[int],
    profiler: cProfile.Profile | None = None,
    failed: list[BaseException] | None = None,
) -> Run:
    """All people at once, each in order. Any person's failure fails the run, or, given a
    `failed` list, is appended to it (the caller reports and fails)."""
    target.latencies.clear()
    gc.collect()  # do not bill one phase for the garbage of the previous one
    gc_timer = GcTimer()
    gc.callbacks.append(gc_timer)
    if profiler is not None:
        profiler.enable()
    cpu, loop_cpu, start = time.process_time(), time.thread_time(), time.perf_counter()
    started_at = time.monotonic()
    try:
        results = await asyncio.gather(
            *(script(Person(target, uid)) for uid in people), return_exceptions=True
        )
    finally:
        run = Run(
            time.perf_counter() - start,
            time.process_time() - cpu,
            time.thread_time() - loop_cpu,
            gc_timer.total,
            started_at,
            time.monotonic(),
        )
        if profiler is not None:
            profiler.disable()
        gc.callbacks.remove(gc_timer)
    failures = [r for r in results if isinstance(r, BaseException)]
    if failed is not None:
        failed.extend(failures)
    elif failures:
        raise SystemExit(f"FAIL: {len(failures)} people failed, first: {failures[0]!r}")
    return run


class LogCounter(logging.Handler):
    """Counts warnings and errors (the bot's error handler logs every failed update)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.counts: Counter[str] = Counter()
        self.first: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.counts[record.levelname] += 1
        if len(self.first) < 5:
            self.first.append(f"{record.levelname} {record.name}: {record.getMessage()}")


async def count_registered(session_factory: async_sessionmaker[AsyncSession]) -> int:
    async with session_factory() as db:
        query = select(func.count()).select_from(User).where(User.registered_at.is_not(None))
        return int(await db.scalar(query) or 0)


async def warm_up(tmp: Path, people: int, overrides: dict[str, Any] | None = None) -> None:
    """Build pydantic's deferred schemas, fill import and regex caches etc. in throwaway bots,
    so neither measured phase pays one-off costs (the measured DB stays clean)."""
    await warm_up_echo(people)
    await warm_up_production(tmp, range(FIRST_PERSON - people, FIRST_PERSON), overrides or {})


async def warm_up_echo(people: int) -> None:
    if people > 0:
        await drive(echo_bot(), echo_script, range(FIRST_PERSON - people, FIRST_PERSON))


async def warm_up_production(tmp: Path, people: range, overrides: dict[str, Any]) -> None:
    """A throwaway production bot (its own SQLite file, or the warm-up database and Redis
    prefix in `overrides`) registers `people`."""
    if not people:
        return
    async with production_bot(tmp / "warmup.sqlite3", **overrides) as prod:
        script = registration_script(prod.translator.for_locale("ru"))
        await drive(prod.target, script, people)


def machine_info() -> dict[str, Any]:
    return {
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "aiogram": aiogram.__version__,
        "sqlalchemy": sqlalchemy.__version__,
        "pydantic": pydantic.VERSION,
        "aiosqlite": aiosqlite.__version__,
        "sqlite": sqlite3.sqlite_version,
        # Other processes compete for the same cores; a high load makes wall times noisy.
        "loadavg_1m": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }


def table(rows: list[Stats]) -> str:
    width = max(27, *(len(s.name) + 2 for s in rows))
    head = (
        f"{'bot':<{width}}{'updates':>8}{'wall s':>8}{'updates/s':>10}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'p99 ms':>9}{'max ms':>9}{'CPU ms/upd':>11}{'loop CPU':>9}{'GC s':>7}"
    )
    lines = [head, "-" * len(head)]
    for s in rows:
        lines.append(
            f"{s.name:<{width}}{s.updates:>8}{s.wall_s:>8.2f}{s.updates_per_s:>10.1f}"
            f"{s.p50_ms:>9.2f}{s.p95_ms:>9.2f}{s.p99_ms:>9.2f}{s.max_ms:>9.2f}"
            f"{s.cpu_ms_per_update:>11.3f}{s.loop_cpu_s / s.cpu_s:>9.0%}{s.gc_s:>7.2f}"
        )
    return "\n".join(lines)


# Where self time goes, by the file a function lives in (first match wins).
GROUPS: list[tuple[str, tuple[str, ...]]] = [
    ("idle: event loop waiting (DB thread, timers)", ("select.epoll", "selectors.py")),
    ("SQLAlchemy", ("sqlalchemy",)),
    ("aiosqlite + thread hand-off", ("aiosqlite", "'_queue.", "/queue.py", "threading.py")),
    ("pydantic (models, validation)", ("pydantic",)),
    ("aiogram", ("aiogram",)),
    ("fluent (texts)", ("fluent", "babel")),
    ("json", ("json",)),
    ("phonenumbers", ("phonenumbers",)),
    ("asyncio (tasks, futures, locks)", ("asyncio", "contextlib.py")),
    ("bot/ db/ handlers/ (project)", ("/bot/", "/db/", "/handlers/")),
    ("bench driver + FastSession", ("/bench/",)),
]


def _group(filename: str, function: str) -> str:
    where = f"{filename} {function}"
    for name, needles in GROUPS:
        if any(n in where for n in needles):
            return name
    return "other (stdlib, builtins)"


# Layers of the update path, each bounded by a synchronous function whose cumulative time is
# reliable (cProfile's cumulative times of coroutines are not: each resume counts as a call).
LAYERS: list[tuple[str, str, str]] = [
    (
        "SQLAlchemy: statement -> SQL (cache key; compile on miss)",
        r"elements\.py:\d+\(_compile_w_cache\)",
        "max",
    ),
    (
        "  of which compiling (statements without a cache key)",
        r"sql/compiler\.py:\d+\(__init__\)",
        "max",
    ),
    (
        "SQLAlchemy: ORM set-up of insert/update statements",
        r"bulk_persistence\.py:\d+\(create_for_statement\)",
        "max",
    ),
    (
        "SQLAlchemy: sqlite insert .excluded (new alias per upsert)",
        r"sqlite/dml\.py:\d+\(excluded\)",
        "max",
    ),
    ("pydantic validation (Update in, Message out, callbacks)", r"'validate_python'", "sum"),
    (
        "aiogram keyboard builders .as_markup (deep copies)",
        r"utils/keyboard\.py:\d+\(as_markup\)",
        "sum",
    ),
    ("fluent texts (bot.i18n.Text.__call__)", r"bot/i18n\.py:\d+\(__call__\)", "max"),
    ("json dumps/loads", r"json/__init__\.py:\d+\((dumps|loads)\)", "sum"),
    ("phone validation (phonenumbers)", r"services/validation\.py:\d+\(phone\)", "max"),
    ("hand-off to aiosqlite's thread (queue put)", r"'put_nowait' of '_queue\.SimpleQueue'", "max"),
    (
        "loop wake-ups from other threads (self-pipe)",
        r"selector_events\.py:\d+\(_read_from_self\)",
        "max",
    ),
]


def _where(key: tuple[str, int, str]) -> str:
    filename, line, function = key
    return f"{filename.split('site-packages/')[-1]}:{line}({function})"


def profile_report(profiler: cProfile.Profile, dump: Path) -> str:
    """Top functions, self time by package and time by layer, as text (stats also dumped)."""
    profiler.dump_stats(dump)
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, Any]]
    raw = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = sum(tt for _, _, tt, _, _ in raw.values())
    out = io.StringIO()

    def top(title: str, column: int, rows: list[tuple[tuple[str, int, str], Any]]) -> None:
        out.write(f"{title}\n{'ncalls':>10}{'tottime':>9}{'cumtime':>9}  function\n")
        rows.sort(key=lambda row: row[1][column], reverse=True)
        for key, (_, calls, tt, ct, _) in rows[:25]:
            out.write(f"{calls:>10}{tt:>9.2f}{ct:>9.2f}  {_where(key)}\n")
        out.write("\n")

    top(
        "Top 25 by cumulative time (coroutine chains whose cumulative exceeds the profiled "
        "time are left out: cProfile counts them once per resume)",
        3,
        [(k, v) for k, v in raw.items() if v[3] <= total],
    )
    top("Top 25 by total (self) time", 2, list(raw.items()))

    by_group: dict[str, float] = {}
    for (filename, _, function), (_, _, tt, _, _) in raw.items():
        group = _group(filename, function)
        by_group[group] = by_group.get(group, 0.0) + tt
    idle = by_group.get(GROUPS[0][0], 0.0)
    out.write("Self time by package (share of profiled time; share of busy time)\n")
    for name, tt in sorted(by_group.items(), key=lambda item: item[1], reverse=True):
        busy = "" if name == GROUPS[0][0] else f"{100 * tt / (total - idle):6.1f}%"
        out.write(f"  {name:<58}{tt:8.2f}s {100 * tt / total:6.1f}% {busy}\n")
    out.write(
        f"  {'total (event loop thread; GC time is inside the callers)':<58}{total:8.2f}s\n\n"
    )

    out.write("Time by layer (cumulative, share of profiled time; layers overlap packages)\n")
    for label, pattern, how in LAYERS:
        found = [v[3] for k, v in raw.items() if re.search(pattern, _where(k))]
        seconds = (max(found) if how == "max" else sum(found)) if found else 0.0
        out.write(f"  {label:<58}{seconds:8.2f}s {100 * seconds / total:6.1f}%\n")
    return out.getvalue()


@dataclass
class Measured:
    """The production phase, whichever way it ran."""

    stats: Stats
    sql: dict[str, int]
    bot_calls: dict[str, int]
    registered: int
    per_instance: list[dict[str, Any]]
    server_cpu: dict[str, float | None]
    failures: list[str]
    pool: dict[str, int]  # connections opened and closed by the pool(s) during the phase


def combine(runs: list[Run]) -> Run:
    """Several instances' phases as one: from the first start to the last end, CPU summed."""
    return Run(
        max(r.ended_at for r in runs) - min(r.started_at for r in runs),
        sum(r.cpu for r in runs),
        sum(r.loop_cpu for r in runs),
        sum(r.gc for r in runs),
        min(r.started_at for r in runs),
        max(r.ended_at for r in runs),
    )


async def registered_in(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        return await count_registered(create_session_factory(engine))
    finally:
        await engine.dispose()


async def measure_here(
    tmp: Path,
    backend: Backend,
    people: range,
    overrides: dict[str, Any],
    profiler: cProfile.Profile | None,
) -> Measured:
    """One instance: the production application in this process, as before servers existed."""
    url = overrides.get("database_url")
    cpu = ServerCpu(backend, url) if url else None
    async with production_bot(tmp / "bot.sqlite3", **overrides) as prod:
        script = registration_script(prod.translator.for_locale("ru"))
        prod.count_sql()
        if cpu:
            await cpu.start()
        phase = await drive(prod.target, script, people, profiler)
        server_cpu = await cpu.stop() if cpu else {}
        name = f"registration ({backend.label(1)})" if backend.servers else REGISTRATION
        return Measured(
            stats(name, len(people), prod.target.latencies, phase),
            dict(prod.sql),
            dict(prod.target.session.calls),
            await count_registered(prod.session_factory),
            [],
            server_cpu,
            [],
            dict(prod.pool),
        )


async def measure_instances(
    backend: Backend,
    instances: int,
    people: range,
    warmup: int,
    overrides: dict[str, Any],
    warm_overrides: dict[str, Any],
) -> Measured:
    """Several instances: a worker process each (`--worker`), running the production
    application against the shared database and Redis. Each takes every n-th person (a
    person's updates all go to one instance: on PostgreSQL and Redis no instance keeps
    anything of a person between updates, so where the next update lands changes no work;
    tests/e2e/test_two_instances.py moves one dialog across instances). They warm up, report
    ready, start together on "go", and answer with their latencies and times."""
    names = "abcdefgh"[:instances]
    workers = [
        Worker(
            "bench.registration",
            name,
            {
                "index": k + 1,
                "overrides": overrides,
                "warm_overrides": warm_overrides,
                "people": [people.start + k, people.stop, instances],
                # Each warms up people of its own, below the measured ones.
                "warmup": [FIRST_PERSON - warmup * (k + 1), FIRST_PERSON - warmup * k],
            },
        )
        for k, name in enumerate(names)
    ]
    cpu = ServerCpu(backend, overrides["database_url"])
    try:
        await asyncio.gather(*(w.start() for w in workers))
        await asyncio.gather(*(w.receive(600) for w in workers))  # ready
        await cpu.start()
        await asyncio.gather(*(w.send("go") for w in workers))
        answers = await asyncio.gather(*(w.receive(3600) for w in workers))
        server_cpu = await cpu.stop()
        registered = await registered_in(overrides["database_url"])
    finally:
        codes = await asyncio.gather(*(w.stop() for w in workers))
    runs = [Run(**a["run"]) for a in answers]
    whole = combine(runs)
    latencies = [x for a in answers for x in a["latencies"]]
    per_instance, failures = [], []
    sql: Counter[str] = Counter()
    calls: Counter[str] = Counter()
    pool: Counter[str] = Counter()
    for worker, answer, run, code in zip(workers, answers, runs, codes, strict=True):
        own = stats(
            f"  of which instance {worker.name}", answer["people"], answer["latencies"], run
        )
        per_instance.append(
            {
                "instance": worker.name,
                **asdict(own),
                "started_after_s": round(run.started_at - whole.started_at, 3),
                "logged": answer["logged"],
                "exit_code": code,
            }
        )
        sql.update(answer["sql"])
        calls.update(answer["bot_calls"])
        pool.update(answer["pool"])
        failures += [f"instance {worker.name}: {f}" for f in answer["failures"]]
        if answer["logged"].get("ERROR") or answer["logged"].get("CRITICAL"):
            failures.append(
                f"instance {worker.name}: errors logged: {answer['logged']}; first: "
                f"{answer['first_logged']}"
            )
        if code != 0:
            failures.append(f"instance {worker.name} exited with code {code}")
    name = f"registration ({backend.label(instances)})"
    return Measured(
        stats(name, len(people), latencies, whole),
        dict(sql),
        dict(calls),
        registered,
        per_instance,
        server_cpu,
        failures,
        dict(pool),
    )


async def worker(config: dict[str, Any]) -> int:
    """A worker process (see measure_instances): warm up, then register its share on "go"."""
    global UPDATE_IDS
    UPDATE_IDS = itertools.count(1 + config["index"] * WORKER_UPDATE_ID_BLOCK)
    channel = WorkerChannel()
    counter = LogCounter()
    logging.getLogger().addHandler(counter)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-registration-worker-") as tmp:
            await warm_up_production(Path(tmp), range(*config["warmup"]), config["warm_overrides"])
            counter.counts.clear()
            counter.first.clear()
            async with production_bot(Path(tmp) / "unused", **config["overrides"]) as prod:
                script = registration_script(prod.translator.for_locale("ru"))
                prod.count_sql()
                channel.answer("ready")
                await channel.command()  # go
                failed: list[BaseException] = []
                share = range(*config["people"])
                phase = await drive(prod.target, script, share, failed=failed)
                channel.answer(
                    "done",
                    people=len(share),
                    latencies=prod.target.latencies,
                    run=asdict(phase),
                    sql=dict(prod.sql),
                    pool=dict(prod.pool),
                    bot_calls=dict(prod.target.session.calls),
                    logged=dict(counter.counts),
                    first_logged=counter.first,
                    failures=(
                        [f"{len(failed)} people failed, first: {failed[0]!r}"] if failed else []
                    ),
                )
                while (await channel.command())["command"] != "exit":
                    pass
    except Exception as exc:
        channel.answer("error", error=repr(exc))
        raise
    return 0


REGISTRATION = "registration (production)"


async def run(args: argparse.Namespace, backend: Backend) -> int:
    people, warmup, profile, instances = args.people, args.warmup, args.profile, args.instances
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    counter = LogCounter()
    logging.getLogger().addHandler(counter)
    everyone = range(FIRST_PERSON, FIRST_PERSON + people)
    profiler = cProfile.Profile() if profile else None
    try:
        with tempfile.TemporaryDirectory(prefix="bench-registration-") as tmp:
            overrides: dict[str, Any] = {}
            warm_overrides: dict[str, Any] = {}
            if backend.servers:
                url = await backend.new_database("registration", migrated=True)
                warm_url = await backend.new_database("registration_warmup", migrated=True)
                overrides = backend.overrides(url, backend.new_prefix("registration"))
                warm_overrides = backend.overrides(warm_url, backend.new_prefix("reg-warmup"))
            if instances == 1:
                await warm_up(Path(tmp), warmup, warm_overrides)
            else:
                await warm_up_echo(warmup)  # each worker warms its production bot up itself
            counter.counts.clear()

            echo = echo_bot()
            phase = await drive(echo, echo_script, everyone)
            echo_stats = stats("echo (bare aiogram)", people, echo.latencies, phase)

            if instances == 1:
                measured = await measure_here(Path(tmp), backend, everyone, overrides, profiler)
            else:
                measured = await measure_instances(
                    backend, instances, everyone, warmup, overrides, warm_overrides
                )
    finally:
        await backend.cleanup()
    reg_stats, sql, bot_calls, registered = (
        measured.stats,
        measured.sql,
        measured.bot_calls,
        measured.registered,
    )

    ratio = echo_stats.updates_per_s / reg_stats.updates_per_s
    cpu_ratio = reg_stats.cpu_ms_per_update / echo_stats.cpu_ms_per_update
    note = " (under cProfile: inflated)" if profile else ""
    print(
        f"\n{people} people x {UPDATES_PER_PERSON} updates, all people at once, each in order"
        f"{note}; warm-up: {warmup} people per bot, not measured. Load average at start: "
        f"{load:.2f} on {os.cpu_count()} CPUs (other processes make wall times noisy)."
    )
    print(f"Production bot: {backend.label(instances)}.")
    if instances > 1:
        print(
            f"{instances} worker processes, each the production application with "
            f"MAX_CONCURRENT_UPDATES slots of its own, each registering 1 in {instances} of the "
            "people (by id); the echo bot is one process, this one."
        )
    print(
        f"Flood throttle: throttle_rate={THROTTLE_RATE:_}/s; the middleware runs on every "
        "update but cannot trigger on machine-speed people.\n"
    )
    rows = [echo_stats, reg_stats]
    rows += [
        Stats(**{k: v for k, v in d.items() if k in Stats.__dataclass_fields__})
        for d in measured.per_instance
    ]
    print(table(rows))
    verdict = "OK" if ratio <= 3 else "ABOVE TARGET"
    print(
        f"\nratio (registration cost per update / echo) = echo updates/s / registration "
        f"updates/s = {ratio:.2f}x  (target <= 3x: {verdict})"
    )
    print(f"CPU-time ratio (CPU ms per update, all threads) = {cpu_ratio:.2f}x")
    server_ms = None
    if measured.server_cpu:
        pg_s, redis_s = measured.server_cpu["postgres_cpu_s"], measured.server_cpu["redis_cpu_s"]
        spent = (pg_s or 0.0) + (redis_s or 0.0)
        server_ms = 1000 * spent / reg_stats.updates
        total_ms = reg_stats.cpu_ms_per_update + server_ms
        print(
            f"Servers' CPU during the phase: PostgreSQL backends of the run's database "
            f"{_seconds(pg_s)}, Redis {_seconds(redis_s)} (all its clients) = "
            f"{server_ms:.3f} ms per update; bot + servers {total_ms:.3f} ms per update = "
            f"{total_ms / echo_stats.cpu_ms_per_update:.2f}x echo"
        )
    statements = sum(n for k, n in sql.items() if k != "COMMIT")
    per_update = people * UPDATES_PER_PERSON
    print(
        f"SQL per registration update: {statements / per_update:.2f} statements "
        f"({sql.get('CACHE_HIT', 0) / per_update:.2f} from the compiled cache), "
        f"{sql.get('COMMIT', 0) / per_update:.2f} commits; by cache outcome: {sql}"
    )
    print(
        f"Database connections the pool opened during the phase: {measured.pool.get('opened', 0)}"
        f" (closed: {measured.pool.get('closed', 0)})"
    )
    print(f"Bot API calls by the production bot: {bot_calls}")
    print(f"registered users in DB: {registered} (expected {people})")

    failures: list[str] = list(measured.failures)
    if registered != people:
        failures.append(f"{registered} registered users in the DB, expected {people}")
    if reg_stats.updates != people * UPDATES_PER_PERSON:
        failures.append(f"{reg_stats.updates} registration updates, expected {people * 10}")
    if counter.counts["ERROR"] or counter.counts["CRITICAL"]:
        failures.append(f"errors logged: {dict(counter.counts)}; first: {counter.first}")
    elif counter.counts:
        print(f"warnings logged: {dict(counter.counts)}; first: {counter.first}")

    RESULTS_DIR.mkdir(exist_ok=True)
    name = "registration-profile" if profile else "registration"
    if backend.servers:
        name += f"-postgres-{instances}"
    path = args.results or RESULTS_DIR / f"{name}.json"
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python -m bench.registration " + " ".join(sys.argv[1:]),
        "backend": backend.name,
        "instances": instances,
        "servers": server_info(backend),
        "people": people,
        "updates_per_person": UPDATES_PER_PERSON,
        "warmup_people": warmup,
        "throttle_rate": THROTTLE_RATE,
        "profiled": profile,
        "echo": asdict(echo_stats),
        "registration": asdict(reg_stats),
        "per_instance": measured.per_instance,
        "ratio": round(ratio, 3),
        "cpu_ratio": round(cpu_ratio, 3),
        "server_cpu": measured.server_cpu,
        "server_cpu_ms_per_update": None if server_ms is None else round(server_ms, 4),
        "target_ratio": 3,
        "sql_statements": sql,
        "pool_connections": measured.pool,
        "registered_users": registered,
        "bot_api_calls": bot_calls,
        "ok": not failures,
        "failures": failures,
        "machine": machine_info(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    if profiler is not None:
        print("\n" + profile_report(profiler, path.with_suffix(".prof")))
    print(f"results: {path}")
    if failures:
        print("FAIL: " + "; ".join(failures), file=sys.stderr)
        return 1
    return 0


def _seconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--people", type=int, default=1000, help="simulated people (N)")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured people per bot first")
    parser.add_argument(
        "--profile", action="store_true", help="run the registration phase under cProfile"
    )
    parser.add_argument("--results", type=Path, default=None, help="where the JSON goes")
    servers.add_arguments(parser)
    args = parser.parse_args()
    if args.worker:
        raise SystemExit(asyncio.run(worker(json.loads(args.worker))))
    if args.people < 1:
        parser.error("--people must be at least 1")
    if args.profile and args.instances > 1:
        parser.error("--profile profiles this process: one instance only")
    backend = servers.backend_from_args(parser, args)
    raise SystemExit(asyncio.run(run(args, backend)))


if __name__ == "__main__":
    main()
