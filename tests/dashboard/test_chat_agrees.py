"""The page and the chat show the same numbers: for the same world, what the dashboard's API
returns equals what the chat says, read from the messages the bot sent through the fake Bot
API (the registry, the broadcast audience, the event card, the attendance summary, the list
of broadcasts, the experts' queue, the export files)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.ui.callbacks.broadcast import BcAction, BcCb
from bot.ui.callbacks.events import EvAdminAction, EvAdminCb
from bot.ui.event_cards import organiser_card
from handlers.organiser_events import _fields_of
from tests.dashboard.initdata import header
from tests.dashboard.world import ADMIN, ORGANISER, SAMARA, World, build
from tests.harness import TOKEN, App

Client = TestClient  # type: ignore[type-arg]


@pytest.fixture
async def world(app: App) -> World:
    return await build(app)


async def api(web: Client, path: str, user: int = ORGANISER) -> Any:
    response = await web.get(path, headers=header(TOKEN, user))
    assert response.status == 200
    return await response.json()


@pytest.mark.parametrize(("user", "lang"), [(ORGANISER, "ru"), (SAMARA, "en"), (ADMIN, "ru")])
async def test_registry_counts(app: App, web: Client, world: World, user: int, lang: str) -> None:
    tos = (await api(web, "/api/overview", user))["tos"]
    verified = next(s["count"] for s in tos["by_status"] if s["status"] == "verified")
    chat = app.client(user, lang)
    await chat.send("/tos_registry")
    assert chat.last_text() == app.t(lang)("tos-registry", total=tos["total"], verified=verified)


@pytest.mark.parametrize("user", [ORGANISER, ADMIN])
async def test_people_counts_are_the_broadcast_audience(
    app: App, web: Client, world: World, user: int
) -> None:
    people = (await api(web, "/api/overview", user))["people"]
    t = app.t("ru")
    chat = app.client(user)
    await chat.send("/broadcast")
    await chat.send("Школа ТОС 1 декабря: запись открыта")
    await chat.click(t("bc-next-button"))
    assert chat.last_text() == t("bc-audience", count=people["total"])
    for role in people["by_role"]:
        await chat.click_data(BcCb(action=BcAction.ROLE, value=role["role"]).pack())
        assert chat.last_text() == t("bc-audience", count=role["count"]), role
        await chat.click_data(BcCb(action=BcAction.ROLE, value=role["role"]).pack())  # off again
    if user == ORGANISER:  # an organiser of two regions may pick one: its count
        for region in people["by_region"]:
            await chat.click_data(BcCb(action=BcAction.REGION, value=region["code"]).pack())
            assert chat.last_text() == t("bc-audience", count=region["count"]), region
            await chat.click_data(BcCb(action=BcAction.REGION, value=region["code"]).pack())


async def test_event_card_and_summary(app: App, web: Client, world: World) -> None:
    t = app.t("ru")
    chat = app.client(ORGANISER)
    for event_id in (world.school, world.webinar, world.meeting):
        line = (await api(web, f"/api/events/{event_id}"))["event"]
        await chat.click_data(
            EvAdminCb(action=EvAdminAction.OPEN, event_id=event_id).pack(), check=False
        )
        counts = t(
            "evadm-counts",
            signed=line["signed"],
            waitlisted=line["waitlisted"],
            pending=line["pending"],
            attended=line["attended"],
        )
        assert (chat.last_text() or "").endswith(counts), chat.last_text()
    async with app.repo() as repo:
        event = await repo.events.get(world.school)
        assert event is not None
        counted = await repo.signups.counts(event.id)
        assert chat.texts()[-3] == organiser_card(t, _fields_of(event), counted)
    summary = (await api(web, f"/api/events/{world.webinar}"))["summary"]
    await chat.click_data(
        EvAdminCb(action=EvAdminAction.SUMMARY, event_id=world.webinar).pack(), check=False
    )
    text = chat.last_text() or ""
    assert (
        t(
            "attendance-summary",
            title="Вебинар о грантах",
            signed_up=summary["signed_up"],
            attended=summary["attended"],
            share=summary["share"],
        )
        in text
    )
    assert (
        t(
            "attendance-summary-average",
            count=summary["ratings"],
            average=Decimal(summary["average"]),
        )
        in text
    )
    for item in summary["distribution"]:
        if item["count"]:
            assert (
                t("attendance-summary-rating-line", rating=item["rating"], count=item["count"])
                in text
            )
    for comment in summary["comments"]:
        assert comment in text


async def test_seats_left_as_residents_see_them(app: App, web: Client, world: World) -> None:
    line = (await api(web, f"/api/events/{world.school}"))["event"]
    assert (line["capacity"], line["taken"], line["left"]) == (3, 3, 0)
    from bot.services import events

    async with app.repo() as repo:
        event = await repo.events.get(world.school)
        assert event is not None
        taken = await events.seats_taken(repo, event.id)  # what the residents' card counts
        assert events.seats_left(event, taken) == line["left"] and taken == line["taken"]


@pytest.mark.parametrize("user", [ORGANISER, SAMARA, ADMIN])
async def test_broadcast_list(app: App, web: Client, world: World, user: int) -> None:
    lang = "en" if user == SAMARA else "ru"
    t = app.t(lang)
    items = (await api(web, "/api/broadcasts", user))["items"]
    chat = app.client(user, lang)
    await chat.send("/broadcasts")
    lines = [
        t(
            "bc-list-line",
            id=b["id"],
            when=b["when"],
            status=t(f"bc-status-{b['status']}"),
            total=b["total"],
            sent=b["sent"],
            blocked=b["blocked"],
            failed=b["failed"],
        )
        for b in items
    ]
    assert chat.last_text() == t("bc-list", lines="\n".join(lines))


async def test_experts_queue_of_the_admin(app: App, web: Client, world: World) -> None:
    questions = (await api(web, "/api/overview", ADMIN))["questions"]
    t = app.t("ru")
    chat = app.client(ADMIN)
    await chat.send("/questions")
    assert t(
        "questions-queue",
        topics=t("questions-all-topics"),
        held=0,
        waiting=questions["waiting"],
        page=1,
        pages=1,
    ) in (chat.last_text() or "")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
async def test_export_files_are_equal(app: App, web: Client, world: World, fmt: str) -> None:
    chat = app.client(ORGANISER)
    action = EvAdminAction.EXPORT_CSV if fmt == "csv" else EvAdminAction.EXPORT_XLSX
    await chat.click_data(EvAdminCb(action=action, event_id=world.school).pack(), check=False)
    (document,) = [c for c in app.api.calls if c.method == "sendDocument"]
    from_chat = next(iter(document.uploads.values()))
    response = await web.get(
        f"/api/events/{world.school}/export.{fmt}", headers=header(TOKEN, ORGANISER)
    )
    if fmt == "csv":
        assert await response.read() == from_chat.content
    else:  # an XLSX holds the time it was written: compare the cells
        import io

        from openpyxl import load_workbook

        def cells(raw: bytes) -> list[tuple[Any, ...]]:
            sheet = load_workbook(io.BytesIO(raw)).active
            assert sheet is not None
            return list(sheet.iter_rows(values_only=True))

        assert cells(await response.read()) == cells(from_chat.content)
    assert response.headers["Content-Disposition"].endswith(f'filename="{from_chat.filename}"')
