"""The outbox's API for everything else: queue a message for a person at a due time under a
dedupe key, cancel by key prefix, reschedule. No Telegram types here; the sender
(bot/outbox_sender.py) renders and sends.

Keys name what a message is about, so related messages can be cancelled together:
`ev:<event>:rem:<user>:<...>` for an event's reminders, `note:<...>` for one-off notices.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from weakref import WeakKeyDictionary
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from db.repositories import Repo
from db.session_hooks import after_commit

# Kinds: what a message is, for /settings (muting) and quiet hours.
EVENT_REMINDER = "event_reminder"
NOTICE = "notice"  # a direct consequence of someone's action: a decision, a change, a request
FEEDBACK = "feedback"
DEADLINE = "deadline"  # "sign-ups close in 24 hours" to people who looked at an event
TOS_STEP = "tos_step"  # the next step of a TOS being created, when it has stalled
TOS_CALENDAR = "tos_calendar"  # the TOS's yearly calendar, for its chair
GRANT_DEADLINE = "grant_deadline"  # a grant's deadline, to the people who subscribed to it
# What a person may turn off in /settings. Muted event reminders still bring the last one
# before each event (an event cannot be muted below one reminder); notices cannot be muted.
MUTABLE = (EVENT_REMINDER, DEADLINE, FEEDBACK, TOS_STEP, TOS_CALENDAR, GRANT_DEADLINE)


def muted(kind: str, payload: dict[str, Any], muted_kinds: list[str]) -> bool:
    return kind in muted_kinds and kind in MUTABLE and not payload.get("final")


Buttons = list[list[dict[str, str]]]  # rows of {"key": text key, "data"|"url": ...}


def text(
    key: str, args: Mapping[str, Any] | None = None, buttons: Buttons | None = None
) -> dict[str, Any]:
    """A message rendered from a text key in the recipient's language when it is sent."""
    payload: dict[str, Any] = {"type": "text", "key": key, "args": dict(args or {})}
    if buttons:
        payload["buttons"] = buttons
    return payload


@dataclass(frozen=True, slots=True)
class Outgoing:
    recipient_id: int
    kind: str
    payload: dict[str, Any]
    due_at: datetime
    dedupe_key: str
    expires_at: datetime | None = None


_wakers: WeakKeyDictionary[Engine, Callable[[datetime], None]] = WeakKeyDictionary()


def on_enqueue(engine: Engine, wake: Callable[[datetime], None]) -> None:
    """The sender of this process asks to hear (after commit) when something is queued."""
    _wakers[engine] = wake


async def enqueue(repo: Repo, *messages: Outgoing, now: datetime) -> None:
    """Queue messages; once the transaction commits, the sender wakes for the earliest."""
    if not messages:
        return
    await repo.outbox.put(
        [
            {
                "recipient_id": m.recipient_id,
                "kind": m.kind,
                "payload": m.payload,
                "due_at": m.due_at,
                "expires_at": m.expires_at,
                "dedupe_key": m.dedupe_key,
                "created_at": now,
            }
            for m in messages
        ]
    )
    wake_after_commit(repo, min(m.due_at for m in messages))


def wake_after_commit(repo: Repo, due: datetime) -> None:
    """Once this transaction commits, this process's sender looks at `due` (rows queued or
    resumed in it become visible to the sender only then)."""
    wake = _wakers.get(repo.session.get_bind().engine)
    if wake is not None:
        after_commit(repo.session, ("outbox-wake", due), lambda: wake(due))


async def cancel(repo: Repo, prefix: str) -> int:
    return await repo.outbox.cancel(prefix)


async def reschedule(repo: Repo, prefix: str, due_at: datetime) -> int:
    return await repo.outbox.reschedule(prefix, due_at)


def backoff(attempts: int, base: float = 2.0, cap: float = 600.0) -> timedelta:
    """The wait before retry `attempts` + 1 after a network error or a 5xx: 2, 4, 8... s."""
    return timedelta(seconds=min(cap, base ** max(attempts, 1)))


@dataclass(frozen=True, slots=True)
class QuietHours:
    """No messages from `start` to `end` o'clock in the recipient's zone (22 to 8)."""

    start: int
    end: int

    @classmethod
    def parse(cls, value: str) -> QuietHours | None:
        """ "22-8"; empty for none."""
        if not value.strip():
            return None
        start, end = (int(part) for part in value.split("-"))
        if not (0 <= start <= 23 and 0 <= end <= 23) or start == end:
            raise ValueError("quiet hours are two different hours 0-23, like 22-8")
        return cls(start, end)

    def holds(self, local: datetime) -> bool:
        hour = local.hour
        if self.start > self.end:  # across midnight
            return hour >= self.start or hour < self.end
        return self.start <= hour < self.end

    def ends_after(self, moment: datetime, zone: str) -> datetime | None:
        """When the quiet time holding at `moment` ends (aware UTC-comparable), or None."""
        local = moment.astimezone(ZoneInfo(zone))
        if not self.holds(local):
            return None
        day = local.date() if local.hour < self.end else local.date() + timedelta(days=1)
        return datetime.combine(day, time(self.end), tzinfo=ZoneInfo(zone))
