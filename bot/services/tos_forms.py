"""A TOS's annual forms as Word files, from its own data: the estimate of income and expenses
(смета доходов и расходов), the report on its execution, the council's annual report on the
activity of the TOS's bodies, and the minutes of an ordinary or extraordinary meeting or
conference of citizens with an agenda chosen from a list.

Under 131-FZ art. 27 part 7 approving the estimate and the report on its execution, approving
the bodies' reports, amending the charter, electing the bodies and approving an initiative
project are the exclusive powers of the meeting (conference): the documents say so, citing the
part the law profile gives (a profile whose text is unverified cites nothing; the chat says
what to check). The profile is the one that governs the meeting's date (the minutes), or the
day the document is made (the others). The minutes are made only for a meeting that had its
quorum (check_meeting / check_conference); otherwise the chat says why, the document is not
made. Documents never carry warnings.

Templates: bot/templates/tos/{estimate,estimate_report,activity_report,minutes}.docx, made by
tools/make_tos_templates.py. Their context (all values plain text, escaped by Jinja):
`tos_name`, `region`, `municipality`, `territory_type`, `boundaries`, `charter_date`,
`charter_number`, `today`, `year`, `act`; `budget_ref` / `reports_ref` (" (ч. 7 ст. 27 ...)" or
empty); the estimate's `income` / `expense` rows (`number`, `item`, `amount`, and for the
report `actual`, `difference`) with `income_total`, `expense_total`, `balance` (and the
actual ones); the activity report's `done` (lines), `members`, `has_estimate`; the minutes'
`kind` (genitive: "очередного собрания граждан"), `is_conference`, `meeting_date`,
`meeting_place`, `min_age`, `residents`, `present`, `elected`, `represented`, `needed`,
`needed_represented`, `quorum_value`, `quorum_ref`, `represented_value`, `represented_ref`,
`agenda` (`number`, `title`, `decision`), `powers_ref`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from io import BytesIO
from typing import Any

from bot.services.law import (
    Assembly,
    ConferenceCheck,
    LawProfile,
    MeetingCheck,
    check_conference,
    check_meeting,
    profile_on,
    shown,
    with_overrides,
)
from bot.services.tos_documents import TEMPLATES, Document, _plain, _ref, stable_zip
from bot.services.validation import InvalidInput, without_controls
from db.models import Tos, TosEstimate


class Form(StrEnum):
    ESTIMATE = "estimate"
    EXECUTION = "execution"
    ACTIVITY = "activity"
    MINUTES = "minutes"


TEMPLATE = {
    Form.ESTIMATE: ("estimate.docx", "smeta_{year}.docx"),
    Form.EXECUTION: ("estimate_report.docx", "otchet_ob_ispolnenii_smety_{year}.docx"),
    Form.ACTIVITY: ("activity_report.docx", "otchet_o_deyatelnosti_{year}.docx"),
    Form.MINUTES: ("minutes.docx", "protokol_{year}.docx"),
}
MAX_LINES = 30
MAX_ITEM = 200
MAX_DONE = 500
MAX_KOPECKS = 100_000_000_000  # a billion rubles: more is a typo for a TOS
MAX_PLACE = 300


class Agenda(StrEnum):
    """Questions of a meeting the minutes offer, each an exclusive power of the meeting
    (conference) under 131-FZ art. 27 part 7 (the profile's `exclusive_powers` value)."""

    CHARTER = "charter"
    ELECT = "elect"
    ESTIMATE = "estimate"
    EXECUTION = "execution"
    ACTIVITY = "activity"
    INITIATIVE = "initiative"
    DIRECTIONS = "directions"
    STRUCTURE = "structure"


POWER = {
    Agenda.CHARTER: "charter",
    Agenda.ELECT: "elect_bodies",
    Agenda.ESTIMATE: "budget",
    Agenda.EXECUTION: "budget",
    Agenda.ACTIVITY: "reports",
    Agenda.INITIATIVE: "initiative_projects",
    Agenda.DIRECTIONS: "directions",
    Agenda.STRUCTURE: "bodies_structure",
}
# The documents are Russian whatever the user's language.
AGENDA_TEXT = {
    Agenda.CHARTER: (
        "О внесении изменений в устав ТОС «{name}».",
        "Внести изменения в устав ТОС «{name}» (текст изменений прилагается) и поручить "
        "председателю совета ТОС представить их на регистрацию.",
    ),
    Agenda.ELECT: (
        "Об избрании совета ТОС и председателя совета ТОС.",
        "Избрать совет ТОС в составе: ____________________________________________; "
        "председателем совета ТОС избрать: ______________________.",
    ),
    Agenda.ESTIMATE: (
        "Об утверждении сметы доходов и расходов ТОС на {year} год.",
        "Утвердить смету доходов и расходов ТОС «{name}» на {year} год (прилагается).",
    ),
    Agenda.EXECUTION: (
        "Об утверждении отчёта об исполнении сметы доходов и расходов ТОС за {last} год.",
        "Утвердить отчёт об исполнении сметы доходов и расходов ТОС «{name}» за {last} год "
        "(прилагается).",
    ),
    Agenda.ACTIVITY: (
        "Об утверждении отчёта о деятельности органов ТОС за {last} год.",
        "Утвердить отчёт совета ТОС «{name}» о деятельности за {last} год (прилагается).",
    ),
    Agenda.INITIATIVE: (
        "Об одобрении инициативного проекта.",
        "Одобрить инициативный проект «______________________________» (прилагается).",
    ),
    Agenda.DIRECTIONS: (
        "Об определении основных направлений деятельности ТОС.",
        "Определить основные направления деятельности ТОС на {year} год: "
        "______________________________________________.",
    ),
    Agenda.STRUCTURE: (
        "Об установлении структуры органов ТОС.",
        "Установить структуру органов ТОС: ______________________________________________.",
    ),
}
KIND_FORMS = {  # (assembly, extraordinary) → the genitive the minutes' title needs
    (Assembly.MEETING, False): "очередного собрания граждан",
    (Assembly.MEETING, True): "внеочередного собрания граждан",
    (Assembly.CONFERENCE, False): "очередной конференции граждан",
    (Assembly.CONFERENCE, True): "внеочередной конференции граждан",
}
_LINE = re.compile(
    r"^(?P<item>.+?)\s*(?:—|–|-|:|=|\t)\s*(?P<amount>[\d\s.,]+)\s*(?:₽|руб\.?|р\.?|rub)?$", re.I
)
_SPACES = re.compile(r"[ \u00a0\u202f]+")


# ---- what the chair types -----------------------------------------------------------------


def year(raw: str | None, today: date) -> int:
    """A year from last year to next year."""
    text = (raw or "").strip()
    if not re.fullmatch(r"\d{4}", text):
        raise InvalidInput("tos-forms-year-format")
    chosen = int(text)
    if not today.year - 1 <= chosen <= today.year + 1:
        raise InvalidInput("tos-forms-year-range")
    return chosen


def amount(raw: str) -> int:
    """Rubles as people write them ("12 500", "1500,50", "1 500.5") → kopecks."""
    text = _SPACES.sub("", raw.strip()).replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d{1,2})?", text):
        raise InvalidInput("tos-forms-amount-invalid")
    try:
        kopecks = int(Decimal(text) * 100)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise InvalidInput("tos-forms-amount-invalid") from exc
    if kopecks > MAX_KOPECKS:
        raise InvalidInput("tos-forms-amount-too-large")
    return kopecks


def budget_lines(raw: str | None) -> list[list[Any]]:
    """Lines "item — amount", one a line: [[item, kopecks], ...]."""
    lines = [line.strip() for line in without_controls(raw).splitlines() if line.strip()]
    if not lines:
        raise InvalidInput("tos-forms-lines-empty")
    if len(lines) > MAX_LINES:
        raise InvalidInput("tos-forms-lines-too-many")
    parsed = []
    for line in lines:
        match = _LINE.match(_SPACES.sub(" ", line))
        if match is None:
            raise InvalidInput("tos-forms-line-format")
        item = match.group("item").strip(" .;")
        if not item or len(item) > MAX_ITEM:
            raise InvalidInput("tos-forms-item-too-long" if item else "tos-forms-line-format")
        parsed.append([item, amount(match.group("amount"))])
    return parsed


def actual_amounts(raw: str | None, expected: int) -> list[int]:
    """The actual amounts of the estimate's lines, in their order: one number a line (or
    separated by semicolons)."""
    parts = [p.strip() for p in re.split(r"[\n;]+", without_controls(raw)) if p.strip()]
    if len(parts) != expected:
        raise InvalidInput("tos-forms-actual-count")
    return [amount(p) for p in parts]


def done_lines(raw: str | None) -> list[str]:
    """What the bodies did in the year: one item a line."""
    lines = [
        _SPACES.sub(" ", line).strip(" •-—*")
        for line in without_controls(raw).splitlines()
        if line.strip(" •-—*")
    ]
    if not lines:
        raise InvalidInput("tos-forms-lines-empty")
    if len(lines) > MAX_LINES:
        raise InvalidInput("tos-forms-lines-too-many")
    if any(len(line) > MAX_DONE for line in lines):
        raise InvalidInput("tos-forms-done-too-long")
    return lines


def meeting_date(raw: str | None, today: date) -> date:
    """DD.MM.YYYY, within a year either way (minutes are drawn up for a meeting to come or
    one just held)."""
    match = re.fullmatch(r"\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*", raw or "")
    if not match:
        raise InvalidInput("tos-forms-date-format")
    day, month, year_ = (int(g) for g in match.groups())
    try:
        chosen = date(year_, month, day)
    except ValueError as exc:
        raise InvalidInput("tos-forms-date-format") from exc
    if abs((chosen - today).days) > 366:
        raise InvalidInput("tos-forms-date-range")
    return chosen


def place(raw: str | None) -> str:
    value = _SPACES.sub(" ", without_controls(raw).replace("\n", " ")).strip()
    if len(value) < 3:
        raise InvalidInput("tos-forms-place-too-short")
    if len(value) > MAX_PLACE:
        raise InvalidInput("tos-forms-place-too-long")
    return value


def count(raw: str | None) -> int:
    text = (raw or "").strip().replace(" ", "")
    if not text.isdigit():
        raise InvalidInput("tos-forms-count-invalid")
    number = int(text)
    if not 0 <= number <= 1_000_000:
        raise InvalidInput("tos-forms-count-invalid")
    return number


def law_on(profiles: dict[str, LawProfile], overrides: dict[str, Any], day: date) -> LawProfile:
    """The rules for a document dated `day`: the profile that governs that day, with the
    values an admin set for the TOS's place (bot.services.tos.law_for_place)."""
    return with_overrides(
        profiles,
        profile_on(profiles, day).id,
        min_age=overrides.get("min_age"),
        registration_term_days=overrides.get("term"),
        registration_body_name=overrides.get("body"),
    )


# ---- the quorum ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Quorum:
    valid: bool
    meeting: MeetingCheck | None = None
    conference: ConferenceCheck | None = None


def quorum(data: dict[str, Any], law: LawProfile) -> Quorum:
    """The meeting's counts against its quorum (the law of its date). Raises InvalidInput
    for counts that cannot be (more present than residents or than delegates elected)."""
    residents = int(data["residents"])
    if residents < 1:
        raise InvalidInput("tos-forms-residents-none")
    if data["assembly"] == Assembly.CONFERENCE.value:
        if int(data["represented"]) > residents:
            raise InvalidInput("tos-forms-represented-above-residents")
        check = check_conference(
            int(data["elected"]), int(data["present"]), int(data["represented"]), residents, law
        )
        return Quorum(check.valid, conference=check)
    if int(data["present"]) > residents:
        raise InvalidInput("tos-forms-present-above-residents")
    meeting = check_meeting(int(data["present"]), residents, law)
    return Quorum(meeting.valid, meeting=meeting)


# ---- the documents ------------------------------------------------------------------------


def rubles(kopecks: int) -> str:
    """12 345,67 (a Russian document's way; whole rubles without the kopecks)."""
    sign = "−" if kopecks < 0 else ""
    whole, part = divmod(abs(kopecks), 100)
    grouped = f"{whole:,}".replace(",", " ")
    return f"{sign}{grouped},{part:02d}" if part else f"{sign}{grouped}"


def _rows(lines: list[list[Any]], actual: list[int] | None) -> list[dict[str, Any]]:
    rows = []
    for number, (item, planned) in enumerate(lines, start=1):
        row: dict[str, Any] = {"number": number, "item": item, "amount": rubles(int(planned))}
        if actual is not None:
            row["actual"] = rubles(actual[number - 1])
            row["difference"] = rubles(actual[number - 1] - int(planned))
        rows.append(row)
    return rows


def _base(tos: Tos, law: LawProfile, region_name: str, today: date) -> dict[str, Any]:
    def power_ref(power: str) -> str:
        rule = law.exclusive_powers
        return _ref(rule) if power in rule.values else ""

    return {
        "tos_name": tos.name,
        "region": region_name,
        "municipality": tos.municipality,
        "boundaries": tos.boundaries,
        "charter_date": f"{tos.charter_registered_on:%d.%m.%Y}",
        "charter_number": tos.charter_number,
        "today": f"{today:%d.%m.%Y}",
        "act": law.act,
        "budget_ref": power_ref("budget"),
        "reports_ref": power_ref("reports"),
    }


def estimate_context(
    tos: Tos, estimate: TosEstimate, law: LawProfile, region_name: str, today: date
) -> dict[str, Any]:
    income = sum(int(amount) for _item, amount in estimate.income)
    expense = sum(int(amount) for _item, amount in estimate.expense)
    context = _base(tos, law, region_name, today)
    context |= {
        "year": estimate.year,
        "income": _rows(estimate.income, estimate.actual_income),
        "expense": _rows(estimate.expense, estimate.actual_expense),
        "income_total": rubles(income),
        "expense_total": rubles(expense),
        "balance": rubles(income - expense),
    }
    if estimate.actual_income is not None and estimate.actual_expense is not None:
        got, spent = sum(estimate.actual_income), sum(estimate.actual_expense)
        context |= {
            "actual_income_total": rubles(got),
            "actual_expense_total": rubles(spent),
            "actual_balance": rubles(got - spent),
            "income_difference": rubles(got - income),
            "expense_difference": rubles(spent - expense),
        }
    return context


def activity_context(
    tos: Tos,
    year_: int,
    done: list[str],
    members: int,
    estimate: TosEstimate | None,
    territory: str,
    law: LawProfile,
    region_name: str,
    today: date,
) -> dict[str, Any]:
    context = _base(tos, law, region_name, today)
    context |= {
        "year": year_,
        "done": done,
        "members": members,
        "territory_type": territory,
        "has_estimate": estimate is not None,
        "has_actual": estimate is not None and estimate.actual_income is not None,
    }
    if estimate is not None:
        context |= estimate_context(tos, estimate, law, region_name, today)
        context["year"] = year_
    return context


def minutes_context(
    tos: Tos,
    data: dict[str, Any],
    checked: Quorum,
    law: LawProfile,
    region_name: str,
    today: date,
) -> dict[str, Any]:
    held = date.fromisoformat(data["date"])
    conference = data["assembly"] == Assembly.CONFERENCE.value
    rules = law.rules
    context = _base(tos, law, region_name, today)
    agenda = []
    for number, item in enumerate(data["agenda"], start=1):
        title, decision = AGENDA_TEXT[Agenda(item)]
        fill = {"name": tos.name, "year": held.year, "last": held.year - 1}
        agenda.append(
            {"number": number, "title": title.format(**fill), "decision": decision.format(**fill)}
        )
    powers = {POWER[Agenda(item)] for item in data["agenda"]}
    exclusive = law.exclusive_powers
    context |= {
        "year": held.year,
        "kind": KIND_FORMS[(Assembly(data["assembly"]), bool(data["extraordinary"]))],
        "is_conference": conference,
        "meeting_date": f"{held:%d.%m.%Y}",
        "meeting_place": data["place"],
        "min_age": shown(rules.min_age),
        "residents": int(data["residents"]),
        "present": int(data["present"]),
        "agenda": agenda,
        # Said only when every question is one of the law's exclusive powers and the law's
        # text confirms the list.
        "powers_ref": _ref(exclusive) if powers <= set(exclusive.values) else "",
        "quorum_value": shown(rules.meeting_quorum),
        "quorum_ref": _ref(rules.meeting_quorum),
        "represented_value": shown(rules.conference_represented_share),
        "represented_ref": _ref(rules.conference_represented_share),
        "delegates_value": shown(rules.conference_delegates_quorum),
        "delegates_ref": _ref(rules.conference_delegates_quorum),
    }
    if checked.conference is not None:
        c = checked.conference
        context |= {
            "elected": c.elected,
            "represented": c.represented,
            "needed": c.needed_present,
            "needed_represented": c.needed_represented,
        }
    elif checked.meeting is not None:
        context["needed"] = checked.meeting.needed
    return context


def render(form: Form, context: dict[str, Any]) -> Document:
    """The form filled from `context`; the same context gives the same bytes."""
    from docxtpl import DocxTemplate  # type: ignore[import-untyped]
    from jinja2 import Environment, StrictUndefined

    template, filename = TEMPLATE[form]
    document = DocxTemplate(TEMPLATES / template)
    document.render(_plain(context), Environment(autoescape=True, undefined=StrictUndefined))
    buffer = BytesIO()
    document.save(buffer)
    return Document(filename.format(year=context["year"]), stable_zip(buffer.getvalue()))
