"""Broadcast audiences against hand-counted fixtures, batched queueing, pause / resume / stop,
and delivery as copies through the outbox."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.services import broadcasts, personal_data
from bot.services.broadcasts import Audience
from bot.services.validation import InvalidInput
from db.models import Broadcast
from db.repositories import Repo
from db.session_hooks import commit
from tests.harness import App, running_app
from tests.services.test_outbox import Clock, sender

NOW = datetime.now(UTC).replace(microsecond=0)
# id: region, municipality, language, kind, roles
PEOPLE: dict[int, tuple[str, str, str, str, tuple[str, ...]]] = {
    101: ("16", "г. Казань", "ru", "resident", ("resident",)),
    102: ("16", "г. Казань", "en", "tos_member", ("resident",)),
    103: ("16", "г. Набережные Челны", "ru", "tos_chair", ("resident", "chair")),
    104: ("63", "г. Самара", "ru", "resident", ("resident", "expert")),
    105: ("63", "г. Самара", "en", "resident", ("resident",)),
}


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    async with running_app(tmp_path / "bot.sqlite3", outbox_poll_seconds=3600) as running:
        yield running


async def fixtures(app: App) -> int:
    """The five people above, one who never registered, a TOS 105 belongs to, and an event
    101 signed up for, 102 waits for and 103 attended. Returns the event's id."""
    async with app.repo() as repo:
        for uid, (region, municipality, lang, kind, roles) in PEOPLE.items():
            await repo.users.ensure(uid, lang, NOW)
            await repo.users.save_profile(
                uid,
                {
                    "full_name": f"Человек {uid}",
                    "phone": "+79123456789",
                    "region_code": region,
                    "municipality": municipality,
                    "kind": kind,
                    "registered_at": NOW,
                },
            )
            for role in roles:
                await repo.roles.grant(uid, role, NOW)
        await repo.users.ensure(106, "ru", NOW)  # talked to the bot, never registered
        tos = await repo.tos_registry.add(
            name="Волга",
            region_code="63",
            municipality="г. Самара",
            territory_type="building",
            boundaries="ул. Волжская, дом 1",
            charter_registered_on=NOW.date(),
            charter_number="1",
            ogrn=None,
            status="verified",
            chair_id=104,
            created_at=NOW,
        )
        await repo.tos_members.request(tos.id, 105, NOW)
        await repo.tos_members.decide(tos.id, 105, True, NOW)
        event = await repo.events.add(
            kind="school",
            title="Школа",
            description="…",
            starts_at=NOW + timedelta(days=5),
            duration_minutes=60,
            tz="Europe/Moscow",
            format="online",
            online_link="https://x.ru",
            address=None,
            capacity=None,
            registration_deadline=None,
            audience_regions=[],
            needs_approval=False,
            questions=[],
            status="published",
            region_code="16",
            organiser_id=None,
            created_at=NOW,
        )
        for uid, status in ((101, "signed_up"), (102, "waitlisted"), (103, "attended")):
            await repo.signups.add(event.id, uid, status, [], NOW)
        return event.id


@asynccontextmanager
async def plain_repo(app: App) -> AsyncIterator[Repo]:
    """A repo whose transaction may be committed midway (as in an update: `Repo.release`)."""
    async with app.session_factory() as session:
        yield Repo(session)
        await session.commit()


async def who(app: App, scope: set[str] | None, **filters: Any) -> list[int]:
    audience = Audience(**filters)
    async with app.repo() as repo:
        ids = sorted(await repo.session.scalars(broadcasts.query(scope, audience)))
        assert await broadcasts.count(repo, scope, audience) == len(ids)
    return ids


async def queued(
    app: App,
    due: datetime,
    *,
    audience: Audience | None = None,
    scope: set[str] | None = None,
    organiser: int | None = 900,
    message_ids: tuple[int, ...] = (1,),
    buttons: list[list[dict[str, Any]]] | None = None,
    paid: bool = False,
) -> int:
    """A broadcast as the dialog's Send leaves it, due at `due` (an hour ahead keeps the app's
    own sender off it: only the test's senders, at the test's clock, send it); its id."""
    async with plain_repo(app) as repo:
        if organiser is not None:
            await repo.users.ensure(organiser, "ru", NOW)
        broadcast = Broadcast(
            organiser_id=organiser,
            from_chat_id=900,
            message_ids=list(message_ids),
            buttons=buttons,
            filters=(audience or Audience()).to_json(),
            status="draft",
            scheduled_at=due,
            total=0,
            created_at=NOW,
        )
        repo.session.add(broadcast)
        await repo.session.flush()
        await broadcasts.queue(repo, broadcast, scope, NOW, paid=paid)
        return broadcast.id


async def test_every_filter_and_combinations(app: App) -> None:
    event_id = await fixtures(app)
    everyone = [101, 102, 103, 104, 105]
    assert await who(app, None) == everyone  # an admin; 106 never registered
    assert await who(app, {"16"}) == [101, 102, 103]  # an organiser of Tatarstan
    assert await who(app, {"16"}, regions=("63",)) == []  # asking for another region: nobody
    assert await who(app, None, regions=("63",)) == [104, 105]
    assert await who(app, None, municipality="г. Казань") == [101, 102]
    assert await who(app, None, language="en") == [102, 105]
    assert await who(app, None, roles=("chair",)) == [103]
    assert await who(app, None, roles=("tos_member",)) == [102, 103, 105]
    assert await who(app, None, roles=("expert", "chair")) == [103, 104]
    assert await who(app, None, roles=("resident",)) == everyone
    assert await who(app, None, event_id=event_id, event_group="signed_up") == [101]
    assert await who(app, None, event_id=event_id, event_group="attended") == [103]
    assert await who(app, None, event_id=event_id, event_group="waitlisted") == [102]
    assert await who(app, None, event_id=event_id) == [101, 103]
    assert await who(app, {"16"}, language="ru") == [101, 103]
    assert await who(app, {"63"}, roles=("tos_member",)) == [105]
    assert await who(app, {"16", "63"}, regions=("16",), roles=("tos_member",), language="en") == [
        102
    ]


async def test_queued_in_batches_paused_resumed_stopped_and_copied(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    await fixtures(app)
    organiser = app.client(900)
    await organiser.send("Школа ТОС 1 декабря: запись открыта!")  # the message to copy
    monkeypatch.setattr(broadcasts, "BATCH", 2)  # five people: three batches
    async with plain_repo(app) as repo:
        await repo.users.ensure(900, "ru", NOW)
        broadcast = Broadcast(
            organiser_id=900,
            from_chat_id=900,
            message_ids=[1],
            filters=Audience().to_json(),
            status="draft",
            # In an hour, so only this test's senders (at the test's clock) send it.
            scheduled_at=NOW + timedelta(hours=1),
            total=0,
            created_at=NOW,
        )
        repo.session.add(broadcast)
        await repo.session.flush()
        assert await broadcasts.queue(repo, broadcast, None, NOW) == 5
        assert await broadcasts.queue(repo, broadcast, None, NOW) == 5  # again: same rows
        assert broadcast.status == "scheduled" and broadcast.total == 5
        bc_id = broadcast.id
    async with app.repo() as repo:
        assert await broadcasts.report(repo, bc_id) == {"pending": 5}
        entry = await repo.session.get(Broadcast, bc_id)
        assert entry is not None
        assert await broadcasts.pause(repo, entry) == 5
    later = Clock(NOW + timedelta(hours=1))
    s = sender(app, later)
    assert await s.drain() == 0  # paused rows are not sent
    async with app.repo() as repo:
        entry = await repo.session.get(Broadcast, bc_id)
        assert entry is not None
        assert await broadcasts.resume(repo, entry, NOW) == 5
    s = sender(app, later, outbox_batch=2)
    assert await s.drain() == 5
    copies = [c for c in app.api.calls if c.method == "copyMessage" and c.ok]
    assert sorted(c.params["chat_id"] for c in copies) == [101, 102, 103, 104, 105]
    assert all(c.params["from_chat_id"] == 900 and c.params["message_id"] == 1 for c in copies)
    assert app.api.last_text(101) == "Школа ТОС 1 декабря: запись открыта!"
    async with app.repo() as repo:
        assert await broadcasts.report(repo, bc_id) == {"sent": 5}
        entry = await repo.session.get(Broadcast, bc_id)
        assert entry is not None
        assert await broadcasts.stop(repo, entry, NOW) == 0  # nothing left to stop
        assert entry.status == "stopped"


async def test_stop_cancels_what_is_left(app: App) -> None:
    await fixtures(app)
    async with plain_repo(app) as repo:
        broadcast = Broadcast(
            organiser_id=None,
            from_chat_id=900,
            message_ids=[1],
            filters=Audience(regions=("63",)).to_json(),
            status="draft",
            scheduled_at=NOW + timedelta(hours=2),
            total=0,
            created_at=NOW,
        )
        repo.session.add(broadcast)
        await repo.session.flush()
        assert await broadcasts.queue(repo, broadcast, {"63"}, NOW) == 2
        assert broadcast.status == "scheduled"
        assert await broadcasts.stop(repo, broadcast, NOW) == 2
        assert await broadcasts.report(repo, broadcast.id) == {"cancelled": 2}


async def test_an_erased_organisers_broadcast_stops_and_forgets_their_chat(app: App) -> None:
    await fixtures(app)
    bc_id = await queued(app, NOW + timedelta(hours=1))
    async with plain_repo(app) as repo:
        await personal_data.erase(repo, 900, NOW)
    async with app.repo() as repo:
        entry = await repo.session.get(Broadcast, bc_id)
        assert entry is not None
        assert (entry.from_chat_id, entry.organiser_id, entry.status) == (0, None, "stopped")
        assert await broadcasts.report(repo, bc_id) == {"cancelled": 5}


@pytest.mark.parametrize("instance", ["this", "another"])
async def test_pause_holds_even_the_rows_already_claimed(app: App, instance: str) -> None:
    """Paused mid-drain: the claimed batch is not sent either, whether the sender is this
    instance's or another's (a sender on an engine of its own): it reads the broadcast's
    status before each of its rows."""
    from db.engine import create_engine, create_session_factory

    await fixtures(app)
    organiser = app.client(900)
    await organiser.send("Объявление")
    later = NOW + timedelta(hours=1)
    bc_id = await queued(app, later)
    engine = create_engine(app.settings.database_url) if instance == "another" else None
    sessions = create_session_factory(engine) if engine is not None else app.session_factory
    s = sender(app, Clock(later), sessions, outbox_rate=4, outbox_batch=50)  # one every 250 ms
    try:
        drain = asyncio.create_task(s.drain())
        await app.api.wait_for(lambda c: c.method == "copyMessage" and c.ok)
        async with app.session_factory() as session:
            entry = await session.get(Broadcast, bc_id)
            assert entry is not None
            await broadcasts.pause(Repo(session), entry)
            await commit(session)
        paused_at = asyncio.get_running_loop().time()
        await drain
    finally:
        if engine is not None:
            await engine.dispose()
    sent = [c for c in app.api.calls if c.method == "copyMessage" and c.ok]
    assert 1 <= len(sent) < 5
    assert max(c.at for c in sent) - paused_at < 1.0  # nothing went out a second later
    async with app.repo() as repo:
        report = await broadcasts.report(repo, bc_id)
    assert report == {"sent": len(sent), "paused": 5 - len(sent)}
    async with app.session_factory() as session:
        entry = await session.get(Broadcast, bc_id)
        assert entry is not None
        await broadcasts.resume(Repo(session), entry, later)
        await commit(session)
    await sender(app, Clock(later)).drain()
    async with app.repo() as repo:
        assert await broadcasts.report(repo, bc_id) == {"sent": 5}


async def test_municipalities_of_the_audience(app: App) -> None:
    await fixtures(app)
    async with app.repo() as repo:
        assert await broadcasts.municipalities(repo, None, Audience()) == [
            ("г. Казань", 2),
            ("г. Самара", 2),
            ("г. Набережные Челны", 1),
        ]
        # The other filters apply; the municipality filter itself does not (to switch it).
        chosen = Audience(language="en", municipality="г. Самара")
        assert await broadcasts.municipalities(repo, None, chosen) == [
            ("г. Казань", 1),
            ("г. Самара", 1),
        ]
        assert await broadcasts.municipalities(repo, {"63"}, Audience()) == [("г. Самара", 2)]


def test_link_buttons_are_read_from_lines() -> None:
    rows = broadcasts.link_buttons("Сайт - https://a.ru\n\n  Чат | tg://resolve?domain=x  ", [])
    assert rows == [
        [{"text": "Сайт", "url": "https://a.ru"}],
        [{"text": "Чат", "url": "tg://resolve?domain=x"}],
    ]
    with_event = broadcasts.with_event_button(rows, 7)
    assert broadcasts.with_event_button(with_event, 8)[-1] == [{"event_id": 8}]  # replaced
    assert len(broadcasts.with_event_button(with_event, 8)) == 3
    more = broadcasts.link_buttons("Ещё – http://b.ru", with_event)
    assert more[-1] == [{"text": "Ещё", "url": "http://b.ru"}]
    for bad, key in (
        ("", "bc-buttons-invalid"),
        ("https://a.ru", "bc-buttons-invalid"),
        ("Сайт - a.ru", "bc-buttons-invalid"),
        ("Сайт - javascript:alert(1)", "bc-buttons-invalid"),
        ("слово " * 1000 + "- https://a.ru", "bc-buttons-invalid"),  # 5,000 characters
        ("x" * 65 + " - https://a.ru", "bc-buttons-text-long"),
        ("\n".join(f"{n} - https://a.ru/{n}" for n in range(5)), "bc-buttons-too-many"),
    ):
        with pytest.raises(InvalidInput) as raised:
            broadcasts.link_buttons(bad, rows)  # two links already there
        assert raised.value.key == key, bad


async def test_an_album_counts_each_item_against_the_rate(app: App) -> None:
    await fixtures(app)
    album = app.updates.album(900, 3)  # the organiser's three photos, known to the fake API
    later = NOW + timedelta(hours=1)
    ids = tuple(u["message"]["message_id"] for u in album)
    buttons = [[{"text": "Сайт", "url": "https://a.ru"}]]  # albums carry none
    await queued(app, later, message_ids=ids, buttons=buttons, paid=True)
    started = time.monotonic()  # the fake API stamps calls on this clock
    await sender(app, Clock(later), outbox_rate=10).drain()
    calls = [c for c in app.api.calls if c.method == "copyMessages" and c.ok]
    assert sorted(c.params["chat_id"] for c in calls) == [101, 102, 103, 104, 105]
    assert all("reply_markup" not in c.params for c in calls)
    assert not any(c.method == "copyMessage" for c in app.api.calls)
    # 15 items at 10 a second take at least 1.4 s (were only the copies counted, the five
    # would all be out within 0.4 s).
    assert max(c.at for c in calls) - started >= (15 - 1) / 10 * 0.9
