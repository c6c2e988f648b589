"""/create_tos: the whole wizard, wrong input, Back, resuming, and the document pack."""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import docx
import pytest

from handlers.tos_wizard import TosWizard
from tests.dialogs.test_registration import register, state_of
from tests.harness import App, BotClient, running_app

FUTURE = (datetime.now(UTC) + timedelta(days=30)).astimezone(ZoneInfo("Europe/Moscow"))
WHEN = f"{FUTURE:%d.%m.%Y} 18:30"


async def to_review(c: BotClient, app: App, *, residents: str = "450", when: str = WHEN) -> None:
    t = app.t(c.language_code or "ru")
    await c.send("/create_tos")
    await c.click(t("tos-begin-button"))
    await c.click(t("tos-territory-building_group"))
    await c.send("ул. Садовая, дома 1–15; ул. Мира, дома 2–10")
    await c.send(residents)
    await c.click(t("tos-assembly-conference"))
    await c.send("15")
    await c.send("Иванова Анна Петровна\nПетров Пётр Петрович\nСидорова-Петрова Ольга")
    await c.click("Петров Пётр Петрович")
    await c.send("Заречье")
    await c.click(t("tos-direction-improvement"))
    await c.click("✅ " + t("tos-direction-improvement"))  # untick…
    await c.click(t("tos-direction-improvement"))  # …and tick again
    await c.click(t("tos-direction-children"))
    await c.click(t("tos-done-button"))
    await c.click(t("tos-skip-button"))
    await c.send(when)
    await c.send("школа № 5 & ДК, актовый зал")
    await c.send("5")
    await c.send("2")


async def test_needs_registration(app: App) -> None:
    c = app.client(8001)
    await c.send("/create_tos")
    assert c.last_text() == app.t()("tos-register-first")


async def test_whole_wizard_to_documents(app: App) -> None:
    c = app.client(8002)
    t = app.t()
    await register(c, app)
    await to_review(c, app)
    assert await state_of(app, 8002) == TosWizard.review.state
    review = c.last_text() or ""
    assert "Заречье" in review and "Петров Пётр Петрович" in review
    assert "школа № 5 &amp; ДК" in review  # typed text is escaped
    assert "конференция" in review and f"{FUTURE:%d.%m.%Y} 18:30" in review
    await c.click(t("tos-generate-button"))
    group = [call for call in app.api.calls if call.method == "sendMediaGroup"]
    assert len(group) == 1
    assert len(group[0].params["media"]) == 8  # a conference: the delegates' minutes too
    generated = next(x for x in c.texts() if x.startswith(t("tos-generated", count=8)))
    assert t("tos-generated-minutes") in generated
    # What the law leaves to the municipality is said here, in the chat.
    assert t("tos-law-unverified-line", rule=t("tos-rule-registration_term_days"), value="30") in (
        generated
    )
    assert (c.last_text() or "").startswith(
        t("tos-tracker", name="Заречье", stages="", note="")[:20]
    )
    assert await state_of(app, 8002) is None
    async with app.repo() as repo:
        project = await repo.tos_projects.of(8002)
        assert project is not None and project.generated_at is not None
        assert project.answers["residents"] == 450 and project.answers["council"] == 5
    # The charter is filled with the answers.
    charter = next(f for f in app.api.files.values() if (f.file_name or "").startswith("04"))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(charter.content)).paragraphs)
    assert "Заречье" in text and "ул. Садовая" in text


async def test_wrong_input_is_reasked(app: App) -> None:
    c = app.client(8003)
    t = app.t()
    await register(c, app)
    await c.send("/create_tos")
    await c.click(t("tos-begin-button"))
    await c.send("многоквартирный дом")
    assert c.last_text() == t("common-use-buttons")
    await c.click(t("tos-territory-building"))
    await c.send("x" * 2001)
    assert c.last_text() == t("tos-boundaries-too-long")
    await c.send_sticker()
    assert c.last_text() == t("common-expected-text")
    await c.send("ул. Садовая, дом 7")
    for bad, key in (
        ("0", "tos-residents-out-of-range"),
        ("-5", "tos-residents-not-number"),
        ("много", "tos-residents-not-number"),
        ("1000001", "tos-residents-out-of-range"),
    ):
        await c.send(bad)
        assert c.last_text() == t(key), bad
    await c.send("40")
    assert "<b>14</b>" in (c.last_text() or "")  # a third of 40, rounded up
    await c.click(t("tos-assembly-meeting"))
    assert await state_of(app, 8003) == TosWizard.group.state  # no delegates for a meeting
    await c.send("Иванова Анна")
    assert c.last_text() == t("tos-group-too-small", minimum=3)
    await c.send("Иванова Анна\nПетров Пётр\nСидоров Олег")
    await c.click_data("tw:chair:7", check=False)  # a forged chair index
    assert t("common-button-outdated") in c.alerts()
    await c.click("Сидоров Олег")
    await c.send("Дом 7")
    await c.click(t("tos-done-button"))
    await c.send("помогать соседям")
    await c.send("01.01.2020 10:00")
    assert c.last_text() == t("tos-date-past")
    await c.send("завтра вечером")
    assert c.last_text() == t("tos-date-format")
    await c.send(WHEN)
    await c.send("двор")
    await c.send("2")
    assert c.last_text() == t("tos-council-out-of-range")
    await c.send("3")
    await c.send("9")
    assert c.last_text() == t("tos-term-out-of-range")
    await c.send("1")
    assert await state_of(app, 8003) == TosWizard.review.state


async def test_back_and_resume_after_restart_and_cancel(tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    async with running_app(db) as first:
        c = first.client(8004)
        t = first.t()
        await register(c, first)
        await c.send("/create_tos")
        await c.click(t("tos-begin-button"))
        await c.click(t("tos-territory-building"))
        await c.send("ул. Садовая, дом 7")
        await c.click(t("common-back-button"))
        assert await state_of(first, 8004) == TosWizard.boundaries.state
        await c.send("ул. Садовая, дома 7 и 9")
        await c.send("/cancel")
    async with running_app(db) as second:
        c = second.client(8004)
        t = second.t()
        await c.send("/create_tos")
        assert c.last_text() == t("tos-resume-prompt", step=3, total=8)
        await c.click(t("tos-resume-button"))
        assert (c.last_text() or "").endswith(
            t("tos-ask-residents", age=16, source=t("tos-source", source="ч. 6 ст. 27 131-ФЗ"))
        )
        async with second.repo() as repo:
            project = await repo.tos_projects.of(8004)
            assert project is not None
            assert project.answers["boundaries"] == "ул. Садовая, дома 7 и 9"
        # Start over asks first.
        await c.send("/create_tos")
        await c.click(t("tos-start-over-button"))
        await c.click(t("tos-start-over-no"))
        async with second.repo() as repo:
            project = await repo.tos_projects.of(8004)
            assert project is not None and project.answers.get("territory") == "building"
        await c.send("/create_tos")
        await c.click(t("tos-start-over-button"))
        await c.click(t("tos-start-over-yes"))
        assert (c.last_text() or "").startswith(t("tos-progress", step=1, total=8))
        async with second.repo() as repo:
            project = await repo.tos_projects.of(8004)
            assert project is not None and "territory" not in project.answers
        assert second.api.violations == []


def docx_texts(app: App) -> dict[str, str]:
    """The documents the bot sent, by file name: every paragraph and table cell."""
    texts = {}
    for f in app.api.files.values():
        if (f.file_name or "").endswith(".docx"):
            word = docx.Document(io.BytesIO(f.content))
            lines = [p.text for p in word.paragraphs]
            lines += [c.text for tb in word.tables for row in tb.rows for c in row.cells]
            texts[f.file_name or ""] = "\n".join(lines)
    return texts


@pytest.mark.parametrize("lang", ["ru", "en"])
async def test_the_meetings_date_chooses_the_law(app: App, lang: str) -> None:
    """131-FZ governs meetings until it loses force (01.01.2028); a meeting after that follows
    the 33-FZ profile. Its unverified values are listed in the chat, and never in a document."""
    c = app.client(8010, language_code=lang)
    t = app.t(lang)
    profiles = app.application.law_profiles
    await register(c, app)
    await to_review(c, app, when="15.02.2028 18:30")
    act = profiles["33-fz"].act
    assert t("tos-law-for-date", date="15.02.2028", act=act) in c.texts()
    review = c.last_text() or ""
    for name, value in profiles["33-fz"].unverified():
        assert t("tos-law-unverified-line", rule=t(f"tos-rule-{name}"), value=value) in review
    async with app.repo() as repo:
        project = await repo.tos_projects.of(8010)
        assert project is not None and project.profile_id == "33-fz"
    await c.click(t("tos-generate-button"))
    texts = docx_texts(app)
    assert len(texts) == 8
    assert act in texts["04_ustav.docx"]
    for name, text in texts.items():
        assert "⚠" not in text and "уточните" not in text.casefold(), name
        assert "131-ФЗ" not in text, name
    # A meeting a day earlier stays under 131-FZ (the last day it is in force).
    other = app.client(8011, language_code=lang)
    await register(other, app)
    await to_review(other, app, when="31.12.2027 18:30")
    assert not any(x.startswith(t("tos-law-for-date", date="", act="")[:12]) for x in other.texts())
    async with app.repo() as repo:
        project = await repo.tos_projects.of(8011)
        assert project is not None and project.profile_id == "131-fz"


async def test_english_wizard(app: App) -> None:
    c = app.client(8005, language_code="en")
    en = app.t("en")
    await register(c, app)
    await to_review(c, app)
    assert (c.last_text() or "").startswith(en("tos-progress", step=8, total=8))


async def generate(c: BotClient, app: App) -> None:
    await register(c, app)
    await to_review(c, app)
    await c.click(app.t()("tos-generate-button"))


async def test_tracker_checks_the_quorum_and_fills_the_registry(app: App) -> None:
    c = app.client(8006)
    t = app.t()
    await generate(c, app)
    await c.click(t("tos-stage-boundaries-button"))
    await c.click(t("tos-stage-meeting-button"))
    # 450 residents, 1 delegate per 15: 30 planned. The quorum counts the delegates actually
    # elected at the residents' meetings: 24 were, so 16 present are enough (not 20).
    assert c.last_text() == t("tos-ask-delegates-elected")
    await c.send("много")
    assert c.last_text() == t("tos-count-not-number")
    await c.send("0")
    assert c.last_text() == t("tos-elected-none")
    await c.send("24")
    assert c.last_text() == t("tos-ask-delegates-present", elected=24)
    await c.send("25")
    assert c.last_text() == t("tos-present-above-elected", elected=24)
    await c.send("15")
    await c.send("300")
    held = t(
        "tos-conference-held",
        present=15,
        elected=24,
        needed=16,
        represented=300,
        represented_needed=150,
    )
    assert held + "\n" + t("tos-quorum-not-met") in c.texts()
    await c.click(t("tos-stage-meeting-button"))
    await c.send("24")
    await c.send("16")
    await c.send("320")
    assert c.texts()[-2] == (
        t(
            "tos-conference-held",
            present=16,
            elected=24,
            needed=16,
            represented=320,
            represented_needed=150,
        )
        + "\n"
        + t("tos-quorum-met")
    )
    await c.click(t("tos-stage-submitted-button"))
    await c.click(t("tos-stage-registered-button"))
    await c.send("01.01.2099")
    assert c.last_text() == t("tos-reg-date-future")
    await c.send("15.03.2026")
    await c.send("x" * 51)
    assert c.last_text() == t("tos-reg-number-too-long")
    await c.send("ТОС-17/2026")
    assert t("tos-registered", name="Заречье") in c.texts()
    assert t("tos-tracker-done") in (c.last_text() or "")
    async with app.repo() as repo:
        entries = await repo.tos_registry.chaired_by(8006)
        assert [(e.name, e.charter_number, e.status, e.region_code) for e in entries] == [
            ("Заречье", "ТОС-17/2026", "unverified", "16")
        ]
        assert "chair" in await repo.roles.of(8006)
        found = await repo.tos_registry.find("16", "Г. КАЗАНЬ", "заречье")  # any case
        assert found is not None and found.chair_id == 8006
    # The same TOS again by someone else of the same settlement: a friendly warning.
    other = app.client(8007)
    await generate(other, app)
    for button in ("boundaries", "meeting"):
        await other.click(t(f"tos-stage-{button}-button"))
    await other.send("30")
    await other.send("25")
    await other.send("400")
    await other.click(t("tos-stage-submitted-button"))
    await other.click(t("tos-stage-registered-button"))
    await other.send("16.03.2026")
    await other.send("ТОС-18/2026")
    assert other.last_text() == t("tos-duplicate", name="Заречье")
    async with app.repo() as repo:
        assert await repo.tos_registry.chaired_by(8007) == []
    # Back in /create_tos: the tracker, with a way to the documents again.
    await c.send("/create_tos")
    assert t("tos-tracker-done") in (c.last_text() or "")
    await c.click(t("tos-documents-again-button"))
    assert (c.last_text() or "").startswith(t("tos-progress", step=8, total=8))


async def test_stale_tracker_button(app: App) -> None:
    c = app.client(8008)
    t = app.t()
    await generate(c, app)
    old = c.button_data(t("tos-stage-boundaries-button"))
    await c.click_data(old)
    await c.click_data(old, check=False)  # the same stage twice
    assert t("common-button-outdated") in c.alerts()
    await c.click_data("tt:stage:registered", check=False)  # skipping ahead
    assert c.alerts().count(t("common-button-outdated")) == 2


async def registered_tos(app: App, chair_id: int) -> None:
    """A TOS of Kazan in the registry, chaired by `chair_id` (through the real tracker)."""
    c = app.client(chair_id)
    t = app.t()
    await generate(c, app)
    for stage in ("boundaries", "meeting"):
        await c.click(t(f"tos-stage-{stage}-button"))
    await c.send("30")
    await c.send("25")
    await c.send("400")
    await c.click(t("tos-stage-submitted-button"))
    await c.click(t("tos-stage-registered-button"))
    await c.send("15.03.2026")
    await c.send("ТОС-17/2026")


async def test_find_and_join_with_the_chairs_approval(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    t = app.t()
    await registered_tos(app, 8101)
    chair = app.client(8101)
    resident = app.client(8102, language_code="en")
    en = app.t("en")
    await register(resident, app)
    await resident.send("/find_tos")
    assert (resident.last_text() or "").startswith(
        en("tos-find-list", region="Republic of Tatarstan", count=1)[:30]
    )
    await resident.send("набережные")
    assert resident.last_text() == en("tos-find-none", region="Republic of Tatarstan")
    await resident.send("казан")
    await resident.click("Заречье · г. Казань")
    assert en("tos-unverified") in (resident.last_text() or "")
    await resident.click(en("tos-join-button"))
    assert resident.last_text() == en("tos-join-sent", name="Заречье")
    # The chair reads the request in Russian, their language.
    assert (chair.last_text() or "").startswith("Иванова Анна-Мария Петровна (г. Казань)")
    approve = chair.button_data(t("tos-join-approve"))
    # Somebody else pressing a copy of the chair's button gets nowhere.
    with caplog.at_level(logging.WARNING, logger="bot.security"):
        await resident.click_data(approve, check=False)
    assert en("common-not-allowed") in resident.alerts()
    assert any("refused join decision by user 8102" in r.message for r in caplog.records)
    async with app.repo() as repo:
        tos = (await repo.tos_registry.chaired_by(8101))[0]
        assert await repo.tos_members.status(tos.id, 8102) == "pending"
    await chair.click_data(approve)
    assert resident.last_text() == en("tos-join-welcome", name="Заречье")
    await chair.click_data(approve, check=False)  # a double click
    assert t("tos-join-decided-already") in chair.alerts()
    async with app.repo() as repo:
        assert await repo.tos_members.status(tos.id, 8102) == "approved"
        assert await repo.tos_members.count(tos.id) == 1
    # A member cannot ask again.
    await resident.send("/find_tos")
    await resident.click("Заречье · г. Казань")
    assert en("tos-join-button") not in resident.buttons()
    assert en("tos-membership-approved") in (resident.last_text() or "")


async def test_tracker_counts_the_elected_delegates_in_english(app: App) -> None:
    c = app.client(8012, language_code="en")
    en = app.t("en")
    await register(c, app)
    await to_review(c, app)
    await c.click(en("tos-generate-button"))
    await c.click(en("tos-stage-boundaries-button"))
    await c.click(en("tos-stage-meeting-button"))
    assert c.last_text() == en("tos-ask-delegates-elected")
    await c.send("9")  # 30 planned, 9 elected: 6 present are two thirds of them
    assert c.last_text() == en("tos-ask-delegates-present", elected=9)
    await c.send("10")
    assert c.last_text() == en("tos-present-above-elected", elected=9)
    await c.send("6")
    assert c.last_text() == en("tos-ask-represented")
    await c.send("150")
    held = en(
        "tos-conference-held",
        present=6,
        elected=9,
        needed=6,
        represented=150,
        represented_needed=150,
    )
    assert held + "\n" + en("tos-quorum-met") in c.texts()
    async with app.repo() as repo:
        project = await repo.tos_projects.of(8012)
        assert project is not None and project.answers["stages"]["meeting"] == held
