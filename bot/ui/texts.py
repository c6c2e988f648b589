"""Rendering of domain values that several dialogs show."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from aiogram import html

from bot.i18n import Text
from bot.services.regions import catalog
from bot.services.validation import display_phone


def profile_lines(t: Text, fields: Mapping[str, object]) -> str:
    """Name, phone, region, municipality and kind, each on its own line, escaped."""
    region = catalog().get(str(fields.get("region_code") or ""))
    phone = str(fields.get("phone") or "")
    where = region.name(t.locale) if region else "—"
    if region is not None and region.has_zones:
        # The zone chosen inside the region (or its main one), with its offset now.
        tz = region.zone_of(str(fields.get("tz") or "") or None)
        zone = next(z for z in region.zones if z.tz == tz)
        offset = utc_offset(datetime.now(UTC).astimezone(ZoneInfo(tz)))
        where += f" ({offset} · {zone.name(t.locale)})"
    return t(
        "profile-fields",
        name=html.quote(str(fields.get("full_name") or "—")),
        phone=display_phone(phone) if phone else "—",
        region=where,
        municipality=html.quote(str(fields.get("municipality") or "—")),
        kind=t(f"kind-{fields['kind']}") if fields.get("kind") else "—",
    )


def local_time(moment: datetime, zone: str | None) -> str:
    """A moment in the reader's zone, as 25.12.2026 10:00 (UTC+3)."""
    local = moment.astimezone(ZoneInfo(zone or "Europe/Moscow"))
    return f"{local:%d.%m.%Y %H:%M} ({utc_offset(local)})"


def utc_offset(local: datetime) -> str:
    """UTC+3, UTC+5:30 (all of Russia's zones are whole hours, but be exact anyway)."""
    offset = local.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
