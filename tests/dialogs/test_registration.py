"""The registration dialog, step by step, through the production dispatcher."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import func, select

import bot.ui.replies
import bot.ui.wizard
from db.models import User, UserRole
from handlers.registration import Registration
from tests.harness import App, BotClient, running_app

TATARSTAN = {"ru": "Республика Татарстан", "en": "Republic of Tatarstan"}


async def to_step(c: BotClient, app: App, step: str) -> None:
    """Walk a new person up to (and including the question of) `step`."""
    t = app.t("en" if c.language_code == "en" else "ru")
    await c.send("/start")
    await c.click(t("start-register-button"))
    if step == "consent":
        return
    await c.click(t("registration-consent-agree"))
    if step == "name":
        return
    await c.send("Иванова Анна-Мария Петровна")
    if step == "phone":
        return
    await c.share_contact("79123456789")
    if step == "region":
        return
    await c.send("татарстан")
    await c.click(TATARSTAN[t.locale])
    if step == "municipality":
        return
    await c.send("г. Казань")
    if step == "kind":
        return
    await c.click(t("kind-resident"))
    assert step == "confirm"


async def register(c: BotClient, app: App) -> None:
    await to_step(c, app, "confirm")
    await c.click(app.t(c.language_code or "ru")("registration-confirm-button"))


async def state_of(app: App, user_id: int) -> str | None:
    return await app.dp.fsm.storage.get_state(
        StorageKey(bot_id=42, chat_id=user_id, user_id=user_id)
    )


async def test_full_registration_as_chair(app: App) -> None:
    c = app.client(1001)
    t = app.t()
    await to_step(c, app, "kind")
    await c.click(t("kind-tos_chair"))
    summary = c.last_text() or ""
    for part in (
        "Иванова Анна-Мария Петровна",
        "+7 912 345-67-89",
        "Республика Татарстан",
        "г. Казань",
    ):
        assert part in summary
    await c.click(t("registration-confirm-button"))
    # "Done" under the summary it confirms, the summary's buttons gone.
    done = t("registration-done", name="Иванова Анна-Мария Петровна")
    assert summary + "\n\n" + done in c.texts()
    async with app.repo() as repo:
        user = await repo.users.get(1001)
        assert user is not None
        assert (user.full_name, user.phone, user.region_code, user.municipality, user.kind) == (
            "Иванова Анна-Мария Петровна",
            "+79123456789",
            "16",
            "г. Казань",
            "tos_chair",
        )
        assert user.consent_at is not None
        assert user.consent_version == app.settings.privacy_policy_version
        assert user.registered_at is not None
        assert await repo.roles.of(1001) == {"resident", "chair"}
    assert await state_of(app, 1001) is None


async def test_consent_text_names_operator(app: App) -> None:
    c = app.client(1003)
    await to_step(c, app, "consent")
    text = c.last_text() or ""
    assert "АНО «Ресурсный центр ТОС»" in text and "tos@example.org" in text
    assert app.settings.privacy_policy_version in text


async def test_declining_consent_stores_nothing(app: App) -> None:
    c = app.client(1004)
    t = app.t()
    await to_step(c, app, "consent")
    await c.click(t("registration-consent-decline"))
    assert t("registration-consent-declined") in (c.last_text() or "")
    async with app.repo() as repo:
        assert await repo.users.get(1004) is None
    assert await state_of(app, 1004) is None


async def test_double_confirm_makes_one_user(app: App) -> None:
    c = app.client(1002)
    t = app.t()
    await to_step(c, app, "confirm")
    confirm = c.button_data(t("registration-confirm-button"))
    await c.click_data(confirm)
    await c.click_data(confirm, check=False)
    async with app.repo() as repo:
        users = await repo.session.scalar(
            select(func.count()).select_from(User).where(User.id == 1002)
        )
        roles = await repo.session.scalar(
            select(func.count()).select_from(UserRole).where(UserRole.user_id == 1002)
        )
    assert (users, roles) == (1, 1)
    assert t("common-button-outdated") in c.alerts()


async def test_wrong_inputs_at_every_step_keep_the_step(app: App) -> None:
    c = app.client(1005)
    t = app.t()
    await to_step(c, app, "consent")
    await c.send("да")
    assert c.last_text() == t("registration-consent-use-buttons")
    await c.send_sticker()
    assert c.last_text() == t("registration-consent-use-buttons")
    assert await state_of(app, 1005) == Registration.consent.state

    await c.click(t("registration-consent-agree"))
    bad_names = {
        "x" * 5000: "validation-name-too-long",
        "   ": "validation-name-empty",
        "😀😀😀": "validation-name-letters",
        "Иван 123": "validation-name-letters",
        "Я": "validation-name-too-short",
        "<b>Иван</b>": "validation-name-letters",
    }
    for text, key in bad_names.items():
        await c.send(text)
        assert c.last_text() == t(key), text
    await c.send_sticker()
    assert c.last_text() == t("common-expected-text")
    await c.send_photo()
    assert c.last_text() == t("common-expected-text")
    assert await state_of(app, 1005) == Registration.full_name.state

    await c.send("Анна Петрова")
    for text in ("12345", "+1 000", "телефон", "9" * 5000):
        await c.send(text)
        assert c.last_text() == t("validation-phone-invalid"), text[:20]
    await c.share_contact("79991234567", own=False, contact_user_id=777)
    assert c.last_text() == t("registration-phone-not-own")
    await c.send_sticker()
    assert c.last_text() == t("common-expected-text")
    assert await state_of(app, 1005) == Registration.phone.state

    await c.send("8 (912) 345-67-89")
    await c.send("Атлантида")
    assert c.last_text() == t("registration-region-not-found")
    await c.send("я" * 5000)
    assert c.last_text() == t("registration-region-not-found")
    await c.click_data("rg:k:0:999", check=False)
    assert t("registration-region-unknown") in c.alerts()
    await c.send_sticker()
    assert c.last_text() == t("common-expected-text")
    assert await state_of(app, 1005) == Registration.region.state

    await c.send("самарская")
    await c.click("Самарская область")
    for text, key in {
        "1": "validation-municipality-too-short",
        "12345": "validation-municipality-letters",
        "г" * 5000: "validation-municipality-too-long",
    }.items():
        await c.send(text)
        assert c.last_text() == t(key), text[:20]
    assert await state_of(app, 1005) == Registration.municipality.state

    await c.send("с. Ивановка")
    await c.send("житель")
    assert c.last_text() == t("common-use-buttons")
    await c.click_data("rg1:kind:mayor", check=False)
    assert t("common-button-outdated") in c.alerts()
    assert await state_of(app, 1005) == Registration.kind.state

    await c.click(t("kind-tos_member"))
    await c.send("да")
    assert c.last_text() == t("common-use-buttons")
    await c.click(t("registration-confirm-button"))
    async with app.repo() as repo:
        user = await repo.users.get(1005)
        assert user is not None and user.phone == "+79123456789" and user.region_code == "63"


async def test_back_walks_to_previous_steps(app: App) -> None:
    c = app.client(1006)
    t = app.t()
    await to_step(c, app, "kind")
    await c.click(t("common-back-button"))
    assert await state_of(app, 1006) == Registration.municipality.state
    await c.click(t("common-back-button"))
    assert await state_of(app, 1006) == Registration.region.state
    await c.click(t("common-back-button"))
    assert await state_of(app, 1006) == Registration.phone.state
    # The phone step has a reply keyboard: Back arrives as text.
    await c.send(t("common-back-button"))
    assert await state_of(app, 1006) == Registration.full_name.state
    await c.click(t("common-back-button"))
    assert await state_of(app, 1006) == Registration.consent.state
    # Answers given so far are kept when going back and forth.
    await c.click(t("registration-consent-agree"))
    await c.send("Олег Петров")
    await c.send("+7 912 000-00-01")
    await c.send("москва")
    await c.click("Москва")
    await c.send("Москва")
    await c.click(t("kind-resident"))
    await c.click(t("registration-confirm-button"))
    async with app.repo() as repo:
        user = await repo.users.get(1006)
        assert user is not None and user.full_name == "Олег Петров" and user.region_code == "77"


async def test_cancel_leaves_any_step(app: App) -> None:
    t = app.t()
    for uid, step in enumerate(
        ("consent", "name", "phone", "region", "municipality", "kind", "confirm"), 1100
    ):
        c = app.client(uid)
        await to_step(c, app, step)
        await c.send("/cancel")
        assert c.last_text() == t("common-cancelled"), step
        assert await state_of(app, uid) is None
    c = app.client(1200)
    await to_step(c, app, "phone")
    await c.send(t("common-cancel-button"))  # the reply-keyboard button
    assert c.last_text() == t("common-cancelled")
    assert app.api.reply_buttons(1200) == []  # the contact keyboard is gone
    c = app.client(1201)
    await to_step(c, app, "name")
    await c.click(t("common-cancel-button"))
    assert c.last_text() == t("common-cancelled")
    await c.send("/cancel")
    assert c.last_text() == t("common-nothing-to-cancel")
    async with app.repo() as repo:
        for uid in (1200, 1201):
            user = await repo.users.get(uid)
            assert user is None or user.registered_at is None


async def test_language_switch_mid_dialog(app: App) -> None:
    c = app.client(1007)
    ru, en = app.t("ru"), app.t("en")
    await to_step(c, app, "phone")
    await c.send("/language")
    await c.click("🇬🇧 English")
    # The same question again, now in English, and the dialog goes on from there.
    assert c.last_text() == en("registration-ask-phone", step=2, total=5)
    await c.send("+7 912 345-67-89")
    await c.send("tatar")
    await c.click("Republic of Tatarstan")
    await c.send("Kazan")
    await c.click(en("kind-resident"))
    await c.click(en("registration-confirm-button"))
    done = {
        lang: t("registration-done", name="Иванова Анна-Мария Петровна")
        for lang, t in (("en", en), ("ru", ru))
    }
    assert any(x.endswith(done["en"]) for x in c.texts())
    assert not any(done["ru"] in x for x in c.texts())
    async with app.repo() as repo:
        user = await repo.users.get(1007)
        assert user is not None and user.language == "en" and user.registered_at is not None


async def test_english_telegram_gets_english(app: App) -> None:
    c = app.client(1008, language_code="en")
    await c.send("/start")
    assert c.last_text() == app.t("en")("start-greeting")
    await register(c, app)
    async with app.repo() as repo:
        user = await repo.users.get(1008)
        assert user is not None and user.language == "en"


async def test_edit_from_summary(app: App) -> None:
    c = app.client(1009)
    t = app.t()
    await to_step(c, app, "confirm")
    await c.click(t("profile-edit-phone"))
    assert await state_of(app, 1009) == Registration.phone.state
    await c.send("+7 999 111-22-33")
    assert await state_of(app, 1009) == Registration.confirm.state
    assert "+7 999 111-22-33" in (c.last_text() or "")
    await c.click(t("profile-edit-full_name"))
    await c.click(t("common-back-button"))  # back from an edit returns to the summary
    assert await state_of(app, 1009) == Registration.confirm.state
    await c.click(t("registration-confirm-button"))
    async with app.repo() as repo:
        user = await repo.users.get(1009)
        assert user is not None and user.phone == "+79991112233"
        assert user.full_name == "Иванова Анна-Мария Петровна"


async def test_restart_mid_dialog_continues(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "bot.sqlite3"
    async with running_app(db) as first:
        c = first.client(1010)
        await to_step(c, first, "municipality")
    async with running_app(db) as second:
        c = second.client(1010)
        t = second.t()
        await c.send("/start")
        assert c.last_text() == t("registration-ask-municipality", step=4, total=5)
        await c.send("г. Казань")
        await c.click(t("kind-resident"))
        assert "Иванова Анна-Мария Петровна" in (c.last_text() or "")
        await c.click(t("registration-confirm-button"))
        async with second.repo() as repo:
            user = await repo.users.get(1010)
            assert user is not None and user.registered_at is not None and user.region_code == "16"
        assert second.api.violations == []


async def test_registered_person_cannot_register_again(app: App) -> None:
    c = app.client(1011)
    t = app.t()
    await register(c, app)
    # The greeting's old "Register" button, pressed after registering.
    await c.click_data("rg1:start:", check=False)
    assert t("registration-already") in c.alerts()
    await c.send("/start")
    assert c.last_text() == t("menu-title")


async def test_each_choice_replaces_its_question(app: App) -> None:
    """A button's answer: the next question takes the pressed message's place under the
    choice (one edit instead of a note and a new message); the consent's text stays."""
    c = app.client(1015)
    t = app.t()
    await to_step(c, app, "consent")
    consent = c.last_text() or ""
    sent = len(app.api.calls)
    await c.click(t("registration-consent-agree"))
    calls = [x.method for x in app.api.calls[sent:]]
    assert calls == ["editMessageText", "answerCallbackQuery"]
    ask_name = t("registration-ask-name", step=1, total=5)
    assert c.last_text() == f"{consent}\n\n{t('registration-consent-given')}\n\n{ask_name}"
    await to_step(app.client(1016), app, "confirm")
    sent = len(app.api.calls)
    await app.client(1016).click(t("registration-confirm-button"))
    calls = [x.method for x in app.api.calls[sent:]]
    # "Done" under the summary, the menu, the button answered: three calls where four were.
    assert calls == ["editMessageText", "sendMessage", "answerCallbackQuery"]


async def test_the_longest_consent_still_holds_the_name_question(tmp_path: Path) -> None:
    """Operator name and contacts at their longest (1,000 characters each, Fluent's limit
    for a placeable): consent, note and question still fit in one message."""
    longest = {"operator_name": "О" * 1000, "operator_contacts": "к" * 1000}
    async with running_app(tmp_path / "bot.sqlite3", **longest) as app:
        c = app.client(1017)
        t = app.t()
        await to_step(c, app, "consent")
        consent = c.last_text() or ""
        await c.click(t("registration-consent-agree"))
        ask_name = t("registration-ask-name", step=1, total=5)
        assert c.last_text() == f"{consent}\n\n{t('registration-consent-given')}\n\n{ask_name}"
        assert app.api.violations == []


async def test_no_room_under_the_pressed_message(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without room for the question under the choice (a message holds 4,096 characters,
    lowered here), the note goes on the pressed message and the question comes on its own;
    without room for the note either, the note comes as a message too."""
    c = app.client(1018)
    t = app.t()
    await to_step(c, app, "consent")
    consent = c.last_text() or ""
    given = t("registration-consent-given")
    ask_name = t("registration-ask-name", step=1, total=5)
    limit = len(consent) + len(given) + 2  # the note fits, the question does not
    monkeypatch.setattr(bot.ui.replies, "MESSAGE_LIMIT", limit)
    monkeypatch.setattr(bot.ui.wizard, "MESSAGE_LIMIT", limit)
    sent = len(app.api.calls)
    await c.click(t("registration-consent-agree"))
    assert c.texts()[-2:] == [f"{consent}\n\n{given}", ask_name]
    # The consent is not repeated: its note is an edit, the question the one new message.
    calls = [x.method for x in app.api.calls[sent:]]
    assert calls == ["editMessageText", "sendMessage", "answerCallbackQuery"]
    assert await state_of(app, 1018) == Registration.full_name.state
    await c.send("Иванова Анна-Мария Петровна")
    await c.share_contact("79123456789")
    await c.send("татарстан")
    matches = c.last_text() or ""
    monkeypatch.setattr(bot.ui.replies, "MESSAGE_LIMIT", len(matches))
    monkeypatch.setattr(bot.ui.wizard, "MESSAGE_LIMIT", len(matches))
    await c.click(TATARSTAN["ru"])
    chosen = t("registration-region-chosen", region=TATARSTAN["ru"])
    assert c.texts()[-2:] == [chosen, t("registration-ask-municipality", step=4, total=5)]
    assert c.buttons() == [t("common-back-button"), t("common-cancel-button")]
    assert await state_of(app, 1018) == Registration.municipality.state
