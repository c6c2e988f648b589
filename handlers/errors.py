"""Errors: logged with the update id (no personal data), the person is told, their dialog kept
(the failed update's transaction, FSM writes included, was rolled back).

The apology goes to the person's private chat only: never into a group (where a stranger's
failure is nobody else's business), and not while Telegram asks us to wait (a 429), which the
apology would only prolong."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot, Router
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramAPIError, TelegramRetryAfter
from aiogram.types import ErrorEvent

from bot.i18n import Text, Translator

log = logging.getLogger("bot.errors")


async def error_happened(event: ErrorEvent, bot: Bot, translator: Translator, **data: Any) -> None:
    update = event.update
    log.error(
        "update %s failed: %s",
        update.update_id,
        type(event.exception).__name__,
        exc_info=event.exception,
    )
    t: Text = data.get("t") or translator.for_locale(None)
    flooded = isinstance(event.exception, TelegramRetryAfter)
    chat_id = None
    if update.message is not None and update.message.chat.type == ChatType.PRIVATE:
        chat_id = update.message.chat.id
    elif update.callback_query is not None:
        query = update.callback_query
        private = query.message is None or query.message.chat.type == ChatType.PRIVATE
        try:  # no spinner left; outside a private chat the apology is the pop-up itself
            text = None if private or flooded else t("errors-something-went-wrong")
            await bot.answer_callback_query(query.id, text=text, show_alert=text is not None)
        except TelegramAPIError:
            log.debug("callback %s already answered", query.id)
        if private:
            chat_id = query.from_user.id
    if chat_id is None or flooded:
        return
    try:
        await bot.send_message(chat_id, t("errors-something-went-wrong"))
    except TelegramAPIError as exc:
        log.warning("could not tell update %s's sender: %s", update.update_id, type(exc).__name__)


def router() -> Router:
    r = Router(name=__name__)
    r.errors.register(error_happened)
    return r
