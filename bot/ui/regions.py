"""The region picker: a paginated list, or the matches for what the person typed."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from functools import cache

from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.state import StatesGroup
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Text
from bot.services.regions import Region, catalog
from bot.ui.keyboards import with_nav
from bot.ui.pagination import page_count, page_of

PAGE_SIZE = 10
MAX_MATCHES = 20


class RegionAction(StrEnum):
    PAGE = "p"
    PICK = "k"


class RegionCb(CallbackData, prefix="rg"):
    action: RegionAction
    page: int = 0
    code: str = ""


def region_page(
    regions: Sequence[Region], number: int, t: Text, dialog: type[StatesGroup]
) -> InlineKeyboardMarkup:
    page = page_of(regions, number, PAGE_SIZE)
    builder = InlineKeyboardBuilder()
    for region in page.items:
        builder.row(_pick(region, t))
    arrows = []
    if page.has_prev:
        arrows.append(
            InlineKeyboardButton(
                text="◀️",
                callback_data=RegionCb(action=RegionAction.PAGE, page=page.number - 1).pack(),
            )
        )
    arrows.append(
        InlineKeyboardButton(
            text=t("common-page", number=page.number + 1, count=page.count),
            callback_data=RegionCb(action=RegionAction.PAGE, page=page.number).pack(),
        )
    )
    if page.has_next:
        arrows.append(
            InlineKeyboardButton(
                text="▶️",
                callback_data=RegionCb(action=RegionAction.PAGE, page=page.number + 1).pack(),
            )
        )
    builder.row(*arrows)
    return with_nav(builder, t, dialog)


def all_regions_page(t: Text, number: int, dialog: type[StatesGroup]) -> InlineKeyboardMarkup:
    """A page of the full list in the reader's language (the same for everyone)."""
    last = page_count(len(catalog()), PAGE_SIZE) - 1
    return _all_regions_page(
        t, min(max(number, 0), last), dialog
    )  # a forged page cannot grow the cache


@cache
def _all_regions_page(t: Text, number: int, dialog: type[StatesGroup]) -> InlineKeyboardMarkup:
    return region_page(catalog().ordered(t.locale), number, t, dialog)


def region_matches(
    matches: Sequence[Region], t: Text, dialog: type[StatesGroup]
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for region in matches[:MAX_MATCHES]:
        builder.row(_pick(region, t))
    builder.row(
        InlineKeyboardButton(
            text=t("registration-region-show-all"),
            callback_data=RegionCb(action=RegionAction.PAGE, page=0).pack(),
        )
    )
    return with_nav(builder, t, dialog)


def _pick(region: Region, t: Text) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=region.name(t.locale),
        callback_data=RegionCb(action=RegionAction.PICK, code=region.code).pack(),
    )
