"""The experts' forum group (EXPERTS_GROUP_ID): every new question has a topic there; an expert
of the question's topic answers by writing in that topic (or replying to one of its posts), and
the bot relays the answer to the asker. The first expert to write takes the question (the same
atomic Take as the button); the question's posts are found by the stored thread and message
ids, never by forwarded-from data. The bot must be an admin of the group with the right to
manage topics (admins also receive every message there).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from aiogram import F, Router
from aiogram.types import Message

from bot.config import Settings
from bot.services import questions as qs
from bot.services.roles import Role
from bot.ui.attachments import attachment_of
from bot.ui.context import Ctx
from db.models import Question
from db.repositories import Repo

log = logging.getLogger("bot.security")


async def _question(repo: Repo, message: Message) -> Question | None:
    chat_id = message.chat.id
    if message.is_topic_message and message.message_thread_id is not None:
        found = await repo.questions.by_thread(chat_id, message.message_thread_id)
        if found is not None:
            return found
    if message.reply_to_message is not None:
        question_id = await repo.questions.by_post(chat_id, message.reply_to_message.message_id)
        if question_id is not None:
            return await repo.questions.get(question_id)
    return None


async def group_message(message: Message, ctx: Ctx) -> None:
    """A message in the experts' group: relayed if it answers a question its author may
    answer; otherwise a short reply says why not (chatter outside question topics is left
    alone)."""
    repo, translator, author = ctx.repo, ctx.translator, message.from_user
    if author is None or author.is_bot or (message.text and message.text.startswith("/")):
        return
    question = await _question(repo, message)
    if question is None:
        return
    t = translator.for_locale(translator.default_locale)
    roles = await repo.roles.of(author.id)
    if Role.EXPERT.value not in roles or question.topic_id not in await repo.questions.topics_of(
        author.id
    ):
        log.warning(
            "group reply to question %s by user %s refused: not its expert", question.id, author.id
        )
        await message.reply(t("questions-group-not-expert"))
        return
    text = (message.text or message.caption or "").strip()
    found = attachment_of(message)
    files = [found] if found else []
    if not text and not files:
        await message.reply(t("questions-group-unsupported"))
        return
    if len(text) > qs.ANSWER_MAX:
        await message.reply(t("questions-answer-too-long", max=qs.ANSWER_MAX, length=len(text)))
        return
    now = datetime.now(UTC)
    if question.status == "new":
        outcome = await qs.take(repo, question.id, author.id, now)
        if outcome is not qs.Take.TAKEN:
            await message.reply(t("questions-group-taken-by-other"))
            return
        question = await repo.questions.get(question.id) or question
    if question.status == "taken" and question.expert_id == author.id:
        done = await qs.answer(repo, question.id, author.id, text, files, now)
        if done is None:
            await message.reply(t("questions-group-closed"))
            return
        reply = t("questions-group-relayed", number=question.id)
    elif question.status == "answered" and question.expert_id == author.id:
        await qs.add_to_answer(repo, question, author.id, text, files, now)
        reply = t("questions-group-relayed-addition", number=question.id)
    elif question.status in ("taken", "answered"):  # another expert's
        await message.reply(t("questions-group-taken-by-other"))
        return
    else:
        await message.reply(t("questions-group-closed"))
        return
    await repo.questions.add_post(message.chat.id, message.message_id, question.id, now)
    await message.reply(reply)


def router(settings: Settings) -> Router:
    r = Router(name=__name__)
    group = settings.experts_group_id
    if group is not None:  # no group configured: the router takes nothing
        r.message.filter(F.chat.id == group)
        r.message.register(group_message)
    return r
