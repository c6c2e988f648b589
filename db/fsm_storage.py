"""aiogram FSM storage in the bot's own database, so half-finished dialogs survive a restart.

Inside an update, writes are buffered in the update's session and flushed as one upsert per
key just before that session commits: the dialog state commits (or rolls back) together with
the domain data, and `set_state` + `update_data` cost one statement, not two. With SQLite only
one process owns the file, so committed records are also kept in a read cache.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any, cast

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import (
    BaseStorage,
    DefaultKeyBuilder,
    KeyBuilder,
    StateType,
    StorageKey,
)
from sqlalchemy import Table, bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import update_session
from db.models import FsmRecord
from db.repositories.parked import UPSERT
from db.session_hooks import after_commit, before_commit

# Core statements on the table (no ORM entity to compile or load), built once.
_TABLE = cast(Table, FsmRecord.__table__)
_READ = select(_TABLE.c.state, _TABLE.c.data).where(_TABLE.c.key == bindparam("key"))
_DROP = delete(_TABLE).where(_TABLE.c.key.in_(bindparam("keys", expanding=True)))

_MISSING = object()
Record = tuple[str | None, dict[str, Any]]
# Buffered writes of one session: key -> (user id, state, data).
Pending = dict[str, tuple[int, str | None, dict[str, Any]]]


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
        session = update_session()
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

    def _pending(self, session: AsyncSession) -> Pending:
        """This session's buffered writes; the first one arranges the flush at commit."""
        slot = ("fsm", id(self))
        pending: Pending | None = session.info.get(slot)
        if pending is None:
            pending = session.info[slot] = {}
            buffered: Pending = pending

            async def flush() -> None:
                session.info.pop(slot, None)
                await self._upsert(session, buffered)

            def learn() -> None:
                for key, (_uid, state, data) in buffered.items():
                    self._remember(key, (state, data))

            # Before a Telegram request too, not only with the update's last commit: a
            # question on the screen means its step is saved (a crash just after it must
            # not leave the person answering a question the bot never recorded asking).
            before_commit(session, slot, flush)
            after_commit(session, slot, learn)
        return pending

    async def _read(self, key: str) -> Record:
        session = update_session()
        if session is not None:
            buffered = session.info.get(("fsm", id(self)), {}).get(key)
            if buffered is not None:
                return buffered[1], buffered[2]
        cached = self._cache.get(key, _MISSING)
        if cached is not _MISSING:
            return cached  # type: ignore[return-value]
        async with self._session() as db:
            row = (await db.execute(_READ, {"key": key})).first()
        record: Record = (row[0], json.loads(row[1]) if row[1] else {}) if row else (None, {})
        self._remember(key, record)
        return record

    async def _upsert(self, session: AsyncSession, records: Pending) -> None:
        # A finished dialog (no state, no data) leaves no row behind.
        empty = [key for key, (_uid, state, data) in records.items() if state is None and not data]
        if empty:
            await session.execute(_DROP, {"keys": empty})
        now = datetime.now(UTC)
        rows = [
            {
                "key": key,
                "user_id": user_id,
                "state": state,
                "data": json.dumps(data, ensure_ascii=False) if data else None,
                "updated_at": now,
            }
            for key, (user_id, state, data) in records.items()
            if state is not None or data
        ]
        if not rows:
            return
        await session.execute(UPSERT, rows)

    async def _write(
        self, storage_key: StorageKey, *, state: Any = _MISSING, data: Any = _MISSING
    ) -> None:
        key = self._keys.build(storage_key)
        old_state, old_data = await self._read(key)
        record = (
            storage_key.user_id,
            old_state if state is _MISSING else state,
            dict(old_data if data is _MISSING else data),
        )
        session = update_session()
        if session is not None:
            self._pending(session)[key] = record
            return
        async with self._factory.begin() as own:  # outside an update: write through
            await self._upsert(own, {key: record})
        self._remember(key, (record[1], record[2]))

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
