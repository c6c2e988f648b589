"""Event reminders through the outbox, with a clock the test moves: planned at sign-up, dropped
on cancellation, planned anew when the event moves, caught up after downtime while useful,
quiet hours, and "Can't come" from the reminder itself."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.jobs import nudge_stalled_tos, roll_calendars
from bot.services import event_admin, events, personal_data, reminders
from bot.services.validation import InvalidInput
from bot.ui.callbacks.events import EvAdminAction, EvAdminCb
from db.models import Event
from tests.dialogs.test_registration import register
from tests.dialogs.test_tos_registry import make_organiser
from tests.harness import App, running_app
from tests.services.test_outbox import Clock, sender

START = datetime.now(UTC).replace(microsecond=0) + timedelta(days=10)  # 10 days ahead
SIGNED_AT = START - timedelta(days=5)


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    async with running_app(tmp_path / "bot.sqlite3", outbox_poll_seconds=3600) as running:
        yield running


async def person(app: App, uid: int, region: str = "16", lang: str = "ru") -> None:
    async with app.repo() as repo:
        await repo.users.ensure(uid, lang, SIGNED_AT)
        await repo.users.save_profile(
            uid,
            {
                "full_name": f"Участник {uid}",
                "phone": "+79123456789",
                "region_code": region,
                "municipality": "г. Казань",
                "kind": "resident",
                "registered_at": SIGNED_AT,
            },
        )


async def event(app: App, **overrides: Any) -> Event:
    fields: dict[str, Any] = {
        "kind": "webinar",
        "title": "Гранты для ТОС",
        "description": "Как подать заявку.",
        "starts_at": START,
        "duration_minutes": 90,
        "tz": "Europe/Moscow",
        "format": "online",
        "online_link": "https://telemost.yandex.ru/j/1",
        "address": None,
        "capacity": 1,
        "registration_deadline": None,
        "audience_regions": [],
        "needs_approval": False,
        "questions": [],
        "status": "published",
        "region_code": "16",
        "organiser_id": None,
        "created_at": SIGNED_AT,
    }
    fields.update(overrides)
    async with app.repo() as repo:
        return await repo.events.add(**fields)


async def sign_up(app: App, event_id: int, uid: int, now: datetime = SIGNED_AT) -> str:
    async with app.repo() as repo:
        return (await events.sign_up(repo, event_id, uid, [], now)).outcome.value


async def rows(app: App, prefix: str) -> list[tuple[str, str]]:
    async with app.repo() as repo:
        return [(r.dedupe_key, r.status) for r in await repo.outbox.with_prefix(prefix)]


def sent_texts(app: App, uid: int) -> list[str]:
    return [s.raw_text or "" for s in app.api.sent_to(uid)]


async def test_reminders_a_day_and_an_hour_before_in_the_readers_zone(app: App) -> None:
    await person(app, 1)
    await person(app, 2, region="14", lang="en")  # Yakutia, English
    ev = await event(app, capacity=None)
    assert await sign_up(app, ev.id, 1) == "signed_up"
    assert await sign_up(app, ev.id, 2) == "signed_up"
    stamp = int(START.timestamp())
    assert await rows(app, reminders.prefix(ev.id, 1)) == [
        (f"ev:{ev.id}:rem:1:1440:{stamp}", "pending"),
        (f"ev:{ev.id}:rem:1:60:{stamp}", "pending"),
    ]
    clock = Clock(START - timedelta(days=1))
    s = sender(app, clock)
    assert await s.drain() == 2
    ru, en = sent_texts(app, 1)[-1], sent_texts(app, 2)[-1]
    local = START.astimezone(events.MOSCOW)
    assert ru.startswith("⏰ Напоминание: «Гранты для ТОС»") and f"{local:%H:%M} МСК" in ru
    assert "https://telemost.yandex.ru/j/1" in ru  # they hold a seat
    assert en.startswith('⏰ A reminder: "Гранты для ТОС"') and "MSK+6" in en
    labels = [label for label, _ in app.api.buttons(1)]
    assert labels == [app.t()("events-reminder-cant-come"), app.t()("events-open-button")]
    clock.now = START - timedelta(hours=1)
    assert await s.drain() == 2
    clock.now = START + timedelta(minutes=1)
    assert await s.drain() == 0
    assert len(sent_texts(app, 1)) == 2


async def test_cancelling_moves_reminders_to_the_promoted_person(app: App) -> None:
    for uid in (1, 2):
        await person(app, uid)
    ev = await event(app)
    await sign_up(app, ev.id, 1)
    assert await sign_up(app, ev.id, 2) == "waitlisted"
    assert await rows(app, reminders.prefix(ev.id, 2)) == []
    async with app.repo() as repo:
        promoted = await events.cancel(repo, ev.id, 1, SIGNED_AT)
    assert promoted is not None and promoted.user_id == 2
    assert {status for _key, status in await rows(app, reminders.prefix(ev.id, 1))} == {"cancelled"}
    assert {status for _key, status in await rows(app, reminders.prefix(ev.id, 2))} == {"pending"}
    # Signing up again revives the same rows (the seat is 2's now: waitlisted, no reminder).
    assert await sign_up(app, ev.id, 1) == "waitlisted"
    s = sender(app, Clock(START - timedelta(hours=1)))
    await s.drain()
    assert sent_texts(app, 1) == [] and len(sent_texts(app, 2)) == 1  # the day-before one expired


async def test_moving_or_cancelling_the_event(app: App) -> None:
    await person(app, 1)
    ev = await event(app)
    await sign_up(app, ev.id, 1)
    async with app.repo() as repo:
        moved = await repo.events.get(ev.id)
        assert moved is not None
        moved.starts_at = START + timedelta(days=2)
        moved.reminder_offsets = [4320, 60]
        await reminders.replan(repo, moved, SIGNED_AT)
    keyed = await rows(app, reminders.prefix(ev.id, 1))
    new_stamp = int((START + timedelta(days=2)).timestamp())
    assert sorted(keyed) == sorted(
        [
            (f"ev:{ev.id}:rem:1:1440:{int(START.timestamp())}", "cancelled"),
            (f"ev:{ev.id}:rem:1:60:{int(START.timestamp())}", "cancelled"),
            (f"ev:{ev.id}:rem:1:4320:{new_stamp}", "pending"),
            (f"ev:{ev.id}:rem:1:60:{new_stamp}", "pending"),
        ]
    )
    async with app.repo() as repo:
        cancelled = await repo.events.get(ev.id)
        assert cancelled is not None
        await event_admin.cancel_event(repo, cancelled, SIGNED_AT)
    assert {status for _key, status in await rows(app, reminders.prefix(ev.id))} == {"cancelled"}


async def test_catch_up_after_downtime_sends_only_what_is_still_useful(app: App) -> None:
    await person(app, 1)
    ev = await event(app)
    await sign_up(app, ev.id, 1)
    # Down from two days before until 30 minutes before the start: the day-before reminder
    # is stale (the hour-before one is due), the hour-before one is late but useful.
    s = sender(app, Clock(START - timedelta(minutes=30)))
    assert await s.drain() == 1
    statuses = dict(await rows(app, reminders.prefix(ev.id, 1)))
    assert sorted(statuses.values()) == ["expired", "sent"]
    assert len(sent_texts(app, 1)) == 1


async def test_quiet_hours_hold_a_day_before_reminder_but_not_an_hour_before(app: App) -> None:
    await person(app, 1)  # Tatarstan: Moscow time
    night_start = datetime(START.year, START.month, START.day, 20, 30, tzinfo=UTC)  # 23:30 MSK
    ev = await event(app, starts_at=night_start, capacity=None)
    await sign_up(app, ev.id, 1)
    quiet = sender(app, Clock(night_start - timedelta(days=1)), quiet_hours="22-8")
    assert await quiet.drain() == 0  # 23:30 the day before: held until 08:00
    held = await rows(app, reminders.prefix(ev.id, 1))
    assert ("pending" in {status for _k, status in held}) and sent_texts(app, 1) == []
    quiet._clock = Clock(night_start - timedelta(hours=1))  # 22:30, the event at 23:30
    assert await quiet.drain() == 1  # the hour-before reminder goes out in quiet hours


async def test_cant_come_from_the_reminder_frees_the_seat(app: App) -> None:
    for uid in (1, 2):
        await person(app, uid)
    ev = await event(app)
    await sign_up(app, ev.id, 1)
    await sign_up(app, ev.id, 2)
    await sender(app, Clock(START - timedelta(days=1))).drain()
    c = app.client(1)
    t = app.t()
    await c.click(t("events-reminder-cant-come"))
    await c.click(t("events-cancel-yes"))
    async with app.repo() as repo:
        assert (await repo.signups.of(ev.id, 1)).status == "cancelled"  # type: ignore[union-attr]
        assert (await repo.signups.of(ev.id, 2)).status == "signed_up"  # type: ignore[union-attr]
    assert any("Гранты для ТОС" in text for text in sent_texts(app, 2))  # told of the seat


def test_offsets_typed_in_hours() -> None:
    assert reminders.offsets("24, 1") == [1440, 60]
    assert reminders.offsets("72 24 1") == [4320, 1440, 60]
    assert reminders.offsets("0.5") == [30]
    for bad in ("", "0", "1 2 3 4", "400", "завтра"):
        with pytest.raises(InvalidInput):
            reminders.offsets(bad)
    assert set(reminders.SEATED) == set(events.SEATED) - {"offered"}  # confirmed seats only


@pytest.mark.parametrize("lang", ["ru", "en"])
async def test_settings_mute_reminders_down_to_the_last_one(app: App, lang: str) -> None:
    t = app.t(lang)
    c = app.client(1, lang)
    await register(c, app)
    await c.send("/settings")
    assert c.last_text() == t(
        "settings-title",
        lines="\n".join(
            t("settings-line", state=t("settings-on"), what=t(f"settings-kind-{k}"))
            for k in (
                "event_reminder",
                "deadline",
                "feedback",
                "tos_step",
                "tos_calendar",
                "grant_deadline",
            )
        ),
    )
    what = t("settings-kind-event_reminder")
    await c.click(t("settings-turn-off", what=what))
    assert t("settings-turn-on", what=what) in c.buttons()  # the screen shows the new state
    await c.click_data("st:forged", check=False)
    assert t("common-button-outdated") in c.alerts()
    async with app.repo() as repo:
        assert (await repo.users.get(1)).muted_kinds == ["event_reminder"]  # type: ignore[union-attr]
    ev = await event(app, capacity=None)
    await sign_up(app, ev.id, 1, datetime.now(UTC))
    clock = Clock(START - timedelta(days=1))
    s = sender(app, clock)
    assert await s.drain() == 0  # the day-before reminder is muted
    clock.now = START - timedelta(hours=1)
    assert await s.drain() == 1  # the last one comes anyway
    async with app.repo() as repo:
        statuses = sorted(r.last_error or r.status for r in await repo.outbox.with_prefix("ev:"))
    assert statuses == ["muted", "sent"]


async def test_sign_ups_close_soon_to_those_who_looked(app: App) -> None:
    now = datetime.now(UTC)
    for uid in (1, 2, 3):
        await person(app, uid)
    ev = await event(
        app, remind_deadline=True, registration_deadline=now + timedelta(hours=20), capacity=None
    )
    quiet = await event(app, registration_deadline=now + timedelta(hours=20))  # not opted in
    for uid in (1, 2):
        async with app.repo() as repo:
            await events.card(repo, ev.id, uid, "16")  # 1 and 2 open the card; 3 does not
            await events.card(repo, quiet.id, uid, "16")
    await sign_up(app, ev.id, 2, now)
    async with app.repo() as repo:
        assert await reminders.remind_of_deadlines(repo, now) == 1
    async with app.repo() as repo:
        assert await reminders.remind_of_deadlines(repo, now) == 0  # each event once
    await sender(app, Clock(now)).drain()
    text = sent_texts(app, 1)[-1]
    assert text.startswith("⏳ Запись на «Гранты для ТОС»") and "закрывается" in text
    assert [label for label, _ in app.api.buttons(1)] == [app.t()("events-open-button")]
    assert not any(t.startswith("⏳") for t in sent_texts(app, 2) + sent_texts(app, 3))


async def test_an_organiser_changes_the_reminders_of_a_saved_event(app: App) -> None:
    t = app.t()
    org = await make_organiser(app, 900_001, "16")
    await person(app, 1)
    ev = await event(app, capacity=None)
    await sign_up(app, ev.id, 1, datetime.now(UTC))
    await org.click_data(EvAdminCb(action=EvAdminAction.EDIT, event_id=ev.id).pack(), check=False)
    await org.click(t("evadm-field-reminders"))
    await org.send("500")
    assert org.last_text() == t("evadm-reminders-invalid")
    await org.send("72, 3")
    async with app.repo() as repo:
        pending = [
            r.dedupe_key
            for r in await repo.outbox.with_prefix(reminders.prefix(ev.id, 1))
            if r.status == "pending"
        ]
    stamp = int(START.timestamp())
    assert sorted(pending) == sorted(
        [f"ev:{ev.id}:rem:1:4320:{stamp}", f"ev:{ev.id}:rem:1:180:{stamp}"]
    )


async def test_stalled_tos_creation_gets_one_nudge_per_stall(app: App) -> None:
    now = datetime.now(UTC)
    old = now - timedelta(days=15)
    for uid in (1, 2, 3, 4):
        await person(app, uid, lang="en" if uid == 2 else "ru")
    async with app.repo() as repo:
        wizard = await repo.tos_projects.start(1, "131-fz", "intro", old)  # wizard unfinished
        tracker = await repo.tos_projects.start(2, "131-fz", "done", old)  # at the meeting stage
        await repo.tos_projects.save(tracker, "done", {"stages": {"boundaries": "x"}}, old)
        tracker.generated_at = old
        done = await repo.tos_projects.start(3, "131-fz", "done", old)
        stages = {stage: "x" for stage in ("boundaries", "meeting", "submitted", "registered")}
        await repo.tos_projects.save(done, "done", {"stages": stages}, old)
        done.generated_at = old
        await repo.tos_projects.start(4, "131-fz", "intro", now - timedelta(days=3))  # recent
        assert wizard.id
    assert await nudge_stalled_tos(app.session_factory) == 2
    assert await nudge_stalled_tos(app.session_factory) == 2  # queued again: the same keys
    # The job queued them at its own now, a moment after the test's: drain at a later clock.
    await sender(app, Clock(datetime.now(UTC))).drain()
    assert sent_texts(app, 1) == [app.t()("tos-nudge-wizard")]
    en = app.t("en")
    assert sent_texts(app, 2) == [en("tos-nudge-stage", stage=en("tos-stage-meeting"))]
    assert sent_texts(app, 3) == [] and sent_texts(app, 4) == []
    assert [label for label, _ in app.api.buttons(2)] == [en("tos-nudge-button")]
    await sender(app, Clock(now)).drain()
    async with app.repo() as repo:  # a second job run after sending queues nothing new
        assert await reminders.nudge_stalled_tos(repo, now, {"key": "k", "data": "d"}) == 2
    assert await sender(app, Clock(now)).drain() == 0


async def test_tos_calendar_set_cleared_refused_and_rolled(app: App) -> None:
    t = app.t()
    chair = app.client(7)
    await register(chair, app)
    await person(app, 8)
    async with app.repo() as repo:
        tos = await repo.tos_registry.add(
            name="Солнечный",
            region_code="16",
            municipality="г. Казань",
            territory_type="building",
            boundaries="ул. Солнечная, дом 5",
            charter_registered_on=datetime(2024, 3, 15, tzinfo=UTC).date(),
            charter_number="ТОС-5",
            ogrn=None,
            status="verified",
            chair_id=7,
            created_at=datetime.now(UTC),
        )
    stranger = app.client(8)
    await stranger.send("/tos_calendar")
    assert stranger.last_text() == t("tos-calendar-not-chair")
    await stranger.click_data(f"tc:{tos.id}:meeting:0", check=False)
    assert t("common-not-allowed") in stranger.alerts()
    await chair.send("/tos_calendar")
    meeting = t("tos-calendar-meeting")
    await chair.click(t("tos-calendar-set-button", item=meeting))
    await chair.send("31.02.2027")
    assert chair.last_text() == t("tos-calendar-date-format")
    await chair.send("01.01.2020")
    assert chair.last_text() == t("tos-calendar-date-range")
    day = (datetime.now(UTC) + timedelta(days=30)).date()
    await chair.send(f"{day:%d.%m.%Y}")
    assert t("tos-calendar-saved", item=meeting, date=f"{day:%d.%m.%Y}") in chair.texts()
    keys = sorted(r.dedupe_key for r in await _rows_of(app, f"tos:{tos.id}:cal:"))
    assert keys == [f"tos:{tos.id}:cal:meeting:{day:%Y-%m-%d}:{n}" for n in (1, 7)]
    # Reminded at 10:00 Kazan time a week before, in the chair's language.
    s = sender(
        app,
        Clock(
            datetime.combine(day - timedelta(days=7), datetime.min.time(), UTC) + timedelta(hours=7)
        ),
    )
    assert await s.drain() == 1
    assert chair.last_text() == t(
        "tos-calendar-reminder", days=7, date=f"{day:%d.%m.%Y}", item=meeting
    )
    # A passed date moves to next year with new reminders; a removed one has none left.
    async with app.repo() as repo:
        entry = await repo.tos_registry.get(tos.id)
        assert entry is not None
        entry.calendar = {**entry.calendar, "budget": "2020-05-01"}
    assert await roll_calendars(app.session_factory) == 1
    async with app.repo() as repo:
        entry = await repo.tos_registry.get(tos.id)
        assert entry is not None
        rolled = date.fromisoformat(entry.calendar["budget"])
        assert (rolled.month, rolled.day) == (5, 1)
        assert datetime.now(UTC).date() <= rolled <= datetime.now(UTC).date() + timedelta(days=366)
    await chair.send("/tos_calendar")
    await chair.click(t("tos-calendar-clear-button"))  # the meeting's (the first row's)
    async with app.repo() as repo:
        entry = await repo.tos_registry.get(tos.id)
        assert entry is not None and "meeting" not in entry.calendar
    statuses = {
        r.dedupe_key.split(":")[3]: r.status
        for r in await _rows_of(app, f"tos:{tos.id}:cal:meeting:")
    }
    assert set(statuses.values()) <= {"cancelled", "sent"}


async def _rows_of(app: App, prefix: str) -> list[Any]:
    async with app.repo() as repo:
        return list(await repo.outbox.with_prefix(prefix))


async def test_opened_cards_are_in_my_data_and_erased(app: App) -> None:
    now = datetime.now(UTC)
    await person(app, 1)
    ev = await event(app, remind_deadline=True, registration_deadline=now + timedelta(days=3))
    async with app.repo() as repo:
        await events.card(repo, ev.id, 1, "16")
    async with app.repo() as repo:
        exported = await personal_data.export(repo, 1, now)
    assert [row["event"] for row in exported["event_cards_opened"]] == ["Гранты для ТОС"]
    async with app.repo() as repo:
        await personal_data.erase(repo, 1, now)
    async with app.repo() as repo:
        assert await repo.events.viewers_not_signed_up(ev.id) == []
