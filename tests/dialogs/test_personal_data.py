"""/my_data and /delete_me (152-FZ): the export is complete, the erasure leaves nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import select, text

from db.models import Base, Erasure
from tests.dialogs.test_registration import register
from tests.dialogs.test_roles_and_invites import invite_link
from tests.harness import ADMIN_ID, App


async def test_my_data_sends_everything(app: App) -> None:
    c = app.client(3001)
    await register(c, app)
    await c.send("/my_data")
    call = app.api.calls[-1]
    assert call.method == "sendDocument"
    document = app.api.sent_to(3001)[-1].call.message["document"]
    stored = next(f for f in app.api.files.values() if f.file_id == document["file_id"])
    data = json.loads(stored.content)
    assert data["telegram_id"] == 3001
    assert data["profile"]["full_name"] == "Иванова Анна-Мария Петровна"
    assert data["profile"]["phone"] == "+79123456789"
    assert data["profile"]["region_code"] == "16"
    assert data["profile"]["municipality"] == "г. Казань"
    assert data["consent"]["policy_version"] == app.settings.privacy_policy_version
    assert data["consent"]["given_at"]
    assert data["roles"] == ["resident"]


async def test_delete_me_asks_first_and_can_be_aborted(app: App) -> None:
    c = app.client(3002)
    t = app.t()
    await register(c, app)
    await c.send("/delete_me")
    assert c.last_text() == t("personal-data-erase-confirm")
    await c.click(t("personal-data-erase-no"))
    assert c.last_text() == t("personal-data-erase-aborted")
    async with app.repo() as repo:
        assert (await repo.users.get(3002)) is not None


async def test_delete_me_leaves_no_personal_field_anywhere(app: App) -> None:
    c = app.client(3003)
    t = app.t()
    await register(c, app)
    # Links to others: an invite this person used, and a half-finished dialog.
    await c.send(f"/start {await invite_link(app, 'organiser')}")
    await c.send("/profile")
    await c.click(t("profile-edit-municipality"))
    await c.send("/delete_me")
    await c.click(t("personal-data-erase-yes"))
    assert c.last_text() == t("personal-data-erased", roles=2, invites=1)
    needles = ("3003", "Иванова", "79123456789", "Казань")
    async with app.repo() as repo:
        for table in Base.metadata.sorted_tables:
            rows = (await repo.session.execute(text(f'SELECT * FROM "{table.name}"'))).all()
            for row in rows:
                for value in row:
                    assert not any(n in str(value) for n in needles), (table.name, row)
        erasures = (await repo.session.scalars(select(Erasure))).all()
        assert len(erasures) == 1 and erasures[0].kept == {"roles": 2, "invites": 1}
        assert await repo.invites.count_active(datetime.now(UTC)) == 0
    # The admin's invite row survives (needed by the admin's records) without the person in it.
    async with app.repo() as repo:
        assert await repo.roles.of(ADMIN_ID) == {"admin"}
    # The bot starts afresh for them.
    await c.send("/start")
    assert c.last_text() == t("start-greeting")
    await c.send("/delete_me")
    await c.click(t("personal-data-erase-yes"))
    assert c.last_text() == t("personal-data-nothing", roles=0, invites=0)


async def test_language_choice_before_registration_keeps_only_technical_data(app: App) -> None:
    c = app.client(3004)
    await c.send("/language")
    await c.click("🇬🇧 English")
    await c.send("/start")
    assert c.last_text() == app.t("en")("start-greeting")
    async with app.repo() as repo:
        user = await repo.users.get(3004)
        assert user is not None and user.language == "en"
        assert (user.full_name, user.phone, user.consent_at) == (None, None, None)
