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
from sqlalchemy.engine import Engine

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
