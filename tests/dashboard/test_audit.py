"""The dashboard's audit log (/api/audit): admins only (organisers, residents, experts,
strangers refused; no or bad init data 401; an admin banned since the page opened refused
at the next request); the entries the chat's admin actions made, newest first, in the
reader's language and zone, a page at a time."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp.test_utils import TestClient

from bot.services import audit, moderation
from bot.services.audit import Action
from bot.services.roles import Role
from tests.dashboard.initdata import header
from tests.dashboard.test_api import get, status_of
from tests.dashboard.world import ADMIN, NEVER_REGISTERED, ORGANISER, RESIDENT, SAMARA, World, build
from tests.harness import TOKEN, App

Client = TestClient  # type: ignore[type-arg]
SECOND_ADMIN = 505  # an admin by role (not in ADMIN_IDS), who reads English


@pytest.fixture
async def world(app: App) -> World:
    built = await build(app)
    now = datetime.now(UTC)
    async with app.repo() as repo:
        await repo.users.ensure(SECOND_ADMIN, "en", now)
        await repo.users.save_profile(
            SECOND_ADMIN, {"full_name": "Second Admin", "region_code": "63"}
        )
        await repo.roles.grant(SECOND_ADMIN, Role.ADMIN.value, now)
    return built


async def test_only_admins_see_it(
    app: App, web: Client, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.security"):
        for user in (ORGANISER, SAMARA, RESIDENT, 604, NEVER_REGISTERED, 999_999):
            assert await status_of(web, "GET", "/api/audit", header(TOKEN, user)) == 403, user
    assert f"refused the audit log to user {ORGANISER}" in caplog.text
    assert await status_of(web, "GET", "/api/audit", {}) == 401
    assert await status_of(web, "GET", "/api/audit", header("1:" + "x" * 35, ADMIN)) == 401
    assert await status_of(web, "GET", "/api/audit?page=x", header(TOKEN, ADMIN)) == 400
    empty = await get(web, "/api/audit", ADMIN)
    assert empty == {"items": [], "total": 0, "page": 0, "pages": 1, "banned": 0}


async def test_the_entries_newest_first_a_page_at_a_time(
    app: App, web: Client, world: World
) -> None:
    start = datetime.now(UTC) - timedelta(hours=1)
    async with app.repo() as repo:
        for n in range(21):  # invites, a minute apart
            await audit.record(
                repo, ADMIN, Action.INVITE_CREATED, start + timedelta(minutes=n), None, "expert"
            )
        later = start + timedelta(minutes=30)
        assert await moderation.ban(repo, ADMIN, RESIDENT, {ADMIN}, later) is moderation.Banned.DONE
    first = await get(web, "/api/audit", ADMIN)
    assert (first["total"], first["pages"], first["banned"], len(first["items"])) == (22, 2, 1, 20)
    newest = first["items"][0]
    resident_name = "Человек 503"
    assert newest["action"] == "ban" and newest["actor_id"] == ADMIN
    assert newest["target_id"] == RESIDENT
    assert newest["text"] == f"заблокировал(а) {resident_name}"
    assert newest["at"] == later.isoformat()
    assert newest["when"].endswith("(UTC+3)")  # the ADMIN_IDS admin's region (Moscow)
    assert [i["action"] for i in first["items"][1:]] == ["invite_created"] * 19
    assert first["items"][1]["text"] == "создал(а) ссылку-приглашение для роли «эксперт»"
    second = await get(web, "/api/audit?page=1", ADMIN)
    assert second["page"] == 1 and len(second["items"]) == 2
    assert second["items"][-1]["at"] == start.isoformat()  # the oldest last
    # In English for an English reader, in their zone (Samara, UTC+4).
    english = await get(web, "/api/audit", SECOND_ADMIN)
    assert english["items"][0]["text"] == f"banned {resident_name}"
    assert english["items"][0]["when"].endswith("(UTC+4)")


async def test_a_banned_admin_is_refused_at_the_next_request(
    app: App, web: Client, world: World
) -> None:
    signed = header(TOKEN, SECOND_ADMIN)  # the page open with this init data
    assert (await web.get("/api/audit", headers=signed)).status == 200
    async with app.repo() as repo:
        await moderation.ban(repo, ADMIN, SECOND_ADMIN, {ADMIN}, datetime.now(UTC))
    for path in ("/api/audit", "/api/me", "/api/overview"):
        assert (await web.get(path, headers=signed)).status == 403
    async with app.repo() as repo:
        await moderation.unban(repo, ADMIN, SECOND_ADMIN, datetime.now(UTC))
    assert (await web.get("/api/audit", headers=signed)).status == 200
