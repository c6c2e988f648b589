"""How grants look: a region's open grants page by page, one grant's card, the grants a
person subscribed to. Pure: handlers/grants.py reads what they show and who may do what."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from aiogram import html
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Text
from bot.services import grants as service
from bot.services.regions import catalog
from bot.ui.callbacks.grants import GrantAction, GrantCb
from bot.ui.keyboards import arrows, button
from bot.ui.pagination import page_of
from db.models import Grant

PAGE = 8
Screen = tuple[str, InlineKeyboardMarkup]


def grant_button(text: str, action: GrantAction, **cb: Any) -> InlineKeyboardButton:
    return button(text[:64], GrantCb(action=action, **cb))


def scope_name(t: Text, region_code: str | None) -> str:
    if region_code is None:
        return t("grants-federal")
    region = catalog().get(region_code)
    return region.name(t.locale) if region else region_code


def _label(grant: Grant, *, federal_mark: bool) -> str:
    mark = "🇷🇺 " if federal_mark and grant.region_code is None else ""
    return f"{grant.deadline:%d.%m.%Y} · {mark}{grant.name}"


def list_screen(
    t: Text, found: Sequence[Grant], page: int, region_code: str | None, may_add: bool
) -> Screen:
    """The open grants of the person's region and the federal ones (🇷🇺), a page of them."""
    shown = page_of(found, page, PAGE)
    builder = InlineKeyboardBuilder()
    for grant in shown.items:
        label = _label(grant, federal_mark=True)
        builder.row(grant_button(label, GrantAction.OPEN, grant_id=grant.id, page=shown.number))
    to = lambda p: GrantCb(action=GrantAction.LIST, page=p)  # noqa: E731
    builder.row(*arrows(shown.number, shown.count, to))
    builder.row(grant_button(t("grants-mine-button"), GrantAction.MINE))
    if may_add:
        builder.row(grant_button(t("grants-add-button"), GrantAction.ADD))
    key = "grants-list" if found else "grants-list-empty"
    return t(key, region=scope_name(t, region_code), count=len(found)), builder.as_markup()


def card_screen(
    t: Text, grant: Grant, today: date, subscribed: bool, may_manage: bool, page: int = 0
) -> Screen:
    """One grant: what, who, how much, until when; subscribe, .ics, and for its managers
    Edit and Delete."""
    text = t(
        "grants-card",
        name=html.quote(grant.name),
        organiser=html.quote(grant.organiser),
        eligible=html.quote(grant.eligible),
        amount=html.quote(grant.amount),
        deadline=f"{grant.deadline:%d.%m.%Y}",
        days=max(service.days_left(grant, today), 0),
        link=html.quote(grant.link or "—"),
        scope=scope_name(t, grant.region_code),
        subscribed=t("grants-subscribed-mark") if subscribed else "",
    )
    own = {"grant_id": grant.id}
    rows = []
    if subscribed:
        rows.append([grant_button(t("grants-unsubscribe-button"), GrantAction.UNSUB, **own)])
    elif grant.deadline >= today:
        rows.append([grant_button(t("grants-subscribe-button"), GrantAction.SUB, **own)])
    rows.append([grant_button(t("grants-ics-button"), GrantAction.ICS, **own)])
    if may_manage:
        rows.append(
            [
                grant_button(t("grants-edit-button"), GrantAction.EDIT, **own),
                grant_button(t("grants-delete-button"), GrantAction.DELETE, **own),
            ]
        )
    rows.append([grant_button(t("grants-back-to-list"), GrantAction.LIST, page=page)])
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


def mine_screen(t: Text, subscribed: Sequence[Grant]) -> Screen:
    """The grants the person subscribed to, and all of them as one .ics."""
    builder = InlineKeyboardBuilder()
    for grant in subscribed:
        label = _label(grant, federal_mark=False)
        builder.row(grant_button(label, GrantAction.OPEN, grant_id=grant.id))
    if subscribed:
        builder.row(grant_button(t("grants-ics-all-button"), GrantAction.ICS_ALL))
    builder.row(grant_button(t("grants-back-to-list"), GrantAction.LIST))
    key = "grants-mine" if subscribed else "grants-mine-empty"
    return t(key, count=len(subscribed)), builder.as_markup()
