"""The one sender of the outbox: claims due rows, renders them in each recipient's language,
sends them no faster than the settings allow, and records what happened.

One drain runs at a time per process; several processes (or a restarted one) never send the
same row twice, because rows are claimed atomically with a lease. The lease is renewed every
third of its length while the drain holds the rows, and a drain never takes back rows it holds
itself, so a batch that outlasts the lease (a starved process, a long 429 pause) is still sent
once; only a sender that stopped renewing (it died) loses its rows. APScheduler only decides when
to look: a one-shot job at the next due time (moved earlier when something is queued), and a
safety job every `outbox_poll_seconds` for rows another process queued. Nothing is kept in the
scheduler that is not in the table, so a restart rebuilds the plan by draining at start.

Outcomes: sent; 429 → every send pauses for `retry_after` and the row waits as long; 403 →
`blocked` and the person is marked unreachable; 400 → `failed` (chat not found, or a message
Telegram refuses); network errors and 5xx → retried with exponential backoff, then `failed`;
past `expires_at` → `expired`; no longer relevant (the renderer says so) → `cancelled`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import InlineKeyboardMarkup, LinkPreviewOptions
from aiolimiter import AsyncLimiter
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.i18n import Translator
from bot.metrics import DB_SECONDS, ERRORS, SENDS
from bot.services import outbox
from bot.services.outbox import QuietHours
from bot.services.regions import zone_of
from db.models import Event, OutboxMessage, Signup, User
from db.repositories import Repo

log = logging.getLogger(__name__)
_SENT, _PAUSED, _BLOCKED, _FAILED, _RETRIED = (
    SENDS.labels(result) for result in ("ok", "429", "403", "failed", "retry")
)
_RENDER_FAILED = ERRORS.labels("outbox")
_CLAIM_SECONDS = DB_SECONDS.labels("outbox_claim")
JOB_ID = "outbox-drain"
POLL_JOB_ID = "outbox-poll"
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
STOP_WAIT = 10.0  # seconds a stopping bot waits for the running drain, unless told
HALT_CHECK = 0.5  # seconds between looks at whether broadcasts being sent were paused


@dataclass(frozen=True, slots=True)
class Rendered:
    """What to send: a text with buttons, or a copy of a stored message."""

    text: str | None = None
    markup: InlineKeyboardMarkup | None = None
    # (chat id, message ids): one message, or an album's items copied as one album.
    copy_from: tuple[int, tuple[int, ...]] | None = None
    paid: bool = False  # Telegram's paid broadcast: its own, higher limit

    @property
    def weight(self) -> int:
        """Messages this send counts as against the overall rate (an album: each item)."""
        return len(self.copy_from[1]) if self.copy_from is not None else 1


async def prefetch(repo: Repo, rows: list[OutboxMessage]) -> None:
    """The events and sign-ups a batch's renderers will read, in two queries, kept in the
    session's info for `cached_event` / `cached_signup` (a reminder batch is mostly one
    event's participants)."""
    event_ids = {int(r.payload["event_id"]) for r in rows if "event_id" in r.payload}
    if not event_ids:
        return
    cache = repo.session.info.setdefault(CACHE, {})
    for event in await repo.events.by_ids(event_ids):
        cache[("event", event.id)] = event
    pairs = {(int(r.payload["event_id"]), r.recipient_id) for r in rows if "event_id" in r.payload}
    for signup in await repo.signups.of_pairs(pairs):
        cache[("signup", signup.event_id, signup.user_id)] = signup
    for event_id, user_id in pairs:
        cache.setdefault(("signup", event_id, user_id), None)


CACHE = "outbox_render_cache"


async def cached_event(repo: Repo, event_id: int) -> Event | None:
    cache = repo.session.info.get(CACHE, {})
    if ("event", event_id) in cache:
        found: Event | None = cache[("event", event_id)]
        return found
    return await repo.events.get(event_id)


async def cached_signup(repo: Repo, event_id: int, user_id: int) -> Signup | None:
    cache = repo.session.info.get(CACHE, {})
    if ("signup", event_id, user_id) in cache:
        found: Signup | None = cache[("signup", event_id, user_id)]
        return found
    return await repo.signups.of(event_id, user_id)


# (repo, translator, the row, its recipient, now) → what to send, or None: no longer relevant.
Renderer = Callable[[Repo, Translator, OutboxMessage, User, datetime], Awaitable[Rendered | None]]


@dataclass(frozen=True, slots=True)
class _Outcome:
    values: dict[str, Any]
    unreachable: bool = False


class OutboxSender:
    def __init__(
        self,
        bot: Bot,
        session_factory: async_sessionmaker[AsyncSession],
        translator: Translator,
        settings: Settings,
        scheduler: AsyncIOScheduler,
        renderers: Mapping[str, Renderer],
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._bot = bot
        self._sessions = session_factory
        self._translator = translator
        self._settings = settings
        self._scheduler = scheduler
        self._renderers = renderers
        self._clock = clock
        self._quiet = QuietHours.parse(settings.quiet_hours)
        bind: AsyncEngine = session_factory.kw["bind"]
        self._engine = bind.sync_engine
        self._limiter = _limiter(settings.outbox_rate)
        self._paid_limiter = _limiter(settings.broadcast_paid_rate)
        self._chat_limiters: OrderedDict[int, AsyncLimiter] = OrderedDict()
        self._resume_at = 0.0  # monotonic time until which a 429 paused all sending
        self._lock = asyncio.Lock()
        self._again = False
        self._stopping = False
        self._draining: asyncio.Task[Any] | None = None
        self._held: set[int] = set()  # ids of the rows this drain claimed and has not settled
        self._planned: datetime | None = None
        self._halts: dict[int, str] = {}  # broadcast id → the status its rows get instead
        self._halts_read = 0.0
        self._halts_lock = asyncio.Lock()
        self._sending_broadcasts: set[int] = set()  # seen by this sender (a few ids)
        self.sent = 0  # since start, for logs and benchmarks
        self.pauses = 0

    # ---- planning --------------------------------------------------------------------------

    def start(self) -> None:
        outbox.on_enqueue(self._engine, self.wake)
        self._scheduler.add_job(
            self.drain,
            "interval",
            seconds=self._settings.outbox_poll_seconds,
            id=POLL_JOB_ID,
            replace_existing=True,
            coalesce=True,
            # A poll that comes while a drain runs returns at once (the drain takes another
            # look); allowing overlap keeps APScheduler from warning that it skipped one.
            max_instances=3,
        )
        self.wake(self._clock())  # catch up on what fell due while the bot was down

    def wake(self, due: datetime) -> None:
        """Drain at `due` (now, if it is past), unless a drain is planned earlier already."""
        if self._planned is not None and self._planned <= due:
            return
        self._planned = due
        self._scheduler.add_job(
            self.drain,
            "date",
            run_date=max(due, self._clock()),
            id=JOB_ID,
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
        )

    async def stop(self, grace: float = STOP_WAIT) -> None:
        """Start no other drain and let the running one finish the batch it is sending (the
        rows it claimed beyond that go back to the queue); after `grace` seconds it is
        cancelled and its rows wait out their lease. Called before the database closes."""
        self._stopping = True
        try:
            async with asyncio.timeout(grace):
                async with self._lock:
                    pass
        except TimeoutError:
            log.warning("the outbox drain outlived %s s; its rows wait out the lease", grace)
            draining = self._draining
            if draining is not None and not draining.done():
                draining.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await draining

    # ---- draining --------------------------------------------------------------------------

    async def drain(self, *, wait: bool = False) -> int:
        """Send everything due now; returns how many went out. With a drain already running,
        it takes another look when done (or, with `wait`, this one runs after it)."""
        if self._stopping:
            return 0
        if self._lock.locked() and not wait:
            self._again = True
            return 0
        async with self._lock:
            self._planned = None
            self._draining = asyncio.current_task()
            renewing = asyncio.create_task(self._renew_leases())
            try:
                total = await self._pipeline()
            finally:
                renewing.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await renewing
                self._held.clear()
                self._draining = None
            if not self._stopping:
                await self._plan_next()
            return total

    async def _pipeline(self) -> int:
        # While one batch is being sent (paced by the limiter), the next is claimed and
        # rendered, so the database work does not leave the limiter idle.
        total = 0
        ready = await self._next_batch()
        while True:
            if not ready:
                if not self._again or self._stopping:
                    return total
                self._again = False
                ready = await self._next_batch()
                continue
            sending = asyncio.create_task(self._send_all(ready))
            try:
                following = await self._next_batch()
                outcomes = await sending
            except BaseException:  # cancelled (a stop that waited long enough): sends too
                sending.cancel()
                raise
            total += await self._record(ready, outcomes)
            if self._stopping:  # the batch sent is recorded; the next one was not sent
                await self._release(following)
                return total
            ready = following

    async def _renew_leases(self) -> None:
        """Push the lease of the rows this drain holds on, every third of its length, so no
        other sender takes them back while they are still being sent."""
        lease = self._settings.outbox_lease_seconds
        while True:
            await asyncio.sleep(lease / 3)
            if not self._held:
                continue
            async with self._sessions() as session:
                until = self._clock() + timedelta(seconds=lease)
                await Repo(session).outbox.renew_leases(self._held, until)
                await session.commit()

    async def _release(self, rows: list[tuple[OutboxMessage, Rendered]]) -> None:
        """Claimed rows that will not be sent now (the bot is stopping) back to the queue,
        their attempt not counted."""
        if not rows:
            return
        async with self._sessions() as session:
            await Repo(session).outbox.settle_many(
                [
                    {
                        "id": row.id,
                        "status": "pending",
                        "due_at": row.due_at,
                        "attempts": row.attempts - 1,
                        "last_error": row.last_error,
                        "sent_message_id": None,
                        "sent_at": None,
                    }
                    for row, _what in rows
                ]
            )
            await session.commit()
        self._held.difference_update(row.id for row, _what in rows)

    async def _next_batch(self) -> list[tuple[OutboxMessage, Rendered]]:
        """Claim due rows until some are worth sending (or none are due, or the bot stops)."""
        while not self._stopping:
            rows = await self._claim()
            if not rows:
                return []
            ready = await self._prepare(rows)
            if ready:
                return ready
        return []

    async def _claim(self) -> list[OutboxMessage]:
        now = self._clock()
        lease = now + timedelta(seconds=self._settings.outbox_lease_seconds)
        started = time.perf_counter()
        async with self._sessions() as session:
            repo = Repo(session)
            # Never its own rows: a batch that outlasted its lease is still being sent here.
            await repo.outbox.requeue_stale(now, keep=self._held)
            rows = await repo.outbox.claim(now, self._settings.outbox_batch, lease)
            await session.commit()
        _CLAIM_SECONDS.observe(time.perf_counter() - started)
        self._held.update(row.id for row in rows)
        return rows

    async def _plan_next(self) -> None:
        async with self._sessions() as session:
            due = await Repo(session).outbox.next_due()
        if due is not None:
            self.wake(due)

    async def _send_all(self, ready: list[tuple[OutboxMessage, Rendered]]) -> list[_Outcome]:
        return list(await asyncio.gather(*(self._send(row, what) for row, what in ready)))

    async def _record(
        self, ready: list[tuple[OutboxMessage, Rendered]], outcomes: list[_Outcome]
    ) -> int:
        """The batch's outcomes in one statement (and the people who blocked the bot)."""
        now = self._clock()
        async with self._sessions() as session:
            repo = Repo(session)
            await repo.outbox.settle_many(
                [
                    {
                        "id": row.id,
                        "due_at": row.due_at,
                        "attempts": row.attempts,
                        "last_error": None,
                        "sent_message_id": None,
                        "sent_at": None,
                        **outcome.values,
                    }
                    for (row, _what), outcome in zip(ready, outcomes, strict=True)
                ]
            )
            for (row, _what), outcome in zip(ready, outcomes, strict=True):
                if outcome.unreachable:
                    await repo.users.mark_unreachable(row.recipient_id, now)
            await session.commit()
        self._held.difference_update(row.id for row, _what in ready)
        sent = sum(1 for outcome in outcomes if outcome.values.get("status") == "sent")
        self.sent += sent
        return sent

    async def _prepare(self, rows: list[OutboxMessage]) -> list[tuple[OutboxMessage, Rendered]]:
        """Render what is still worth sending; settle the rest (expired, no longer relevant,
        or postponed to the end of the recipient's quiet hours)."""
        now = self._clock()
        ready: list[tuple[OutboxMessage, Rendered]] = []
        async with self._sessions() as session:
            repo = Repo(session)
            people = await repo.users.by_ids({row.recipient_id for row in rows})
            await prefetch(repo, rows)
            for row in rows:
                person = people.get(row.recipient_id)
                if row.expires_at is not None and row.expires_at <= now:
                    await repo.outbox.settle(row.id, status="expired")
                    continue
                if person is None:  # erased since the row was queued
                    await repo.outbox.settle(row.id, status="cancelled", last_error="no person")
                    continue
                if person.banned_at is not None:  # banned by an admin: nothing reaches them
                    await repo.outbox.settle(row.id, status="cancelled", last_error="banned")
                    continue
                if outbox.muted(row.kind, row.payload, person.muted_kinds or []):
                    await repo.outbox.settle(row.id, status="cancelled", last_error="muted")
                    continue
                quiet_end = self._quiet_end(row, person, now)
                if quiet_end is not None:
                    await repo.outbox.settle(
                        row.id, status="pending", due_at=quiet_end, attempts=row.attempts - 1
                    )
                    continue
                renderer = self._renderers.get(str(row.payload.get("type")))
                try:
                    rendered = (
                        await renderer(repo, self._translator, row, person, now)
                        if renderer
                        else None
                    )
                except Exception as exc:  # one bad row must not stop the rest
                    log.exception("outbox row %s could not be rendered", row.id)
                    _RENDER_FAILED.inc()
                    await repo.outbox.settle(row.id, status="failed", last_error=_short(exc))
                    continue
                if rendered is None:
                    reason = "not relevant" if renderer else "unknown payload"
                    await repo.outbox.settle(row.id, status="cancelled", last_error=reason)
                    continue
                ready.append((row, rendered))
            await session.commit()
        # The rows settled here are no longer this sender's.
        self._held.difference_update({row.id for row in rows} - {row.id for row, _ in ready})
        return ready

    def _quiet_end(self, row: OutboxMessage, person: User, now: datetime) -> datetime | None:
        if self._quiet is None or (
            row.payload.get("urgent_before")
            and (datetime.fromisoformat(row.payload["urgent_before"]) - now <= timedelta(hours=2))
        ):
            return None  # an event starting within two hours is reminded of at any hour
        return self._quiet.ends_after(now, zone_of(person.region_code, person.tz))

    # ---- sending ---------------------------------------------------------------------------

    def _chat_limiter(self, chat_id: int) -> AsyncLimiter:
        limiter = self._chat_limiters.get(chat_id)
        if limiter is None:
            limiter = AsyncLimiter(1, 1 / self._settings.outbox_chat_rate)
            self._chat_limiters[chat_id] = limiter
            if len(self._chat_limiters) > 10_000:  # forget chats not written to lately
                self._chat_limiters.popitem(last=False)
        else:
            self._chat_limiters.move_to_end(chat_id)
        return limiter

    async def _halted(self, broadcast_id: int | None) -> str | None:
        """`paused` or `cancelled` if the row's broadcast was paused or stopped after the row
        was claimed, by whichever instance: the statuses of the broadcasts being sent are read
        again at most every HALT_CHECK seconds, so Pause and Stop hold within a second
        everywhere (a claimed batch would otherwise go out whole)."""
        if broadcast_id is None:
            return None
        self._sending_broadcasts.add(broadcast_id)
        async with self._halts_lock:
            if time.monotonic() - self._halts_read >= HALT_CHECK:
                async with self._sessions() as session:
                    repo = Repo(session)
                    self._halts = await repo.broadcasts.halted(self._sending_broadcasts)
                self._halts_read = time.monotonic()
        return self._halts.get(broadcast_id)

    async def _wait_if_paused(self) -> None:
        # A moment to wait for, not an event; a later 429 may move it, hence the loop.
        while (delay := self._resume_at - time.monotonic()) > 0:  # noqa: ASYNC110
            await asyncio.sleep(delay)

    async def _send(self, row: OutboxMessage, what: Rendered) -> _Outcome:
        outcome = await self._try(row, what)
        status = outcome.values.get("status")
        if status == "sent":
            _SENT.inc()
        elif status == "blocked":
            _BLOCKED.inc()
        elif status == "failed":
            _FAILED.inc()
        elif status == "pending":  # tried again later: Telegram's 429, or a network error
            (_PAUSED if outcome.values.get("last_error") == "429" else _RETRIED).inc()
        return outcome

    async def _try(self, row: OutboxMessage, what: Rendered) -> _Outcome:
        async with self._chat_limiter(row.recipient_id):
            await self._wait_if_paused()
            limiter = self._paid_limiter if what.paid else self._limiter
            for _ in range(what.weight - 1):  # an album's other items
                await limiter.acquire()
            async with limiter:
                await self._wait_if_paused()
                instead = await self._halted(row.payload.get("broadcast_id"))
                if instead is not None:  # its broadcast was paused or stopped meanwhile
                    return _Outcome({"status": instead, "attempts": row.attempts - 1})
                try:
                    message_id = await self._deliver(row.recipient_id, what)
                except TelegramRetryAfter as exc:
                    self._resume_at = max(self._resume_at, time.monotonic() + exc.retry_after)
                    self.pauses += 1
                    log.warning("Telegram asked to wait %s s; all sending paused", exc.retry_after)
                    return self._retry(row, timedelta(seconds=exc.retry_after), "429", free=True)
                except TelegramForbiddenError:
                    return _Outcome({"status": "blocked", "last_error": "403"}, unreachable=True)
                except (TelegramBadRequest, TelegramNotFound) as exc:
                    return _Outcome({"status": "failed", "last_error": _short(exc)})
                except (TelegramNetworkError, TelegramServerError, TimeoutError) as exc:
                    return self._retry(row, outbox.backoff(row.attempts), _short(exc))
                except TelegramAPIError as exc:  # 401, 409...: not the row's fault to retry
                    return _Outcome({"status": "failed", "last_error": _short(exc)})
        now = self._clock()
        return _Outcome({"status": "sent", "sent_message_id": message_id, "sent_at": now})

    def _retry(
        self, row: OutboxMessage, wait: timedelta, error: str, *, free: bool = False
    ) -> _Outcome:
        """Back to the queue after `wait`; `free` retries do not count as attempts (a 429 is
        Telegram's pacing, not a failure of the row)."""
        attempts = row.attempts - 1 if free else row.attempts
        if not free and attempts >= self._settings.outbox_max_attempts:
            return _Outcome({"status": "failed", "last_error": error})
        return _Outcome(
            {
                "status": "pending",
                "due_at": self._clock() + wait,
                "attempts": attempts,
                "last_error": error,
            }
        )

    async def _deliver(self, chat_id: int, what: Rendered) -> int:
        if what.copy_from is not None:
            from_chat, ids = what.copy_from
            if len(ids) > 1:  # an album: copied together, so it stays one album (no buttons)
                copies = await self._bot.copy_messages(chat_id, from_chat, list(ids))
                return copies[0].message_id
            copied = await self._bot.copy_message(
                chat_id,
                from_chat,
                ids[0],
                reply_markup=what.markup,
                allow_paid_broadcast=what.paid or None,
            )
            return copied.message_id
        message = await self._bot.send_message(
            chat_id, what.text or "", reply_markup=what.markup, link_preview_options=NO_PREVIEW
        )
        return message.message_id


def _limiter(rate: float) -> AsyncLimiter:
    """Evenly spaced sends that never put more than `rate` into any rolling second. Above 50/s
    the bucket holds 2% of a second's worth, so a timer that wakes late is made up for, and
    the steady pace is 98% of the rate to leave that room; at Telegram's usual rates it is one
    message at a time at the full rate."""
    if rate <= 50:
        return AsyncLimiter(1, 1 / rate)
    burst = rate / 50
    return AsyncLimiter(burst, burst / (rate - burst))


def _short(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:200]
