"""Event sign-ups on the real SQLite file: capacity under a rush, waitlist order, promotion."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.services import events
from bot.services.events import Outcome
from db.repositories import Repo
from tests.harness import App

NOW = datetime.now(UTC)


async def people(app: App, ids: range) -> None:
    async with app.repo() as repo:
        for uid in ids:
            await repo.users.ensure(uid, "ru", NOW)
            await repo.users.save_profile(
                uid,
                {
                    "full_name": f"Участник {uid}",
                    "phone": "+79123456789",
                    "region_code": "14",
                    "municipality": "г. Якутск",
                    "kind": "resident",
                    "registered_at": NOW,
                },
            )


async def event(app: App, **overrides: object) -> int:
    fields: dict[str, object] = {
        "kind": "school",
        "title": "Школа ТОС",
        "description": "Как создать ТОС",
        "starts_at": NOW + timedelta(days=7),
        "duration_minutes": 120,
        "tz": "Asia/Yakutsk",
        "format": "online",
        "online_link": "https://example.org/webinar",
        "address": None,
        "capacity": 50,
        "registration_deadline": NOW + timedelta(days=6),
        "audience_regions": ["14"],
        "needs_approval": False,
        "questions": [],
        "status": "published",
        "region_code": "14",
        "organiser_id": None,
        "created_at": NOW,
    }
    fields.update(overrides)
    async with app.repo() as repo:
        return (await repo.events.add(**fields)).id


async def sign(app: App, event_id: int, user_id: int) -> events.SignUpResult:
    async with app.session_factory.begin() as session:
        return await events.sign_up(Repo(session), event_id, user_id, [], datetime.now(UTC))


async def test_rush_of_200_for_50_seats(app: App) -> None:
    await people(app, range(10_000, 10_200))
    event_id = await event(app)
    results = await asyncio.gather(*(sign(app, event_id, uid) for uid in range(10_000, 10_200)))
    outcomes = [r.outcome for r in results]
    assert outcomes.count(Outcome.SIGNED_UP) == 50
    assert outcomes.count(Outcome.WAITLISTED) == 150
    positions = sorted(r.position for r in results if r.position is not None)
    assert positions == list(range(1, 151))
    async with app.repo() as repo:
        assert await repo.signups.count(event_id, "signed_up") == 50
        assert await repo.signups.count(event_id, "waitlisted") == 150
    # The line is the order in which the sign-ups were made.
    waitlisted = sorted((r for r in results if r.position), key=lambda r: r.position or 0)
    ids = [r.signup.id for r in waitlisted if r.signup is not None]
    assert ids == sorted(ids)


async def test_double_click_cancel_promotion_and_again(app: App) -> None:
    await people(app, range(20_000, 20_003))
    event_id = await event(app, capacity=1)
    first, again = await asyncio.gather(sign(app, event_id, 20_000), sign(app, event_id, 20_000))
    assert {first.outcome, again.outcome} == {Outcome.SIGNED_UP, Outcome.ALREADY}
    second = await sign(app, event_id, 20_001)
    third = await sign(app, event_id, 20_002)
    assert (second.outcome, second.position, third.position) == (Outcome.WAITLISTED, 1, 2)
    async with app.session_factory.begin() as session:
        promoted = await events.cancel(Repo(session), event_id, 20_000, datetime.now(UTC))
    assert promoted is not None and promoted.user_id == 20_001
    assert (await sign(app, event_id, 20_002)).position == 1  # moved up the line
    back = await sign(app, event_id, 20_000)  # signing up again: the end of the line
    assert (back.outcome, back.position) == (Outcome.WAITLISTED, 2)


async def test_closed_events_and_strangers(app: App) -> None:
    await people(app, range(30_000, 30_001))
    past = await event(app, starts_at=NOW - timedelta(hours=1), registration_deadline=None)
    late = await event(app, registration_deadline=NOW - timedelta(minutes=1))
    cancelled = await event(app, status="cancelled")
    draft = await event(app, status="draft")
    approval = await event(app, needs_approval=True)
    assert (await sign(app, past, 30_000)).outcome is Outcome.PAST
    assert (await sign(app, late, 30_000)).outcome is Outcome.DEADLINE
    assert (await sign(app, cancelled, 30_000)).outcome is Outcome.CANCELLED
    assert (await sign(app, draft, 30_000)).outcome is Outcome.NOT_OPEN
    assert (await sign(app, 999_999, 30_000)).outcome is Outcome.NOT_OPEN
    assert (await sign(app, approval, 30_000)).outcome is Outcome.PENDING
    assert (await sign(app, approval, 31_000)).outcome is Outcome.NOT_REGISTERED
