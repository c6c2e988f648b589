"""aiogram FSM storage in the bot's own database, so half-finished dialogs survive a restart.

Writes go through the current update's session (one transaction with the domain data, so a
failed update leaves the dialog where it was). With SQLite only one process owns the file, so
a read-through cache saves a query per update; it is dropped for keys of a rolled-back session.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import (
    BaseStorage,
    DefaultKeyBuilder,
    KeyBuilder,
    StateType,
    StorageKey,
)
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import current_session
from db.models import FsmRecord
from db.session_hooks import on_rollback

_MISSING = object()
Record = tuple[str | None, dict[str, Any]]


class SqlStorage(BaseStorage):
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        *,
        cache_size: int = 0,
        key_builder: KeyBuilder | None = None,
    ) -> None:
        self._factory = session_factory
        self._keys = key_builder or DefaultKeyBuilder()
        self._cache: OrderedDict[str, Record] = OrderedDict()
        self._cache_size = cache_size

    @asynccontextmanager
    async def _session(self) -> Any:
        session = current_session.get()
        if session is not None:
            yield session
            return
        async with self._factory.begin() as own:
            yield own

    def _remember(self, key: str, record: Record) -> None:
        if not self._cache_size:
            return
        self._cache[key] = record
        self._cache.move_to_end(key)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def forget(self, key: str | None = None) -> None:
        """Drop one key (or everything) from the cache."""
        if key is None:
            self._cache.clear()
        else:
            self._cache.pop(key, None)

    def forget_user(self, user_id: int) -> None:
        for key in [k for k in self._cache if f":{user_id}:" in k or k.endswith(f":{user_id}")]:
            self._cache.pop(key, None)

    async def _read(self, key: str) -> Record:
        cached = self._cache.get(key, _MISSING)
        if cached is not _MISSING:
            return cached  # type: ignore[return-value]
        async with self._session() as session:
            row = (
                await session.execute(
                    select(FsmRecord.state, FsmRecord.data).where(FsmRecord.key == key)
                )
            ).first()
        record: Record = (row[0], json.loads(row[1]) if row[1] else {}) if row else (None, {})
        self._remember(key, record)
        return record

    async def _write(
        self, storage_key: StorageKey, *, state: Any = _MISSING, data: Any = _MISSING
    ) -> None:
        key = self._keys.build(storage_key)
        old_state, old_data = await self._read(key)
        new_state = old_state if state is _MISSING else state
        new_data = old_data if data is _MISSING else data
        values = {
            "key": key,
            "user_id": storage_key.user_id,
            "state": new_state,
            "data": json.dumps(new_data, ensure_ascii=False) if new_data else None,
            "updated_at": datetime.now(UTC),
        }
        async with self._session() as session:
            insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
            stmt = insert(FsmRecord).values(**values)
            await session.execute(
                stmt.on_conflict_do_update(
                    index_elements=[FsmRecord.key],
                    set_={c: stmt.excluded[c] for c in ("state", "data", "updated_at")},
                )
            )
            on_rollback(session, lambda: self.forget(key))
        self._remember(key, (new_state, dict(new_data)))

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        await self._write(key, state=state.state if isinstance(state, State) else state)

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._read(self._keys.build(key)))[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._write(key, data=dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return dict((await self._read(self._keys.build(key)))[1])

    async def close(self) -> None:
        self._cache.clear()
