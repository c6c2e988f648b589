"""How an event looks to its organisers: times in the event's zone with Moscow beside them,
durations, audiences, and the full card."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import html

from bot.i18n import Text
from bot.services.events import times
from bot.services.regions import catalog
from bot.services.reminders import DEFAULT_OFFSETS


def when_text(t: Text, moment: datetime, zone: str) -> str:
    """25.12.2026 10:00 МСК+6 / 04:00 МСК: the event's zone, and Moscow beside it."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%d.%m.%Y} {times(moment, zone, 'Europe/Moscow', t('events-msk'))}"


def duration_text(t: Text, minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return t("evadm-duration-value", hours=hours, minutes=rest)


def reminders_text(t: Text, offsets: list[int]) -> str:
    """ "24 h, 1 h": how long before the start each reminder goes."""
    return ", ".join(duration_text(t, m) for m in sorted(offsets, reverse=True))


def audience_text(t: Text, codes: list[str]) -> str:
    if not codes:
        return t("evadm-audience-all")
    return ", ".join(r.name(t.locale) for c in codes if (r := catalog().get(c)) is not None)


def organiser_card(t: Text, fields: dict[str, Any], counts: dict[str, int] | None = None) -> str:
    """The organiser's view of an event: every field, escaped, and the sign-up counts."""
    deadline: datetime | None = fields["registration_deadline"]
    region = catalog().get(fields["region_code"])
    questions = "\n".join(f"{i}. {html.quote(q)}" for i, q in enumerate(fields["questions"], 1))
    text = t(
        "evadm-card",
        title=html.quote(fields["title"]),
        kind=t(f"events-kind-{fields['kind']}"),
        status=t(f"evadm-event-{fields.get('status', 'new')}"),
        region=region.name(t.locale) if region else fields["region_code"],
        when=when_text(t, fields["starts_at"], fields["tz"]),
        duration=duration_text(t, fields["duration_minutes"]),
        format=t(f"events-format-{fields['format']}"),
        link=html.quote(fields["online_link"] or "—"),
        address=html.quote(fields["address"] or "—"),
        capacity=fields["capacity"] or t("evadm-unlimited"),
        deadline=when_text(t, deadline, fields["tz"]) if deadline else t("evadm-deadline-at-start"),
        audience=audience_text(t, fields["audience_regions"]),
        approval=t("evadm-yes" if fields["needs_approval"] else "evadm-no"),
        deadline_reminder=t("evadm-yes" if fields.get("remind_deadline") else "evadm-no"),
        questions=questions or "—",
        reminders=reminders_text(t, fields.get("reminder_offsets") or list(DEFAULT_OFFSETS)),
        description=html.quote(fields["description"]),
    )
    if counts is None:
        return text
    return (
        text
        + "\n\n"
        + t(
            "evadm-counts",
            signed=counts.get("signed_up", 0) + counts.get("attended", 0),
            waitlisted=counts.get("waitlisted", 0),
            pending=counts.get("pending", 0),
            attended=counts.get("attended", 0),
        )
    )
