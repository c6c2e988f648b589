"""The TOS's annual forms from /tos_calendar, through the production dispatcher: the
estimate and the report on its execution, the council's annual report, and the minutes of a
meeting or conference with the quorum checked. The tests read the generated documents."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta

import docx
import pytest

from bot.services import tos_forms as forms
from bot.services.law import load_profiles
from bot.services.tos_forms import Agenda, Form
from bot.ui.callbacks.tos import FormCb
from db.models import Tos
from handlers.tos_forms import TosForms
from tests.dialogs.test_grants import person
from tests.dialogs.test_registration import state_of
from tests.harness import App, BotClient

YEAR = datetime.now(UTC).year
CITE_7 = "(ч. 7 ст. 27 131-ФЗ)"
CITE_6 = "(ч. 6 ст. 27 131-ФЗ)"


async def chaired_tos(app: App, chair: int) -> Tos:
    async with app.repo() as repo:
        return await repo.tos_registry.add(
            name="Солнечный",
            region_code="16",
            municipality="г. Казань",
            territory_type="building",
            boundaries="ул. Солнечная, дом 5",
            charter_registered_on=date(2024, 3, 15),
            charter_number="ТОС-5",
            ogrn=None,
            status="verified",
            chair_id=chair,
            created_at=datetime.now(UTC),
        )


def text_of(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    lines += [" | ".join(c.text for c in row.cells) for t in document.tables for row in t.rows]
    return "\n".join(lines)


def last_doc(app: App, prefix: str) -> str:
    found = [f for f in app.api.files.values() if (f.file_name or "").startswith(prefix)]
    assert found, prefix
    return text_of(found[-1].content)


async def open_form(c: BotClient, app: App, form: Form) -> None:
    t = app.t(c.language_code or "ru")
    await c.send("/tos_calendar")
    await c.click(t(f"tos-forms-{form.value}-button"))


def no_warnings(text: str) -> None:
    for word in ("проверьте", "уточните", "⚠", "check", "{{", "{%"):
        assert word not in text, word


async def test_estimate_and_the_report_on_its_execution(app: App) -> None:
    t = app.t()
    c = await person(app, 7101)
    tos = await chaired_tos(app, 7101)
    await open_form(c, app, Form.ESTIMATE)
    assert await state_of(app, 7101) == TosForms.year.state
    for bad, key in (("20", "tos-forms-year-format"), ("1999", "tos-forms-year-range")):
        await c.send(bad)
        assert c.last_text() == t(key)
    await c.send_sticker()
    assert c.last_text() == t("common-expected-text")
    await c.send(str(YEAR))
    await c.send("Взносы")
    assert c.last_text() == t("tos-forms-line-format")
    await c.send("Взносы — 12 000 000 000 000")
    assert c.last_text() == t("tos-forms-amount-too-large")
    await c.send("Добровольные взносы — 12 000\nСубсидия администрации: 50 000,50")
    await c.click(t("common-back-button"))  # back to the income: typed again
    assert await state_of(app, 7101) == TosForms.income.state
    await c.send("Добровольные взносы — 12 000\nСубсидия администрации: 50 000,50")
    await c.send("Саженцы и инвентарь — 30 000\nПраздник двора <и> & чай — 15 000 руб.")
    # After a document the chat names the law it follows, with no warning (131-FZ's text
    # confirms what an estimate rests on).
    assert c.last_text() == t("tos-forms-next", act=load_profiles()["131-fz"].act)
    assert await state_of(app, 7101) is None
    estimate = last_doc(app, "smeta_")
    assert f"на {YEAR} год" in estimate and "«Солнечный»" in estimate
    assert "1 | Добровольные взносы | 12 000" in estimate
    assert "2 | Субсидия администрации | 50 000,50" in estimate
    assert "Праздник двора <и> & чай | 15 000" in estimate  # typed text, escaped for XML
    assert "Итого: 62 000,50 руб." in estimate and "Итого: 45 000 руб." in estimate
    assert "Остаток (доходы минус расходы): 17 000,50 руб." in estimate
    assert f"утверждается собранием (конференцией) граждан {CITE_7}" in estimate
    no_warnings(estimate)
    async with app.repo() as repo:
        saved = await repo.tos_estimates.get(tos.id, YEAR)
        assert saved is not None and saved.income[1] == ["Субсидия администрации", 5_000_050]

    # The report on it: the items come from the saved estimate, only the amounts are typed.
    await open_form(c, app, Form.EXECUTION)
    await c.send(str(YEAR - 1))
    assert c.last_text() == t("tos-forms-no-estimate")
    await c.send(str(YEAR))
    assert "1. Добровольные взносы — 12 000" in (c.last_text() or "")
    await c.send("11 500")
    assert c.last_text() == t("tos-forms-actual-count")
    await c.send("11 500\n50 000,50")
    await c.send("31 000; 14 000")
    report = last_doc(app, "otchet_ob_ispolnenii_smety_")
    assert "1 | Добровольные взносы | 12 000 | 11 500 | −500" in report
    assert "1 | Саженцы и инвентарь | 30 000 | 31 000 | 1 000" in report
    assert "Получено: 61 500,50 руб." in report and "Израсходовано: 45 000 руб." in report
    assert "Остаток на конец года: 16 500,50 руб." in report
    assert f"(конференцией) граждан {CITE_7}" in report
    no_warnings(report)
    # The council's annual report takes the estimate and its execution from the database.
    await open_form(c, app, Form.ACTIVITY)
    await c.send(str(YEAR))
    await c.send("x" * 501)
    assert c.last_text() == t("tos-forms-done-too-long")
    await c.send("• Благоустроена детская площадка\n- Проведён субботник")
    activity = last_doc(app, "otchet_o_deyatelnosti_")
    assert "1. Благоустроена детская площадка" in activity
    assert "2. Проведён субботник" in activity
    assert "фактически получено 61 500,50 руб., израсходовано 45 000 руб." in activity
    assert "Устав ТОС зарегистрирован: 15.03.2024, регистрационный № ТОС-5." in activity
    assert "Территория ТОС: многоквартирный жилой дом" in activity
    assert f"утверждается собранием (конференцией) граждан {CITE_7}" in activity
    no_warnings(activity)


@pytest.mark.parametrize("lang", ["ru", "en"])
async def test_minutes_of_a_meeting_with_its_quorum_and_agenda(app: App, lang: str) -> None:
    t = app.t(lang)
    c = await person(app, 7201, lang=lang)
    await chaired_tos(app, 7201)
    await open_form(c, app, Form.MINUTES)
    await c.send("собрание")
    assert c.last_text() == t("common-use-buttons")
    await c.click(t("tos-assembly-meeting"))
    await c.click(t("tos-forms-extraordinary"))
    day = datetime.now(UTC).date() + timedelta(days=40)
    await c.send("01.01.2020")
    assert c.last_text() == t("tos-forms-date-range")
    await c.send(f"{day:%d.%m.%Y}")
    await c.send("Двор дома 5 & детская площадка")
    await c.send("много")
    assert c.last_text() == t("tos-forms-count-invalid")
    await c.send("120")
    await c.send("130")
    assert c.last_text() == t("tos-forms-present-above-residents")
    await c.send("39")  # a third of 120 is 40
    assert c.last_text() == t("tos-forms-no-quorum-meeting", present=39, needed=40)
    assert await state_of(app, 7201) == TosForms.present.state  # waits for the right number
    await c.send("41")
    assert await state_of(app, 7201) == TosForms.agenda.state
    await c.click(t("tos-forms-make-button"))
    assert t("tos-forms-agenda-empty") in c.alerts()
    for item in (Agenda.ACTIVITY, Agenda.CHARTER, Agenda.INITIATIVE):
        await c.click("▫️ " + t(f"tos-forms-agenda-{item.value}"))
    await c.click("✅ " + t("tos-forms-agenda-initiative"))  # off again
    assert "▫️ " + t("tos-forms-agenda-initiative") in c.buttons()
    await c.click(t("tos-forms-make-button"))
    minutes = last_doc(app, "protokol_")
    assert "внеочередного собрания граждан" in minutes
    assert f"Дата проведения: {day:%d.%m.%Y}." in minutes
    assert "Двор дома 5 & детская площадка" in minutes
    assert "Присутствовали: 41 жителей" in minutes
    assert f"не менее 1/3 жителей территории ТОС {CITE_6}, то есть не менее 40" in minutes
    # The agenda in the list's order, whatever order it was ticked in.
    agenda = re.findall(r"^(\d)\. (.+)$", minutes, re.M)[:2]
    assert agenda == [
        ("1", "О внесении изменений в устав ТОС «Солнечный»."),
        ("2", f"Об утверждении отчёта о деятельности органов ТОС за {day.year - 1} год."),
    ]
    assert f"исключительным полномочиям собрания (конференции) граждан {CITE_7}" in minutes
    assert "одобрении инициативного проекта" not in minutes
    no_warnings(minutes)


async def test_minutes_of_a_conference_refused_without_quorum(app: App) -> None:
    t = app.t()
    c = await person(app, 7301)
    await chaired_tos(app, 7301)
    await open_form(c, app, Form.MINUTES)
    await c.click(t("tos-assembly-conference"))
    await c.click(t("tos-forms-ordinary"))
    await c.send(f"{datetime.now(UTC).date():%d.%m.%Y}")
    await c.send("Актовый зал школы № 5")
    await c.send("900")
    await c.send("0")
    assert c.last_text() == t("tos-elected-none")
    await c.send("30")
    await c.send("31")
    assert c.last_text() == t("tos-forms-present-above-elected")
    await c.send("19")  # 2/3 of 30 is 20
    await c.send("310")
    assert c.last_text() == t(
        "tos-forms-no-quorum-conference",
        present=19,
        needed=20,
        represented=310,
        needed_represented=300,
    )
    assert not [f for f in app.api.files.values() if (f.file_name or "").startswith("protokol_")]
    await c.click(t("common-back-button"))
    await c.send("20")
    await c.send("300")
    await c.click("▫️ " + t("tos-forms-agenda-estimate"))
    await c.click(t("tos-forms-make-button"))
    minutes = last_doc(app, "protokol_")
    assert "очередной конференции граждан" in minutes
    assert "Избрано делегатов на собраниях граждан: 30." in minutes
    assert "20 делегатов (по листу регистрации), представляющих 300 жителей" in minutes
    assert f"не менее 2/3 избранных делегатов {CITE_6} (не менее 20)" in minutes
    no_warnings(minutes)


async def test_only_the_chair_fills_the_forms(app: App) -> None:
    t = app.t()
    await person(app, 7401)
    tos = await chaired_tos(app, 7401)
    stranger = await person(app, 7402)
    organiser = await person(app, 7403, "63")
    for who in (stranger, organiser):
        await who.send("/tos_calendar")
        await who.click_data(FormCb(tos_id=tos.id, form=Form.ESTIMATE).pack(), check=False)
        assert t("common-not-allowed") in who.alerts()
        assert await state_of(app, who.user_id) is None
    # A chair who loses the TOS mid-form makes nothing.
    chair = app.client(7401)
    await open_form(chair, app, Form.ESTIMATE)
    async with app.repo() as repo:
        moved = await repo.tos_registry.get(tos.id)
        assert moved is not None
        moved.chair_id = 7402
    await chair.send(str(YEAR))
    assert chair.last_text() == t("common-not-allowed")
    assert await state_of(app, 7401) is None


def test_minutes_under_a_law_whose_text_is_unverified_cite_nothing() -> None:
    """The 33-FZ profile marks its values to confirm: the document then cites nothing (the
    chat says what to check), and the quorum is still that profile's."""
    profiles = load_profiles()
    law = forms.law_on(profiles, {}, date(2028, 3, 1))
    assert law.id == "33-fz"
    tos = Tos(
        name="Солнечный",
        region_code="16",
        municipality="г. Казань",
        territory_type="building",
        boundaries="ул. Солнечная",
        charter_registered_on=date(2024, 3, 15),
        charter_number="1",
    )
    data = {
        "assembly": "meeting",
        "extraordinary": False,
        "date": "2028-03-01",
        "place": "Двор",
        "residents": 90,
        "present": 30,
        "agenda": [Agenda.ELECT.value],
    }
    checked = forms.quorum(data, law)
    assert checked.valid and checked.meeting is not None and checked.meeting.needed == 30
    context = forms.minutes_context(
        tos, data, checked, law, "Республика Татарстан", date(2028, 1, 10)
    )
    text = text_of(forms.render(Form.MINUTES, context).content)
    assert "131-ФЗ" not in text and "33-ФЗ" not in text
    assert "то есть не менее 30" in text and "Об избрании совета ТОС" in text
    assert (
        forms.render(Form.MINUTES, context).content == forms.render(Form.MINUTES, context).content
    )


def test_typed_amounts_and_lines() -> None:
    assert forms.amount("12 500") == 1_250_000
    assert forms.amount("1500,5") == 150_050
    assert forms.rubles(-50_000) == "−500" and forms.rubles(123_456_789) == "1 234 567,89"
    assert forms.budget_lines("Взносы — 1 000 ₽\n\nГрант: 2000") == [
        ["Взносы", 100_000],
        ["Грант", 200_000],
    ]
    for bad in ("", "Взносы", "— 100", "\n".join(f"Статья {n} — 1" for n in range(31))):
        with pytest.raises(ValueError):
            forms.budget_lines(bad)
