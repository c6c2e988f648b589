"""Broadcasts: who an organiser's announcement reaches, and its deliveries in the outbox.

The audience is a query, never a list in memory: counted for the organiser as filters change,
and walked in id order in batches when the broadcast is queued (100,000 recipients are 100
batches of 1,000 rows, each committed before the next). Deliveries are outbox rows keyed
`bc:<broadcast>:<user>`, so pausing, resuming and stopping are updates by key prefix, and a
restart continues where the rows stand.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Select, exists, func, or_, select

from bot.services import outbox
from bot.services.outbox import Outgoing
from bot.services.validation import InvalidInput
from db.models import Broadcast, Signup, TosMember, User, UserRole
from db.repositories import Repo

BROADCAST = "broadcast"  # the outbox kind
ROLES = ("resident", "tos_member", "chair", "expert")
EVENT_GROUPS = {
    "signed_up": ("signed_up", "offered"),
    "attended": ("attended",),
    "waitlisted": ("waitlisted",),
}
BATCH = 1000
MAX_LINK_BUTTONS = 6
BUTTON_TEXT_MAX = 64  # Telegram shows little more on a phone
_LINK_RE = re.compile(r"^(?P<text>.+?)\s+[-–—|]\s+(?P<url>\S+)$")


@dataclass(frozen=True, slots=True)
class Audience:
    """Filters, all optional and combined with AND; within roles, any of them."""

    regions: tuple[str, ...] = ()
    municipality: str = ""
    roles: tuple[str, ...] = ()
    event_id: int | None = None
    event_group: str = ""  # a key of EVENT_GROUPS, with event_id
    language: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # reserved for later filters

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Audience:
        return cls(
            regions=tuple(data.get("regions") or ()),
            municipality=str(data.get("municipality") or ""),
            roles=tuple(r for r in data.get("roles") or () if r in ROLES),
            event_id=data.get("event_id"),
            event_group=str(data.get("event_group") or ""),
            language=str(data.get("language") or ""),
        )


Buttons = list[list[dict[str, Any]]]  # rows of {"text", "url"} or {"event_id"}


def link_buttons(text: str | None, existing: Buttons) -> Buttons:
    """Lines `Text - https://...` (one button each) added to the existing rows; the link must
    be http(s) or t.me-style, the text short enough to read on a phone."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines:
        raise InvalidInput("bc-buttons-invalid")
    added: Buttons = []
    for line in lines:
        # A text and a link fit in far less; a longer line (a pasted article) is not read.
        found = _LINK_RE.match(line) if len(line) <= BUTTON_TEXT_MAX + 1100 else None
        if found is None:
            raise InvalidInput("bc-buttons-invalid")
        label, url = found["text"].strip(), found["url"]
        if not url.startswith(("https://", "http://", "tg://")) or len(url) > 1000:
            raise InvalidInput("bc-buttons-invalid")
        if len(label) > BUTTON_TEXT_MAX:
            raise InvalidInput("bc-buttons-text-long")
        added.append([{"text": label, "url": url}])
    links = sum(1 for row in existing for b in row if "url" in b) + len(added)
    if links > MAX_LINK_BUTTONS:
        raise InvalidInput("bc-buttons-too-many")
    return [*existing, *added]


def with_event_button(existing: Buttons, event_id: int) -> Buttons:
    """One "open the event" button, last (choosing another event replaces it)."""
    return [row for row in existing if not any("event_id" in b for b in row)] + [
        [{"event_id": event_id}]
    ]


def query(scope: set[str] | None, audience: Audience) -> Select[tuple[int]]:
    """Registered people in the sender's scope (None: everyone, an admin) who match; never
    a banned person."""
    q = select(User.id).where(User.registered_at.is_not(None), User.banned_at.is_(None))
    regions = set(audience.regions)
    if scope is not None:
        regions = regions & scope if regions else set(scope)
        q = q.where(User.region_code.in_(sorted(regions)))  # an empty set reaches nobody
    elif regions:
        q = q.where(User.region_code.in_(sorted(regions)))
    if audience.municipality:
        q = q.where(User.municipality == audience.municipality)
    if audience.language:
        q = q.where(User.language == audience.language)
    if audience.roles:
        q = q.where(or_(*(_role(role) for role in audience.roles)))
    if audience.event_id is not None:
        statuses = EVENT_GROUPS.get(audience.event_group, ("signed_up", "offered", "attended"))
        q = q.where(
            exists().where(
                Signup.user_id == User.id,
                Signup.event_id == audience.event_id,
                Signup.status.in_(statuses),
            )
        )
    return q


def _role(role: str) -> Any:
    if role == "tos_member":
        member = exists().where(TosMember.user_id == User.id, TosMember.status == "approved")
        return or_(User.kind.in_(("tos_member", "tos_chair")), member)
    return exists().where(UserRole.user_id == User.id, UserRole.role == role)


async def count(repo: Repo, scope: set[str] | None, audience: Audience) -> int:
    counted = await repo.session.scalar(
        select(func.count()).select_from(query(scope, audience).subquery())
    )
    return int(counted or 0)


async def municipalities(
    repo: Repo, scope: set[str] | None, audience: Audience
) -> list[tuple[str, int]]:
    """The municipalities of the audience (without its municipality filter), the most
    populous first, with how many people each would add."""
    wider = replace(audience, municipality="")
    people = query(scope, wider).add_columns(User.municipality).subquery()
    rows = await repo.session.execute(
        select(people.c.municipality, func.count())
        .where(people.c.municipality.is_not(None))
        .group_by(people.c.municipality)
        .order_by(func.count().desc(), people.c.municipality)
    )
    return [(str(name), int(n)) for name, n in rows]


async def _ids(repo: Repo, scope: set[str] | None, audience: Audience) -> AsyncIterator[list[int]]:
    """The audience's ids in batches, by id (keyset: no offset to rescan)."""
    last = 0
    base = query(scope, audience)
    while True:
        batch = list(
            await repo.session.scalars(base.where(User.id > last).order_by(User.id).limit(BATCH))
        )
        if not batch:
            return
        yield batch
        last = batch[-1]


def prefix(broadcast_id: int) -> str:
    return f"bc:{broadcast_id}:"


def payload(broadcast: Broadcast, *, paid: bool = False) -> dict[str, Any]:
    """What each recipient's outbox row holds: the message (or album) to copy and its
    buttons; `paid`: sent with Telegram's paid broadcasts (a higher limit, charged in Stars)."""
    found: dict[str, Any] = {
        "type": "copy",
        "from_chat_id": broadcast.from_chat_id,
        "message_ids": list(broadcast.message_ids),
        "broadcast_id": broadcast.id,
    }
    if broadcast.buttons:
        found["buttons"] = broadcast.buttons
    if paid:
        found["paid"] = True
    return found


async def queue(
    repo: Repo,
    broadcast: Broadcast,
    scope: set[str] | None,
    now: datetime,
    *,
    paid: bool = False,
) -> int:
    """One outbox row per recipient, due at the broadcast's time, committed batch by batch
    (the rows of a batch leave memory before the next is read). Queueing again adds only
    the rows not there yet."""
    audience = Audience.from_json(broadcast.filters)
    due = broadcast.scheduled_at or now
    content = payload(broadcast, paid=paid)
    total = 0
    async for ids in _ids(repo, scope, audience):
        await outbox.enqueue(
            repo,
            *(
                Outgoing(uid, BROADCAST, content, due, f"{prefix(broadcast.id)}{uid}")
                for uid in ids
            ),
            now=now,
        )
        total += len(ids)
        await repo.release()  # commit the batch: memory and the transaction stay small
    broadcast.total, broadcast.status = total, "scheduled" if due > now else "sending"
    broadcast.started_at = broadcast.started_at or (now if due <= now else None)
    return total


async def pause(repo: Repo, broadcast: Broadcast) -> int:
    """Queued rows wait; rows already claimed by a sender (any instance's) are not sent either:
    senders look at the broadcast's status before each of its rows (bot/outbox_sender.py)."""
    broadcast.status = "paused"
    return await repo.outbox.move(prefix(broadcast.id), ("pending",), "paused")


async def resume(repo: Repo, broadcast: Broadcast, now: datetime) -> int:
    broadcast.status = "sending"
    moved = await repo.outbox.move(prefix(broadcast.id), ("paused",), "pending")
    outbox.wake_after_commit(repo, now)
    return moved


async def stop(repo: Repo, broadcast: Broadcast, now: datetime) -> int:
    broadcast.status, broadcast.finished_at = "stopped", now
    return await repo.outbox.move(prefix(broadcast.id), ("pending", "paused"), "cancelled")


async def report(repo: Repo, broadcast_id: int) -> dict[str, int]:
    """Deliveries by status: sent, blocked, failed, pending, paused, cancelled..."""
    return await repo.outbox.counts_with_prefix(prefix(broadcast_id))


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a broadcast stands, as its progress message and the dashboard show it."""

    total: int
    sent: int
    blocked: int
    failed: int
    done: int  # settled one way or another: sent, blocked, failed, cancelled, expired
    percent: int  # done of total
    rate: float | None  # deliveries settled a second, while it is sending
    seconds_left: float | None  # at that rate


def progress(broadcast: Broadcast, counts: dict[str, int], now: datetime) -> Progress:
    """From the report's counts (`report`): how far it got, and while sending how fast."""
    sent = counts.get("sent", 0)
    blocked, failed = counts.get("blocked", 0), counts.get("failed", 0)
    done = sent + blocked + failed + counts.get("cancelled", 0) + counts.get("expired", 0)
    percent = round(100 * done / max(broadcast.total, 1))
    elapsed = (now - broadcast.started_at).total_seconds() if broadcast.started_at else 0.0
    rate = left = None
    if broadcast.status == "sending" and done and elapsed >= 1 and done < broadcast.total:
        rate = done / elapsed
        left = (broadcast.total - done) / rate
    return Progress(broadcast.total, sent, blocked, failed, done, percent, rate, left)


def advance(broadcast: Broadcast, counts: dict[str, int], now: datetime) -> bool:
    """The status moves on by the report's counts: a scheduled broadcast whose time has come
    is sending, a sending one with nothing pending, sending or paused is done. True if it
    started just now (its progress message is still to be sent)."""
    due = broadcast.scheduled_at
    started = broadcast.status == "scheduled" and due is not None and due <= now
    if started:
        broadcast.status, broadcast.started_at = "sending", now
    if broadcast.status == "sending" and not (
        counts.get("pending", 0) or counts.get("sending", 0) or counts.get("paused", 0)
    ):
        broadcast.status, broadcast.finished_at = "done", now
    return started
