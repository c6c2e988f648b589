"""Checks and normalisation of what people type. Errors carry a text key, not a message."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import phonenumbers


class InvalidInput(ValueError):
    """`key` names the locales/ text that explains what is wrong."""

    def __init__(self, key: str, **args: Any) -> None:
        super().__init__(key)
        self.key = key
        self.values = args  # the values the text names ("at least {$minimum}")


_NAME_RE = re.compile(r"^[^\W\d_]+(?:[ \-'’][^\W\d_]+)*$")
_SPACES_RE = re.compile(r"\s+")
# Control characters but the tab and the line break: invisible, they break spreadsheets
# (openpyxl refuses them) and documents, and nobody types them on purpose.
CONTROLS_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def without_controls(text: str | None) -> str:
    """What a person typed, in NFC, with control characters (but tab and line break) removed;
    a carriage return becomes nothing, so CR LF is one line break."""
    return CONTROLS_RE.sub("", unicodedata.normalize("NFC", text or ""))


def full_name(text: str | None) -> str:
    """Letters, spaces and hyphens (and apostrophes, as in O'Brien), 2-100 characters."""
    value = _SPACES_RE.sub(" ", unicodedata.normalize("NFC", text or "")).strip()
    if not value:
        raise InvalidInput("validation-name-empty")
    if len(value) > 100:
        raise InvalidInput("validation-name-too-long")
    if len(value) < 2:
        raise InvalidInput("validation-name-too-short")
    if not _NAME_RE.match(value):
        raise InvalidInput("validation-name-letters")
    return value


def municipality(text: str | None) -> str:
    """Free text of 2-100 characters with at least one letter."""
    value = _SPACES_RE.sub(" ", without_controls(text)).strip()
    if not value:
        raise InvalidInput("validation-municipality-empty")
    if value.startswith("/"):
        raise InvalidInput("validation-command-in-answer")
    if len(value) > 100:
        raise InvalidInput("validation-municipality-too-long")
    if len(value) < 2:
        raise InvalidInput("validation-municipality-too-short")
    if not any(ch.isalpha() for ch in value):
        raise InvalidInput("validation-municipality-letters")
    return value


def phone(text: str | None, default_region: str = "RU") -> str:
    """A valid phone number in E.164; Russian numbers may be typed as 8 9xx ... or 9xx ..."""
    raw = (text or "").strip()
    if not raw or len(raw) > 32:
        raise InvalidInput("validation-phone-invalid")
    try:
        number = phonenumbers.parse(raw, default_region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidInput("validation-phone-invalid") from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidInput("validation-phone-invalid")
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def display_phone(e164: str) -> str:
    number = phonenumbers.parse(e164, None)
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


def spreadsheet_phone(e164: str) -> str:
    """Russian numbers as "8 (912) 345-67-89": a cell starting with "+" would be read as a
    formula by spreadsheets (and neutralised by exports); other countries stay international."""
    number = phonenumbers.parse(e164, None)
    if number.country_code == 7:
        return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL))
    return display_phone(e164)
