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

The steps in order (compose, buttons, audience, preview, schedule) are declared once, in
STEPS; bot/ui/wizard.py moves between them. The buttons and the audience are menus, redrawn
in place, each with its pickers (the event a button opens; a municipality; an event's
participants), which are this dialog's own screens.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypedDict, cast
from zoneinfo import ZoneInfo

from aiogram import F, Router, html
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.middlewares.gate import RoleGate
from bot.services import broadcasts, event_admin, event_drafts
from bot.services.broadcasts import EVENT_GROUPS, ROLES, Audience
from bot.services.regions import catalog, zone_of
from bot.services.roles import Role
from bot.services.validation import InvalidInput
from bot.ui.broadcasts import controls, progress_text
from bot.ui.callbacks.broadcast import BcAction, BcCb
from bot.ui.context import Ctx
from bot.ui.keyboards import Nav, NavCb, arrows, button, nav_buttons, nav_keyboard
from bot.ui.outbox.common import broadcast_markup
from bot.ui.pagination import page_count, page_of
from bot.ui.replies import use_buttons
from bot.ui.wizard import Screen, Step, Wizard
from db.models import Broadcast, Event
from db.repositories import UserSnapshot

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


class Answers(TypedDict, total=False):
    """The FSM data of BroadcastForm."""

    from_chat_id: int
    message_ids: list[int]  # the message (or an album's items) to copy
    album: str | None  # the album's media_group_id while its items arrive
    buttons: broadcasts.Buttons
    filters: dict[str, Any]  # Audience.to_json()
    event_title: str  # the event whose participants get it
    picked_event: int  # the event picked, before which of its people
    # The picker's names and people, the most populous first (JSON: the pairs come back as lists).
    municipalities: list[tuple[str, int]] | None
    when: str  # ISO: the time it is scheduled for


def _btn(text: str, action: BcAction, value: str = "") -> InlineKeyboardButton:
    return button(text, BcCb(action=action, value=value))


def _pager(page: int, pages: int, action: BcAction) -> list[InlineKeyboardButton]:
    return arrows(page, pages, lambda n: BcCb(action=action, value=str(n)))


async def _scope(ctx: Ctx) -> set[str] | None:
    return await event_admin.managed_regions(ctx.repo, ctx.chat_id)


async def _count(ctx: Ctx, answers: Answers) -> int:
    return await broadcasts.count(
        ctx.repo, await _scope(ctx), Audience.from_json(answers["filters"])
    )


def _zone(person: UserSnapshot | None) -> ZoneInfo:
    return ZoneInfo(zone_of(person.region_code, person.tz) if person else zone_of(None))


# ---- the steps ---------------------------------------------------------------------------


def _compose(ctx: Ctx, _: Answers) -> Screen:
    return Screen(ctx.t("bc-ask-message"), nav_keyboard(ctx.t, BroadcastForm, back=False))


def _buttons_list(ctx: Ctx, rows: broadcasts.Buttons) -> str:
    lines = []
    for row in rows:
        for b in row:
            if "url" in b:
                lines.append(f"• {html.quote(b['text'])} → {html.quote(b['url'])}")
            else:
                lines.append(f"• {ctx.t('bc-event-button')}")
    return "\n".join(lines) or ctx.t("bc-buttons-none")


def _buttons(ctx: Ctx, answers: Answers) -> Screen:
    t = ctx.t
    rows: broadcasts.Buttons = answers.get("buttons") or []
    builder = InlineKeyboardBuilder()
    builder.row(_btn(t("bc-event-button-add"), BcAction.EVENT_BUTTON))
    if rows:
        builder.row(_btn(t("bc-buttons-clear"), BcAction.CLEAR_BUTTONS))
    builder.row(_btn(t("bc-next-button"), BcAction.NEXT))
    builder.row(*nav_buttons(t, BroadcastForm))
    text = t("bc-buttons-ask", buttons=_buttons_list(ctx, rows), max=broadcasts.MAX_LINK_BUTTONS)
    return Screen(text, builder.as_markup())


async def _audience(ctx: Ctx, answers: Answers) -> Screen:
    t = ctx.t
    audience = Audience.from_json(answers["filters"])
    scope = await _scope(ctx)
    total = await broadcasts.count(ctx.repo, scope, audience)
    builder = InlineKeyboardBuilder()
    for role in ROLES:
        mark = "✅ " if role in audience.roles else ""
        builder.add(_btn(f"{mark}{t(f'bc-role-{role}')}", BcAction.ROLE, role))
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
        label = t("bc-event-filter-set", title=answers.get("event_title", ""), group=group)
        builder.row(_btn(label[:64], BcAction.GROUP, "x"))
    builder.row(_btn(t("bc-preview-button", count=total), BcAction.PREVIEW))
    builder.row(*nav_buttons(t, BroadcastForm))
    return Screen(t("bc-audience", count=total), builder.as_markup())


async def _preview(ctx: Ctx, answers: Answers) -> Screen:
    """Under the copy: Send now or Schedule."""
    t, total = ctx.t, await _count(ctx, answers)
    rows = [
        [_btn(t("bc-send-button", count=total), BcAction.SEND)],
        [_btn(t("bc-schedule-button"), BcAction.SCHEDULE)],
        nav_buttons(t, BroadcastForm),
    ]
    return Screen(t("bc-preview", count=total), InlineKeyboardMarkup(inline_keyboard=rows))


def _when(raw: str, ctx: Ctx, _: Answers) -> Answers:
    """The time to send, in the sender's zone (kept as text: the FSM data is JSON)."""
    when = event_drafts.when(raw, str(_zone(ctx.user)), datetime.now(UTC))
    return {"when": when.isoformat()}


STEPS: list[Step[Answers]] = [
    # The message is the dialog's own handler (an album comes in several messages).
    Step(BroadcastForm.compose, _compose),
    # Typed links are the dialog's own handler too: they stay on this step.
    Step(BroadcastForm.buttons, _buttons, applies=lambda answers: not answers.get("album")),
    Step(BroadcastForm.audience, _audience),
    Step(BroadcastForm.preview, _preview),
    Step(
        BroadcastForm.schedule,
        lambda ctx, _: Screen(ctx.t("bc-ask-when"), nav_keyboard(ctx.t, BroadcastForm)),
        parse=_when,
        retry=lambda ctx, answers: None,  # the hint alone, as the question above has Back
    ),
]
# A picker's Back returns to the menu it was opened from, in place.
PICKED_FROM = {
    BroadcastForm.button_event.state: BroadcastForm.buttons,
    BroadcastForm.municipality.state: BroadcastForm.audience,
    BroadcastForm.event.state: BroadcastForm.audience,
}


class BroadcastWizard(Wizard[Answers]):
    async def show(self, ctx: Ctx, state: State) -> None:
        """Put the sender on a menu step (buttons, audience), drawn over the pressed screen."""
        step = self[state]
        await ctx.state.set_state(state)
        screen = step.prompt(ctx, await self.load(ctx) or {})
        if not isinstance(screen, Screen):
            screen = await screen
        assert screen.markup is None or isinstance(screen.markup, InlineKeyboardMarkup)
        await ctx.show(screen.text, screen.markup)

    def before(self, step: Step[Answers], answers: Answers) -> Step[Answers] | None:
        if step.state == BroadcastForm.schedule:  # the preview was the copy: to the audience
            return self[BroadcastForm.audience]
        return super().before(step, answers)

    async def finish(self, ctx: Ctx, answers: Answers) -> None:
        """The time was typed: the broadcast is scheduled."""
        await _start(ctx, answers, datetime.fromisoformat(answers["when"]))

    async def went_back(self, cq: CallbackQuery, ctx: Ctx) -> None:
        """Back: one step back, with what was chosen kept; between the menus and their
        pickers in place, elsewhere as a new message under the used one."""
        raw = await ctx.state.get_state()
        step = self.step(raw)
        answers = await self.load(ctx) or {}
        if raw in PICKED_FROM:
            await self.show(ctx, PICKED_FROM[raw])
        elif step is None or step.state == BroadcastForm.compose:
            await ctx.outdated()
        elif step.state == BroadcastForm.audience and not answers.get("album"):
            await self.show(ctx, BroadcastForm.buttons)
        else:
            earlier = self.before(step, answers)
            assert earlier is not None  # compose, the first step, has no Back
            await ctx.drop_buttons()
            if earlier.state == BroadcastForm.compose:
                answers = await self.update(ctx, {"album": None})  # an album's Next is over
            await self.ask(ctx, earlier, answers)


wizard = BroadcastWizard(BroadcastForm, STEPS)


# ---- compose -----------------------------------------------------------------------------


async def opened(message: Message, ctx: Ctx) -> None:
    """/broadcast: send the message to announce."""
    answers: Answers = {"filters": Audience().to_json(), "buttons": []}
    await ctx.state.set_data(cast(dict[str, Any], answers))
    await wizard.ask(ctx, BroadcastForm.compose, answers)


async def composed(message: Message, ctx: Ctx) -> None:
    """The message to copy (text, photo, video, document...): on to the buttons. The items of
    an album arrive one by one: they are gathered until the sender presses Next."""
    group = message.media_group_id
    if group is None:
        answers: Answers = {"album": None, "from_chat_id": message.chat.id, "buttons": []}
        answers["message_ids"] = [message.message_id]
        await wizard.advance(ctx, wizard[BroadcastForm.compose], answers)
        return
    data = await wizard.data(ctx)
    if data.get("album") == group:
        ids = data["message_ids"]
        if len(ids) < ALBUM_MAX:  # copied in order: copyMessages wants ids ascending
            await wizard.update(ctx, {"message_ids": sorted({*ids, message.message_id})})
        return
    await wizard.update(
        ctx, {"album": group, "from_chat_id": message.chat.id, "message_ids": [message.message_id]}
    )
    rows = [[_btn(ctx.t("bc-next-button"), BcAction.ALBUM_DONE)]]
    rows.append(nav_buttons(ctx.t, BroadcastForm, back=False))
    await ctx.send(ctx.t("bc-album-received"), InlineKeyboardMarkup(inline_keyboard=rows))


async def album_done(cq: CallbackQuery, ctx: Ctx) -> None:
    """Next after an album: albums carry no buttons (Telegram's rule), so on to the audience."""
    data = await wizard.data(ctx)
    if not data.get("album"):
        await ctx.outdated()
        return
    await ctx.drop_buttons()
    await cq.answer(ctx.t("bc-album-count", count=len(data["message_ids"])))
    await wizard.advance(ctx, wizard[BroadcastForm.compose], {"buttons": []})


# ---- buttons -----------------------------------------------------------------------------


async def buttons_typed(message: Message, ctx: Ctx) -> None:
    """Lines `Text - https://...`: link buttons under the message."""
    data = await wizard.data(ctx)
    try:
        rows = broadcasts.link_buttons(message.text, data.get("buttons") or [])
    except InvalidInput as exc:
        await message.answer(ctx.t(exc.key, max=broadcasts.MAX_LINK_BUTTONS))
        return
    await wizard.update(ctx, {"buttons": rows})
    await wizard.ask(ctx, BroadcastForm.buttons, {**data, "buttons": rows})


async def buttons_not_text(message: Message, ctx: Ctx) -> None:
    """A sticker or photo where links (or a button press) are expected."""
    await message.answer(ctx.t("bc-buttons-expected"))


async def buttons_pressed(cq: CallbackQuery, callback_data: BcCb, ctx: Ctx) -> None:
    """Add the event's button, remove the buttons, or go on to the audience."""
    if callback_data.action is BcAction.EVENT_BUTTON:
        if await _events_screen(ctx, 0, published_only=True):
            await ctx.state.set_state(BroadcastForm.button_event)
        return
    if callback_data.action is BcAction.CLEAR_BUTTONS:
        await wizard.update(ctx, {"buttons": []})
        await wizard.show(ctx, BroadcastForm.buttons)
        return
    await wizard.show(ctx, BroadcastForm.audience)


# ---- events (for the button, or for the audience) -----------------------------------------


async def _events_screen(ctx: Ctx, page: int, *, published_only: bool) -> bool:
    """The sender's events of the last month and the coming ones; False (and an alert) when
    there are none."""
    since = datetime.now(UTC) - EVENTS_SINCE
    statuses = ("published",) if published_only else ("published", "cancelled")
    events, total = await ctx.repo.events.managed(
        await _scope(ctx), since, page * PICK_PAGE, PICK_PAGE, statuses=statuses
    )
    if total == 0:
        await ctx.alert("bc-no-events")
        return False
    pages = page_count(total, PICK_PAGE)
    builder = InlineKeyboardBuilder()
    for event in events:
        local = event.starts_at.astimezone(ZoneInfo(event.tz))
        builder.row(_btn(f"{local:%d.%m} {event.title}"[:64], BcAction.EVENT_PICK, str(event.id)))
    if pager := _pager(page, pages, BcAction.EVENTS):
        builder.row(*pager)
    builder.row(*nav_buttons(ctx.t, BroadcastForm))
    text = ctx.t("bc-choose-event", page=min(page, pages - 1) + 1, pages=pages)
    await ctx.show(text, builder.as_markup())
    return True


async def events_paged(cq: CallbackQuery, callback_data: BcCb, ctx: Ctx) -> None:
    """◀️ ▶️ in the events picker (and the audience's "participants of an event")."""
    current = await ctx.state.get_state()
    if current == BroadcastForm.audience.state:
        if await _events_screen(ctx, 0, published_only=False):
            await ctx.state.set_state(BroadcastForm.event)
        return
    page = int(callback_data.value) if callback_data.value.isdigit() else 0
    published_only = current == BroadcastForm.button_event.state
    await _events_screen(ctx, page, published_only=published_only)


async def _chosen_event(cq: CallbackQuery, ctx: Ctx, value: str) -> Event | None:
    """The picked event if the presser may manage it (a forged id is refused and logged)."""
    event = await ctx.repo.events.get(int(value)) if value.isdigit() else None
    if event is None or event.status == "draft":
        await ctx.outdated()
        return None
    if not await event_admin.can_manage(ctx.repo, cq.from_user.id, event):
        log.warning("refused a broadcast event by user %s", cq.from_user.id)
        await ctx.alert("common-not-allowed")
        return None
    return event


async def button_event_picked(cq: CallbackQuery, callback_data: BcCb, ctx: Ctx) -> None:
    """The event the button opens (a published one of the sender's)."""
    event = await _chosen_event(cq, ctx, callback_data.value)
    if event is None:
        return
    if event.status != "published":
        await ctx.alert("bc-event-not-published")
        return
    buttons = (await wizard.data(ctx))["buttons"]
    await wizard.update(ctx, {"buttons": broadcasts.with_event_button(buttons, event.id)})
    await wizard.show(ctx, BroadcastForm.buttons)


async def filter_event_picked(cq: CallbackQuery, callback_data: BcCb, ctx: Ctx) -> None:
    """The event whose participants get the broadcast: which of them?"""
    event = await _chosen_event(cq, ctx, callback_data.value)
    if event is None:
        return
    t = ctx.t
    await wizard.update(ctx, {"picked_event": event.id})
    rows = [[_btn(t("bc-group-all"), BcAction.GROUP, "")]]
    rows += [[_btn(t(f"bc-group-{group}"), BcAction.GROUP, group)] for group in EVENT_GROUPS]
    rows.append(nav_buttons(t, BroadcastForm))
    text = t("bc-choose-group", title=html.quote(event.title))
    await ctx.show(text, InlineKeyboardMarkup(inline_keyboard=rows))


async def group_picked(cq: CallbackQuery, callback_data: BcCb, ctx: Ctx) -> None:
    """Signed up, attended, waitlisted or all of them; back to the audience with the count."""
    data = await wizard.data(ctx)
    group = callback_data.value
    if "picked_event" not in data or (group and group not in EVENT_GROUPS):
        await ctx.outdated()
        return
    event = await _chosen_event(cq, ctx, str(data["picked_event"]))  # still theirs?
    if event is None:
        return
    filters = {**data["filters"], "event_id": event.id, "event_group": group}
    await wizard.update(ctx, {"filters": filters, "event_title": event.title})
    await wizard.show(ctx, BroadcastForm.audience)


# ---- municipality ------------------------------------------------------------------------


async def _municipality_screen(ctx: Ctx, page: int) -> None:
    names = (await wizard.data(ctx)).get("municipalities") or []
    shown = page_of(names, page, PICK_PAGE)
    builder = InlineKeyboardBuilder()
    builder.row(_btn(ctx.t("bc-municipality-any"), BcAction.MUNICIPALITY_PICK, ""))
    first = shown.number * PICK_PAGE
    for n, (name, count) in enumerate(shown.items, start=first):
        builder.row(_btn(f"{name} ({count})"[:64], BcAction.MUNICIPALITY_PICK, str(n)))
    if pager := _pager(shown.number, shown.count, BcAction.MUNICIPALITY):
        builder.row(*pager)
    builder.row(*nav_buttons(ctx.t, BroadcastForm))
    text = ctx.t("bc-choose-municipality", page=shown.number + 1, pages=shown.count)
    await ctx.show(text, builder.as_markup())


async def _municipalities(ctx: Ctx) -> list[tuple[str, int]]:
    audience = Audience.from_json((await wizard.data(ctx))["filters"])
    found = await broadcasts.municipalities(ctx.repo, await _scope(ctx), audience)
    return found[:MUNICIPALITIES_KEPT]


async def municipality_opened(cq: CallbackQuery, callback_data: BcCb, ctx: Ctx) -> None:
    """The audience's municipalities, the most populous first (typing narrows them); ◀️ ▶️."""
    if await ctx.state.get_state() == BroadcastForm.audience.state:
        await wizard.update(ctx, {"municipalities": await _municipalities(ctx)})
        await ctx.state.set_state(BroadcastForm.municipality)
    page = int(callback_data.value) if callback_data.value.isdigit() else 0
    await _municipality_screen(ctx, page)


async def municipality_typed(message: Message, ctx: Ctx) -> None:
    """Part of a municipality's name: the picker shows only those that contain it."""
    part = (message.text or "").casefold().strip()
    narrowed = [(name, n) for name, n in await _municipalities(ctx) if part in name.casefold()]
    if not narrowed:
        await message.answer(ctx.t("bc-municipality-none-found"))
        return
    await wizard.update(ctx, {"municipalities": narrowed})
    await _municipality_screen(ctx, 0)


async def municipality_picked(cq: CallbackQuery, callback_data: BcCb, ctx: Ctx) -> None:
    """A municipality (or any): back to the audience with the count."""
    data = await wizard.data(ctx)
    names = data.get("municipalities") or []
    value = callback_data.value
    if value and not (value.isdigit() and int(value) < len(names)):
        await ctx.outdated()
        return
    filters = {**data["filters"], "municipality": names[int(value)][0] if value else ""}
    await wizard.update(ctx, {"filters": filters, "municipalities": None})
    await wizard.show(ctx, BroadcastForm.audience)


# ---- audience ----------------------------------------------------------------------------


async def audience_pressed(cq: CallbackQuery, callback_data: BcCb, ctx: Ctx) -> None:
    """A filter switched: the count follows; Preview sends the exact copy to the sender."""
    data = await wizard.data(ctx)
    filters = Audience.from_json(data["filters"]).to_json()
    before = dict(filters)
    value = callback_data.value
    if callback_data.action is BcAction.ROLE and value in ROLES:
        roles = set(filters["roles"]) ^ {value}
        filters["roles"] = [r for r in ROLES if r in roles]
    elif callback_data.action is BcAction.LANGUAGE and value in ("", "ru", "en"):
        filters["language"] = value
    elif callback_data.action is BcAction.REGION:
        scope = await _scope(ctx)
        if scope is not None and value not in scope:
            log.warning("refused a broadcast region by user %s", cq.from_user.id)
            await ctx.alert("common-not-allowed")
            return
        filters["regions"] = sorted(set(filters["regions"]) ^ {value})
    elif callback_data.action is BcAction.GROUP and value == "x":  # the event filter off
        filters["event_id"], filters["event_group"] = None, ""
    elif callback_data.action is BcAction.PREVIEW:
        await _previewed(ctx, data)
        return
    else:
        await ctx.outdated()
        return
    if filters == before:
        return  # the filter was already so (a double click): nothing to redraw
    await wizard.update(ctx, {"filters": filters})
    await wizard.show(ctx, BroadcastForm.audience)


# ---- preview and sending -----------------------------------------------------------------


async def _copy_to(ctx: Ctx, data: Answers) -> None:
    """The message as recipients will get it (an album as an album, without buttons)."""
    ids = data["message_ids"]
    if len(ids) > 1:
        await ctx.bot.copy_messages(ctx.chat_id, data["from_chat_id"], ids)
        return
    markup = broadcast_markup(ctx.t, data.get("buttons"))
    await ctx.bot.copy_message(ctx.chat_id, data["from_chat_id"], ids[0], reply_markup=markup)


async def _previewed(ctx: Ctx, data: Answers) -> None:
    """The exact copy to the sender, then Send now or Schedule under it."""
    if await _count(ctx, data) == 0:
        await ctx.alert("bc-nobody")
        return
    await ctx.drop_buttons()
    try:
        await _copy_to(ctx, data)
    except TelegramBadRequest:  # a message Telegram will not copy (a quiz, an invoice...)
        await ctx.state.set_state(BroadcastForm.compose)
        await ctx.send(ctx.t("bc-copy-failed"), nav_keyboard(ctx.t, BroadcastForm, back=False))
        return
    await wizard.ask(ctx, BroadcastForm.preview, data)


async def _start(ctx: Ctx, data: Answers, when: datetime | None) -> None:
    """Store and queue the broadcast: now (with its progress message) or at `when`."""
    t, now = ctx.t, datetime.now(UTC)
    broadcast = Broadcast(
        organiser_id=ctx.chat_id,
        from_chat_id=data["from_chat_id"],
        message_ids=data["message_ids"],
        buttons=data.get("buttons") or None,
        filters=data["filters"],
        status="draft",
        scheduled_at=when,
        total=0,
        created_at=now,
    )
    ctx.repo.session.add(broadcast)
    await ctx.repo.session.flush()
    await ctx.state.clear()
    paid = ctx.settings.broadcast_paid
    total = await broadcasts.queue(ctx.repo, broadcast, await _scope(ctx), now, paid=paid)
    if when is not None:
        local = f"{when.astimezone(_zone(ctx.user)):%d.%m.%Y %H:%M}"
        await ctx.send(t("bc-scheduled", count=total, when=local), controls(t, broadcast))
        return
    progress = await ctx.send(
        progress_text(t, broadcast, {"pending": total}, now), controls(t, broadcast)
    )
    broadcast.progress_message_id = progress.message_id


async def send_pressed(cq: CallbackQuery, callback_data: BcCb, ctx: Ctx) -> None:
    """Send now, or Schedule (then the date and time are typed)."""
    data = await wizard.data(ctx)
    if "message_ids" not in data:
        await ctx.outdated()
        return
    await ctx.drop_buttons()
    if callback_data.action is BcAction.SCHEDULE:
        await wizard.ask(ctx, BroadcastForm.schedule, data)
    else:
        await _start(ctx, data, None)


async def when_not_text(message: Message, ctx: Ctx) -> None:
    """A sticker or photo where the date and time are expected."""
    await message.answer(ctx.t("bc-when-expected"))


# ---- progress, controls, the list --------------------------------------------------------


async def control_pressed(cq: CallbackQuery, callback_data: BcCb, ctx: Ctx) -> None:
    """Pause, Resume, Stop: only the broadcast's sender or an admin, read from the database."""
    repo, t = ctx.repo, ctx.t
    broadcast = await repo.session.get(Broadcast, callback_data.broadcast_id)
    roles = await repo.roles.of(cq.from_user.id)
    if broadcast is None or (
        broadcast.organiser_id != cq.from_user.id and Role.ADMIN.value not in roles
    ):
        log.warning("refused a broadcast control by user %s", cq.from_user.id)
        await ctx.alert("common-not-allowed")
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
        await ctx.outdated()
        return
    await cq.answer(t(f"bc-status-{broadcast.status}"))
    counts = await broadcasts.report(repo, broadcast.id)
    await ctx.show(progress_text(t, broadcast, counts, now), controls(t, broadcast))


async def listed(message: Message, ctx: Ctx) -> None:
    """/broadcasts: the last ones with their reports (admins see everyone's)."""
    repo, t = ctx.repo, ctx.t
    mine = None if Role.ADMIN.value in await repo.roles.of(ctx.chat_id) else ctx.chat_id
    zone = _zone(ctx.user)
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
    await ctx.send(t("bc-list", lines="\n".join(lines)) if lines else t("bc-list-empty"))


def _moment(broadcast: Broadcast) -> datetime:
    return broadcast.started_at or broadcast.scheduled_at or broadcast.created_at


CONTROLS = {BcAction.PAUSE, BcAction.RESUME, BcAction.STOP}
PICKERS = (BroadcastForm.button_event, BroadcastForm.event, BroadcastForm.municipality)
# The buttons of each screen: the states they are pressed in, and their actions.
PRESSES: list[tuple[Callable[..., Awaitable[None]], tuple[State, ...], set[BcAction]]] = [
    (album_done, (BroadcastForm.compose,), {BcAction.ALBUM_DONE}),
    (
        buttons_pressed,
        (BroadcastForm.buttons,),
        {BcAction.EVENT_BUTTON, BcAction.CLEAR_BUTTONS, BcAction.NEXT},
    ),
    (
        events_paged,
        (BroadcastForm.audience, BroadcastForm.button_event, BroadcastForm.event),
        {BcAction.EVENTS},
    ),
    (button_event_picked, (BroadcastForm.button_event,), {BcAction.EVENT_PICK}),
    (filter_event_picked, (BroadcastForm.event,), {BcAction.EVENT_PICK}),
    (group_picked, (BroadcastForm.event,), {BcAction.GROUP}),
    (
        municipality_opened,
        (BroadcastForm.audience, BroadcastForm.municipality),
        {BcAction.MUNICIPALITY},
    ),
    (municipality_picked, (BroadcastForm.municipality,), {BcAction.MUNICIPALITY_PICK}),
    (send_pressed, (BroadcastForm.preview,), {BcAction.SEND, BcAction.SCHEDULE}),
]


def router() -> Router:
    r = Router(name=__name__)
    gate = RoleGate(Role.ORGANISER, Role.ADMIN)
    r.message.middleware(gate)
    r.callback_query.middleware(gate)
    r.message.register(opened, Command("broadcast"))
    r.message.register(listed, Command("broadcasts"))
    cb = r.callback_query
    cb.register(control_pressed, BcCb.filter(F.action.in_(CONTROLS)))
    cb.register(wizard.went_back, StateFilter(BroadcastForm), NavCb.filter(F.action == Nav.BACK))
    for handler, states, actions in PRESSES:
        cb.register(handler, StateFilter(*states), BcCb.filter(F.action.in_(actions)))
    cb.register(audience_pressed, StateFilter(BroadcastForm.audience), BcCb.filter())
    # Not the engine's catch-alls (wizard.register): a command typed while composing goes on
    # to the routers after this one (it is a command, not the announcement).
    m = r.message
    m.register(composed, StateFilter(BroadcastForm.compose), ~F.text.startswith("/"))
    m.register(buttons_typed, StateFilter(BroadcastForm.buttons), F.text)
    m.register(buttons_not_text, StateFilter(BroadcastForm.buttons))
    m.register(municipality_typed, StateFilter(BroadcastForm.municipality), F.text)
    m.register(wizard.typed, StateFilter(BroadcastForm.schedule), F.text)
    m.register(when_not_text, StateFilter(BroadcastForm.schedule))
    m.register(use_buttons, StateFilter(*PICKERS, BroadcastForm.audience, BroadcastForm.preview))
    return r
