"""Commands that work everywhere, even mid-dialog: /cancel, /help, /language."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardRemove,
)

from bot.commands import refresh_commands
from bot.i18n import LANGUAGES, Text, Translator
from bot.services import registration as registration_service
from bot.services.roles import Role
from bot.ui.callbacks.menu import Lang, LangCb, MenuAction, MenuCb
from bot.ui.context import Ctx
from bot.ui.keyboards import Nav, NavCb, dialog_of
from db.repositories import UserSnapshot
from handlers import registration


async def cancelled(message: Message, state: FSMContext, t: Text) -> None:
    """/cancel or the Cancel button of a reply keyboard."""
    had_dialog = await state.get_state() is not None
    await state.set_state(None)
    await state.set_data({})
    await message.answer(
        t("common-cancelled" if had_dialog else "common-nothing-to-cancel"),
        reply_markup=ReplyKeyboardRemove(),
    )


async def cancel_pressed(
    cq: CallbackQuery, callback_data: NavCb, state: FSMContext, raw_state: str | None, t: Text
) -> None:
    """The inline Cancel button of a dialog: it cancels that dialog only, never another one
    opened since (its keyboard is removed either way, so a second tap finds nothing)."""
    open_dialog = dialog_of(raw_state)
    if isinstance(cq.message, Message):
        await cq.message.edit_reply_markup(reply_markup=None)
    if open_dialog is None:
        await cq.answer(t("common-nothing-to-cancel"))
        return
    if open_dialog != callback_data.dialog:
        await cq.answer(t("common-nav-other-dialog"), show_alert=True)
        return
    await state.set_state(None)
    await state.set_data({})
    if isinstance(cq.message, Message):
        await cq.message.answer(t("common-cancelled"), reply_markup=ReplyKeyboardRemove())


async def back_elsewhere(cq: CallbackQuery, t: Text) -> None:
    """Back of a dialog that is not the one open now: nothing moves."""
    if isinstance(cq.message, Message):
        await cq.message.edit_reply_markup(reply_markup=None)
    await cq.answer(t("common-nav-other-dialog"), show_alert=True)


async def _not_this_dialog(_: CallbackQuery, callback_data: NavCb, raw_state: str | None) -> bool:
    return dialog_of(raw_state) != callback_data.dialog


async def help_shown(message: Message, t: Text, user: UserSnapshot | None) -> None:
    """/help: what this person can do, by their roles."""
    await message.answer(help_text(t, user))


def help_text(t: Text, user: UserSnapshot | None) -> str:
    parts = [t("help-everyone")]
    if user is None or not user.registered:
        parts.append(t("help-unregistered"))
    roles = user.roles if user else frozenset()
    for role in (Role.CHAIR, Role.EXPERT, Role.ORGANISER, Role.ADMIN):
        if role.value in roles:
            parts.append(t(f"help-{role.value}"))
    return "\n\n".join(parts)


def language_keyboard(t: Text) -> InlineKeyboardMarkup:
    """Each language named in itself, so the buttons read the same in either language."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t(f"language-name-{lang.value}"), callback_data=LangCb(lang=lang).pack()
                )
                for lang in Lang
            ]
        ]
    )


async def language_asked(message: Message, t: Text) -> None:
    """/language: offer the two languages."""
    await message.answer(t("language-choose"), reply_markup=language_keyboard(t))


async def language_chosen(cq: CallbackQuery, callback_data: LangCb, ctx: Ctx) -> None:
    """A language was picked: remember it, and re-ask the current question in it."""
    lang = callback_data.lang.value
    assert lang in LANGUAGES
    await registration_service.set_language(ctx.repo, ctx.chat_id, lang, datetime.now(UTC))
    ctx = replace(ctx, t=ctx.translator.for_locale(lang), lang=lang)
    if isinstance(cq.message, Message):
        await cq.message.edit_text(ctx.t("language-set"), reply_markup=None)
    await refresh_commands(ctx.bot, ctx.repo, ctx.translator, ctx.chat_id)
    await registration.reprompt(ctx)


async def menu_help(cq: CallbackQuery, t: Text, user: UserSnapshot | None) -> None:
    if isinstance(cq.message, Message):
        await cq.message.answer(help_text(t, user))


async def menu_language(cq: CallbackQuery, t: Text) -> None:
    if isinstance(cq.message, Message):
        await cq.message.answer(t("language-choose"), reply_markup=language_keyboard(t))


def router(translator: Translator) -> Router:
    r = Router(name=__name__)
    r.message.register(cancelled, Command("cancel"))
    r.message.register(cancelled, F.text.in_(translator.all("common-cancel-button")))
    r.callback_query.register(cancel_pressed, NavCb.filter(F.action == Nav.CANCEL))
    r.callback_query.register(back_elsewhere, NavCb.filter(F.action == Nav.BACK), _not_this_dialog)
    r.message.register(help_shown, Command("help"))
    r.message.register(language_asked, Command("language"))
    r.callback_query.register(language_chosen, LangCb.filter())
    r.callback_query.register(menu_help, MenuCb.filter(F.action == MenuAction.HELP))
    r.callback_query.register(menu_language, MenuCb.filter(F.action == MenuAction.LANGUAGE))
    return r
