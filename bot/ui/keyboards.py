"""Keyboards shared by several dialogs."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import cache

from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.state import StatesGroup
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
    """Back or Cancel of one dialog: `dialog` names its states group, so a button left in an
    old message cannot step back in, or cancel, another dialog open now."""

    action: Nav
    dialog: str


def button(text: str, data: CallbackData) -> InlineKeyboardButton:
    """An inline button that carries callback data (every dialog's `_btn` in one)."""
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def arrows(page: int, pages: int, to: Callable[[int], CallbackData]) -> list[InlineKeyboardButton]:
    """◀️ ▶️ to the neighbouring pages of a list (`to(n)`: the button data of page n);
    nothing on a single page."""
    row = []
    if page > 0:
        row.append(button("◀️", to(page - 1)))
    if page < pages - 1:
        row.append(button("▶️", to(page + 1)))
    return row


def dialog_of(raw_state: str | None) -> str | None:
    """The states group of an FSM state string ("Registration:phone" -> "Registration")."""
    return raw_state.partition(":")[0] if raw_state else None


def nav_buttons(
    t: Text, dialog: type[StatesGroup], *, back: bool = True
) -> list[InlineKeyboardButton]:
    name = dialog.__full_group_name__
    row = []
    if back:
        row.append(
            InlineKeyboardButton(
                text=t("common-back-button"),
                callback_data=NavCb(action=Nav.BACK, dialog=name).pack(),
            )
        )
    row.append(
        InlineKeyboardButton(
            text=t("common-cancel-button"),
            callback_data=NavCb(action=Nav.CANCEL, dialog=name).pack(),
        )
    )
    return row


@cache  # one per language: building keyboards (deep copies in aiogram) is a hot-path cost
def nav_keyboard(t: Text, dialog: type[StatesGroup], *, back: bool = True) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[nav_buttons(t, dialog, back=back)])


def with_nav(
    builder: InlineKeyboardBuilder, t: Text, dialog: type[StatesGroup], *, back: bool = True
) -> InlineKeyboardMarkup:
    builder.row(*nav_buttons(t, dialog, back=back))
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
