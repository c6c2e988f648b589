"""Messages to someone other than the sender (a chair, a reviewer): a person who blocked the
bot must not fail the sender's update. (The outbox of a later issue will also retry them.)"""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.types import InlineKeyboardMarkup

log = logging.getLogger(__name__)


async def tell(
    bot: Bot, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None
) -> bool:
    """Send, or log that the person could not be reached; True if it went out."""
    try:
        await bot.send_message(chat_id, text, reply_markup=markup)
    except (TelegramForbiddenError, TelegramBadRequest) as exc:
        log.info("a notification could not be delivered: %s", type(exc).__name__)
        return False
    return True
