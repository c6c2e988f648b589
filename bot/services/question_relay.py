"""What the expert Q&A relays through Telegram itself rather than the outbox: the posts in the
experts' forum group (a topic per question, the asker's follow-ups, posts that failed tried
again) and a question's or an answer's files copied to a reader's chat by file id."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram import Bot, html
from aiogram.exceptions import TelegramAPIError
from aiogram.types import Message

from bot.config import Settings
from bot.i18n import Translator
from bot.services import questions as qs
from bot.ui.questions import question_args
from db.models import Question
from db.repositories import Repo

log = logging.getLogger(__name__)
FORUM_RETRY_WINDOW = timedelta(days=2)
FORUM_RETRY_AFTER = timedelta(minutes=1)  # younger ones are still being posted by the update


async def post_to_forum(
    bot: Bot, repo: Repo, translator: Translator, settings: Settings, question_id: int
) -> bool:
    """A forum topic "#<number> · <topic>" in the experts' group with the question (never
    the asker's name or phone: the group is every expert) and its files; each post is noted,
    so a reply to any of them is about this question. False if Telegram refused."""
    chat_id = settings.experts_group_id
    question = await repo.questions.get(question_id)
    if chat_id is None or question is None or question.forum_thread_id is not None:
        return False
    t = translator.for_locale(translator.default_locale)
    topic = await repo.questions.topic(question.topic_id)
    name = f"#{question.id} · {qs.topic_label(topic, t.locale)}"[:128]
    text = t("questions-forum-post", **question_args(t, question, topic))
    files = list(question.attachments)
    await repo.release()  # no transaction waits on Telegram
    now = datetime.now(UTC)
    try:
        created = await bot.create_forum_topic(chat_id, name)
        thread = created.message_thread_id
        await repo.questions.set_forum(question.id, chat_id, thread)
        await repo.release()
        posted = [await bot.send_message(chat_id, text, message_thread_id=thread)]
        for attachment in files:
            posted.append(await _send_file(bot, chat_id, thread, attachment))
    except TelegramAPIError as exc:
        log.warning("question %s not posted to the experts' group: %s", question_id, exc)
        return False
    for message in posted:
        await repo.questions.add_post(chat_id, message.message_id, question.id, now)
    return True


async def post_follow_up(
    bot: Bot, repo: Repo, translator: Translator, question: Question, text: str
) -> None:
    """The asker's follow-up in the question's forum topic too, if it has one."""
    if question.forum_chat_id is None or question.forum_thread_id is None:
        return
    t = translator.for_locale(translator.default_locale)
    chat_id, thread = question.forum_chat_id, question.forum_thread_id
    body = t("questions-forum-follow-up", number=question.id, text=html.quote(text))
    await repo.release()
    try:
        message = await bot.send_message(chat_id, body, message_thread_id=thread)
    except TelegramAPIError as exc:
        log.warning("follow-up of question %s not posted to the group: %s", question.id, exc)
        return
    await repo.questions.add_post(chat_id, message.message_id, question.id, datetime.now(UTC))


async def _send_file(bot: Bot, chat_id: int, thread: int, attachment: dict[str, Any]) -> Message:
    if attachment.get("type") == "photo":
        return await bot.send_photo(chat_id, attachment["file_id"], message_thread_id=thread)
    return await bot.send_document(chat_id, attachment["file_id"], message_thread_id=thread)


async def send_files(bot: Bot, chat_id: int, attachments: list[dict[str, Any]]) -> None:
    """A question's or an answer's files, to the reader's own chat (by file id)."""
    for attachment in attachments:
        if attachment.get("type") == "photo":
            await bot.send_photo(chat_id, attachment["file_id"])
        else:
            await bot.send_document(chat_id, attachment["file_id"])


async def retry_forum_posts(
    bot: Bot, repo: Repo, translator: Translator, settings: Settings, now: datetime
) -> int:
    """Questions whose forum topic could not be made (Telegram was down, the bot lacked the
    right): tried again, for two days. The number posted now."""
    if settings.experts_group_id is None:
        return 0
    posted = 0
    waiting = [
        q.id
        for q in await repo.questions.unposted(now - FORUM_RETRY_WINDOW)
        if q.created_at <= now - FORUM_RETRY_AFTER
    ]
    for question_id in waiting:
        posted += await post_to_forum(bot, repo, translator, settings, question_id)
    return posted
