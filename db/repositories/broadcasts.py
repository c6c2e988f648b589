"""Broadcasts (their deliveries are outbox rows)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Broadcast


class BroadcastRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def latest(self, organiser_id: int | None, limit: int) -> list[Broadcast]:
        """The newest first; None: everyone's (an admin)."""
        query = select(Broadcast).order_by(Broadcast.id.desc()).limit(limit)
        if organiser_id is not None:
            query = query.where(Broadcast.organiser_id == organiser_id)
        return list(await self._s.scalars(query))

    async def running(self) -> list[Broadcast]:
        """Those whose progress message may still change."""
        return list(
            await self._s.scalars(
                select(Broadcast).where(Broadcast.status.in_(("scheduled", "sending", "paused")))
            )
        )

    async def halted(self, ids: set[int]) -> dict[int, str]:
        """Of these broadcasts, the paused ones (their rows wait: `paused`) and the stopped
        ones (`cancelled`)."""
        if not ids:
            return {}
        rows = await self._s.execute(
            select(Broadcast.id, Broadcast.status).where(
                Broadcast.id.in_(sorted(ids)), Broadcast.status.in_(("paused", "stopped"))
            )
        )
        return {int(i): "paused" if status == "paused" else "cancelled" for i, status in rows}
