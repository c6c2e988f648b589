"""A seat freed less than a day before the start is offered to the first on the waitlist,
who confirms within two hours or loses it to the next."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.jobs import expire_offers
from bot.services import events
from bot.ui.callbacks.events import EventAction, EventCb
from tests.harness import App, running_app
from tests.services.test_reminders import event, person, sign_up


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    async with running_app(tmp_path / "bot.sqlite3") as running:
        yield running


async def status(app: App, event_id: int, uid: int) -> str:
    async with app.repo() as repo:
        signup = await repo.signups.of(event_id, uid)
        return signup.status if signup else "-"


async def test_offer_confirmed_declined_and_expired(app: App) -> None:
    now = datetime.now(UTC)
    for uid in (1, 2, 3, 4):
        await person(app, uid, lang="en" if uid == 3 else "ru")
    ev = await event(app, starts_at=now + timedelta(hours=10), capacity=1)
    assert [await sign_up(app, ev.id, uid, now) for uid in (1, 2, 3, 4)] == [
        "signed_up",
        "waitlisted",
        "waitlisted",
        "waitlisted",
    ]
    t = app.t()
    first = app.client(1)
    await first.send(f"/start ev_{ev.id}")
    await first.click(t("events-cancel-button"))
    await first.click(t("events-cancel-yes"))
    async with app.repo() as repo:
        promoted = await repo.signups.of(ev.id, 2)
        assert promoted is not None and promoted.status == "offered"
        assert promoted.offer_expires_at is not None
        assert abs(promoted.offer_expires_at - now - timedelta(hours=2)) < timedelta(minutes=1)
    async with app.repo() as repo:  # the offered seat is held: nobody new gets it
        await person(app, 5)
        assert (await events.sign_up(repo, ev.id, 5, [], now)).outcome.value == "waitlisted"
    # The offer went out with Yes / No.
    second = app.client(2)
    assert (second.last_text() or "").startswith("❗ Освободилось место на «Гранты для ТОС»")
    await second.click(t("events-offer-no-button"))  # no: the seat moves on to 3
    assert second.last_text() == t("events-offer-declined", title="Гранты для ТОС")
    assert await status(app, ev.id, 2) == "cancelled" and await status(app, ev.id, 3) == "offered"
    third = app.client(3, "en")
    assert (third.last_text() or "").startswith('❗ A seat came free for "Гранты для ТОС"')
    await second.click_data(
        EventCb(action=EventAction.OFFER_YES, event_id=ev.id).pack(), check=False
    )
    assert t("events-offer-gone") in second.alerts()  # 2 said no already
    # 3 does not answer in time: the job withdraws it and offers the seat to 4.
    async with app.repo() as repo:
        offered = await repo.signups.of(ev.id, 3)
        assert offered is not None
        offered.offer_expires_at = now - timedelta(seconds=1)
    assert await expire_offers(app.session_factory) == 1
    assert await expire_offers(app.session_factory) == 0
    await app.application.outbox.drain(wait=True)
    assert app.t("en")("events-offer-expired", title="Гранты для ТОС") in third.texts()
    assert await status(app, ev.id, 3) == "cancelled" and await status(app, ev.id, 4) == "offered"
    fourth = app.client(4)
    await fourth.click(t("events-offer-yes-button"))
    assert fourth.last_text() == t("events-offer-confirmed", title="Гранты для ТОС")
    assert await status(app, ev.id, 4) == "signed_up"
    async with app.repo() as repo:  # and their reminders are planned (the hour before)
        rows = await repo.outbox.with_prefix(f"ev:{ev.id}:rem:4:")
    assert [r.status for r in rows] == ["pending"]


async def test_more_than_a_day_ahead_the_seat_is_given_at_once(app: App) -> None:
    now = datetime.now(UTC)
    for uid in (1, 2):
        await person(app, uid)
    ev = await event(app, starts_at=now + timedelta(days=3), capacity=1)
    await sign_up(app, ev.id, 1, now)
    await sign_up(app, ev.id, 2, now)
    async with app.repo() as repo:
        promoted = await events.cancel(repo, ev.id, 1, now)
    assert promoted is not None and promoted.status == "signed_up"
    assert promoted.offer_expires_at is None
