"""Errors: logged with the update id (no personal data), the person is told, their dialog kept
(the failed update's transaction, FSM writes included, was rolled back)."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot, Router
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
    chat_id = None
    if update.message is not None:
        chat_id = update.message.chat.id
    elif update.callback_query is not None:
        chat_id = update.callback_query.from_user.id
        try:
            await bot.answer_callback_query(update.callback_query.id)
        except Exception:
            log.debug("callback %s already answered", update.callback_query.id)
    if chat_id is None:
        return
    try:
        await bot.send_message(chat_id, t("errors-something-went-wrong"))
    except Exception:
        log.exception("could not tell update %s's sender about the error", update.update_id)


def router() -> Router:
    r = Router(name=__name__)
    r.errors.register(error_happened)
    return r
