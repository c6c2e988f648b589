"""Rendering of domain values that several dialogs show."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram import html

from bot.i18n import Text
from bot.services.regions import catalog
from bot.services.validation import display_phone


def profile_lines(t: Text, fields: Mapping[str, object]) -> str:
    """Name, phone, region, municipality and kind, each on its own line, escaped."""
    region = catalog().get(str(fields.get("region_code") or ""))
    phone = str(fields.get("phone") or "")
    return t(
        "profile-fields",
        name=html.quote(str(fields.get("full_name") or "—")),
        phone=display_phone(phone) if phone else "—",
        region=region.name(t.locale) if region else "—",
        municipality=html.quote(str(fields.get("municipality") or "—")),
        kind=t(f"kind-{fields['kind']}") if fields.get("kind") else "—",
    )


def local_time(moment: datetime, zone: str | None) -> str:
    """A moment in the reader's zone, as 25.12.2026 10:00 (UTC+3)."""
    tz = ZoneInfo(zone or "Europe/Moscow")
    local = moment.astimezone(tz)
    offset = local.utcoffset()
    hours = int(offset.total_seconds() // 3600) if offset else 0
    return f"{local:%d.%m.%Y %H:%M} (UTC{hours:+d})"
