"""The admins' audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import AuditEntry


class AuditRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def record(
        self,
        actor_id: int | None,
        action: str,
        now: datetime,
        target_id: int | None = None,
        detail: str | None = None,
    ) -> None:
        await self._s.execute(
            insert(AuditEntry).values(
                at=now, actor_id=actor_id, action=action, target_id=target_id, detail=detail
            )
        )

    async def page(self, offset: int, limit: int) -> tuple[list[AuditEntry], int]:
        """Newest first, and how many there are."""
        total = await self._s.scalar(select(func.count()).select_from(AuditEntry))
        rows = await self._s.scalars(
            select(AuditEntry)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return list(rows), int(total or 0)
