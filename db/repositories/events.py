"""Events and sign-ups."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Event, Signup


class EventRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, **fields: Any) -> Event:
        event = Event(**fields)
        self._s.add(event)
        await self._s.flush()
        return event

    async def get(self, event_id: int, *, for_update: bool = False) -> Event | None:
        """`for_update` locks the row on PostgreSQL (sign-ups of one event queue behind it);
        SQLite's single connection already runs transactions one at a time."""
        query = select(Event).where(Event.id == event_id)
        if for_update:
            query = query.with_for_update()
        found: Event | None = await self._s.scalar(query)
        return found


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

    async def of_user(self, user_id: int) -> list[tuple[str, str, datetime]]:
        """(event title, status, signed up at) of every sign-up the person made."""
        rows = await self._s.execute(
            select(Event.title, Signup.status, Signup.created_at)
            .join(Event, Event.id == Signup.event_id)
            .where(Signup.user_id == user_id)
            .order_by(Signup.created_at)
        )
        return [(title, status, at) for title, status, at in rows]
