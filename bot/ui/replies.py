"""Replies and button handling that every dialog shares."""

from __future__ import annotations

from aiogram.types import CallbackQuery, Message

from bot.i18n import Text


async def use_buttons(message: Message, t: Text) -> None:
    """Text where the step expects a button press."""
    await message.answer(t("common-use-buttons"))


async def not_text(message: Message, t: Text) -> None:
    """A sticker, photo or other non-text where the step expects text."""
    await message.answer(t("common-expected-text"))


async def take_buttons_off(cq: CallbackQuery) -> None:
    """Remove the buttons of an answered question, so they cannot be pressed twice."""
    if isinstance(cq.message, Message) and cq.message.reply_markup is not None:
        await cq.message.edit_reply_markup(reply_markup=None)
