"""/grants: the grant and contest calendar through the production dispatcher — entering,
browsing by region, subscribing, reminders 14/3/1 days before with a clock the test moves,
re-planning on a new deadline, deletion, .ics files, and who may change what."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.services import grants as service
from bot.services.roles import Role
from bot.ui.callbacks.grants import GrantAction, GrantCb
from handlers.grants import GrantForm
from tests.dialogs.test_registration import state_of
from tests.fake_telegram.core import StoredFile
from tests.harness import ADMIN_ID, App, BotClient, running_app
from tests.services.test_outbox import Clock, sender

MSK = ZoneInfo("Europe/Moscow")  # Tatarstan's zone
TODAY = datetime.now(MSK).date()
DEADLINE = TODAY + timedelta(days=30)


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    # The app's own sender polls rarely: the tests drain with their own clock.
    async with running_app(tmp_path / "bot.sqlite3", outbox_poll_seconds=3600) as running:
        yield running


async def person(app: App, uid: int, region: str = "16", lang: str = "ru") -> BotClient:
    now = datetime.now(UTC)
    async with app.repo() as repo:
        await repo.users.ensure(uid, lang, now)
        await repo.users.save_profile(
            uid,
            {
                "full_name": f"Участник {uid}",
                "phone": "+79123456789",
                "region_code": region,
                "municipality": "г. Казань",
                "kind": "resident",
                "registered_at": now,
            },
        )
    return app.client(uid, lang)


async def organiser(app: App, uid: int, region: str, lang: str = "ru") -> BotClient:
    c = await person(app, uid, region, lang)
    async with app.repo() as repo:
        await repo.roles.grant(uid, Role.ORGANISER.value, datetime.now(UTC))
        await repo.roles.toggle_region(uid, region)
    return c


async def admin(app: App) -> BotClient:
    return await person(app, ADMIN_ID)  # ADMIN_IDS makes them an admin at start


async def enter(
    c: BotClient, app: App, name: str = "Грант «Двор»", deadline: date = DEADLINE
) -> None:
    """Walk the form up to the scope step."""
    t = app.t(c.language_code or "ru")
    await c.send("/grants")
    await c.click(t("grants-add-button"))
    await c.send(name)
    await c.send("Фонд президентских грантов")
    await c.send("ТОС и НКО")
    await c.send("до 500 000 ₽")
    await c.send(f"{deadline:%d.%m.%Y}")
    await c.send("https://example.org/grant")


async def grant_id(app: App, name: str) -> int:
    async with app.repo() as repo:
        found = [g for g in await repo.grants.open_for(None, TODAY) if g.name == name]
        found += [g for g in await repo.grants.open_for("16", TODAY) if g.name == name]
    assert found, name
    return found[0].id


async def keys(app: App, prefix: str) -> list[tuple[str, str]]:
    async with app.repo() as repo:
        return sorted((r.dedupe_key, r.status) for r in await repo.outbox.with_prefix(prefix))


async def press(app: App, c: BotClient, data: str) -> None:
    """A button pressed on the newest message with buttons in the chat (an old message, or a
    forged press): whatever the data, the message is a real one of the bot's."""
    newest = app.api.keyboard_message(c.user_id)
    await c.click_data(data, newest["message_id"] if newest else None, check=False)


def at_ten(day: date) -> datetime:
    return datetime.combine(day, time(10), MSK)


@pytest.mark.parametrize("lang", ["ru", "en"])
async def test_organiser_enters_a_grant_residents_of_the_region_see_it(app: App, lang: str) -> None:
    t = app.t(lang)
    org = await organiser(app, 5001, "16", lang)
    await enter(org, app)
    assert await state_of(app, 5001) == GrantForm.scope.state
    assert org.last_text() == t("grants-ask-scope")
    await org.click("Республика Татарстан" if lang == "ru" else "Republic of Tatarstan")
    summary = org.last_text() or ""
    assert "Грант «Двор»" in summary and f"{DEADLINE:%d.%m.%Y}" in summary
    await org.click(t("grants-save-button"))
    assert t("grants-saved", name="Грант «Двор»") in org.texts()
    assert await state_of(app, 5001) is None
    gid = await grant_id(app, "Грант «Двор»")
    async with app.repo() as repo:
        grant = await repo.grants.get(gid)
        assert grant is not None and grant.region_code == "16" and grant.deadline == DEADLINE
        assert grant.link == "https://example.org/grant" and grant.created_by == 5001
    here = await person(app, 5002, "16", lang)
    there = await person(app, 5003, "63", lang)  # Samara: another region
    await here.send("/grants")
    assert here.last_text() == t("grants-list", region=_region(t, "16"), count=1)
    assert any("Грант «Двор»" in b for b in here.buttons())
    assert t("grants-add-button") not in here.buttons()  # a resident enters nothing
    await there.send("/grants")
    assert there.last_text() == t("grants-list-empty", region=_region(t, "63"), count=0)
    # A federal grant (the admin's) is seen in both regions.
    boss = await admin(app)
    await enter(boss, app, name="Федеральный конкурс")
    assert boss.last_text() == app.t()("grants-ask-scope-admin")
    await boss.click(app.t()("grants-federal"))
    await boss.click(app.t()("grants-save-button"))
    await there.send("/grants")
    assert there.last_text() == t("grants-list", region=_region(t, "63"), count=1)
    await here.send("/grants")
    assert here.last_text() == t("grants-list", region=_region(t, "16"), count=2)


def _region(t: object, code: str) -> str:
    from bot.services.regions import catalog

    region = catalog().get(code)
    assert region is not None
    return region.name(getattr(t, "locale", "ru"))


async def test_wrong_input_is_reasked_and_back_and_cancel_work(app: App) -> None:
    t = app.t()
    org = await organiser(app, 5011, "16")
    await org.send("/grants")
    await org.click(t("grants-add-button"))
    await org.send_sticker()
    assert org.last_text() == t("common-expected-text")
    await org.send("Я")
    assert org.last_text() == t("grants-name-too-short")
    await org.send("Г" * 5000)
    assert org.last_text() == t("grants-name-too-long")
    await org.send("Грант «Двор»")
    await org.click(t("common-back-button"))  # back to the name
    assert await state_of(app, 5011) == GrantForm.name.state
    await org.send("Грант «Двор»")
    await org.send("Фонд")
    await org.send("ТОС")
    await org.send("x" * 101)
    assert org.last_text() == t("grants-amount-too-long")
    await org.send("100 000 ₽")
    for bad, key in (
        ("завтра", "grants-deadline-format"),
        ("31.02.2027", "grants-deadline-format"),
        ("01.01.2020", "grants-deadline-range"),
    ):
        await org.send(bad)
        assert org.last_text() == t(key), bad
    await org.send(f"{DEADLINE:%d.%m.%Y}")
    await org.send("example dot org")
    assert org.last_text() == t("grants-link-invalid")
    await org.click(t("grants-skip-button"))
    assert await state_of(app, 5011) == GrantForm.scope.state
    await org.send("Самара")  # an organiser picks among their regions' buttons
    assert org.last_text() == t("common-use-buttons")
    # A forged scope of another region is refused; nothing is saved.
    await press(app, org, GrantCb(action=GrantAction.SCOPE, value="63").pack())
    await press(app, org, GrantCb(action=GrantAction.SCOPE, value="zz").pack())
    assert t("common-not-allowed") in org.alerts() and t("common-button-outdated") in org.alerts()
    await org.click("Республика Татарстан")
    await org.send("сохранить")
    assert org.last_text() == t("common-use-buttons")
    await org.click(t("common-cancel-button"))
    assert await state_of(app, 5011) is None
    async with app.repo() as repo:
        assert await repo.grants.open_for("16", TODAY) == []


async def test_subscription_reminders_14_3_1_days_before(app: App) -> None:
    org = await organiser(app, 5021, "16")
    await enter(org, app)
    await org.click("Республика Татарстан")
    await org.click(app.t()("grants-save-button"))
    gid = await grant_id(app, "Грант «Двор»")
    ru = await person(app, 5022, "16", "ru")
    en = await person(app, 5023, "16", "en")
    for c in (ru, en):
        t = app.t(c.language_code or "ru")
        await c.send("/grants")
        await c.click(next(b for b in c.buttons() if "Грант «Двор»" in b))
        await c.click(t("grants-subscribe-button"))
        assert t("grants-subscribed") in c.alerts()
        assert t("grants-unsubscribe-button") in c.buttons()
        # A double tap (the old button) subscribes once.
        await press(app, c, GrantCb(action=GrantAction.SUB, grant_id=gid).pack())
        assert t("grants-subscribed-already") in c.alerts()
    stamp = f"{DEADLINE:%Y%m%d}"
    assert await keys(app, service.prefix(gid, 5022)) == sorted(
        (f"gr:{gid}:rem:5022:{days}:{stamp}", "pending") for days in (14, 3, 1)
    )
    clock = Clock(at_ten(DEADLINE - timedelta(days=14)))
    s = sender(app, clock)
    assert await s.drain() == 2
    t_ru, t_en = app.t("ru"), app.t("en")
    args = {
        "name": "Грант «Двор»",
        "organiser": "Фонд президентских грантов",
        "amount": "до 500 000 ₽",
        "deadline": f"{DEADLINE:%d.%m.%Y}",
        "link": "https://example.org/grant",
    }
    assert ru.last_text() == t_ru("grants-reminder", days=14, **args)
    assert en.last_text() == t_en("grants-reminder", days=14, **args)
    assert "через 14 дней" in (ru.last_text() or "")
    assert "close in 14 days" in (en.last_text() or "")
    # The English person unsubscribes from the reminder itself: no more for them.
    await en.click(t_en("grants-unsubscribe-button"))
    assert await keys(app, service.prefix(gid, 5023)) == sorted(
        [
            (f"gr:{gid}:rem:5023:1:{stamp}", "cancelled"),
            (f"gr:{gid}:rem:5023:14:{stamp}", "sent"),
            (f"gr:{gid}:rem:5023:3:{stamp}", "cancelled"),
        ]
    )
    clock.now = at_ten(DEADLINE - timedelta(days=3))
    assert await s.drain() == 1
    assert "через 3 дня" in (ru.last_text() or "")
    clock.now = at_ten(DEADLINE - timedelta(days=1))
    assert await s.drain() == 1
    assert ru.last_text() == t_ru("grants-reminder", days=1, **args)
    assert "завтра" in (ru.last_text() or "")
    clock.now = at_ten(DEADLINE + timedelta(days=1))
    assert await s.drain() == 0
    assert len([x for x in ru.texts() if x.startswith("💰")]) == 3


async def test_a_moved_deadline_replans_and_deletion_cancels(app: App) -> None:
    t = app.t()
    org = await organiser(app, 5031, "16")
    await enter(org, app)
    await org.click("Республика Татарстан")
    await org.click(t("grants-save-button"))
    gid = await grant_id(app, "Грант «Двор»")
    c = await person(app, 5032)
    await press(app, c, GrantCb(action=GrantAction.SUB, grant_id=gid).pack())
    old = f"{DEADLINE:%Y%m%d}"
    # The 14-day reminder goes out; then the organiser moves the deadline a week later.
    s = sender(app, Clock(at_ten(DEADLINE - timedelta(days=14))))
    assert await s.drain() == 1
    await press(app, org, GrantCb(action=GrantAction.EDIT, grant_id=gid).pack())
    await org.click(t("grants-field-deadline"))
    await org.send("01.01.2020")
    assert org.last_text() == t("grants-deadline-range")
    later = DEADLINE + timedelta(days=7)
    await org.send(f"{later:%d.%m.%Y}")
    assert t("grants-changed", name="Грант «Двор»") in org.texts()
    new = f"{later:%Y%m%d}"
    assert await keys(app, service.prefix(gid, 5032)) == sorted(
        [
            (f"gr:{gid}:rem:5032:1:{old}", "cancelled"),
            (f"gr:{gid}:rem:5032:14:{old}", "sent"),
            (f"gr:{gid}:rem:5032:3:{old}", "cancelled"),
            (f"gr:{gid}:rem:5032:1:{new}", "pending"),
            (f"gr:{gid}:rem:5032:14:{new}", "pending"),
            (f"gr:{gid}:rem:5032:3:{new}", "pending"),
        ]
    )
    # Another field changes nothing in the reminders.
    await press(app, org, GrantCb(action=GrantAction.EDIT, grant_id=gid).pack())
    await org.click(t("grants-field-amount"))
    await org.send_sticker()
    assert org.last_text() == t("common-expected-text")
    await org.send("до 700 000 ₽")
    async with app.repo() as repo:
        grant = await repo.grants.get(gid)
        assert grant is not None and grant.amount == "до 700 000 ₽" and grant.deadline == later
    assert len(await keys(app, service.prefix(gid, 5032))) == 6
    # Deletion asks first; "No" keeps it; "Yes" removes it and its pending reminders.
    await press(app, org, GrantCb(action=GrantAction.DELETE, grant_id=gid).pack())
    assert org.last_text() == t("grants-delete-confirm", name="Грант «Двор»", subscribers=1)
    await org.click(t("grants-delete-no"))
    async with app.repo() as repo:
        assert await repo.grants.get(gid) is not None
    await press(app, org, GrantCb(action=GrantAction.DELETE, grant_id=gid).pack())
    await org.click(t("grants-delete-yes"))
    assert org.last_text() == t("grants-deleted", name="Грант «Двор»")
    await press(app, org, GrantCb(action=GrantAction.DELETE_YES, grant_id=gid).pack())
    assert t("grants-gone") in org.alerts()  # a double tap finds it gone
    statuses = {status for _key, status in await keys(app, f"gr:{gid}:")}
    assert statuses == {"cancelled", "sent"}
    async with app.repo() as repo:
        assert await repo.grants.subscribed_by(5032) == []


async def test_the_renderer_drops_a_stale_reminder(app: App) -> None:
    """A reminder queued for a deadline that changed since (a race with an edit) is not
    sent: the renderer compares the row's deadline with the grant's."""
    c = await person(app, 5041)
    async with app.repo() as repo:
        grant = await service.create(
            repo,
            {
                "name": "Конкурс",
                "organiser": "Фонд",
                "eligible": "ТОС",
                "amount": "1 ₽",
                "deadline": DEADLINE.isoformat(),
                "region_code": "16",
            },
            5041,
            datetime.now(UTC),
        )
        await service.subscribe(repo, grant, 5041, datetime.now(UTC))
        grant.deadline = DEADLINE + timedelta(days=1)  # changed behind the planner's back
    assert await sender(app, Clock(at_ten(DEADLINE - timedelta(days=14)))).drain() == 0
    assert c.texts() == []


async def test_permissions_of_other_regions_and_residents(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    t = app.t()
    kazan = await organiser(app, 5051, "16")
    samara = await organiser(app, 5052, "63")
    resident = await person(app, 5053, "16")
    await enter(kazan, app)
    await kazan.click("Республика Татарстан")
    await kazan.click(t("grants-save-button"))
    gid = await grant_id(app, "Грант «Двор»")
    # Samara's organiser sees no Edit/Delete on Kazan's grant... and forging them fails.
    await press(app, samara, GrantCb(action=GrantAction.OPEN, grant_id=gid).pack())
    assert t("common-not-allowed") in samara.alerts()  # not their region, not federal
    # (alerts() lists every pop-up of the fake API, whoever it went to)
    before = len(samara.alerts())
    with caplog.at_level(logging.WARNING, logger="bot.security"):
        for action in (GrantAction.EDIT, GrantAction.DELETE, GrantAction.DELETE_YES):
            for who in (samara, resident):
                await press(app, who, GrantCb(action=action, grant_id=gid).pack())
        await press(
            app, resident, GrantCb(action=GrantAction.FIELD, grant_id=gid, value="deadline").pack()
        )
        await press(app, resident, GrantCb(action=GrantAction.ADD).pack())
    assert samara.alerts()[before:] == [t("common-not-allowed")] * 8
    assert sum("refused grant" in r.message for r in caplog.records) == 8
    async with app.repo() as repo:
        assert await repo.grants.get(gid) is not None
    # The resident sees the card without Edit/Delete.
    await resident.send("/grants")
    await resident.click(next(b for b in resident.buttons() if "Грант «Двор»" in b))
    assert t("grants-edit-button") not in resident.buttons()
    # An organiser cannot enter, edit or delete a federal grant; an admin can.
    boss = await admin(app)
    await enter(boss, app, name="Федеральный конкурс")
    await boss.click(t("grants-federal"))
    await boss.click(t("grants-save-button"))
    fed = await grant_id(app, "Федеральный конкурс")
    before = len(kazan.alerts())
    await press(app, kazan, GrantCb(action=GrantAction.DELETE_YES, grant_id=fed).pack())
    assert kazan.alerts()[before:] == [t("common-not-allowed")]
    # An organiser whose role is taken away mid-form saves nothing.
    await enter(kazan, app, name="Ещё один")
    async with app.repo() as repo:
        await repo.roles.revoke(5051, Role.ORGANISER.value)
    await press(app, kazan, GrantCb(action=GrantAction.SCOPE, value="16").pack())
    assert t("common-not-allowed") in kazan.alerts()
    assert await state_of(app, 5051) is None
    # The admin edits the organiser's grant and moves it to federal.
    await press(app, boss, GrantCb(action=GrantAction.EDIT, grant_id=gid).pack())
    await boss.click(t("grants-field-scope"))
    await boss.send("Самарская")
    await boss.click("Самарская область")
    async with app.repo() as repo:
        moved = await repo.grants.get(gid)
        assert moved is not None and moved.region_code == "63"


async def test_ics_of_one_grant_and_of_all_subscriptions(app: App) -> None:
    t = app.t()
    org = await organiser(app, 5061, "16")
    for name, deadline in (("Первый", DEADLINE), ("Второй", DEADLINE + timedelta(days=3))):
        await enter(org, app, name=name, deadline=deadline)
        await org.click("Республика Татарстан")
        await org.click(t("grants-save-button"))
    c = await person(app, 5062)
    await c.send("/grants")
    await c.click(t("grants-mine-button"))
    assert c.last_text() == t("grants-mine-empty")
    for name in ("Первый", "Второй"):
        gid = await grant_id(app, name)
        await press(app, c, GrantCb(action=GrantAction.SUB, grant_id=gid).pack())
    await c.click(t("grants-ics-button"))  # on the card of "Второй"
    one = Calendar.from_ical(_last_file(app, "grant-").content)
    (entry,) = one.walk("VEVENT")
    assert str(entry["summary"]) == "Второй"
    assert entry.decoded("dtstart") == DEADLINE + timedelta(days=3)
    assert [a.decoded("trigger") for a in entry.walk("VALARM")] == [
        timedelta(days=-d) for d in (14, 3, 1)
    ]
    await c.send("/grants")
    await c.click(t("grants-mine-button"))
    assert c.last_text() == t("grants-mine", count=2)
    await c.click(t("grants-ics-all-button"))
    both = Calendar.from_ical(_last_file(app, "grants.ics").content)
    assert [str(e["summary"]) for e in both.walk("VEVENT")] == ["Первый", "Второй"]
    assert str(both.walk("VEVENT")[0]["url"]) == "https://example.org/grant"


def _last_file(app: App, prefix: str) -> StoredFile:
    found = [f for f in app.api.files.values() if (f.file_name or "").startswith(prefix)]
    assert found, prefix
    return found[-1]


async def test_settings_mute_grant_reminders(app: App) -> None:
    t = app.t()
    c = await person(app, 5071)
    async with app.repo() as repo:
        grant = await service.create(
            repo,
            {
                "name": "Конкурс",
                "organiser": "Фонд",
                "eligible": "ТОС",
                "amount": "1 ₽",
                "deadline": DEADLINE.isoformat(),
                "region_code": None,
            },
            5071,
            datetime.now(UTC),
        )
        await service.subscribe(repo, grant, 5071, datetime.now(UTC))
    await c.send("/settings")
    await c.click(t("settings-turn-off", what=t("settings-kind-grant_deadline")))
    assert await sender(app, Clock(at_ten(DEADLINE - timedelta(days=14)))).drain() == 0
    async with app.repo() as repo:
        rows = await repo.outbox.with_prefix(service.prefix(grant.id))
        assert [r.last_error for r in rows if r.status == "cancelled"] == ["muted"]


async def test_subscriptions_are_in_my_data_and_go_with_the_person(app: App) -> None:
    from bot.services import personal_data

    await person(app, 5081)
    async with app.repo() as repo:
        grant = await service.create(
            repo,
            {
                "name": "Конкурс",
                "organiser": "Фонд",
                "eligible": "ТОС",
                "amount": "1 ₽",
                "deadline": DEADLINE.isoformat(),
                "region_code": "16",
            },
            5081,
            datetime.now(UTC),
        )
        await service.subscribe(repo, grant, 5081, datetime.now(UTC))
    async with app.repo() as repo:
        exported = await personal_data.export(repo, 5081, datetime.now(UTC))
        assert exported["grant_subscriptions"] == [
            {"grant": "Конкурс", "deadline": DEADLINE.isoformat()}
        ]
        await personal_data.erase(repo, 5081, datetime.now(UTC))
    async with app.repo() as repo:
        assert await repo.grants.subscribers(grant.id) == []
        kept = await repo.grants.get(grant.id)
        assert kept is not None and kept.created_by is None  # the grant stays, unsigned
