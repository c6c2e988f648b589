"""Sign-ups with capacity and a waitlist, and event times across Russia's zones.

Capacity holds because each sign-up runs in one transaction that reads the seats taken and
writes the new row: SQLite runs the bot's transactions one at a time (one connection), and on
PostgreSQL the event row is locked first (`for_update`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.services import reminders
from bot.services.validation import InvalidInput, without_controls
from db.models import Event, Signup
from db.repositories import Repo

ACTIVE = ("signed_up", "waitlisted", "pending", "offered", "attended")
# Every status a sign-up can have.
STATUSES = (
    "signed_up",
    "waitlisted",
    "pending",
    "offered",
    "rejected",
    "cancelled",
    "attended",
)
SEATED = ("signed_up", "offered", "attended")  # these hold a seat (an offer holds it too)
# A seat freed this close to the start is offered, to be confirmed within OFFER_TTL (or before
# the start, if sooner); unconfirmed, it goes to the next in line.
OFFER_WINDOW = timedelta(hours=24)
OFFER_TTL = timedelta(hours=2)
SEES_LINK = ("signed_up", "attended")  # these see the online link
KINDS = ("school", "webinar", "conference", "masterclass", "seminar", "meeting")
FORMATS = ("online", "offline", "hybrid")
ANSWER_MAX = 1000
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
    if not for_region(event, person.region_code):
        return SignUpResult(Outcome.NOT_OPEN)  # another region's event: as if it were not there
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
    elif event.capacity is None or await seats_taken(repo, event_id) < event.capacity:
        status = "signed_up"
    else:
        status = "waitlisted"
    # The line is the order in which sign-ups took the event's lock. `now` was read before
    # waiting for it (on PostgreSQL others may have gone first meanwhile), so the place is
    # stamped after the latest one already in the line.
    latest = await repo.signups.latest_created(event_id)
    stamp = max(now, latest + timedelta(microseconds=1)) if latest is not None else now
    if existing is not None:
        # Signing up again after cancelling: a fresh place at the end of the line.
        existing.status, existing.answers = status, answers
        existing.created_at = existing.updated_at = stamp
        await repo.session.flush()
        signup = existing
    else:
        signup = await repo.signups.add(event_id, user_id, status, answers, stamp)
    if signup.checkin_code is None:
        signup.checkin_code = await _free_code(repo, event_id)
        await repo.session.flush()
    if status == "signed_up":
        await reminders.plan(repo, event, [user_id], now)
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
    freed = signup.status in ("signed_up", "offered")
    signup.status, signup.updated_at, signup.offer_expires_at = "cancelled", now, None
    await repo.session.flush()
    await reminders.drop(repo, event_id, user_id)
    if not freed:
        return None
    return await promote_next(repo, event, now)


async def promote_next(repo: Repo, event: Event, now: datetime) -> Signup | None:
    """A seat is free: the first on the waitlist gets it, or, less than a day before the
    start, is offered it to confirm. None when nobody is waiting (or it is too late)."""
    if event.status != "published" or event.starts_at <= now:
        return None
    promoted = await repo.signups.first_waitlisted(event.id)
    if promoted is None:
        return None
    promoted.updated_at = now
    if event.starts_at - now < OFFER_WINDOW:
        promoted.status = "offered"
        promoted.offer_expires_at = min(now + OFFER_TTL, event.starts_at)
        await repo.session.flush()
    else:
        promoted.status = "signed_up"
        await repo.session.flush()
        await reminders.plan(repo, event, [promoted.user_id], now)
    return promoted


class OfferReply(StrEnum):
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    GONE = "gone"  # expired, or never offered: nothing to answer


async def answer_offer(
    repo: Repo, event_id: int, user_id: int, accept: bool, now: datetime
) -> tuple[OfferReply, Signup | None]:
    """Take the offered seat, or give it up (then it moves on: the second value is the next
    person it went to)."""
    event = await repo.events.get(event_id, for_update=True)
    signup = await repo.signups.of(event_id, user_id)
    if (
        event is None
        or signup is None
        or signup.status != "offered"
        or (signup.offer_expires_at is not None and signup.offer_expires_at <= now)
    ):
        return OfferReply.GONE, None
    if accept:
        signup.status, signup.offer_expires_at, signup.updated_at = "signed_up", None, now
        await repo.session.flush()
        await reminders.plan(repo, event, [user_id], now)
        return OfferReply.CONFIRMED, None
    return OfferReply.DECLINED, await cancel(repo, event_id, user_id, now)


async def expire_offers(repo: Repo, now: datetime) -> list[tuple[Event, Signup, Signup | None]]:
    """Offers not confirmed in time: withdrawn, and the seat offered to the next in line.
    (event, the withdrawn sign-up, who got the seat next)."""
    moved = []
    for signup in await repo.signups.expired_offers(now):
        event = await repo.events.get(signup.event_id, for_update=True)
        if event is None:
            continue
        signup.status, signup.offer_expires_at, signup.updated_at = "cancelled", None, now
        await repo.session.flush()
        moved.append((event, signup, await promote_next(repo, event, now)))
    return moved


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


# ---- what residents see ---------------------------------------------------------------------


def for_region(event: Event, region_code: str | None) -> bool:
    """Meant for all of Russia (no audience regions) or for the person's region."""
    return not event.audience_regions or (
        region_code is not None and region_code in event.audience_regions
    )


async def seats_taken(repo: Repo, event_id: int) -> int:
    return (await repo.signups.seats_taken([event_id], SEATED)).get(event_id, 0)


def seats_left(event: Event, taken: int) -> int | None:
    """None: no limit."""
    return None if event.capacity is None else max(event.capacity - taken, 0)


@dataclass(frozen=True, slots=True)
class Listing:
    """One event of a list page, with the seats taken and the reader's sign-up status."""

    event: Event
    taken: int
    status: str | None

    @property
    def seats_left(self) -> int | None:
        return seats_left(self.event, self.taken)


@dataclass(frozen=True, slots=True)
class Upcoming:
    items: list[Listing]
    number: int  # 0-based page, clamped into range
    count: int  # pages, at least 1
    total: int  # events


def _clamp(page: int, total: int, size: int) -> tuple[int, int]:
    count = max(1, -(-total // size))
    return min(max(page, 0), count - 1), count


async def upcoming(
    repo: Repo,
    user_id: int,
    region_code: str | None,
    now: datetime,
    kind: str,
    page: int,
    size: int,
) -> Upcoming:
    """A page of the events relevant to the person: four small queries whatever the number of
    events or sign-ups (the seats of the page's events in one grouped count)."""
    total = await repo.events.count_upcoming_for(region_code, now, kind)
    number, count = _clamp(page, total, size)
    found = await repo.events.upcoming_for(region_code, now, kind, number * size, size)
    ids = [e.id for e in found]
    taken = await repo.signups.seats_taken(ids, SEATED)
    mine = await repo.signups.statuses_of(user_id, ids)
    items = [Listing(e, taken.get(e.id, 0), mine.get(e.id)) for e in found]
    return Upcoming(items, number, count, total)


@dataclass(frozen=True, slots=True)
class MyPage:
    items: list[tuple[Event, Signup, int | None]]  # with the waitlist position
    number: int
    count: int
    total: int


async def mine(repo: Repo, user_id: int, now: datetime, page: int, size: int) -> MyPage:
    """The person's sign-ups, upcoming first."""
    total = await repo.signups.count_mine(user_id)
    number, count = _clamp(page, total, size)
    rows = await repo.signups.mine(user_id, now, number * size, size)
    items = [
        (e, s, await repo.signups.waitlist_position(s) if s.status == "waitlisted" else None)
        for e, s in rows
    ]
    return MyPage(items, number, count, total)


class Refusal(StrEnum):
    UNKNOWN = "unknown"  # no such event
    HIDDEN = "hidden"  # a draft, or another region's event the person never signed up for


@dataclass(frozen=True, slots=True)
class CardView:
    event: Event
    signup: Signup | None
    taken: int
    position: int | None  # in the waitlist

    @property
    def status(self) -> str | None:
        return self.signup.status if self.signup is not None else None

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def sees_link(self) -> bool:
        return self.status in SEES_LINK

    @property
    def seats_left(self) -> int | None:
        return seats_left(self.event, self.taken)


async def card(
    repo: Repo, event_id: int, user_id: int, region_code: str | None
) -> CardView | Refusal:
    """The event as this person may see it: published or cancelled, and meant for their region
    or already signed up for (a person who moved keeps seeing their events)."""
    event = await repo.events.get(event_id)
    if event is None:
        return Refusal.UNKNOWN
    signup = await repo.signups.of(event_id, user_id)
    if event.status not in ("published", "cancelled") or (
        signup is None and not for_region(event, region_code)
    ):
        return Refusal.HIDDEN
    position = (
        await repo.signups.waitlist_position(signup)
        if signup is not None and signup.status == "waitlisted"
        else None
    )
    if event.remind_deadline and signup is None and event.status == "published":
        await repo.events.note_view(event_id, user_id, datetime.now(UTC))
    return CardView(event, signup, await seats_taken(repo, event_id), position)


def precheck(view: CardView, registered: bool, now: datetime) -> Outcome | None:
    """Why pressing Sign up would not sign up (before asking the organiser's questions), or
    None when it would; `sign_up` checks all of it again."""
    if not registered:
        return Outcome.NOT_REGISTERED
    closed = _closed(view.event, now)
    if closed is not None:
        return closed
    if view.active or view.status == "rejected":
        return Outcome.ALREADY  # the organiser's "no" is not undone by pressing again
    return None


def open_for_sign_up(view: CardView, now: datetime) -> bool:
    return precheck(view, True, now) is None


def answer(raw: str | None) -> str:
    """An answer to an organiser's question: 1 to 1,000 characters."""
    text = without_controls(raw).strip()
    if not text:
        raise InvalidInput("events-answer-empty")
    if len(text) > ANSWER_MAX:
        raise InvalidInput("events-answer-too-long")
    return text
