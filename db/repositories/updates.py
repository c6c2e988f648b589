"""Updates already handled: the claim that makes a second delivery of one update a no-op."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from weakref import WeakKeyDictionary

from sqlalchemy import bindparam, delete, text
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import update_session
from db.models import HandledUpdate, UtcDateTime
from db.session_hooks import ride_along

# Plain SQL both SQLite and PostgreSQL speak (and cached, unlike the dialects' upserts).
_CLAIM = text(
    "INSERT INTO handled_updates (update_id, handled_at) VALUES (:update_id, :handled_at)"
    " ON CONFLICT (update_id) DO NOTHING"
).bindparams(bindparam("handled_at", type_=UtcDateTime()))
_LAST = text("SELECT max(update_id) FROM handled_updates")
_FOUND = text("SELECT 1 FROM handled_updates WHERE update_id = :update_id")

# How many ids a process remembers before it leaves the older half to the table.
RECENT = 20_000


@dataclass
class _Claims:
    """The ids this process has claimed (SQLite: one process owns the file, so it knows
    every claim made since it started). Ids up to `floor` are looked up in the table."""

    floor: int | None = None  # read from the table at the first claim
    recent: set[int] = field(default_factory=set)

    def prune(self) -> None:
        if len(self.recent) > RECENT:
            ordered = sorted(self.recent)
            self.floor = max(self.floor or 0, ordered[len(ordered) // 2])
            self.recent = {i for i in ordered if i > self.floor}


_claims: WeakKeyDictionary[Engine, _Claims] = WeakKeyDictionary()


def remember_claims(engine: Engine) -> None:
    """Claims on this engine are known in memory and written with the update's commit."""
    _claims.setdefault(engine, _Claims())


class HandledUpdateRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def claim(self, update_id: int, now: datetime) -> bool:
        """True the first time an update is seen. In the update's own transaction: a delivery
        that fails or crashes before its transaction commits leaves no claim, so Telegram's
        retry is handled.

        PostgreSQL (several instances): the row is inserted now; a duplicate arriving
        meanwhile waits for the row's lock, then finds it. SQLite (one process): the process
        knows its claims, so a duplicate is refused without a statement, and the row rides
        along with the update's commit (no commit of its own before the first reply)."""
        claims = _claims.get(self._s.bind.sync_engine) if self._s.bind else None
        if claims is None or update_session() is not self._s:
            result = await self._s.execute(_CLAIM, {"update_id": update_id, "handled_at": now})
            return int(result.rowcount) == 1  # type: ignore[attr-defined]
        if update_id in claims.recent:
            return False
        claims.recent.add(update_id)  # before any await: a duplicate meanwhile is refused
        if claims.floor is None:
            claims.floor = int(await self._s.scalar(_LAST) or 0)
        if update_id <= claims.floor and await self._s.scalar(_FOUND, {"update_id": update_id}):
            return False
        session = self._s

        async def insert() -> None:
            await session.execute(_CLAIM, {"update_id": update_id, "handled_at": now})

        def done(committed: bool) -> None:
            if not committed:  # rolled back: a retry is handled
                claims.recent.discard(update_id)

        ride_along(session, ("claim", update_id), insert, done)
        claims.prune()
        return True

    async def purge(self, before: datetime) -> int:
        result = await self._s.execute(
            delete(HandledUpdate).where(HandledUpdate.handled_at < before)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
