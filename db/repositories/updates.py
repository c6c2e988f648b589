"""Updates already handled: the claim that makes a second delivery of one update a no-op."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, text
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import HandledUpdate, UtcDateTime

# Plain SQL both SQLite and PostgreSQL speak (and cached, unlike the dialects' upserts).
_CLAIM = text(
    "INSERT INTO handled_updates (update_id, handled_at) VALUES (:update_id, :handled_at)"
    " ON CONFLICT (update_id) DO NOTHING"
).bindparams(bindparam("handled_at", type_=UtcDateTime()))


class HandledUpdateRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def claim(self, update_id: int, now: datetime) -> bool:
        """True the first time an update is seen. In the update's own transaction: a delivery
        that fails or crashes before its first reply (the first commit) leaves no claim, so
        Telegram's retry is handled; a duplicate arriving meanwhile waits for the row's lock,
        then finds it."""
        result = await self._s.execute(_CLAIM, {"update_id": update_id, "handled_at": now})
        return int(result.rowcount) == 1  # type: ignore[attr-defined]

    async def purge(self, before: datetime) -> int:
        result = await self._s.execute(
            delete(HandledUpdate).where(HandledUpdate.handled_at < before)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
