"""Dialogs put aside by a command typed inside them, for /start to continue.

A parked dialog is a row of the dialog-state table under a key of its own ("parked:<user>"),
whatever storage (the database or Redis) holds the live dialogs: opening other dialogs
meanwhile cannot overwrite it, and erasing a person's dialog state erases it too.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import FsmRecord, UtcDateTime

# A row of the dialog-state table, inserted or replaced (db/fsm_storage.py writes live
# dialogs with it too). Plain SQL that SQLite and PostgreSQL both speak; SQLAlchemy's dialect
# upsert constructs carry no cache key and would be compiled again on every update.
UPSERT = text(
    "INSERT INTO fsm_states (key, user_id, state, data, updated_at)"
    " VALUES (:key, :user_id, :state, :data, :updated_at)"
    " ON CONFLICT (key) DO UPDATE SET"
    " state = excluded.state, data = excluded.data, updated_at = excluded.updated_at"
).bindparams(bindparam("updated_at", type_=UtcDateTime()))


def _key(user_id: int) -> str:
    return f"parked:{user_id}"


class ParkedDialogRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def park(self, user_id: int, state: str, data: dict[str, Any], now: datetime) -> None:
        """Keep the dialog (the latest parked one replaces an older)."""
        await self._s.execute(
            UPSERT,
            {
                "key": _key(user_id),
                "user_id": user_id,
                "state": state,
                "data": json.dumps(data, ensure_ascii=False),
                "updated_at": now,
            },
        )

    async def take(self, user_id: int) -> tuple[str, dict[str, Any]] | None:
        """The parked dialog's state and answers, removed from the shelf; None if none."""
        row = (
            await self._s.execute(
                select(FsmRecord.state, FsmRecord.data).where(FsmRecord.key == _key(user_id))
            )
        ).first()
        if row is None or row.state is None:
            return None
        await self._s.execute(delete(FsmRecord).where(FsmRecord.key == _key(user_id)))
        return row.state, json.loads(row.data) if row.data else {}
