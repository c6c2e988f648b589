"""/events_admin: organisers create, publish, edit, cancel, duplicate events, decide on
applications, export participants and share the link, in both languages, and nobody else can."""

from __future__ import annotations

import csv
import io
import logging
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import zxingcpp
from aiogram_calendar import SimpleCalendarCallback
from aiogram_calendar.schemas import SimpleCalAct
from openpyxl import load_workbook
from PIL import Image

from bot.services import events as events_service
from bot.services import exports
from bot.ui.callbacks.events import EvAdminAction, EvAdminCb, EventAction, EventCb
from db.models import Event
from handlers.event_form import EventForm
from tests.dialogs.test_registration import register, state_of
from tests.dialogs.test_tos_registry import make_organiser
from tests.harness import App, BotClient

KAZAN = ZoneInfo("Europe/Moscow")  # Tatarstan keeps Moscow time
NAME = "Иванова Анна-Мария Петровна"  # what `register` types


def next_year_at(month: int, day: int, hour: int) -> datetime:
    """A moment surely in the future, in Kazan's zone."""
    return datetime(datetime.now(UTC).year + 1, month, day, hour, 0, tzinfo=KAZAN)


async def add_event(app: App, **overrides: Any) -> Event:
    starts = overrides.pop("starts_at", next_year_at(3, 15, 10))
    fields: dict[str, Any] = {
        "kind": "school",
        "title": "Школа ТОС",
        "description": "Как создать ТОС: устав, собрание, регистрация.",
        "starts_at": starts.astimezone(UTC),
        "duration_minutes": 120,
        "tz": "Europe/Moscow",
        "format": "hybrid",
        "online_link": "https://telemost.yandex.ru/j/123",
        "address": "г. Казань, ул. Баумана, 1",
        "capacity": 2,
        "registration_deadline": None,
        "audience_regions": [],
        "needs_approval": False,
        "questions": [],
        "status": "published",
        "region_code": "16",
        "organiser_id": None,
        "created_at": datetime.now(UTC),
    }
    fields.update(overrides)
    async with app.repo() as repo:
        return await repo.events.add(**fields)


async def sign_up(app: App, event_id: int, user_id: int, answers: list[str] | None = None) -> str:
    async with app.repo() as repo:
        result = await events_service.sign_up(
            repo, event_id, user_id, answers or [], datetime.now(UTC)
        )
        return result.outcome.value


async def person(app: App, user_id: int, lang: str = "ru") -> BotClient:
    c = app.client(user_id, lang)
    await register(c, app)
    return c


async def press(c: BotClient, action: EvAdminAction, event_id: int = 0, **kw: int) -> None:
    """A button of the event's card, pressed as the callback data says (no need to walk there
    first: handlers must check everything anyway)."""
    await c.click_data(EvAdminCb(action=action, event_id=event_id, **kw).pack(), check=False)


async def create_up_to_preview(c: BotClient, app: App, lang: str) -> None:
    """The whole dialog with a wrong answer at several steps."""
    t = app.t(lang)
    await c.send("/events_admin")
    await c.click(t("evadm-new-button"))
    assert c.last_text() == t("evadm-ask-kind")
    await c.click(t("events-kind-school"))
    await c.send("ТО")
    assert c.last_text() == t("evadm-title-too-short")
    await c.send("Школа ТОС: <устав>")
    await c.send_sticker()
    assert c.last_text() == t("common-expected-text")
    await c.send("Разберём устав\nи проведём учредительное собрание.")
    assert c.last_text() == t("evadm-ask-zone")
    await c.click(next(b for b in c.buttons() if b.startswith("📍")))  # the region's zone
    assert c.last_text() == t("evadm-ask-date")
    await c.send(f"01.01.{datetime.now(UTC).year - 1} 10:00")
    assert c.last_text() == t("evadm-when-past")
    await c.send("31.02.2030 10:00")
    assert c.last_text() == t("evadm-when-format")
    await c.send(f"15.03.{datetime.now(UTC).year + 1} 10:00")
    assert c.last_text() == t("evadm-ask-duration")
    await c.send("три часа")
    assert c.last_text() == t("evadm-duration-invalid")
    await c.send("1:30")
    await c.click(t("events-format-hybrid"))
    await c.send("zoom.us/j/1")
    assert c.last_text() == t("evadm-link-invalid")
    await c.send("https://zoom.us/j/1")
    await c.send("г. Казань, ул. Баумана, 1")
    await c.send("много")
    assert c.last_text() == t("evadm-capacity-invalid")
    await c.send("50")
    await c.send(f"16.03.{datetime.now(UTC).year + 1} 10:00")
    assert c.last_text() == t("evadm-deadline-after-start")
    await c.click(t("evadm-deadline-1d"))
    assert c.last_text() == t("evadm-ask-deadline_reminder")
    await c.click(t("evadm-yes"))
    await c.click(t("evadm-audience-choose-button"))
    await c.send("Татарстан, Атлантида")
    assert c.last_text() == t("evadm-audience-invalid")
    await c.send("Татарстан, 63")
    await c.click(t("evadm-yes"))
    assert c.last_text() == t("evadm-ask-questions", count=0)
    await c.send("Из какого вы ТОС?")
    assert c.last_text() == t("evadm-ask-questions", count=1)
    await c.click(t("evadm-questions-done-button"))


@pytest.mark.parametrize("lang", ["ru", "en"])
async def test_organiser_creates_and_publishes_an_event(app: App, lang: str) -> None:
    t = app.t(lang)
    c = app.client(5001, lang)
    await register(c, app)
    async with app.repo() as repo:
        from bot.services.roles import Role

        await repo.roles.grant(5001, Role.ORGANISER.value, datetime.now(UTC))
    await create_up_to_preview(c, app, lang)
    preview = c.last_text() or ""
    assert "Школа ТОС: &lt;устав&gt;" in preview  # escaped
    assert "Из какого вы ТОС?" in preview and "https://zoom.us/j/1" in preview
    assert t("evadm-event-new") in preview
    await c.click(t("evadm-publish-button"))
    assert t("evadm-created-published", title="Школа ТОС: &lt;устав&gt;") in c.texts()
    assert await state_of(app, 5001) is None
    async with app.repo() as repo:
        (event,) = (await repo.events.managed(None, datetime.now(UTC), 0, 10))[0]
    year = datetime.now(UTC).year + 1
    assert event.starts_at == datetime(year, 3, 15, 7, 0, tzinfo=UTC)  # 10:00 in Kazan
    assert event.registration_deadline == event.starts_at - timedelta(days=1)
    assert (event.status, event.format, event.capacity, event.duration_minutes) == (
        "published",
        "hybrid",
        50,
        90,
    )
    assert event.audience_regions == ["16", "63"] and event.needs_approval is True
    assert event.remind_deadline is True and event.reminder_offsets == [1440, 60]
    assert event.questions == ["Из какого вы ТОС?"] and event.organiser_id == 5001
    assert event.description == "Разберём устав\nи проведём учредительное собрание."
    assert event.region_code == "16" and event.tz == "Europe/Moscow"


async def test_calendar_back_and_draft_then_publish(app: App) -> None:
    t = app.t("ru")
    c = await make_organiser(app, 5002, "16")
    await c.send("/events_admin")
    await c.click(t("evadm-new-button"))
    await c.click(t("events-kind-webinar"))
    await c.click(t("common-back-button"))  # back from the title to the kind
    assert c.last_text() == t("evadm-ask-kind")
    await c.click(t("events-kind-webinar"))
    await c.send("Гранты для ТОС")
    await c.send("Как подать заявку на президентский грант.")
    await c.click(t("evadm-zone-yakutsk") + " (МСК+6)")
    now = datetime.now(UTC)
    past = now - timedelta(days=40)
    await c.click_data(
        SimpleCalendarCallback(
            act=SimpleCalAct.day, year=past.year, month=past.month, day=past.day
        ).pack(),
        check=False,
    )
    assert t("evadm-day-past") in c.alerts()
    await c.click_data(
        SimpleCalendarCallback(
            act=SimpleCalAct.next_m, year=now.year, month=now.month, day=1
        ).pack()
    )
    assert any(call.method == "editMessageReplyMarkup" for call in app.api.calls[-3:])
    assert t("common-back-button") in c.buttons()  # the dialog's row survives paging
    forged = SimpleCalendarCallback(act=SimpleCalAct.next_y, year=9999, month=12, day=1).pack()
    await c.click_data(forged, check=False)
    assert t("common-button-outdated") in c.alerts()
    shown = (now.replace(day=1) + timedelta(days=32)).replace(day=20)  # on the next month's page
    day = shown.date()
    await c.click_data(
        SimpleCalendarCallback(
            act=SimpleCalAct.day, year=day.year, month=day.month, day=day.day
        ).pack()
    )
    assert c.last_text() == t("evadm-ask-time", day=day.strftime("%d.%m.%Y"))
    await c.send("25:00")
    assert c.last_text() == t("evadm-time-format")
    await c.send("19:00")
    await c.click(t("evadm-duration-value", hours=1, minutes=0))
    await c.click(t("events-format-online"))
    await c.send("https://vk.com/call/1")
    await c.click(t("evadm-unlimited-button"))
    await c.click(t("evadm-deadline-start"))
    await c.click(t("evadm-no"))  # no "sign-ups close soon" reminder
    await c.click(t("evadm-audience-all-button"))
    await c.click(t("evadm-no"))
    await c.click(t("evadm-no-questions"))
    await c.click(t("evadm-draft-button"))
    async with app.repo() as repo:
        (event,) = (await repo.events.managed({"16"}, now, 0, 10))[0]
    assert event.status == "draft" and event.address is None and event.capacity is None
    assert event.tz == "Asia/Yakutsk"
    local = event.starts_at.astimezone(ZoneInfo("Asia/Yakutsk"))
    assert (local.date(), local.hour) == (day, 19)
    assert "13:00 МСК / 19:00 МСК+6" in (c.texts()[-1])  # the card: Moscow, then the event's
    await c.click(t("evadm-publish-button"))
    assert t("evadm-published", title="Гранты для ТОС") in c.texts()
    async with app.repo() as repo:
        assert (await repo.events.get(event.id)).status == "published"  # type: ignore[union-attr]


async def test_preview_change_and_back_restores(app: App) -> None:
    t = app.t("ru")
    c = await make_organiser(app, 5003, "16")
    await create_up_to_preview(c, app, "ru")
    await c.click(t("evadm-change-button"))
    await c.click(t("evadm-field-format"))
    await c.click(t("events-format-online"))
    await c.click(t("common-back-button"))  # at the link step: back to the format
    assert c.last_text() == t("evadm-ask-format")
    await c.click(t("common-back-button"))  # the change is dropped
    assert "г. Казань, ул. Баумана, 1" in (c.last_text() or "")
    await c.click(t("evadm-change-button"))
    await c.click(t("evadm-field-title"))
    await c.send("Новое название")
    assert "Новое название" in (c.last_text() or "")
    await c.click(t("evadm-publish-button"))
    async with app.repo() as repo:
        (event,) = (await repo.events.managed(None, datetime.now(UTC), 0, 10))[0]
    assert event.title == "Новое название" and event.format == "hybrid"


async def test_edit_tells_participants_in_their_language(app: App) -> None:
    t = app.t("ru")
    org = await make_organiser(app, 5010, "16")
    event = await add_event(app, capacity=1)
    ru = await person(app, 5011, "ru")
    en = await person(app, 5012, "en")
    assert await sign_up(app, event.id, 5011) == "signed_up"
    assert await sign_up(app, event.id, 5012) == "waitlisted"
    await press(org, EvAdminAction.OPEN, event.id)
    await org.click(t("evadm-edit-button"))
    await org.click(t("evadm-field-when"))
    year = datetime.now(UTC).year + 1
    await org.send(f"16.03.{year} 12:30")
    await org.click(t("evadm-deadline-start"))
    assert org.texts()[-2] == t("evadm-saved", people=2)
    assert "16.03" in (ru.last_text() or "") and "12:30 МСК" in (ru.last_text() or "")
    assert (en.last_text() or "").startswith('✏️ "Школа ТОС" has changed')
    # More seats: the first on the waitlist moves up and is told, in English.
    await org.click(t("evadm-edit-button"))
    await org.click(t("evadm-field-capacity"))
    await org.send("0")
    assert org.last_text() == t("evadm-capacity-invalid")
    await org.send("2")
    assert (en.last_text() or "").startswith("🎉 A seat freed up")
    async with app.repo() as repo:
        assert (await repo.signups.of(event.id, 5012)).status == "signed_up"  # type: ignore[union-attr]
    # Fewer seats than people holding one: refused.
    await org.click(t("evadm-edit-button"))
    await org.click(t("evadm-field-capacity"))
    await org.send("1")
    assert org.last_text() == t("evadm-capacity-below-taken")
    await org.click(t("common-back-button"))
    assert t("evadm-edit-button") in org.buttons()  # back on the event's card
    # Questions cannot change once people answered them.
    await org.click(t("evadm-edit-button"))
    await org.click(t("evadm-field-questions"))
    assert t("evadm-questions-locked") in org.alerts()


async def test_cancel_needs_confirmation_and_tells_everyone(app: App) -> None:
    t = app.t("ru")
    org = await make_organiser(app, 5020, "16")
    event = await add_event(app, capacity=1)
    a = await person(app, 5021)
    b = await person(app, 5022, "en")
    await sign_up(app, event.id, 5021)
    await sign_up(app, event.id, 5022)  # waitlisted
    await press(org, EvAdminAction.CANCEL, event.id)
    assert org.last_text() == t("evadm-cancel-confirm", title="Школа ТОС", people=2)
    async with app.repo() as repo:
        assert (await repo.events.get(event.id)).status == "published"  # type: ignore[union-attr]
    await org.click(t("evadm-cancel-yes"))
    assert t("evadm-cancelled", title="Школа ТОС", people=2) in org.texts()
    assert (a.last_text() or "").startswith("❌ Мероприятие «Школа ТОС»")
    assert (b.last_text() or "").startswith('❌ "Школа ТОС"')
    async with app.repo() as repo:
        counts = await repo.signups.counts(event.id)
    assert counts == {"cancelled": 2}
    await press(org, EvAdminAction.CANCEL_CONFIRM, event.id)  # a second click
    assert t("common-button-outdated") in org.alerts()
    assert sum("Школа ТОС" in x for x in a.texts()) == 1  # told once


async def test_duplicate_asks_only_the_date(app: App) -> None:
    t = app.t("ru")
    org = await make_organiser(app, 5030, "16")
    event = await add_event(app, questions=["Ваш ТОС?"], needs_approval=True)
    await press(org, EvAdminAction.DUPLICATE, event.id)
    assert org.last_text() == t("evadm-ask-date")
    await org.send(f"20.04.{datetime.now(UTC).year + 1} 11:00")
    assert org.last_text() == t("evadm-ask-deadline")
    await org.click(t("evadm-deadline-1h"))
    assert "Ваш ТОС?" in (org.last_text() or "")  # the preview keeps the template's fields
    await org.click(t("evadm-publish-button"))
    async with app.repo() as repo:
        events, total = await repo.events.managed({"16"}, datetime.now(UTC), 0, 10)
    assert total == 2
    copy = next(e for e in events if e.id != event.id)
    assert copy.questions == ["Ваш ТОС?"] and copy.needs_approval is True
    assert copy.starts_at.astimezone(KAZAN).strftime("%d.%m %H:%M") == "20.04 11:00"


async def test_applications_approval_and_exports(app: App) -> None:
    t = app.t("ru")
    org = await make_organiser(app, 5040, "16")
    event = await add_event(app, capacity=1, needs_approval=True, questions=["Ваш ТОС?"])
    await person(app, 5041)
    en = await person(app, 5042, "en")
    third = await person(app, 5043)
    for user_id, answer in ((5041, "Солнечный"), (5042, "=HYPERLINK(1)"), (5043, "Нет")):
        assert await sign_up(app, event.id, user_id, [answer]) == "pending"
    await press(org, EvAdminAction.PEOPLE, event.id)
    listing = org.last_text() or ""
    assert f"1. {NAME} — {t('evadm-status-pending')}" in listing
    await press(org, EvAdminAction.APPROVE, event.id, user_id=5041)
    await press(org, EvAdminAction.APPROVE, event.id, user_id=5042)  # no seat left
    assert (en.last_text() or "").startswith("The organiser approved") and "number 1" in (
        en.last_text() or ""
    )
    await press(org, EvAdminAction.REJECT, event.id, user_id=5043)
    assert (third.last_text() or "").startswith("К сожалению")
    await press(org, EvAdminAction.REJECT, event.id, user_id=5043)  # double click
    assert t("evadm-decided-already") in org.alerts()
    async with app.repo() as repo:
        assert await repo.signups.counts(event.id) == {
            "signed_up": 1,
            "waitlisted": 1,
            "rejected": 1,
        }
    await press(org, EvAdminAction.EXPORT_CSV, event.id)
    document = next(c for c in reversed(app.api.calls) if c.method == "sendDocument")
    upload = next(iter(document.uploads.values()))
    rows = list(csv.reader(io.StringIO(upload.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:6] == ["ФИО", "Телефон", "Регион", "Муниципалитет", "ТОС", "Ваш ТОС?"]
    assert rows[1][:6] == [
        NAME,
        "8 (912) 345-67-89",
        "Республика Татарстан",
        "г. Казань",
        "",
        "Солнечный",
    ]
    assert rows[1][6] == t("evadm-status-signed_up")
    assert "'=HYPERLINK(1)" in [row[5] for row in rows]  # not a formula in a spreadsheet
    assert len(rows) == 4
    await press(org, EvAdminAction.EXPORT_XLSX, event.id)
    document = next(c for c in reversed(app.api.calls) if c.method == "sendDocument")
    sheet = load_workbook(io.BytesIO(next(iter(document.uploads.values())).content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][5] == "Ваш ТОС?"
    assert sorted(str(row[6]) for row in values[1:]) == sorted(
        t(f"evadm-status-{s}") for s in ("signed_up", "waitlisted", "rejected")
    )


async def test_exports_are_inert_and_survive_control_characters(app: App) -> None:
    """Formulas in the organiser's questions (the header) and in answers starting with a tab
    stay text; control characters typed in an answer are dropped at input, and those stored
    before (an old row) no longer break the XLSX file."""
    org = await make_organiser(app, 5050, "16")
    event = await add_event(app, capacity=5, questions=["=HYPERLINK(1)", "@SUM(A1)"])
    typist = await person(app, 5051)
    await typist.click_data(
        EventCb(action=EventAction.SIGN_UP, event_id=event.id).pack(), check=False
    )
    await typist.send("Сол\x07неч\x00ный\x1b")
    await typist.send("\tcmd")
    await person(app, 5052)
    assert await sign_up(app, event.id, 5052, ["old\x0brow\x01", "-2+3"]) == "signed_up"
    async with app.repo() as repo:
        stored = [s.answers for s, _ in await repo.signups.participants(event.id)]
    assert stored[0] == ["Солнечный", "cmd"]  # trimmed: a leading tab is no answer's part
    await press(org, EvAdminAction.EXPORT_CSV, event.id)
    document = next(c for c in reversed(app.api.calls) if c.method == "sendDocument")
    rows = list(
        csv.reader(
            io.StringIO(next(iter(document.uploads.values())).content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert rows[0][5:7] == ["'=HYPERLINK(1)", "'@SUM(A1)"]
    assert rows[2][5:7] == ["oldrow", "'-2+3"]
    await press(org, EvAdminAction.EXPORT_XLSX, event.id)
    document = next(c for c in reversed(app.api.calls) if c.method == "sendDocument")
    sheet = load_workbook(io.BytesIO(next(iter(document.uploads.values())).content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][5:7] == ("'=HYPERLINK(1)", "'@SUM(A1)")
    assert values[1][5:7] == ("Солнечный", "cmd")
    assert values[2][5:7] == ("oldrow", "'-2+3")
    assert exports._safe("\t=1+1") == "'\t=1+1" and exports._safe("\r=1") == "'=1"


async def test_share_sends_the_link_and_its_qr_code(app: App) -> None:
    org = await make_organiser(app, 5050, "16")
    event = await add_event(app)
    await press(org, EvAdminAction.SHARE, event.id)
    photo = next(c for c in reversed(app.api.calls) if c.method == "sendPhoto")
    link = f"https://t.me/tos_test_bot?start=ev_{event.id}"
    assert link in photo.params["caption"]
    image = Image.open(io.BytesIO(next(iter(photo.uploads.values())).content))
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [link]


async def test_other_regions_and_residents_are_refused(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    t = app.t("ru")
    samara = await make_organiser(app, 5060, "63")
    resident = await person(app, 5061)
    event = await add_event(app)  # Tatarstan's
    await sign_up(app, event.id, 5061)
    with caplog.at_level(logging.WARNING, logger="bot.security"):
        for action in (
            EvAdminAction.OPEN,
            EvAdminAction.EDIT,
            EvAdminAction.CANCEL_CONFIRM,
            EvAdminAction.EXPORT_CSV,
            EvAdminAction.PEOPLE,
            EvAdminAction.DUPLICATE,
        ):
            await press(samara, action, event.id)
            await press(resident, action, event.id)
        await resident.send("/events_admin")
    assert samara.alerts().count(t("common-not-allowed")) == 12  # both people's pop-ups
    assert resident.last_text() == t("common-not-allowed")
    refusals = [r.getMessage() for r in caplog.records if r.name == "bot.security"]
    assert len(refusals) == 13
    assert not any(NAME in r for r in refusals)  # ids only, no names
    assert not any(c.method == "sendDocument" for c in app.api.calls)
    async with app.repo() as repo:
        assert (await repo.events.get(event.id)).status == "published"  # type: ignore[union-attr]
    # The event list shows only the organiser's regions.
    await samara.send("/events_admin")
    assert samara.last_text() == t("evadm-list", total=0, page=1, pages=1)


async def test_an_unknown_event_and_a_stale_form_button(app: App) -> None:
    t = app.t("ru")
    org = await make_organiser(app, 5070, "16")
    await press(org, EvAdminAction.OPEN, 999)
    assert t("common-button-outdated") in org.alerts()
    await org.click_data("ef:k:school", check=False)  # a form button with no dialog running
    assert org.alerts().count(t("common-button-outdated")) == 2
    await press(org, EvAdminAction.NEW)
    await org.send("Текст вместо кнопки")
    assert org.last_text() == t("common-use-buttons")
    assert await state_of(app, 5070) == EventForm.kind.state
    await org.send("/cancel")
    assert await state_of(app, 5070) is None


async def test_main_menu_leads_organisers_to_their_events(app: App) -> None:
    t = app.t("ru")
    org = await make_organiser(app, 5080, "16")
    resident = await person(app, 5081)
    await add_event(app, title="Форум ТОС Татарстана")
    await org.send("/start")
    await resident.send("/start")
    assert t("menu-events-admin") not in resident.buttons()
    await org.click(t("menu-events-admin"))
    assert org.last_text() == t("evadm-list", total=1, page=1, pages=1)
    assert any("Форум ТОС Татарстана" in b for b in org.buttons())
