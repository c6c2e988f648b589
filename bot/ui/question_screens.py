"""How questions to the experts look: to the expert, the queue of their topics and a
question's card; to the asker, their questions and a question's card. Both cards show the
thread. Pure: handlers/expert.py and handlers/questions.py read what they show."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram import html
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Text
from bot.services import questions as qs
from bot.services.regions import zone_of
from bot.ui.callbacks.questions import ExpertAction, ExpertCb, MineAction, MineCb
from bot.ui.keyboards import arrows, button
from db.models import Question, QuestionMessage, QuestionTopic, User

PAGE = 5
EXPERT_BUDGET = 3400  # characters of a card's texts (a message holds 4,096)
ASKER_BUDGET = 3600
Screen = tuple[str, InlineKeyboardMarkup]


def expert_button(
    text: str, action: ExpertAction, question_id: int = 0, page: int = 0
) -> InlineKeyboardButton:
    return button(text[:64], ExpertCb(action=action, question_id=question_id, page=page))


def mine_button(
    text: str, action: MineAction, question_id: int = 0, **kw: int
) -> InlineKeyboardButton:
    return button(text[:64], MineCb(action=action, question_id=question_id, **kw))


def when_text(moment: datetime | None, region_code: str | None) -> str:
    """A moment in the reader's region's zone ("—" when there is none)."""
    if moment is None:
        return "—"
    return f"{moment.astimezone(ZoneInfo(zone_of(region_code))):%d.%m.%Y %H:%M}"


def _waited(t: Text, since: datetime, now: datetime) -> str:
    hours = int((now - since).total_seconds() // 3600)
    return (
        t("questions-waited-days", days=hours // 24)
        if hours >= 48
        else t("questions-waited-hours", hours=hours)
    )


@dataclass(frozen=True, slots=True)
class Queue:
    """A page of an expert's queue: the questions they hold and the waiting ones."""

    topics: Mapping[int, QuestionTopic]
    mine: set[int]  # the expert's topics (none: an admin sees every topic)
    held: Sequence[Question]
    waiting: Sequence[Question]
    total: int  # waiting, on every page
    page: int
    pages: int


def queue_screen(t: Text, queue: Queue, now: datetime) -> Screen:
    def topic(question: Question) -> str:
        return qs.topic_label(queue.topics.get(question.topic_id), t.locale)

    page = queue.page
    builder = InlineKeyboardBuilder()
    for question in queue.held:
        label = f"✍️ #{question.id} · {topic(question)}"
        builder.row(expert_button(label, ExpertAction.OPEN, question.id, page))
    for question in queue.waiting:
        label = f"#{question.id} · {topic(question)} · {_waited(t, question.waiting_since, now)}"
        builder.row(expert_button(label, ExpertAction.OPEN, question.id, page))
    to = lambda p: ExpertCb(action=ExpertAction.QUEUE, page=p)  # noqa: E731
    builder.row(*arrows(page, queue.pages, to))
    names = (
        ", ".join(
            html.quote(qs.topic_label(queue.topics.get(i), t.locale)) for i in sorted(queue.mine)
        )
        if queue.mine
        else t("questions-all-topics")
    )
    text = t(
        "questions-queue",
        topics=names,
        held=len(queue.held),
        waiting=queue.total,
        page=page + 1,
        pages=queue.pages,
    )
    return text, builder.as_markup()


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _parts(
    t: Text,
    key: str,
    question: Question,
    topic: QuestionTopic | None,
    thread: Sequence[QuestionMessage],
    budget: int,
    region_code: str | None,
    **extra: str,
) -> list[str]:
    """A card's texts: the question under `key`, the answers, follow-ups and notes under it
    (each cut to `budget`), and its rating if any."""
    head = t(
        key,
        number=question.id,
        topic=html.quote(qs.topic_label(topic, t.locale)),
        status=t(f"questions-status-{question.status}"),
        date=when_text(question.created_at, region_code),
        text=html.quote(clip(question.text, budget)),
        files=len(question.attachments),
        **extra,
    )
    replies = [
        t(
            f"questions-card-{message.kind.replace('_', '-')}",
            date=when_text(message.created_at, region_code),
            text=html.quote(clip(message.text, budget)),
            files=len(message.attachments),
        )
        for message in thread
    ]
    rated = [t(f"questions-card-rated-{question.rating}")] if question.rating else []
    return [head, *replies, *rated]


def card_screen(
    t: Text,
    question: Question,
    topic: QuestionTopic | None,
    thread: Sequence[QuestionMessage],
    asker: User | None,
    reader: qs.Access,
    region_code: str | None,
    page: int,
) -> Screen:
    """The expert's view: the question, the asker only if allowed (`asker` is None
    otherwise), the thread, the actions."""
    budget = EXPERT_BUDGET // (1 + len(thread))
    if qs.sees_contacts(question, reader):
        who = t(
            "questions-card-asker",
            name=html.quote((asker.full_name if asker else None) or "—"),
            phone=html.quote((asker.phone if asker else None) or "—"),
        )
    elif question.show_contacts:
        who = t("questions-card-asker-after-take")
    else:
        who = t("questions-card-anonymous")
    parts = _parts(
        t, "questions-expert-card", question, topic, thread, budget, region_code, who=who
    )
    rows: list[list[InlineKeyboardButton]] = []
    qid = question.id
    if question.status == "new" and reader is qs.Access.CANDIDATE:
        rows.append([expert_button(t("questions-take-button"), ExpertAction.TAKE, qid, page)])
    if question.status == "taken" and reader is qs.Access.EXPERT:
        rows.append(
            [
                expert_button(t("questions-answer-button"), ExpertAction.ANSWER, qid, page),
                expert_button(t("questions-release-button"), ExpertAction.RELEASE, qid, page),
            ]
        )
    if question.attachments or any(m.attachments for m in thread):
        rows.append([expert_button(t("questions-files-button"), ExpertAction.FILES, qid, page)])
    back = expert_button(t("questions-back-to-queue-button"), ExpertAction.QUEUE, page=page)
    rows.append([back])
    return "\n\n".join(parts)[:4000], InlineKeyboardMarkup(inline_keyboard=rows)


def mine_screen(
    t: Text,
    questions: Sequence[Question],
    topics: Mapping[int, QuestionTopic],
    total: int,
    page: int,
    pages: int,
) -> Screen:
    """/my_questions: a page of one's questions with their states."""
    builder = InlineKeyboardBuilder()
    lines = []
    for question in questions:
        topic = qs.topic_label(topics.get(question.topic_id), t.locale)
        status = t(f"questions-status-{question.status}")
        lines.append(
            t(
                "questions-mine-line",
                number=question.id,
                topic=html.quote(topic),
                status=status,
                date=f"{question.created_at:%d.%m.%Y}",
            )
        )
        label = f"#{question.id} · {status}"
        builder.row(mine_button(label, MineAction.OPEN, question.id, page=page))
    if pager := arrows(page, pages, lambda n: MineCb(action=MineAction.LIST, page=n)):
        builder.row(*pager)
    if not total:
        return t("questions-mine-empty"), builder.as_markup()
    text = t("questions-mine", count=total, page=page + 1, pages=pages, lines="\n".join(lines))
    return text, builder.as_markup()


def asker_card_screen(
    t: Text,
    question: Question,
    topic: QuestionTopic | None,
    thread: Sequence[QuestionMessage],
    region_code: str | None,
    page: int,
) -> Screen:
    """The asker's view of their question: state, text, the thread; what they can do now."""
    budget = ASKER_BUDGET // (1 + len(thread))
    parts = _parts(t, "questions-card", question, topic, thread, budget, region_code)
    clipped = any(len(text) > budget for text in (question.text, *(m.text for m in thread)))
    rows: list[list[InlineKeyboardButton]] = []
    qid = question.id
    if question.status == "answered" and question.rating is None:
        rows.append(
            [
                mine_button(
                    t("questions-helpful-button"), MineAction.RATE, qid, rating=1, page=page
                ),
                mine_button(
                    t("questions-not-helpful-button"), MineAction.RATE, qid, rating=0, page=page
                ),
            ]
        )
        if not question.follow_up_used:
            rows.append([mine_button(t("questions-follow-up-button"), MineAction.FOLLOW_UP, qid)])
    if question.status in ("new", "taken"):
        withdraw = mine_button(t("questions-withdraw-button"), MineAction.WITHDRAW, qid, page=page)
        rows.append([withdraw])
    has_files = bool(question.attachments) or any(m.attachments for m in thread)
    if clipped or has_files:
        rows.append([mine_button(t("questions-full-button"), MineAction.FULL, qid, page=page)])
    rows.append([mine_button(t("questions-back-to-mine-button"), MineAction.LIST, page=page)])
    return "\n\n".join(parts)[:4000], InlineKeyboardMarkup(inline_keyboard=rows)
