"""The outbox renderer of question messages (to experts, askers and admins, in the reader's
language, dropped when the question has moved on). The posts in the experts' forum group are
in bot/services/question_relay.py, the periodic jobs in bot/jobs.py."""

from __future__ import annotations

from datetime import datetime

from aiogram import html
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Text, Translator
from bot.outbox_sender import Rendered
from bot.ui.callbacks.questions import ExpertAction, ExpertCb, MineAction, MineCb
from bot.ui.keyboards import button
from bot.ui.questions import question_args
from db.models import OutboxMessage, Question, User
from db.repositories import Repo


def actions(t: Text, question: Question, wanted: list[str]) -> InlineKeyboardMarkup | None:
    """Buttons under a question message; only those that still apply."""
    rows: list[list[InlineKeyboardButton]] = []
    qid = question.id
    if "take" in wanted and question.status == "new":
        rows.append(
            [
                button(
                    t("questions-take-button"), ExpertCb(action=ExpertAction.TAKE, question_id=qid)
                ),
                button(
                    t("questions-skip-button"), ExpertCb(action=ExpertAction.SKIP, question_id=qid)
                ),
            ]
        )
    if "open" in wanted:
        open_ = ExpertCb(action=ExpertAction.OPEN, question_id=qid)
        rows.append([button(t("questions-open-button"), open_)])
    if "rate" in wanted and question.status == "answered" and question.rating is None:
        rows.append(
            [
                button(t("questions-helpful-button"), _rate(qid, 1)),
                button(t("questions-not-helpful-button"), _rate(qid, 0)),
            ]
        )
    if "follow_up" in wanted and question.status == "answered" and not question.follow_up_used:
        follow_up = MineCb(action=MineAction.FOLLOW_UP, question_id=qid)
        rows.append([button(t("questions-follow-up-button"), follow_up)])
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def _rate(question_id: int, rating: int) -> MineCb:
    return MineCb(action=MineAction.RATE, question_id=question_id, rating=rating)


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
