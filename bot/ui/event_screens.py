"""How an event looks to the people: its card (what they may see of it, and the buttons
their sign-up allows), the pages of upcoming events, "My events" and the outcome of a press.
The organisers' view is in bot/ui/event_cards.py."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from aiogram import html
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Text
from bot.services import calendar_files
from bot.services import events as ev
from bot.services.events import CardView, Outcome
from bot.services.regions import zone_of
from bot.ui.callbacks.events import EventAction, EventCb
from bot.ui.keyboards import arrows, button
from db.models import Event
from db.repositories import UserSnapshot

PAGE = 5
FROM_MINE = "my"  # the `kind` of a card opened from 'My events': Back returns there
GOOGLE_URL_MAX = 2048  # a longer link (a long description) is left out; the .ics has it all
DESCRIPTION_MAX = 2500  # a card is one message (4,096 characters)


def event_cb(action: EventAction, event_id: int = 0, page: int = 0, kind: str = "") -> EventCb:
    return EventCb(action=action, event_id=event_id, page=page, kind=kind)


def event_button(
    text: str, action: EventAction, event_id: int = 0, page: int = 0, kind: str = ""
) -> InlineKeyboardButton:
    return button(text[:64], event_cb(action, event_id, page, kind))


def reader_zone(person: UserSnapshot | None) -> str:
    """The reader's zone: the one they chose in their region, else their region's; Moscow time
    for someone without a region yet."""
    return zone_of(person.region_code, person.tz) if person else zone_of(None)


def _moment(t: Text, moment: datetime, event_zone: str, zone: str) -> tuple[str, str]:
    """The date in the reader's zone, and the time in theirs and the event's."""
    date = f"{moment.astimezone(ZoneInfo(zone)):%d.%m.%Y}"
    return date, ev.times(moment, event_zone, zone, t("events-msk"))


def _kind(t: Text, kind: str) -> str:
    return t(f"events-kind-{kind}") if kind in ev.KINDS else html.quote(kind)


def _format(t: Text, fmt: str) -> str:
    return t(f"events-format-{fmt}") if fmt in ev.FORMATS else html.quote(fmt)


def _seats(t: Text, event: Event, taken: int) -> str:
    left = ev.seats_left(event, taken)
    if left is None:
        return t("events-seats-unlimited")
    if left == 0:
        return t("events-seats-full")
    return t("events-seats-left", count=left, capacity=event.capacity or 0)


def status_text(t: Text, status: str, position: int | None) -> str:
    return t(f"events-status-{status}", position=position or 0)


def _state_lines(t: Text, view: CardView, now: datetime) -> list[str]:
    event = view.event
    lines = []
    if event.status == "cancelled":
        lines.append(t("events-state-event-cancelled"))
    elif event.starts_at <= now:
        lines.append(t("events-state-past"))
    elif not view.active and ev.precheck(view, True, now) is Outcome.DEADLINE:
        lines.append(t("events-state-deadline"))
    if view.status is not None and view.status != "cancelled":
        lines.append(status_text(t, view.status, view.position))
    return lines


def card_text(t: Text, view: CardView, zone: str, now: datetime) -> str:
    event = view.event
    date, time = _moment(t, event.starts_at, event.tz, zone)
    lines = [
        t(
            "events-card-head",
            title=html.quote(event.title),
            kind=_kind(t, event.kind),
            format=_format(t, event.format),
        ),
        t("events-card-when", date=date, time=time, duration=event.duration_minutes),
    ]
    if event.address and event.format != "online":
        lines.append(t("events-card-address", address=html.quote(event.address)))
    if event.format != "offline":
        if view.sees_link and event.online_link:
            lines.append(t("events-card-link", link=html.quote(event.online_link)))
        else:  # the link is for participants only
            lines.append(t("events-card-link-later"))
    lines.append(t("events-card-seats", seats=_seats(t, event, view.taken)))
    if event.registration_deadline is not None:
        d_date, d_time = _moment(t, event.registration_deadline, event.tz, zone)
        lines.append(t("events-card-deadline", date=d_date, time=d_time))
    text = "\n".join(lines) + "\n\n" + html.quote(event.description[:DESCRIPTION_MAX])
    state = _state_lines(t, view, now)
    return text + ("\n\n" + "\n".join(state) if state else "")


def _ends(event: Event) -> datetime:
    return event.starts_at + timedelta(minutes=event.duration_minutes)


def card_markup(
    t: Text, view: CardView, now: datetime, page: int, kind: str
) -> InlineKeyboardMarkup:
    event = view.event
    live = event.status == "published" and now < _ends(event)
    rows: list[list[InlineKeyboardButton]] = []
    if ev.open_for_sign_up(view, now):
        full = view.seats_left == 0 and not event.needs_approval
        label = t("events-waitlist-button") if full else t("events-sign-up-button")
        rows.append([event_button(label, EventAction.SIGN_UP, event.id, page, kind)])
    if view.status == "signed_up" and live:
        row = [event_button(t("events-ics-button"), EventAction.ICS, event.id)]
        if event.format in ("offline", "hybrid"):  # the check-in code is shown at the door
            row.append(event_button(t("events-code-button"), EventAction.CODE, event.id))
        rows.append(row)
        url = calendar_files.google_link(event, with_link=True)
        if len(url) <= GOOGLE_URL_MAX:
            rows.append([InlineKeyboardButton(text=t("events-google-button"), url=url)])
    if view.status == "offered" and event.status == "published" and event.starts_at > now:
        rows.append(
            [
                event_button(t("events-offer-yes-button"), EventAction.OFFER_YES, event.id),
                event_button(t("events-offer-no-button"), EventAction.OFFER_NO, event.id),
            ]
        )
    elif view.active and event.status == "published" and event.starts_at > now:
        rows.append(
            [event_button(t("events-cancel-button"), EventAction.CANCEL, event.id, page, kind)]
        )
    if kind == FROM_MINE:
        rows.append([event_button(t("events-back-to-mine-button"), EventAction.MINE, page=page)])
    else:
        rows.append(
            [event_button(t("events-back-to-list-button"), EventAction.LIST, page=page, kind=kind)]
        )
    return InlineKeyboardMarkup(inline_keyboard=rows)


def list_screen(
    t: Text, found: ev.Upcoming, zone: str, kind: str
) -> tuple[str, InlineKeyboardMarkup]:
    kind_name = _kind(t, kind) if kind else t("events-kind-all")
    builder = InlineKeyboardBuilder()
    lines = []
    for n, item in enumerate(found.items, start=found.number * PAGE + 1):
        event = item.event
        date, time = _moment(t, event.starts_at, event.tz, zone)
        mark = {"signed_up": " ✅", "waitlisted": " ⏳", "pending": " ⏳", "offered": " ❗"}.get(
            item.status or "", ""
        )
        lines.append(
            t(
                "events-list-line",
                number=n,
                title=html.quote(event.title),
                mark=mark,
                date=date,
                time=time,
                format=_format(t, event.format),
                seats=_seats(t, event, item.taken),
            )
        )
        builder.row(
            event_button(f"{n}. {event.title}", EventAction.OPEN, event.id, found.number, kind)
        )
    builder.row(
        *arrows(found.number, found.count, lambda p: event_cb(EventAction.LIST, page=p, kind=kind))
    )
    filters = [("", t("events-kind-all-button"))] + [(k, t(f"events-kind-{k}")) for k in ev.KINDS]
    buttons = [
        event_button(("✓ " if k == kind else "") + label, EventAction.LIST, kind=k)
        for k, label in filters
    ]
    builder.row(*buttons[:4])
    builder.row(*buttons[4:])
    builder.row(event_button(t("events-mine-button"), EventAction.MINE))
    if not found.total:
        return t("events-list-empty", kind=kind_name), builder.as_markup()
    text = t(
        "events-list",
        kind=kind_name,
        total=found.total,
        page=found.number + 1,
        pages=found.count,
        lines="\n\n".join(lines),
    )
    return text, builder.as_markup()


def mine_screen(t: Text, found: ev.MyPage, zone: str) -> tuple[str, InlineKeyboardMarkup]:
    builder = InlineKeyboardBuilder()
    lines = []
    for n, (event, signup, position) in enumerate(found.items, start=found.number * PAGE + 1):
        date, time = _moment(t, event.starts_at, event.tz, zone)
        status = (
            t("events-state-event-cancelled")
            if event.status == "cancelled"
            else status_text(t, signup.status, position)
        )
        lines.append(
            t(
                "events-mine-line",
                number=n,
                title=html.quote(event.title),
                date=date,
                time=time,
                status=status,
            )
        )
        builder.row(
            event_button(f"{n}. {event.title}", EventAction.OPEN, event.id, found.number, FROM_MINE)
        )
    builder.row(*arrows(found.number, found.count, lambda p: event_cb(EventAction.MINE, page=p)))
    builder.row(event_button(t("events-all-button"), EventAction.LIST))
    if not found.total:
        return t("events-mine-empty"), builder.as_markup()
    text = t(
        "events-mine",
        total=found.total,
        page=found.number + 1,
        pages=found.count,
        lines="\n\n".join(lines),
    )
    return text, builder.as_markup()


def outcome_text(
    t: Text, outcome: Outcome, event: Event | None, zone: str, position: int | None
) -> str:
    deadline = "—"
    if event is not None and event.registration_deadline is not None:
        deadline = ", ".join(_moment(t, event.registration_deadline, event.tz, zone))
    return t(
        f"events-outcome-{outcome.value}",
        title=html.quote(event.title) if event else "",
        position=position or 0,
        deadline=deadline,
    )
