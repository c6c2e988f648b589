"""/broadcast through the dispatcher: compose, audience with the live count, preview, send now
or schedule, progress and report, controls; only organisers (their regions) and admins."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot.services import broadcasts
from db.models import Broadcast
from handlers.broadcast import BcAction, BcCb, update_progress
from tests.dialogs.test_registration import register
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
    assert sum("broadcast control" in r.getMessage() for r in caplog.records) == 1
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
    t = app.t()
    org = await make_organiser(app, 5010, "16")
    await org.send("/broadcast")
    await org.send("/events")
    assert org.last_text() != t("bc-audience", count=1)  # not taken as the announcement
    assert not any(c.method == "copyMessage" for c in app.api.calls)
    await org.send_photo()  # a photo is a fine announcement
    assert org.last_text() == t("bc-audience", count=1)
