"""Keyboards shared by several dialogs."""

from __future__ import annotations

from enum import StrEnum
from functools import cache

from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from aiogram.utils.keyboard import InlineKeyboardBuilder, ReplyKeyboardBuilder

from bot.i18n import Text


class Nav(StrEnum):
    BACK = "back"
    CANCEL = "cancel"


class NavCb(CallbackData, prefix="nav"):
    action: Nav


def nav_buttons(t: Text, *, back: bool = True) -> list[InlineKeyboardButton]:
    row = []
    if back:
        row.append(
            InlineKeyboardButton(
                text=t("common-back-button"), callback_data=NavCb(action=Nav.BACK).pack()
            )
        )
    row.append(
        InlineKeyboardButton(
            text=t("common-cancel-button"), callback_data=NavCb(action=Nav.CANCEL).pack()
        )
    )
    return row


@cache  # one per language: building keyboards (deep copies in aiogram) is a hot-path cost
def nav_keyboard(t: Text, *, back: bool = True) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[nav_buttons(t, back=back)])


def with_nav(builder: InlineKeyboardBuilder, t: Text, *, back: bool = True) -> InlineKeyboardMarkup:
    builder.row(*nav_buttons(t, back=back))
    return builder.as_markup()


@cache
def contact_keyboard(t: Text) -> ReplyKeyboardMarkup:
    """Share-phone button plus Back/Cancel typed as text (a message has one keyboard only)."""
    builder = ReplyKeyboardBuilder()
    builder.row(KeyboardButton(text=t("registration-share-phone"), request_contact=True))
    builder.row(
        KeyboardButton(text=t("common-back-button")), KeyboardButton(text=t("common-cancel-button"))
    )
    return builder.as_markup(resize_keyboard=True, one_time_keyboard=True)
