"""Admins change topics and experts' topics; FAQ entries are edited and unpublished; the
dialogs' edges: Back through every step, /cancel, a command mid-dialog, a double Send, help and
command menus per role."""

from __future__ import annotations

from bot.services.roles import Role
from bot.ui.callbacks.questions import AskAction, AskCb
from tests.dialogs.test_roles_and_invites import commands_of
from tests.harness import ADMIN_ID, App
from tests.questions.helpers import LEGAL, expert, person, question
from tests.questions.test_ask_and_answer import QUESTION, ask


async def test_admin_adds_renames_hides_topics_and_ticks_experts(app: App) -> None:
    t = app.t("ru")
    admin = app.client(ADMIN_ID)
    await person(app, 9001, roles=(Role.EXPERT,), name="Смирнова Ольга")
    await admin.send("/admin")
    await admin.click(t("qadmin-topics-button"))
    await admin.click(t("qadmin-add-topic-button"))
    await admin.send("Я")
    assert admin.last_text() == t("qadmin-topic-name-invalid", max=40)
    await admin.send("Земельные вопросы")
    await admin.click(t("common-back-button"))  # back to the Russian name
    await admin.send("Земля и имущество")
    await admin.send("Land and property")
    assert t("qadmin-topic-saved") in admin.texts()
    await admin.click("Земля и имущество / Land and property")
    await admin.click(t("qadmin-rename-button"))
    await admin.send("Земля")
    await admin.send("Land")
    await admin.click("Юридические вопросы / Legal")
    await admin.click(t("qadmin-hide-button"))
    async with app.repo() as repo:
        visible = [topic.name_ru for topic in await repo.questions.topics()]
    assert "Земля" in visible and "Юридические вопросы" not in visible
    # The expert's topics, ticked like an organiser's regions.
    await admin.send("/admin")
    await admin.click(t("qadmin-experts-button"))
    await admin.click("Смирнова Ольга · 0")
    await admin.click("Земля")
    await admin.click("Юридические вопросы")
    await admin.click("✅ Юридические вопросы")  # and off again
    async with app.repo() as repo:
        land = next(x for x in await repo.questions.topics() if x.name_ru == "Земля")
        assert await repo.questions.topics_of(9001) == {land.id}
    # Residents see the new topic and not the hidden one.
    await person(app, 9002)
    c = app.client(9002)
    await c.send("/ask")
    await c.send(QUESTION)
    assert "Земля" in c.buttons() and "Юридические вопросы" not in c.buttons()
    await c.click("Земля")
    await c.click(t("questions-files-none-button"))
    await c.click(t("questions-contacts-no-button"))
    await c.click(t("questions-publish-no-button"))
    await c.click(t("questions-send-button"))
    assert (app.client(9001).last_text() or "").startswith("🆕 <b>Новый вопрос №1</b> · Земля")


async def test_admin_edits_and_unpublishes_an_entry(app: App) -> None:
    t = app.t("ru")
    await person(app, 9101)
    await expert(app, 9102, LEGAL)
    await ask(app.client(9101), app)
    ex = app.client(9102)
    await ex.click(t("questions-take-button"))
    await ex.click(t("questions-answer-button"))
    await ex.send("Заявление, протокол, устав.")
    await ex.click(t("questions-answer-preview-button", count=0))
    await ex.click("⬜️ " + t("questions-faq-toggle"))
    await ex.click(t("questions-answer-send-button"))
    admin = app.client(ADMIN_ID)
    await admin.send("/admin")
    await admin.click(t("faq-drafts-button"))
    await admin.click(admin.buttons()[0])
    await admin.click(t("faq-edit-question-button"))
    await admin.send("Коротко")
    assert admin.last_text() == t("faq-text-too-short", min=10, max=3000, length=7)
    await admin.send("Как зарегистрировать устав ТОС?")
    assert t("faq-saved") in admin.texts()
    await admin.click(t("faq-publish-button"))
    await admin.send("/faq")
    await admin.click("Юридические вопросы (1)")
    await admin.click("Как зарегистрировать устав ТОС?")
    assert "Заявление, протокол, устав." in (admin.last_text() or "")
    assert "Эксперт" not in (admin.last_text() or "")  # the expert did not ask to be named
    await admin.click(t("faq-unpublish-button"))
    await admin.click(t("faq-unpublish-yes"))
    async with app.repo() as repo:
        assert (await repo.faq.get(1)).status == "unpublished"  # type: ignore[union-attr]
    # Residents neither see it nor find it.
    c = app.client(9101)
    await c.send("/faq устав")
    assert c.last_text() == t("faq-no-results", query="устав", count=0)


async def test_back_cancel_commands_and_double_send(app: App) -> None:
    en = app.t("en")
    await person(app, 9201, lang="en")
    c = app.client(9201, "en")
    await c.send("/ask")
    await c.send(QUESTION)
    await c.click("Legal")
    await c.click(en("questions-files-none-button"))
    await c.click(en("questions-contacts-no-button"))
    await c.click(en("questions-publish-no-button"))
    # Back, step by step, to the text.
    for expected in (
        en("questions-ask-publish"),
        en("questions-ask-contacts"),
        en("questions-ask-files", max=5),
        en("questions-ask-topic"),
        en("questions-ask-text", min=10, max=3000),
    ):
        await c.click(en("common-back-button"))
        assert c.last_text() == expected
    # A command mid-dialog is a command, and it closes the dialog.
    await c.send("/my_questions")
    assert c.last_text() == en("questions-mine-empty")
    await c.send("/cancel")
    assert c.last_text() == en("common-nothing-to-cancel")
    await c.send(QUESTION)  # outside a dialog now: no ready answer, the way to an expert
    assert c.last_text() == en("faq-suggest-ask")
    # A double press on Send asks once.
    await c.send("/ask")
    await c.send(QUESTION)
    await c.click("Legal")
    await c.click(en("questions-files-none-button"))
    await c.click(en("questions-contacts-no-button"))
    await c.click(en("questions-publish-no-button"))
    send = AskCb(action=AskAction.SEND).pack()
    await c.click_data(send)
    await c.click_data(send, check=False)
    async with app.repo() as repo:
        assert await repo.questions.count_open(9201) == 1
    assert c.alerts()[-1] == en("common-button-outdated")
    assert (await question(app, 1)).status == "new"


async def test_help_and_command_menus(app: App) -> None:
    t = app.t("ru")
    await person(app, 9301)
    await expert(app, 9302, LEGAL)
    await app.client(9301).send("/help")
    assert "/ask" in (app.client(9301).last_text() or "")
    assert "/questions" not in (app.client(9301).last_text() or "")
    await app.client(9302).send("/help")
    assert "/questions" in (app.client(9302).last_text() or "")
    from bot.commands import refresh_commands

    async with app.repo() as repo:
        await refresh_commands(app.bot, repo, app.translator, 9302)
    assert {"ask", "my_questions", "faq", "questions"} <= set(commands_of(app, 9302))
    await app.client(9301).send("/start")
    assert t("menu-ask") in app.client(9301).buttons()
    assert t("menu-questions") not in app.client(9301).buttons()


async def test_one_search_per_prompt(app: App) -> None:
    """After a search, later text is not taken for a query (an event's code word...)."""
    t = app.t("ru")
    await person(app, 9401)
    c = app.client(9401)
    await c.send("/faq")
    assert c.last_text() == t("faq-empty", count=0)
    await c.send("регистрация устава")
    assert c.last_text() == t("faq-no-results", query="регистрация устава", count=0)
    await c.send("ЛЕТО2026")
    assert c.last_text() == t("fallback-not-understood")
    await c.click(t("faq-search-again-button"))
    assert c.last_text() == t("faq-search-prompt")
    await c.send("границы территории")
    assert c.last_text() == t("faq-no-results", query="границы территории", count=0)
