"""Law profiles: the shipped ones load, broken ones fail clearly, quorums round up."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from bot.services.law import (
    LAW_DIR,
    Assembly,
    LawProfile,
    LawProfileError,
    conference_valid,
    load_profile,
    load_profiles,
    meeting_valid,
    quorum,
)


@pytest.fixture(scope="module")
def fz131() -> LawProfile:
    return load_profiles()["131-fz"]


def test_shipped_profiles(fz131: LawProfile) -> None:
    profiles = load_profiles()
    assert set(profiles) == {"131-fz", "33-fz"}
    rules = fz131.rules
    assert rules.min_age.value == 16 and not rules.min_age.to_confirm
    assert (rules.meeting_quorum.value.numerator, rules.meeting_quorum.value.denominator) == (1, 3)
    assert len(fz131.charter_sections.values) == 6
    assert len(fz131.territory_types.values) == 6
    assert len(fz131.exclusive_powers.values) == 7
    # The new law's uncertain values are marked for the user, the age threshold first of all.
    assert profiles["33-fz"].rules.min_age.to_confirm
    assert profiles["33-fz"].status == "transition"
    # Advice is never presented as law.
    assert rules.conference_advised_above.recommendation


def test_every_rule_names_its_source() -> None:
    for profile in load_profiles().values():
        for name, rule in profile.rules:
            assert len(rule.source) >= 3, (profile.id, name)


@pytest.mark.parametrize(
    ("residents", "meeting", "represented"),
    [(1, 1, 1), (2, 1, 1), (3, 1, 1), (4, 2, 2), (299, 100, 100), (300, 100, 100), (301, 101, 101)],
)
def test_meeting_quorum_rounds_up(
    fz131: LawProfile, residents: int, meeting: int, represented: int
) -> None:
    plan = quorum(residents, fz131)
    assert plan.meeting_quorum == meeting
    assert plan.represented_minimum == represented


def test_conference_quorum_and_advice(fz131: LawProfile) -> None:
    small = quorum(300, fz131)
    assert small.advised is Assembly.MEETING
    big = quorum(1_000, fz131, residents_per_delegate=20)
    assert big.advised is Assembly.CONFERENCE
    assert big.delegates == 50
    assert big.conference_quorum == 34  # two thirds of 50 is 33.3: 34 delegates
    one = quorum(5, fz131, residents_per_delegate=10)
    assert (one.delegates, one.conference_quorum) == (1, 1)


def test_validity_checks(fz131: LawProfile) -> None:
    assert meeting_valid(34, 100, fz131) and not meeting_valid(33, 100, fz131)
    assert conference_valid(34, 50, 334, 1_000, fz131)
    assert not conference_valid(33, 50, 334, 1_000, fz131)
    assert not conference_valid(34, 50, 333, 1_000, fz131)


@pytest.mark.parametrize(
    ("residents", "key"),
    [
        (0, "tos-residents-not-positive"),
        (-5, "tos-residents-not-positive"),
        (1_000_001, "tos-residents-absurd"),
    ],
)
def test_bad_resident_counts(fz131: LawProfile, residents: int, key: str) -> None:
    with pytest.raises(ValueError, match=key):
        quorum(residents, fz131)


def _broken(tmp_path: Path, change: Any) -> Path:
    folder = tmp_path / "law"
    shutil.copytree(LAW_DIR, folder)
    path = folder / "131-fz.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["rules"].pop("meeting_quorum"), "rules.meeting_quorum: Field required"),
        (lambda d: d["rules"]["meeting_quorum"].update(value="4/3"), "share lies in (0, 1]"),
        (lambda d: d["rules"]["meeting_quorum"].update(value=0.33), "numerator/denominator"),
        (lambda d: d["rules"]["min_age"].update(value=0), "rules.min_age.value"),
        (lambda d: d["rules"]["min_age"].update(source=""), "rules.min_age.source"),
        (lambda d: d["charter_sections"]["values"].pop(), "the charter sections are"),
        (lambda d: d.update(id="131"), "does not match the file name"),
        (lambda d: d.update(extra_rule=1), "extra_rule: Extra inputs are not permitted"),
    ],
)
def test_broken_profile_fails_with_a_clear_message(
    tmp_path: Path, change: Any, message: str
) -> None:
    folder = _broken(tmp_path, change)
    with pytest.raises(LawProfileError) as exc:
        load_profiles(folder)
    assert str(exc.value).startswith("131-fz.json: ")
    assert message in str(exc.value)


def test_unreadable_and_missing_default(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(LawProfileError, match=r"x\.json: cannot be read"):
        load_profile(bad)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(LawProfileError, match=r"default profile 131-fz\.json is missing"):
        load_profiles(empty)
