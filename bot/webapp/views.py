"""The dashboard's JSON: the services' results with their labels in the reader's language
(the chat's own texts for the chat's words: statuses, kinds, roles, regions)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import Text
from bot.services import audit as audit_log
from bot.services import participants
from bot.services.attendance import Summary
from bot.services.dashboard import BroadcastLine, EventLine, People, TopicLine, Viewer
from bot.services.questions import topic_label
from bot.services.regions import catalog
from bot.ui import audit as audit_words
from bot.ui.event_cards import when_text
from bot.ui.texts import local_time
from db.models import Broadcast

JSON = dict[str, Any]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def region_name(t: Text, code: str | None) -> str:
    region = catalog().get(code)
    return region.name(t.locale) if region else (code or "—")


def me(t: Text, person: Viewer, name: str | None) -> JSON:
    return {
        "id": person.user_id,
        "name": name,
        "language": person.language,
        "roles": sorted(person.roles),
        "admin": person.is_admin,
        "regions": None
        if person.regions is None
        else [{"code": c, "name": region_name(t, c)} for c in sorted(person.regions)],
    }


def people(t: Text, found: People) -> JSON:
    return {
        "total": found.total,
        "days": [{"day": d.day.isoformat(), "new": d.new, "total": d.total} for d in found.days],
        "by_region": [
            {"code": code, "name": region_name(t, code), "count": n} for code, n in found.by_region
        ],
        "by_role": [
            {"role": role, "label": t(f"bc-role-{role}"), "count": n}
            for role, n in found.by_role.items()
        ],
    }


def tos(t: Text, by_status: dict[str, int]) -> JSON:
    return {
        "total": sum(by_status.values()),
        "by_status": [
            {"status": s, "label": t(f"dash-tos-{s}"), "count": n} for s, n in by_status.items()
        ],
    }


def event_line(t: Text, line: EventLine) -> JSON:
    event = line.event
    return {
        "id": event.id,
        "title": event.title,
        "kind": event.kind,
        "kind_label": t(f"events-kind-{event.kind}"),
        "status": event.status,
        "status_label": t(f"evadm-event-{event.status}"),
        "format_label": t(f"events-format-{event.format}"),
        "region": region_name(t, event.region_code),
        "starts_at": _iso(event.starts_at),
        "when": when_text(t, event.starts_at, event.tz),
        "capacity": event.capacity,
        "taken": line.taken,
        "left": line.left,
        "signed": line.signed,
        "waitlisted": line.counts.get("waitlisted", 0),
        "pending": line.counts.get("pending", 0),
        "attended": line.counts.get("attended", 0),
    }


def events(t: Text, lines: list[EventLine], total: int) -> JSON:
    return {"total": total, "items": [event_line(t, line) for line in lines]}


def questions(t: Text, lines: list[TopicLine]) -> JSON:
    return {
        "open": sum(line.new + line.taken for line in lines),
        "waiting": sum(line.new for line in lines),
        "topics": [
            {
                "id": line.topic.id,
                "name": topic_label(line.topic, t.locale),
                "new": line.new,
                "taken": line.taken,
                "longest_hours": round(line.longest_hours, 1),
                "median_hours": round(line.median_hours, 1),
            }
            for line in lines
        ],
    }


def _moment(broadcast: Broadcast) -> datetime:
    return broadcast.started_at or broadcast.scheduled_at or broadcast.created_at


def broadcast(t: Text, line: BroadcastLine, zone: ZoneInfo) -> JSON:
    b, made = line.broadcast, line.progress
    return {
        "id": b.id,
        "status": b.status,
        "status_label": t(f"bc-status-{b.status}"),
        "when": f"{_moment(b).astimezone(zone):%d.%m.%Y %H:%M}",
        "at": _iso(_moment(b)),
        "finished_at": _iso(b.finished_at),
        "total": made.total,
        "sent": made.sent,
        "blocked": made.blocked,
        "failed": made.failed,
        "done": made.done,
        "percent": made.percent,
        "delivered_percent": line.delivered_percent,
        "rate": None if made.rate is None else round(made.rate, 2),
        "seconds_left": None if made.seconds_left is None else round(made.seconds_left),
        "counts": dict(sorted(line.counts.items())),
    }


def summary(found: Summary) -> JSON:
    return {
        "signed_up": found.signed_up,
        "attended": found.attended,
        "share": found.share,
        "ratings": found.ratings,
        "average": None if found.average is None else str(found.average),
        "distribution": [{"rating": r, "count": n} for r, n in found.distribution.items()],
        "comments": found.comments,
    }


def table(t: Text, found: participants.Table) -> JSON:
    # Columns: five fixed, the event's questions, then status, signed up, checked in.
    kinds = ["text"] * (5 + found.answers) + ["status", "signed", "attended"]
    statuses: dict[str, int] = {}
    for signup in found.signups:
        statuses[signup.status] = statuses.get(signup.status, 0) + 1
    return {
        "header": found.header,
        "kinds": kinds,
        "rows": [
            {
                "cells": ["" if cell is None else str(cell) for cell in row],
                "status": signup.status,
                "signed_at": _iso(signup.created_at),
                "attended_at": _iso(signup.attended_at),
                "rating": signup.rating,
            }
            for row, signup in zip(found.rows, found.signups, strict=True)
        ],
        "statuses": [
            {"status": s, "label": t(f"evadm-status-{s}"), "count": n}
            for s, n in sorted(statuses.items(), key=lambda item: -item[1])
        ],
    }


def event_page(t: Text, line: EventLine, found: participants.Table, made: Summary) -> JSON:
    return {
        "event": event_line(t, line),
        "summary": summary(made),
        "participants": table(t, found),
        "formats": list(participants.FORMATS),
    }


def audit(
    t: Text,
    lines: list[audit_log.Line],
    total: int,
    page: int,
    size: int,
    banned: int,
    zone: ZoneInfo,
) -> JSON:
    """The audit log's page: when (in the reader's zone), who, what (in words)."""
    return {
        "items": [
            {
                "at": line.at.isoformat(),
                "when": local_time(line.at, zone.key),
                "action": line.action,
                "actor": audit_words.person(t, line.actor_name, line.actor_id),
                "actor_id": line.actor_id,
                "target_id": line.target_id,
                "text": audit_words.describe(t, line),
            }
            for line in lines
        ],
        "total": total,
        "page": page,
        "pages": max(1, -(-total // size)),
        "banned": banned,
    }
