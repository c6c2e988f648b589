"""The TOS creation project: what the wizard collects, checked, and the plan it leads to."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.services.law import (
    Assembly,
    LawProfile,
    QuorumPlan,
    profile_on,
    quorum,
    with_overrides,
)
from bot.services.roles import Role
from bot.services.validation import InvalidInput, display_phone
from db.models import Tos, User
from db.repositories import Repo

# Directions a TOS commonly works on; the wizard offers them as buttons, free text may follow.
DIRECTIONS = (
    "improvement",  # благоустройство
    "greening",
    "sports",
    "culture",
    "children",
    "elderly",
    "safety",
    "ecology",
    "housing",
    "local_history",
)
MAX_BOUNDARIES = 2_000
MAX_RESIDENTS = 1_000_000
MAX_GROUP = 30


@dataclass(frozen=True, slots=True)
class TosDraft:
    """Everything the documents need. Names are as the person typed them."""

    profile_id: str
    region_code: str
    municipality: str
    territory_type: str  # one of the profile's territory_types
    boundaries: str
    residents: int
    assembly: Assembly
    residents_per_delegate: int
    initiative_group: tuple[str, ...]
    initiative_chair: str
    name: str
    directions: tuple[str, ...]  # ids from DIRECTIONS
    goals_text: str  # free text, may be empty
    meeting_at: datetime  # aware
    meeting_tz: str  # IANA zone of the place
    meeting_place: str
    council_size: int
    term_years: int
    applicant_name: str
    applicant_phone: str
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def local_meeting_at(self) -> datetime:
        return self.meeting_at.astimezone(ZoneInfo(self.meeting_tz))

    def plan(self, profile: LawProfile) -> QuorumPlan:
        return quorum(self.residents, profile, self.residents_per_delegate)

    @classmethod
    def from_answers(cls, answers: Mapping[str, Any], law: LawProfile, applicant: User) -> TosDraft:
        """The creation wizard's saved answers and the applicant's profile."""
        return cls(
            profile_id=law.id,
            region_code=applicant.region_code or "",
            municipality=applicant.municipality or "",
            territory_type=answers["territory"],
            boundaries=answers["boundaries"],
            residents=int(answers["residents"]),
            assembly=Assembly(answers["assembly"]),
            residents_per_delegate=int(answers.get("residents_per_delegate") or 10),
            initiative_group=tuple(answers["group"]),
            initiative_chair=answers["group_chair"],
            name=answers["name"],
            directions=tuple(answers.get("directions", [])),
            goals_text=answers.get("goals", ""),
            meeting_at=datetime.fromisoformat(answers["meeting_at"]),
            meeting_tz=answers["meeting_tz"],
            meeting_place=answers["meeting_place"],
            council_size=int(answers["council"]),
            term_years=int(answers["term"]),
            applicant_name=applicant.full_name or "",
            applicant_phone=display_phone(applicant.phone) if applicant.phone else "",
        )


_SPACES = re.compile(r"\s+")


def text(value: str | None, *, min_len: int, max_len: int, key: str) -> str:
    """Free text of a length range; `key` prefixes the error texts (key-empty, key-too-long)."""
    cleaned = _SPACES.sub(" ", value or "").strip()
    if not cleaned:
        raise InvalidInput(f"{key}-empty")
    if len(cleaned) > max_len:
        raise InvalidInput(f"{key}-too-long")
    if len(cleaned) < min_len:
        raise InvalidInput(f"{key}-too-short")
    if cleaned.startswith("/"):
        raise InvalidInput("validation-command-in-answer")
    return cleaned


def tos_name(raw: str | None) -> str:
    return text(raw, min_len=2, max_len=100, key="tos-name")


def boundaries(raw: str | None) -> str:
    return text(raw, min_len=10, max_len=MAX_BOUNDARIES, key="tos-boundaries")


def registration_number(raw: str | None) -> str:
    return text(raw, min_len=1, max_len=50, key="tos-reg-number")


def whole_number(value: str | None, *, low: int, high: int, key: str) -> int:
    raw = (value or "").replace(" ", "").replace("\u00a0", "")
    if not raw.isdigit():
        raise InvalidInput(f"{key}-not-number")
    number = int(raw)
    if number < low or number > high:
        raise InvalidInput(f"{key}-out-of-range")
    return number


def names(value: str | None, *, at_least: int) -> tuple[str, ...]:
    """One full name per line (or separated by commas/semicolons)."""
    from bot.services.validation import full_name

    parts = [p for p in re.split(r"[\n,;]+", value or "") if p.strip()]
    if len(parts) > MAX_GROUP:
        raise InvalidInput("tos-group-too-large")
    result = tuple(full_name(p) for p in parts)
    if len(result) < at_least:
        raise InvalidInput("tos-group-too-small", minimum=at_least)
    return result


def meeting_time(value: str | None, zone: str, now: datetime) -> datetime:
    """`25.12.2026 18:30` in the given zone, in the future; returned aware."""
    match = re.fullmatch(r"\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s+(\d{1,2})[:.](\d{2})\s*", value or "")
    if not match:
        raise InvalidInput("tos-date-format")
    day, month, year, hour, minute = (int(g) for g in match.groups())
    try:
        moment = datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone))
    except ValueError as exc:
        raise InvalidInput("tos-date-format") from exc
    if moment <= now:
        raise InvalidInput("tos-date-past")
    return moment


# The tracker's stages after the documents, in the order they happen.
STAGES = ("boundaries", "meeting", "submitted", "registered")


def next_stage(done: dict[str, str]) -> str | None:
    return next((stage for stage in STAGES if stage not in done), None)


def charter_date(value: str | None, today: date) -> date:
    """The charter's registration date, DD.MM.YYYY, not in the future."""
    match = re.fullmatch(r"\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*", value or "")
    if not match:
        raise InvalidInput("tos-reg-date-format")
    day, month, year = (int(g) for g in match.groups())
    try:
        registered = date(year, month, day)
    except ValueError as exc:
        raise InvalidInput("tos-reg-date-format") from exc
    if registered > today:
        raise InvalidInput("tos-reg-date-future")
    return registered


async def enter_registry(
    repo: Repo,
    owner_id: int,
    answers: dict[str, Any],
    registered_on: date,
    number: str,
    now: datetime,
) -> Tos | None:
    """Put the TOS of a finished project into the registry with its founder as chair.
    None if a TOS of that name is already registered in the same municipality."""
    person = await repo.users.get(owner_id)
    if person is None or person.region_code is None or person.municipality is None:
        raise PermissionError("only a registered person can register a TOS")
    if await repo.tos_registry.find(person.region_code, person.municipality, answers["name"]):
        return None
    tos = await repo.tos_registry.add(
        name=answers["name"],
        region_code=person.region_code,
        municipality=person.municipality,
        territory_type=answers["territory"],
        boundaries=answers["boundaries"],
        charter_registered_on=registered_on,
        charter_number=number,
        status="unverified",
        chair_id=owner_id,
        created_at=now,
    )
    await repo.roles.grant(owner_id, Role.CHAIR.value, now)
    return tos


def ogrn(value: str | None) -> str:
    """A 13-digit OGRN with a valid check digit (the remainder of the first 12 digits by 11)."""
    digits = re.sub(r"\s", "", value or "")
    if not re.fullmatch(r"\d{13}", digits):
        raise InvalidInput("tos-ogrn-invalid")
    if int(digits[:12]) % 11 % 10 != int(digits[12]):
        raise InvalidInput("tos-ogrn-invalid")
    return digits


async def register_existing(
    repo: Repo, applicant_id: int, fields: Mapping[str, Any], now: datetime
) -> Tos | None:
    """An existing TOS claimed by its chair: listed unverified (the chair role comes with the
    verification). None if the same TOS is already in the registry."""
    person = await repo.users.get(applicant_id)
    if person is None or person.region_code is None:
        raise PermissionError("only a registered person can register a TOS")
    if await repo.tos_registry.find(person.region_code, fields["municipality"], fields["name"]):
        return None
    return await repo.tos_registry.add(
        name=fields["name"],
        region_code=person.region_code,
        municipality=fields["municipality"],
        territory_type=fields["territory"],
        boundaries=fields["boundaries"],
        charter_registered_on=date.fromisoformat(fields["registered_on"]),
        charter_number=fields["number"],
        ogrn=fields.get("ogrn"),
        latitude=fields.get("latitude"),
        longitude=fields.get("longitude"),
        status="unverified",
        chair_id=applicant_id,
        created_at=now,
    )


def meeting_day(answers: Mapping[str, Any]) -> date | None:
    """The founding meeting's local date, once the wizard has it."""
    if "meeting_at" not in answers:
        return None
    moment = datetime.fromisoformat(answers["meeting_at"])
    return moment.astimezone(ZoneInfo(answers.get("meeting_tz") or "Europe/Moscow")).date()


def project_law(
    profile_id: str, answers: Mapping[str, Any], profiles: dict[str, LawProfile]
) -> LawProfile:
    """The rules a project follows: the profile that governs its meeting's day (until that day
    is known, the profile it started with), with the overrides copied at its start."""
    overrides = answers.get("law", {})
    day = meeting_day(answers)
    return with_overrides(
        profiles,
        profile_on(profiles, day).id if day else profile_id,
        min_age=overrides.get("min_age"),
        registration_term_days=overrides.get("term"),
        registration_body_name=overrides.get("body"),
    )


async def law_for_place(
    repo: Repo, region_code: str | None, municipality: str | None
) -> dict[str, Any]:
    """The values an admin set for a place from its own act (none if not set). Which law
    applies is not a place's setting: the meeting's date decides (law.profile_on)."""
    setting = await repo.law_settings.for_place(region_code or "", municipality or "")
    if setting is None:
        return {}
    overrides = {
        "min_age": setting.min_age,
        "term": setting.registration_term_days,
        "body": setting.registration_body_name,
    }
    return {k: v for k, v in overrides.items() if v is not None}


async def documents_law(
    repo: Repo,
    profile_id: str,
    answers: dict[str, Any],
    region_code: str | None,
    municipality: str | None,
    profiles: dict[str, LawProfile],
) -> LawProfile:
    """The rules the documents follow: the project's, with the registration body's name as
    the place's setting gives it now (an admin may name the body after the project began)."""
    law = project_law(profile_id, answers, profiles)
    body = (await law_for_place(repo, region_code, municipality)).get("body")
    return law.model_copy(update={"registration_body_name": body}) if body else law
