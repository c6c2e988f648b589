"""The outbox renderers of plain texts, copies (broadcasts) and event messages."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import html
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Text, Translator
from bot.outbox_sender import Rendered, cached_event, cached_signup
from bot.services.events import SEES_LINK, times
from bot.services.regions import zone_of
from bot.ui.callbacks.events import EventAction, EventCb
from bot.ui.keyboards import button
from db.models import Event, OutboxMessage, User
from db.repositories import Repo


def _markup(t: Text, rows: list[list[dict[str, Any]]] | None) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text=t(b["key"], **b.get("args", {})), url=b["url"])
                if "url" in b
                else InlineKeyboardButton(
                    text=t(b["key"], **b.get("args", {})), callback_data=b["data"]
                )
                for b in row
            ]
            for row in rows
        ]
    )


async def render_text(
    _repo: Repo, translator: Translator, row: OutboxMessage, person: User, _now: datetime
) -> Rendered | None:
    """A text key with its arguments (already escaped where they came from people)."""
    t = translator.for_locale(person.language)
    payload = row.payload
    # An argument given as {"key": ...} is itself a text (a stage's name) in their language.
    args = {
        name: t(value["key"]) if isinstance(value, dict) else value
        for name, value in payload.get("args", {}).items()
    }
    return Rendered(text=t(payload["key"], **args), markup=_markup(t, payload.get("buttons")))


def broadcast_markup(
    t: Text, rows: list[list[dict[str, Any]]] | None
) -> InlineKeyboardMarkup | None:
    """A broadcast's buttons as the recipient sees them: the organiser's links as typed, and
    "Open the event" in the recipient's language."""
    if not rows:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text=b["text"], url=b["url"])
                if "url" in b
                else button(
                    t("bc-event-button"), EventCb(action=EventAction.OPEN, event_id=b["event_id"])
                )
                for b in row
            ]
            for row in rows
        ]
    )


async def render_copy(
    _repo: Repo, translator: Translator, row: OutboxMessage, person: User, _now: datetime
) -> Rendered | None:
    """A copy of a stored message or album (a broadcast's original) with its buttons."""
    payload = row.payload
    ids = payload.get("message_ids") or [payload["message_id"]]  # rows queued before albums
    album = len(ids) > 1
    return Rendered(
        copy_from=(int(payload["from_chat_id"]), tuple(int(i) for i in ids)),
        markup=None
        if album
        else broadcast_markup(translator.for_locale(person.language), payload.get("buttons")),
        paid=bool(payload.get("paid")) and not album,
    )


async def render_event(
    repo: Repo, translator: Translator, row: OutboxMessage, person: User, _now: datetime
) -> Rendered | None:
    """A text about an event: its title, and its time in the recipient's zone as of now (an
    edit since queueing shows). Dropped when the person's sign-up has moved on."""
    payload = row.payload
    event = await cached_event(repo, int(payload["event_id"]))
    if event is None:
        return None
    signup = await cached_signup(repo, event.id, person.id)
    needs = payload.get("needs_signup")
    if needs is not None and (signup is None or signup.status not in needs):
        return None
    unless = payload.get("unless_signup")
    if unless is not None and signup is not None and signup.status in unless:
        return None
    t = translator.for_locale(person.language)
    zone = zone_of(person.region_code, person.tz)
    date = f"{event.starts_at.astimezone(ZoneInfo(zone)):%d.%m.%Y}"
    time = times(event.starts_at, event.tz, zone, t("events-msk"))
    seated = signup is not None and signup.status in SEES_LINK
    about = {
        "title": html.quote(event.title),
        "date": date,
        "time": time,
        "when": f"{date} {time}",
        "link": html.quote(event.online_link or "") if seated else "",
        "address": html.quote(event.address or ""),
        "format": event.format,
        "closes": _closes(event, zone, t),
        "until": f"{signup.offer_expires_at.astimezone(ZoneInfo(zone)):%d.%m %H:%M}"
        if signup is not None and signup.offer_expires_at is not None
        else "",
    }
    args = dict(payload.get("args", {}))
    parts = args.pop("parts", None)
    if parts is not None:  # lines composed at send time (a change notice: time, place, link)
        lines = [t(part["key"], **about) for part in parts if seated or not part.get("seated")]
        if not lines:
            return None
        args["changes"] = "\n".join(lines)
    text = t(payload["key"], **about, **args)
    markup = _markup(t, payload.get("buttons")) or _actions(t, event.id, payload.get("actions"))
    return Rendered(text=text, markup=markup)


def _closes(event: Event, zone: str, t: Text) -> str:
    closes = event.registration_deadline or event.starts_at
    local = closes.astimezone(ZoneInfo(zone))
    return f"{local:%d.%m.%Y} {times(closes, event.tz, zone, t('events-msk'))}"


def _actions(t: Text, event_id: int, actions: list[str] | None) -> InlineKeyboardMarkup | None:
    """A reminder's buttons: "Can't come" (frees the seat, after a confirmation) and the card."""
    if not actions:
        return None
    made = {
        "cant_come": ("events-reminder-cant-come", EventAction.CANCEL),
        "open": ("events-open-button", EventAction.OPEN),
    }
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [button(t(made[a][0]), EventCb(action=made[a][1], event_id=event_id))]
            for a in actions
            if a in made
        ]
    )
