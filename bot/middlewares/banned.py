"""A banned person's updates are dropped, answered by nothing (bot/services/moderation.py).

Early and cheaply where that is safe: with SQLite one process owns the database and its
person snapshots are exact (db/repositories/users.py), so a person known banned there is
dropped here, before the flood check, the transaction and the dialog lock: a dict lookup.
Elsewhere (PostgreSQL, several instances) nothing is cached across updates and the
database decides: the snapshot read at the start of every update carries the ban, and
PersonMiddleware drops the update before any handler (that read also fills the cache on
SQLite, so a banned person's first update after a start is dropped there).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import User as Person
from db.repositories.users import banned_in_cache


class DropBanned(BaseMiddleware):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        sender: User | None = data.get("event_from_user")
        if sender is not None and banned_in_cache(self._engine, sender.id):
            return None
        return await handler(event, data)


def ban_lookup(
    session_factory: async_sessionmaker[AsyncSession],
) -> Callable[[int], Awaitable[bool]]:
    """Whether a person is banned, from the cache where it is exact, else from the database:
    for the flood check, which would otherwise warn a banned flooder before PersonMiddleware
    drops their update (asked only when someone floods, never per update)."""
    engine = session_factory.kw["bind"].sync_engine

    async def banned(user_id: int) -> bool:
        if banned_in_cache(engine, user_id):
            return True
        async with session_factory() as session:
            found = await session.scalar(select(Person.banned_at).where(Person.id == user_id))
            await session.rollback()
        return found is not None

    return banned
