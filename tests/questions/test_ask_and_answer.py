"""The whole expert Q&A through the production dispatcher: asking (every wrong input), the
experts' notifications in their own languages, Take (first taker wins), the answer with files,
the follow-up, the rating, the FAQ draft published and found; in Russian and English."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from aiogram.fsm.storage.base import StorageKey

from bot.services.roles import Role
from bot.ui.callbacks.questions import ExpertAction, ExpertCb, FaqAction, FaqCb, MineAction, MineCb
from tests.harness import App, BotClient
from tests.questions.helpers import GRANTS, LEGAL, NAME, PHONE, calls_to, expert, person, question

QUESTION = (
    "Как зарегистрировать устав нашего ТОС в администрации района и какие документы"
    " приложить к заявлению?"
)


async def ask(c: BotClient, app: App, text: str = QUESTION, *, named: bool = False) -> None:
    """Ask through every step with no files; anonymous unless `named`; may be published."""
    t = app.t(c.language_code or "ru")
    await c.send("/ask")
    await c.send(text)
    if t("questions-ask-anyway-button") in c.buttons():
        await c.click(t("questions-ask-anyway-button"))
    await c.click("Юридические вопросы" if t.locale == "ru" else "Legal")
    await c.click(t("questions-files-none-button"))
    key = "questions-contacts-yes-button" if named else "questions-contacts-no-button"
    await c.click(t(key))
    await c.click(t("questions-publish-yes-button"))
    await c.click(t("questions-send-button"))


async def test_whole_flow_in_russian(app: App) -> None:
    t = app.t("ru")
    en = app.t("en")
    asker = app.client(5001)
    await person(app, 5001)
    await expert(app, 5101, LEGAL)
    await expert(app, 5102, LEGAL, lang="en")
    await expert(app, 5103, GRANTS)  # another topic: hears nothing

    await asker.send("/ask")
    assert asker.last_text() == t("questions-ask-text", min=10, max=3000)
    await asker.send("Коротко")
    assert asker.last_text() == t("questions-text-too-short", min=10, max=3000, length=7)
    await asker.send("я" * 3500)
    assert asker.last_text() == t("questions-text-too-long", min=10, max=3000, length=3500)
    await asker.send_sticker()
    assert asker.last_text() == t("common-expected-text")
    # 5,000 characters arrive as 4,096 and 904 (Telegram apps split them): both refused.
    key = StorageKey(bot_id=42, chat_id=5001, user_id=5001)
    await app.dp.fsm.storage.update_data(key, {"too_long_at": 0})  # a while after the 3,500
    await asker.send("ж" * 4096)
    assert asker.last_text() == t("questions-text-too-long", min=10, max=3000, length=4096)
    await asker.send("ж" * 904)
    assert asker.last_text() == t("questions-text-split", max=3000)
    # A few seconds later a new text is a question again.
    await app.dp.fsm.storage.update_data(key, {"too_long_at": 0})
    await asker.send(QUESTION)
    assert asker.last_text() == t("questions-ask-topic")  # the FAQ is empty: no suggestions
    await asker.send("юридический")
    assert asker.last_text() == t("common-use-buttons")
    await asker.click("Юридические вопросы")
    assert asker.last_text() == t("questions-ask-files", max=5)
    await asker.send_sticker()
    assert asker.last_text() == t("questions-files-unsupported")
    await asker.send_photo()
    assert asker.last_text() == t("questions-file-added", count=1, max=5)
    await asker.feed(app.updates.document(5001, file_name="устав.pdf"))
    assert asker.last_text() == t("questions-file-added", count=2, max=5)
    await asker.click(t("questions-files-done-button", count=2))
    # Back walks one step: the files are kept.
    await asker.click(t("common-back-button"))
    assert asker.last_text() == t("questions-ask-files", max=5)
    await asker.click(t("questions-files-done-button", count=2))
    await asker.click(t("questions-contacts-no-button"))
    await asker.click(t("questions-publish-yes-button"))
    assert "Файлов: 2" in (asker.last_text() or "")
    await asker.click(t("questions-send-button"))
    assert asker.last_text() == t("questions-sent", number=1)
    q = await question(app, 1)
    assert (q.status, q.topic_id, q.show_contacts, q.may_publish) == ("new", LEGAL, False, True)
    assert len(q.attachments) == 2

    # Each expert of the topic, in their own language, with Take and Skip; not the others.
    ru_expert, en_expert = app.client(5101), app.client(5102, "en")
    assert (ru_expert.last_text() or "").startswith("🆕 <b>Новый вопрос №1</b> · Юридические")
    assert ru_expert.buttons() == [t("questions-take-button"), t("questions-skip-button")]
    assert (en_expert.last_text() or "").startswith("🆕 <b>New question #1</b> · Legal")
    assert en_expert.buttons() == [en("questions-take-button"), en("questions-skip-button")]
    assert app.api.sent_to(5103) == []

    # The English expert takes it; the Russian one, a moment later, is told it is taken.
    await en_expert.click(en("questions-take-button"))
    assert en("questions-taken", number=1) in en_expert.texts()
    assert en("questions-card-anonymous") in (en_expert.last_text() or "")
    await ru_expert.click(t("questions-take-button"))
    assert ru_expert.alerts()[-1] == t("questions-taken-by-other")
    assert ru_expert.buttons() == []  # the stale buttons are gone
    assert (await question(app, 1)).expert_id == 5102

    # The files, then the answer: text, a file, the preview, "good for the FAQ", Send.
    await en_expert.click(en("questions-files-button"))
    sent_files = [c.method for c in app.api.calls if c.params.get("chat_id") == 5102]
    assert sent_files.count("sendPhoto") == 1 and sent_files.count("sendDocument") == 1
    await en_expert.click(en("questions-answer-button"))
    await en_expert.send("Подайте заявление, протокол собрания и два экземпляра устава.")
    await en_expert.feed(app.updates.document(5102, file_name="образец.docx"))
    await en_expert.click(en("questions-answer-preview-button", count=1))
    await en_expert.click("⬜️ " + en("questions-faq-toggle"))
    await en_expert.click("⬜️ " + en("questions-name-toggle"))
    await en_expert.click(en("questions-answer-send-button"))
    assert en_expert.last_text() == en("questions-answer-sent-faq", number=1)
    assert (await question(app, 1)).status == "answered"

    # The asker gets the answer in Russian with the buttons, then the file as a copy.
    answer = next(
        s for s in app.api.sent_to(5001) if "Ответ эксперта на ваш вопрос №1" in (s.raw_text or "")
    )
    assert "два экземпляра устава" in (answer.raw_text or "")
    labels = [b["text"] for row in answer.reply_markup["inline_keyboard"] for b in row]  # type: ignore[index]
    assert labels == [
        t("questions-helpful-button"),
        t("questions-not-helpful-button"),
        t("questions-follow-up-button"),
    ]
    copies = [c for c in app.api.calls if c.method == "copyMessage" and c.params["chat_id"] == 5001]
    assert [c.params["from_chat_id"] for c in copies] == [5102]

    # One follow-up: it goes to the expert who answered.
    await asker.click(t("questions-follow-up-button"))
    await asker.send("А сколько экземпляров протокола нужно?")
    await asker.click(t("questions-send-button"))
    assert asker.last_text() == t("questions-follow-up-sent", number=1)
    assert (await question(app, 1)).status == "taken"
    assert "сколько экземпляров протокола" in (en_expert.last_text() or "")
    await en_expert.click(en("questions-open-button"))
    await en_expert.click(en("questions-answer-button"))
    await en_expert.send("Один экземпляр протокола.")
    await en_expert.click(en("questions-answer-preview-button", count=0))
    await en_expert.click(en("questions-answer-send-button"))
    second = app.api.sent_to(5001)[-1]
    assert "Один экземпляр протокола" in (second.raw_text or "")
    labels = [b["text"] for row in second.reply_markup["inline_keyboard"] for b in row]  # type: ignore[index]
    assert t("questions-follow-up-button") not in labels  # one follow-up only

    # The rating closes it; the expert hears it; a second press changes nothing.
    await asker.click(t("questions-helpful-button"))
    assert asker.last_text() == t("questions-rated-thanks-helpful", number=1)
    q = await question(app, 1)
    assert (q.status, q.rating) == ("closed", "helpful")
    assert en_expert.last_text() == en("questions-rated-helpful", number=1)
    rate = MineCb(action=MineAction.RATE, question_id=1, rating=0).pack()
    await asker.click_data(rate, check=False)
    assert asker.alerts()[-1] == t("questions-rate-gone")
    assert (await question(app, 1)).rating == "helpful"

    await asker.send("/my_questions")
    assert t("questions-status-closed") in (asker.last_text() or "")

    # Anonymous: nothing the experts' chats got names the asker or their phone.
    for chat in (5101, 5102, 5103):
        for params in calls_to(app, chat):
            dump = repr(params)
            assert "Петрова" not in dump and "Мария" not in dump
            assert "9031234567" not in dump, params

    # The FAQ draft: the expert edits and publishes it; the search finds it by other words.
    # (its button is on the first answer's "sent" message, further up the chat)
    await en_expert.click_data(FaqCb(action=FaqAction.EDIT, entry_id=1).pack())
    await en_expert.click(en("faq-publish-button"))
    assert en_expert.alerts()[-1] == en("faq-published")
    await asker.send("/faq регистрация устава")
    assert t("faq-results", query="регистрация устава", count=1) == asker.last_text()
    await asker.click(asker.buttons()[0])
    entry = asker.last_text() or ""
    assert "два экземпляра устава" in entry and "Эксперт Номер 5102" in entry


async def test_flow_in_english_named_question(app: App) -> None:
    en = app.t("en")
    asker = app.client(5201, "en")
    await person(app, 5201, lang="en", name="John Smith", phone="+79161112233")
    await expert(app, 5202, LEGAL, lang="en")
    await ask(
        asker, app, "How do we register the charter of our TOS with the district?", named=True
    )
    assert asker.last_text() == en("questions-sent", number=1)
    ex = app.client(5202, "en")
    # Before Take the expert does not see the name, even though the asker allows it.
    assert "John" not in (ex.last_text() or "")
    await ex.click(en("questions-take-button"))
    card = ex.last_text() or ""
    assert en("questions-card-asker", name="John Smith", phone="+79161112233") in card
    await ex.click(en("questions-release-button"))
    assert ex.alerts()[-1] == en("questions-released", number=1)
    assert (await question(app, 1)).status == "new"
    # Released: the name is hidden again from whoever looks next.
    await ex.send("/questions")
    await ex.click(ex.buttons()[0])
    assert "John" not in (ex.last_text() or "")
    await ex.click(en("questions-take-button"))
    await ex.click(en("questions-answer-button"))
    await ex.send("File it with the municipal administration within a month.")
    await ex.click(en("questions-answer-preview-button", count=0))
    await ex.click(en("questions-answer-send-button"))
    assert "municipal administration" in (asker.last_text() or "")
    await asker.click(en("questions-not-helpful-button"))
    assert asker.last_text() == en("questions-rated-thanks-not_helpful", number=1)
    await asker.send("/my_questions")
    assert en("questions-status-closed") in (asker.last_text() or "")


async def test_suggestions_end_the_dialog_when_they_answer(app: App) -> None:
    t = app.t("ru")
    await person(app, 5301)
    await expert(app, 5302, LEGAL)
    async with app.repo() as repo:
        entry = await repo.faq.add_draft(
            question_id=None,
            topic_id=LEGAL,
            question="Как зарегистрировать устав ТОС?",
            answer="В администрации: заявление, протокол и устав.",
            expert_id=5302,
            show_expert=False,
            now=datetime.now(UTC),
        )
        await repo.faq.publish(entry.id, entry.created_at)
    c = app.client(5301)
    await c.send("/ask")
    await c.send("Нужна помощь: регистрация устава в администрации")
    assert c.last_text() == t("questions-suggestions")
    await c.click("📖 Как зарегистрировать устав ТОС?")
    assert "протокол и устав" in (c.last_text() or "")
    await c.click(t("questions-solved-button"))
    assert c.last_text() == t("questions-solved")
    async with app.repo() as repo:
        assert await repo.questions.count_open(5301) == 0
    assert app.api.sent_to(5302) == []


async def test_forged_buttons_are_refused_and_logged(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    t = app.t("ru")
    await person(app, 5401)
    await person(app, 5402, name="Сидоров Пётр", phone="+79035550000")
    await expert(app, 5403, GRANTS)  # an expert of another topic
    await ask(app.client(5401), app)
    intruder = app.client(5402)
    other_expert = app.client(5403)
    with caplog.at_level(logging.WARNING, logger="bot.security"):
        await intruder.click_data(MineCb(action=MineAction.OPEN, question_id=1).pack(), check=False)
        await intruder.click_data(
            MineCb(action=MineAction.WITHDRAW_YES, question_id=1).pack(), check=False
        )
        await intruder.click_data(
            ExpertCb(action=ExpertAction.TAKE, question_id=1).pack(), check=False
        )
        await other_expert.click_data(
            ExpertCb(action=ExpertAction.OPEN, question_id=1).pack(), check=False
        )
        await other_expert.click_data(
            ExpertCb(action=ExpertAction.TAKE, question_id=1).pack(), check=False
        )
        await other_expert.click_data(
            ExpertCb(action=ExpertAction.ANSWER, question_id=1).pack(), check=False
        )
    # (alerts() lists every pop-up of the run, in order)
    assert intruder.alerts() == [
        t("common-button-outdated"),
        t("common-button-outdated"),
        t("common-not-allowed"),  # not an expert: the role gate
        t("common-not-allowed"),  # another topic's expert may not read it,
        t("common-not-allowed"),  # nor take it,
        t("questions-not-held"),  # nor answer it
    ]
    q = await question(app, 1)
    assert (q.status, q.expert_id) == ("new", None)
    refusals = [r.getMessage() for r in caplog.records if r.name == "bot.security"]
    assert len(refusals) >= 5
    for message in refusals:
        assert "Петрова" not in message and "Сидоров" not in message and PHONE not in message
    # Nothing of the question reached the intruder or the other topic's expert.
    for chat in (5402, 5403):
        assert all("зарегистрировать устав" not in repr(p) for p in calls_to(app, chat))
    assert NAME  # the asker's name exists (and was checked above)


async def test_expert_without_topics_and_non_expert(app: App) -> None:
    t = app.t("ru")
    await person(app, 5501, roles=(Role.EXPERT,))
    c = app.client(5501)
    await c.send("/questions")
    assert c.last_text() == t("questions-expert-no-topics")
    await person(app, 5502)
    r = app.client(5502)
    await r.send("/questions")
    assert r.last_text() == t("common-not-allowed")


async def test_unregistered_cannot_ask(app: App) -> None:
    c = app.client(5601)
    await c.send("/ask")
    assert c.last_text() == app.t("ru")("questions-register-first")
    await c.send("/my_questions")
    assert c.last_text() == app.t("ru")("questions-register-first")
