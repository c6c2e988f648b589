"""The TOS document pack: seven Word files in Russian, filled from the draft and the law profile."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, date, datetime
from io import BytesIO
from xml.etree import ElementTree
from zipfile import ZipFile

import pytest
from docx import Document as open_docx

from bot.i18n import Text, Translator
from bot.services.law import (
    OVERRIDE_SOURCE,
    Assembly,
    LawProfile,
    load_profiles,
    with_overrides,
)
from bot.services.tos import TosDraft
from bot.services.tos_documents import Document, build_pack, sheet_rows

NAMES = [
    "01_uvedomlenie_o_sobranii.docx",
    "02_list_registracii.docx",
    "03_protokol.docx",
    "04_ustav.docx",
    "05_zayavlenie_o_registracii.docx",
    "06_predlozhenie_o_granicah.docx",
    "07_checklist.docx",
    "08_protokol_izbraniya_delegatov.docx",  # a conference's only
]
GROUP = (
    "Иванова Анна Сергеевна",
    "Петров & Сыновья <Олег> Петрович",
    "Сидоров Павел Ильич",
    "Кузнецова Мария Ивановна",
    "Орлов Олег Олегович",
)
BOUNDARIES = 'ул. "Лесная", д. 1–15 & пер. <Тихий>, д. 2, 4'
TODAY = date(2026, 11, 2)


@pytest.fixture(scope="module")
def profile() -> LawProfile:
    return load_profiles()["131-fz"]


@pytest.fixture(scope="module")
def t() -> Text:
    return Translator().for_locale("ru")


def conference_draft() -> TosDraft:
    return TosDraft(
        profile_id="131-fz",
        region_code="66",
        municipality="городской округ Екатеринбург",
        territory_type="building_group",
        boundaries=BOUNDARIES,
        residents=450,
        assembly=Assembly.CONFERENCE,
        residents_per_delegate=15,
        initiative_group=GROUP,
        initiative_chair=GROUP[0],
        name="Заречье",
        directions=("improvement", "greening", "children"),
        goals_text="Чистый двор & детская площадка",
        meeting_at=datetime(2026, 12, 25, 13, 30, tzinfo=UTC),  # 18:30 in Yekaterinburg
        meeting_tz="Asia/Yekaterinburg",
        meeting_place="школа № 5, актовый зал",
        council_size=5,
        term_years=2,
        applicant_name="Иванова Анна Сергеевна",
        applicant_phone="+7 900 123-45-67",
    )


def meeting_draft() -> TosDraft:
    return dataclasses.replace(
        conference_draft(),
        residents=40,
        assembly=Assembly.MEETING,
        residents_per_delegate=10,
        territory_type="building",
        boundaries="ул. Лесная, д. 7",
        council_size=3,
        term_years=5,
    )


def build(draft: TosDraft, profile: LawProfile, t: Text) -> dict[str, Document]:
    pack = build_pack(draft, profile, t, region_name="Свердловская область", today=TODAY)
    return {doc.filename: doc for doc in pack}


def text_of(doc: Document) -> str:
    """Every paragraph and table cell, one per line."""
    word = open_docx(BytesIO(doc.content))
    lines = [p.text for p in word.paragraphs]
    for table in word.tables:
        lines.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(lines)


@pytest.fixture(scope="module")
def conference(profile: LawProfile, t: Text) -> dict[str, str]:
    return {name: text_of(doc) for name, doc in build(conference_draft(), profile, t).items()}


@pytest.fixture(scope="module")
def meeting(profile: LawProfile, t: Text) -> dict[str, str]:
    return {name: text_of(doc) for name, doc in build(meeting_draft(), profile, t).items()}


def test_the_conference_pack_in_order_with_well_formed_xml(profile: LawProfile, t: Text) -> None:
    pack = build_pack(
        conference_draft(), profile, t, region_name="Свердловская область", today=TODAY
    )
    assert [doc.filename for doc in pack] == NAMES
    for doc in pack:
        assert doc.filename.isascii()
        with ZipFile(BytesIO(doc.content)) as archive:
            for entry in archive.infolist():
                if entry.filename.endswith((".xml", ".rels")):
                    ElementTree.fromstring(archive.read(entry))  # strict: raises on broken XML


def test_same_input_same_bytes(profile: LawProfile, t: Text) -> None:
    first = build(meeting_draft(), profile, t)
    second = build(meeting_draft(), profile, t)
    assert first == second


def test_notice(conference: dict[str, str]) -> None:
    notice = conference["01_uvedomlenie_o_sobranii.docx"]
    assert "«Заречье»" in notice
    assert "25.12.2026 в 18:30" in notice
    assert "UTC+5" in notice
    assert "школа № 5, актовый зал" in notice
    assert BOUNDARIES in notice
    assert "учредительная конференция граждан" in notice
    # 450 residents, one delegate per 15: 30 delegates, 2/3 of them, representing 1/3 of 450.
    assert "всего около 30 делегатов на 450 жителей" in notice
    # Two thirds of the delegates actually elected; 20 only if all 30 planned are elected.
    assert "не менее 2/3 избранных на собраниях жителей делегатов (ч. 6 ст. 27 131-ФЗ)" in notice
    assert "Если будут избраны все 30 делегатов, нужно не менее 20 из них." in notice
    assert "не менее 150 жителей" in notice
    assert "ч. 6 ст. 27 131-ФЗ" in notice and "ч. 7 ст. 27" not in notice
    for item in ("О создании ТОС", "О принятии устава", "Об избрании органов", "направлений"):
        assert item in notice
    assert all(person in notice for person in GROUP)
    assert "Председатель инициативной группы: Иванова Анна Сергеевна" in notice
    assert "+7 900 123-45-67" in notice
    assert "02.11.2026" in notice


def test_registration_sheet(profile: LawProfile, conference: dict[str, str]) -> None:
    document = build(conference_draft(), profile, Translator().for_locale("ru"))
    word = open_docx(BytesIO(document["02_list_registracii.docx"].content))
    (table,) = word.tables
    header, *rows = table.rows
    # A conference's sheet has a column for the residents each delegate represents.
    assert [c.text for c in header.cells] == [
        "№",
        "ФИО делегата",
        "Адрес (в границах ТОС)",
        "Представляет жителей",
        "Подпись",
    ]
    # A conference registers its 30 delegates: a fifth more, 36 rows.
    assert [r.cells[0].text for r in rows] == [str(n) for n in range(1, 37)]
    assert all(c.text == "" for r in rows for c in r.cells[1:])
    sheet = conference["02_list_registracii.docx"]
    assert not any(person in sheet for person in GROUP)
    assert "25.12.2026 в 18:30" in sheet


def test_sheet_rows(profile: LawProfile) -> None:
    assert sheet_rows(meeting_draft(), profile) == 20  # quorum 14: the minimum of 20
    big = dataclasses.replace(meeting_draft(), residents=300)  # quorum 100
    assert sheet_rows(big, profile) == 120
    huge = dataclasses.replace(meeting_draft(), residents=100_000)
    assert sheet_rows(huge, profile) == 500


def test_protocol(conference: dict[str, str]) -> None:
    protocol = conference["03_protokol.docx"]
    assert "ПРОТОКОЛ № 1" in protocol
    assert "учредительной конференции граждан" in protocol
    assert "25.12.2026 в 18:30" in protocol
    assert "не менее 2/3 избранных делегатов (ч. 6 ст. 27 131-ФЗ)" in protocol
    assert "не менее 150 жителей" in protocol
    # The delegates elected are counted at the residents' meetings: nothing pre-filled.
    assert "Избрано делегатов на собраниях жителей: ______ (по протоколам" in protocol
    assert "30" not in protocol.replace("18:30", "")
    assert "не менее 20" not in protocol
    assert "Присутствовали: ______ из ______ избранных делегатов" in protocol
    assert "3. Протоколы собраний жителей об избрании делегатов." in protocol
    assert protocol.count("СЛУШАЛИ:") == 5
    assert protocol.count("РЕШИЛИ:") == 5
    assert protocol.count("Голосовали: «за» ______") == 6  # with the chair and secretary vote
    assert (
        "Создать территориальное общественное самоуправление «Заречье» на территории: "
        f"группа жилых домов в границах: {BOUNDARIES}" in protocol
    )
    assert "Принять устав ТОС «Заречье»" in protocol
    assert "Избрать совет ТОС в составе 5 членов сроком на 2 года" in protocol
    assert "благоустройство" in protocol and "дети и молодёжь" in protocol
    assert "Чистый двор & детская площадка" in protocol


def test_charter(profile: LawProfile, t: Text, conference: dict[str, str]) -> None:
    charter = conference["04_ustav.docx"]
    assert "УСТАВ" in charter and "«Заречье»" in charter
    lowered = charter.casefold()
    assert len(profile.charter_sections.values) == 6
    for section in profile.charter_sections.values:
        assert t(f"tos-charter-{section}").casefold() in lowered, section
    for power in profile.exclusive_powers.values:
        assert t(f"tos-power-{power}") in charter, power
    assert "группа жилых домов (ч. 3 ст. 27 131-ФЗ)" in charter
    # Art. 27: the exclusive powers are part 7, its item 7 is about approving a project.
    assert "граждан относятся (ч. 7 ст. 27 131-ФЗ):" in charter
    assert "7) обсуждение инициативного проекта и принятие решения по вопросу о его одобрении." in (
        charter
    )
    assert f"Границы территории ТОС: {BOUNDARIES}." in charter
    assert "совет ТОС в составе 5 членов" in charter and "сроком на 2 года" in charter
    assert "Председатель совета ТОС избирается" in charter
    assert "не менее 1/3 жителей" in charter and "не менее 2/3 избранных" in charter
    assert "большинством голосов" in charter
    assert "решения суда" in charter
    assert "16-летнего возраста" in charter
    assert "принят\nучредительной конференцией граждан\n25.12.2026" in lowered


def test_application(t: Text, conference: dict[str, str]) -> None:
    application = conference["05_zayavlenie_o_registracii.docx"]
    # 131-FZ part 5: "уполномоченный орган местного самоуправления", until a name is set.
    assert "Кому: уполномоченный орган местного самоуправления" in application
    assert "От: Иванова Анна Сергеевна" in application
    assert "+7 900 123-45-67" in application
    assert "Прошу зарегистрировать устав" in application
    assert "Устав ТОС «Заречье» — 2 экз." in application
    assert "Протоколы собраний жителей об избрании делегатов" in application


def test_the_municipalitys_registration_body_is_named(t: Text) -> None:
    named = with_overrides(
        load_profiles(), "131-fz", registration_body_name="Администрация Ленинского района"
    )
    texts = {n: text_of(doc) for n, doc in build(conference_draft(), named, t).items()}
    assert "Кому: Администрация Ленинского района" in texts["05_zayavlenie_o_registracii.docx"]
    assert "(орган регистрации: Администрация Ленинского района)" in texts["03_protokol.docx"]
    assert (
        "Куда: Администрация Ленинского района, городской округ Екатеринбург"
        in (texts["07_checklist.docx"])
    )
    assert "уполномоченный орган местного самоуправления," not in texts["07_checklist.docx"]


def test_boundaries_proposal(t: Text, conference: dict[str, str]) -> None:
    proposal = conference["06_predlozhenie_o_granicah.docx"]
    assert f"Кому: {t('tos-body-representative_body')}" in proposal
    assert f"Описание границ: {BOUNDARIES}." in proposal
    assert "ч. 1 ст. 27 131-ФЗ" in proposal
    assert all(person in proposal for person in GROUP)


def test_checklist(profile: LawProfile, t: Text, conference: dict[str, str]) -> None:
    checklist = conference["07_checklist.docx"]
    term = profile.rules.registration_term_days
    assert term.to_confirm
    # The law leaves the term to the municipality: the checklist says so, and names no
    # number it cannot vouch for (the chat tells the user what to check).
    assert (
        "Срок регистрации устава: устанавливается уставом муниципального образования и (или) "
        "актами его представительного органа (ч. 5 ст. 27 131-ФЗ)." in checklist
    )
    assert "30 дней" not in checklist
    assert "устав — 2 экземпляра" in checklist
    assert "(если изберут всех 30 — не менее 20 из них)" in checklist
    assert "протоколы избрания делегатов (файл 08)" in checklist
    assert (
        "Куда: уполномоченный орган местного самоуправления, городской округ Екатеринбург "
        "(ч. 5 ст. 27 131-ФЗ)." in checklist
    )
    assert "Министерства юстиции" in checklist


def test_values_set_from_the_local_act_are_cited_to_it(t: Text) -> None:
    local = with_overrides(load_profiles(), "131-fz", registration_term_days=10)
    checklist = text_of(build(meeting_draft(), local, t)["07_checklist.docx"])
    assert "Срок регистрации устава: 10 дней (акт муниципального образования о ТОС)." in checklist
    assert OVERRIDE_SOURCE not in checklist  # "set by the bot's admin" is for the chat


def test_meeting_variant(meeting: dict[str, str]) -> None:
    assert list(meeting) == NAMES[:7]  # no delegates' election minutes
    notice = meeting["01_uvedomlenie_o_sobranii.docx"]
    assert "учредительное собрание граждан" in notice
    assert "не менее 14 из 40 жителей территории — 1/3 (ч. 6 ст. 27 131-ФЗ)" in notice
    assert "делегат" not in notice
    protocol = meeting["03_protokol.docx"]
    assert "ПРОТОКОЛ № 1\nучредительного собрания граждан" in protocol
    assert "не менее 14 жителей" in protocol
    assert "Избрать совет ТОС в составе 3 членов сроком на 5 лет" in protocol
    assert "многоквартирный жилой дом в границах: ул. Лесная, д. 7" in protocol
    assert "делегатов" not in meeting["05_zayavlenie_o_registracii.docx"]
    assert "Провести учредительное собрание граждан" in meeting["07_checklist.docx"]
    assert "не менее 14 из 40 жителей" in meeting["07_checklist.docx"]
    sheet = meeting["02_list_registracii.docx"]
    assert "\n20\n" in sheet and "\n21\n" not in sheet
    assert "Представляет жителей" not in sheet and "ФИО\nАдрес (в границах ТОС)\nПодпись" in sheet
    assert "избранных" not in meeting["03_protokol.docx"]


def test_delegates_election_minutes(conference: dict[str, str]) -> None:
    minutes = conference["08_protokol_izbraniya_delegatov.docx"]
    assert minutes.startswith("ПРОТОКОЛ № ____\nсобрания жителей об избрании делегатов\n")
    assert "на учредительную конференцию граждан по созданию" in minutes
    assert "«Заречье»" in minutes
    assert "которая состоится 25.12.2026 в 18:30 (местное время, UTC+5), школа № 5" in minutes
    assert "Норма представительства: один делегат от 15 жителей; избрать делегатов: ______." in (
        minutes
    )
    assert "достигших 16-летнего возраста: ______." in minutes
    # The delegates elected, each with the residents they represent, then the sign-in sheet.
    assert "№\nФИО делегата\nАдрес (в границах ТОС)\nПредставляет жителей\n1\n" in minutes
    assert "№\nФИО\nАдрес\nПодпись\n1\n" in minutes and "\n20\n" in minutes
    assert minutes.count("Голосовали:") == 2
    assert "Председатель собрания:" in minutes and "Секретарь собрания:" in minutes


def test_text_xml_cannot_hold_is_dropped(profile: LawProfile, t: Text) -> None:
    draft = dataclasses.replace(
        meeting_draft(), name="Заречье\x01\x0b", boundaries="ул. Лесная,\nд. 7\tи 9"
    )
    texts = {name: text_of(doc) for name, doc in build(draft, profile, t).items()}
    assert "«Заречье»" in texts["04_ustav.docx"]
    assert "ул. Лесная, д. 7 и 9" in texts["04_ustav.docx"]


WARNINGS = ("⚠", "уточните", "акт вашего муниципального образования", "проверьте")


@pytest.mark.parametrize("profile_id", ["131-fz", "33-fz"])
@pytest.mark.parametrize("draft", [conference_draft, meeting_draft])
def test_no_warning_inside_any_document(
    t: Text, profile_id: str, draft: Callable[[], TosDraft]
) -> None:
    """The documents are filed with the authorities: what the user must still check is said
    in the chat, never inside a document, and an unverified value cites nothing."""
    profile = load_profiles()[profile_id]
    texts = {name: text_of(doc) for name, doc in build(draft(), profile, t).items()}
    for name, text in texts.items():
        lowered = text.casefold()
        assert [w for w in WARNINGS if w.casefold() in lowered] == [], name
        assert t("tos-to-confirm") not in text, name
        # The unverified registration term (30 days) is named nowhere.
        assert "30 дней" not in text, name
    if profile_id == "33-fz":
        # Everything in it awaits the text of the law: no citation at all, only the act.
        assert "33-ФЗ, статья" not in "".join(texts.values())
        assert "Федеральный закон от 20.03.2025 № 33-ФЗ" in texts["04_ustav.docx"]
    else:
        assert "(ч. 6 ст. 27 131-ФЗ)" in texts["04_ustav.docx"]
