"""Sign-ups with capacity and a waitlist, and event times across Russia's zones.

Capacity holds because each sign-up runs in one transaction that reads the seats taken and
writes the new row: SQLite runs the bot's transactions one at a time (one connection), and on
PostgreSQL the event row is locked first (`for_update`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from db.models import Event, Signup
from db.repositories import Repo

ACTIVE = ("signed_up", "waitlisted", "pending", "attended")
# Check-in codes are read aloud and typed: no 0/O, 1/I/L, 2/Z, 5/S, 8/B.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6
MOSCOW = ZoneInfo("Europe/Moscow")


class Outcome(StrEnum):
    SIGNED_UP = "signed_up"
    WAITLISTED = "waitlisted"
    PENDING = "pending"  # waits for the organiser's approval
    ALREADY = "already"
    NOT_OPEN = "not_open"  # a draft or an unknown event
    CANCELLED = "cancelled"
    PAST = "past"
    DEADLINE = "deadline"
    NOT_REGISTERED = "not_registered"


@dataclass(frozen=True, slots=True)
class SignUpResult:
    outcome: Outcome
    signup: Signup | None = None
    position: int | None = None  # in the waitlist, 1-based


def _closed(event: Event | None, now: datetime) -> Outcome | None:
    if event is None or event.status == "draft":
        return Outcome.NOT_OPEN
    if event.status == "cancelled":
        return Outcome.CANCELLED
    if event.starts_at <= now:
        return Outcome.PAST
    if event.registration_deadline is not None and event.registration_deadline <= now:
        return Outcome.DEADLINE
    return None


async def sign_up(
    repo: Repo, event_id: int, user_id: int, answers: list[str], now: datetime
) -> SignUpResult:
    """Sign up, or join the waitlist when the seats are taken; pressing twice changes nothing."""
    person = await repo.users.snapshot(user_id)
    if person is None or not person.registered:
        return SignUpResult(Outcome.NOT_REGISTERED)
    event = await repo.events.get(event_id, for_update=True)
    closed = _closed(event, now)
    if closed is not None or event is None:
        return SignUpResult(closed or Outcome.NOT_OPEN)
    existing = await repo.signups.of(event_id, user_id)
    if existing is not None and existing.status in ACTIVE:
        position = (
            await repo.signups.waitlist_position(existing)
            if existing.status == "waitlisted"
            else None
        )
        return SignUpResult(Outcome.ALREADY, existing, position)
    if event.needs_approval:
        status = "pending"
    elif event.capacity is None or await repo.signups.count(event_id, "signed_up") < event.capacity:
        status = "signed_up"
    else:
        status = "waitlisted"
    if existing is not None:
        # Signing up again after cancelling: a fresh place at the end of the line.
        existing.status, existing.answers = status, answers
        existing.created_at = existing.updated_at = now
        await repo.session.flush()
        signup = existing
    else:
        signup = await repo.signups.add(event_id, user_id, status, answers, now)
    if signup.checkin_code is None:
        signup.checkin_code = await _free_code(repo, event_id)
        await repo.session.flush()
    position = await repo.signups.waitlist_position(signup) if status == "waitlisted" else None
    return SignUpResult(Outcome(status), signup, position)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


async def _free_code(repo: Repo, event_id: int) -> str:
    """A check-in code no other participant of the event holds (25^6 ≈ 244 million codes, so
    a clash is rare and a second draw settles it)."""
    while True:
        code = new_code()
        if await repo.signups.by_code(event_id, code) is None:
            return code


async def cancel(repo: Repo, event_id: int, user_id: int, now: datetime) -> Signup | None:
    """Cancel one's sign-up; a freed seat goes to the first on the waitlist, who is returned
    (to be told). None when nobody moved up."""
    event = await repo.events.get(event_id, for_update=True)
    signup = await repo.signups.of(event_id, user_id)
    if event is None or signup is None or signup.status not in ACTIVE:
        return None
    freed = signup.status == "signed_up"
    signup.status, signup.updated_at = "cancelled", now
    await repo.session.flush()
    if not freed or event.status != "published" or event.starts_at <= now:
        return None
    promoted = await repo.signups.first_waitlisted(event_id)
    if promoted is not None:
        promoted.status, promoted.updated_at = "signed_up", now
        await repo.session.flush()
    return promoted


def msk_offset(moment: datetime, zone: str) -> str:
    """The zone as Russians say it: МСК, МСК+6, МСК−1 (hours from Moscow time)."""
    local = moment.astimezone(ZoneInfo(zone)).utcoffset() or timedelta()
    moscow = moment.astimezone(MOSCOW).utcoffset() or timedelta()
    hours = int((local - moscow).total_seconds() // 3600)
    return "" if hours == 0 else f"{hours:+d}".replace("-", "−")


def times(moment: datetime, event_zone: str, reader_zone: str, msk: str) -> str:
    """`10:00 МСК+6` in the reader's zone, and the event's own beside it when it differs:
    "10:00 МСК+6 / 04:00 МСК". `msk` is the localised "МСК" / "MSK"."""

    def one(zone: str) -> str:
        return f"{moment.astimezone(ZoneInfo(zone)):%H:%M} {msk}{msk_offset(moment, zone)}"

    mine = one(reader_zone)
    if msk_offset(moment, reader_zone) == msk_offset(moment, event_zone):
        return mine
    return f"{mine} / {one(event_zone)}"
