"""Replies and button handling that every dialog shares."""

from __future__ import annotations

from aiogram.types import CallbackQuery, Message

from bot.i18n import Text

MESSAGE_LIMIT = 4096  # Telegram's limit on a message's text (markup counted: errs on the safe side)


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


async def note_choice(cq: CallbackQuery, note: str) -> None:
    """Record a choice under the pressed question, its buttons gone: "…\n\nRegion: X"."""
    message = cq.message
    if isinstance(message, Message) and message.text is not None:
        noted = message.html_text + "\n\n" + note
        if len(noted) <= MESSAGE_LIMIT:
            await message.edit_text(noted, reply_markup=None)
            return
    # A photo's caption, or no room left in the message: the note comes as a message.
    await take_buttons_off(cq)
    if isinstance(message, Message):
        await message.answer(note)
