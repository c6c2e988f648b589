"""Expert questions: asking (limits, flood), taking (first taker wins), releasing, answering,
the one follow-up, rating, withdrawing, who may read what, the nudges, and the FAQ drafts made
from good answers. No Telegram types here; messages to other people are outbox rows whose
payload the renderer in bot/ui/outbox/questions.py turns into text at send time.

Keys of those rows start with `q:<question>:`, so erasing a question (its asker asked to be
forgotten) removes every message about it, sent or not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from bot.services import outbox
from bot.services.outbox import Outgoing
from bot.services.roles import Role
from bot.services.validation import InvalidInput, without_controls
from db.models import FaqEntry, Question, QuestionMessage, QuestionTopic, User
from db.repositories import Repo
from db.search_terms import Query
from db.search_terms import query as search_query

TEXT_MIN, TEXT_MAX = 10, 3000
ANSWER_MIN, ANSWER_MAX = 2, 3000
FAQ_MAX = 3000
MAX_ATTACHMENTS = 5
STATUSES = ("new", "taken", "answered", "closed")
RATINGS = ("helpful", "not_helpful")
TOPIC_NAME_MAX = 40
FLOOD_WINDOW = timedelta(hours=24)
# Outbox kinds: not mutable in /settings (an expert's work; an asker's answer is a NOTICE).
EXPERT_QUESTION = "expert_question"
QUESTION_NUDGE = "question_nudge"
_SPACES = re.compile(r"[ \t]+")


def prefix(question_id: int) -> str:
    return f"q:{question_id}:"


# ---- input -------------------------------------------------------------------------------


def _clean(raw: str | None) -> str:
    value = without_controls(raw)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in value.strip().splitlines())


_QUESTION_WORDS = frozenset(
    {
        *("как", "что", "где", "когда", "почему", "зачем", "можно", "нужно", "надо"),
        *("сколько", "кто", "какой", "какая", "какое", "какие", "куда", "откуда", "чем"),
        *("кому", "каким", "ли", "подскажите", "скажите"),
        *("how", "what", "where", "when", "why", "can", "could", "do", "does", "is", "are"),
        *("who", "which", "should"),
    }
)


def looks_like_question(text: str) -> bool:
    """Ends with a question mark, or begins with a question word ("Как создать ТОС")."""
    words = text.strip().lower().split()
    return bool(words) and (text.rstrip().endswith("?") or words[0].strip(",.!") in _QUESTION_WORDS)


def question_text(raw: str | None) -> str:
    """10-3,000 characters, not a command."""
    value = _clean(raw)
    if value.startswith("/"):
        raise InvalidInput("validation-command-in-answer")
    if len(value) < TEXT_MIN:
        raise InvalidInput("questions-text-too-short")
    if len(value) > TEXT_MAX:
        raise InvalidInput("questions-text-too-long")
    return value


def answer_text(raw: str | None) -> str:
    value = _clean(raw)
    if value.startswith("/"):
        raise InvalidInput("validation-command-in-answer")
    if len(value) < ANSWER_MIN:
        raise InvalidInput("questions-answer-too-short")
    if len(value) > ANSWER_MAX:
        raise InvalidInput("questions-answer-too-long")
    return value


def faq_text(raw: str | None) -> str:
    value = _clean(raw)
    if value.startswith("/"):
        raise InvalidInput("validation-command-in-answer")
    if len(value) < TEXT_MIN:
        raise InvalidInput("faq-text-too-short")
    if len(value) > FAQ_MAX:
        raise InvalidInput("faq-text-too-long")
    return value


def topic_name(raw: str | None) -> str:
    value = _clean(raw).replace("\n", " ")
    if value.startswith("/"):
        raise InvalidInput("validation-command-in-answer")
    if not 2 <= len(value) <= TOPIC_NAME_MAX:
        raise InvalidInput("qadmin-topic-name-invalid")
    return value


def topic_label(topic: QuestionTopic | None, locale: str) -> str:
    if topic is None:
        return "—"
    return topic.name_en if locale == "en" else topic.name_ru


# ---- asking ------------------------------------------------------------------------------


class Refusal(StrEnum):
    OPEN_LIMIT = "open-limit"  # too many open questions
    FLOOD = "flood"  # too many questions in 24 hours
    TOPIC = "topic"  # the topic is gone or hidden
    NOT_REGISTERED = "not-registered"


@dataclass(frozen=True, slots=True)
class Limits:
    open_limit: int
    per_day: int


@dataclass(frozen=True, slots=True)
class Blocked:
    reason: Refusal
    count: int = 0
    limit: int = 0
    until: datetime | None = None  # when the next question is possible (flood)


async def blocked(repo: Repo, user_id: int, limits: Limits, now: datetime) -> Blocked | None:
    """Why the person may not ask now, or None."""
    open_count = await repo.questions.count_open(user_id)
    if open_count >= limits.open_limit:
        return Blocked(Refusal.OPEN_LIMIT, open_count, limits.open_limit)
    recent = await repo.questions.asked_since(user_id, now - FLOOD_WINDOW)
    if len(recent) >= limits.per_day:
        until = recent[len(recent) - limits.per_day] + FLOOD_WINDOW
        return Blocked(Refusal.FLOOD, len(recent), limits.per_day, until)
    return None


@dataclass(frozen=True, slots=True)
class Draft:
    """What the asker gave; ids and plain values only (it lives in the dialog state)."""

    topic_id: int
    text: str
    attachments: list[dict[str, Any]]
    show_contacts: bool
    may_publish: bool


async def ask(
    repo: Repo, user_id: int, draft: Draft, limits: Limits, now: datetime
) -> Question | Blocked:
    """Store the question and tell the topic's experts; the limits are checked again here (a
    second device may have asked meanwhile)."""
    person = await repo.users.snapshot(user_id)
    if person is None or not person.registered:
        return Blocked(Refusal.NOT_REGISTERED)
    refusal = await blocked(repo, user_id, limits, now)
    if refusal is not None:
        return refusal
    topic = await repo.questions.topic(draft.topic_id)
    if topic is None or topic.hidden:
        return Blocked(Refusal.TOPIC)
    question = await repo.questions.add(
        asker_id=user_id,
        topic_id=topic.id,
        text=draft.text,
        attachments=draft.attachments[:MAX_ATTACHMENTS],
        show_contacts=draft.show_contacts,
        may_publish=draft.may_publish,
        status="new",
        created_at=now,
        waiting_since=now,
        follow_up_used=False,
    )
    await _tell_experts(repo, question, now, "new", exclude={user_id})
    return question


def _payload(
    key: str,
    question_id: int,
    *,
    needs: Sequence[str] | None = None,
    buttons: list[list[dict[str, str]]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A message about a question, rendered at send time by bot/ui/outbox/questions.py
    (the topic in the reader's language; dropped if the question has moved past `needs`)."""
    payload: dict[str, Any] = {"type": "question", "key": key, "question_id": question_id}
    if needs is not None:
        payload["needs"] = list(needs)
    if buttons:
        payload["buttons"] = buttons
    payload.update(extra)
    return payload


async def _tell_experts(
    repo: Repo, question: Question, now: datetime, why: str, exclude: set[int] | None = None
) -> int:
    """New (or released) question → every expert of its topic, with Take and Skip."""
    experts = [
        e for e in await repo.questions.experts_of(question.topic_id) if e not in (exclude or ())
    ]
    stamp = int(now.timestamp())
    rows = [
        Outgoing(
            expert,
            EXPERT_QUESTION,
            _payload("questions-expert-new", question.id, needs=("new",), actions=["take"]),
            now,
            f"{prefix(question.id)}{why}:{stamp}:{expert}",
        )
        for expert in experts
    ]
    await outbox.enqueue(repo, *rows, now=now)
    return len(rows)


# ---- who may read ------------------------------------------------------------------------


class Access(StrEnum):
    ASKER = "asker"
    EXPERT = "expert"  # the expert holding (or who answered) it
    CANDIDATE = "candidate"  # an expert of its topic, while it waits for a taker
    ADMIN = "admin"
    NONE = "none"


async def access(repo: Repo, question: Question, reader_id: int) -> Access:
    """Only the asker, the assigned expert and admins read a question; experts of its topic
    also see a new one (to decide to take it). Roles come from the database, every time."""
    if question.asker_id == reader_id:
        return Access.ASKER
    roles = await repo.roles.of(reader_id)
    if Role.EXPERT.value in roles:
        if question.expert_id == reader_id:
            return Access.EXPERT
        if question.status == "new" and question.topic_id in await repo.questions.topics_of(
            reader_id
        ):
            return Access.CANDIDATE
    if Role.ADMIN.value in roles:
        return Access.ADMIN
    return Access.NONE


def sees_contacts(question: Question, reader: Access) -> bool:
    """The asker's name and phone: to the expert holding the question, if the asker allowed
    it, and to admins (who see everything, to handle complaints)."""
    return (reader is Access.EXPERT and question.show_contacts) or reader is Access.ADMIN


# ---- experts -----------------------------------------------------------------------------


class Take(StrEnum):
    TAKEN = "taken"
    YOURS = "yours"  # already held by this expert (a double click)
    OTHER = "other"  # someone was first
    CLOSED = "closed"  # answered, closed, withdrawn
    NOT_YOUR_TOPIC = "not-your-topic"


async def take(repo: Repo, question_id: int, expert_id: int, now: datetime) -> Take:
    question = await repo.questions.get(question_id)
    if question is None:
        return Take.CLOSED
    if question.topic_id not in await repo.questions.topics_of(expert_id):
        return Take.NOT_YOUR_TOPIC
    if await repo.questions.take(question_id, expert_id, now):
        return Take.TAKEN
    question = await repo.questions.get(question_id)
    if question is not None and question.status == "taken":
        return Take.YOURS if question.expert_id == expert_id else Take.OTHER
    return Take.CLOSED


async def release(repo: Repo, question_id: int, expert_id: int, now: datetime) -> bool:
    """Back to the queue; the topic's other experts hear of it again."""
    if not await repo.questions.release(question_id, expert_id):
        return False
    question = await repo.questions.get(question_id)
    if question is not None:
        await _tell_experts(repo, question, now, "released", exclude={expert_id})
    return True


@dataclass(frozen=True, slots=True)
class Answered:
    question: Question
    message: QuestionMessage
    faq: FaqEntry | None


async def answer(
    repo: Repo,
    question_id: int,
    expert_id: int,
    text: str,
    attachments: list[dict[str, Any]],
    now: datetime,
    *,
    good_for_faq: bool = False,
    show_name: bool = False,
) -> Answered | None:
    """The expert holding the question answers it (None: they do not hold it any more). The
    asker gets it in their chat; a good answer (if the asker allowed publishing) becomes an
    FAQ draft, its question anonymised as far as a machine can."""
    if not await repo.questions.mark_answered(question_id, expert_id, now):
        return None
    question = await repo.questions.get(question_id)
    assert question is not None
    message = await repo.questions.add_message(
        question_id, "answer", expert_id, text, attachments[:MAX_ATTACHMENTS], now
    )
    await deliver_answer(repo, question, message, now)
    faq = None
    if good_for_faq and question.may_publish:
        faq = await make_faq_draft(repo, question, message, show_name, now)
    return Answered(question, message, faq)


async def add_to_answer(
    repo: Repo,
    question: Question,
    expert_id: int,
    text: str,
    attachments: list[dict[str, Any]],
    now: datetime,
) -> QuestionMessage:
    """A further message of the expert after the answer (the experts' group, where people
    write in several messages): relayed as an addition."""
    message = await repo.questions.add_message(
        question.id, "answer", expert_id, text, attachments[:MAX_ATTACHMENTS], now
    )
    await deliver_answer(repo, question, message, now, addition=True)
    return message


async def deliver_answer(
    repo: Repo,
    question: Question,
    message: QuestionMessage,
    now: datetime,
    *,
    addition: bool = False,
) -> None:
    """The answer to the asker: the text with Helpful / Not helpful / Follow-up (the renderer
    offers what still applies), then each attachment as a copy."""
    key = f"{prefix(question.id)}m:{message.id}:"
    rows = [
        Outgoing(
            question.asker_id,
            outbox.NOTICE,
            _payload(
                "questions-addition" if addition else "questions-answer",
                question.id,
                message_id=message.id,
                actions=[] if addition else ["rate", "follow_up"],
            ),
            now,
            key + "0",
        )
    ]
    for n, attachment in enumerate(message.attachments, start=1):
        if "chat_id" in attachment and "message_id" in attachment:
            rows.append(
                Outgoing(
                    question.asker_id,
                    outbox.NOTICE,
                    {
                        "type": "copy",
                        "from_chat_id": attachment["chat_id"],
                        "message_id": attachment["message_id"],
                    },
                    now,
                    f"{key}{n}",
                )
            )
    await outbox.enqueue(repo, *rows, now=now)


# ---- the asker after the answer ----------------------------------------------------------


async def follow_up(
    repo: Repo, question_id: int, asker_id: int, text: str, now: datetime
) -> Question | None:
    """The one follow-up: to the expert who answered (or the topic's experts, if that expert
    is gone). None if it is not possible (rated, used, not answered)."""
    if not await repo.questions.follow_up(question_id, asker_id, now):
        return None
    question = await repo.questions.get(question_id)
    assert question is not None
    message = await repo.questions.add_message(question_id, "follow_up", asker_id, text, [], now)
    if question.expert_id is not None:
        await outbox.enqueue(
            repo,
            Outgoing(
                question.expert_id,
                EXPERT_QUESTION,
                _payload(
                    "questions-expert-follow-up",
                    question.id,
                    needs=("taken",),
                    message_id=message.id,
                    actions=["open"],
                ),
                now,
                f"{prefix(question.id)}fu:{question.expert_id}",
            ),
            now=now,
        )
    else:
        await _tell_experts(repo, question, now, "follow-up")
    return question


async def rate(repo: Repo, question_id: int, asker_id: int, rating: str, now: datetime) -> bool:
    """Helpful or not: closes the question; the expert hears it."""
    if rating not in RATINGS or not await repo.questions.rate(question_id, asker_id, rating, now):
        return False
    question = await repo.questions.get(question_id)
    if question is not None and question.expert_id is not None:
        await outbox.enqueue(
            repo,
            Outgoing(
                question.expert_id,
                outbox.NOTICE,
                _payload(f"questions-rated-{rating}", question.id),
                now,
                f"{prefix(question.id)}rated:{question.expert_id}",
            ),
            now=now,
        )
    return True


async def withdraw(repo: Repo, question_id: int, asker_id: int, now: datetime) -> bool:
    """The asker takes the question back (it stops counting against the limit); the expert
    holding it is told, waiting notifications are dropped by the renderer."""
    before = await repo.questions.get(question_id)
    if before is None or not await repo.questions.withdraw(question_id, asker_id, now):
        return False
    if before.expert_id is not None:
        await outbox.enqueue(
            repo,
            Outgoing(
                before.expert_id,
                outbox.NOTICE,
                _payload("questions-expert-withdrawn", question_id),
                now,
                f"{prefix(question_id)}withdrawn:{before.expert_id}",
            ),
            now=now,
        )
    return True


# ---- nudges ------------------------------------------------------------------------------


async def nudge(
    repo: Repo, now: datetime, experts_after: timedelta, admins_after: timedelta
) -> tuple[int, int]:
    """The periodic job's work. A question open longer than `experts_after` nudges its
    topic's experts (a taken one: the expert holding it), longer than `admins_after` the
    admins; once each per wait (a follow-up starts a new wait). Returns the messages queued
    (experts, admins)."""
    to_experts: list[Outgoing] = []
    for question in await repo.questions.claim_nudges(
        "nudged_experts_at", now - experts_after, now
    ):
        if question.status == "taken" and question.expert_id is not None:
            people = [question.expert_id]
        else:
            people = await repo.questions.experts_of(question.topic_id)
        to_experts += _nudges(question, people, "experts", now)
    admins = await repo.roles.user_ids_with([Role.ADMIN.value])
    to_admins: list[Outgoing] = []
    for question in await repo.questions.claim_nudges("nudged_admins_at", now - admins_after, now):
        to_admins += _nudges(question, sorted(admins), "admins", now)
    await outbox.enqueue(repo, *to_experts, *to_admins, now=now)
    return len(to_experts), len(to_admins)


def _nudges(question: Question, people: list[int], whom: str, now: datetime) -> list[Outgoing]:
    since = int(question.waiting_since.timestamp())
    hours = max(1, int((now - question.waiting_since).total_seconds() // 3600))
    return [
        Outgoing(
            person,
            QUESTION_NUDGE,
            _payload(
                f"questions-nudge-{whom}",
                question.id,
                needs=("new", "taken"),
                hours=hours,
                actions=["open"],
            ),
            now,
            f"{prefix(question.id)}nudge:{whom}:{since}:{person}",
        )
        for person in people
        if person != question.asker_id
    ]


# ---- the FAQ -----------------------------------------------------------------------------


def anonymise(text: str, person: User | None) -> str:
    """The asker's name and phone taken out of a text (a first pass: the editor checks)."""
    if person is None:
        return text
    result = text
    for part in sorted((person.full_name or "").split(), key=len, reverse=True):
        if len(part) >= 3:
            result = re.sub(rf"\b{re.escape(part)}\w*", "…", result, flags=re.IGNORECASE)
    digits = re.sub(r"\D", "", person.phone or "")
    if len(digits) >= 10:
        tail = digits[-10:]
        # The number typed any way: digits with spaces, dashes, brackets or a +7 / 8 before.
        loose = r"[\s()\-]*".join(tail)
        result = re.sub(rf"(?:\+?7|8)?[\s()\-]*{loose}", "…", result)
    return result


async def make_faq_draft(
    repo: Repo,
    question: Question,
    message: QuestionMessage,
    show_name: bool,
    now: datetime,
) -> FaqEntry:
    asker = await repo.users.get(question.asker_id)
    return await repo.faq.add_draft(
        question_id=question.id,
        topic_id=question.topic_id,
        question=anonymise(question.text, asker)[:FAQ_MAX],
        answer=anonymise(message.text, asker)[:FAQ_MAX],
        expert_id=message.author_id,
        show_expert=show_name,
        now=now,
    )


async def may_edit_faq(repo: Repo, entry: FaqEntry, user_id: int) -> bool:
    """Admins edit any entry; the expert who answered edits theirs while it is not public."""
    roles = await repo.roles.of(user_id)
    if Role.ADMIN.value in roles:
        return True
    return Role.EXPERT.value in roles and entry.expert_id == user_id and entry.status != "published"


def search(text: str) -> Query:
    return search_query(text)


# ---- personal data -----------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


async def export(repo: Repo, user_id: int) -> dict[str, Any]:
    """/my_data: the person's questions with their threads; as an expert, their topics, the
    answers they wrote and their FAQ entries."""
    asked = []
    for question in await repo.questions.asked_by(user_id):
        topic = await repo.questions.topic(question.topic_id)
        asked.append(
            {
                "number": question.id,
                "topic": topic_label(topic, "ru"),
                "text": question.text,
                "attachments": [
                    {"type": a.get("type"), "name": a.get("name")} for a in question.attachments
                ],
                "expert_may_see_name_and_phone": question.show_contacts,
                "may_publish_in_faq": question.may_publish,
                "status": question.status,
                "asked_at": _iso(question.created_at),
                "answered_at": _iso(question.answered_at),
                "rating": question.rating,
                "thread": [
                    {"kind": m.kind, "text": m.text, "at": _iso(m.created_at)}
                    for m in await repo.questions.messages(question.id)
                ],
            }
        )
    topics = await repo.questions.topics(with_hidden=True)
    mine = await repo.questions.topics_of(user_id)
    answers = [
        {"question": m.question_id, "text": m.text, "at": _iso(m.created_at)}
        for m in await repo.questions.written_by(user_id)
        if m.kind == "answer"
    ]
    faq = [
        {"entry": e.id, "status": e.status, "named": e.show_expert}
        for e in await repo.faq.by_expert(user_id)
    ]
    return {
        "questions_asked": asked,
        "expert_topics": [topic_label(t, "ru") for t in topics if t.id in mine],
        "answers_written": answers,
        "faq_entries_answered": faq,
    }


async def erase(repo: Repo, user_id: int) -> list[tuple[int, int]]:
    """Before the person's row goes: their questions and every message about them (to the
    experts too); as an expert, what they hold back to the queue, their answers' file sources
    and their deliveries forgotten, their FAQ entries without their name. Returns the forum
    topics (chat, thread) of the removed questions, for the caller to delete in Telegram."""
    forum = [
        (q.forum_chat_id, q.forum_thread_id)
        for q in await repo.questions.asked_by(user_id)
        if q.forum_chat_id is not None and q.forum_thread_id is not None
    ]
    for question_id in await repo.questions.forget_asker(user_id):
        await repo.outbox.forget_prefix(prefix(question_id))
    for question_id, message_id in await repo.questions.forget_expert(user_id):
        await repo.outbox.forget_prefix(f"{prefix(question_id)}m:{message_id}:")
    await repo.faq.forget_expert(user_id)
    return forum
