"""/register_tos and verification by the region's organisers (or an admin)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.services import tos as tos_service
from bot.services.roles import Role
from bot.services.validation import InvalidInput
from bot.ui.callbacks.admin import LawAction, LawCb
from bot.ui.callbacks.tos import VerifyAction, VerifyCb
from handlers.tos_register import RegisterTos
from tests.dialogs.test_registration import register, state_of
from tests.harness import ADMIN_ID, App, BotClient

OGRN = "1027700132195"  # a real-format OGRN with a valid check digit


def test_ogrn_check_digit() -> None:
    assert tos_service.ogrn(" 1027700132195 ") == OGRN
    for bad in ("1027700132194", "102770013219", "10277001321950", "abc"):
        with pytest.raises(InvalidInput):
            tos_service.ogrn(bad)


async def make_organiser(app: App, user_id: int, region: str) -> BotClient:
    c = app.client(user_id)
    await register(c, app)
    async with app.repo() as repo:
        await repo.roles.grant(user_id, Role.ORGANISER.value, datetime.now(UTC))
        await repo.roles.toggle_region(user_id, region)
    return c


async def submit(c: BotClient, app: App, *, legal: bool) -> None:
    t = app.t()
    await c.send("/register_tos")
    await c.send("Солнечный")
    await c.send("г. Казань")
    await c.click(t("tos-territory-building"))
    await c.send("ул. Солнечная, дом 5")
    if legal:  # one applicant gives the TOS's place on the map, the other skips it
        await c.share_location(55.7963, 49.1088)
        assert t("tos-rt-location-saved") in c.texts()
    else:
        await c.click(t("tos-rt-skip-location-button"))
    await c.send("15.03.2024")
    await c.send("ТОС-5")
    await c.click(t("tos-rt-legal-yes" if legal else "tos-rt-legal-no"))
    if legal:
        await c.send("1027700132194")
        assert c.last_text() == t("tos-ogrn-invalid")
        await c.send(OGRN)
    assert await state_of(app, c.user_id) == RegisterTos.confirm.state
    await c.click(t("tos-rt-confirm-button"))


async def test_register_verify_by_the_regions_organiser(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    t = app.t()
    kazan = await make_organiser(app, 9001, "16")  # Tatarstan
    samara = await make_organiser(app, 9002, "63")  # another region
    chair = app.client(9003)
    await register(chair, app)
    await submit(chair, app, legal=True)
    assert chair.last_text() == t("tos-rt-submitted", name="Солнечный")
    request = kazan.last_text() or ""
    assert request.startswith("<b>") and "Солнечный" in request and OGRN in request
    assert not any("Солнечный" in x for x in samara.texts())  # only the region's organisers
    async with app.repo() as repo:
        tos = await repo.tos_registry.find("16", "г. казань", "солнечный")
        assert tos is not None and tos.status == "unverified" and tos.ogrn == OGRN
        assert (tos.latitude, tos.longitude) == (55.7963, 49.1088)
        assert "chair" not in await repo.roles.of(9003)  # not before verification
    verify = VerifyCb(action=VerifyAction.VERIFY, tos_id=tos.id).pack()
    with caplog.at_level(logging.WARNING, logger="bot.security"):
        await samara.click_data(verify, check=False)  # another region's organiser
        await chair.click_data(verify, check=False)  # the applicant themself
    assert t("common-not-allowed") in samara.alerts() and t("common-not-allowed") in chair.alerts()
    assert sum("refused verification" in r.message for r in caplog.records) == 2
    await kazan.click_data(verify)
    assert chair.last_text() == t("tos-verified-chair", name="Солнечный")
    await kazan.click_data(verify, check=False)  # a double click
    assert t("tos-verify-settled-already") in kazan.alerts()
    async with app.repo() as repo:
        tos = await repo.tos_registry.get(tos.id)
        assert tos is not None and tos.status == "verified"
        assert "chair" in await repo.roles.of(9003)
    # The same TOS again: a friendly duplicate warning.
    other = app.client(9004)
    await register(other, app)
    await submit(other, app, legal=False)
    assert other.last_text() == t("tos-duplicate", name="Солнечный")


async def test_admin_verifies_where_no_organiser_and_can_reject(app: App) -> None:
    t = app.t()
    chair = app.client(9005)
    await register(chair, app)
    await submit(chair, app, legal=False)
    admin = app.client(ADMIN_ID)
    assert "Солнечный" in (admin.last_text() or "")
    await admin.click(t("tos-verify-reject-button"))
    assert chair.last_text() == t("tos-rejected-chair", name="Солнечный")
    async with app.repo() as repo:
        tos = await repo.tos_registry.find("16", "г. Казань", "Солнечный")
        assert tos is not None and tos.status == "rejected"
        assert "chair" not in await repo.roles.of(9005)


async def test_wrong_input_and_back(app: App) -> None:
    t = app.t()
    c = app.client(9006)
    await register(c, app)
    await c.send("/register_tos")
    await c.send("Я")
    assert c.last_text() == t("tos-name-too-short")
    await c.send("Солнечный")
    await c.click(t("common-back-button"))
    assert await state_of(app, 9006) == RegisterTos.name.state
    await c.send("Солнечный")
    await c.send("г. Казань")
    await c.send("дом")
    assert c.last_text() == t("common-use-buttons")
    await c.click(t("tos-territory-building"))
    await c.send("ул. Солнечная, дом 5")
    assert await state_of(app, 9006) == RegisterTos.location.state
    await c.send("Казань, центр")  # an address is not a location: how to send one
    assert c.last_text() == t("tos-rt-location-hint")
    await c.send_sticker()
    assert c.last_text() == t("tos-rt-location-hint")
    await c.share_location(91.0, 200.0)  # no such point (a forged update)
    assert c.last_text() == t("tos-near-location-invalid")
    await c.click(t("tos-rt-skip-location-button"))
    await c.click(t("common-back-button"))  # from the charter's date back to the location
    assert await state_of(app, 9006) == RegisterTos.location.state
    await c.click(t("tos-rt-skip-location-button"))
    await c.send("31.02.2024")
    assert c.last_text() == t("tos-reg-date-format")
    await c.send("01.01.2099")
    assert c.last_text() == t("tos-reg-date-future")
    await c.send_sticker()
    assert c.last_text() == t("common-expected-text")
    await c.send("/cancel")
    assert await state_of(app, 9006) is None


async def add_tos(app: App, chair_id: int, region: str, name: str) -> None:
    async with app.repo() as repo:
        await repo.tos_registry.add(
            name=name,
            region_code=region,
            municipality='=HYPERLINK("x")' if name == "Формула" else "г. Казань",
            territory_type="building",
            boundaries="ул. Солнечная, дом 5",
            charter_registered_on=datetime(2024, 3, 15, tzinfo=UTC).date(),
            charter_number="ТОС-5",
            ogrn=None,
            status="unverified",
            chair_id=chair_id,
            created_at=datetime.now(UTC),
        )


async def test_registry_export_is_scoped_to_the_organisers_regions(app: App) -> None:
    import csv
    import io

    import openpyxl

    t = app.t()
    organiser = await make_organiser(app, 9101, "16")
    resident = app.client(9102)
    await register(resident, app)
    await add_tos(app, 9102, "16", "Солнечный")
    await add_tos(app, 9102, "16", "Формула")
    await add_tos(app, 9102, "63", "Самарский")
    await resident.send("/tos_registry")
    assert resident.last_text() == t("common-not-allowed")
    await organiser.send("/tos_registry")
    assert organiser.last_text() == t("tos-registry", total=2, verified=0)
    await organiser.click("CSV")
    await organiser.click("XLSX")
    docs = [c for c in app.api.calls if c.method == "sendDocument" and c.params["chat_id"] == 9101]
    assert len(docs) == 2
    files = [app.api.files[c.result["document"]["file_id"]].content for c in docs]
    rows = list(csv.reader(io.StringIO(files[0].decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == t("tos-registry-columns").split("|")
    assert sorted(r[0] for r in rows[1:]) == ["Солнечный", "Формула"]  # not Samara's
    assert any(r[2] == '\'=HYPERLINK("x")' for r in rows[1:])  # no formula injection
    sheet = openpyxl.load_workbook(io.BytesIO(files[1])).active
    assert sorted(row[0].value for row in sheet.iter_rows(min_row=2)) == ["Солнечный", "Формула"]
    # A forged export button from a resident: refused.
    await resident.click_data("tr:csv", check=False)
    assert t("common-not-allowed") in resident.alerts()
    # An admin sees every region.
    admin = app.client(ADMIN_ID)
    await admin.send("/tos_registry")
    assert admin.last_text() == t("tos-registry", total=3, verified=0)


@pytest.mark.expect_errors  # the blocked reviewer's 403 is an API error on purpose
async def test_a_reviewer_who_blocked_the_bot_does_not_fail_the_applicant(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    t = app.t()
    app.api.block(ADMIN_ID)
    chair = app.client(9201)
    await register(chair, app)
    with caplog.at_level(logging.ERROR, logger="bot.errors"):
        await submit(chair, app, legal=False)
    assert chair.last_text() == t("tos-rt-submitted", name="Солнечный")
    assert not [r for r in caplog.records if r.name == "bot.errors"]
    assert [c.error.code for c in app.api.errors if c.error] == [403]
    async with app.repo() as repo:
        assert await repo.tos_registry.find("16", "г. Казань", "Солнечный") is not None


async def test_admin_law_settings_reach_new_projects(app: App) -> None:
    from tests.dialogs.test_tos_wizard import to_review

    t = app.t()
    admin = app.client(ADMIN_ID)
    await admin.send("/admin")
    await admin.click(t("admin-law-button"))
    await admin.click("▶️")
    await admin.click("▶️")
    await admin.click("▶️")  # page 4 of the regions
    while "Республика Татарстан" not in admin.buttons():
        await admin.click("▶️")
    await admin.click("Республика Татарстан")
    # No law to pick: the meeting's date decides, and the screen says which law when.
    assert "33-FZ" not in admin.buttons()
    assert "по 31.12.2027 включительно" in (admin.last_text() or "")
    await admin.click(t("admin-law-municipality-button"))
    await admin.send("г. Казань")
    assert "г. Казань" in (admin.last_text() or "")
    await admin.click(t("admin-law-term-button"))
    await admin.send("900")
    assert admin.last_text() == t("admin-law-term-out-of-range")
    await admin.send("10")
    await admin.click(t("admin-law-body-button"))
    await admin.send("Администрация Вахитовского района")
    screen = admin.last_text() or ""
    assert "10" in screen and "Администрация Вахитовского района" in screen
    # A resident of Kazan starting a project now follows these rules.
    c = app.client(9301)
    await register(c, app)
    await to_review(c, app)
    async with app.repo() as repo:
        project = await repo.tos_projects.of(9301)
        assert project is not None and project.profile_id == "131-fz"  # a meeting in 2027
        assert project.answers["law"] == {
            "term": 10,
            "body": "Администрация Вахитовского района",
        }
        kazan = await repo.law_settings.for_place("16", "Г. КАЗАНЬ")
        region = await repo.law_settings.for_place("16", "г. Набережные Челны")
        assert kazan is not None and kazan.registration_term_days == 10
        assert region is not None and region.municipality == ""
    residents_question = next(x for x in c.texts() if "лет и старше" in x)
    assert "16 лет" in residents_question and "ч. 6 ст. 27 131-ФЗ" in residents_question
    # The term came from the local act: the review says so (it is not among the unverified).
    review = next(x for x in c.texts() if x.startswith(t("tos-progress", step=8, total=8)))
    assert t("tos-rule-registration_term_days") not in review
    await c.click(t("tos-generate-button"))
    checklist = next(f for f in app.api.files.values() if (f.file_name or "").startswith("07"))
    import io

    import docx

    text = "\n".join(p.text for p in docx.Document(io.BytesIO(checklist.content)).paragraphs)
    assert "Администрация Вахитовского района" in text and "10 дней" in text
    # Residents cannot reach these screens, even with a forged button.
    await c.click_data("lw:p:0::1:33-fz", check=False)
    assert t("common-not-allowed") in c.alerts()


@pytest.mark.parametrize("lang", ["ru", "en"])
async def test_admin_cannot_set_18_while_131_fz_fixes_16(app: App, lang: str) -> None:
    """Part 6 of art. 27 of 131-FZ fixes the age at 16: no button offers 18, and a stale or
    forged one is refused with a reason; a value stored before does not reach projects."""
    t = app.t(lang)
    admin = app.client(ADMIN_ID, language_code=lang)
    async with app.repo() as repo:
        await repo.users.set_language(ADMIN_ID, lang)
    await admin.send("/admin")
    await admin.click(t("admin-law-button"))
    tatarstan = {"ru": "Республика Татарстан", "en": "Republic of Tatarstan"}[lang]
    while tatarstan not in admin.buttons():
        await admin.click("▶️")
    await admin.click(tatarstan)
    screen = admin.last_text() or ""
    assert t("admin-law-age-fixed-line", age=16, source="ч. 6 ст. 27 131-ФЗ") in screen
    assert t("admin-law-age", age=18) not in admin.buttons()
    async with app.repo() as repo:
        setting = await repo.law_settings.for_place("16", "")
        assert setting is not None and setting.min_age is None
    await admin.click_data(
        LawCb(action=LawAction.AGE, sid=setting.id, value="18").pack(), check=False
    )
    assert (
        t("admin-law-age-fixed", age=16, source="ч. 6 ст. 27 131-ФЗ", until="31.12.2027")
        in admin.alerts()
    )
    async with app.repo() as repo:
        setting = await repo.law_settings.for_place("16", "")
        assert setting is not None and setting.min_age is None
        # A value stored before this rule (an old database): projects still follow the law.
        await repo.law_settings.update(setting, datetime.now(UTC), min_age=18)
    await admin.click(t("common-back-button"))
    while tatarstan not in admin.buttons():
        await admin.click("▶️")
    await admin.click(tatarstan)
    assert t("admin-law-age-default") in admin.buttons()  # a way to clear the stale value
    c = app.client(9311, language_code=lang)
    await register(c, app)
    await c.send("/create_tos")
    await c.click(t("tos-begin-button"))
    await c.click(t("tos-territory-building"))
    await c.send("ул. Садовая, дом 7")
    assert (c.last_text() or "").endswith(
        t("tos-ask-residents", age=16, source=t("tos-source", source="ч. 6 ст. 27 131-ФЗ"))
    )


async def open_region_setting(admin: BotClient, t: Any, region: str) -> None:
    await admin.send("/admin")
    await admin.click(t("admin-law-button"))
    while region not in admin.buttons():
        await admin.click("▶️")
    await admin.click(region)


async def test_the_municipality_names_the_registration_body(app: App) -> None:
    """Part 5 of art. 27: the charter is registered by "the authorised local self-government
    body". Documents say so until the place's setting names it; the name set later reaches a
    project begun before, and the admin can go back to the law's words."""
    from tests.dialogs.test_tos_wizard import docx_texts, to_review

    ru, en = app.t("ru"), app.t("en")
    early = app.client(9401, language_code="en")
    await register(early, app)
    await to_review(early, app)
    first = app.client(9402)
    await register(first, app)
    await to_review(first, app)
    await first.click(ru("tos-generate-button"))
    application = docx_texts(app)["05_zayavlenie_o_registracii.docx"]
    assert "Кому: уполномоченный орган местного самоуправления" in application
    body = ru("tos-body-authorized_body")
    assert any(ru("tos-body-unnamed", body=body) in x for x in first.texts())
    admin = app.client(ADMIN_ID)
    await open_region_setting(admin, ru, "Республика Татарстан")
    await admin.click(ru("admin-law-body-button"))
    assert ru("admin-law-body-law-button") not in admin.buttons()  # nothing to go back from
    await admin.send("Администрация г. Казани")
    assert "Администрация г. Казани" in (admin.last_text() or "")
    # The resident who began before the name was set gets it in their documents.
    await early.click(en("tos-generate-button"))
    application = docx_texts(app)["05_zayavlenie_o_registracii.docx"]
    assert "Кому: Администрация г. Казани" in application
    assert not any(
        en("tos-body-unnamed", body=en("tos-body-authorized_body")) in x for x in early.texts()
    )
    # Back to the law's words.
    await admin.click(ru("admin-law-body-button"))
    await admin.click(ru("admin-law-body-law-button"))
    assert f"{body} ({ru('admin-law-default')})" in (admin.last_text() or "")
    async with app.repo() as repo:
        setting = await repo.law_settings.for_place("16", "")
        assert setting is not None and setting.registration_body_name is None
