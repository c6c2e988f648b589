"""/my_data (everything stored, as a JSON file) and /delete_me (erasure, with confirmation)."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

from aiogram import F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command
from aiogram.fsm.storage.base import BaseStorage
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardRemove,
)

from bot.commands import refresh_commands
from bot.services import personal_data
from bot.ui.callbacks.registration import EraseAction, EraseCb
from bot.ui.context import Ctx
from bot.ui.keyboards import button
from bot.ui.replies import take_buttons_off
from db.fsm_storage import SqlStorage


async def data_requested(message: Message, ctx: Ctx) -> None:
    """/my_data: a JSON file with everything the bot keeps about the sender."""
    assert message.from_user is not None
    data = await personal_data.export(ctx.repo, message.from_user.id, datetime.now(UTC))
    await message.answer_document(
        BufferedInputFile(personal_data.export_json(data), filename="my_data.json"),
        caption=ctx.t("personal-data-export-caption"),
    )


async def erase_asked(message: Message, ctx: Ctx) -> None:
    """/delete_me: ask before erasing anything."""
    t = ctx.t
    answers = [
        button(t("personal-data-erase-yes"), EraseCb(action=EraseAction.CONFIRM)),
        button(t("personal-data-erase-no"), EraseCb(action=EraseAction.ABORT)),
    ]
    await ctx.send(
        t("personal-data-erase-confirm"), InlineKeyboardMarkup(inline_keyboard=[answers])
    )


async def erase_confirmed(cq: CallbackQuery, ctx: Ctx, fsm_storage: BaseStorage) -> None:
    """Erase: profile, roles, consent, dialog state; links from others are cut loose."""
    bot, repo, t = ctx.bot, ctx.repo, ctx.t
    user_id = cq.from_user.id
    await ctx.state.set_state(None)
    await ctx.state.set_data({})
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
    await refresh_commands(bot, repo, ctx.translator, user_id)


async def erase_aborted(cq: CallbackQuery, ctx: Ctx) -> None:
    if isinstance(cq.message, Message):
        await cq.message.edit_text(ctx.t("personal-data-erase-aborted"), reply_markup=None)


def router() -> Router:
    r = Router(name=__name__)
    r.message.register(data_requested, Command("my_data"))
    r.message.register(erase_asked, Command("delete_me"))
    r.callback_query.register(erase_confirmed, EraseCb.filter(F.action == EraseAction.CONFIRM))
    r.callback_query.register(erase_aborted, EraseCb.filter(F.action == EraseAction.ABORT))
    return r
