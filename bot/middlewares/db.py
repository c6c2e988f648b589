"""One transaction per update, committed after the handler, rolled back on error.

The request middleware commits before every Telegram call: a reply that says "saved" is sent
only after the data is saved, and no transaction stays open while waiting on the network.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import TelegramObject, Update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import bind_update_session, unbind_update_session, update_session
from db.repositories import Repo
from db.session_hooks import commit, has_pending, rollback

log = logging.getLogger(__name__)


class DbSessionMiddleware(BaseMiddleware):
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._factory = session_factory

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        async with self._factory() as session:
            token = bind_update_session(session)
            data["repo"] = Repo(session)
            try:
                result = await handler(event, data)
                await commit(session)
                return result
            except BaseException:
                await rollback(session)
                raise
            finally:
                unbind_update_session(token)


class OncePerUpdate(BaseMiddleware):
    """An update delivered twice (a webhook retry after a timeout, getUpdates again after a
    crash) is handled once: its id is claimed in the update's transaction.

    Inside the person's lock (event isolation), so the update's transaction also commits
    here, before the lock lets their next update in: the dialog state written with the last
    commit (db/session_hooks.py: `ride_along`) is what that next update reads."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        repo: Repo = data["repo"]
        if isinstance(event, Update) and not await repo.handled_updates.claim(
            event.update_id, datetime.now(UTC)
        ):
            log.info("update %s delivered again: skipped", event.update_id)
            return UNHANDLED
        result = await handler(event, data)
        await commit(repo.session)  # on an error DbSessionMiddleware rolls back
        return result


class CommitBeforeRequest(BaseRequestMiddleware):
    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        session = update_session()
        if session is not None and has_pending(session):
            await commit(session)
        return await make_request(bot, method)
