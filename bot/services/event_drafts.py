"""An event as the organiser's dialog builds it: what each answer may be, and the checks across
answers (no start in the past, no deadline after the start). Errors carry a text key."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bot.services.regions import catalog
from bot.services.reminders import DEFAULT_OFFSETS
from bot.services.validation import InvalidInput, without_controls
from db.models import Event

# Russia's eleven zones, west to east; the key names the text of the button.
ZONES = {
    "kaliningrad": "Europe/Kaliningrad",
    "moscow": "Europe/Moscow",
    "samara": "Europe/Samara",
    "yekaterinburg": "Asia/Yekaterinburg",
    "omsk": "Asia/Omsk",
    "krasnoyarsk": "Asia/Krasnoyarsk",
    "irkutsk": "Asia/Irkutsk",
    "yakutsk": "Asia/Yakutsk",
    "vladivostok": "Asia/Vladivostok",
    "magadan": "Asia/Magadan",
    "kamchatka": "Asia/Kamchatka",
}
DURATIONS = (60, 90, 120, 180, 480)  # minutes offered as buttons
MAX_DURATION = 14 * 24 * 60  # a field seminar may last days, not months
MAX_CAPACITY = 100_000
MAX_QUESTIONS = 3
DEADLINES = ("start", "1h", "1d", "3d")  # registration closes at / before the start
MAX_YEARS_AHEAD = 3

_SPACES = re.compile(r"[ \t]+")
_WHEN = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})[ ,]+(\d{1,2})[:.](\d{2})")
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")
_HOURS = re.compile(r"(\d{1,3})(?:[:.,](\d{1,2}))?\s*(ч|h|час\w*|hours?)?", re.IGNORECASE)


def _text(raw: str | None, *, min_len: int, max_len: int, key: str, lines: bool = False) -> str:
    """Trimmed text; `lines` keeps line breaks (descriptions), otherwise one line."""
    value = without_controls(raw)
    if lines:
        value = "\n".join(_SPACES.sub(" ", line).strip() for line in value.splitlines())
        value = re.sub(r"\n{3,}", "\n\n", value).strip()
    else:
        value = " ".join(value.split())
    if not value:
        raise InvalidInput("evadm-empty")
    if value.startswith("/"):
        raise InvalidInput("validation-command-in-answer")
    if len(value) > max_len:
        raise InvalidInput(f"{key}-too-long")
    if len(value) < min_len:
        raise InvalidInput(f"{key}-too-short")
    return value


def title(raw: str | None) -> str:
    return _text(raw, min_len=3, max_len=200, key="evadm-title")


def description(raw: str | None) -> str:
    return _text(raw, min_len=10, max_len=3000, key="evadm-description", lines=True)


def address(raw: str | None) -> str:
    return _text(raw, min_len=5, max_len=300, key="evadm-address")


def question(raw: str | None) -> str:
    return _text(raw, min_len=3, max_len=300, key="evadm-question")


def online_link(raw: str | None) -> str:
    """An http(s) link with a host (Zoom, Yandex Telemost, VK, a Telegram chat...)."""
    value = (raw or "").strip()
    parts = urlsplit(value)
    if (
        parts.scheme not in ("http", "https")
        or "." not in parts.netloc
        or len(value) > 500
        or any(c.isspace() for c in value)
    ):
        raise InvalidInput("evadm-link-invalid")
    return value


def capacity(raw: str | None) -> int:
    value = (raw or "").strip().replace(" ", "")
    if not value.isdigit() or not 1 <= int(value) <= MAX_CAPACITY:
        raise InvalidInput("evadm-capacity-invalid")
    return int(value)


def duration(raw: str | None) -> int:
    """Minutes from "90", "1:30", "1.5 ч", "2 h"; a bare number up to 12 means hours."""
    value = (raw or "").strip().casefold()
    match = _HOURS.fullmatch(value)
    if not match:
        raise InvalidInput("evadm-duration-invalid")
    whole, part, unit = match.groups()
    if part is not None:
        # "1:30" is an hour and a half; "1.5" and "1,5" are decimal hours.
        minutes = (
            int(whole) * 60 + int(part)
            if ":" in value
            else round((int(whole) + float("0." + part)) * 60)
        )
    elif unit or int(whole) <= 12:
        minutes = int(whole) * 60
    else:
        minutes = int(whole)
    if not 15 <= minutes <= MAX_DURATION:
        raise InvalidInput("evadm-duration-invalid")
    return minutes


def _future(local: datetime, zone: str, now: datetime) -> datetime:
    moment = local.replace(tzinfo=ZoneInfo(zone))
    if moment <= now:
        raise InvalidInput("evadm-when-past")
    if moment.year > now.year + MAX_YEARS_AHEAD:
        raise InvalidInput("evadm-when-too-far")
    return moment


def when(raw: str | None, zone: str, now: datetime) -> datetime:
    """ "25.12.2026 10:00" in the event's zone; returned aware, not in the past."""
    match = _WHEN.fullmatch((raw or "").strip())
    if not match:
        raise InvalidInput("evadm-when-format")
    day, month, year, hour, minute = (int(g) for g in match.groups())
    try:
        local = datetime(year, month, day, hour, minute)
    except ValueError as exc:
        raise InvalidInput("evadm-when-format") from exc
    return _future(local, zone, now)


def time_on(day: date, raw: str | None, zone: str, now: datetime) -> datetime:
    """The time of day typed after a date was picked in the calendar."""
    match = _TIME.fullmatch((raw or "").strip())
    if not match:
        raise InvalidInput("evadm-time-format")
    hour, minute = (int(g) for g in match.groups())
    try:
        moment = datetime.combine(day, time(hour, minute))
    except ValueError as exc:
        raise InvalidInput("evadm-time-format") from exc
    return _future(moment, zone, now)


def day_allowed(day: date, zone: str, now: datetime) -> bool:
    """A calendar day is allowed from today (in the event's zone) on."""
    return day >= now.astimezone(ZoneInfo(zone)).date() and day.year <= now.year + MAX_YEARS_AHEAD


def deadline_before(starts_at: datetime, choice: str) -> datetime | None:
    """None means registration stays open until the start."""
    offsets = {"start": None, "1h": timedelta(hours=1), "1d": timedelta(days=1)}
    offsets["3d"] = timedelta(days=3)
    offset = offsets.get(choice)
    if choice not in offsets:
        raise InvalidInput("common-use-buttons")
    return None if offset is None else starts_at - offset


def check_deadline(deadline: datetime | None, starts_at: datetime, now: datetime) -> None:
    if deadline is None:
        return
    if deadline > starts_at:
        raise InvalidInput("evadm-deadline-after-start")
    if deadline <= now:
        raise InvalidInput("evadm-deadline-past")


def audience(raw: str | None, lang: str) -> list[str]:
    """Region codes from "Татарстан, Самарская, 02": each part must name exactly one region."""
    parts = [p.strip() for p in re.split(r"[,;\n]+", raw or "") if p.strip()]
    if not parts or len(parts) > 89:
        raise InvalidInput("evadm-audience-invalid")
    codes: list[str] = []
    for part in parts:
        region = catalog().get(part.zfill(2)) if part.isdigit() else None
        if region is None:
            found = catalog().search(part, lang)
            if len(found) != 1:
                raise InvalidInput("evadm-audience-invalid")
            region = found[0]
        if region.code not in codes:
            codes.append(region.code)
    return codes


@dataclass(frozen=True, slots=True)
class Change:
    """What an edit changed that participants must hear about."""

    time: bool
    place: bool
    link: bool

    @property
    def any(self) -> bool:
        return self.time or self.place or self.link


def change_between(before: dict[str, Any], after: Event) -> Change:
    return Change(
        time=before["starts_at"] != after.starts_at
        or before["duration_minutes"] != after.duration_minutes,
        place=before["address"] != after.address or before["format"] != after.format,
        link=before["online_link"] != after.online_link,
    )


def as_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """The event's columns from the dialog's data (ISO strings back to datetimes)."""
    deadline = data.get("registration_deadline")
    fmt = data["format"]
    return {
        "kind": data["kind"],
        "title": data["title"],
        "description": data["description"],
        "tz": data["tz"],
        "starts_at": datetime.fromisoformat(data["starts_at"]),
        "duration_minutes": data["duration_minutes"],
        "format": fmt,
        "online_link": data.get("online_link") if fmt != "offline" else None,
        "address": data.get("address") if fmt != "online" else None,
        "capacity": data.get("capacity"),
        "registration_deadline": datetime.fromisoformat(deadline) if deadline else None,
        "audience_regions": list(data.get("audience_regions") or []),
        "needs_approval": bool(data.get("needs_approval")),
        "questions": list(data.get("questions") or []),
        "region_code": data["region_code"],
        "reminder_offsets": list(data.get("reminder_offsets") or DEFAULT_OFFSETS),
        "remind_deadline": bool(data.get("remind_deadline")),
    }


def as_data(event: Event) -> dict[str, Any]:
    """The dialog's data of an existing event (to duplicate it as a template)."""
    return {
        "kind": event.kind,
        "title": event.title,
        "description": event.description,
        "tz": event.tz,
        "duration_minutes": event.duration_minutes,
        "format": event.format,
        "online_link": event.online_link,
        "address": event.address,
        "capacity": event.capacity,
        "audience_regions": list(event.audience_regions),
        "needs_approval": event.needs_approval,
        "questions": list(event.questions),
        "region_code": event.region_code,
        "reminder_offsets": list(event.reminder_offsets or DEFAULT_OFFSETS),
        "remind_deadline": event.remind_deadline,
    }
