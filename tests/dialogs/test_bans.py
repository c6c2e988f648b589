"""Bans and the audit log through the production dispatcher, in Russian and English: an admin
finds a person, bans them with a confirmation (no replies, no outbox messages, no place in a
broadcast's audience, their questions hidden from the experts and the FAQ), unbans them; who
may not be banned; a non-admin's forged button; the audit log of bans, invites, role grants
and revocations and regions, a page at a time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.services import broadcasts, outbox
from bot.services.broadcasts import Audience
from bot.services.outbox import Outgoing
from bot.services.roles import Role
from bot.ui.callbacks.admin import ModAction, ModCb
from db.models import HandledUpdate
from db.search_terms import query
from tests import harness
from tests.dialogs.test_roles_and_invites import invite_link
from tests.harness import ADMIN_ID, App, running_app
from tests.questions.helpers import LEGAL, person

OTHER_ADMIN = 901  # listed in ADMIN_IDS too
EN_ADMIN = 902  # an admin by role only, who reads English
RESIDENT = 3001


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    async with running_app(tmp_path / "bot.sqlite3", admin_ids=f"{ADMIN_ID},{OTHER_ADMIN}") as a:
        yield a
    assert a.api.violations == []


async def _people(app: App) -> None:
    await person(app, ADMIN_ID, name="Админ Главный", roles=(Role.ADMIN,))
    await person(app, OTHER_ADMIN, name="Админ Второй", roles=(Role.ADMIN,))
    await person(app, EN_ADMIN, lang="en", name="Admin Third", roles=(Role.ADMIN,))
    await person(app, RESIDENT, name="Спамер Пётр Петрович", phone="+79030000001")


async def _ban(app: App, admin_id: int, lang: str, query_text: str) -> None:
    admin, t = app.client(admin_id, lang), app.t(lang)
    await admin.send("/admin")
    await admin.click(t("admin-find-button"))
    assert admin.last_text() == t("admin-find-ask")
    await admin.send(query_text)
    assert admin.last_text() == t("admin-find-found", count=1)
    await admin.click(f"Спамер Пётр Петрович · {RESIDENT}")
    await admin.click(t("admin-ban-button"))
    assert admin.last_text() == t("admin-ban-confirm", name="Спамер Пётр Петрович")
    await admin.click(t("admin-ban-yes"))
    assert admin.last_text() == t("admin-banned-done", name="Спамер Пётр Петрович")


async def _answered(app: App, user_id: int, text: str) -> bool:
    since = len(app.api.calls)
    await app.client(user_id).send(text)
    return any(c.params.get("chat_id") == user_id for c in app.api.calls[since:])


@pytest.mark.parametrize("lang", ["ru", "en"])
async def test_ban_and_unban(app: App, lang: str) -> None:
    await _people(app)
    admin_id = ADMIN_ID if lang == "ru" else EN_ADMIN
    t = app.t(lang)
    now = datetime.now(UTC)
    async with app.repo() as repo:
        asked = await repo.questions.add(
            asker_id=RESIDENT,
            topic_id=LEGAL,
            text="Как зарегистрировать устав ТОС?",
            status="new",
            created_at=now,
            waiting_since=now,
        )
        entry = await repo.faq.add_draft(
            question_id=asked.id,
            topic_id=LEGAL,
            question="Как зарегистрировать устав ТОС?",
            answer="Подать заявление в администрацию.",
            expert_id=None,
            show_expert=False,
            now=now,
        )
        await repo.faq.publish(entry.id, now)
        audience = await broadcasts.count(repo, None, Audience())
    assert await _answered(app, RESIDENT, "/help")

    await _ban(app, admin_id, lang, "пётр" if lang == "ru" else str(RESIDENT))

    assert not await _answered(app, RESIDENT, "/start")
    assert not await _answered(app, RESIDENT, "/help")  # known banned: dropped at once
    async with app.repo() as repo:
        assert (await repo.users.snapshot(RESIDENT)).banned  # type: ignore[union-attr]
        assert await broadcasts.count(repo, None, Audience()) == audience - 1
        assert await repo.questions.waiting(None, 0, 10) == ([], 0)
        assert await repo.faq.published_in(LEGAL, 0, 10) == ([], 0)
        assert await repo.faq.search(query("устав ТОС зарегистрировать"), 5) == []
        assert await repo.faq.published_counts() == {}
        await outbox.enqueue(
            repo,
            Outgoing(RESIDENT, outbox.NOTICE, outbox.text("common-cancelled"), now, "ban:1"),
            now=now,
        )
    await app.application.outbox.drain(wait=True)
    async with app.repo() as repo:
        row = await repo.outbox.get("ban:1")
        assert row is not None and (row.status, row.last_error) == ("cancelled", "banned")
    assert not any(c.params.get("chat_id") == RESIDENT for c in app.api.calls[-5:])

    # The card says since when; Unban needs no confirmation (nothing was deleted).
    admin = app.client(admin_id, lang)
    await admin.click(t("admin-to-person-button"))
    assert t("admin-person-banned", since="")[:8] in (admin.last_text() or "")
    await admin.click(t("admin-unban-button"))
    assert admin.last_text() == t("admin-unbanned-done", name="Спамер Пётр Петрович")
    assert await _answered(app, RESIDENT, "/help")
    async with app.repo() as repo:
        assert [q.id for q in (await repo.questions.waiting(None, 0, 10))[0]] == [asked.id]
        assert (await repo.faq.published_in(LEGAL, 0, 10))[1] == 1

    # The audit log, newest first: the unban, then the ban, by this admin.
    await admin.send("/admin")
    await admin.click(t("admin-audit-button"))
    log = admin.last_text() or ""
    name = "Админ Главный" if lang == "ru" else "Admin Third"
    unban = f"<b>{name}</b> " + t("audit-unban", target="Спамер Пётр Петрович")
    ban = f"<b>{name}</b> " + t("audit-ban", target="Спамер Пётр Петрович")
    assert unban in log and ban in log and log.index(unban) < log.index(ban)
    assert log.startswith(t("admin-audit", count=2, page=1, pages=1, lines="")[:12])


async def test_who_may_not_be_banned(app: App) -> None:
    await _people(app)
    t = app.t()
    admin = app.client(ADMIN_ID)
    for target in (ADMIN_ID, OTHER_ADMIN):  # oneself; an ADMIN_IDS admin
        await admin.send("/admin")
        await admin.click(t("admin-find-button"))
        await admin.send(str(target))
        await admin.click(next(b for b in admin.buttons() if b.endswith(f"· {target}")))
        assert t("admin-ban-button") not in admin.buttons()  # no button on their card
        for action in (ModAction.BAN, ModAction.BAN_OK):  # a forged button
            await admin.click_data(ModCb(action=action, user_id=target).pack(), check=False)
            assert admin.alerts()[-1] == t("admin-ban-protected")
    # An admin by role only may be banned (and is then refused the dashboard too).
    await admin.send("/admin")
    await admin.click(t("admin-find-button"))
    await admin.send(str(EN_ADMIN))
    await admin.click(f"Admin Third · {EN_ADMIN}")
    assert t("admin-ban-button") in admin.buttons()
    async with app.repo() as repo:
        for target in (ADMIN_ID, OTHER_ADMIN):
            assert not (await repo.users.snapshot(target)).banned  # type: ignore[union-attr]
        assert (await repo.audit.page(0, 10))[1] == 0


async def test_a_non_admin_cannot_ban(app: App) -> None:
    await _people(app)
    await person(app, 3002, name="Обычный Житель")
    resident = app.client(3002)
    await resident.click_data(ModCb(action=ModAction.BAN_OK, user_id=RESIDENT).pack(), check=False)
    await resident.click_data(ModCb(action=ModAction.AUDIT).pack(), check=False)
    assert resident.alerts() == [app.t()("common-not-allowed")] * 2
    async with app.repo() as repo:
        assert not (await repo.users.snapshot(RESIDENT)).banned  # type: ignore[union-attr]


async def test_a_banned_admin_is_refused_the_admin_screens(app: App) -> None:
    """The role stays, but their updates are dropped: not even /admin answers."""
    await _people(app)
    async with app.repo() as repo:
        await repo.users.set_banned(EN_ADMIN, datetime.now(UTC))
    assert not await _answered(app, EN_ADMIN, "/admin")


async def test_find_by_name_in_any_case_and_nobody(app: App) -> None:
    await _people(app)
    t = app.t()
    admin = app.client(ADMIN_ID)
    await admin.send("/admin")
    await admin.click(t("admin-find-button"))
    await admin.send("спамер ПЁТР")
    assert f"Спамер Пётр Петрович · {RESIDENT}" in admin.buttons()
    await admin.send("/admin")
    await admin.click(t("admin-find-button"))
    await admin.send("100%_x")
    assert admin.last_text() == t("admin-find-none", query="100%_x")
    await admin.send_sticker()
    assert admin.last_text() == t("admin-find-ask")  # still asking


async def test_the_audit_log_records_admin_actions_a_page_at_a_time(app: App) -> None:
    await _people(app)
    t = app.t()
    admin = app.client(ADMIN_ID)
    for _ in range(5):
        await invite_link(app, "expert")
    token = await invite_link(app, "organiser")
    await person(app, 3003, name="Новый Организатор", phone="+79030000003")
    await app.client(3003).send(f"/start {token}")
    async with app.repo() as repo:
        assert "organiser" in await repo.roles.of(3003)
    await admin.send("/admin")
    await admin.click(t("admin-people-button"))
    await admin.click(next(b for b in admin.buttons() if b.startswith("Новый Организатор")))
    await admin.click(t("admin-regions-button", count=0))
    await admin.click("Алтайский край")
    await admin.click("✅ Алтайский край")  # and away again
    await admin.click(t("common-back-button"))
    await admin.click(t("admin-revoke-button", role=t("role-organiser")))
    await admin.click(t("admin-revoke-yes"))
    await _ban(app, ADMIN_ID, "ru", str(RESIDENT))

    await admin.send("/admin")
    await admin.click(t("admin-audit-button"))
    first = admin.last_text() or ""
    assert first.startswith(t("admin-audit", count=12, page=1, pages=2, lines="")[:20])
    actor = "<b>Админ Главный</b> "
    expected_newest_first = [
        actor + t("audit-ban", target="Спамер Пётр Петрович"),
        actor + t("audit-role-revoked", detail=t("role-organiser"), target="Новый Организатор"),
        actor + t("audit-region-removed", detail="Алтайский край", target="Новый Организатор"),
        actor + t("audit-region-added", detail="Алтайский край", target="Новый Организатор"),
        actor + t("audit-role-granted", detail=t("role-organiser"), target="Новый Организатор"),
        actor + t("audit-invite-created", detail=t("role-organiser")),
    ]
    positions = [first.index(line) for line in expected_newest_first]
    assert positions == sorted(positions)
    assert first.count(t("audit-invite-created", detail=t("role-expert"))) == 4
    await admin.click("▶️")
    second = admin.last_text() or ""
    assert second.count(t("audit-invite-created", detail=t("role-expert"))) == 1
    assert t("admin-audit", count=12, page=2, pages=2, lines="")[:20] in second
    # No phone and no person's id as an actor: the log names people as they are now.
    assert "+7903" not in first + second


async def test_early_drop_is_cached_only_where_safe(app: App) -> None:
    """SQLite (one process owns the file): a banned person's updates after the first are
    dropped before the transaction, leaving no trace. PostgreSQL (several instances): every
    update asks the database, which decides."""
    await _people(app)
    async with app.repo() as repo:
        await repo.users.set_banned(RESIDENT, datetime.now(UTC))
    for _ in range(3):
        assert not await _answered(app, RESIDENT, "/help")
    async with app.repo() as repo:
        claimed = await repo.session.scalar(select(func.count()).select_from(HandledUpdate))
    assert claimed == (3 if harness.ON_SERVERS else 1)


async def test_a_banned_flooder_is_not_even_warned(tmp_path: Path) -> None:
    """Over the flood limit a person is warned once; a banned one gets nothing (on
    PostgreSQL the flood check asks the database before warning; on SQLite the update is
    dropped before the flood check from the second on)."""
    async with running_app(tmp_path / "bot.sqlite3", throttle_rate=1, throttle_cooldown=60) as app:
        await person(app, RESIDENT, name="Спамер Пётр Петрович", phone="+79030000001")
        await person(app, 3004, name="Просто Житель", phone="+79030000004")
        async with app.repo() as repo:
            await repo.users.set_banned(RESIDENT, datetime.now(UTC))
        since = len(app.api.calls)
        for _ in range(4):
            await app.client(RESIDENT).send("/help")
            await app.client(3004).send("/help")
        to = [c.params.get("chat_id") for c in app.api.calls[since:]]
        assert RESIDENT not in to
        warning = app.t()("throttle-warning", seconds=60)
        assert app.client(3004).texts().count(warning) == 1  # the flood check still works
