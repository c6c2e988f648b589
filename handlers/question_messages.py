"""What the expert Q&A sends on its own: the outbox renderer of question messages (to experts,
askers and admins, in the reader's language, dropped when the question has moved on), the
posts in the experts' forum group, and the periodic jobs (nudges, posts that failed)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram import Bot, html
from aiogram.exceptions import TelegramAPIError
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.i18n import Text, Translator
from bot.outbox_sender import Rendered
from bot.services import questions as qs
from bot.ui.callbacks.questions import ExpertAction, ExpertCb, MineAction, MineCb
from db.models import OutboxMessage, Question, QuestionTopic, User
from db.repositories import Repo
from db.session_hooks import commit

log = logging.getLogger(__name__)
EXCERPT = 1500  # of a question in a notification (the card after Take has it all)
FORUM_RETRY_WINDOW = timedelta(days=2)
FORUM_RETRY_AFTER = timedelta(minutes=1)  # younger ones are still being posted by the update


def question_args(t: Text, question: Question, topic: QuestionTopic | None) -> dict[str, Any]:
    """The arguments every question text has (never the asker's name or phone)."""
    text = question.text if len(question.text) <= EXCERPT else question.text[:EXCERPT] + "…"
    return {
        "number": question.id,
        "topic": html.quote(qs.topic_label(topic, t.locale)),
        "text": html.quote(text),
        "files": len(question.attachments),
    }


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data)


def actions(t: Text, question: Question, wanted: list[str]) -> InlineKeyboardMarkup | None:
    """Buttons under a question message; only those that still apply."""
    rows: list[list[InlineKeyboardButton]] = []
    qid = question.id
    if "take" in wanted and question.status == "new":
        rows.append(
            [
                _button(
                    t("questions-take-button"),
                    ExpertCb(action=ExpertAction.TAKE, question_id=qid).pack(),
                ),
                _button(
                    t("questions-skip-button"),
                    ExpertCb(action=ExpertAction.SKIP, question_id=qid).pack(),
                ),
            ]
        )
    if "open" in wanted:
        rows.append(
            [
                _button(
                    t("questions-open-button"),
                    ExpertCb(action=ExpertAction.OPEN, question_id=qid).pack(),
                )
            ]
        )
    if "rate" in wanted and question.status == "answered" and question.rating is None:
        rows.append(
            [
                _button(
                    t("questions-helpful-button"),
                    MineCb(action=MineAction.RATE, question_id=qid, rating=1).pack(),
                ),
                _button(
                    t("questions-not-helpful-button"),
                    MineCb(action=MineAction.RATE, question_id=qid, rating=0).pack(),
                ),
            ]
        )
    if "follow_up" in wanted and question.status == "answered" and not question.follow_up_used:
        rows.append(
            [
                _button(
                    t("questions-follow-up-button"),
                    MineCb(action=MineAction.FOLLOW_UP, question_id=qid).pack(),
                )
            ]
        )
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


async def render_question(
    repo: Repo, translator: Translator, row: OutboxMessage, person: User, _now: datetime
) -> Rendered | None:
    """A message about a question, as of now: dropped if the question is gone or has moved
    past what the message is about (a "new question" that someone took meanwhile)."""
    payload = row.payload
    question = await repo.questions.get(int(payload["question_id"]))
    if question is None:
        return None
    needs = payload.get("needs")
    if needs is not None and question.status not in needs:
        return None
    t = translator.for_locale(person.language)
    args = question_args(t, question, await repo.questions.topic(question.topic_id))
    if "hours" in payload:
        args["hours"] = int(payload["hours"])
    if "message_id" in payload:
        thread = {m.id: m for m in await repo.questions.messages(question.id)}
        message = thread.get(int(payload["message_id"]))
        if message is None:
            return None
        args["reply"] = html.quote(message.text)
        args["reply_files"] = len(message.attachments)
    return Rendered(
        text=t(str(payload["key"]), **args),
        markup=actions(t, question, list(payload.get("actions", []))),
    )


# ---- the experts' forum group ------------------------------------------------------------


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


# ---- periodic jobs -----------------------------------------------------------------------


async def nudge_questions(
    session_factory: async_sessionmaker[AsyncSession],
    settings: Settings,
    now: datetime | None = None,
) -> int:
    """Questions waiting too long: their experts, later the admins (once each)."""
    async with session_factory() as session:
        experts, admins = await qs.nudge(
            Repo(session),
            now or datetime.now(UTC),
            timedelta(hours=settings.question_nudge_experts_hours),
            timedelta(hours=settings.question_nudge_admins_hours),
        )
        await commit(session)  # the outbox wakes after this
    return experts + admins


async def retry_forum_posts(
    bot: Bot,
    session_factory: async_sessionmaker[AsyncSession],
    translator: Translator,
    settings: Settings,
) -> int:
    """Questions whose forum topic could not be made (Telegram was down, the bot lacked the
    right): tried again, for two days."""
    if settings.experts_group_id is None:
        return 0
    now = datetime.now(UTC)
    posted = 0
    async with session_factory() as session:
        repo = Repo(session)
        waiting = [
            q.id
            for q in await repo.questions.unposted(now - FORUM_RETRY_WINDOW)
            if q.created_at <= now - FORUM_RETRY_AFTER
        ]
        for question_id in waiting:
            posted += await post_to_forum(bot, repo, translator, settings, question_id)
        await commit(session)
    return posted
