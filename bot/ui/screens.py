"""Screens that replace each other in one message: the pressed message is redrawn in place."""

from __future__ import annotations

from aiogram.types import CallbackQuery, InlineKeyboardMarkup, LinkPreviewOptions, Message

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def show(
    cq: CallbackQuery,
    text: str,
    markup: InlineKeyboardMarkup | None,
    *,
    link_preview_options: LinkPreviewOptions | None = None,
) -> None:
    """Redraw the pressed message; if it cannot be edited (a photo, or too old for Telegram to
    let the bot see it) the screen comes as a new message, so no button is left dead. A press
    that changes nothing is not an error (see bot.middlewares.telegram_errors)."""
    if isinstance(cq.message, Message) and cq.message.text is not None:
        await cq.message.edit_text(
            text, reply_markup=markup, link_preview_options=link_preview_options
        )
    elif cq.bot is not None:
        await cq.bot.send_message(
            cq.from_user.id, text, reply_markup=markup, link_preview_options=link_preview_options
        )
