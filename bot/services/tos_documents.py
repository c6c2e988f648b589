"""The document pack for founding a TOS: Word files filled from the wizard's draft.

The templates in bot/templates/tos/*.docx are the source of truth (a lawyer edits them in
Word; tools/make_tos_templates.py made their first version). docxtpl fills their Jinja tags
from one context, the same for every template:

- `tos_name`, `region`, `municipality`, `today` (dd.mm.yyyy), `territory_type`, `boundaries`;
- `is_conference`; `assembly.nom` / `.acc` / `.gen` / `.instr`: "учредительное собрание
  граждан" (or "учредительная конференция граждан") in the nominative, accusative, genitive
  and instrumental case;
- `meeting_when` ("25.12.2026 в 18:30 (местное время, UTC+5)"), `meeting_date`, `meeting_place`;
- `plan.residents` / `.meeting_quorum` / `.delegates` / `.conference_quorum` /
  `.represented_minimum`, `residents_per_delegate`;
- `rules.<name>.value` ("1/3" for shares, a number otherwise), `.cite` (its source; the
  municipality's act for a value an admin set; empty for a value the law's text does not
  confirm), `.ref` (" (source)", or empty) and `.known` (confirmed or set locally), for every
  rule of the profile. Documents never carry a "check this" mark: the chat does;
- `registration_body`, `boundaries_body`, `establishment`, `legal_entity`: `.text`, `.cite`
  and `.ref`; `territory_ref`, `exclusive_powers` (texts) and `exclusive_powers_ref`,
  `sections.<id>` (charter section headings, capitalised), `act`, `registration_term`;
- `initiative_group`, `initiative_chair`, `applicant_name`, `applicant_phone`;
- `directions` (texts of `tos-direction-<id>`), `goals_text`, `council_text` ("5 членов"),
  `council_seats` (1..N), `term_text` ("2 года"); `rows` (1..N, the registration sheet's rows),
  `minutes_rows` and `delegate_rows` (the delegates' election minutes: its registration
  sheet, and the delegates one residents' meeting elects).

Every value is plain text: autoescaping keeps `<`, `&` and quotes typed by a user from
breaking the XML, and characters XML cannot hold are dropped.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from bot.i18n import Text
from bot.services.law import LOCAL_ACT, Assembly, Choice, Cited, LawProfile, shown
from bot.services.tos import TosDraft

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "tos"
PACK = (  # (template, the file the user receives, only for a conference)
    ("notice.docx", "01_uvedomlenie_o_sobranii.docx", False),
    ("registration_sheet.docx", "02_list_registracii.docx", False),
    ("protocol.docx", "03_protokol.docx", False),
    ("charter.docx", "04_ustav.docx", False),
    ("application.docx", "05_zayavlenie_o_registracii.docx", False),
    ("boundaries_proposal.docx", "06_predlozhenie_o_granicah.docx", False),
    ("checklist.docx", "07_checklist.docx", False),
    # The residents' meetings that elect the conference's delegates: one copy each.
    ("delegates_minutes.docx", "08_protokol_izbraniya_delegatov.docx", True),
)
MINUTES_ROWS = 20  # the registration sheet at the end of a delegates' election minutes
MINUTES_DELEGATE_ROWS = (3, 10)  # rows for the delegates one residents' meeting elects
SHEET_MIN_ROWS = 20
SHEET_MAX_ROWS = 500
# The documents are Russian whatever the user's language: the case forms the templates need.
ASSEMBLY_FORMS = {
    Assembly.MEETING: {
        "nom": "учредительное собрание граждан",
        "acc": "учредительное собрание граждан",
        "gen": "учредительного собрания граждан",
        "instr": "учредительным собранием граждан",
    },
    Assembly.CONFERENCE: {
        "nom": "учредительная конференция граждан",
        "acc": "учредительную конференцию граждан",
        "gen": "учредительной конференции граждан",
        "instr": "учредительной конференцией граждан",
    },
}
# XML 1.0 cannot hold these; tabs and line breaks become spaces (docxtpl would turn them
# into Word tabs and breaks).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_BREAKS = re.compile(r"[\t\n\r]+")


@dataclass(frozen=True)
class Document:
    filename: str  # Latin letters, digits and underscores: safe as a Telegram file name
    content: bytes


def build_pack(
    draft: TosDraft, profile: LawProfile, t: Text, *, region_name: str, today: date
) -> list[Document]:
    """The .docx files, in order (a conference gets the delegates' election minutes too);
    the same input gives the same bytes."""
    # Imported when documents are made: docxtpl (lxml, jinja2) holds 12 MB otherwise, and
    # jinja2 alone is a tenth of a second of every start.
    from docxtpl import DocxTemplate  # type: ignore[import-untyped]
    from jinja2 import Environment, StrictUndefined

    context = _plain(_context(draft, profile, t, region_name=region_name, today=today))
    env = Environment(autoescape=True, undefined=StrictUndefined)
    pack = []
    conference = draft.assembly is Assembly.CONFERENCE
    for template, filename, conference_only in PACK:
        if conference_only and not conference:
            continue
        document = DocxTemplate(TEMPLATES / template)
        document.render(context, env)
        buffer = BytesIO()
        document.save(buffer)
        pack.append(Document(filename, stable_zip(buffer.getvalue())))
    return pack


def sheet_rows(draft: TosDraft, profile: LawProfile) -> int:
    """Numbered rows on the registration sheet: a fifth more than the people expected (a
    meeting's quorum of residents, or all the delegates of a conference), 20 to 500."""
    plan = draft.plan(profile)
    expected = plan.delegates if draft.assembly is Assembly.CONFERENCE else plan.meeting_quorum
    return min(SHEET_MAX_ROWS, max(math.ceil(expected * 6 / 5), SHEET_MIN_ROWS))


def cite(rule: Cited) -> str:
    """What a document cites for a rule: its source when the law's text confirms it, the
    municipality's act when an admin set it from there, and nothing when it is unverified
    (the chat tells the user what to check; a document filed with the authorities never says
    "check this")."""
    if rule.local:
        return LOCAL_ACT
    return "" if rule.to_confirm else rule.source


def _ref(rule: Cited) -> str:
    found = cite(rule)
    return f" ({found})" if found else ""


def _context(
    draft: TosDraft, profile: LawProfile, t: Text, *, region_name: str, today: date
) -> dict[str, Any]:
    def cited(rule: Choice, key: str) -> dict[str, str]:
        return {"text": t(f"{key}-{rule.value}"), "cite": cite(rule), "ref": _ref(rule)}

    local = draft.local_meeting_at
    rules = profile.rules
    plan = draft.plan(profile)
    low, high = MINUTES_DELEGATE_ROWS
    term_days = rules.registration_term_days.value
    return {
        "tos_name": draft.name,
        "region": region_name,
        "municipality": draft.municipality,
        "today": f"{today:%d.%m.%Y}",
        "territory_type": t(f"tos-territory-{draft.territory_type}"),
        "territory_ref": _ref(profile.territory_types),
        "boundaries": draft.boundaries,
        "is_conference": draft.assembly is Assembly.CONFERENCE,
        "assembly": ASSEMBLY_FORMS[draft.assembly],
        "meeting_when": f"{local:%d.%m.%Y в %H:%M} (местное время, {_utc_offset(local)})",
        "meeting_date": f"{local:%d.%m.%Y}",
        "meeting_place": draft.meeting_place,
        "plan": asdict(plan),
        "residents_per_delegate": draft.residents_per_delegate,
        "rules": {
            name: {
                "value": shown(rule),
                "cite": cite(rule),
                "ref": _ref(rule),
                "known": rule.local or not rule.to_confirm,
            }
            for name, rule in rules
        },
        "registration_term": f"{term_days} {_plural(term_days, 'день', 'дня', 'дней')}",
        "registration_body": {
            # The body's own name in that municipality, when an admin set it.
            "text": profile.registration_body_name
            or t(f"tos-body-{profile.registration_body.value}"),
            "cite": cite(profile.registration_body),
            "ref": _ref(profile.registration_body),
        },
        "boundaries_body": cited(profile.boundaries_set_by, "tos-body"),
        "establishment": cited(profile.establishment, "tos-establishment"),
        "legal_entity": cited(profile.legal_entity_option, "tos-legal-entity"),
        "exclusive_powers": [t(f"tos-power-{p}") for p in profile.exclusive_powers.values],
        "exclusive_powers_ref": _ref(profile.exclusive_powers),
        "sections": {
            s: _capitalised(t(f"tos-charter-{s}")) for s in profile.charter_sections.values
        },
        "act": profile.act,
        "initiative_group": list(draft.initiative_group),
        "initiative_chair": draft.initiative_chair,
        "applicant_name": draft.applicant_name,
        "applicant_phone": draft.applicant_phone,
        "directions": [t(f"tos-direction-{d}") for d in draft.directions],
        "goals_text": draft.goals_text,
        "council_text": (
            f"{draft.council_size} {_plural(draft.council_size, 'члена', 'членов', 'членов')}"
        ),
        "council_seats": list(range(1, draft.council_size + 1)),
        "term_text": f"{draft.term_years} {_plural(draft.term_years, 'год', 'года', 'лет')}",
        "rows": list(range(1, sheet_rows(draft, profile) + 1)),
        "minutes_rows": list(range(1, MINUTES_ROWS + 1)),
        "delegate_rows": list(range(1, min(max(plan.delegates, low), high) + 1)),
    }


def _utc_offset(moment: datetime) -> str:
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def _plural(number: int, one: str, few: str, many: str) -> str:
    """Russian noun form after a number: 1 год, 2 года, 5 лет, 21 год, 12 лет."""
    if number % 10 == 1 and number % 100 != 11:
        return one
    if 2 <= number % 10 <= 4 and not 12 <= number % 100 <= 14:
        return few
    return many


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _plain(value: Any) -> Any:
    """Every string in the context made safe for XML (escaping itself is Jinja's)."""
    if isinstance(value, str):
        return _BREAKS.sub(" ", _NOT_XML.sub("", value))
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def stable_zip(raw: bytes) -> bytes:
    """The same archive with fixed entry dates, so equal documents give equal bytes."""
    out = BytesIO()
    with ZipFile(BytesIO(raw)) as source, ZipFile(out, "w", ZIP_DEFLATED) as target:
        for entry in source.infolist():
            fixed = ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(entry.filename), ZIP_DEFLATED)
    return out.getvalue()
