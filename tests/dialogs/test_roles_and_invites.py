"""Role gates, forged buttons, invite links and the admin's role management."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot.services import invites
from bot.services.roles import Role
from bot.ui.callbacks.admin import AdminAction, AdminCb
from tests.dialogs.test_registration import register, to_step
from tests.harness import ADMIN_ID, App


def commands_of(app: App, chat_id: int) -> list[str]:
    """The command menu last set for one chat."""
    for call in reversed(app.api.calls):
        if (
            call.method == "setMyCommands"
            and call.params.get("scope", {}).get("chat_id") == chat_id
        ):
            return [c["command"] for c in call.params["commands"]]
    return []


async def invite_link(app: App, role: str) -> str:
    admin = app.client(ADMIN_ID)
    t = app.t()
    await admin.send("/admin")
    await admin.click(t("admin-invite-button"))
    await admin.click(t(f"role-{role}"))
    text = admin.last_text() or ""
    link = next(word for word in text.split() if word.startswith("https://t.me/"))
    assert link.startswith("https://t.me/tos_test_bot?start=inv_")
    return link.split("?start=")[1]


async def test_resident_cannot_open_admin(app: App, caplog: pytest.LogCaptureFixture) -> None:
    c = app.client(2001)
    t = app.t()
    await register(c, app)
    with caplog.at_level(logging.WARNING, logger="bot.security"):
        await c.send("/admin")
    assert c.last_text() == t("common-not-allowed")
    assert any("refused" in r.message and "2001" in r.message for r in caplog.records)


async def test_forged_privileged_callback_is_refused(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    victim, attacker = app.client(2002), app.client(2003)
    t = app.t()
    await register(victim, app)
    await register(attacker, app)
    async with app.repo() as repo:
        await repo.roles.grant(2002, Role.ORGANISER.value, datetime.now(UTC))
    forged = AdminCb(action=AdminAction.REVOKE_OK, role="organiser", user_id=2002).pack()
    with caplog.at_level(logging.WARNING, logger="bot.security"):
        await attacker.click_data(forged, check=False)
    assert t("common-not-allowed") in attacker.alerts()
    assert any("refused CallbackQuery by user 2003" in r.message for r in caplog.records)
    async with app.repo() as repo:
        assert "organiser" in await repo.roles.of(2002)
    # A self-made invite is just as useless to them.
    await attacker.click_data(
        AdminCb(action=AdminAction.INVITE_ROLE, role="admin").pack(), check=False
    )
    async with app.repo() as repo:
        assert await repo.invites.count_active(datetime.now(UTC)) == 0
        assert "admin" not in await repo.roles.of(2003)


async def test_unknown_callback_action_is_refused(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    c = app.client(2004)
    t = app.t()
    await register(c, app)
    with caplog.at_level(logging.INFO, logger="bot.security"):
        await c.click_data("ad:selfdestruct:admin:1:0", check=False)
        await c.click_data("zz:whatever", check=False)
        await c.click_data("mn:edit:password", check=False)
    assert t("common-button-outdated") in c.alerts()
    assert sum("unmatched callback" in r.message for r in caplog.records) == 2


async def test_invite_before_registration_grants_after(app: App) -> None:
    payload = await invite_link(app, "organiser")
    c = app.client(2005)
    t = app.t()
    await c.send(f"/start {payload}")
    assert t("invite-register-first") in c.texts()
    await c.click(t("start-register-button"))
    await c.click(t("registration-consent-agree"))
    await c.send("Мария Орлова")
    await c.send("+7 912 345-67-80")
    await c.send("казан")
    await c.send("Республика Татарстан")  # typed in full: one match
    await c.click("Республика Татарстан")
    await c.send("Казань")
    await c.click(t("kind-resident"))
    await c.click(t("registration-confirm-button"))
    assert t("invite-granted", role=t("role-organiser")) in c.texts()
    async with app.repo() as repo:
        assert await repo.roles.of(2005) == {"resident", "organiser"}
    # Reused by someone else: refused.
    other = app.client(2006)
    await register(other, app)
    await other.send(f"/start {payload}")
    assert t("invite-used", role=t("role-organiser")) in other.texts()
    async with app.repo() as repo:
        assert "organiser" not in await repo.roles.of(2006)


async def test_invite_for_registered_person_and_menu(app: App) -> None:
    c = app.client(2007)
    t = app.t()
    await register(c, app)
    assert "admin" not in commands_of(app, 2007)
    payload = await invite_link(app, "admin")
    await c.send(f"/start {payload}")
    assert t("invite-granted", role=t("role-admin")) in c.texts()
    assert "admin" in commands_of(app, 2007)
    await c.send("/admin")
    assert c.last_text() == t("admin-title")


async def test_expired_and_forged_invites(app: App) -> None:
    c = app.client(2008)
    t = app.t()
    await register(c, app)
    async with app.repo() as repo:
        expired, _ = await invites.create(
            repo, Role.EXPERT, ADMIN_ID, datetime.now(UTC) - timedelta(days=5), timedelta(days=1)
        )
    await c.send(f"/start {expired}")
    assert t("invite-expired", role=t("role-expert")) in c.texts()
    await c.send("/start inv_AAAAAAAAAAAAAAAAAAAAAAAA")
    assert c.texts()[-2] == t("invite-unknown", role="")
    await c.send("/start inv_<script>")
    assert c.texts()[-2] == t("invite-unknown", role="")
    async with app.repo() as repo:
        assert await repo.roles.of(2008) == {"resident"}


async def test_admin_lists_and_revokes_with_confirmation(app: App) -> None:
    c = app.client(2009)
    t = app.t()
    await register(c, app)
    payload = await invite_link(app, "expert")
    await c.send(f"/start {payload}")
    admin = app.client(ADMIN_ID)
    await admin.send("/admin")
    await admin.click(t("admin-people-button"))
    assert (admin.last_text() or "").startswith(t("admin-people", count=2, page=1, pages=1))
    person = next(label for label in admin.buttons() if label.startswith("Иванова"))
    await admin.click(person)
    await admin.click(t("admin-revoke-button", role=t("role-expert")))
    assert admin.last_text() == t(
        "admin-revoke-confirm", role=t("role-expert"), name="Иванова Анна-Мария Петровна"
    )
    async with app.repo() as repo:
        assert "expert" in await repo.roles.of(2009)  # nothing happens before confirming
    await admin.click(t("admin-revoke-yes"))
    assert admin.last_text() == t("admin-revoked", role=t("role-expert"))
    async with app.repo() as repo:
        assert await repo.roles.of(2009) == {"resident"}
    # Pressing the same confirmation again changes nothing and says so.
    await admin.click_data(
        AdminCb(action=AdminAction.REVOKE_OK, role="expert", user_id=2009).pack(), check=False
    )
    assert t("admin-role-not-held") in admin.alerts()


async def test_revoked_admin_loses_access_at_once(app: App) -> None:
    c = app.client(2010)
    t = app.t()
    await register(c, app)
    await c.send(f"/start {await invite_link(app, 'admin')}")
    await c.send("/admin")
    assert c.last_text() == t("admin-title")
    async with app.repo() as repo:
        await repo.roles.revoke(2010, "admin")
    await c.click(t("admin-invite-button"))  # the old admin screen is still on their phone
    assert t("common-not-allowed") in c.alerts()


async def test_bootstrap_admin_cannot_be_revoked(app: App) -> None:
    admin = app.client(ADMIN_ID)
    await admin.click_data(
        AdminCb(action=AdminAction.REVOKE_OK, role="admin", user_id=ADMIN_ID).pack(), check=False
    )
    assert app.t()("admin-revoke-protected") in admin.alerts()
    async with app.repo() as repo:
        assert "admin" in await repo.roles.of(ADMIN_ID)


async def test_admin_mid_dialog_invite_wait(app: App) -> None:
    """An unregistered person who opens a valid invite and cancels keeps nothing."""
    payload = await invite_link(app, "organiser")
    c = app.client(2011)
    await c.send(f"/start {payload}")
    await to_step(c, app, "name")
    await c.send("/cancel")
    async with app.repo() as repo:
        assert await repo.roles.of(2011) == set()
        assert await repo.invites.count_active(datetime.now(UTC)) == 1


async def test_group_messages_are_ignored(app: App) -> None:
    update = app.updates.message(2012, "/start")
    update["message"]["chat"] = {"id": -100123, "type": "supergroup", "title": "ТОС Заречье"}
    await app.dp.feed_raw_update(app.bot, update)
    assert app.api.sent_to(-100123) == []


async def test_admin_sets_an_organisers_regions(app: App) -> None:
    c = app.client(2013)
    t = app.t()
    await register(c, app)
    await c.send(f"/start {await invite_link(app, 'organiser')}")
    admin = app.client(ADMIN_ID)
    await admin.send("/admin")
    await admin.click(t("admin-people-button"))
    await admin.click(next(b for b in admin.buttons() if b.startswith("Иванова")))
    await admin.click(t("admin-regions-button", count=0))
    await admin.click("Алтайский край")
    await admin.click("▶️")
    assert "Иркутская область" in admin.buttons()
    await admin.click("Иркутская область")
    await admin.click("✅ Иркутская область")  # untick
    await admin.click("Иркутская область")
    async with app.repo() as repo:
        assert await repo.roles.regions_of(2013) == {"22", "38"}
        assert await repo.roles.organisers_of("38") == [2013]
    # Forged: a region that does not exist, and a person who is not an organiser.
    await admin.click_data(
        AdminCb(action=AdminAction.REGION, user_id=2013, code="999").pack(), check=False
    )
    await admin.click_data(
        AdminCb(action=AdminAction.REGION, user_id=ADMIN_ID, code="16").pack(), check=False
    )
    assert admin.alerts().count(t("common-button-outdated")) == 2
    async with app.repo() as repo:
        assert await repo.roles.regions_of(ADMIN_ID) == set()


async def test_housekeeping_purges_expired_unused_invites(app: App) -> None:
    from bot.jobs import purge_expired_invites

    await invite_link(app, "expert")  # valid, stays
    async with app.repo() as repo:
        await invites.create(
            repo, Role.EXPERT, ADMIN_ID, datetime.now(UTC) - timedelta(days=9), timedelta(days=1)
        )
    assert await purge_expired_invites(app.session_factory) == 1
    assert await purge_expired_invites(app.session_factory) == 0
    async with app.repo() as repo:
        assert await repo.invites.count_active(datetime.now(UTC)) == 1
    assert app.application.scheduler.get_job("purge_expired_invites") is not None
