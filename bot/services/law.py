"""Legal rules as data: law profiles in bot/data/law/*.json, and the quorum arithmetic on them.

Every rule carries its source; `to_confirm` marks a value the user must check against the
municipality's act (the chat says so; documents never do), `recommendation` one that is advice,
not law, `fixed` one no municipal act may change. A profile may carry its article part by part
(citations are checked against it at load) and the period it governs founding meetings in
(`applies_from`, `repealed_from`: the meeting's date picks the profile). No legal number lives
in code.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot.services.validation import InvalidInput

LAW_DIR = Path(__file__).resolve().parent.parent / "data" / "law"
DEFAULT_PROFILE = "131-fz"
MAX_RESIDENTS = 1_000_000  # more than that is a typo, not a TOS


class LawProfileError(ValueError):
    """A profile file that cannot be used; the message names the file and the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cited(_Strict):
    source: Annotated[str, Field(min_length=3)]
    to_confirm: bool = False
    recommendation: bool = False
    # Set on a value an admin took from the municipality's own act (see with_overrides).
    local: bool = False
    # The law sets the value itself: no municipal act may change it (131-FZ's age of 16).
    fixed: bool = False


class Dated(_Strict):
    """A date a law sets, with where it says so."""

    value: date
    source: Annotated[str, Field(min_length=10)]


class Count(Cited):
    value: Annotated[int, Field(ge=1, le=MAX_RESIDENTS)]


class Share(Cited):
    """A fraction such as "1/3", kept exact (quorums round up, never down)."""

    value: Fraction

    @field_validator("value", mode="before")
    @classmethod
    def _parse(cls, raw: object) -> Fraction:
        if not isinstance(raw, str) or "/" not in raw:
            raise ValueError('a share is written as "numerator/denominator", e.g. "1/3"')
        share = Fraction(raw)
        if not 0 < share <= 1:
            raise ValueError("a share lies in (0, 1]")
        return share


def shown(rule: Share | Count) -> str:
    """A rule's value as people write it: "1/3", "16"."""
    if isinstance(rule, Share):
        return f"{rule.value.numerator}/{rule.value.denominator}"
    return str(rule.value)


class Choice(Cited):
    value: Annotated[str, Field(pattern=r"^[a-z_]+$")]


class Choices(Cited):
    values: Annotated[list[Annotated[str, Field(pattern=r"^[a-z_]+$")]], Field(min_length=1)]

    @field_validator("values")
    @classmethod
    def _unique(cls, values: list[str]) -> list[str]:
        if len(set(values)) != len(values):
            raise ValueError("values repeat")
        return values


class Rules(_Strict):
    min_age: Count
    meeting_quorum: Share
    conference_delegates_quorum: Share
    conference_represented_share: Share
    initiative_group_min: Count
    conference_advised_above: Count
    registration_term_days: Count


CHARTER_SECTIONS = ("territory", "goals", "bodies", "decisions", "property", "termination")
# The profile's fields that carry a source: its rules and its cited choices.
CITED_FIELDS = (
    *Rules.model_fields,
    "registration_body",
    "boundaries_set_by",
    "territory_types",
    "exclusive_powers",
    "charter_sections",
    "establishment",
    "legal_entity_option",
)


class ArticlePart(_Strict):
    text: Annotated[str, Field(min_length=10)]  # what the part says, in short
    covers: list[str] = []  # the profile's fields whose rule this part states


class Article(_Strict):
    """The article a profile rests on, part by part, so that every citation can be checked."""

    cite: Annotated[str, Field(min_length=5)]  # as sources cite it: "ст. 27 131-ФЗ"
    parts: Annotated[dict[str, ArticlePart], Field(min_length=1)]

    @field_validator("parts")
    @classmethod
    def _part_numbers(cls, parts: dict[str, ArticlePart]) -> dict[str, ArticlePart]:
        for number, part in parts.items():
            if not re.fullmatch(r"\d+(\.\d+)?", number):
                raise ValueError(f"part {number!r} is not a part number such as 6 or 8.1")
            unknown = set(part.covers) - set(CITED_FIELDS)
            if unknown:
                names = ", ".join(sorted(unknown))
                raise ValueError(f"part {number} covers unknown fields: {names}")
        return parts


def cited_parts(text: str, article_cite: str) -> list[str]:
    """The part numbers `text` cites of the article: "ч. 6, 7 ст. 27 131-ФЗ" gives 6 and 7."""
    pattern = r"ч\.\s*(\d+(?:\.\d+)?(?:\s*(?:,|и)\s*\d+(?:\.\d+)?)*)\s+" + re.escape(article_cite)
    return [
        number
        for match in re.finditer(pattern, text)
        for number in re.split(r"\s*(?:,|и)\s*", match.group(1))
    ]


class LawProfile(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")]
    # Set only by an admin's override: the registration body's own name in that municipality.
    registration_body_name: str | None = None
    act: Annotated[str, Field(min_length=10)]
    status: Literal["in_force", "transition"]
    note: str
    rules: Rules
    registration_body: Choice
    boundaries_set_by: Choice
    territory_types: Choices
    exclusive_powers: Choices
    charter_sections: Choices
    establishment: Choice
    legal_entity_option: Choice
    # The article the profile rests on; set when its text was checked part by part.
    article: Article | None = None
    # The days the profile governs a founding meeting: from `applies_from` (open when unset)
    # to the day before `repealed_from` (open when unset). load_profiles checks they tile time.
    applies_from: Dated | None = None
    repealed_from: Dated | None = None

    def unverified(self) -> list[tuple[str, str]]:
        """The rules (name, value) the user must still check (said in the chat, never in the
        documents): marked to_confirm, and not set from the municipality's act."""
        rules = self.rules
        return [
            (name, shown(getattr(rules, name)))
            for name in Rules.model_fields
            if getattr(rules, name).to_confirm and not getattr(rules, name).local
        ]

    def cited(self, name: str) -> Cited:
        """The rule or choice of that name (one of CITED_FIELDS)."""
        if name in Rules.model_fields:
            found: Cited = getattr(self.rules, name)
        else:
            found = getattr(self, name)
        return found

    @model_validator(mode="after")
    def _citations_exist(self) -> LawProfile:
        """Every part a source cites exists, and a rule the article states cites its part."""
        article = self.article
        if article is None:
            return self
        for name in CITED_FIELDS:
            cited = cited_parts(self.cited(name).source, article.cite)
            missing = [p for p in cited if p not in article.parts]
            if missing:
                raise ValueError(f"{name}: ч. {', '.join(missing)} is not a part of {article.cite}")
            stating = [n for n, part in article.parts.items() if name in part.covers]
            if stating and not set(stating) & set(cited):
                raise ValueError(
                    f"{name}: cites {', '.join(cited) or 'no part'} of {article.cite}, "
                    f"but ч. {', '.join(stating)} states it"
                )
        return self

    @field_validator("charter_sections")
    @classmethod
    def _six_sections(cls, sections: Choices) -> Choices:
        # The wizard fills a charter section for each of these; the law names six.
        if tuple(sections.values) != CHARTER_SECTIONS:
            raise ValueError(f"the charter sections are {', '.join(CHARTER_SECTIONS)}")
        return sections


def load_profile(path: Path) -> LawProfile:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise LawProfileError(f"{path.name}: cannot be read: {exc}") from exc
    try:
        profile = LawProfile.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = "".join(f"{part}: " for part in [".".join(str(p) for p in error["loc"])] if part)
        raise LawProfileError(f"{path.name}: {where}{error['msg']}") from exc
    if f"{profile.id}.json" != path.name:
        raise LawProfileError(f"{path.name}: id {profile.id!r} does not match the file name")
    return profile


def load_profiles(folder: Path = LAW_DIR) -> dict[str, LawProfile]:
    profiles = {p.id: p for p in (load_profile(f) for f in sorted(folder.glob("*.json")))}
    if DEFAULT_PROFILE not in profiles:
        raise LawProfileError(f"{folder}: the default profile {DEFAULT_PROFILE}.json is missing")
    _check_periods(folder, profiles)
    return profiles


def _start(profile: LawProfile) -> date:
    return profile.applies_from.value if profile.applies_from else date.min


def _check_periods(folder: Path, profiles: dict[str, LawProfile]) -> None:
    """Exactly one profile governs each day: the periods follow each other without a gap."""
    chain = sorted(profiles.values(), key=_start)
    if chain[0].applies_from is not None:
        raise LawProfileError(f"{folder}: no profile governs the days before {_start(chain[0])}")
    for earlier, later in pairwise(chain):
        end = earlier.repealed_from.value if earlier.repealed_from else None
        if end != _start(later):
            raise LawProfileError(
                f"{folder}: {earlier.id} ends {end or 'never'} but {later.id} starts "
                f"{_start(later)}: each profile's repealed_from is the next one's applies_from"
            )
    if chain[-1].repealed_from is not None:
        raise LawProfileError(
            f"{folder}: no profile governs the days from {chain[-1].repealed_from.value}"
        )


def profile_on(profiles: dict[str, LawProfile], day: date) -> LawProfile:
    """The profile that governs a founding meeting held on `day`."""
    governing = [
        p
        for p in profiles.values()
        if _start(p) <= day and (p.repealed_from is None or day < p.repealed_from.value)
    ]
    return governing[0] if len(governing) == 1 else profiles[DEFAULT_PROFILE]


class Assembly(StrEnum):
    MEETING = "meeting"
    CONFERENCE = "conference"


@dataclass(frozen=True, slots=True)
class QuorumPlan:
    residents: int
    meeting_quorum: int  # residents who must take part for a founding meeting to be valid
    advised: Assembly
    delegates: int  # delegates to elect for a conference (one per `residents_per_delegate`)
    conference_quorum: int  # delegates who must take part for a conference to be valid
    represented_minimum: int  # residents the present delegates must represent at least


def _at_least(share: Fraction, whole: int) -> int:
    """The smallest head count that is at least `share` of `whole` (a third of 4 is 2)."""
    return max(1, math.ceil(share * whole))


def check_residents(residents: int) -> None:
    if residents < 1:
        raise ValueError("tos-residents-not-positive")
    if residents > MAX_RESIDENTS:
        raise ValueError("tos-residents-absurd")


def quorum(residents: int, profile: LawProfile, residents_per_delegate: int = 10) -> QuorumPlan:
    """Quorums for founding a TOS with `residents` residents of the profile's minimum age."""
    check_residents(residents)
    if residents_per_delegate < 1:
        raise ValueError("tos-delegate-norm-not-positive")
    rules = profile.rules
    delegates = math.ceil(residents / residents_per_delegate)
    return QuorumPlan(
        residents=residents,
        meeting_quorum=_at_least(rules.meeting_quorum.value, residents),
        advised=(
            Assembly.CONFERENCE
            if residents > rules.conference_advised_above.value
            else Assembly.MEETING
        ),
        delegates=delegates,
        conference_quorum=_at_least(rules.conference_delegates_quorum.value, delegates),
        represented_minimum=_at_least(rules.conference_represented_share.value, residents),
    )


@dataclass(frozen=True, slots=True)
class MeetingCheck:
    """A held founding meeting against its quorum."""

    present: int
    needed: int  # the share of the residents, rounded up
    valid: bool


@dataclass(frozen=True, slots=True)
class ConferenceCheck:
    """A held founding conference against its quorum: counted from the delegates actually
    elected at the residents' meetings, not from the number planned."""

    elected: int
    present: int
    represented: int
    needed_present: int  # the share of the elected delegates, rounded up
    needed_represented: int  # the share of the residents, rounded up
    valid: bool


def check_meeting(present: int, residents: int, profile: LawProfile) -> MeetingCheck:
    """Whether a held founding meeting had its quorum (for the tracker)."""
    needed = quorum(residents, profile).meeting_quorum
    return MeetingCheck(present=present, needed=needed, valid=present >= needed)


def check_elected(elected: int) -> None:
    """The delegates the residents' meetings elected: at least one."""
    if elected < 1:
        raise InvalidInput("tos-elected-none")


def check_present(present: int, elected: int) -> None:
    """Delegates present at the conference: no more than were elected."""
    if present > elected:
        raise InvalidInput("tos-present-above-elected")


def check_conference(
    elected: int, present: int, represented: int, residents: int, profile: LawProfile
) -> ConferenceCheck:
    """Whether a held founding conference had its quorum: at least the profile's share of the
    delegates elected at the residents' meetings took part, and together they represent at
    least its share of the residents. Raises ValueError with a text key for counts that
    cannot be (InvalidInput: no delegate elected, more present than elected)."""
    check_residents(residents)
    check_elected(elected)
    check_present(present, elected)
    rules = profile.rules
    needed_present = _at_least(rules.conference_delegates_quorum.value, elected)
    needed_represented = _at_least(rules.conference_represented_share.value, residents)
    return ConferenceCheck(
        elected=elected,
        present=present,
        represented=represented,
        needed_present=needed_present,
        needed_represented=needed_represented,
        valid=present >= needed_present and represented >= needed_represented,
    )


def meeting_valid(participants: int, residents: int, profile: LawProfile) -> bool:
    """Whether a held founding meeting had its quorum."""
    return check_meeting(participants, residents, profile).valid


def conference_valid(
    present: int, elected: int, represented: int, residents: int, profile: LawProfile
) -> bool:
    """Whether a held founding conference had its quorum (see check_conference)."""
    return check_conference(elected, present, represented, residents, profile).valid


# The source shown in the chat for a value an admin set from the municipality's own act, and
# the one documents cite for it.
OVERRIDE_SOURCE = "акт муниципального образования (задано администратором бота)"
LOCAL_ACT = "акт муниципального образования о ТОС"


AGES = (16, 18)  # the age thresholds an admin may choose from, where the law allows a choice


def governing_from(profiles: dict[str, LawProfile], day: date) -> list[LawProfile]:
    """The profiles that govern meetings on `day` or later."""
    return [p for p in profiles.values() if p.repealed_from is None or p.repealed_from.value > day]


def age_refused_by(profiles: dict[str, LawProfile], age: int, day: date) -> LawProfile | None:
    """The profile that forbids setting `age` from `day` on: one still to govern meetings whose
    law fixes a different age (131-FZ fixes 16 until it loses force). None: allowed."""
    for profile in sorted(governing_from(profiles, day), key=_start):
        rule = profile.rules.min_age
        if rule.fixed and rule.value != age:
            return profile
    return None


def with_overrides(
    profiles: dict[str, LawProfile],
    profile_id: str | None,
    *,
    min_age: int | None = None,
    registration_term_days: int | None = None,
    registration_body_name: str | None = None,
) -> LawProfile:
    """The profile an admin chose for a place, with the values they set from the local act."""
    base = profiles.get(profile_id or "") or profiles[DEFAULT_PROFILE]
    rules = base.rules
    # A fixed age is the law's: a value an admin set for a later law does not apply.
    if min_age is not None and not rules.min_age.fixed:
        age = Count(value=min_age, source=OVERRIDE_SOURCE, local=True)
        rules = rules.model_copy(update={"min_age": age})
    if registration_term_days is not None:
        term = Count(value=registration_term_days, source=OVERRIDE_SOURCE, local=True)
        rules = rules.model_copy(update={"registration_term_days": term})
    return base.model_copy(
        update={"rules": rules, "registration_body_name": registration_body_name}
    )
