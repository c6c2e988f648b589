"""A menu command typed inside any dialog runs, and leaves the dialog (issue 16, item 11):
dialogs that /start continues keep their answers, the TOS wizard keeps its saved project."""

from __future__ import annotations

from bot.commands import all_commands
from bot.middlewares.commands import IN_PLACE
from handlers.questions import Asking
from handlers.registration import Registration
from tests.dialogs.test_registration import register, state_of, to_step
from tests.harness import ADMIN_ID, App

REGION = "Республика Татарстан"


async def test_events_inside_the_tos_wizard(app: App) -> None:
    c = app.client(17001)
    t = app.t()
    await register(c, app)
    await c.send("/create_tos")
    await c.click(t("tos-begin-button"))
    await c.click(t("tos-territory-building"))
    assert (await state_of(app, 17001) or "").startswith("TosWizard")
    await c.send("/events")
    assert (c.last_text() or "").startswith("<b>📅")  # the events list, not "use the buttons"
    assert t("common-use-buttons") not in c.texts()
    assert await state_of(app, 17001) is None
    await c.send("/create_tos")  # the project was saved step by step: it resumes
    assert c.last_text() == t("tos-resume-prompt", step=2, total=8)


async def test_ask_after_find_tos_found_nothing(app: App) -> None:
    c = app.client(17002)
    t = app.t()
    await register(c, app)
    await c.send("/find_tos")
    assert c.last_text() == t("tos-find-none", region=REGION)
    await c.send("/ask")
    assert c.last_text() == t("questions-ask-text", min=10, max=3000)
    assert await state_of(app, 17002) == Asking.typing.state


async def test_registration_is_parked_and_continues_with_its_answers(app: App) -> None:
    c = app.client(17003)
    t = app.t()
    await to_step(c, app, "municipality")
    await c.send("/faq")
    assert t("common-dialog-parked") in c.texts()
    assert t("validation-municipality-letters") not in c.texts()
    assert await state_of(app, 17003) == "Faq:searching"  # /faq's own dialog now
    await c.send("как создать тос")  # another dialog's answers do not touch the parked one
    await c.send("/start")
    assert c.last_text() == t("registration-ask-municipality", step=4, total=5)
    await c.send("г. Казань")
    await c.click(t("kind-resident"))
    await c.click(t("registration-confirm-button"))
    async with app.repo() as repo:
        user = await repo.users.get(17003)
        assert user is not None and user.registered_at is not None
        assert (user.full_name, user.phone) == ("Иванова Анна-Мария Петровна", "+79123456789")
    assert await state_of(app, 17003) is None


async def test_every_menu_command_leaves_any_dialog(app: App) -> None:
    """From the TOS search (a step that takes any text), each command of the admin's menu
    is the command: the search does not answer it, and the search is over."""
    c = app.client(ADMIN_ID)
    t = app.t()
    await register(c, app)
    commands = sorted(all_commands() - IN_PLACE)
    assert len(commands) == 19
    for command in commands:
        await c.send("/find_tos")
        assert await state_of(app, ADMIN_ID) == "TosFind:browsing"
        before = len(c.texts())
        await c.send(f"/{command}")
        replies = c.texts()[before:]
        assert replies, command
        if command != "find_tos":  # that one is the search again, as asked
            assert t("tos-find-none", region=REGION) not in replies, command
            assert await state_of(app, ADMIN_ID) != "TosFind:browsing", command
    await c.send("/cancel")


async def test_help_and_language_keep_the_dialog(app: App) -> None:
    c = app.client(17004)
    await to_step(c, app, "name")
    await c.send("/help")
    assert await state_of(app, 17004) == Registration.full_name.state
