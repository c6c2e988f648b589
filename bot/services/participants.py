"""An event's participants as a table: the rows of the organiser's CSV and XLSX exports, which
the dashboard's participants table shows too (one builder, so the two never disagree)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import Text
from bot.services import exports
from bot.services.exports import Cell
from bot.services.regions import catalog
from bot.services.validation import spreadsheet_phone
from db.models import Event, Signup, User
from db.repositories import Repo

FORMATS = ("csv", "xlsx")


@dataclass(frozen=True, slots=True)
class Table:
    header: list[str]
    rows: list[list[Cell]]
    signups: list[Signup]  # each row's sign-up, in the same order (the order they were made)
    answers: int  # how many columns after the fixed first five are the event's questions


def _row(
    t: Text, event: Event, signup: Signup, person: User, tos: dict[int, list[str]]
) -> list[Cell]:
    zone = ZoneInfo(event.tz)
    region = catalog().get(person.region_code)
    answers = list(signup.answers) + [""] * (len(event.questions) - len(signup.answers))
    return [
        person.full_name,
        spreadsheet_phone(person.phone) if person.phone else "",
        region.name(t.locale) if region else person.region_code,
        person.municipality,
        ", ".join(tos.get(person.id, [])),
        *answers[: len(event.questions)],
        t(f"evadm-status-{signup.status}"),
        f"{signup.created_at.astimezone(zone):%d.%m.%Y %H:%M}",
        f"{signup.attended_at.astimezone(zone):%d.%m.%Y %H:%M}" if signup.attended_at else "",
    ]


async def table(repo: Repo, t: Text, event: Event) -> Table:
    """Everyone who signed up (any status), in the order they did, with the export's columns:
    name, phone, region, municipality, TOS, the answers, status, signed up, checked in."""
    people = await repo.signups.participants(event.id)
    tos = await repo.signups.tos_names([person.id for _signup, person in people])
    first, last = t("evadm-export-columns").split("||")
    header = first.split("|") + list(event.questions) + last.split("|")
    rows = [_row(t, event, signup, person, tos) for signup, person in people]
    return Table(header, rows, [signup for signup, _person in people], len(event.questions))


def export(t: Text, event: Event, found: Table, fmt: str, now: datetime) -> tuple[bytes, str]:
    """The file and its name: `event_<id>_<date>.csv` or `.xlsx`."""
    stem = f"event_{event.id}_{now:%Y%m%d}"
    if fmt == "csv":
        return exports.to_csv(found.header, found.rows), f"{stem}.csv"
    if fmt == "xlsx":
        return exports.to_xlsx(t("evadm-export-sheet"), found.header, found.rows), f"{stem}.xlsx"
    raise ValueError(fmt)
