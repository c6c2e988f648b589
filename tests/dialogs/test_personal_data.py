"""/my_data and /delete_me (152-FZ): the export is complete, the erasure leaves nothing."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text

from db.models import Base, Erasure
from tests.dialogs.test_registration import register
from tests.dialogs.test_roles_and_invites import invite_link
from tests.harness import ADMIN_ID, ON_SERVERS, App


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
    # A long id: a short one like 3003 also turns up inside timestamps' microseconds.
    person = 8642097531
    c = app.client(person)
    t = app.t()
    await register(c, app)
    # Links to others: an invite this person used, and a half-finished dialog.
    await c.send(f"/start {await invite_link(app, 'organiser')}")
    await c.send("/profile")
    await c.click(t("profile-edit-municipality"))
    await c.send("/delete_me")
    await c.click(t("personal-data-erase-yes"))
    assert c.last_text() == t("personal-data-erased", roles=2, invites=1)
    needles = (str(person), "Иванова", "79123456789", "Казань")
    async with app.repo() as repo:
        for table in Base.metadata.sorted_tables:
            rows = (await repo.session.execute(text(f'SELECT * FROM "{table.name}"'))).all()
            for row in rows:
                for value in row:
                    if isinstance(value, datetime):
                        continue  # a timestamp is not personal; its digits are noise
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


@pytest.mark.skipif(ON_SERVERS, reason="the bytes on disk of SQLite's file and its log")
async def test_erased_person_leaves_no_bytes_on_disk(app: App, tmp_path: Path) -> None:
    """After /delete_me the name and the phone are in neither the database file (its freed
    pages are zeroed) nor the write-ahead log (checkpointed and truncated)."""
    c = app.client(3009)
    t = app.t()
    await register(c, app)
    await c.send("/profile")  # more copies of the row in the log: a few updates
    await c.send("/my_data")
    files = [tmp_path / "bot.sqlite3", tmp_path / "bot.sqlite3-wal"]
    needles = ["Иванова Анна-Мария Петровна".encode(), b"+79123456789"]
    before = b"".join(f.read_bytes() for f in files if f.exists())
    assert all(n in before for n in needles)
    await c.send("/delete_me")
    await c.click(t("personal-data-erase-yes"))
    after = b"".join(f.read_bytes() for f in files if f.exists())
    assert [n for n in needles if n in after] == []
    assert (tmp_path / "bot.sqlite3-wal").stat().st_size == 0


async def test_debug_logging_writes_no_personal_data(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    """LOG_LEVEL=DEBUG: aiosqlite's logger would write every statement's arguments."""
    with caplog.at_level(logging.DEBUG):
        await register(app.client(3010), app)
    assert len(caplog.records) > 0
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "79123456789" not in logged and "Иванова" not in logged
