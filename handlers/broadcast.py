"""/broadcast: an organiser (their regions) or an admin (everyone) sends an announcement.

```mermaid
stateDiagram-v2
    compose --> buttons: one message
    compose --> audience: an album (Next), no buttons
    buttons --> button_event: "Open the event" button
    button_event --> buttons
    buttons --> audience: Next
    audience --> municipality
    audience --> event: participants of an event (then which of them)
    municipality --> audience
    event --> audience
    audience --> preview: the exact copy, sent to the sender
    preview --> schedule: Schedule
    preview --> [*]: Send now (a progress message with Pause / Resume / Stop)
    schedule --> [*]
```
Back goes one step back everywhere, /cancel ends it. Permission is read from the database on
every step: the role gate on the router, and the sender's regions for the audience, for the
events offered, and for every press on a broadcast. `/broadcasts` lists them.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router, html
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.config import Settings
from bot.i18n import Text
from bot.middlewares.gate import RoleGate
from bot.services import broadcasts, event_admin, event_drafts
from bot.services.broadcasts import EVENT_GROUPS, ROLES, Audience
from bot.services.regions import catalog, zone_of
from bot.services.roles import Role
from bot.services.validation import InvalidInput
from bot.ui.broadcasts import controls, progress_text
from bot.ui.callbacks.broadcast import BcAction, BcCb
from bot.ui.keyboards import Nav, NavCb, nav_buttons, nav_keyboard
from bot.ui.pagination import page_count, page_of
from bot.ui.replies import take_buttons_off, use_buttons
from db.models import Broadcast, Event
from db.repositories import Repo, UserSnapshot
from handlers.outbox_messages import broadcast_markup

log = logging.getLogger("bot.security")
ALBUM_MAX = 10  # Telegram's own limit
PICK_PAGE = 8  # municipalities or events a page
EVENTS_SINCE = timedelta(days=30)  # events offered: the last month's and the coming ones
MUNICIPALITIES_KEPT = 300  # the names a picker remembers (the most populous)


class BroadcastForm(StatesGroup):
    compose = State()
    buttons = State()  # optional link buttons and an "open the event" button
    button_event = State()  # which event that button opens
    audience = State()
    municipality = State()  # picking (or typing part of) a municipality
    event = State()  # picking the event whose participants get it, then which of them
    preview = State()  # the copy was shown: Send now or Schedule
    schedule = State()


def _btn(
    text: str, action: BcAction, value: str = "", broadcast_id: int = 0
) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text, callback_data=BcCb(action=action, value=value, broadcast_id=broadcast_id).pack()
    )


def _arrows(page: int, pages: int, action: BcAction) -> list[InlineKeyboardButton]:
    arrows = []
    if page > 0:
        arrows.append(_btn("◀", action, str(page - 1)))
    if page < pages - 1:
        arrows.append(_btn("▶", action, str(page + 1)))
    return arrows


async def _scope(repo: Repo, user_id: int) -> set[str] | None:
    return await event_admin.managed_regions(repo, user_id)


async def _show(bot: Bot, chat_id: int, text: str, markup: Any, cq: CallbackQuery | None) -> None:
    """Redraw the pressed message in place, or send the screen anew."""
    if cq is not None and isinstance(cq.message, Message):
        await cq.message.edit_text(text, reply_markup=markup)
        return
    await bot.send_message(chat_id, text, reply_markup=markup)


# ---- compose -----------------------------------------------------------------------------


async def opened(message: Message, state: FSMContext, t: Text) -> None:
    """/broadcast: send the message to announce."""
    await state.set_state(BroadcastForm.compose)
    await state.set_data({"filters": Audience().to_json(), "buttons": []})
    await message.answer(
        t("bc-ask-message"), reply_markup=nav_keyboard(t, BroadcastForm, back=False)
    )


async def composed(message: Message, bot: Bot, state: FSMContext, t: Text) -> None:
    """The message to copy (text, photo, video, document...): on to the buttons. The items of
    an album arrive one by one: they are gathered until the sender presses Next."""
    group = message.media_group_id
    if group is not None:
        data = await state.get_data()
        if data.get("album") == group:
            ids = data["message_ids"]
            if len(ids) < ALBUM_MAX:  # copied in order: copyMessages wants ids ascending
                await state.update_data(message_ids=sorted({*ids, message.message_id}))
            return
        await state.update_data(
            album=group, from_chat_id=message.chat.id, message_ids=[message.message_id]
        )
        await message.answer(
            t("bc-album-received"),
            reply_markup=InlineKeyboardMarkup(
                inline_keyboard=[
                    [_btn(t("bc-next-button"), BcAction.ALBUM_DONE)],
                    nav_buttons(t, BroadcastForm, back=False),
                ]
            ),
        )
        return
    await state.update_data(
        album=None, from_chat_id=message.chat.id, message_ids=[message.message_id], buttons=[]
    )
    await state.set_state(BroadcastForm.buttons)
    await _buttons_screen(bot, message.chat.id, state, t)


async def album_done(cq: CallbackQuery, bot: Bot, state: FSMContext, repo: Repo, t: Text) -> None:
    """Next after an album: albums carry no buttons (Telegram's rule), so on to the audience."""
    data = await state.get_data()
    if not data.get("album"):
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    await take_buttons_off(cq)
    await state.update_data(buttons=[])
    await state.set_state(BroadcastForm.audience)
    await cq.answer(t("bc-album-count", count=len(data["message_ids"])))
    await _audience_screen(bot, cq.from_user.id, state, repo, t)


# ---- buttons -----------------------------------------------------------------------------


def _buttons_list(t: Text, rows: broadcasts.Buttons) -> str:
    lines = []
    for row in rows:
        for b in row:
            if "url" in b:
                lines.append(f"• {html.quote(b['text'])} → {html.quote(b['url'])}")
            else:
                lines.append(f"• {t('bc-event-button')}")
    return "\n".join(lines) or t("bc-buttons-none")


async def _buttons_screen(
    bot: Bot, chat_id: int, state: FSMContext, t: Text, cq: CallbackQuery | None = None
) -> None:
    rows: broadcasts.Buttons = (await state.get_data()).get("buttons") or []
    builder = InlineKeyboardBuilder()
    builder.row(_btn(t("bc-event-button-add"), BcAction.EVENT_BUTTON))
    if rows:
        builder.row(_btn(t("bc-buttons-clear"), BcAction.CLEAR_BUTTONS))
    builder.row(_btn(t("bc-next-button"), BcAction.NEXT))
    builder.row(*nav_buttons(t, BroadcastForm))
    text = t("bc-buttons-ask", buttons=_buttons_list(t, rows), max=broadcasts.MAX_LINK_BUTTONS)
    await _show(bot, chat_id, text, builder.as_markup(), cq)


async def buttons_typed(message: Message, bot: Bot, state: FSMContext, t: Text) -> None:
    """Lines `Text - https://...`: link buttons under the message."""
    data = await state.get_data()
    try:
        rows = broadcasts.link_buttons(message.text, data.get("buttons") or [])
    except InvalidInput as exc:
        await message.answer(t(exc.key, max=broadcasts.MAX_LINK_BUTTONS))
        return
    await state.update_data(buttons=rows)
    await _buttons_screen(bot, message.chat.id, state, t)


async def buttons_not_text(message: Message, t: Text) -> None:
    """A sticker or photo where links (or a button press) are expected."""
    await message.answer(t("bc-buttons-expected"))


async def buttons_pressed(
    cq: CallbackQuery, callback_data: BcCb, bot: Bot, state: FSMContext, repo: Repo, t: Text
) -> None:
    """Add the event's button, remove the buttons, or go on to the audience."""
    if callback_data.action is BcAction.EVENT_BUTTON:
        if await _events_screen(bot, cq, repo, t, 0, published_only=True):
            await state.set_state(BroadcastForm.button_event)
        return
    if callback_data.action is BcAction.CLEAR_BUTTONS:
        await state.update_data(buttons=[])
        await _buttons_screen(bot, cq.from_user.id, state, t, cq)
        return
    await state.set_state(BroadcastForm.audience)
    await _audience_screen(bot, cq.from_user.id, state, repo, t, cq)


# ---- events (for the button, or for the audience) -----------------------------------------


async def _events_screen(
    bot: Bot, cq: CallbackQuery, repo: Repo, t: Text, page: int, *, published_only: bool
) -> bool:
    """The sender's events of the last month and the coming ones; False (and an alert) when
    there are none."""
    regions = await _scope(repo, cq.from_user.id)
    since = datetime.now(UTC) - EVENTS_SINCE
    statuses = ("published",) if published_only else ("published", "cancelled")
    events, total = await repo.events.managed(
        regions, since, page * PICK_PAGE, PICK_PAGE, statuses=statuses
    )
    if total == 0:
        await cq.answer(t("bc-no-events"), show_alert=True)
        return False
    pages = page_count(total, PICK_PAGE)
    builder = InlineKeyboardBuilder()
    for event in events:
        local = event.starts_at.astimezone(ZoneInfo(event.tz))
        builder.row(_btn(f"{local:%d.%m} {event.title}"[:64], BcAction.EVENT_PICK, str(event.id)))
    if arrows := _arrows(page, pages, BcAction.EVENTS):
        builder.row(*arrows)
    builder.row(*nav_buttons(t, BroadcastForm))
    text = t("bc-choose-event", page=min(page, pages - 1) + 1, pages=pages)
    await _show(bot, cq.from_user.id, text, builder.as_markup(), cq)
    return True


async def events_paged(
    cq: CallbackQuery, callback_data: BcCb, bot: Bot, state: FSMContext, repo: Repo, t: Text
) -> None:
    """◀ ▶ in the events picker (and the audience's "participants of an event")."""
    if await state.get_state() == BroadcastForm.audience.state:
        if await _events_screen(bot, cq, repo, t, 0, published_only=False):
            await state.set_state(BroadcastForm.event)
        return
    page = int(callback_data.value) if callback_data.value.isdigit() else 0
    published_only = await state.get_state() == BroadcastForm.button_event.state
    await _events_screen(bot, cq, repo, t, page, published_only=published_only)


async def _chosen_event(cq: CallbackQuery, repo: Repo, t: Text, value: str) -> Event | None:
    """The picked event if the presser may manage it (a forged id is refused and logged)."""
    event = await repo.events.get(int(value)) if value.isdigit() else None
    if event is None or event.status == "draft":
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return None
    if not await event_admin.can_manage(repo, cq.from_user.id, event):
        log.warning("refused a broadcast event by user %s", cq.from_user.id)
        await cq.answer(t("common-not-allowed"), show_alert=True)
        return None
    return event


async def button_event_picked(
    cq: CallbackQuery, callback_data: BcCb, bot: Bot, state: FSMContext, repo: Repo, t: Text
) -> None:
    """The event the button opens (a published one of the sender's)."""
    event = await _chosen_event(cq, repo, t, callback_data.value)
    if event is None:
        return
    if event.status != "published":
        await cq.answer(t("bc-event-not-published"), show_alert=True)
        return
    data = await state.get_data()
    await state.update_data(buttons=broadcasts.with_event_button(data["buttons"], event.id))
    await state.set_state(BroadcastForm.buttons)
    await _buttons_screen(bot, cq.from_user.id, state, t, cq)


async def filter_event_picked(
    cq: CallbackQuery, callback_data: BcCb, state: FSMContext, repo: Repo, t: Text
) -> None:
    """The event whose participants get the broadcast: which of them?"""
    event = await _chosen_event(cq, repo, t, callback_data.value)
    if event is None:
        return
    await state.update_data(picked_event=event.id)
    rows = [[_btn(t("bc-group-all"), BcAction.GROUP, "")]]
    rows += [[_btn(t(f"bc-group-{group}"), BcAction.GROUP, group)] for group in EVENT_GROUPS]
    rows.append(nav_buttons(t, BroadcastForm))
    if isinstance(cq.message, Message):
        await cq.message.edit_text(
            t("bc-choose-group", title=html.quote(event.title)),
            reply_markup=InlineKeyboardMarkup(inline_keyboard=rows),
        )


async def group_picked(
    cq: CallbackQuery, callback_data: BcCb, bot: Bot, state: FSMContext, repo: Repo, t: Text
) -> None:
    """Signed up, attended, waitlisted or all of them; back to the audience with the count."""
    data = await state.get_data()
    group = callback_data.value
    if "picked_event" not in data or (group and group not in EVENT_GROUPS):
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    event = await _chosen_event(cq, repo, t, str(data["picked_event"]))  # still theirs?
    if event is None:
        return
    filters = {**data["filters"], "event_id": event.id, "event_group": group}
    await state.update_data(filters=filters, event_title=event.title)
    await state.set_state(BroadcastForm.audience)
    await _audience_screen(bot, cq.from_user.id, state, repo, t, cq)


# ---- municipality ------------------------------------------------------------------------


async def _municipality_screen(
    bot: Bot, chat_id: int, state: FSMContext, t: Text, page: int, cq: CallbackQuery | None
) -> None:
    names: list[list[Any]] = (await state.get_data()).get("municipalities") or []
    shown = page_of(names, page, PICK_PAGE)
    builder = InlineKeyboardBuilder()
    builder.row(_btn(t("bc-municipality-any"), BcAction.MUNICIPALITY_PICK, ""))
    first = shown.number * PICK_PAGE
    for n, (name, count) in enumerate(shown.items, start=first):
        builder.row(_btn(f"{name} ({count})"[:64], BcAction.MUNICIPALITY_PICK, str(n)))
    if arrows := _arrows(shown.number, shown.count, BcAction.MUNICIPALITY):
        builder.row(*arrows)
    builder.row(*nav_buttons(t, BroadcastForm))
    text = t("bc-choose-municipality", page=shown.number + 1, pages=shown.count)
    await _show(bot, chat_id, text, builder.as_markup(), cq)


async def _municipalities(repo: Repo, user_id: int, state: FSMContext) -> list[tuple[str, int]]:
    data = await state.get_data()
    found = await broadcasts.municipalities(
        repo, await _scope(repo, user_id), Audience.from_json(data["filters"])
    )
    return found[:MUNICIPALITIES_KEPT]


async def municipality_opened(
    cq: CallbackQuery, callback_data: BcCb, bot: Bot, state: FSMContext, repo: Repo, t: Text
) -> None:
    """The audience's municipalities, the most populous first (typing narrows them); ◀ ▶."""
    if await state.get_state() == BroadcastForm.audience.state:
        await state.update_data(municipalities=await _municipalities(repo, cq.from_user.id, state))
        await state.set_state(BroadcastForm.municipality)
    page = int(callback_data.value) if callback_data.value.isdigit() else 0
    await _municipality_screen(bot, cq.from_user.id, state, t, page, cq)


async def municipality_typed(
    message: Message, bot: Bot, state: FSMContext, repo: Repo, t: Text
) -> None:
    """Part of a municipality's name: the picker shows only those that contain it."""
    part = (message.text or "").casefold().strip()
    found = await _municipalities(repo, message.chat.id, state)
    narrowed = [(name, n) for name, n in found if part in name.casefold()]
    if not narrowed:
        await message.answer(t("bc-municipality-none-found"))
        return
    await state.update_data(municipalities=narrowed)
    await _municipality_screen(bot, message.chat.id, state, t, 0, None)


async def municipality_picked(
    cq: CallbackQuery, callback_data: BcCb, bot: Bot, state: FSMContext, repo: Repo, t: Text
) -> None:
    """A municipality (or any): back to the audience with the count."""
    data = await state.get_data()
    names = data.get("municipalities") or []
    value = callback_data.value
    if value and not (value.isdigit() and int(value) < len(names)):
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    filters = {**data["filters"], "municipality": names[int(value)][0] if value else ""}
    await state.update_data(filters=filters, municipalities=None)
    await state.set_state(BroadcastForm.audience)
    await _audience_screen(bot, cq.from_user.id, state, repo, t, cq)


# ---- audience ----------------------------------------------------------------------------


async def _audience_screen(
    bot: Bot, chat_id: int, state: FSMContext, repo: Repo, t: Text, cq: CallbackQuery | None = None
) -> None:
    data = await state.get_data()
    audience = Audience.from_json(data["filters"])
    scope = await _scope(repo, chat_id)
    total = await broadcasts.count(repo, scope, audience)
    builder = InlineKeyboardBuilder()
    for role in ROLES:
        mark = "✅ " if role in audience.roles else ""
        builder.button(
            text=f"{mark}{t(f'bc-role-{role}')}",
            callback_data=BcCb(action=BcAction.ROLE, value=role).pack(),
        )
    builder.adjust(2)
    languages = [("", t("bc-language-all")), ("ru", "RU"), ("en", "EN")]
    builder.row(
        *[
            _btn(("✅ " if audience.language == code else "") + label, BcAction.LANGUAGE, code)
            for code, label in languages
        ]
    )
    for code in sorted(scope or ()):
        region = catalog().get(code)
        if region is not None and len(scope or ()) > 1:
            mark = "✅ " if code in audience.regions else ""
            builder.row(_btn(mark + region.name(t.locale), BcAction.REGION, code))
    place = audience.municipality or t("bc-municipality-any")
    builder.row(_btn(t("bc-municipality-button", name=place)[:64], BcAction.MUNICIPALITY))
    if audience.event_id is None:
        builder.row(_btn(t("bc-event-filter-button"), BcAction.EVENTS))
    else:
        group = t(f"bc-group-{audience.event_group}" if audience.event_group else "bc-group-all")
        label = t("bc-event-filter-set", title=data.get("event_title", ""), group=group)
        builder.row(_btn(label[:64], BcAction.GROUP, "x"))
    builder.row(_btn(t("bc-preview-button", count=total), BcAction.PREVIEW))
    builder.row(*nav_buttons(t, BroadcastForm))
    await _show(bot, chat_id, t("bc-audience", count=total), builder.as_markup(), cq)


async def audience_pressed(
    cq: CallbackQuery, callback_data: BcCb, bot: Bot, state: FSMContext, repo: Repo, t: Text
) -> None:
    """A filter switched: the count follows; Preview sends the exact copy to the sender."""
    data = await state.get_data()
    filters = Audience.from_json(data["filters"]).to_json()
    before = dict(filters)
    value = callback_data.value
    if callback_data.action is BcAction.ROLE and value in ROLES:
        roles = set(filters["roles"]) ^ {value}
        filters["roles"] = [r for r in ROLES if r in roles]
    elif callback_data.action is BcAction.LANGUAGE and value in ("", "ru", "en"):
        filters["language"] = value
    elif callback_data.action is BcAction.REGION:
        scope = await _scope(repo, cq.from_user.id)
        if scope is not None and value not in scope:
            log.warning("refused a broadcast region by user %s", cq.from_user.id)
            await cq.answer(t("common-not-allowed"), show_alert=True)
            return
        regions = set(filters["regions"]) ^ {value}
        filters["regions"] = sorted(regions)
    elif callback_data.action is BcAction.GROUP and value == "x":  # the event filter off
        filters["event_id"], filters["event_group"] = None, ""
    elif callback_data.action is BcAction.PREVIEW:
        await _preview(cq, bot, state, repo, t)
        return
    else:
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    if filters == before:
        return  # the filter was already so (a double click): nothing to redraw
    await state.update_data(filters=filters)
    await _audience_screen(bot, cq.from_user.id, state, repo, t, cq)


# ---- preview and sending -----------------------------------------------------------------


async def _copy_to(bot: Bot, chat_id: int, data: dict[str, Any], t: Text) -> None:
    """The message as recipients will get it (an album as an album, without buttons)."""
    ids = data["message_ids"]
    if len(ids) > 1:
        await bot.copy_messages(chat_id, data["from_chat_id"], ids)
        return
    markup = broadcast_markup(t, data.get("buttons"))
    await bot.copy_message(chat_id, data["from_chat_id"], ids[0], reply_markup=markup)


async def _preview(cq: CallbackQuery, bot: Bot, state: FSMContext, repo: Repo, t: Text) -> None:
    data = await state.get_data()
    total = await broadcasts.count(
        repo, await _scope(repo, cq.from_user.id), Audience.from_json(data["filters"])
    )
    if total == 0:
        await cq.answer(t("bc-nobody"), show_alert=True)
        return
    await take_buttons_off(cq)
    try:
        await _copy_to(bot, cq.from_user.id, data, t)
    except TelegramBadRequest:  # a message Telegram will not copy (a quiz, an invoice...)
        await state.set_state(BroadcastForm.compose)
        await bot.send_message(
            cq.from_user.id,
            t("bc-copy-failed"),
            reply_markup=nav_keyboard(t, BroadcastForm, back=False),
        )
        return
    await state.set_state(BroadcastForm.preview)
    await bot.send_message(
        cq.from_user.id,
        t("bc-preview", count=total),
        reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[
                [_btn(t("bc-send-button", count=total), BcAction.SEND)],
                [_btn(t("bc-schedule-button"), BcAction.SCHEDULE)],
                nav_buttons(t, BroadcastForm),
            ]
        ),
    )


async def _start(
    bot: Bot,
    chat_id: int,
    state: FSMContext,
    repo: Repo,
    t: Text,
    settings: Settings,
    when: datetime | None,
) -> None:
    data = await state.get_data()
    now = datetime.now(UTC)
    broadcast = Broadcast(
        organiser_id=chat_id,
        from_chat_id=data["from_chat_id"],
        message_ids=data["message_ids"],
        buttons=data.get("buttons") or None,
        filters=data["filters"],
        status="draft",
        scheduled_at=when,
        total=0,
        created_at=now,
    )
    repo.session.add(broadcast)
    await repo.session.flush()
    await state.clear()
    scope = await _scope(repo, chat_id)
    total = await broadcasts.queue(repo, broadcast, scope, now, paid=settings.broadcast_paid)
    if when is not None:
        zone = _zone(await repo.users.snapshot(chat_id))
        await bot.send_message(
            chat_id,
            t("bc-scheduled", count=total, when=f"{when.astimezone(zone):%d.%m.%Y %H:%M}"),
            reply_markup=controls(t, broadcast),
        )
        return
    progress = await bot.send_message(
        chat_id,
        progress_text(t, broadcast, {"pending": total}, now),
        reply_markup=controls(t, broadcast),
    )
    broadcast.progress_message_id = progress.message_id


def _zone(person: UserSnapshot | None) -> ZoneInfo:
    return ZoneInfo(zone_of(person.region_code, person.tz) if person else zone_of(None))


async def send_pressed(
    cq: CallbackQuery,
    callback_data: BcCb,
    bot: Bot,
    state: FSMContext,
    repo: Repo,
    t: Text,
    settings: Settings,
) -> None:
    """Send now, or Schedule (then the date and time are typed)."""
    data = await state.get_data()
    if "message_ids" not in data:
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    await take_buttons_off(cq)
    if callback_data.action is BcAction.SCHEDULE:
        await state.set_state(BroadcastForm.schedule)
        await bot.send_message(
            cq.from_user.id, t("bc-ask-when"), reply_markup=nav_keyboard(t, BroadcastForm)
        )
        return
    await _start(bot, cq.from_user.id, state, repo, t, settings, None)


async def when_typed(
    message: Message, bot: Bot, state: FSMContext, repo: Repo, t: Text, settings: Settings
) -> None:
    """The time to send, in the sender's zone."""
    zone = _zone(await repo.users.snapshot(message.chat.id))
    try:
        when = event_drafts.when(message.text, str(zone), datetime.now(UTC))
    except InvalidInput as exc:
        await message.answer(t(exc.key))
        return
    await _start(bot, message.chat.id, state, repo, t, settings, when)


async def when_not_text(message: Message, t: Text) -> None:
    """A sticker or photo where the date and time are expected."""
    await message.answer(t("bc-when-expected"))


async def went_back(cq: CallbackQuery, bot: Bot, state: FSMContext, repo: Repo, t: Text) -> None:
    """Back: one step back in the dialog, with what was chosen kept."""
    current = await state.get_state()
    data = await state.get_data()
    chat = cq.from_user.id
    if current == BroadcastForm.buttons.state or (
        current == BroadcastForm.audience.state and data.get("album")
    ):
        await take_buttons_off(cq)
        await state.set_state(BroadcastForm.compose)
        await state.update_data(album=None)
        await bot.send_message(
            chat, t("bc-ask-message"), reply_markup=nav_keyboard(t, BroadcastForm, back=False)
        )
    elif current in (BroadcastForm.button_event.state, BroadcastForm.audience.state):
        await state.set_state(BroadcastForm.buttons)
        await _buttons_screen(bot, chat, state, t, cq)
    elif current in (BroadcastForm.municipality.state, BroadcastForm.event.state):
        await state.set_state(BroadcastForm.audience)
        await _audience_screen(bot, chat, state, repo, t, cq)
    elif current in (BroadcastForm.preview.state, BroadcastForm.schedule.state):
        await take_buttons_off(cq)
        await state.set_state(BroadcastForm.audience)
        await _audience_screen(bot, chat, state, repo, t)
    else:
        await cq.answer(t("common-button-outdated"), show_alert=True)


# ---- progress, controls, the list --------------------------------------------------------


async def control_pressed(cq: CallbackQuery, callback_data: BcCb, repo: Repo, t: Text) -> None:
    """Pause, Resume, Stop: only the broadcast's sender or an admin, read from the database."""
    broadcast = await repo.session.get(Broadcast, callback_data.broadcast_id)
    roles = await repo.roles.of(cq.from_user.id)
    if broadcast is None or (
        broadcast.organiser_id != cq.from_user.id and Role.ADMIN.value not in roles
    ):
        log.warning("refused a broadcast control by user %s", cq.from_user.id)
        await cq.answer(t("common-not-allowed"), show_alert=True)
        return
    now = datetime.now(UTC)
    action = callback_data.action
    if action is BcAction.PAUSE and broadcast.status == "sending":
        await broadcasts.pause(repo, broadcast)
    elif action is BcAction.RESUME and broadcast.status == "paused":
        await broadcasts.resume(repo, broadcast, now)
    elif action is BcAction.STOP and broadcast.status in ("sending", "paused", "scheduled"):
        await broadcasts.stop(repo, broadcast, now)
    else:
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    await cq.answer(t(f"bc-status-{broadcast.status}"))
    counts = await broadcasts.report(repo, broadcast.id)
    if isinstance(cq.message, Message):
        await cq.message.edit_text(
            progress_text(t, broadcast, counts, now), reply_markup=controls(t, broadcast)
        )


async def listed(message: Message, repo: Repo, t: Text) -> None:
    """/broadcasts: the last ones with their reports (admins see everyone's)."""
    roles = await repo.roles.of(message.chat.id)
    mine = None if Role.ADMIN.value in roles else message.chat.id
    zone = _zone(await repo.users.snapshot(message.chat.id))
    lines = []
    for broadcast in await repo.broadcasts.latest(mine, 10):
        counts = await broadcasts.report(repo, broadcast.id)
        lines.append(
            t(
                "bc-list-line",
                id=broadcast.id,
                when=f"{_moment(broadcast).astimezone(zone):%d.%m.%Y %H:%M}",
                status=t(f"bc-status-{broadcast.status}"),
                total=broadcast.total,
                sent=counts.get("sent", 0),
                blocked=counts.get("blocked", 0),
                failed=counts.get("failed", 0),
            )
        )
    await message.answer(t("bc-list", lines="\n".join(lines)) if lines else t("bc-list-empty"))


def _moment(broadcast: Broadcast) -> datetime:
    return broadcast.started_at or broadcast.scheduled_at or broadcast.created_at


def router() -> Router:
    r = Router(name=__name__)
    gate = RoleGate(Role.ORGANISER, Role.ADMIN)
    r.message.middleware(gate)
    r.callback_query.middleware(gate)
    r.message.register(opened, Command("broadcast"))
    r.message.register(listed, Command("broadcasts"))
    cb = r.callback_query
    cb.register(
        control_pressed,
        BcCb.filter(F.action.in_({BcAction.PAUSE, BcAction.RESUME, BcAction.STOP})),
    )
    cb.register(went_back, StateFilter(BroadcastForm), NavCb.filter(F.action == Nav.BACK))
    cb.register(
        album_done, StateFilter(BroadcastForm.compose), BcCb.filter(F.action == BcAction.ALBUM_DONE)
    )
    cb.register(
        buttons_pressed,
        StateFilter(BroadcastForm.buttons),
        BcCb.filter(F.action.in_({BcAction.EVENT_BUTTON, BcAction.CLEAR_BUTTONS, BcAction.NEXT})),
    )
    cb.register(
        events_paged,
        StateFilter(BroadcastForm.audience, BroadcastForm.button_event, BroadcastForm.event),
        BcCb.filter(F.action == BcAction.EVENTS),
    )
    cb.register(
        button_event_picked,
        StateFilter(BroadcastForm.button_event),
        BcCb.filter(F.action == BcAction.EVENT_PICK),
    )
    cb.register(
        filter_event_picked,
        StateFilter(BroadcastForm.event),
        BcCb.filter(F.action == BcAction.EVENT_PICK),
    )
    cb.register(
        group_picked, StateFilter(BroadcastForm.event), BcCb.filter(F.action == BcAction.GROUP)
    )
    cb.register(
        municipality_opened,
        StateFilter(BroadcastForm.audience, BroadcastForm.municipality),
        BcCb.filter(F.action == BcAction.MUNICIPALITY),
    )
    cb.register(
        municipality_picked,
        StateFilter(BroadcastForm.municipality),
        BcCb.filter(F.action == BcAction.MUNICIPALITY_PICK),
    )
    cb.register(
        send_pressed,
        StateFilter(BroadcastForm.preview),
        BcCb.filter(F.action.in_({BcAction.SEND, BcAction.SCHEDULE})),
    )
    cb.register(audience_pressed, StateFilter(BroadcastForm.audience), BcCb.filter())
    # A command typed while composing is a command, not the announcement.
    r.message.register(composed, StateFilter(BroadcastForm.compose), ~F.text.startswith("/"))
    r.message.register(buttons_typed, StateFilter(BroadcastForm.buttons), F.text)
    r.message.register(buttons_not_text, StateFilter(BroadcastForm.buttons))
    r.message.register(municipality_typed, StateFilter(BroadcastForm.municipality), F.text)
    r.message.register(when_typed, StateFilter(BroadcastForm.schedule), F.text)
    r.message.register(when_not_text, StateFilter(BroadcastForm.schedule))
    r.message.register(
        use_buttons,
        StateFilter(
            BroadcastForm.audience,
            BroadcastForm.button_event,
            BroadcastForm.event,
            BroadcastForm.municipality,
            BroadcastForm.preview,
        ),
    )
    return r
