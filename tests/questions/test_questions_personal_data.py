"""Questions in /my_data, and /delete_me for an asker and for an expert: nothing of theirs is
left in any table (the FAQ's full-text index and the outbox included); published FAQ entries
stay anonymised; an erased expert's question goes back to the queue."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import inspect, text

from bot.services import questions as qs
from tests.harness import App
from tests.questions.helpers import LEGAL, expert, person, question
from tests.questions.test_ask_and_answer import ask

ASKER, EXPERT, OTHER = 8303031, 8303032, 8303033


async def _everything(app: App) -> list[tuple[str, tuple[object, ...]]]:
    """Every row of every table the database has, models or not (SQLite's FTS5 tables too)."""
    rows = []
    async with app.repo() as repo:
        connection = await repo.session.connection()
        names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        for name in names:
            for row in (await repo.session.execute(text(f'SELECT * FROM "{name}"'))).all():
                rows.append((name, tuple(row)))
    return rows


def _sent_file(app: App) -> dict[str, object]:
    """A photo the expert sent the bot (so the asker's copy of it can be made)."""
    message = app.updates.photo(EXPERT)["message"]
    file_id = message["photo"][-1]["file_id"]
    return {
        "type": "photo",
        "file_id": file_id,
        "chat_id": EXPERT,
        "message_id": message["message_id"],
    }


async def _answered_and_published(app: App) -> None:
    await person(app, ASKER, name="Петрова Мария Ивановна", phone="+79031234567")
    await expert(app, EXPERT, LEGAL, name="Кузнецов Олег")
    c = app.client(ASKER)
    await c.send("/ask")
    await c.send("Меня зовут Петрова Мария, телефон 8 903 123-45-67. Как зарегистрировать устав?")
    await c.click("Юридические вопросы")
    await c.send_photo()
    await c.click(app.t()("questions-files-done-button", count=1))
    await c.click(app.t()("questions-contacts-yes-button"))
    await c.click(app.t()("questions-publish-yes-button"))
    await c.click(app.t()("questions-send-button"))
    now = datetime.now(UTC)
    async with app.repo() as repo:
        assert await qs.take(repo, 1, EXPERT, now) is qs.Take.TAKEN
        files = [_sent_file(app)]
        done = await qs.answer(
            repo,
            1,
            EXPERT,
            "Подайте заявление и устав.",
            files,
            now,
            good_for_faq=True,
            show_name=True,
        )
        assert done is not None and done.faq is not None
        # The draft comes anonymised as far as a machine can; the editor checks the rest.
        assert "Петрова" not in done.faq.question and "123-45-67" not in done.faq.question
        await repo.faq.publish(done.faq.id, now)
    await app.application.outbox.drain(wait=True)


async def test_my_data_lists_questions_and_expert_work(app: App) -> None:
    await _answered_and_published(app)
    for uid, key in ((ASKER, "questions_asked"), (EXPERT, "answers_written")):
        c = app.client(uid)
        await c.send("/my_data")
        document = app.api.sent_to(uid)[-1].call.message["document"]  # type: ignore[index]
        data = json.loads(app.api.files[document["file_id"]].content)["expert_questions"]
        assert data[key], data
    asked = data_of = json.loads(
        app.api.files[
            app.api.sent_to(ASKER)[-1].call.message["document"]["file_id"]  # type: ignore[index]
        ].content
    )["expert_questions"]["questions_asked"][0]
    assert asked["number"] == 1 and "устав" in asked["text"]
    assert asked["expert_may_see_name_and_phone"] is True
    assert asked["thread"][0]["text"] == "Подайте заявление и устав."
    assert data_of


async def test_asker_erased_leaves_nothing(app: App) -> None:
    await _answered_and_published(app)
    c = app.client(ASKER)
    await c.send("/delete_me")
    await c.click(app.t()("personal-data-erase-yes"))
    needles = (str(ASKER), "Петрова", "9031234567", "123-45-67")
    for table, row in await _everything(app):
        for value in row:
            assert not any(n in str(value) for n in needles), (table, row)
    async with app.repo() as repo:
        assert await repo.questions.get(1) is None
        entry = await repo.faq.get(1)
        # The published, anonymised entry stays, cut loose from the question.
        assert entry is not None and entry.status == "published" and entry.question_id is None
    # The forum topic would go too (no group here): see test_experts_group.


async def test_expert_erased_gives_the_question_back(app: App) -> None:
    await person(app, ASKER)
    await expert(app, EXPERT, LEGAL, name="Кузнецов Олег")
    await expert(app, OTHER, LEGAL)
    await _answered_and_published_again(app)
    e = app.client(EXPERT)
    await e.send("/delete_me")
    await e.click(app.t()("personal-data-erase-yes"))
    assert (await question(app, 2)).status == "new"  # was taken by the erased expert
    for table, row in await _everything(app):
        for value in row:
            assert str(EXPERT) not in str(value) and "Кузнецов" not in str(value), (table, row)
    async with app.repo() as repo:
        entry = await repo.faq.get(1)
        assert entry is not None and entry.expert_id is None and not entry.show_expert
        # The asker keeps the answer they got.
        assert [m.text for m in await repo.questions.messages(1)] == ["Ответ."]


async def _answered_and_published_again(app: App) -> None:
    c = app.client(ASKER)
    await ask(c, app, "Первый вопрос: как зарегистрировать устав ТОС?")
    await ask(c, app, "Второй вопрос: как провести собрание жителей?")
    now = datetime.now(UTC)
    async with app.repo() as repo:
        assert await qs.take(repo, 1, EXPERT, now) is qs.Take.TAKEN
        files = [_sent_file(app)]
        done = await qs.answer(
            repo, 1, EXPERT, "Ответ.", files, now, good_for_faq=True, show_name=True
        )
        assert done is not None and done.faq is not None
        await repo.faq.publish(done.faq.id, now)
        assert await qs.take(repo, 2, EXPERT, now) is qs.Take.TAKEN
    await app.application.outbox.drain(wait=True)
