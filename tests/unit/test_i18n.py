"""Texts: ru/en parity, every key the code uses exists, lookups fail loudly, plurals."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fluent.syntax import FluentParser, ast
from fluent.syntax.visitor import Visitor

from bot.commands import BASE, BY_ROLE
from bot.i18n import LANGUAGES, TranslationError, Translator
from bot.services.events import FORMATS, KINDS, STATUSES, Outcome
from bot.services.invites import Redeem
from bot.services.law import Assembly, Rules, load_profiles
from bot.services.roles import Kind, Role
from bot.services.tos import DIRECTIONS, STAGES
from bot.ui.callbacks.menu import Lang
from db.repositories import PROFILE_FIELDS
from handlers.tos_register import RegisterTos

ROOT = Path(__file__).resolve().parents[2]


class Variables(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def visit_VariableReference(self, node: ast.VariableReference) -> None:
        self.names.add(node.id.name)


def _messages(lang: str) -> dict[str, set[str]]:
    """Each message id with the variables it uses."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "locales" / lang).glob("*.ftl")):
        resource = FluentParser().parse(path.read_text(encoding="utf-8"))
        for entry in resource.body:
            assert not isinstance(entry, ast.Junk), (
                f"{path.name}: syntax error near {entry.content[:60]!r}"
            )
            if isinstance(entry, ast.Message):
                variables = Variables()
                variables.visit(entry)
                assert entry.id.name not in found, f"{entry.id.name} defined twice in {lang}"
                found[entry.id.name] = variables.names
    return found


def test_same_files_in_both_languages() -> None:
    ru = sorted(p.name for p in (ROOT / "locales" / "ru").glob("*.ftl"))
    en = sorted(p.name for p in (ROOT / "locales" / "en").glob("*.ftl"))
    assert ru == en and ru


def test_same_keys_and_placeholders() -> None:
    ru, en = _messages("ru"), _messages("en")
    assert sorted(set(ru) ^ set(en)) == []
    mismatched = {k: (ru[k], en[k]) for k in ru if ru[k] != en[k]}
    assert mismatched == {}


def _keys_used_in_code() -> set[str]:
    keys: set[str] = set()
    for folder in ("bot", "handlers"):
        for path in (ROOT / folder).rglob("*.py"):
            keys |= set(re.findall(r'\bt\(\s*"([a-z0-9_-]+)"', path.read_text(encoding="utf-8")))
            keys |= set(
                re.findall(r'(?:exc\.key|InvalidInput\()\s*"([a-z0-9_-]+)"', path.read_text())
            )
    # Keys built from values: every value of each family must have its text.
    keys |= {f"role-{r.value}" for r in Role}
    keys |= {f"kind-{k.value}" for k in Kind}
    keys |= {f"language-name-{lang.value}" for lang in Lang}
    for profile in load_profiles().values():
        keys |= {f"tos-territory-{v}" for v in profile.territory_types.values}
        keys |= {f"tos-power-{v}" for v in profile.exclusive_powers.values}
        keys |= {f"tos-charter-{v}" for v in profile.charter_sections.values}
        keys |= {f"tos-body-{profile.registration_body.value}"}
        keys |= {f"tos-body-{profile.boundaries_set_by.value}"}
        keys |= {f"tos-establishment-{profile.establishment.value}"}
        keys |= {f"tos-legal-entity-{profile.legal_entity_option.value}"}
    keys |= {f"tos-rule-{name}" for name in Rules.model_fields}
    keys |= {f"tos-assembly-{a.value}" for a in Assembly}
    keys |= {f"tos-direction-{d}" for d in DIRECTIONS}
    keys |= {f"tos-membership-{s}" for s in ("pending", "approved", "rejected")}
    keys |= {f"tos-rt-ask-{s.state.split(':')[1]}" for s in RegisterTos.__states__}
    keys |= {"tos-ogrn-invalid"}
    keys |= {f"admin-law-ask-{a}" for a in ("term", "body", "municipality")}
    keys |= {f"tos-stage-{s}" for s in STAGES} | {f"tos-stage-{s}-button" for s in STAGES}
    for field, errors in {
        "tos-boundaries": ("empty", "too-short", "too-long"),
        "tos-name": ("empty", "too-short", "too-long"),
        "tos-goals": ("empty", "too-short", "too-long"),
        "tos-place": ("empty", "too-short", "too-long"),
        "tos-residents": ("not-number", "out-of-range"),
        "tos-norm": ("not-number", "out-of-range"),
        "tos-council": ("not-number", "out-of-range"),
        "tos-term": ("not-number", "out-of-range"),
        "tos-group": ("too-small", "too-large"),
        "tos-date": ("format", "past"),
        "tos-count": ("not-number", "out-of-range"),
        "tos-reg-date": ("format", "future"),
        "tos-reg-number": ("empty", "too-short", "too-long"),
        "admin-law-term": ("not-number", "out-of-range"),
        "admin-law-body": ("empty", "too-short", "too-long"),
    }.items():
        keys |= {f"{field}-{error}" for error in errors}
    keys |= {"tos-residents-not-positive", "tos-residents-absurd", "tos-delegate-norm-not-positive"}
    keys |= {f"invite-{o.value}" for o in Redeem}
    keys |= {f"events-kind-{k}" for k in KINDS} | {f"events-format-{f}" for f in FORMATS}
    keys |= {f"events-outcome-{o.value}" for o in Outcome}
    keys |= {f"events-status-{s}" for s in STATUSES}
    keys |= {f"profile-edit-{f}" for f in PROFILE_FIELDS}
    keys |= {f"help-{r.value}" for r in (Role.CHAIR, Role.EXPERT, Role.ORGANISER, Role.ADMIN)}
    commands = list(BASE) + [c for extra in BY_ROLE.values() for c in extra]
    keys |= {f"command-{c.replace('_', '-')}" for c in commands}
    keys |= _organiser_event_keys()
    from bot.services.outbox import MUTABLE

    keys |= {f"settings-kind-{kind}" for kind in MUTABLE}
    from bot.services.reminders import CALENDAR_ITEMS

    keys |= {f"tos-calendar-{item}" for item in CALENDAR_ITEMS}
    from bot.services.broadcasts import ROLES

    keys |= {f"bc-role-{role}" for role in ROLES}
    statuses = ("draft", "scheduled", "sending", "paused", "stopped", "done")
    keys |= {f"bc-status-{status}" for status in statuses}
    keys |= _question_keys()
    keys |= _chair_tools_keys()
    return keys


def _chair_tools_keys() -> set[str]:
    from bot.services.grants import FIELDS, LIMITS

    keys = {f"grants-field-{f}" for f in FIELDS}
    keys |= {f"grants-ask-{f}" for f in FIELDS if f != "scope"}
    keys |= {f"grants-{f}-{e}" for f in LIMITS for e in ("too-short", "too-long")}
    keys |= {"grants-reminder"}
    from bot.services.tos_forms import Agenda, Form
    from handlers.tos_forms import TosForms

    for form in Form:
        keys |= {f"tos-forms-{form.value}-{what}" for what in ("button", "intro", "made")}
    keys |= {f"tos-forms-agenda-{item.value}" for item in Agenda}
    keys |= {
        f"tos-forms-ask-{s.state.split(':')[1]}" for s in TosForms.__states__
    }  # the outbox rows name it (handlers/grants.py renders it)
    return keys


def _question_keys() -> set[str]:
    from bot.services.questions import RATINGS, STATUSES, Refusal

    keys = {f"questions-status-{s}" for s in STATUSES}
    keys |= {f"questions-refused-{r.value}" for r in Refusal}
    for rating in RATINGS:
        keys |= {f"questions-rated-{rating}", f"questions-rated-thanks-{rating}"}
        keys |= {f"questions-card-rated-{rating}"}
    keys |= {f"questions-card-{kind}" for kind in ("answer", "follow-up")}
    keys |= {f"questions-nudge-{whom}" for whom in ("experts", "admins")}
    keys |= {f"faq-status-{s}" for s in ("draft", "published", "unpublished")}
    # Keys the outbox rows name (rendered by bot/ui/outbox/questions.py).
    keys |= {"questions-expert-new", "questions-expert-follow-up", "questions-answer"}
    keys |= {"questions-addition", "questions-expert-withdrawn"}
    return keys


def _organiser_event_keys() -> set[str]:
    from bot.services.event_drafts import DEADLINES, ZONES
    from handlers.event_form import GROUPS, EventForm

    keys = {f"evadm-ask-{s.state.split(':')[1]}" for s in EventForm.__states__}
    keys -= {"evadm-ask-preview"}
    keys |= {f"evadm-zone-{z}" for z in ZONES} | {f"evadm-deadline-{d}" for d in DEADLINES}
    keys |= {f"evadm-field-{g}" for g in GROUPS}
    keys |= {f"evadm-created-{s}" for s in ("published", "draft")}
    keys |= {f"evadm-mark-{s}" for s in ("draft", "published", "cancelled")}
    keys |= {f"evadm-event-{s}" for s in ("new", "draft", "published", "cancelled")}
    statuses = ("signed_up", "waitlisted", "pending", "rejected", "cancelled", "attended")
    keys |= {f"evadm-status-{s}" for s in statuses}
    decided = ("signed_up", "waitlisted", "rejected")
    keys |= {f"evadm-{kind}-{s}" for kind in ("decision", "notice") for s in decided}
    for field in ("title", "description", "address", "question"):
        keys |= {f"evadm-{field}-too-short", f"evadm-{field}-too-long"}
    return keys


def test_every_key_used_exists() -> None:
    used = _keys_used_in_code()
    assert len(used) > 80
    for lang in LANGUAGES:
        assert sorted(used - set(_messages(lang))) == [], lang


def test_missing_key_and_argument_raise() -> None:
    t = Translator().for_locale("ru")
    with pytest.raises(TranslationError):
        t("no-such-key")
    with pytest.raises(TranslationError):
        t("registration-ask-name", step=1)  # `total` is missing


@pytest.mark.parametrize(
    ("count", "ru", "en"),
    [
        (1, "1 участник", "1 participant"),
        (2, "2 участника", "2 participants"),
        (5, "5 участников", "5 participants"),
        (11, "11 участников", "11 participants"),
        (21, "21 участник", "21 participants"),
        (22, "22 участника", "22 participants"),
        (111, "111 участников", "111 participants"),
    ],
)
def test_russian_plurals(count: int, ru: str, en: str) -> None:
    translator = Translator()
    assert translator.for_locale("ru")("common-participants", count=count) == ru
    assert translator.for_locale("en")("common-participants", count=count) == en


def test_language_choice() -> None:
    translator = Translator("ru")
    assert translator.pick_language("en-GB") == "en"
    assert translator.pick_language("uk") == "ru"
    assert translator.pick_language(None) == "ru"
    assert translator.for_locale("de").locale == "ru"


def test_telegram_limits_of_static_texts() -> None:
    """Every text fits a message (4096) and every button label fits a button."""
    translator = Translator()
    for lang in LANGUAGES:
        t = translator.for_locale(lang)
        for key, names in _messages(lang).items():
            if names:
                continue
            text = t(key)
            assert 0 < len(text) <= 4096, key
            if key.endswith(("-button", "-yes", "-no", "-agree", "-decline")):
                assert len(text) <= 64, key
