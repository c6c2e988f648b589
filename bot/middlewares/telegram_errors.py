"""Telegram answers that are not failures of the update, handled once for every request.

- "message is not modified": a double tap edited the message to what it already says. The
  edit's purpose is met, so it counts as done (edits answer True, as for inline messages).
- "query is too old": the press waited longer than Telegram keeps a query (a restart, a queue
  behind a slow update). The work is done; only the spinner's answer is late, and nobody is
  waiting for it any more.
- 429 on a reply within an update: wait `retry_after` once and retry, so the person gets the
  reply instead of an error. The outbox paces its own sends and is never retried here.
"""

from __future__ import annotations

import asyncio
import logging
from typing import cast

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramBadRequest, TelegramRetryAfter
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageCaption,
    EditMessageMedia,
    EditMessageReplyMarkup,
    EditMessageText,
    TelegramMethod,
)
from aiogram.methods.base import Response, TelegramType

from db.engine import update_session

log = logging.getLogger(__name__)

EDITS = (EditMessageText, EditMessageReplyMarkup, EditMessageCaption, EditMessageMedia)
# Longer waits than this are not spent inside an update: the person's next update waits too.
MAX_RETRY_WAIT = 20


def is_not_modified(error: TelegramBadRequest) -> bool:
    return "message is not modified" in error.message


def is_query_too_old(error: TelegramBadRequest) -> bool:
    return "query is too old" in error.message


class TolerateBenignErrors(BaseRequestMiddleware):
    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        try:
            return await self._request(make_request, bot, method)
        except TelegramBadRequest as error:
            if isinstance(method, EDITS) and is_not_modified(error):
                return cast(Response[TelegramType], True)
            if isinstance(method, AnswerCallbackQuery) and is_query_too_old(error):
                log.info("a button press answered too late for Telegram; its work is done")
                return cast(Response[TelegramType], True)
            raise

    @staticmethod
    async def _request(
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        try:
            return await make_request(bot, method)
        except TelegramRetryAfter as error:
            if update_session() is None or error.retry_after > MAX_RETRY_WAIT:
                raise  # the outbox's own pacing, or a wait too long to hold the update
            log.warning(
                "429 on %s: retrying once in %s s", type(method).__name__, error.retry_after
            )
            await asyncio.sleep(error.retry_after)
            return await make_request(bot, method)
