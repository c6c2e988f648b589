"""Events and sign-ups."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Text, and_, case, cast, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Event, EventView, Signup, Tos, TosMember, User


class EventRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, **fields: Any) -> Event:
        event = Event(**fields)
        self._s.add(event)
        await self._s.flush()
        return event

    async def by_ids(self, event_ids: set[int]) -> list[Event]:
        rows = await self._s.scalars(select(Event).where(Event.id.in_(sorted(event_ids))))
        return list(rows)

    async def get(self, event_id: int, *, for_update: bool = False) -> Event | None:
        """`for_update` locks the row on PostgreSQL (sign-ups of one event queue behind it);
        SQLite's single connection already runs transactions one at a time."""
        query = select(Event).where(Event.id == event_id)
        if for_update:
            query = query.with_for_update()
        found: Event | None = await self._s.scalar(query)
        return found

    async def managed(
        self,
        regions: set[str] | None,
        since: datetime,
        offset: int,
        limit: int,
        *,
        statuses: Sequence[str] = (),
    ) -> tuple[list[Event], int]:
        """Events of the regions (None: all) that start after `since`, drafts included unless
        `statuses` says which, soonest first; and how many there are."""
        where = [Event.starts_at >= since]
        if statuses:
            where.append(Event.status.in_(list(statuses)))
        if regions is not None:
            where.append(Event.region_code.in_(sorted(regions)))
        total = await self._s.scalar(select(func.count()).select_from(Event).where(*where))
        rows = await self._s.scalars(
            select(Event)
            .where(*where)
            .order_by(Event.starts_at, Event.id)
            .offset(offset)
            .limit(limit)
        )
        return list(rows), int(total or 0)

    # Attendance and feedback (bot/services/attendance.py).
    async def feedback_due(self, started_after: datetime, started_before: datetime) -> list[Event]:
        """Published events that started in the range and whose feedback was not asked yet."""
        rows = await self._s.scalars(
            select(Event)
            .where(
                Event.starts_at > started_after,
                Event.starts_at <= started_before,
                Event.status == "published",
                Event.feedback_requested_at.is_(None),
            )
            .order_by(Event.starts_at, Event.id)
        )
        return list(rows)

    async def claim_feedback(self, event_id: int, now: datetime) -> bool:
        """Mark the event's feedback as asked; False if someone (another run) already did."""
        result = await self._s.execute(
            update(Event)
            .where(Event.id == event_id, Event.feedback_requested_at.is_(None))
            .values(feedback_requested_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def upcoming_for(
        self, region_code: str | None, now: datetime, kind: str, offset: int, limit: int
    ) -> list[Event]:
        """Published events still ahead for everyone or for the region, soonest first; `kind`
        "" means every kind. Reads the page's rows only (range scan on `starts_at`)."""
        rows = await self._s.scalars(
            select(Event)
            .where(*_upcoming_for(region_code, now, kind))
            .order_by(Event.starts_at, Event.id)
            .offset(offset)
            .limit(limit)
        )
        return list(rows)

    async def count_upcoming_for(self, region_code: str | None, now: datetime, kind: str) -> int:
        return int(
            await self._s.scalar(
                select(func.count())
                .select_from(Event)
                .where(*_upcoming_for(region_code, now, kind))
            )
            or 0
        )

    async def note_view(self, event_id: int, user_id: int, now: datetime) -> None:
        """Remember that the person opened the card (once; for deadline reminders)."""
        dialect = postgresql if self._s.get_bind().dialect.name == "postgresql" else sqlite
        await self._s.execute(
            dialect.insert(EventView)
            .values(event_id=event_id, user_id=user_id, viewed_at=now)
            .on_conflict_do_nothing()
        )

    async def claim_deadline_reminders(self, now: datetime, ahead: timedelta) -> list[Event]:
        """Published events with deadline reminders on whose sign-up closes within `ahead`,
        not reminded yet; marked reminded in this transaction (a second run finds none)."""
        closes = func.coalesce(Event.registration_deadline, Event.starts_at)
        rows = await self._s.scalars(
            update(Event)
            .where(
                Event.status == "published",
                Event.remind_deadline.is_(True),
                Event.deadline_reminded_at.is_(None),
                closes > now,
                closes <= now + ahead,
            )
            .values(deadline_reminded_at=now)
            .returning(Event),
            execution_options={"synchronize_session": False},
        )
        return list(rows)

    async def viewed_by(self, user_id: int) -> list[tuple[str, datetime]]:
        rows = await self._s.execute(
            select(Event.title, EventView.viewed_at)
            .join(Event, Event.id == EventView.event_id)
            .where(EventView.user_id == user_id)
            .order_by(EventView.viewed_at)
        )
        return [(title, at) for title, at in rows]

    async def viewers_not_signed_up(self, event_id: int) -> list[int]:
        active = select(Signup.user_id).where(
            Signup.event_id == event_id,
            Signup.status.in_(("signed_up", "waitlisted", "pending", "attended")),
        )
        rows = await self._s.scalars(
            select(EventView.user_id).where(
                EventView.event_id == event_id, EventView.user_id.not_in(active)
            )
        )
        return list(rows)


class SignupRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def of(self, event_id: int, user_id: int) -> Signup | None:
        found: Signup | None = await self._s.scalar(
            select(Signup).where(Signup.event_id == event_id, Signup.user_id == user_id)
        )
        return found

    async def by_code(self, event_id: int, code: str) -> Signup | None:
        found: Signup | None = await self._s.scalar(
            select(Signup).where(Signup.event_id == event_id, Signup.checkin_code == code)
        )
        return found

    async def add(
        self, event_id: int, user_id: int, status: str, answers: list[str], now: datetime
    ) -> Signup:
        signup = Signup(
            event_id=event_id,
            user_id=user_id,
            status=status,
            answers=answers,
            created_at=now,
            updated_at=now,
        )
        self._s.add(signup)
        await self._s.flush()
        return signup

    async def count(self, event_id: int, status: str) -> int:
        return int(
            await self._s.scalar(
                select(func.count())
                .select_from(Signup)
                .where(Signup.event_id == event_id, Signup.status == status)
            )
            or 0
        )

    async def first_waitlisted(self, event_id: int) -> Signup | None:
        found: Signup | None = await self._s.scalar(
            select(Signup)
            .where(Signup.event_id == event_id, Signup.status == "waitlisted")
            .order_by(Signup.created_at, Signup.id)
            .limit(1)
        )
        return found

    async def latest_created(self, event_id: int) -> datetime | None:
        """When the newest place in the event's line was taken."""
        found: datetime | None = await self._s.scalar(
            select(func.max(Signup.created_at)).where(Signup.event_id == event_id)
        )
        return found

    async def waitlist_position(self, signup: Signup) -> int:
        """1 for the first in line."""
        ahead = await self._s.scalar(
            select(func.count())
            .select_from(Signup)
            .where(
                Signup.event_id == signup.event_id,
                Signup.status == "waitlisted",
                or_(
                    Signup.created_at < signup.created_at,
                    and_(Signup.created_at == signup.created_at, Signup.id < signup.id),
                ),
            )
        )
        return int(ahead or 0) + 1

    async def counts(self, event_id: int) -> dict[str, int]:
        """Sign-ups of the event by status."""
        rows = await self._s.execute(
            select(Signup.status, func.count())
            .where(Signup.event_id == event_id)
            .group_by(Signup.status)
        )
        return {status: int(n) for status, n in rows}

    async def participants(
        self, event_id: int, statuses: Sequence[str] | None = None
    ) -> list[tuple[Signup, User]]:
        """Sign-ups with their people, in the order they were made."""
        query = (
            select(Signup, User)
            .join(User, User.id == Signup.user_id)
            .where(Signup.event_id == event_id)
            .order_by(Signup.created_at, Signup.id)
        )
        if statuses is not None:
            query = query.where(Signup.status.in_(list(statuses)))
        rows = await self._s.execute(query)
        return [(signup, person) for signup, person in rows]

    async def tos_names(self, user_ids: Sequence[int]) -> dict[int, list[str]]:
        """The TOS each person chairs or is an accepted member of."""
        names: dict[int, list[str]] = {}
        if not user_ids:
            return names
        chaired = select(Tos.chair_id, Tos.name).where(Tos.chair_id.in_(list(user_ids)))
        member = (
            select(TosMember.user_id, Tos.name)
            .join(Tos, Tos.id == TosMember.tos_id)
            .where(TosMember.user_id.in_(list(user_ids)), TosMember.status == "approved")
        )
        for query in (chaired, member):
            for user_id, name in await self._s.execute(query):
                if user_id is not None and name not in names.setdefault(user_id, []):
                    names[user_id].append(name)
        return names

    # Attendance and feedback (bot/services/attendance.py).
    async def with_code_word(
        self, user_id: int, word: str, started_after: datetime, started_before: datetime
    ) -> list[tuple[Event, Signup]]:
        """The person's confirmed sign-ups for events with this code word (stored lower-case)
        that start in the range; driven by the index on the person's sign-ups."""
        rows = await self._s.execute(
            select(Event, Signup)
            .join(Event, Event.id == Signup.event_id)
            .where(
                Signup.user_id == user_id,
                Signup.status.in_(("signed_up", "attended")),
                Event.code_word == word,
                Event.starts_at > started_after,
                Event.starts_at <= started_before,
            )
            .order_by(Event.starts_at, Event.id)
        )
        return [(event, signup) for event, signup in rows]

    async def ratings(self, event_id: int) -> dict[int, int]:
        """How many people gave each rating."""
        rows = await self._s.execute(
            select(Signup.rating, func.count())
            .where(Signup.event_id == event_id, Signup.rating.is_not(None))
            .group_by(Signup.rating)
        )
        return {int(rating): int(n) for rating, n in rows}

    async def last_comments(self, event_id: int, limit: int) -> list[str]:
        """The newest feedback comments, without who wrote them."""
        rows = await self._s.scalars(
            select(Signup.comment)
            .where(Signup.event_id == event_id, Signup.comment.is_not(None))
            .order_by(Signup.feedback_at.desc(), Signup.id.desc())
            .limit(limit)
        )
        return [c for c in rows if c]

    async def history_of(self, user_id: int) -> list[tuple[str, Signup]]:
        """(event title, sign-up) of every sign-up the person made, for /my_data."""
        rows = await self._s.execute(
            select(Event.title, Signup)
            .join(Event, Event.id == Signup.event_id)
            .where(Signup.user_id == user_id)
            .order_by(Signup.created_at, Signup.id)
        )
        return [(title, signup) for title, signup in rows]

    async def seats_taken(self, event_ids: Sequence[int], seated: Sequence[str]) -> dict[int, int]:
        """Seats taken per event, for a page of events in one grouped query (events nobody
        signed up for are absent)."""
        if not event_ids:
            return {}
        rows = await self._s.execute(
            select(Signup.event_id, func.count())
            .where(Signup.event_id.in_(list(event_ids)), Signup.status.in_(list(seated)))
            .group_by(Signup.event_id)
        )
        return {event_id: int(n) for event_id, n in rows}

    async def statuses_of(self, user_id: int, event_ids: Sequence[int]) -> dict[int, str]:
        """The person's sign-up status for each of the events they signed up for."""
        if not event_ids:
            return {}
        rows = await self._s.execute(
            select(Signup.event_id, Signup.status).where(
                Signup.user_id == user_id, Signup.event_id.in_(list(event_ids))
            )
        )
        return {event_id: status for event_id, status in rows}

    def _mine(self, user_id: int) -> list[ColumnElement[bool]]:
        # Cancelled sign-ups are history the person chose to drop; drafts never had any.
        return [
            Signup.user_id == user_id,
            Signup.status != "cancelled",
            Event.status != "draft",
        ]

    async def mine(
        self, user_id: int, now: datetime, offset: int, limit: int
    ) -> list[tuple[Event, Signup]]:
        """The person's sign-ups with their events: upcoming first (soonest first), then past
        ones (latest first)."""
        rows = await self._s.execute(
            select(Event, Signup)
            .join(Event, Event.id == Signup.event_id)
            .where(*self._mine(user_id))
            .order_by(
                Event.starts_at < now,
                case((Event.starts_at >= now, Event.starts_at)),
                Event.starts_at.desc(),
                Event.id,
            )
            .offset(offset)
            .limit(limit)
        )
        return [(event, signup) for event, signup in rows]

    async def count_mine(self, user_id: int) -> int:
        return int(
            await self._s.scalar(
                select(func.count())
                .select_from(Signup)
                .join(Event, Event.id == Signup.event_id)
                .where(*self._mine(user_id))
            )
            or 0
        )

    async def of_pairs(self, pairs: set[tuple[int, int]]) -> list[Signup]:
        """The sign-ups of these (event, person) pairs, in one query per event."""
        found: list[Signup] = []
        by_event: dict[int, list[int]] = {}
        for event_id, user_id in pairs:
            by_event.setdefault(event_id, []).append(user_id)
        for event_id, user_ids in by_event.items():
            rows = await self._s.scalars(
                select(Signup).where(Signup.event_id == event_id, Signup.user_id.in_(user_ids))
            )
            found.extend(rows)
        return found

    async def expired_offers(self, now: datetime) -> list[Signup]:
        rows = await self._s.scalars(
            select(Signup)
            .where(Signup.status == "offered", Signup.offer_expires_at <= now)
            .order_by(Signup.offer_expires_at)
        )
        return list(rows)


def _upcoming_for(region_code: str | None, now: datetime, kind: str) -> list[ColumnElement[bool]]:
    """Published, not started, for all of Russia (`[]`) or listing the region. JSON functions
    differ between SQLite and PostgreSQL, so the region is matched in the JSON text as `"14"`
    (codes are digits; the quotes keep "4" from matching "14")."""
    audience: ColumnElement[bool] = func.json_array_length(Event.audience_regions) == 0
    if region_code:
        listed = cast(Event.audience_regions, Text).contains(f'"{region_code}"', autoescape=True)
        audience = or_(audience, listed)
    where = [Event.status == "published", Event.starts_at > now, audience]
    if kind:
        where.append(Event.kind == kind)
    return where
