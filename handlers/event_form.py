"""The organiser's event dialog: create an event one question per message, preview it, publish
it or save a draft; the same steps, in groups, change one field of the preview or of a saved
event (`mode` in the dialog's data: create, preview, event). A duplicate starts as a preview
that asks only the date and the deadline again. The steps are declared once in STEPS;
bot/ui/wizard.py moves between them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from functools import cache
from typing import Any, TypedDict, cast
from zoneinfo import ZoneInfo

from aiogram import F, Router, html
from aiogram.filters import StateFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
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
from bot.ui.context import Ctx, Markup
from bot.ui.event_cards import duration_text, organiser_card, reminders_text
from bot.ui.keyboards import button, nav_buttons
from bot.ui.wizard import Parser, Prompt, Screen, Step, Wizard
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
PRESETS = {",".join(str(m) for m in p): list(p) for p in REMINDER_PRESETS}
MAX_QUESTIONS = 3

Rows = list[list[InlineKeyboardButton]]


def _btn(text: str, action: FormAction, value: str = "") -> InlineKeyboardButton:
    return button(text, FormCb(action=action, value=value))


def _pairs(buttons: list[InlineKeyboardButton]) -> Rows:
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def _yes_no(t: Text, action: FormAction) -> Rows:
    return [[_btn(t("evadm-yes"), action, "yes"), _btn(t("evadm-no"), action, "no")]]


class Answers(TypedDict, total=False):
    """The FSM data of EventForm: the event's fields (event_drafts.as_fields) and the dialog's."""

    mode: str  # "create", "preview" (a new event or a duplicate) or "event" (a saved one)
    group: str | None  # the group of fields being changed (GROUPS)
    backup: dict[str, Any] | None  # the data before that change, for Back
    edit_id: int  # the saved event being changed
    region_choices: list[str]
    region_code: str
    kind: str
    title: str
    description: str
    tz: str
    picked_day: str | None  # ISO date picked in the calendar; the time is typed next
    starts_at: str | None  # ISO
    duration_minutes: int
    format: str
    online_link: str | None
    address: str | None
    capacity: int | None
    registration_deadline: str | None  # ISO
    remind_deadline: bool
    audience_mode: str
    audience_regions: list[str]
    needs_approval: bool
    questions: list[str]
    reminder_offsets: list[int]


# ---- the questions' buttons ----------------------------------------------------------------


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


def _regions(t: Text, answers: Answers) -> Rows:
    rows = []
    for code in answers["region_choices"]:
        region = catalog().get(code)
        rows.append([_btn(region.name(t.locale) if region else code, FormAction.REGION, code)])
    return rows


def _zones(t: Text, answers: Answers) -> Rows:
    now = _now()

    def label(name: str, tz: str) -> str:
        return f"{name} ({t('events-msk')}{msk_offset(now, tz)})"

    rows = []
    region = catalog().get(answers["region_code"])
    if region is not None:  # the event's region first
        own = label(region.name(t.locale), region.tz)
        rows.append([_btn(f"📍 {own}", FormAction.ZONE, "region")])
    zones = [_btn(label(t(f"evadm-zone-{k}"), tz), FormAction.ZONE, k) for k, tz in ZONES.items()]
    return [*rows, *_pairs(zones)]


def _durations(t: Text, answers: Answers) -> Rows:
    buttons = [_btn(duration_text(t, m), FormAction.DURATION, str(m)) for m in DURATIONS]
    return [buttons[:3], buttons[3:]]


def _audiences(t: Text, answers: Answers) -> Rows:
    rows = [[_btn(t("evadm-audience-all-button"), FormAction.AUDIENCE, "all")]]
    region = catalog().get(answers["region_code"])
    if region is not None:
        own = t("evadm-audience-own-button", region=region.name(t.locale))
        rows.append([_btn(own, FormAction.AUDIENCE, "own")])
    rows.append([_btn(t("evadm-audience-choose-button"), FormAction.AUDIENCE, "choose")])
    return rows


def _questions_done(t: Text, answers: Answers) -> Rows:
    label = "evadm-questions-done-button" if answers.get("questions") else "evadm-no-questions"
    return [[_btn(t(label), FormAction.QUESTIONS_DONE)]]


def _preview_markup(t: Text) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_btn(t("evadm-publish-button"), FormAction.PUBLISH)],
            [_btn(t("evadm-draft-button"), FormAction.DRAFT)],
            [_btn(t("evadm-change-button"), FormAction.CHANGE)],
            nav_buttons(t, EventForm, back=False),
        ]
    )


def _field_chooser(t: Text, answers: Answers) -> InlineKeyboardMarkup:
    fields = _pairs([_btn(t(f"evadm-field-{name}"), FormAction.FIELD, name) for name in GROUPS])
    back = answers.get("mode") == "preview"
    return InlineKeyboardMarkup(inline_keyboard=[*fields, nav_buttons(t, EventForm, back=back)])


# ---- the steps -----------------------------------------------------------------------------


def _question(
    step: State,
    rows: Callable[[Text, Answers], Rows] | None,
    values: Callable[[Answers], dict[str, Any]] | None,
) -> Prompt[Answers]:
    """The step's "evadm-ask-…" text over its buttons and Back/Cancel (no Back on a new
    event's first question)."""
    key = "evadm-ask-" + (step.state or ":").split(":")[1]

    def prompt(ctx: Ctx, answers: Answers) -> Screen:
        text = ctx.t(key, **values(answers)) if values else ctx.t(key)
        back = not (answers.get("mode") == "create" and step == EventForm.region)
        own = rows(ctx.t, answers) if rows else []
        nav = nav_buttons(ctx.t, EventForm, back=back)
        return Screen(text, InlineKeyboardMarkup(inline_keyboard=[*own, nav]))

    return prompt


def _given(value: str | None) -> str:
    """A value an earlier step has set (the steps' `applies` make sure of it)."""
    assert value is not None
    return value


def _hint_alone(ctx: Ctx, answers: Answers) -> Markup:
    """A wrong typed answer gets its hint without buttons: the question is right above."""
    return None


def _asks(
    step: State,
    rows: Callable[[Text, Answers], Rows] | None = None,
    *,
    parse: Parser[Answers] | None = None,
    applies: Callable[[Answers], bool] = lambda answers: True,
    values: Callable[[Answers], dict[str, Any]] | None = None,
) -> Step[Answers]:
    return Step(step, _question(step, rows, values), parse, applies, _hint_alone)


async def _date(ctx: Ctx, answers: Answers) -> Screen:
    local = _now().astimezone(ZoneInfo(answers["tz"]))
    markup = await _calendar_markup(ctx.t, local.year, local.month)
    return Screen(ctx.t("evadm-ask-date"), markup)


def _preview(ctx: Ctx, answers: Answers) -> Screen:
    return Screen(organiser_card(ctx.t, event_drafts.as_fields(answers)), _preview_markup(ctx.t))


def _date_typed(raw: str, ctx: Ctx, answers: Answers) -> Answers:
    starts = event_drafts.when(raw, answers["tz"], _now())
    return {"starts_at": starts.isoformat(), "picked_day": None}


def _time_typed(raw: str, ctx: Ctx, answers: Answers) -> Answers:
    day = date.fromisoformat(_given(answers.get("picked_day")))
    starts = event_drafts.time_on(day, raw, answers["tz"], _now())
    return {"starts_at": starts.isoformat(), "picked_day": None}


def _deadline_typed(raw: str, ctx: Ctx, answers: Answers) -> Answers:
    now = _now()
    deadline = event_drafts.when(raw, answers["tz"], now)
    starts = datetime.fromisoformat(_given(answers.get("starts_at")))
    event_drafts.check_deadline(deadline, starts, now)
    return {"registration_deadline": deadline.isoformat()}


def _question_typed(raw: str, ctx: Ctx, answers: Answers) -> Answers:
    return {"questions": [*(answers.get("questions") or []), event_drafts.question(raw)]}


STEPS: list[Step[Answers]] = [
    _asks(EventForm.region, _regions, applies=lambda a: len(a.get("region_choices") or []) > 1),
    _asks(
        EventForm.kind,
        lambda t, a: [[_btn(t(f"events-kind-{k}"), FormAction.KIND, k)] for k in KINDS],
    ),
    _asks(EventForm.title, parse=lambda raw, ctx, a: {"title": event_drafts.title(raw)}),
    _asks(
        EventForm.description,
        parse=lambda raw, ctx, a: {"description": event_drafts.description(raw)},
    ),
    _asks(EventForm.zone, _zones),
    Step(EventForm.date, _date, _date_typed, retry=_hint_alone),
    _asks(
        EventForm.time,
        parse=_time_typed,
        applies=lambda a: bool(a.get("picked_day")),
        values=lambda a: {"day": f"{date.fromisoformat(_given(a.get('picked_day'))):%d.%m.%Y}"},
    ),
    _asks(
        EventForm.duration,
        _durations,
        parse=lambda raw, ctx, a: {"duration_minutes": event_drafts.duration(raw)},
    ),
    _asks(
        EventForm.format,
        lambda t, a: [[_btn(t(f"events-format-{f}"), FormAction.FORMAT, f)] for f in FORMATS],
    ),
    _asks(
        EventForm.link,
        parse=lambda raw, ctx, a: {"online_link": event_drafts.online_link(raw)},
        applies=lambda a: a.get("format") != "offline",
    ),
    _asks(
        EventForm.address,
        parse=lambda raw, ctx, a: {"address": event_drafts.address(raw)},
        applies=lambda a: a.get("format") != "online",
    ),
    _asks(
        EventForm.capacity,
        lambda t, a: [[_btn(t("evadm-unlimited-button"), FormAction.UNLIMITED)]],
        parse=lambda raw, ctx, a: {"capacity": event_drafts.capacity(raw)},
    ),
    _asks(
        EventForm.deadline,
        lambda t, a: [[_btn(t(f"evadm-deadline-{c}"), FormAction.DEADLINE, c)] for c in DEADLINES],
        parse=_deadline_typed,
    ),
    _asks(EventForm.deadline_reminder, lambda t, a: _yes_no(t, FormAction.DEADLINE_REMINDER)),
    _asks(EventForm.audience, _audiences),
    _asks(
        EventForm.audience_regions,
        parse=lambda raw, ctx, a: {"audience_regions": event_drafts.audience(raw, ctx.t.locale)},
        applies=lambda a: a.get("audience_mode") == "choose",
    ),
    _asks(EventForm.approval, lambda t, a: _yes_no(t, FormAction.APPROVAL)),
    _asks(
        EventForm.questions,
        _questions_done,
        parse=_question_typed,
        values=lambda a: {"count": len(a.get("questions") or [])},
    ),
    _asks(
        EventForm.reminders,
        lambda t, a: [
            [_btn(reminders_text(t, p), FormAction.REMINDERS, v)] for v, p in PRESETS.items()
        ],
        parse=lambda raw, ctx, a: {"reminder_offsets": reminders.offsets(raw)},
        applies=lambda a: a.get("mode") != "create",
    ),
    Step(EventForm.preview, _preview),
]


class EventFormWizard(Wizard[Answers]):
    def walk(self, answers: Answers) -> Sequence[Step[Answers]]:
        """A new event goes through every step; a change, through its group's."""
        if answers.get("mode") == "create":
            return self.steps
        return [self[s] for s in GROUPS[_given(answers.get("group"))]]

    def after(self, step: Step[Answers], answers: Answers) -> Step[Answers] | None:
        steps = self.walk(answers)
        index = steps.index(step) + 1 if step in steps else len(steps)
        return next((s for s in steps[index:] if s.applies(answers)), None)

    def before(self, step: Step[Answers], answers: Answers) -> Step[Answers] | None:
        if step.state == EventForm.preview:
            return None
        steps = self.walk(answers)
        index = steps.index(step) if step in steps else 0
        return next((s for s in reversed(steps[:index]) if s.applies(answers)), None)

    async def ask(
        self,
        ctx: Ctx,
        step: Step[Answers] | State,
        answers: Answers | None = None,
        *,
        lead: str | None = None,
        keep: bool = False,
    ) -> None:
        found = step if isinstance(step, Step) else self[step]
        if found.state == EventForm.preview:
            # From here on, a step answered again returns to the preview instead of going on.
            answers = await self.update(ctx, {"mode": "preview", "group": None, "backup": None})
        await super().ask(ctx, found, answers, lead=lead, keep=keep)

    async def advance(
        self, ctx: Ctx, step: Step[Answers], answers: Answers, *, lead: str | None = None
    ) -> None:
        capacity = answers.get("capacity") if step.state == EventForm.capacity else None
        if capacity is not None and await _below_taken(ctx, capacity):
            await ctx.alert("evadm-capacity-below-taken")  # typed: a line in the chat
            return
        typed_question = step.state == EventForm.questions and "questions" in answers
        if typed_question and len(answers["questions"]) < MAX_QUESTIONS:
            # Another question, or Done.
            await self.ask(ctx, step, await self.store(ctx, step, answers), lead=lead)
            return
        await super().advance(ctx, step, answers, lead=lead)

    async def route(self, ctx: Ctx, step: Step[Answers], answers: Answers) -> Step[Answers] | None:
        following = self.after(step, answers)
        if following is None and answers.get("mode") == "preview":
            return self[EventForm.preview]  # a change of the preview is done
        return following

    async def finish(self, ctx: Ctx, answers: Answers) -> None:
        """A change of a saved event is done: written to the event; participants hear about a
        new time, place or link, and a bigger hall moves people up from the waitlist."""
        event = await ctx.repo.events.get(int(answers["edit_id"]))
        if event is None or not await event_admin.can_manage(ctx.repo, ctx.chat_id, event):
            log.warning("refused editing event %s by user %s", answers.get("edit_id"), ctx.chat_id)
            await ctx.state.clear()
            await ctx.send(ctx.t("common-not-allowed"))
            return
        before = {
            "starts_at": event.starts_at,
            "duration_minutes": event.duration_minutes,
            "address": event.address,
            "format": event.format,
            "online_link": event.online_link,
            "reminder_offsets": list(event.reminder_offsets),
        }
        fields = event_drafts.as_fields(answers)
        fields.pop("region_code")
        for name, value in fields.items():
            setattr(event, name, value)
        await ctx.repo.session.flush()
        await ctx.state.clear()
        now = _now()
        change = event_drafts.change_between(before, event)
        told = 0
        if change.any and event.status == "published":
            told = await notify_change(ctx.repo, event, change)
        if change.time or before["reminder_offsets"] != event.reminder_offsets:
            await reminders.replan(ctx.repo, event, now)
        for signup in await event_admin.fill_free_seats(ctx.repo, event, now):
            await tell_promoted(ctx.repo, event, signup)
        await ctx.send(ctx.t("evadm-saved", people=told))
        await show_event(ctx.bot, ctx.chat_id, ctx.repo, ctx.t, event)

    async def back_from_first(self, ctx: Ctx, answers: Answers) -> None:
        """Nothing earlier: a saved event's card, the preview a change started from, or the
        same question again (a new event's or a duplicate's first; the field chooser's Back
        is the preview's)."""
        step = self.step(await ctx.state.get_state())
        assert step is not None  # back() found it
        if answers.get("mode") == "event":
            await ctx.state.clear()
            event = await ctx.repo.events.get(int(answers["edit_id"]))
            if event is not None:
                await show_event(ctx.bot, ctx.chat_id, ctx.repo, ctx.t, event)
        elif answers.get("mode") == "preview" and "starts_at" in (answers.get("backup") or {}):
            await ctx.state.set_data(answers.get("backup") or {})
            await self.ask(ctx, EventForm.preview)
        else:
            await self.ask(ctx, step, answers)


wizard = EventFormWizard(EventForm, STEPS)


async def _below_taken(ctx: Ctx, capacity: int) -> bool:
    """A saved event's seats cannot drop below the people already holding one."""
    data = await wizard.data(ctx)
    if data.get("mode") != "event":
        return False
    return capacity < await events.seats_taken(ctx.repo, int(data["edit_id"]))


# ---- starting: new, duplicate, edit --------------------------------------------------------


async def new_pressed(cq: CallbackQuery, ctx: Ctx) -> None:
    """➕ New event: the dialog starts (with the organising region when there is a choice)."""
    regions = await event_admin.managed_regions(ctx.repo, cq.from_user.id)
    if regions is None:  # an admin: their own region first
        person = await ctx.repo.users.snapshot(cq.from_user.id)
        choices = [person.region_code] if person and person.region_code else ["77"]
    else:
        choices = sorted(regions)
    if not choices:
        await ctx.alert("common-not-allowed")
        return
    await ctx.drop_buttons()
    await ctx.state.set_data(
        {"mode": "create", "region_choices": choices, "region_code": choices[0], "questions": []}
    )
    await wizard.ask(ctx, EventForm.region if len(choices) > 1 else EventForm.kind)


async def duplicate_pressed(cq: CallbackQuery, callback_data: EvAdminCb, ctx: Ctx) -> None:
    """Duplicate: the event as a template; only the date and the deadline are asked again."""
    event = await managed_event(cq, ctx.repo, ctx.t, callback_data.event_id, "duplicating")
    if event is None:
        return
    await ctx.drop_buttons()
    await ctx.state.set_data({**event_drafts.as_data(event), "mode": "preview", "group": "when"})
    await ctx.send(ctx.t("evadm-duplicating", title=html.quote(event.title)))
    await wizard.ask(ctx, EventForm.date)


async def edit_pressed(cq: CallbackQuery, callback_data: EvAdminCb, ctx: Ctx) -> None:
    """Edit a saved event: which field?"""
    event = await managed_event(cq, ctx.repo, ctx.t, callback_data.event_id, "editing")
    if event is None:
        return
    if event.status == "cancelled":
        await ctx.outdated()
        return
    await ctx.drop_buttons()
    deadline = event.registration_deadline
    data: Answers = {
        **cast(Answers, event_drafts.as_data(event)),
        "starts_at": event.starts_at.isoformat(),
        "registration_deadline": deadline.isoformat() if deadline else None,
        "mode": "event",
        "edit_id": event.id,
    }
    await ctx.state.set_data(cast(dict[str, Any], data))
    await ctx.state.set_state(EventForm.preview)
    await ctx.send(ctx.t("evadm-which-field"), _field_chooser(ctx.t, data))


# ---- buttons -------------------------------------------------------------------------------


def _button_answer(step: State, action: FormAction, value: str, answers: Answers) -> Answers | None:
    """What a dialog button means at this step; None for a button of another step."""
    if step == EventForm.region and action is FormAction.REGION:
        return {"region_code": value} if value in answers.get("region_choices", []) else None
    if step == EventForm.kind and action is FormAction.KIND:
        return {"kind": value} if value in KINDS else None
    if step == EventForm.zone and action is FormAction.ZONE:
        if value == "region":
            region = catalog().get(answers["region_code"])
            return {"tz": region.tz} if region else None
        return {"tz": ZONES[value]} if value in ZONES else None
    if step == EventForm.duration and action is FormAction.DURATION:
        return {"duration_minutes": int(value)} if value in {str(m) for m in DURATIONS} else None
    if step == EventForm.format and action is FormAction.FORMAT:
        return {"format": value} if value in FORMATS else None
    if step == EventForm.capacity and action is FormAction.UNLIMITED:
        return {"capacity": None}
    if step == EventForm.deadline and action is FormAction.DEADLINE and value in DEADLINES:
        starts = datetime.fromisoformat(_given(answers.get("starts_at")))
        deadline = event_drafts.deadline_before(starts, value)
        event_drafts.check_deadline(deadline, starts, _now())
        return {"registration_deadline": deadline.isoformat() if deadline else None}
    if step == EventForm.audience and action is FormAction.AUDIENCE:
        if value == "all":
            return {"audience_mode": "all", "audience_regions": []}
        if value == "own":
            return {"audience_mode": "own", "audience_regions": [answers["region_code"]]}
        return {"audience_mode": "choose"} if value == "choose" else None
    if step == EventForm.approval and action is FormAction.APPROVAL:
        return {"needs_approval": value == "yes"} if value in ("yes", "no") else None
    if step == EventForm.deadline_reminder and action is FormAction.DEADLINE_REMINDER:
        return {"remind_deadline": value == "yes"} if value in ("yes", "no") else None
    if step == EventForm.questions and action is FormAction.QUESTIONS_DONE:
        return {}
    if step == EventForm.reminders and action is FormAction.REMINDERS:
        return {"reminder_offsets": PRESETS[value]} if value in PRESETS else None
    return None


async def pressed(cq: CallbackQuery, callback_data: FormCb, ctx: Ctx) -> None:
    """A dialog button: an answer, or Publish / Save draft / Change on the preview."""
    step = wizard.step(await ctx.state.get_state())
    data = await wizard.data(ctx)
    action, value = callback_data.action, callback_data.value
    if step is not None and step.state == EventForm.preview:
        await _preview_pressed(cq, action, value, ctx, data)
        return
    try:
        answers = _button_answer(step.state, action, value, data) if step else None
    except InvalidInput as exc:
        await ctx.alert(exc.key)
        return
    if step is None or answers is None:
        await ctx.outdated()
        return
    await ctx.drop_buttons()
    if step.state == EventForm.zone and data.get("mode") == "create":
        answers["starts_at"] = None  # a time typed in another zone would mean another moment
    await wizard.advance(ctx, step, answers)


async def _preview_pressed(
    cq: CallbackQuery, action: FormAction, value: str, ctx: Ctx, data: Answers
) -> None:
    if action is FormAction.CHANGE and data.get("mode") == "preview":
        await ctx.drop_buttons()
        await ctx.send(ctx.t("evadm-which-field"), _field_chooser(ctx.t, data))
        return
    if action is FormAction.FIELD and value in GROUPS:
        if value == "questions" and data.get("mode") == "event" and await _answered(ctx, data):
            await ctx.alert("evadm-questions-locked")
            return
        await ctx.drop_buttons()
        backup = {k: v for k, v in data.items() if k != "backup"}
        changes: Answers = {"group": value, "backup": backup}
        if value == "questions":
            changes["questions"] = []
        data = await wizard.update(ctx, changes)
        await wizard.ask(ctx, next(s for s in wizard.walk(data) if s.applies(data)))
        return
    if action in (FormAction.PUBLISH, FormAction.DRAFT) and data.get("mode") == "preview":
        await _create(cq, action, ctx, data)
        return
    await ctx.outdated()


async def _answered(ctx: Ctx, data: Answers) -> bool:
    """Someone signed up already: their answers follow the questions' order, so the
    questions may change only while nobody has answered them."""
    counts = await ctx.repo.signups.counts(int(data["edit_id"]))
    return any(counts.get(status, 0) for status in ("signed_up", "waitlisted", "pending"))


async def _create(cq: CallbackQuery, action: FormAction, ctx: Ctx, data: Answers) -> None:
    """Publish or save the previewed event (the region is checked again: roles may change)."""
    regions = await event_admin.managed_regions(ctx.repo, cq.from_user.id)
    if regions is not None and data["region_code"] not in regions:
        log.warning("refused creating an event by user %s", cq.from_user.id)
        await ctx.alert("common-not-allowed")
        return
    status = "published" if action is FormAction.PUBLISH else "draft"
    try:
        event = await event_admin.create(ctx.repo, data, cq.from_user.id, status, _now())
    except InvalidInput as exc:
        await ctx.alert(exc.key)
        return
    await ctx.state.clear()
    await ctx.drop_buttons()
    await ctx.send(ctx.t(f"evadm-created-{status}", title=html.quote(event.title)))
    await show_event(ctx.bot, ctx.chat_id, ctx.repo, ctx.t, event)


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


async def day_picked(cq: CallbackQuery, callback_data: SimpleCalendarCallback, ctx: Ctx) -> None:
    """The calendar: months back and forth, or a day (then the time is typed)."""
    if callback_data.act == SimpleCalAct.ignore:
        return  # a weekday or a blank cell: nothing to do (the press is answered silently)
    data = await wizard.data(ctx)
    now = _now()
    year, month = callback_data.year or 0, callback_data.month or 0
    if not (now.year - 1 <= year <= now.year + event_drafts.MAX_YEARS_AHEAD and 1 <= month <= 12):
        await ctx.outdated()
        return
    if callback_data.act != SimpleCalAct.day:
        shown = _paged(callback_data.act, year, month)
        if shown is None:  # Today, or Cancel (not on our keyboard): back to this month
            local = now.astimezone(ZoneInfo(data["tz"]))
            shown = (local.year, local.month)
        if isinstance(cq.message, Message):
            await cq.message.edit_reply_markup(reply_markup=await _calendar_markup(ctx.t, *shown))
        return
    try:
        day = date(year, month, callback_data.day or 0)
    except ValueError:
        await ctx.outdated()
        return
    if not event_drafts.day_allowed(day, data["tz"], now):
        await ctx.alert("evadm-day-past")
        return
    await ctx.drop_buttons()
    await wizard.advance(ctx, wizard[EventForm.date], {"picked_day": day.isoformat()})


def router() -> Router:
    r = Router(name=__name__)
    gate = RoleGate(Role.ORGANISER, Role.ADMIN)
    r.message.middleware(gate)
    r.callback_query.middleware(gate)
    a = EvAdminCb.filter
    r.callback_query.register(new_pressed, a(F.action == EvAdminAction.NEW))
    r.callback_query.register(edit_pressed, a(F.action == EvAdminAction.EDIT))
    r.callback_query.register(duplicate_pressed, a(F.action == EvAdminAction.DUPLICATE))
    r.callback_query.register(day_picked, EventForm.date, SimpleCalendarCallback.filter())
    r.callback_query.register(pressed, StateFilter(EventForm), FormCb.filter())
    wizard.register(r)
    return r
