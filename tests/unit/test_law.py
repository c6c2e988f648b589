"""Law profiles: the shipped ones load, broken ones fail clearly, quorums round up."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.services.law import (
    CITED_FIELDS,
    LAW_DIR,
    Assembly,
    LawProfile,
    LawProfileError,
    age_refused_by,
    check_conference,
    check_meeting,
    cited_parts,
    conference_valid,
    load_profile,
    load_profiles,
    meeting_valid,
    profile_on,
    quorum,
    with_overrides,
)
from bot.services.validation import InvalidInput


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


def test_131_fz_cites_the_parts_of_article_27_that_state_each_rule(fz131: LawProfile) -> None:
    """Checked against the text of art. 27: the quorums and the age are part 6, the exclusive
    powers part 7, the charter's contents part 9 (not 7, 8 and 10)."""
    article = fz131.article
    assert article is not None and article.cite == "ст. 27 131-ФЗ"
    assert list(article.parts) == [
        "1", "2", "3", "4", "5", "6", "7", "8", "8.1", "9", "10", "11"
    ]  # fmt: skip

    def parts(name: str) -> list[str]:
        return cited_parts(fz131.cited(name).source, article.cite)

    for rule in ("min_age", "meeting_quorum", "conference_delegates_quorum"):
        assert parts(rule) == ["6"], rule
    assert parts("conference_represented_share") == ["6"]
    assert parts("exclusive_powers") == ["7"]
    assert parts("charter_sections") == ["9"]
    assert parts("territory_types") == ["3"]
    assert parts("boundaries_set_by") == ["1"]
    for name in ("registration_body", "establishment", "registration_term_days"):
        assert parts(name) == ["5"], name
    assert parts("legal_entity_option") == ["5"]
    # Every cited part exists in the table, whatever field cites it.
    for name in CITED_FIELDS:
        assert set(parts(name)) <= set(article.parts), name


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("ч. 6 ст. 27 131-ФЗ", ["6"]),
        ("ч. 6, 7 ст. 27 131-ФЗ", ["6", "7"]),
        ("ч. 8.1 и 9 ст. 27 131-ФЗ", ["8.1", "9"]),
        ("абз. 2 ч. 1 ст. 27 131-ФЗ; ч. 11 ст. 27 131-ФЗ", ["1", "11"]),
        ("ч. 6 ст. 28 131-ФЗ", []),
        ("ст. 27 131-ФЗ", []),
    ],
)
def test_cited_parts(text: str, parts: list[str]) -> None:
    assert cited_parts(text, "ст. 27 131-ФЗ") == parts


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


def test_conference_quorum_counts_the_delegates_elected(fz131: LawProfile) -> None:
    """450 residents, one delegate per 15: 30 planned, but the meetings elected 24. Two thirds
    of 24 is 16: 16 present are a quorum, though 16 < 20 (two thirds of the plan)."""
    assert quorum(450, fz131, residents_per_delegate=15).conference_quorum == 20
    check = check_conference(24, 16, 150, 450, fz131)
    assert (check.needed_present, check.needed_represented, check.valid) == (16, 150, True)
    assert not check_conference(24, 15, 150, 450, fz131).valid
    assert not check_conference(24, 16, 149, 450, fz131).valid  # they must represent 1/3
    assert check_conference(1, 1, 150, 450, fz131).valid
    with pytest.raises(InvalidInput, match="tos-present-above-elected"):
        check_conference(24, 25, 300, 450, fz131)
    with pytest.raises(InvalidInput, match="tos-elected-none"):
        check_conference(0, 0, 300, 450, fz131)


def test_meeting_check(fz131: LawProfile) -> None:
    assert check_meeting(14, 40, fz131) == check_meeting(14, 40, fz131)
    assert (check_meeting(14, 40, fz131).needed, check_meeting(14, 40, fz131).valid) == (14, True)
    assert not check_meeting(13, 40, fz131).valid


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
        # The conference's quorum is in part 6; part 7 lists the exclusive powers.
        (
            lambda d: d["rules"]["conference_delegates_quorum"].update(source="ч. 7 ст. 27 131-ФЗ"),
            "conference_delegates_quorum: cites 7 of ст. 27 131-ФЗ, but ч. 6 states it",
        ),
        (
            lambda d: d["charter_sections"].update(source="ч. 12 ст. 27 131-ФЗ"),
            "charter_sections: ч. 12 is not a part of ст. 27 131-ФЗ",
        ),
        (
            lambda d: d["article"]["parts"]["6"].update(covers=["quorum"]),
            "part 6 covers unknown fields: quorum",
        ),
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


def test_the_meetings_date_chooses_the_profile() -> None:
    """131-FZ loses force on 01.01.2028 (art. 93 of 33-FZ as amended by 85-FZ): a meeting on
    31.12.2027 follows it, one on 01.01.2028 follows 33-FZ. The date is data, with its source."""
    profiles = load_profiles()
    fz131, fz33 = profiles["131-fz"], profiles["33-fz"]
    assert fz131.repealed_from is not None and fz33.applies_from is not None
    assert fz131.repealed_from.value == fz33.applies_from.value == date(2028, 1, 1)
    assert "33-ФЗ" in fz131.repealed_from.source and "85-ФЗ" in fz131.repealed_from.source
    assert profile_on(profiles, date(2026, 12, 5)).id == "131-fz"
    assert profile_on(profiles, date(2027, 12, 31)).id == "131-fz"
    assert profile_on(profiles, date(2028, 1, 1)).id == "33-fz"
    assert profile_on(profiles, date(2040, 6, 1)).id == "33-fz"


def test_unverified_values_are_listed_for_the_chat() -> None:
    profiles = load_profiles()
    assert profiles["131-fz"].unverified() == [
        ("initiative_group_min", "3"),
        ("registration_term_days", "30"),
    ]
    assert ("min_age", "16") in profiles["33-fz"].unverified()
    assert ("meeting_quorum", "1/3") in profiles["33-fz"].unverified()


def _periods_broken(tmp_path: Path, change: Any) -> Path:
    folder = tmp_path / "law"
    shutil.copytree(LAW_DIR, folder)
    path = folder / "33-fz.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["applies_from"].update(value="2028-02-01"),
            "131-fz ends 2028-01-01 but 33-fz starts 2028-02-01",
        ),
        (lambda d: d.pop("applies_from"), "131-fz ends 2028-01-01 but 33-fz starts"),
        (
            lambda d: d.update(repealed_from={"value": "2040-01-01", "source": "x" * 12}),
            "no profile governs the days from 2040-01-01",
        ),
    ],
)
def test_profiles_must_follow_each_other_without_a_gap(
    tmp_path: Path, change: Any, message: str
) -> None:
    with pytest.raises(LawProfileError, match=message):
        load_profiles(_periods_broken(tmp_path, change))


def test_131_fz_fixes_the_age_at_16() -> None:
    """Part 6 of art. 27 says 16: a municipality cannot set 18 while 131-FZ governs meetings;
    an 18 stored for a place does not reach a 131-FZ project, and does reach a later law's."""
    profiles = load_profiles()
    assert profiles["131-fz"].rules.min_age.fixed and not profiles["33-fz"].rules.min_age.fixed
    refused = age_refused_by(profiles, 18, date(2026, 12, 5))
    assert refused is not None and refused.id == "131-fz"
    assert age_refused_by(profiles, 18, date(2027, 12, 31)) is not None
    assert age_refused_by(profiles, 16, date(2026, 12, 5)) is None
    assert age_refused_by(profiles, 18, date(2028, 1, 1)) is None  # 131-FZ no longer governs
    assert with_overrides(profiles, "131-fz", min_age=18).rules.min_age.value == 16
    later = with_overrides(profiles, "33-fz", min_age=18).rules.min_age
    assert (later.value, later.local) == (18, True)
