"""The residents' side of events: list, card, sign-up (with questions), waitlist, cancelling,
'My events', deep links, calendar files, forged buttons."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.services.events import times
from bot.ui.callbacks.events import EventAction, EventCb
from handlers.events import SignUp
from tests.dialogs.test_registration import register, state_of
from tests.harness import App, BotClient

NOW = datetime.now(UTC)
# 07:00 UTC: 10:00 in Moscow, 16:00 in Yakutsk (Russia keeps no summer time).
AT = (NOW + timedelta(days=30)).replace(hour=7, minute=0, second=0, microsecond=0)
LINK = "https://example.org/room/42"
LANGS = pytest.mark.parametrize("lang", ["ru", "en"])
MOSCOW, YAKUTSK = ZoneInfo("Europe/Moscow"), ZoneInfo("Asia/Yakutsk")
PAGES = {"ru": "стр. {} из {}", "en": "page {} of {}"}


async def add_event(app: App, **overrides: Any) -> int:
    fields: dict[str, Any] = {
        "kind": "school",
        "title": "Школа ТОС",
        "description": "Как создать ТОС <шаг за шагом>",
        "starts_at": AT,
        "duration_minutes": 90,
        "tz": "Europe/Moscow",
        "format": "online",
        "online_link": LINK,
        "address": None,
        "capacity": 30,
        "registration_deadline": None,
        "audience_regions": [],
        "needs_approval": False,
        "questions": [],
        "status": "published",
        "region_code": "16",
        "organiser_id": None,
        "created_at": NOW,
    }
    fields.update(overrides)
    async with app.repo() as repo:
        return (await repo.events.add(**fields)).id


async def person(app: App, user_id: int, lang: str = "ru", region: str | None = None) -> BotClient:
    """A registered person (Tatarstan, unless `region` says otherwise)."""
    c = app.client(user_id, lang)
    await register(c, app)
    if region is not None:
        async with app.repo() as repo:
            await repo.users.save_profile(user_id, {"region_code": region})
    return c


def cb(action: EventAction, event_id: int = 0, **fields: Any) -> str:
    return EventCb(action=action, event_id=event_id, **fields).pack()


async def open_card(c: BotClient, app: App, title: str = "Школа ТОС") -> str:
    await c.send("/events")
    await c.click(f"1. {title}")
    return c.last_text() or ""


async def signups_of(app: App, event_id: int) -> dict[int, str]:
    async with app.repo() as repo:
        return {s.user_id: s.status for s, _ in await repo.signups.participants(event_id)}


def documents(app: App, chat_id: int) -> list[bytes]:
    return [
        next(iter(c.uploads.values())).content
        for c in app.api.calls
        if c.method == "sendDocument" and c.params["chat_id"] == chat_id
    ]


@LANGS
async def test_list_pages_and_kind_filter(app: App, lang: str) -> None:
    t = app.t(lang)
    for n in range(7):
        await add_event(
            app,
            title=f"Событие {n}",
            kind="webinar" if n % 2 else "school",
            starts_at=AT + timedelta(days=n),
        )
    c = await person(app, 5001, lang)
    await c.send("/events")
    first = c.last_text() or ""
    assert t("events-kind-all") in first and PAGES[lang].format(1, 2) in first
    assert [f"Событие {n}" in first for n in range(7)] == [True] * 5 + [False] * 2
    await c.click("▶️")
    second = c.last_text() or ""
    assert [f"Событие {n}" in second for n in range(7)] == [False] * 5 + [True] * 2
    assert PAGES[lang].format(2, 2) in second
    await c.click(t("events-kind-webinar"))
    webinars = c.last_text() or ""
    assert [f"Событие {n}" in webinars for n in range(7)] == [n % 2 == 1 for n in range(7)]
    assert "✓ " + t("events-kind-webinar") in c.buttons()
    await c.click(t("events-kind-meeting"))
    assert c.last_text() == t("events-list-empty", kind=t("events-kind-meeting"))


async def test_only_events_for_the_persons_region(app: App) -> None:
    await add_event(app, title="Для всей России")
    await add_event(app, title="Для Татарстана", audience_regions=["16", "02"])
    await add_event(app, title="Для Самары", audience_regions=["63"])
    await add_event(app, title="Черновик", status="draft")
    await add_event(app, title="Отменённое", status="cancelled")
    await add_event(app, title="Прошедшее", starts_at=NOW - timedelta(hours=1))
    c = await person(app, 5002)
    await c.send("/events")
    text = c.last_text() or ""
    assert "Для всей России" in text and "Для Татарстана" in text
    for hidden in ("Для Самары", "Черновик", "Отменённое", "Прошедшее"):
        assert hidden not in text
    assert "Найдено 2 мероприятия" in text


@LANGS
async def test_card_in_the_readers_zone(app: App, lang: str) -> None:
    t = app.t(lang)
    msk = t("events-msk")
    await add_event(app, format="hybrid", address="Казань, ул. Баумана, 1 & двор")
    yakutsk = await person(app, 5003, lang, region="14")
    card = await open_card(yakutsk, app)
    assert f"16:00 {msk}+6 / 10:00 {msk}" in card
    assert f"{AT.astimezone(YAKUTSK):%d.%m.%Y}, 16:00" in card
    assert "&lt;шаг за шагом&gt;" in card and "1 &amp; двор" in card  # escaped
    assert t("events-format-hybrid") in card and t("events-kind-school") in card
    moscow = await person(app, 5004, lang)  # Tatarstan lives on Moscow time: one zone shown
    card = await open_card(moscow, app)
    assert f"10:00 {msk}" in card and "+6" not in card


@LANGS
async def test_sign_up_without_questions(app: App, lang: str) -> None:
    t = app.t(lang)
    event_id = await add_event(app, capacity=10)
    c = await person(app, 5005, lang)
    card = await open_card(c, app)
    assert LINK not in card and t("events-card-link-later") in card
    assert t("events-seats-left", count=10, capacity=10) in card
    sign_up = c.button_data(t("events-sign-up-button"))
    await c.click_data(sign_up)
    assert t("events-outcome-signed_up", title="Школа ТОС") in c.texts()
    [ics] = documents(app, 5005)
    assert b"BEGIN:VCALENDAR" in ics and LINK.encode() in ics
    card = next(x for x in reversed(c.texts()) if "Школа ТОС</b>" in x)
    assert LINK in card and t("events-status-signed_up") in card
    assert t("events-seats-left", count=9, capacity=10) in card
    assert t("events-google-button") in c.buttons() and t("events-cancel-button") in c.buttons()
    # A double click: one sign-up, and a word that it is already done.
    await c.click_data(sign_up, check=False)
    assert c.alerts()[-1] == t("events-status-signed_up")
    assert await signups_of(app, event_id) == {5005: "signed_up"}
    await c.click(t("events-ics-button"))  # the calendar file again
    assert len(documents(app, 5005)) == 2


async def test_sign_up_with_questions(app: App) -> None:
    t = app.t()
    event_id = await add_event(app, questions=["Из какого вы ТОС?", "Что хотите узнать?"])
    c = await person(app, 5006)
    await open_card(c, app)
    await c.click(t("events-sign-up-button"))
    ask_1 = t("events-question", number=1, total=2, title="Школа ТОС", question="Из какого вы ТОС?")
    ask_2 = t(
        "events-question", number=2, total=2, title="Школа ТОС", question="Что хотите узнать?"
    )
    assert c.last_text() == ask_1
    await c.send_sticker()
    assert c.last_text() == t("common-expected-text")
    await c.send("я" * 5000)
    assert c.last_text() == t("events-answer-too-long")
    await c.send("ТОС <Солнечный>")
    assert c.last_text() == ask_2
    await c.click(t("common-back-button"))
    assert c.last_text() == ask_1
    await c.send("ТОС «Солнечный»")
    assert c.last_text() == ask_2
    await c.send("Как получить грант")
    assert t("events-outcome-signed_up", title="Школа ТОС") in c.texts()
    assert LINK in (c.last_text() or "")  # a fresh card, for participants: with the link
    assert t("events-cancel-button") in c.buttons()
    assert await state_of(app, 5006) is None
    async with app.repo() as repo:
        signup = await repo.signups.of(event_id, 5006)
        assert signup is not None and signup.answers == ["ТОС «Солнечный»", "Как получить грант"]
    # /cancel in the middle: nothing saved; Back on the first question: the card again.
    other = await person(app, 5007)
    await open_card(other, app)
    sign_up = other.button_data(t("events-sign-up-button"))
    await other.click_data(sign_up)
    await other.send("Ответ")
    await other.send("/cancel")
    assert other.last_text() == t("common-cancelled") and await state_of(app, 5007) is None
    await other.click_data(sign_up)
    assert await state_of(app, 5007) == SignUp.answering.state
    await other.click(t("common-back-button"))
    assert await state_of(app, 5007) is None
    assert "Школа ТОС</b>" in (other.last_text() or "")
    assert t("events-sign-up-button") in other.buttons()
    assert 5007 not in await signups_of(app, event_id)


async def test_waitlist_and_promotion_in_the_promoted_persons_language(app: App) -> None:
    ru, en = app.t("ru"), app.t("en")
    event_id = await add_event(app, capacity=1)
    first = await person(app, 5008, "ru")
    second = await person(app, 5009, "en")
    third = await person(app, 5010, "ru")
    await open_card(first, app)
    await first.click(ru("events-sign-up-button"))
    card = await open_card(second, app)
    assert en("events-seats-full") in card
    await second.click(en("events-waitlist-button"))
    assert en("events-outcome-waitlisted", title="Школа ТОС", position=1) in second.texts()
    await open_card(third, app)
    await third.click(ru("events-waitlist-button"))
    assert ru("events-outcome-waitlisted", title="Школа ТОС", position=2) in third.texts()
    assert ru("events-status-waitlisted", position=2) in (third.texts()[-2])  # the card
    # The first cancels, with a confirmation; the seat goes to the second, told in English.
    await first.click(ru("events-cancel-button"))
    assert first.last_text() == ru("events-cancel-confirm", title="Школа ТОС")
    await first.click(ru("events-cancel-no"))
    assert await signups_of(app, event_id) == {
        5008: "signed_up",
        5009: "waitlisted",
        5010: "waitlisted",
    }
    await first.click(ru("events-cancel-button"))
    confirm = first.button_data(ru("events-cancel-yes"))
    await first.click_data(confirm)
    assert ru("events-cancelled-done", title="Школа ТОС") in first.texts()
    assert second.last_text() == en(
        "events-promoted",
        title="Школа ТОС",
        date=f"{AT.astimezone(MOSCOW):%d.%m.%Y}",
        time="10:00 MSK",
    )
    assert await signups_of(app, event_id) == {
        5008: "cancelled",
        5009: "signed_up",
        5010: "waitlisted",
    }
    await first.click_data(confirm, check=False)  # a double click changes nothing
    assert first.alerts()[-1] == ru("events-not-signed-up")
    assert (await signups_of(app, event_id))[5010] == "waitlisted"
    await second.click(en("events-open-button"))
    assert en("events-status-signed_up") in (second.last_text() or "")


@LANGS
async def test_closed_events_and_unregistered_people(app: App, lang: str) -> None:
    t = app.t(lang)
    late = await add_event(app, title="Поздно", registration_deadline=NOW - timedelta(hours=1))
    cancelled = await add_event(app, title="Отменено", status="cancelled")
    past = await add_event(app, title="Было", starts_at=NOW - timedelta(hours=2))
    approval = await add_event(app, title="С одобрением", needs_approval=True)
    c = await person(app, 5011, lang)
    await c.click_data(cb(EventAction.SIGN_UP, late), check=False)
    deadline = NOW - timedelta(hours=1)
    when = times(deadline, "Europe/Moscow", "Europe/Moscow", t("events-msk"))
    expected = t(
        "events-outcome-deadline", deadline=f"{deadline.astimezone(MOSCOW):%d.%m.%Y}, {when}"
    )
    assert c.alerts()[-1] == expected
    await c.click_data(cb(EventAction.SIGN_UP, cancelled), check=False)
    assert c.alerts()[-1] == t("events-outcome-cancelled")
    await c.click_data(cb(EventAction.SIGN_UP, past), check=False)
    assert c.alerts()[-1] == t("events-outcome-past")
    await c.send(f"/start ev_{approval}")
    await c.click(t("events-sign-up-button"))
    assert c.last_text() == t("events-outcome-pending", title="С одобрением")
    assert t("events-status-pending") in c.texts()[-2]  # the card
    assert await signups_of(app, approval) == {5011: "pending"}
    for closed in (late, cancelled, past):
        assert await signups_of(app, closed) == {}
    # The deadline passed: the card says so and has no sign-up button.
    await c.send("/events")
    await c.click("1. Поздно")
    assert t("events-state-deadline") in (c.last_text() or "")
    assert t("events-sign-up-button") not in c.buttons()
    # The organiser declined: no second try with one tap.
    declined = await add_event(app, title="Отказ", needs_approval=True)
    async with app.repo() as repo:
        await repo.signups.add(declined, 5011, "rejected", [], NOW)
    await c.send(f"/start ev_{declined}")
    assert t("events-status-rejected") in (c.last_text() or "")
    assert t("events-sign-up-button") not in c.buttons()
    await c.click_data(cb(EventAction.SIGN_UP, declined), check=False)
    assert c.alerts()[-1] == t("events-status-rejected")
    assert await signups_of(app, declined) == {5011: "rejected"}
    stranger = app.client(5012, lang)
    await stranger.send("/events")
    assert stranger.last_text() == t("events-register-first")
    await stranger.click_data(cb(EventAction.SIGN_UP, approval), check=False)
    assert stranger.alerts()[-1] == t("events-outcome-not_registered")
    assert 5012 not in await signups_of(app, approval)


@LANGS
async def test_deep_link(app: App, lang: str) -> None:
    t = app.t(lang)
    event_id = await add_event(app)
    samara_only = await add_event(app, title="Самарская школа", audience_regions=["63"])
    c = await person(app, 5013, lang)
    await c.send(f"/start ev_{event_id}")
    assert "Школа ТОС</b>" in (c.last_text() or "")
    await c.click(t("events-sign-up-button"))
    assert await signups_of(app, event_id) == {5013: "signed_up"}
    await c.send(f"/start ev_{samara_only}")
    assert c.last_text() == t("events-link-unavailable")
    await c.send("/start ev_999999")
    assert c.last_text() == t("events-link-unavailable")
    # Not registered yet: register first, then the card opens by itself.
    newcomer = app.client(5014, lang)
    await newcomer.send(f"/start ev_{event_id}")
    assert t("events-register-first-link") in newcomer.texts()
    await register(newcomer, app)
    cards = [x for x in newcomer.texts() if "Школа ТОС</b>" in x]
    assert len(cards) == 1 and t("events-card-link-later") in cards[0]


async def test_my_events(app: App) -> None:
    t = app.t()
    soon = await add_event(app, title="Скоро", starts_at=AT)
    later = await add_event(app, title="Позже", starts_at=AT + timedelta(days=3), capacity=0)
    gone = await add_event(app, title="Было", starts_at=NOW - timedelta(days=3))
    dropped = await add_event(app, title="Передумал", starts_at=AT + timedelta(days=1))
    c = await person(app, 5015)
    await c.click(t("events-mine-button"))  # from the main menu
    assert c.last_text() == t("events-mine-empty")
    for event_id in (later, soon, dropped):
        await c.send(f"/start ev_{event_id}")
        await c.click(t("events-waitlist-button" if event_id == later else "events-sign-up-button"))
    await c.click(t("events-cancel-button"))
    await c.click(t("events-cancel-yes"))
    async with app.repo() as repo:
        await repo.signups.add(gone, 5015, "attended", [], NOW - timedelta(days=4))
    await c.send("/events")
    await c.click(t("events-mine-button"))
    text = c.last_text() or ""
    order = [text.find(title) for title in ("Скоро", "Позже", "Было")]
    assert -1 not in order and order == sorted(order)  # upcoming first, then the past
    assert "Передумал" not in text
    assert t("events-status-waitlisted", position=1) in text
    assert t("events-status-attended") in text
    await c.click("1. Скоро")
    assert t("events-status-signed_up") in (c.last_text() or "")
    await c.click(t("events-back-to-mine-button"))
    assert c.last_text() == text


async def test_main_menu_leads_to_events(app: App) -> None:
    t = app.t("en")
    await add_event(app)
    c = await person(app, 5016, "en")
    await c.click(t("events-menu-button"))
    assert "Школа ТОС" in (c.last_text() or "") and t("events-kind-all") in (c.last_text() or "")


async def test_forged_buttons_are_refused(app: App, caplog: pytest.LogCaptureFixture) -> None:
    t = app.t()
    samara = await add_event(app, title="Только для Самары", audience_regions=["63"])
    draft = await add_event(app, title="Черновик школы", status="draft")
    c = await person(app, 5017)
    with caplog.at_level(logging.WARNING, logger="bot.security"):
        for data in (
            cb(EventAction.OPEN, 999_999),
            cb(EventAction.SIGN_UP, 999_999),
            cb(EventAction.OPEN, samara),
            cb(EventAction.SIGN_UP, samara),
            cb(EventAction.ICS, samara),
            cb(EventAction.SIGN_UP, draft),
            cb(EventAction.LIST, kind="nonsense"),
        ):
            await c.click_data(data, check=False)
    assert c.alerts() == [t("common-button-outdated")] * 7
    refused = [
        r for r in caplog.records if r.name == "bot.security" and "refused event" in r.message
    ]
    assert len(refused) == 4  # the events that exist but are not for this person
    assert all(r.levelno == logging.WARNING for r in refused)
    assert await signups_of(app, samara) == {} and await signups_of(app, draft) == {}
    assert not any("Только для Самары" in x or "Черновик школы" in x for x in c.texts())


async def test_restart_of_answering_with_start(app: App) -> None:
    t = app.t()
    await add_event(app, questions=["Из какого вы ТОС?"])
    c = await person(app, 5018)
    await open_card(c, app)
    await c.click(t("events-sign-up-button"))
    await c.send("/start")
    assert await state_of(app, 5018) == SignUp.answering.state
    assert c.last_text() == t(
        "events-question", number=1, total=1, title="Школа ТОС", question="Из какого вы ТОС?"
    )
