"""/my_data (everything stored, as a JSON file) and /delete_me (erasure, with confirmation)."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import BaseStorage
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardRemove,
)

from bot.commands import refresh_commands
from bot.i18n import Text, Translator
from bot.services import personal_data
from bot.ui.callbacks.registration import EraseAction, EraseCb
from bot.ui.replies import take_buttons_off
from db.fsm_storage import SqlStorage
from db.repositories import Repo


async def data_requested(message: Message, repo: Repo, t: Text) -> None:
    """/my_data: a JSON file with everything the bot keeps about the sender."""
    assert message.from_user is not None
    data = await personal_data.export(repo, message.from_user.id, datetime.now(UTC))
    await message.answer_document(
        BufferedInputFile(personal_data.export_json(data), filename="my_data.json"),
        caption=t("personal-data-export-caption"),
    )


async def erase_asked(message: Message, t: Text) -> None:
    """/delete_me: ask before erasing anything."""
    await message.answer(
        t("personal-data-erase-confirm"),
        reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(
                        text=t("personal-data-erase-yes"),
                        callback_data=EraseCb(action=EraseAction.CONFIRM).pack(),
                    ),
                    InlineKeyboardButton(
                        text=t("personal-data-erase-no"),
                        callback_data=EraseCb(action=EraseAction.ABORT).pack(),
                    ),
                ]
            ]
        ),
    )


async def erase_confirmed(
    cq: CallbackQuery,
    bot: Bot,
    state: FSMContext,
    repo: Repo,
    t: Text,
    translator: Translator,
    fsm_storage: BaseStorage,
) -> None:
    """Erase: profile, roles, consent, dialog state; links from others are cut loose."""
    user_id = cq.from_user.id
    await state.set_state(None)
    await state.set_data({})
    report = await personal_data.erase(repo, user_id, datetime.now(UTC))
    await repo.erase_from_disk()
    if isinstance(fsm_storage, SqlStorage):
        fsm_storage.forget_user(user_id)
    for chat_id, thread_id in report.forum_topics:
        # Their questions' topics in the experts' group go too (best effort: the bot may
        # have lost its rights there).
        with contextlib.suppress(TelegramAPIError):
            await bot.delete_forum_topic(chat_id, thread_id)
    await take_buttons_off(cq)
    await bot.send_message(
        user_id,
        t(
            "personal-data-erased" if report.erased else "personal-data-nothing",
            roles=report.roles_removed,
            invites=report.invites_detached,
        ),
        reply_markup=ReplyKeyboardRemove(),
    )
    await refresh_commands(bot, repo, translator, user_id)


async def erase_aborted(cq: CallbackQuery, t: Text) -> None:
    if isinstance(cq.message, Message):
        await cq.message.edit_text(t("personal-data-erase-aborted"), reply_markup=None)


def router() -> Router:
    r = Router(name=__name__)
    r.message.register(data_requested, Command("my_data"))
    r.message.register(erase_asked, Command("delete_me"))
    r.callback_query.register(erase_confirmed, EraseCb.filter(F.action == EraseAction.CONFIRM))
    r.callback_query.register(erase_aborted, EraseCb.filter(F.action == EraseAction.ABORT))
    return r
