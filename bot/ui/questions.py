"""What every text about a question shows: its number, topic, an excerpt and the count of its
files (never the asker's name or phone)."""

from __future__ import annotations

from typing import Any

from aiogram import html

from bot.i18n import Text
from bot.services import questions as qs
from db.models import Question, QuestionTopic

EXCERPT = 1500  # of a question in a notification (the card after Take has it all)


def question_args(t: Text, question: Question, topic: QuestionTopic | None) -> dict[str, Any]:
    """The arguments every question text has (never the asker's name or phone)."""
    text = question.text if len(question.text) <= EXCERPT else question.text[:EXCERPT] + "…"
    return {
        "number": question.id,
        "topic": html.quote(qs.topic_label(topic, t.locale)),
        "text": html.quote(text),
        "files": len(question.attachments),
    }
