"""The experts' forum group through the fake Bot API: a topic per question (createForumTopic,
named with its number and topic), the question posted there without the asker's name, experts
answering by writing in the topic, the bot relaying to the asker; refusals in the group."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.jobs import retry_forum_posts
from tests.fake_telegram.core import FakeBotAPI, TelegramError
from tests.harness import App, running_app
from tests.questions.helpers import GRANTS, LEGAL, expert, person, question
from tests.questions.test_ask_and_answer import ask

GROUP = -1001234567890


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    async with running_app(tmp_path / "bot.sqlite3", experts_group_id=GROUP) as running:
        yield running
    assert running.api.violations == []


def group_calls(app: App, method: str | None = None) -> list[dict[str, object]]:
    return [
        c.params
        for c in app.api.calls
        if c.params.get("chat_id") == GROUP and (method is None or c.method == method)
    ]


async def test_topic_per_question_and_relayed_answer(app: App) -> None:
    t = app.t("ru")
    await person(app, 7001)
    await expert(app, 7002, LEGAL)
    await expert(app, 7003, LEGAL)
    await expert(app, 7004, GRANTS)
    asker = app.client(7001)
    await asker.send("/ask")
    await asker.send("Как зарегистрировать устав ТОС в районной администрации?")
    await asker.click("Юридические вопросы")
    await asker.send_photo()
    await asker.click(t("questions-files-done-button", count=1))
    await asker.click(t("questions-contacts-yes-button"))  # named: still not in the group
    await asker.click(t("questions-publish-no-button"))
    await asker.click(t("questions-send-button"))

    [created] = group_calls(app, "createForumTopic")
    assert created["name"] == "#1 · Юридические вопросы"
    q = await question(app, 1)
    assert q.forum_chat_id == GROUP and q.forum_thread_id is not None
    thread = q.forum_thread_id
    posts = [c for c in app.api.calls if c.params.get("chat_id") == GROUP and c.ok]
    assert [c.method for c in posts] == ["createForumTopic", "sendMessage", "sendPhoto"]
    assert all(c.params.get("message_thread_id") == thread for c in posts[1:])
    assert "районной администрации" in str(posts[1].params["text"])
    for params in group_calls(app):
        assert "Петрова" not in repr(params) and "9031234567" not in repr(params)

    # Someone without the topic writes in it: refused there, nothing reaches the asker.
    before = len(app.api.sent_to(7001))
    await asker.feed(app.updates.group_text(GROUP, 7004, "Я бы посоветовал...", thread_id=thread))
    assert app.api.last_text(GROUP) == t("questions-group-not-expert")
    assert len(app.api.sent_to(7001)) == before
    # General chatter outside question topics is left alone.
    calls = len(app.api.calls)
    await asker.feed(app.updates.group_text(GROUP, 7002, "Коллеги, всем привет"))
    assert len(app.api.calls) == calls

    # The first expert writing in the topic takes it and the answer goes to the asker.
    await asker.feed(
        app.updates.group_text(GROUP, 7002, "Подайте заявление и протокол.", thread_id=thread)
    )
    assert app.api.last_text(GROUP) == t("questions-group-relayed", number=1)
    q = await question(app, 1)
    assert (q.status, q.expert_id) == ("answered", 7002)
    assert "Подайте заявление и протокол." in (asker.last_text() or "")
    assert t("questions-helpful-button") in asker.buttons()
    # A second expert, too late.
    await asker.feed(app.updates.group_text(GROUP, 7003, "И ещё устав.", thread_id=thread))
    assert app.api.last_text(GROUP) == t("questions-group-taken-by-other")
    assert "И ещё устав" not in (asker.last_text() or "")
    # The answering expert adds a photo, replying to the bot's post: relayed as a copy.
    post_id = int(posts[1].message["message_id"])  # type: ignore[index]
    await asker.feed(app.updates.group_photo(GROUP, 7002, "Образец заявления", reply_to=post_id))
    assert app.api.last_text(GROUP) == t("questions-group-relayed-addition", number=1)
    copies = [c for c in app.api.calls if c.method == "copyMessage" and c.params["chat_id"] == 7001]
    assert [c.params["from_chat_id"] for c in copies] == [GROUP]
    assert app.api.sent_to(7001)[-1].text == "Образец заявления"

    # The asker's follow-up is posted in the topic; the expert answers it there.
    await asker.click(t("questions-follow-up-button"))
    await asker.send("А протокол нужен в двух экземплярах?")
    await asker.click(t("questions-send-button"))
    assert "в двух экземплярах" in str(app.api.last_text(GROUP))
    await asker.feed(app.updates.group_text(GROUP, 7002, "Достаточно одного.", thread_id=thread))
    assert "Достаточно одного." in (asker.last_text() or "")
    assert (await question(app, 1)).status == "answered"


async def test_a_failed_topic_is_retried(app: App) -> None:
    await person(app, 7101)
    app.api.fail_next("createForumTopic", 400, "Bad Request: not enough rights to create a topic")
    await ask(app.client(7101), app)
    assert app.client(7101).last_text() == app.t("ru")("questions-sent", number=1)
    assert (await question(app, 1)).forum_thread_id is None
    # A minute later the job tries again.
    async with app.repo() as repo:
        q = await repo.questions.get(1)
        assert q is not None
        q.created_at -= timedelta(minutes=2)
    posted = await retry_forum_posts(app.bot, app.session_factory, app.translator, app.settings)
    assert posted == 1 and (await question(app, 1)).forum_thread_id is not None
    assert await retry_forum_posts(app.bot, app.session_factory, app.translator, app.settings) == 0


def test_fake_forum_topics_follow_telegram() -> None:
    api = FakeBotAPI()
    with pytest.raises(TelegramError, match="not a forum"):
        api.handle("createForumTopic", {"chat_id": -500, "name": "x"})
    topic = api.handle("createForumTopic", {"chat_id": GROUP, "name": "#1 · Тема"})
    sent = api.handle(
        "sendMessage",
        {"chat_id": GROUP, "text": "hi", "message_thread_id": topic["message_thread_id"]},
    )
    assert sent["message_thread_id"] == topic["message_thread_id"] and sent["is_topic_message"]
    with pytest.raises(TelegramError, match="thread not found"):
        api.handle("sendMessage", {"chat_id": GROUP, "text": "hi", "message_thread_id": 999})
    with pytest.raises(TelegramError):
        api.handle("createForumTopic", {"chat_id": GROUP, "name": "x" * 129})
    assert api.violations == ["createForumTopic: name: must be 1-128 characters, got 129"]


async def test_erased_asker_loses_the_forum_topic_too(app: App) -> None:
    await person(app, 7201)
    c = app.client(7201)
    await ask(c, app)
    thread = (await question(app, 1)).forum_thread_id
    assert (GROUP, thread) in app.api.forum_topics
    await c.send("/delete_me")
    await c.click(app.t()("personal-data-erase-yes"))
    assert group_calls(app, "deleteForumTopic") == [{"chat_id": GROUP, "message_thread_id": thread}]
    assert (GROUP, thread) not in app.api.forum_topics
