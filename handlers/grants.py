"""/grants: the grant and contest calendar. Everyone registered browses their region's and the
federal grants, subscribes to deadline reminders (14, 3 and 1 days before) and takes .ics
files; organisers enter, edit and delete their regions' grants, admins any (and federal ones).

```mermaid
stateDiagram-v2
    [*] --> name: ➕ Add (organiser, admin)
    name --> organiser --> eligible --> amount --> deadline --> link --> scope --> confirm
    link --> scope: Skip
    confirm --> [*]: Save
    [*] --> value: Edit → field
    value --> [*]: saved
```
Every step has Back (the previous step) and Cancel; permissions are read from the database on
every update of the form, the edit and the deletion, never from the buttons shown.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router, html
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Text, Translator
from bot.outbox_sender import Rendered
from bot.services import calendar_files, event_admin
from bot.services import grants as service
from bot.services.regions import catalog, zone_of
from bot.services.validation import InvalidInput
from bot.ui.callbacks.grants import GrantAction, GrantCb
from bot.ui.callbacks.menu import MenuAction, MenuCb
from bot.ui.keyboards import Nav, NavCb, nav_buttons, nav_keyboard
from bot.ui.pagination import page_of
from bot.ui.replies import not_text, take_buttons_off, use_buttons
from bot.ui.screens import show
from db.models import Grant, OutboxMessage, User
from db.repositories import Repo, UserSnapshot

log = logging.getLogger("bot.security")
PAGE = 8
TEXT_STEPS = ("name", "organiser", "eligible", "amount", "deadline", "link")


class GrantForm(StatesGroup):
    name = State()
    organiser = State()
    eligible = State()
    amount = State()
    deadline = State()
    link = State()
    scope = State()
    confirm = State()


ORDER = list(GrantForm.__states__)


class GrantEdit(StatesGroup):
    value = State()  # data: grant_id, field


def _btn(text: str, action: GrantAction, **cb: Any) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=GrantCb(action=action, **cb).pack())


def _today(region_code: str | None) -> date:
    return datetime.now(UTC).astimezone(ZoneInfo(zone_of(region_code))).date()


def _scope_name(t: Text, region_code: str | None) -> str:
    if region_code is None:
        return t("grants-federal")
    region = catalog().get(region_code)
    return region.name(t.locale) if region else region_code


# ---- browsing -----------------------------------------------------------------------------


async def _list_screen(
    repo: Repo, t: Text, user: UserSnapshot, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    found = await repo.grants.open_for(user.region_code, _today(user.region_code))
    shown = page_of(found, page, PAGE)
    builder = InlineKeyboardBuilder()
    for grant in shown.items:
        mark = "🇷🇺 " if grant.region_code is None else ""
        label = f"{grant.deadline:%d.%m.%Y} · {mark}{grant.name}"
        builder.row(_btn(label[:64], GrantAction.OPEN, grant_id=grant.id, page=shown.number))
    arrows = []
    if shown.has_prev:
        arrows.append(_btn("◀️", GrantAction.LIST, page=shown.number - 1))
    if shown.has_next:
        arrows.append(_btn("▶️", GrantAction.LIST, page=shown.number + 1))
    if arrows:
        builder.row(*arrows)
    builder.row(_btn(t("grants-mine-button"), GrantAction.MINE))
    if await event_admin.managed_regions(repo, user.id) != set():
        builder.row(_btn(t("grants-add-button"), GrantAction.ADD))
    region = _scope_name(t, user.region_code)
    key = "grants-list" if found else "grants-list-empty"
    return t(key, region=region, count=len(found)), builder.as_markup()


async def _registered(
    bot: Bot, chat_id: int, user: UserSnapshot | None, t: Text
) -> UserSnapshot | None:
    if user is None or not user.registered:
        await bot.send_message(chat_id, t("grants-register-first"))
        return None
    return user


async def opened(
    message: Message, bot: Bot, state: FSMContext, repo: Repo, t: Text, user: UserSnapshot | None
) -> None:
    """/grants: the open grants of the person's region and the federal ones."""
    if await _registered(bot, message.chat.id, user, t) is None:
        return
    assert user is not None
    await state.clear()
    text, markup = await _list_screen(repo, t, user, 0)
    await bot.send_message(message.chat.id, text, reply_markup=markup)


async def menu_pressed(
    cq: CallbackQuery, bot: Bot, state: FSMContext, repo: Repo, t: Text, user: UserSnapshot | None
) -> None:
    """ "Grants and contests" in the main menu."""
    if await _registered(bot, cq.from_user.id, user, t) is None:
        return
    assert user is not None
    await state.clear()
    text, markup = await _list_screen(repo, t, user, 0)
    await bot.send_message(cq.from_user.id, text, reply_markup=markup)


async def list_pressed(
    cq: CallbackQuery,
    callback_data: GrantCb,
    bot: Bot,
    repo: Repo,
    t: Text,
    user: UserSnapshot | None,
) -> None:
    """A page of the list, or back to it from a card."""
    if await _registered(bot, cq.from_user.id, user, t) is None:
        return
    assert user is not None
    text, markup = await _list_screen(repo, t, user, callback_data.page)
    await show(cq, text, markup)


def _card_text(t: Text, grant: Grant, today: date, subscribed: bool) -> str:
    return t(
        "grants-card",
        name=html.quote(grant.name),
        organiser=html.quote(grant.organiser),
        eligible=html.quote(grant.eligible),
        amount=html.quote(grant.amount),
        deadline=f"{grant.deadline:%d.%m.%Y}",
        days=max(service.days_left(grant, today), 0),
        link=html.quote(grant.link or "—"),
        scope=_scope_name(t, grant.region_code),
        subscribed=t("grants-subscribed-mark") if subscribed else "",
    )


async def _card(
    repo: Repo, t: Text, grant: Grant, user_id: int, region_code: str | None, page: int = 0
) -> tuple[str, InlineKeyboardMarkup]:
    subscribed = await repo.grants.subscribed(grant.id, user_id)
    today = _today(region_code)
    rows = []
    if subscribed:
        rows.append([_btn(t("grants-unsubscribe-button"), GrantAction.UNSUB, grant_id=grant.id)])
    elif grant.deadline >= today:
        rows.append([_btn(t("grants-subscribe-button"), GrantAction.SUB, grant_id=grant.id)])
    rows.append([_btn(t("grants-ics-button"), GrantAction.ICS, grant_id=grant.id)])
    if service.may_enter(await event_admin.managed_regions(repo, user_id), grant.region_code):
        rows.append(
            [
                _btn(t("grants-edit-button"), GrantAction.EDIT, grant_id=grant.id),
                _btn(t("grants-delete-button"), GrantAction.DELETE, grant_id=grant.id),
            ]
        )
    rows.append([_btn(t("grants-back-to-list"), GrantAction.LIST, page=page)])
    return _card_text(t, grant, today, subscribed), InlineKeyboardMarkup(inline_keyboard=rows)


async def _seen(
    cq: CallbackQuery, repo: Repo, t: Text, user: UserSnapshot | None, grant_id: int
) -> Grant | None:
    """The grant if the presser may see it: their region's or federal (or one they manage);
    a deleted one or a forged id gets an alert."""
    grant = await repo.grants.get(grant_id)
    if grant is None or user is None or not user.registered:
        await cq.answer(t("grants-gone"), show_alert=True)
        return None
    if not service.visible_to(grant, user.region_code) and not service.may_enter(
        await event_admin.managed_regions(repo, user.id), grant.region_code
    ):
        await cq.answer(t("common-not-allowed"), show_alert=True)
        return None
    return grant


async def card_opened(
    cq: CallbackQuery, callback_data: GrantCb, repo: Repo, t: Text, user: UserSnapshot | None
) -> None:
    """One grant: what, who, how much, until when; subscribe, .ics, and for its managers
    Edit and Delete."""
    grant = await _seen(cq, repo, t, user, callback_data.grant_id)
    if grant is None or user is None:
        return
    text, markup = await _card(repo, t, grant, user.id, user.region_code, callback_data.page)
    await show(cq, text, markup)


async def subscription_pressed(
    cq: CallbackQuery, callback_data: GrantCb, repo: Repo, t: Text, user: UserSnapshot | None
) -> None:
    """Subscribe (reminders planned) or unsubscribe (reminders removed); a second tap of the
    same button changes nothing."""
    grant = await _seen(cq, repo, t, user, callback_data.grant_id)
    if grant is None or user is None:
        return
    now = datetime.now(UTC)
    if callback_data.action is GrantAction.SUB:
        if grant.deadline < _today(user.region_code):
            await cq.answer(t("grants-closed"), show_alert=True)
            return
        changed = await service.subscribe(repo, grant, user.id, now)
        await cq.answer(t("grants-subscribed" if changed else "grants-subscribed-already"))
    else:
        changed = await service.unsubscribe(repo, grant.id, user.id)
        await cq.answer(t("grants-unsubscribed" if changed else "grants-unsubscribed-already"))
    text, markup = await _card(repo, t, grant, user.id, user.region_code)
    await show(cq, text, markup)


async def ics_pressed(
    cq: CallbackQuery,
    callback_data: GrantCb,
    bot: Bot,
    repo: Repo,
    t: Text,
    user: UserSnapshot | None,
) -> None:
    """One grant's deadline as an .ics file."""
    grant = await _seen(cq, repo, t, user, callback_data.grant_id)
    if grant is None:
        return
    data = calendar_files.grants_ics([grant], stamp=datetime.now(UTC))
    await bot.send_document(
        cq.from_user.id,
        BufferedInputFile(data, filename=f"grant-{grant.id}.ics"),
        caption=t("grants-ics-caption", name=html.quote(grant.name)),
    )


async def mine_pressed(
    cq: CallbackQuery, bot: Bot, repo: Repo, t: Text, user: UserSnapshot | None
) -> None:
    """The grants the person subscribed to, and all of them as one .ics."""
    if await _registered(bot, cq.from_user.id, user, t) is None:
        return
    subscribed = await repo.grants.subscribed_by(cq.from_user.id)
    builder = InlineKeyboardBuilder()
    for grant in subscribed:
        label = f"{grant.deadline:%d.%m.%Y} · {grant.name}"
        builder.row(_btn(label[:64], GrantAction.OPEN, grant_id=grant.id))
    if subscribed:
        builder.row(_btn(t("grants-ics-all-button"), GrantAction.ICS_ALL))
    builder.row(_btn(t("grants-back-to-list"), GrantAction.LIST))
    key = "grants-mine" if subscribed else "grants-mine-empty"
    await show(cq, t(key, count=len(subscribed)), builder.as_markup())


async def ics_all_pressed(cq: CallbackQuery, bot: Bot, repo: Repo, t: Text) -> None:
    """Every grant the person subscribed to, in one .ics file."""
    subscribed = await repo.grants.subscribed_by(cq.from_user.id)
    if not subscribed:
        await cq.answer(t("grants-mine-empty"), show_alert=True)
        return
    data = calendar_files.grants_ics(subscribed, stamp=datetime.now(UTC))
    await bot.send_document(
        cq.from_user.id,
        BufferedInputFile(data, filename="grants.ics"),
        caption=t("grants-ics-all-caption", count=len(subscribed)),
    )


# ---- entering a grant ---------------------------------------------------------------------


async def _managed(repo: Repo, user_id: int) -> set[str] | None:
    """The regions the person enters grants for (None: an admin, everywhere; an empty set:
    none, not an organiser or admin, or the role was taken away)."""
    return await event_admin.managed_regions(repo, user_id)


def _enters(regions: set[str] | None) -> bool:
    return regions is None or bool(regions)


async def _refuse(bot: Bot, chat_id: int, state: FSMContext, t: Text, what: str) -> None:
    log.warning("refused grant %s by user %s", what, chat_id)
    await state.clear()
    await bot.send_message(chat_id, t("common-not-allowed"))


def _scope_keyboard(
    t: Text, regions: set[str] | None, dialog: type[StatesGroup], *, back: bool = True
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if regions is None:
        builder.row(_btn(t("grants-federal"), GrantAction.SCOPE, value=service.FEDERAL))
    else:
        known = [r for r in (catalog().get(code) for code in regions) if r is not None]
        for region in sorted(known, key=lambda r: r.name(t.locale)):
            builder.row(_btn(region.name(t.locale), GrantAction.SCOPE, value=region.code))
    builder.row(*nav_buttons(t, dialog, back=back))
    return builder.as_markup()


async def _ask(bot: Bot, chat_id: int, step: State, state: FSMContext, repo: Repo, t: Text) -> None:
    await state.set_state(step)
    name = (step.state or ":").split(":")[1]
    if step == GrantForm.link:
        markup = InlineKeyboardMarkup(
            inline_keyboard=[
                [_btn(t("grants-skip-button"), GrantAction.SKIP)],
                nav_buttons(t, GrantForm),
            ]
        )
        await bot.send_message(chat_id, t("grants-ask-link"), reply_markup=markup)
        return
    if step == GrantForm.scope:
        regions = await _managed(repo, chat_id)
        key = "grants-ask-scope-admin" if regions is None else "grants-ask-scope"
        await bot.send_message(chat_id, t(key), reply_markup=_scope_keyboard(t, regions, GrantForm))
        return
    if step == GrantForm.confirm:
        data = await state.get_data()
        markup = InlineKeyboardMarkup(
            inline_keyboard=[
                [_btn(t("grants-save-button"), GrantAction.SAVE)],
                nav_buttons(t, GrantForm),
            ]
        )
        await bot.send_message(chat_id, _summary(t, data), reply_markup=markup)
        return
    await bot.send_message(
        chat_id,
        t(f"grants-ask-{name}"),
        reply_markup=nav_keyboard(t, GrantForm, back=name != "name"),
    )


def _summary(t: Text, data: dict[str, Any]) -> str:
    return t(
        "grants-summary",
        name=html.quote(data["name"]),
        organiser=html.quote(data["organiser"]),
        eligible=html.quote(data["eligible"]),
        amount=html.quote(data["amount"]),
        deadline=f"{date.fromisoformat(data['deadline']):%d.%m.%Y}",
        link=html.quote(data.get("link") or "—"),
        scope=_scope_name(t, data.get("region_code")),
    )


async def add_pressed(cq: CallbackQuery, bot: Bot, state: FSMContext, repo: Repo, t: Text) -> None:
    """➕ Add a grant: organisers and admins only (checked here, not by the button)."""
    if not _enters(await _managed(repo, cq.from_user.id)):
        await cq.answer(t("common-not-allowed"), show_alert=True)
        log.warning("refused grant entry by user %s", cq.from_user.id)
        return
    await state.set_data({})
    await _ask(bot, cq.from_user.id, GrantForm.name, state, repo, t)


async def _current(state: FSMContext) -> State | None:
    current = await state.get_state()
    return next((s for s in ORDER if s.state == current), None)


def _parse(field: str, raw: str | None, today: date) -> Any:
    if field == "deadline":
        return service.deadline(raw, today).isoformat()
    if field == "link":
        return service.link(raw)
    return service.text_field(field, raw)


async def form_typed(
    message: Message, bot: Bot, state: FSMContext, repo: Repo, t: Text, user: UserSnapshot | None
) -> None:
    """A typed answer of the form; wrong input re-asks with a hint."""
    step = await _current(state)
    if step is None:
        return
    regions = await _managed(repo, message.chat.id)
    if not _enters(regions):
        await _refuse(bot, message.chat.id, state, t, "entry")
        return
    field = (step.state or ":").split(":")[1]
    if field == "scope":
        await _scope_typed(message, t, regions, GrantForm)
        return
    try:
        value = _parse(field, message.text, _today(user.region_code if user else None))
    except InvalidInput as exc:
        await message.answer(t(exc.key))
        return
    await state.update_data({field: value})
    await _ask(bot, message.chat.id, ORDER[ORDER.index(step) + 1], state, repo, t)


async def _scope_typed(
    message: Message, t: Text, regions: set[str] | None, dialog: type[StatesGroup]
) -> None:
    """An admin types a region's name at the scope step: its matches as buttons. Organisers
    choose among their regions' buttons."""
    if regions is not None:
        await message.answer(t("common-use-buttons"))
        return
    matches = catalog().search((message.text or "")[:100], t.locale)[:10]
    if not matches:
        await message.answer(t("grants-scope-none"))
        return
    builder = InlineKeyboardBuilder()
    for region in matches:
        builder.row(_btn(region.name(t.locale), GrantAction.SCOPE, value=region.code))
    builder.row(*nav_buttons(t, dialog))
    await message.answer(t("grants-scope-matches"), reply_markup=builder.as_markup())


async def form_pressed(
    cq: CallbackQuery, callback_data: GrantCb, bot: Bot, state: FSMContext, repo: Repo, t: Text
) -> None:
    """Skip (no link), a scope, Save."""
    step = await _current(state)
    regions = await _managed(repo, cq.from_user.id)
    if not _enters(regions):
        await cq.answer(t("common-not-allowed"), show_alert=True)
        await _refuse(bot, cq.from_user.id, state, t, "entry")
        return
    action = callback_data.action
    if step == GrantForm.link and action is GrantAction.SKIP:
        await take_buttons_off(cq)
        await state.update_data({"link": None})
        await _ask(bot, cq.from_user.id, GrantForm.scope, state, repo, t)
        return
    if step == GrantForm.scope and action is GrantAction.SCOPE:
        try:
            code = service.scope_code(callback_data.value)
        except InvalidInput as exc:
            await cq.answer(t(exc.key), show_alert=True)
            return
        if not service.may_enter(regions, code):
            await cq.answer(t("common-not-allowed"), show_alert=True)
            return
        await take_buttons_off(cq)
        await state.update_data({"region_code": code})
        await _ask(bot, cq.from_user.id, GrantForm.confirm, state, repo, t)
        return
    if step == GrantForm.confirm and action is GrantAction.SAVE:
        data = await state.get_data()
        if not service.may_enter(regions, data.get("region_code")):
            await cq.answer(t("common-not-allowed"), show_alert=True)
            return
        await take_buttons_off(cq)
        grant = await service.create(repo, data, cq.from_user.id, datetime.now(UTC))
        await state.clear()
        await bot.send_message(cq.from_user.id, t("grants-saved", name=html.quote(grant.name)))
        user = await repo.users.snapshot(cq.from_user.id)
        text, markup = await _card(
            repo, t, grant, cq.from_user.id, user.region_code if user else None
        )
        await bot.send_message(cq.from_user.id, text, reply_markup=markup)
        return
    await cq.answer(t("common-button-outdated"), show_alert=True)


async def form_back(cq: CallbackQuery, bot: Bot, state: FSMContext, repo: Repo, t: Text) -> None:
    """Back: the previous step of the form."""
    step = await _current(state)
    if step is None:
        return
    if not _enters(await _managed(repo, cq.from_user.id)):
        await _refuse(bot, cq.from_user.id, state, t, "entry")
        return
    await take_buttons_off(cq)
    await _ask(bot, cq.from_user.id, ORDER[max(ORDER.index(step) - 1, 0)], state, repo, t)


# ---- editing and deleting -----------------------------------------------------------------


async def _managed_grant(cq: CallbackQuery, repo: Repo, t: Text, grant_id: int) -> Grant | None:
    """The grant if the presser may change it now (read from the database), else an alert."""
    grant = await repo.grants.get(grant_id)
    if grant is None:
        await cq.answer(t("grants-gone"), show_alert=True)
        return None
    if not service.may_enter(
        await event_admin.managed_regions(repo, cq.from_user.id), grant.region_code
    ):
        log.warning("refused grant change by user %s for grant %s", cq.from_user.id, grant_id)
        await cq.answer(t("common-not-allowed"), show_alert=True)
        return None
    return grant


async def edit_pressed(
    cq: CallbackQuery, callback_data: GrantCb, state: FSMContext, repo: Repo, t: Text
) -> None:
    """Edit: which field."""
    grant = await _managed_grant(cq, repo, t, callback_data.grant_id)
    if grant is None:
        return
    await state.clear()
    rows = [
        [_btn(t(f"grants-field-{field}"), GrantAction.FIELD, grant_id=grant.id, value=field)]
        for field in service.FIELDS
    ]
    rows.append([_btn(t("common-back-button"), GrantAction.OPEN, grant_id=grant.id)])
    await show(
        cq,
        t("grants-edit-which", name=html.quote(grant.name)),
        InlineKeyboardMarkup(inline_keyboard=rows),
    )


async def field_pressed(
    cq: CallbackQuery, callback_data: GrantCb, bot: Bot, state: FSMContext, repo: Repo, t: Text
) -> None:
    """A field to change: its new value is asked for."""
    grant = await _managed_grant(cq, repo, t, callback_data.grant_id)
    field = callback_data.value
    if grant is None:
        return
    if field not in service.FIELDS:
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    await take_buttons_off(cq)
    await state.set_state(GrantEdit.value)
    await state.set_data({"grant_id": grant.id, "field": field})
    if field == "scope":
        regions = await event_admin.managed_regions(repo, cq.from_user.id)
        key = "grants-ask-scope-admin" if regions is None else "grants-ask-scope"
        await bot.send_message(
            cq.from_user.id, t(key), reply_markup=_scope_keyboard(t, regions, GrantEdit, back=False)
        )
        return
    await bot.send_message(
        cq.from_user.id,
        t(f"grants-ask-{field}"),
        reply_markup=nav_keyboard(t, GrantEdit, back=False),
    )


async def _edited(
    bot: Bot, chat_id: int, state: FSMContext, repo: Repo, t: Text, grant: Grant, value: Any
) -> None:
    data = await state.get_data()
    field = data["field"]
    await service.change(repo, grant, field, value, datetime.now(UTC))
    await state.clear()
    await bot.send_message(chat_id, t("grants-changed", name=html.quote(grant.name)))
    user = await repo.users.snapshot(chat_id)
    text, markup = await _card(repo, t, grant, chat_id, user.region_code if user else None)
    await bot.send_message(chat_id, text, reply_markup=markup)


async def _edit_target(
    bot: Bot, chat_id: int, state: FSMContext, repo: Repo, t: Text
) -> tuple[Grant, str] | None:
    data = await state.get_data()
    grant = await repo.grants.get(int(data.get("grant_id", 0)))
    if grant is None:
        await state.clear()
        await bot.send_message(chat_id, t("grants-gone"))
        return None
    regions = await event_admin.managed_regions(repo, chat_id)
    if not service.may_enter(regions, grant.region_code):
        await _refuse(bot, chat_id, state, t, "change")
        return None
    return grant, str(data.get("field"))


async def edit_typed(
    message: Message, bot: Bot, state: FSMContext, repo: Repo, t: Text, user: UserSnapshot | None
) -> None:
    """The new value; wrong input re-asks with a hint."""
    target = await _edit_target(bot, message.chat.id, state, repo, t)
    if target is None:
        return
    grant, field = target
    if field == "scope":
        await _scope_typed(
            message, t, await event_admin.managed_regions(repo, message.chat.id), GrantEdit
        )
        return
    try:
        raw = _parse(field, message.text, _today(user.region_code if user else None))
    except InvalidInput as exc:
        await message.answer(t(exc.key))
        return
    value = date.fromisoformat(raw) if field == "deadline" else raw
    await _edited(bot, message.chat.id, state, repo, t, grant, value)


async def edit_scope_pressed(
    cq: CallbackQuery, callback_data: GrantCb, bot: Bot, state: FSMContext, repo: Repo, t: Text
) -> None:
    """A new scope: one the editor may enter grants for."""
    target = await _edit_target(bot, cq.from_user.id, state, repo, t)
    if target is None:
        return
    grant, field = target
    try:
        code = service.scope_code(callback_data.value)
    except InvalidInput as exc:
        await cq.answer(t(exc.key), show_alert=True)
        return
    regions = await event_admin.managed_regions(repo, cq.from_user.id)
    if field != "scope" or not service.may_enter(regions, code):
        await cq.answer(t("common-not-allowed"), show_alert=True)
        return
    await take_buttons_off(cq)
    await _edited(bot, cq.from_user.id, state, repo, t, grant, code)


async def delete_pressed(cq: CallbackQuery, callback_data: GrantCb, repo: Repo, t: Text) -> None:
    """Delete: asks first, saying how many people lose their reminders."""
    grant = await _managed_grant(cq, repo, t, callback_data.grant_id)
    if grant is None:
        return
    subscribers = len(await repo.grants.subscribers(grant.id))
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [_btn(t("grants-delete-yes"), GrantAction.DELETE_YES, grant_id=grant.id)],
            [_btn(t("grants-delete-no"), GrantAction.OPEN, grant_id=grant.id)],
        ]
    )
    await show(
        cq, t("grants-delete-confirm", name=html.quote(grant.name), subscribers=subscribers), markup
    )


async def delete_confirmed(cq: CallbackQuery, callback_data: GrantCb, repo: Repo, t: Text) -> None:
    """Deleted, with its subscriptions and pending reminders; a second tap finds it gone."""
    grant = await _managed_grant(cq, repo, t, callback_data.grant_id)
    if grant is None:
        return
    name = grant.name
    await service.delete(repo, grant.id)
    await show(
        cq,
        t("grants-deleted", name=html.quote(name)),
        InlineKeyboardMarkup(inline_keyboard=[[_btn(t("grants-back-to-list"), GrantAction.LIST)]]),
    )


# ---- the reminder, rendered when it is sent ---------------------------------------------


async def render_grant(
    repo: Repo, translator: Translator, row: OutboxMessage, person: User, _now: datetime
) -> Rendered | None:
    """A deadline reminder in the recipient's language, as the grant is now; dropped when the
    grant is gone, its deadline moved since, or the person unsubscribed."""
    payload = row.payload
    grant = await repo.grants.get(int(payload["grant_id"]))
    if grant is None or grant.deadline.isoformat() != payload.get("deadline"):
        return None
    if not await repo.grants.subscribed(grant.id, person.id):
        return None
    t = translator.for_locale(person.language)
    text = t(
        payload["key"],
        days=int(payload["days"]),
        name=html.quote(grant.name),
        organiser=html.quote(grant.organiser),
        amount=html.quote(grant.amount),
        deadline=f"{grant.deadline:%d.%m.%Y}",
        link=html.quote(grant.link or "—"),
    )
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [_btn(t("grants-open-button"), GrantAction.OPEN, grant_id=grant.id)],
            [_btn(t("grants-unsubscribe-button"), GrantAction.UNSUB, grant_id=grant.id)],
        ]
    )
    return Rendered(text=text, markup=markup)


def router() -> Router:
    r = Router(name=__name__)
    r.message.register(opened, Command("grants"))
    r.callback_query.register(menu_pressed, MenuCb.filter(F.action == MenuAction.GRANTS))
    r.callback_query.register(form_back, StateFilter(GrantForm), NavCb.filter(F.action == Nav.BACK))
    cb = r.callback_query
    cb.register(
        form_pressed,
        StateFilter(GrantForm),
        GrantCb.filter(F.action.in_({GrantAction.SKIP, GrantAction.SCOPE, GrantAction.SAVE})),
    )
    cb.register(
        edit_scope_pressed, StateFilter(GrantEdit), GrantCb.filter(F.action == GrantAction.SCOPE)
    )
    cb.register(list_pressed, GrantCb.filter(F.action == GrantAction.LIST))
    cb.register(card_opened, GrantCb.filter(F.action == GrantAction.OPEN))
    cb.register(
        subscription_pressed, GrantCb.filter(F.action.in_({GrantAction.SUB, GrantAction.UNSUB}))
    )
    cb.register(ics_pressed, GrantCb.filter(F.action == GrantAction.ICS))
    cb.register(mine_pressed, GrantCb.filter(F.action == GrantAction.MINE))
    cb.register(ics_all_pressed, GrantCb.filter(F.action == GrantAction.ICS_ALL))
    cb.register(add_pressed, GrantCb.filter(F.action == GrantAction.ADD))
    cb.register(edit_pressed, GrantCb.filter(F.action == GrantAction.EDIT))
    cb.register(field_pressed, GrantCb.filter(F.action == GrantAction.FIELD))
    cb.register(delete_pressed, GrantCb.filter(F.action == GrantAction.DELETE))
    cb.register(delete_confirmed, GrantCb.filter(F.action == GrantAction.DELETE_YES))
    # Buttons of a form step pressed outside it (an old message): outdated.
    cb.register(_outdated, GrantCb.filter())
    r.message.register(use_buttons, StateFilter(GrantForm.confirm), F.text)
    r.message.register(form_typed, StateFilter(GrantForm), F.text)
    r.message.register(edit_typed, StateFilter(GrantEdit.value), F.text)
    r.message.register(not_text, StateFilter(GrantForm, GrantEdit))
    return r


async def _outdated(cq: CallbackQuery, t: Text) -> None:
    await cq.answer(t("common-button-outdated"), show_alert=True)
