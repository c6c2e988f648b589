"""Files that come with a question or an answer: what is kept of a photo or a document (to
copy it on later), and adding one to the dialog's list, up to the limit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.types import InlineKeyboardMarkup, Message

from bot.i18n import Text
from bot.services import questions as qs


def attachment_of(message: Message) -> dict[str, Any] | None:
    """A photo (its largest size) or a document, with where to copy it from."""
    where = {"chat_id": message.chat.id, "message_id": message.message_id}
    if message.photo:
        return {"type": "photo", "file_id": message.photo[-1].file_id, "name": None, **where}
    if message.document:
        name = message.document.file_name
        return {"type": "document", "file_id": message.document.file_id, "name": name, **where}
    return None


async def add_attachment(
    message: Message,
    state: FSMContext,
    t: Text,
    markup: Callable[[Text, int], InlineKeyboardMarkup],
) -> None:
    """The message's file added to the dialog's attachments (or the limit said), with the
    dialog's buttons for going on (`markup` of the count so far)."""
    attachments = list((await state.get_data()).get("attachments", []))
    if len(attachments) >= qs.MAX_ATTACHMENTS:
        await message.answer(
            t("questions-files-limit", max=qs.MAX_ATTACHMENTS),
            reply_markup=markup(t, len(attachments)),
        )
        return
    found = attachment_of(message)
    assert found is not None  # registered for photos and documents only
    attachments.append(found)
    await state.update_data(attachments=attachments)
    await message.answer(
        t("questions-file-added", count=len(attachments), max=qs.MAX_ATTACHMENTS),
        reply_markup=markup(t, len(attachments)),
    )
