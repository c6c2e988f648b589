"""Every button press gets exactly one answer, so no button keeps spinning.

Handlers answer with `cq.answer(...)` when they have something to say; whatever they did not
answer is answered silently afterwards. A second answer to the same query would be refused by
Telegram, so the answers sent are recorded on the way out. After an error nothing is sent from
here: a request would commit the failed update's half-done transaction (commit before every
request), so the errors handler answers instead, outside that transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import AnswerCallbackQuery, TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import CallbackQuery, TelegramObject

from bot.i18n import Text
from db.models import ID_LIMIT

log = logging.getLogger("bot.security")

_answered: ContextVar[set[str] | None] = ContextVar("answered_callbacks", default=None)


class RecordCallbackAnswers(BaseRequestMiddleware):
    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        answered = _answered.get()
        if answered is not None and isinstance(method, AnswerCallbackQuery):
            answered.add(method.callback_query_id)
        return await make_request(bot, method)


class AnswerCallbacks(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, CallbackQuery):
            return await handler(event, data)
        answered: set[str] = set()
        token = _answered.set(answered)
        try:
            result = await handler(event, data)
            if event.id not in answered:
                await event.answer()
            return result
        finally:
            _answered.reset(token)


def _out_of_range(data: str) -> bool:
    return any(
        part.lstrip("-").isdigit() and abs(int(part)) >= ID_LIMIT for part in data.split(":")
    )


class RefuseImpossibleIds(BaseMiddleware):
    """Callback data with a number no database id can be (forged: the bot never made it) is an
    outdated button, before any filter or query sees it (SQLite and asyncpg fail on such
    numbers)."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if isinstance(event, CallbackQuery) and _out_of_range(event.data or ""):
            log.warning("callback data with an impossible id refused (user %s)", event.from_user.id)
            t: Text = data["t"]
            await event.answer(t("common-button-outdated"), show_alert=True)
            return None
        return await handler(event, data)
