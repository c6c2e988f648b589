"""The grant and contest calendar, and who subscribed to a grant's deadline reminders."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Grant, GrantSubscription


class GrantRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, **fields: Any) -> Grant:
        grant = Grant(**fields)
        self._s.add(grant)
        await self._s.flush()
        return grant

    async def get(self, grant_id: int) -> Grant | None:
        return await self._s.get(Grant, grant_id)

    async def delete(self, grant_id: int) -> bool:
        """The grant and its subscriptions (ON DELETE CASCADE); False if already gone."""
        result = await self._s.execute(delete(Grant).where(Grant.id == grant_id))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def open_for(self, region_code: str | None, today: date) -> list[Grant]:
        """Grants a person of the region sees: the region's and the federal ones whose
        deadline has not passed, the nearest deadline first."""
        scope: ColumnElement[bool] = Grant.region_code.is_(None)
        if region_code is not None:
            scope = or_(scope, Grant.region_code == region_code)
        rows = await self._s.scalars(
            select(Grant)
            .where(scope, Grant.deadline >= today)
            .order_by(Grant.deadline, Grant.name, Grant.id)
        )
        return list(rows)

    async def subscribe(self, grant_id: int, user_id: int, now: datetime) -> bool:
        """False if already subscribed (a double tap)."""
        if await self.subscribed(grant_id, user_id):
            return False
        self._s.add(GrantSubscription(grant_id=grant_id, user_id=user_id, created_at=now))
        await self._s.flush()
        return True

    async def unsubscribe(self, grant_id: int, user_id: int) -> bool:
        result = await self._s.execute(
            delete(GrantSubscription).where(
                GrantSubscription.grant_id == grant_id, GrantSubscription.user_id == user_id
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def subscribed(self, grant_id: int, user_id: int) -> bool:
        found = await self._s.scalar(
            select(GrantSubscription.user_id).where(
                GrantSubscription.grant_id == grant_id, GrantSubscription.user_id == user_id
            )
        )
        return found is not None

    async def subscribers(self, grant_id: int) -> list[int]:
        rows = await self._s.scalars(
            select(GrantSubscription.user_id)
            .where(GrantSubscription.grant_id == grant_id)
            .order_by(GrantSubscription.user_id)
        )
        return list(rows)

    async def subscribed_by(self, user_id: int) -> list[Grant]:
        """The grants the person subscribed to, the nearest deadline first."""
        rows = await self._s.scalars(
            select(Grant)
            .join(GrantSubscription, GrantSubscription.grant_id == Grant.id)
            .where(GrantSubscription.user_id == user_id)
            .order_by(Grant.deadline, Grant.name, Grant.id)
        )
        return list(rows)
