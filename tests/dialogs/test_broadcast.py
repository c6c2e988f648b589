"""/broadcast through the dispatcher: compose, audience with the live count, preview, send now
or schedule, progress and report, controls; only organisers (their regions) and admins."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot.jobs import update_progress
from bot.services import broadcasts
from bot.ui.callbacks.broadcast import BcAction, BcCb
from db.models import Broadcast
from tests.dialogs.test_registration import register, state_of
from tests.dialogs.test_tos_registry import make_organiser
from tests.harness import App
from tests.services.test_broadcasts import fixtures


def copies(app: App) -> list[int]:
    return sorted(c.params["chat_id"] for c in app.api.calls if c.method == "copyMessage" and c.ok)


@pytest.mark.parametrize("lang", ["ru", "en"])
async def test_an_organiser_broadcasts_to_their_region(app: App, lang: str) -> None:
    t = app.t(lang)
    await fixtures(app)  # 101-103 in Tatarstan, 104-105 in Samara
    org = await make_organiser(app, 5001, "16")
    org.language_code = lang
    if lang == "en":
        async with app.repo() as repo:
            await repo.users.set_language(5001, "en")
    await org.send("/broadcast")
    assert org.last_text() == t("bc-ask-message")
    await org.send("Школа ТОС 1 декабря: <b>запись открыта</b>")
    assert org.last_text() == t("bc-buttons-ask", buttons=t("bc-buttons-none"), max=6)
    await org.click(t("bc-next-button"))  # no buttons
    assert org.last_text() == t("bc-audience", count=4)  # 101-103 and the organiser
    await org.click(t("bc-role-chair"))
    assert org.last_text() == t("bc-audience", count=1)
    await org.click("✅ " + t("bc-role-chair"))
    await org.click("EN")
    # 102, and the organiser when they read English
    assert org.last_text() == t("bc-audience", count=2 if lang == "en" else 1)
    await org.click_data(BcCb(action=BcAction.LANGUAGE, value="en").pack())  # a double click
    await org.click(t("bc-language-all"))
    await org.click(t("bc-preview-button", count=4))
    preview = next(c for c in reversed(app.api.calls) if c.method == "copyMessage")
    assert (preview.params["chat_id"], preview.params["from_chat_id"]) == (5001, 5001)
    await org.click(t("bc-send-button", count=4))
    assert copies(app) == [101, 102, 103, 5001, 5001]  # the preview, then the four
    async with app.repo() as repo:
        (broadcast,) = await repo.broadcasts.latest(None, 5)
        assert await broadcasts.report(repo, broadcast.id) == {"sent": 4}
    assert await update_progress(app.bot, app.session_factory, app.translator) == 1
    progress = app.api.message(5001, broadcast.progress_message_id or 0)
    assert progress is not None and t("bc-status-done") in progress["text"]
    assert "▓" * 10 in progress["text"] and "reply_markup" not in progress
    await org.send("/broadcasts")
    assert f"#{broadcast.id}" in (org.last_text() or "")


async def test_schedule_stop_and_who_may_press(app: App, caplog: pytest.LogCaptureFixture) -> None:
    t = app.t()
    await fixtures(app)
    org = await make_organiser(app, 5002, "63")
    other = await make_organiser(app, 5003, "16")
    resident = app.client(5004)
    await register(resident, app)
    await resident.send("/broadcast")
    assert resident.last_text() == t("common-not-allowed")
    await org.send("/broadcast")
    await org.send("Грантовый конкурс")
    await org.click(t("bc-next-button"))
    assert org.last_text() == t("bc-audience", count=2)  # Samara: 104, 105
    forged = BcCb(action=BcAction.REGION, value="16").pack()
    with caplog.at_level(logging.WARNING, logger="bot.security"):
        await org.click_data(forged, check=False)  # another region's people: refused
    assert t("common-not-allowed") in org.alerts()
    await org.click(t("bc-preview-button", count=2))
    await org.click(t("bc-schedule-button"))
    await org.send("01.01.2020 10:00")
    assert org.last_text() == t("evadm-when-past")
    when = datetime.now(UTC) + timedelta(days=2)
    local = when.astimezone(broadcasts_zone("63"))
    await org.send(f"{local:%d.%m.%Y %H:%M}")
    assert org.last_text() == t("bc-scheduled", count=2, when=f"{local:%d.%m.%Y %H:%M}")
    async with app.repo() as repo:
        (broadcast,) = await repo.broadcasts.latest(5002, 5)
    stop = BcCb(action=BcAction.STOP, broadcast_id=broadcast.id).pack()
    with caplog.at_level(logging.WARNING, logger="bot.security"):
        await other.click_data(stop, check=False)  # not theirs
        await resident.click_data(stop, check=False)  # a resident forging the press
    assert sum("broadcast control" in r.getMessage() for r in caplog.records) == 1
    assert sum("refused CallbackQuery by user 5004" in r.getMessage() for r in caplog.records) == 1
    await org.click(t("bc-stop-button"))  # on the "scheduled" message
    async with app.repo() as repo:
        entry = await repo.session.get(Broadcast, broadcast.id)
        assert entry is not None and entry.status == "stopped"
        assert await broadcasts.report(repo, broadcast.id) == {"cancelled": 2}
    assert copies(app) == [5002]  # only the preview went out


def broadcasts_zone(region: str):  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    from bot.services.regions import catalog

    found = catalog().get(region)
    return ZoneInfo(found.tz if found else "Europe/Moscow")


async def test_a_command_while_composing_is_a_command(app: App) -> None:
    """A menu command is not the announcement: it runs and closes the compose dialog."""
    t = app.t()
    org = await make_organiser(app, 5010, "16")
    await org.send("/broadcast")
    await org.send("/events")
    assert org.last_text() != t("bc-audience", count=1)  # not taken as the announcement
    assert not any(c.method == "copyMessage" for c in app.api.calls)
    assert await state_of(app, 5010) is None
    await org.send("/broadcast")
    await org.send_photo()  # a photo is a fine announcement
    await org.click(t("bc-next-button"))
    assert org.last_text() == t("bc-audience", count=1)


def markup_of(app: App, chat_id: int) -> list[list[dict[str, str]]]:
    """The buttons of the last copy that reached the chat."""
    call = next(
        c
        for c in reversed(app.api.calls)
        if c.method == "copyMessage" and c.ok and c.params["chat_id"] == chat_id
    )
    markup: list[list[dict[str, str]]] = (call.params.get("reply_markup") or {}).get(
        "inline_keyboard", []
    )
    return markup


@pytest.mark.parametrize("lang", ["ru", "en"])
async def test_link_and_event_buttons_reach_everyone(app: App, lang: str) -> None:
    t = app.t(lang)
    event_id = await fixtures(app)  # an event of Tatarstan
    org = await make_organiser(app, 5020, "16")
    org.language_code = lang
    async with app.repo() as repo:
        await repo.users.set_language(5020, lang)
    await org.send("/broadcast")
    await org.send("Конкурс грантов открыт")
    await org.send("просто текст без ссылки")
    assert org.last_text() == t("bc-buttons-invalid", max=6)
    await org.send("Положение - ftp://example.org")
    assert org.last_text() == t("bc-buttons-invalid", max=6)
    await org.send(("Очень длинная надпись " * 4) + "- https://example.org")
    assert org.last_text() == t("bc-buttons-text-long", max=6)
    await org.send("\n".join(f"Ссылка {n} - https://example.org/{n}" for n in range(7)))
    assert org.last_text() == t("bc-buttons-too-many", max=6)
    await org.send_sticker()
    assert org.last_text() == t("bc-buttons-expected")
    await org.send("Положение — https://tos.example.org/grant\nЧат <b>ТОС</b> | https://t.me/tos")
    shown = org.last_text() or ""
    assert "https://tos.example.org/grant" in shown and "Чат &lt;b&gt;ТОС&lt;/b&gt;" in shown
    await org.click(t("bc-event-button-add"))
    await org.click(next(b for b in org.buttons() if "Школа" in b))
    assert t("bc-event-button") in (org.last_text() or "")
    await org.click(t("bc-next-button"))
    await org.click(t("bc-preview-button", count=4))
    preview = markup_of(app, 5020)
    assert [[b.get("url") for b in row] for row in preview[:2]] == [
        ["https://tos.example.org/grant"],
        ["https://t.me/tos"],
    ]
    assert preview[1][0]["text"] == "Чат <b>ТОС</b>"  # as typed: button texts are plain
    await org.click(t("bc-send-button", count=4))
    english = markup_of(app, 102)  # 102 reads English: the event's button is in English
    assert english[2][0]["text"] == app.t("en")("bc-event-button")
    assert markup_of(app, 101)[2][0]["text"] == app.t("ru")("bc-event-button")
    reader = app.client(101)
    await reader.click_data(english[2][0]["callback_data"])  # opens the event's card
    assert "Школа" in (reader.last_text() or "")
    async with app.repo() as repo:
        (broadcast,) = await repo.broadcasts.latest(None, 5)
        assert broadcast.buttons is not None and broadcast.buttons[-1] == [{"event_id": event_id}]


async def test_an_album_goes_out_as_an_album(app: App) -> None:
    t = app.t()
    await fixtures(app)
    org = await make_organiser(app, 5030, "63")  # Samara: 104, 105
    await org.send("/broadcast")
    await org.send_album(3, caption="Фотоотчёт с субботника")
    assert org.texts().count(t("bc-album-received")) == 1  # one reply for the three items
    await org.click(t("bc-next-button"))
    assert t("bc-album-count", count=3) in org.alerts()
    assert org.last_text() == t("bc-audience", count=2)  # no buttons step for an album
    await org.click(t("bc-preview-button", count=2))
    await org.click(t("bc-send-button", count=2))
    albums = [c for c in app.api.calls if c.method == "copyMessages" and c.ok]
    assert sorted(c.params["chat_id"] for c in albums) == [104, 105, 5030]  # preview, then two
    assert all(len(c.params["message_ids"]) == 3 for c in albums)
    assert not any(c.method == "copyMessage" for c in app.api.calls)
    groups = {m.get("media_group_id") for m in (app.api.message(104, n) for n in (1, 2, 3)) if m}
    assert len(groups) == 1 and None not in groups  # still one album for the recipient
    async with app.repo() as repo:
        (broadcast,) = await repo.broadcasts.latest(None, 5)
        assert await broadcasts.report(repo, broadcast.id) == {"sent": 2}
        assert len(broadcast.message_ids) == 3


async def test_municipality_and_event_participants(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    t = app.t()
    event_id = await fixtures(app)  # 101 signed up, 102 waitlisted, 103 attended
    org = await make_organiser(app, 5040, "16")  # lives in Kazan too
    await org.send("/broadcast")
    await org.send("Новости")
    await org.click(t("bc-next-button"))
    await org.click(t("bc-municipality-button", name=t("bc-municipality-any")))
    assert org.buttons()[1:3] == ["г. Казань (3)", "г. Набережные Челны (1)"]
    await org.send("ЧЕЛНЫ")  # typing narrows, whatever the case
    assert org.buttons()[1:2] == ["г. Набережные Челны (1)"]
    await org.send("Тольятти")
    assert org.last_text() == t("bc-municipality-none-found")
    await org.click("г. Набережные Челны (1)")
    assert org.last_text() == t("bc-audience", count=1)
    await org.click(t("bc-municipality-button", name="г. Набережные Челны"))
    await org.click(t("bc-municipality-any"))
    assert org.last_text() == t("bc-audience", count=4)
    await org.click(t("bc-event-filter-button"))
    forged = BcCb(action=BcAction.EVENT_PICK, value="99999").pack()
    await org.click_data(forged, check=False)
    assert t("common-button-outdated") in org.alerts()
    await org.click(next(b for b in org.buttons() if "Школа" in b))
    assert org.last_text() == t("bc-choose-group", title="Школа")
    await org.click(t("bc-group-attended"))
    assert org.last_text() == t("bc-audience", count=1)  # 103
    label = t("bc-event-filter-set", title="Школа", group=t("bc-group-attended"))
    await org.click(label)  # the event filter off again
    assert org.last_text() == t("bc-audience", count=4)
    await org.click(t("bc-event-filter-button"))
    await org.click(next(b for b in org.buttons() if "Школа" in b))
    await org.click(t("bc-group-all"))
    assert org.last_text() == t("bc-audience", count=2)  # 101 and 103 hold seats
    # Samara's organiser cannot pick Tatarstan's event by forging the press.
    other = await make_organiser(app, 5041, "63")
    await other.send("/broadcast")
    await other.send("Новости")
    await other.click(t("bc-next-button"))
    with caplog.at_level(logging.WARNING, logger="bot.security"):
        await other.click(t("bc-event-filter-button"))  # none of theirs
        assert t("bc-no-events") in other.alerts()
        forged = BcCb(action=BcAction.EVENTS, value="0").pack()
        await other.click_data(forged, check=False)  # the picker from the audience: still none
        # As if the picker had been shown: the press itself is what is checked.
        await app.dp.fsm.storage.set_state(key_of(5041), "BroadcastForm:event")
        pick = BcCb(action=BcAction.EVENT_PICK, value=str(event_id)).pack()
        await other.click_data(pick, check=False)
    assert "refused a broadcast event by user 5041" in caplog.text
    assert t("common-not-allowed") in other.alerts()


def key_of(user_id: int):  # type: ignore[no-untyped-def]
    from aiogram.fsm.storage.base import StorageKey

    return StorageKey(bot_id=42, chat_id=user_id, user_id=user_id)


async def test_back_goes_one_step_and_keeps_the_choices(app: App) -> None:
    t = app.t()
    await fixtures(app)
    org = await make_organiser(app, 5050, "16")
    await org.send("/broadcast")
    await org.send("Объявление")
    await org.send("Сайт - https://example.org")
    await org.click(t("bc-next-button"))
    await org.click(t("bc-role-chair"))
    await org.click(t("common-back-button"))  # audience → buttons, the link kept
    assert "https://example.org" in (org.last_text() or "")
    await org.click(t("bc-next-button"))
    assert org.last_text() == t("bc-audience", count=1)  # the chair filter kept
    await org.click(t("bc-preview-button", count=1))
    await org.click(t("common-back-button"))  # preview → audience
    assert org.last_text() == t("bc-audience", count=1)
    await org.click(t("common-back-button"))
    await org.click(t("common-back-button"))  # buttons → compose
    assert org.last_text() == t("bc-ask-message")
    await org.send("Другое объявление")
    assert t("bc-buttons-none") in (org.last_text() or "")  # a new message starts clean


async def test_paid_broadcasts_when_enabled(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.harness import running_app

    async with running_app(tmp_path / "bot.sqlite3", broadcast_paid=True) as app:
        t = app.t()
        await fixtures(app)
        org = await make_organiser(app, 5060, "63")
        await org.send("/broadcast")
        await org.send("Срочно")
        await org.click(t("bc-next-button"))
        await org.click(t("bc-preview-button", count=2))
        await org.click(t("bc-send-button", count=2))
        sent = [c for c in app.api.calls if c.method == "copyMessage" and c.ok]
        paid = sorted(c.params["chat_id"] for c in sent if c.params.get("allow_paid_broadcast"))
        assert paid == [104, 105]  # not the preview


def test_progress_shows_the_rate_and_time_left() -> None:
    from bot.i18n import Translator
    from bot.ui.broadcasts import progress_text as _progress_text

    t = Translator("ru").for_locale("en")
    now = datetime.now(UTC)
    broadcast = Broadcast(
        id=1, status="sending", total=1000, started_at=now - timedelta(seconds=20)
    )
    text = _progress_text(t, broadcast, {"sent": 480, "blocked": 20, "pending": 500}, now)
    assert "▓" * 5 + "░" * 5 + " 50%" in text
    assert t("bc-pace", rate="25.0", left=t("bc-left-seconds", seconds=20)) in text
    slow = _progress_text(t, broadcast, {"sent": 10, "pending": 990}, now)
    assert t("bc-pace", rate="0.5", left=t("bc-left-minutes", minutes=33)) in slow
    done = Broadcast(id=1, status="done", total=1000, started_at=now - timedelta(seconds=40))
    assert "Rate:" not in _progress_text(t, done, {"sent": 1000}, now)  # nothing left to time
