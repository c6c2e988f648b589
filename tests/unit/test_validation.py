from __future__ import annotations

import pytest

from bot.services import validation
from bot.services.validation import InvalidInput


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Иванова Анна Петровна", "Иванова Анна Петровна"),
        ("  Анна   Мария-Луиза  ", "Анна Мария-Луиза"),
        ("O'Brien John", "O'Brien John"),
        ("Ли", "Ли"),
        ("Ёлкина Алёна", "Ёлкина Алёна"),
    ],
)
def test_good_names(text: str, expected: str) -> None:
    assert validation.full_name(text) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (None, "validation-name-empty"),
        ("   ", "validation-name-empty"),
        ("Я", "validation-name-too-short"),
        ("А" * 101, "validation-name-too-long"),
        ("😀😀", "validation-name-letters"),
        ("Анна 2", "validation-name-letters"),
        ("Анна_Петрова", "validation-name-letters"),
        ("-Анна", "validation-name-letters"),
        ("Анна--Мария", "validation-name-letters"),
        ("Анна <b>", "validation-name-letters"),
    ],
)
def test_bad_names(text: str | None, key: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        validation.full_name(text)
    assert exc.value.key == key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+7 912 345-67-89", "+79123456789"),
        ("8 (912) 345-67-89", "+79123456789"),
        ("89123456789", "+79123456789"),
        ("9123456789", "+79123456789"),
        ("+7 843 123-45-67", "+78431234567"),
        ("+49 30 901820", "+4930901820"),
    ],
)
def test_phones(text: str, expected: str) -> None:
    assert validation.phone(text) == expected


@pytest.mark.parametrize("text", [None, "", "123", "+7 000 000-00-00", "телефон", "1" * 40])
def test_bad_phones(text: str | None) -> None:
    with pytest.raises(InvalidInput):
        validation.phone(text)


def test_display_phone() -> None:
    assert validation.display_phone("+79123456789") == "+7 912 345-67-89"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "validation-municipality-empty"),
        ("г", "validation-municipality-too-short"),
        ("1234", "validation-municipality-letters"),
        ("/start", "validation-command-in-answer"),
        ("г" * 101, "validation-municipality-too-long"),
    ],
)
def test_bad_municipality(text: str, key: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        validation.municipality(text)
    assert exc.value.key == key


def test_municipality_keeps_punctuation() -> None:
    assert (
        validation.municipality(" с. Ивановка,  Лаишевский р-н ") == "с. Ивановка, Лаишевский р-н"
    )
