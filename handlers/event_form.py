"""The organiser's event dialog: create an event one question per message, preview it, publish
it or save a draft; the same steps, in groups, change one field of the preview or of a saved
event (`mode` in the dialog's data: create, preview, event). A duplicate starts as a preview
that asks only the date and the deadline again.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router, html
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_calendar import SimpleCalendar, SimpleCalendarCallback
from aiogram_calendar.schemas import SimpleCalAct

from bot.i18n import Text
from bot.middlewares.gate import RoleGate
from bot.services import event_admin, event_drafts, events, reminders
from bot.services.event_drafts import DEADLINES, DURATIONS, ZONES
from bot.services.event_notices import notify_change, tell_promoted
from bot.services.events import FORMATS, KINDS, msk_offset
from bot.services.regions import catalog
from bot.services.roles import Role
from bot.services.validation import InvalidInput
from bot.ui.callbacks.events import EvAdminAction, EvAdminCb, FormAction, FormCb
from bot.ui.event_cards import duration_text, organiser_card, reminders_text
from bot.ui.keyboards import Nav, NavCb, nav_buttons
from bot.ui.replies import not_text, take_buttons_off, use_buttons
from db.repositories import Repo
from handlers.organiser_events import managed_event, show_event

log = logging.getLogger("bot.security")


def _now() -> datetime:
    return datetime.now(UTC)


class EventForm(StatesGroup):
    region = State()
    kind = State()
    title = State()
    description = State()
    zone = State()
    date = State()
    time = State()
    duration = State()
    format = State()
    link = State()
    address = State()
    capacity = State()
    deadline = State()
    deadline_reminder = State()
    audience = State()
    audience_regions = State()
    approval = State()
    questions = State()
    reminders = State()  # only when changing: a new event gets a day and an hour before
    preview = State()


ORDER: list[State] = list(EventForm.__states__)
# What "Change..." offers, and the steps each change walks through.
GROUPS: dict[str, list[State]] = {
    "kind": [EventForm.kind],
    "title": [EventForm.title],
    "description": [EventForm.description],
    "when": [EventForm.date, EventForm.time, EventForm.deadline],
    "zone": [EventForm.zone, EventForm.date, EventForm.time, EventForm.deadline],
    "duration": [EventForm.duration],
    "format": [EventForm.format, EventForm.link, EventForm.address],
    "capacity": [EventForm.capacity],
    "deadline": [EventForm.deadline, EventForm.deadline_reminder],
    "audience": [EventForm.audience, EventForm.audience_regions],
    "approval": [EventForm.approval],
    "questions": [EventForm.questions],
    "reminders": [EventForm.reminders],
}
# Reminder choices offered as buttons (minutes before the start); others are typed in hours.
REMINDER_PRESETS = ((1440, 60), (60,), (1440,), (4320, 1440, 60))
# Fields whose change the participants are told about keep the people's answers valid;
# questions may change only while nobody has answered them.
TYPED_STEPS = (
    EventForm.title,
    EventForm.description,
    EventForm.date,
    EventForm.time,
    EventForm.duration,
    EventForm.link,
    EventForm.address,
    EventForm.capacity,
    EventForm.deadline,
    EventForm.audience_regions,
    EventForm.questions,
    EventForm.reminders,
)


def _btn(text: str, action: FormAction, value: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=FormCb(action=action, value=value).pack())


# ---- the dialog: create, change before publishing, edit a saved event --------------------


@cache
def _calendar(t: Text) -> SimpleCalendar:
    """aiogram_calendar's month grid with our texts; its Cancel/Today row is replaced by the
    dialog's Back/Cancel (see _calendar_markup), and paging is done here (the library's own
    paging would redraw its rows)."""
    calendar = SimpleCalendar()
    calendar._labels.days_of_week = t("evadm-cal-days").split("|")
    calendar._labels.months = t("evadm-cal-months").split("|")
    return calendar


async def _calendar_markup(t: Text, year: int, month: int) -> InlineKeyboardMarkup:
    grid: InlineKeyboardMarkup = await _calendar(t).start_calendar(year=year, month=month)
    rows = [
        # Blank cells (days of other months) get a dot: Telegram refuses an empty button text.
        [b if b.text.strip() else b.model_copy(update={"text": "·"}) for b in row]
        for row in grid.inline_keyboard[:-1]
    ]
    return InlineKeyboardMarkup(inline_keyboard=[*rows, nav_buttons(t, EventForm)])


def _applies(step: State, data: dict[str, Any]) -> bool:
    """Steps that depend on earlier answers."""
    if step == EventForm.region:
        return len(data.get("region_choices") or []) > 1
    if step == EventForm.time:
        return bool(data.get("picked_day"))
    if step == EventForm.link:
        return data.get("format") != "offline"
    if step == EventForm.address:
        return data.get("format") != "online"
    if step == EventForm.audience_regions:
        return data.get("audience_mode") == "choose"
    if step == EventForm.reminders:
        return data.get("mode") != "create"
    return step != EventForm.preview


def _following(step: State, data: dict[str, Any]) -> State | None:
    """The next step; None when an edit's group is done (the preview comes after creation)."""
    steps = ORDER if data.get("mode") == "create" else GROUPS[data["group"]]
    index = steps.index(step) + 1 if step in steps else len(steps)
    for candidate in steps[index:]:
        if _applies(candidate, data):
            return candidate
    return EventForm.preview if data.get("mode") == "create" else None


def _earlier(step: State, data: dict[str, Any]) -> State | None:
    steps = ORDER if data.get("mode") == "create" else GROUPS[data["group"]]
    index = steps.index(step) if step in steps else 0
    for candidate in reversed(steps[:index]):
        if _applies(candidate, data):
            return candidate
    return None


def _step_markup(t: Text, step: State, data: dict[str, Any], now: datetime) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    back = not (data.get("mode") == "create" and step == ORDER[0])
    if step == EventForm.region:
        for code in data["region_choices"]:
            region = catalog().get(code)
            builder.row(_btn(region.name(t.locale) if region else code, FormAction.REGION, code))
    elif step == EventForm.kind:
        for kind in KINDS:
            builder.row(_btn(t(f"events-kind-{kind}"), FormAction.KIND, kind))
    elif step == EventForm.zone:
        region = catalog().get(data["region_code"])
        if region is not None:
            label = f"📍 {region.name(t.locale)} ({t('events-msk')}{msk_offset(now, region.tz)})"
            builder.row(_btn(label, FormAction.ZONE, "region"))
        buttons = [
            _btn(
                f"{t(f'evadm-zone-{key}')} ({t('events-msk')}{msk_offset(now, zone)})",
                FormAction.ZONE,
                key,
            )
            for key, zone in ZONES.items()
        ]
        for i in range(0, len(buttons), 2):
            builder.row(*buttons[i : i + 2])
    elif step == EventForm.duration:
        builder.row(
            *[_btn(duration_text(t, m), FormAction.DURATION, str(m)) for m in DURATIONS[:3]]
        )
        builder.row(
            *[_btn(duration_text(t, m), FormAction.DURATION, str(m)) for m in DURATIONS[3:]]
        )
    elif step == EventForm.format:
        for fmt in FORMATS:
            builder.row(_btn(t(f"events-format-{fmt}"), FormAction.FORMAT, fmt))
    elif step == EventForm.capacity:
        builder.row(_btn(t("evadm-unlimited-button"), FormAction.UNLIMITED))
    elif step == EventForm.deadline:
        for choice in DEADLINES:
            builder.row(_btn(t(f"evadm-deadline-{choice}"), FormAction.DEADLINE, choice))
    elif step == EventForm.audience:
        builder.row(_btn(t("evadm-audience-all-button"), FormAction.AUDIENCE, "all"))
        region = catalog().get(data["region_code"])
        if region is not None:
            builder.row(
                _btn(
                    t("evadm-audience-own-button", region=region.name(t.locale)),
                    FormAction.AUDIENCE,
                    "own",
                )
            )
        builder.row(_btn(t("evadm-audience-choose-button"), FormAction.AUDIENCE, "choose"))
    elif step == EventForm.approval:
        builder.row(
            _btn(t("evadm-yes"), FormAction.APPROVAL, "yes"),
            _btn(t("evadm-no"), FormAction.APPROVAL, "no"),
        )
    elif step == EventForm.deadline_reminder:
        builder.row(
            _btn(t("evadm-yes"), FormAction.DEADLINE_REMINDER, "yes"),
            _btn(t("evadm-no"), FormAction.DEADLINE_REMINDER, "no"),
        )
    elif step == EventForm.questions:
        label = "evadm-questions-done-button" if data.get("questions") else "evadm-no-questions"
        builder.row(_btn(t(label), FormAction.QUESTIONS_DONE))
    elif step == EventForm.reminders:
        for preset in REMINDER_PRESETS:
            value = ",".join(str(m) for m in preset)
            builder.row(_btn(reminders_text(t, list(preset)), FormAction.REMINDERS, value))
    builder.row(*nav_buttons(t, EventForm, back=back))
    return builder.as_markup()


def _preview_markup(t: Text) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_btn(t("evadm-publish-button"), FormAction.PUBLISH)],
            [_btn(t("evadm-draft-button"), FormAction.DRAFT)],
            [_btn(t("evadm-change-button"), FormAction.CHANGE)],
            nav_buttons(t, EventForm, back=False),
        ]
    )


def _field_chooser(t: Text, data: dict[str, Any]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    buttons = [_btn(t(f"evadm-field-{name}"), FormAction.FIELD, name) for name in GROUPS]
    for i in range(0, len(buttons), 2):
        builder.row(*buttons[i : i + 2])
    back = data.get("mode") == "preview"
    builder.row(*nav_buttons(t, EventForm, back=back))
    return builder.as_markup()


async def ask(bot: Bot, chat_id: int, step: State, state: FSMContext, t: Text) -> None:
    """Put the dialog on `step` and ask its question."""
    await state.set_state(step)
    data = await state.get_data()
    now = _now()
    if step == EventForm.preview:
        # From here on, a step answered again returns to the preview instead of going on.
        data = await state.update_data(mode="preview", group=None, backup=None)
        await bot.send_message(
            chat_id,
            organiser_card(t, event_drafts.as_fields(data)),
            reply_markup=_preview_markup(t),
        )
        return
    key = "evadm-ask-" + (step.state or ":").split(":")[1]
    if step == EventForm.date:
        local = now.astimezone(ZoneInfo(data["tz"]))
        await bot.send_message(
            chat_id, t(key), reply_markup=await _calendar_markup(t, local.year, local.month)
        )
        return
    extra: dict[str, Any] = {}
    if step == EventForm.time:
        extra["day"] = date.fromisoformat(data["picked_day"]).strftime("%d.%m.%Y")
    elif step == EventForm.questions:
        extra["count"] = len(data.get("questions") or [])
    text = t(key, **extra) if extra else t(key)
    await bot.send_message(chat_id, text, reply_markup=_step_markup(t, step, data, now))


async def _step_of(state: FSMContext) -> State | None:
    current = await state.get_state()
    return next((s for s in ORDER if s.state == current), None)


async def new_pressed(cq: CallbackQuery, bot: Bot, state: FSMContext, repo: Repo, t: Text) -> None:
    """➕ New event: the dialog starts (with the organising region when there is a choice)."""
    regions = await event_admin.managed_regions(repo, cq.from_user.id)
    if regions is None:  # an admin: their own region first
        person = await repo.users.snapshot(cq.from_user.id)
        choices = [person.region_code] if person and person.region_code else ["77"]
    else:
        choices = sorted(regions)
    if not choices:
        await cq.answer(t("common-not-allowed"), show_alert=True)
        return
    await take_buttons_off(cq)
    await state.set_data(
        {"mode": "create", "region_choices": choices, "region_code": choices[0], "questions": []}
    )
    first = EventForm.region if len(choices) > 1 else EventForm.kind
    await ask(bot, cq.from_user.id, first, state, t)


async def duplicate_pressed(
    cq: CallbackQuery, callback_data: EvAdminCb, bot: Bot, state: FSMContext, repo: Repo, t: Text
) -> None:
    """Duplicate: the event as a template; only the date and the deadline are asked again."""
    event = await managed_event(cq, repo, t, callback_data.event_id, "duplicating")
    if event is None:
        return
    await take_buttons_off(cq)
    await state.set_data({**event_drafts.as_data(event), "mode": "preview", "group": "when"})
    await bot.send_message(cq.from_user.id, t("evadm-duplicating", title=html.quote(event.title)))
    await ask(bot, cq.from_user.id, EventForm.date, state, t)


async def edit_pressed(
    cq: CallbackQuery, callback_data: EvAdminCb, bot: Bot, state: FSMContext, repo: Repo, t: Text
) -> None:
    """Edit a saved event: which field?"""
    event = await managed_event(cq, repo, t, callback_data.event_id, "editing")
    if event is None:
        return
    if event.status == "cancelled":
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    await take_buttons_off(cq)
    data = {
        **event_drafts.as_data(event),
        "starts_at": event.starts_at.isoformat(),
        "registration_deadline": event.registration_deadline.isoformat()
        if event.registration_deadline
        else None,
        "mode": "event",
        "edit_id": event.id,
    }
    await state.set_data(data)
    await state.set_state(EventForm.preview)
    await bot.send_message(
        cq.from_user.id, t("evadm-which-field"), reply_markup=_field_chooser(t, data)
    )


def _parse(step: State, raw: str | None, data: dict[str, Any], lang: str) -> dict[str, Any]:
    """A typed answer as the dialog's data; InvalidInput with a hint otherwise."""
    now = _now()
    if step == EventForm.title:
        return {"title": event_drafts.title(raw)}
    if step == EventForm.description:
        return {"description": event_drafts.description(raw)}
    if step == EventForm.date:
        starts = event_drafts.when(raw, data["tz"], now)
        return {"starts_at": starts.isoformat(), "picked_day": None}
    if step == EventForm.time:
        day = date.fromisoformat(data["picked_day"])
        starts = event_drafts.time_on(day, raw, data["tz"], now)
        return {"starts_at": starts.isoformat(), "picked_day": None}
    if step == EventForm.duration:
        return {"duration_minutes": event_drafts.duration(raw)}
    if step == EventForm.link:
        return {"online_link": event_drafts.online_link(raw)}
    if step == EventForm.address:
        return {"address": event_drafts.address(raw)}
    if step == EventForm.capacity:
        return {"capacity": event_drafts.capacity(raw)}
    if step == EventForm.deadline:
        starts = datetime.fromisoformat(data["starts_at"])
        deadline = event_drafts.when(raw, data["tz"], now)
        event_drafts.check_deadline(deadline, starts, now)
        return {"registration_deadline": deadline.isoformat()}
    if step == EventForm.audience_regions:
        return {"audience_regions": event_drafts.audience(raw, lang)}
    if step == EventForm.questions:
        questions = [*(data.get("questions") or []), event_drafts.question(raw)]
        return {"questions": questions}
    if step == EventForm.reminders:
        return {"reminder_offsets": reminders.offsets(raw)}
    raise InvalidInput("common-use-buttons")


async def _advance(
    bot: Bot,
    chat_id: int,
    step: State,
    state: FSMContext,
    repo: Repo,
    t: Text,
    answers: dict[str, Any],
) -> None:
    data = await state.update_data(answers)
    following = _following(step, data)
    if (
        step == EventForm.questions
        and len(data.get("questions") or []) < 3
        and ("questions" in answers)
    ):
        following = EventForm.questions  # another question, or Done
    if following is not None:
        await ask(bot, chat_id, following, state, t)
    elif data.get("mode") == "preview":
        await ask(bot, chat_id, EventForm.preview, state, t)
    else:
        await _save_edit(bot, chat_id, state, repo, t)


async def typed(
    message: Message,
    bot: Bot,
    state: FSMContext,
    repo: Repo,
    t: Text,
) -> None:
    """A typed answer; wrong input re-asks with a hint and keeps what was given."""
    step = await _step_of(state)
    if step is None or step == EventForm.preview:
        await message.answer(t("common-use-buttons"))
        return
    data = await state.get_data()
    try:
        answers = _parse(step, message.text, data, t.locale)
        if step == EventForm.capacity:
            await _check_capacity(repo, data, answers["capacity"])
    except InvalidInput as exc:
        await message.answer(t(exc.key))
        return
    await _advance(bot, message.chat.id, step, state, repo, t, answers)


async def _check_capacity(repo: Repo, data: dict[str, Any], capacity: int | None) -> None:
    """A saved event's seats cannot drop below the people already holding one."""
    if data.get("mode") != "event" or capacity is None:
        return
    taken = await events.seats_taken(repo, int(data["edit_id"]))
    if capacity < taken:
        raise InvalidInput("evadm-capacity-below-taken")


def _button_answer(
    step: State, action: FormAction, value: str, data: dict[str, Any]
) -> dict[str, Any] | None:
    """What a dialog button means at this step; None for a button of another step."""
    if step == EventForm.region and action is FormAction.REGION:
        return {"region_code": value} if value in data.get("region_choices", []) else None
    if step == EventForm.kind and action is FormAction.KIND:
        return {"kind": value} if value in KINDS else None
    if step == EventForm.zone and action is FormAction.ZONE:
        if value == "region":
            region = catalog().get(data["region_code"])
            return {"tz": region.tz} if region else None
        return {"tz": ZONES[value]} if value in ZONES else None
    if step == EventForm.duration and action is FormAction.DURATION:
        return {"duration_minutes": int(value)} if value in {str(m) for m in DURATIONS} else None
    if step == EventForm.format and action is FormAction.FORMAT:
        return {"format": value} if value in FORMATS else None
    if step == EventForm.capacity and action is FormAction.UNLIMITED:
        return {"capacity": None}
    if step == EventForm.deadline and action is FormAction.DEADLINE and value in DEADLINES:
        starts = datetime.fromisoformat(data["starts_at"])
        deadline = event_drafts.deadline_before(starts, value)
        event_drafts.check_deadline(deadline, starts, _now())
        return {"registration_deadline": deadline.isoformat() if deadline else None}
    if step == EventForm.audience and action is FormAction.AUDIENCE:
        if value == "all":
            return {"audience_mode": "all", "audience_regions": []}
        if value == "own":
            return {"audience_mode": "own", "audience_regions": [data["region_code"]]}
        return {"audience_mode": "choose"} if value == "choose" else None
    if step == EventForm.approval and action is FormAction.APPROVAL:
        return {"needs_approval": value == "yes"} if value in ("yes", "no") else None
    if step == EventForm.deadline_reminder and action is FormAction.DEADLINE_REMINDER:
        return {"remind_deadline": value == "yes"} if value in ("yes", "no") else None
    if step == EventForm.questions and action is FormAction.QUESTIONS_DONE:
        return {}
    if step == EventForm.reminders and action is FormAction.REMINDERS:
        presets = {",".join(str(m) for m in p): list(p) for p in REMINDER_PRESETS}
        return {"reminder_offsets": presets[value]} if value in presets else None
    return None


async def pressed(
    cq: CallbackQuery,
    callback_data: FormCb,
    bot: Bot,
    state: FSMContext,
    repo: Repo,
    t: Text,
) -> None:
    """A dialog button: an answer, or Publish / Save draft / Change on the preview."""
    step = await _step_of(state)
    data = await state.get_data()
    action, value = callback_data.action, callback_data.value
    if step == EventForm.preview:
        await _preview_pressed(cq, action, value, bot, state, repo, t, data)
        return
    if step is None:
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    try:
        answers = _button_answer(step, action, value, data)
        if answers is not None and step == EventForm.capacity:
            await _check_capacity(repo, data, answers.get("capacity"))
    except InvalidInput as exc:
        await cq.answer(t(exc.key), show_alert=True)
        return
    if answers is None:
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    await take_buttons_off(cq)
    if step == EventForm.zone and data.get("mode") == "create":
        answers["starts_at"] = None  # a time typed in another zone would mean another moment
    await _advance(bot, cq.from_user.id, step, state, repo, t, answers)


async def _preview_pressed(
    cq: CallbackQuery,
    action: FormAction,
    value: str,
    bot: Bot,
    state: FSMContext,
    repo: Repo,
    t: Text,
    data: dict[str, Any],
) -> None:
    if action is FormAction.CHANGE and data.get("mode") == "preview":
        await take_buttons_off(cq)
        await bot.send_message(
            cq.from_user.id, t("evadm-which-field"), reply_markup=_field_chooser(t, data)
        )
        return
    if action is FormAction.FIELD and value in GROUPS:
        if value == "questions" and data.get("mode") == "event" and await _answered(repo, data):
            await cq.answer(t("evadm-questions-locked"), show_alert=True)
            return
        await take_buttons_off(cq)
        backup = {k: v for k, v in data.items() if k != "backup"}
        changes: dict[str, Any] = {"group": value, "backup": backup}
        if value == "questions":
            changes["questions"] = []
        data = await state.update_data(changes)
        first = next(s for s in GROUPS[value] if _applies(s, data))
        await ask(bot, cq.from_user.id, first, state, t)
        return
    if action in (FormAction.PUBLISH, FormAction.DRAFT) and data.get("mode") == "preview":
        await _create(cq, action, bot, state, repo, t, data)
        return
    await cq.answer(t("common-button-outdated"), show_alert=True)


async def _answered(repo: Repo, data: dict[str, Any]) -> bool:
    """Someone signed up already: their answers follow the questions' order."""
    counts = await repo.signups.counts(int(data["edit_id"]))
    return any(counts.get(status, 0) for status in ("signed_up", "waitlisted", "pending"))


async def _create(
    cq: CallbackQuery,
    action: FormAction,
    bot: Bot,
    state: FSMContext,
    repo: Repo,
    t: Text,
    data: dict[str, Any],
) -> None:
    """Publish or save the previewed event (the region is checked again: roles may change)."""
    regions = await event_admin.managed_regions(repo, cq.from_user.id)
    if regions is not None and data["region_code"] not in regions:
        log.warning("refused creating an event by user %s", cq.from_user.id)
        await cq.answer(t("common-not-allowed"), show_alert=True)
        return
    status = "published" if action is FormAction.PUBLISH else "draft"
    try:
        event = await event_admin.create(repo, data, cq.from_user.id, status, _now())
    except InvalidInput as exc:
        await cq.answer(t(exc.key), show_alert=True)
        return
    await state.clear()
    await take_buttons_off(cq)
    await bot.send_message(
        cq.from_user.id, t(f"evadm-created-{status}", title=html.quote(event.title))
    )
    await show_event(bot, cq.from_user.id, repo, t, event)


async def _save_edit(bot: Bot, chat_id: int, state: FSMContext, repo: Repo, t: Text) -> None:
    """Write an edited field to the saved event; participants hear about a new time, place
    or link, and a bigger hall moves people up from the waitlist."""
    data = await state.get_data()
    event = await repo.events.get(int(data["edit_id"]))
    if event is None or not await event_admin.can_manage(repo, chat_id, event):
        log.warning("refused editing event %s by user %s", data.get("edit_id"), chat_id)
        await state.clear()
        await bot.send_message(chat_id, t("common-not-allowed"))
        return
    before = {
        "starts_at": event.starts_at,
        "duration_minutes": event.duration_minutes,
        "address": event.address,
        "format": event.format,
        "online_link": event.online_link,
        "reminder_offsets": list(event.reminder_offsets),
    }
    fields = event_drafts.as_fields(data)
    fields.pop("region_code")
    for name, value in fields.items():
        setattr(event, name, value)
    await repo.session.flush()
    await state.clear()
    now = _now()
    change = event_drafts.change_between(before, event)
    told = 0
    if change.any and event.status == "published":
        told = await notify_change(repo, event, change)
    if change.time or before["reminder_offsets"] != event.reminder_offsets:
        await reminders.replan(repo, event, now)
    promoted = await event_admin.fill_free_seats(repo, event, now)
    for signup in promoted:
        await tell_promoted(repo, event, signup)
    await bot.send_message(chat_id, t("evadm-saved", people=told))
    await show_event(bot, chat_id, repo, t, event)


def _paged(act: SimpleCalAct, year: int, month: int) -> tuple[int, int] | None:
    """The month shown after ‹ › « »."""
    index = year * 12 + month - 1
    step = {
        SimpleCalAct.prev_m: -1,
        SimpleCalAct.next_m: 1,
        SimpleCalAct.prev_y: -12,
        SimpleCalAct.next_y: 12,
    }.get(act)
    if step is None:
        return None
    year, month0 = divmod(index + step, 12)
    return year, month0 + 1


async def day_picked(
    cq: CallbackQuery,
    callback_data: SimpleCalendarCallback,
    bot: Bot,
    state: FSMContext,
    t: Text,
) -> None:
    """The calendar: months back and forth, or a day (then the time is typed)."""
    if callback_data.act == SimpleCalAct.ignore:
        return  # a weekday or a blank cell: nothing to do (the press is answered silently)
    data = await state.get_data()
    now = _now()
    year, month = callback_data.year or 0, callback_data.month or 0
    if not (now.year - 1 <= year <= now.year + event_drafts.MAX_YEARS_AHEAD and 1 <= month <= 12):
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    if callback_data.act != SimpleCalAct.day:
        shown = _paged(callback_data.act, year, month)
        if shown is None:  # Today, or Cancel (not on our keyboard): back to this month
            local = now.astimezone(ZoneInfo(data["tz"]))
            shown = (local.year, local.month)
        if isinstance(cq.message, Message):
            await cq.message.edit_reply_markup(reply_markup=await _calendar_markup(t, *shown))
        return
    try:
        day = date(year, month, callback_data.day or 0)
    except ValueError:
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    if not event_drafts.day_allowed(day, data["tz"], now):
        await cq.answer(t("evadm-day-past"), show_alert=True)
        return
    await take_buttons_off(cq)
    await state.update_data(picked_day=day.isoformat())
    await ask(bot, cq.from_user.id, EventForm.time, state, t)


async def went_back(cq: CallbackQuery, bot: Bot, state: FSMContext, repo: Repo, t: Text) -> None:
    """Back: the previous question; in a change, back to where the change started."""
    step = await _step_of(state)
    if step is None:
        return
    data = await state.get_data()
    await take_buttons_off(cq)
    earlier = _earlier(step, data) if step != EventForm.preview else None
    if earlier is not None:
        await ask(bot, cq.from_user.id, earlier, state, t)
        return
    if data.get("mode") == "event":
        await state.clear()
        event = await repo.events.get(int(data["edit_id"]))
        if event is not None:
            await show_event(bot, cq.from_user.id, repo, t, event)
        return
    if data.get("mode") == "preview" and data.get("backup") and "starts_at" in data["backup"]:
        await state.set_data(data["backup"])
        await ask(bot, cq.from_user.id, EventForm.preview, state, t)
        return
    if data.get("mode") == "preview" and step == EventForm.preview:
        await ask(bot, cq.from_user.id, EventForm.preview, state, t)
        return
    # The first question of a new event or of a duplicate: nothing earlier to go to.
    await ask(bot, cq.from_user.id, step, state, t)


def router() -> Router:
    r = Router(name=__name__)
    gate = RoleGate(Role.ORGANISER, Role.ADMIN)
    r.message.middleware(gate)
    r.callback_query.middleware(gate)
    a = EvAdminCb.filter
    r.callback_query.register(new_pressed, a(F.action == EvAdminAction.NEW))
    r.callback_query.register(edit_pressed, a(F.action == EvAdminAction.EDIT))
    r.callback_query.register(duplicate_pressed, a(F.action == EvAdminAction.DUPLICATE))
    r.callback_query.register(went_back, StateFilter(EventForm), NavCb.filter(F.action == Nav.BACK))
    r.callback_query.register(
        day_picked, StateFilter(EventForm.date), SimpleCalendarCallback.filter()
    )
    r.callback_query.register(pressed, StateFilter(EventForm), FormCb.filter())
    r.message.register(typed, StateFilter(*TYPED_STEPS), F.text)
    r.message.register(use_buttons, StateFilter(EventForm), F.text)
    r.message.register(not_text, StateFilter(EventForm))
    return r
