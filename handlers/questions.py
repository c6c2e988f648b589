"""Residents ask the experts (/ask, "Ask an expert" in the main menu) and follow their
questions (/my_questions): FAQ answers first, then the question, the answer, one follow-up and
the rating.

```mermaid
stateDiagram-v2
    [*] --> typing: /ask (registered, under the open-question and daily limits)
    typing --> suggestions: 10-3,000 characters; FAQ entries match its words
    typing --> topic: no entry matches
    suggestions --> [*]: "This answers my question"
    suggestions --> topic: Ask anyway
    topic --> attaching: a topic
    attaching --> attaching: a photo or a document (up to 5)
    attaching --> contacts: Done / Continue without files
    contacts --> publish: name and phone to the expert, or anonymous
    publish --> confirm: may or may not go to the FAQ
    confirm --> [*]: Send → "Question #N sent"; the topic's experts are told
    note right of confirm: Back returns one step everywhere; /cancel leaves
```
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router, html
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.config import Settings
from bot.filters import NOT_COMMAND, TYPED
from bot.i18n import Text, Translator
from bot.services import questions as qs
from bot.services.question_relay import post_follow_up, post_to_forum, send_files
from bot.services.regions import zone_of
from bot.services.validation import InvalidInput
from bot.ui.attachments import add_attachment, attachment_of
from bot.ui.callbacks.menu import MenuAction, MenuCb
from bot.ui.callbacks.questions import AskAction, AskCb, MineAction, MineCb
from bot.ui.keyboards import Nav, NavCb, nav_buttons, nav_keyboard, with_nav
from bot.ui.pagination import page_count
from bot.ui.replies import not_text, take_buttons_off, use_buttons
from bot.ui.screens import show
from db.models import FaqEntry, Question
from db.repositories import Repo, UserSnapshot

log = logging.getLogger("bot.security")
PAGE = 5
SUGGESTIONS = 3
CARD_BUDGET = 3600  # characters of a card (a message holds 4,096)
SUMMARY_EXCERPT = 1500
SPLIT_SECONDS = 2  # a text refused as too long: what follows this soon is the rest of it


class Asking(StatesGroup):
    typing = State()
    suggestions = State()  # data: text, found (FAQ entry ids)
    topic = State()
    attaching = State()  # data: + topic_id, attachments
    contacts = State()
    publish = State()  # data: + show_contacts
    confirm = State()  # data: + may_publish


class FollowingUp(StatesGroup):
    typing = State()  # data: question_id
    confirm = State()  # data: question_id, text


def limits(settings: Settings) -> qs.Limits:
    return qs.Limits(settings.questions_open_limit, settings.questions_per_day)


def _btn(text: str, action: AskAction, id: int = 0) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text[:64], callback_data=AskCb(action=action, id=id).pack())


def _mine(text: str, action: MineAction, question_id: int = 0, **kw: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text[:64],
        callback_data=MineCb(action=action, question_id=question_id, **kw).pack(),
    )


def _when(moment: datetime | None, region_code: str | None) -> str:
    if moment is None:
        return "—"
    return f"{moment.astimezone(ZoneInfo(zone_of(region_code))):%d.%m.%Y %H:%M}"


def refusal_text(t: Text, refusal: qs.Blocked, region_code: str | None) -> str:
    return t(
        f"questions-refused-{refusal.reason.value}",
        count=refusal.count,
        limit=refusal.limit,
        until=_when(refusal.until, region_code),
    )


# ---- the steps ---------------------------------------------------------------------------


async def _ask_text(bot: Bot, chat_id: int, t: Text) -> None:
    await bot.send_message(
        chat_id,
        t("questions-ask-text", min=qs.TEXT_MIN, max=qs.TEXT_MAX),
        reply_markup=nav_keyboard(t, Asking, back=False),
    )


def _entry_title(entry: FaqEntry) -> str:
    first = entry.question.splitlines()[0] if entry.question else ""
    return first if len(first) <= 60 else first[:59] + "…"


async def _ask_suggestions(bot: Bot, chat_id: int, repo: Repo, t: Text, found: list[int]) -> None:
    builder = InlineKeyboardBuilder()
    for entry_id in found:
        entry = await repo.faq.get(entry_id)
        if entry is not None and entry.status == "published":
            builder.row(_btn("📖 " + _entry_title(entry), AskAction.SUGGESTION, entry.id))
    builder.row(_btn(t("questions-ask-anyway-button"), AskAction.ANYWAY))
    await bot.send_message(
        chat_id, t("questions-suggestions"), reply_markup=with_nav(builder, t, Asking)
    )


async def _ask_topic(bot: Bot, chat_id: int, repo: Repo, t: Text) -> None:
    builder = InlineKeyboardBuilder()
    for topic in await repo.questions.topics():
        builder.button(
            text=qs.topic_label(topic, t.locale)[:64],
            callback_data=AskCb(action=AskAction.TOPIC, id=topic.id).pack(),
        )
    builder.adjust(2)
    await bot.send_message(
        chat_id, t("questions-ask-topic"), reply_markup=with_nav(builder, t, Asking)
    )


def _files_keyboard(t: Text, count: int) -> InlineKeyboardMarkup:
    label = (
        t("questions-files-done-button", count=count) if count else t("questions-files-none-button")
    )
    return InlineKeyboardMarkup(
        inline_keyboard=[[_btn(label, AskAction.ATTACHED)], nav_buttons(t, Asking)]
    )


async def _ask_files(bot: Bot, chat_id: int, t: Text, count: int) -> None:
    await bot.send_message(
        chat_id,
        t("questions-ask-files", max=qs.MAX_ATTACHMENTS),
        reply_markup=_files_keyboard(t, count),
    )


async def _ask_contacts(bot: Bot, chat_id: int, t: Text) -> None:
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [_btn(t("questions-contacts-yes-button"), AskAction.CONTACTS, 1)],
            [_btn(t("questions-contacts-no-button"), AskAction.CONTACTS, 0)],
            nav_buttons(t, Asking),
        ]
    )
    await bot.send_message(chat_id, t("questions-ask-contacts"), reply_markup=markup)


async def _ask_publish(bot: Bot, chat_id: int, t: Text) -> None:
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [_btn(t("questions-publish-yes-button"), AskAction.PUBLISH, 1)],
            [_btn(t("questions-publish-no-button"), AskAction.PUBLISH, 0)],
            nav_buttons(t, Asking),
        ]
    )
    await bot.send_message(chat_id, t("questions-ask-publish"), reply_markup=markup)


async def _ask_confirm(bot: Bot, chat_id: int, repo: Repo, t: Text, data: dict[str, Any]) -> None:
    topic = await repo.questions.topic(int(data.get("topic_id", 0)))
    text = str(data.get("text", ""))
    if len(text) > SUMMARY_EXCERPT:
        text = text[:SUMMARY_EXCERPT] + "…"
    summary = t(
        "questions-summary",
        topic=html.quote(qs.topic_label(topic, t.locale)),
        text=html.quote(text),
        files=len(data.get("attachments", [])),
        contacts=t(
            "questions-summary-named"
            if data.get("show_contacts")
            else "questions-summary-anonymous"
        ),
        publish=t(
            "questions-summary-publish" if data.get("may_publish") else "questions-summary-private"
        ),
    )
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[_btn(t("questions-send-button"), AskAction.SEND)], nav_buttons(t, Asking)]
    )
    await bot.send_message(chat_id, summary, reply_markup=markup)


# ---- handlers: asking --------------------------------------------------------------------


async def _start(
    bot: Bot,
    chat_id: int,
    state: FSMContext,
    repo: Repo,
    t: Text,
    settings: Settings,
    user: UserSnapshot | None,
) -> None:
    if user is None or not user.registered:
        await bot.send_message(chat_id, t("questions-register-first"))
        return
    refusal = await qs.blocked(repo, chat_id, limits(settings), datetime.now(UTC))
    if refusal is not None:
        await bot.send_message(chat_id, refusal_text(t, refusal, user.region_code))
        return
    await state.set_state(Asking.typing)
    await state.set_data({})
    await _ask_text(bot, chat_id, t)


async def ask_command(
    message: Message,
    bot: Bot,
    state: FSMContext,
    repo: Repo,
    t: Text,
    settings: Settings,
    user: UserSnapshot | None,
) -> None:
    """/ask: a question to the experts."""
    await _start(bot, message.chat.id, state, repo, t, settings, user)


async def ask_pressed(
    cq: CallbackQuery,
    bot: Bot,
    state: FSMContext,
    repo: Repo,
    t: Text,
    settings: Settings,
    user: UserSnapshot | None,
) -> None:
    """ "Ask an expert" in the main menu."""
    await _start(bot, cq.from_user.id, state, repo, t, settings, user)


def _invalid_text(t: Text, exc: InvalidInput, raw: str) -> str:
    return t(exc.key, min=qs.TEXT_MIN, max=qs.TEXT_MAX, length=len(raw.strip()))


async def _text_given(
    message: Message, raw: str, bot: Bot, state: FSMContext, repo: Repo, t: Text
) -> bool:
    data = await state.get_data()
    sent_at = message.date.timestamp()
    if sent_at - float(data.get("too_long_at", 0)) <= SPLIT_SECONDS:
        # Telegram apps cut a text over 4,096 characters into several messages sent at once:
        # the rest of a refused text is not a question of its own.
        await state.update_data(too_long_at=sent_at)
        await message.answer(t("questions-text-split", max=qs.TEXT_MAX))
        return False
    try:
        text = qs.question_text(raw)
    except InvalidInput as exc:
        if exc.key == "questions-text-too-long":
            await state.update_data(too_long_at=sent_at)
        await message.answer(_invalid_text(t, exc, raw))
        return False
    found = [f.entry.id for f in await repo.faq.search(qs.search(text), SUGGESTIONS)]
    await state.update_data(text=text, found=found, attachments=[])
    if found:
        await state.set_state(Asking.suggestions)
        await _ask_suggestions(bot, message.chat.id, repo, t, found)
    else:
        await state.set_state(Asking.topic)
        await _ask_topic(bot, message.chat.id, repo, t)
    return True


async def text_typed(message: Message, bot: Bot, state: FSMContext, repo: Repo, t: Text) -> None:
    """The question's text."""
    await _text_given(message, message.text or "", bot, state, repo, t)


async def text_with_file(
    message: Message, bot: Bot, state: FSMContext, repo: Repo, t: Text
) -> None:
    """A photo or document with a caption at the first step: the caption is the question,
    the file its first attachment."""
    if not message.caption:
        await message.answer(t("questions-text-first"))
        return
    if await _text_given(message, message.caption, bot, state, repo, t):
        attachment = attachment_of(message)
        if attachment is not None:
            await state.update_data(attachments=[attachment])


async def suggestion_opened(cq: CallbackQuery, callback_data: AskCb, repo: Repo, t: Text) -> None:
    """One FAQ entry offered before asking."""
    entry = await repo.faq.get(callback_data.id)
    if entry is None or entry.status != "published":
        await cq.answer(t("faq-entry-gone"), show_alert=True)
        return
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [_btn(t("questions-solved-button"), AskAction.SOLVED)],
            [_btn(t("questions-ask-anyway-button"), AskAction.ANYWAY)],
            [_btn(t("questions-back-to-suggestions-button"), AskAction.SUGGESTIONS)],
        ]
    )
    await show(cq, await entry_text(repo, t, entry), markup)


async def suggestions_again(
    cq: CallbackQuery, bot: Bot, state: FSMContext, repo: Repo, t: Text
) -> None:
    await take_buttons_off(cq)
    found = list((await state.get_data()).get("found", []))
    await _ask_suggestions(bot, cq.from_user.id, repo, t, found)


async def solved(cq: CallbackQuery, state: FSMContext, t: Text) -> None:
    """ "This answers my question": nothing is asked."""
    await state.clear()
    await take_buttons_off(cq)
    if isinstance(cq.message, Message):
        await cq.message.answer(t("questions-solved"))


async def ask_anyway(cq: CallbackQuery, bot: Bot, state: FSMContext, repo: Repo, t: Text) -> None:
    await take_buttons_off(cq)
    await state.set_state(Asking.topic)
    await _ask_topic(bot, cq.from_user.id, repo, t)


async def topic_chosen(
    cq: CallbackQuery, callback_data: AskCb, bot: Bot, state: FSMContext, repo: Repo, t: Text
) -> None:
    topic = await repo.questions.topic(callback_data.id)
    if topic is None or topic.hidden:
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    await take_buttons_off(cq)
    await state.update_data(topic_id=topic.id)
    await state.set_state(Asking.attaching)
    count = len((await state.get_data()).get("attachments", []))
    await _ask_files(bot, cq.from_user.id, t, count)


async def file_added(message: Message, state: FSMContext, t: Text) -> None:
    """A photo or a document for the question."""
    await add_attachment(message, state, t, _files_keyboard)


async def file_unsupported(message: Message, t: Text) -> None:
    """A sticker, voice, video... where photos and documents are taken."""
    await message.answer(t("questions-files-unsupported"))


async def file_text(message: Message, state: FSMContext, t: Text) -> None:
    count = len((await state.get_data()).get("attachments", []))
    await message.answer(t("questions-files-hint"), reply_markup=_files_keyboard(t, count))


async def files_done(cq: CallbackQuery, bot: Bot, state: FSMContext, t: Text) -> None:
    await take_buttons_off(cq)
    await state.set_state(Asking.contacts)
    await _ask_contacts(bot, cq.from_user.id, t)


async def contacts_chosen(
    cq: CallbackQuery, callback_data: AskCb, bot: Bot, state: FSMContext, t: Text
) -> None:
    await take_buttons_off(cq)
    await state.update_data(show_contacts=bool(callback_data.id))
    await state.set_state(Asking.publish)
    await _ask_publish(bot, cq.from_user.id, t)


async def publish_chosen(
    cq: CallbackQuery, callback_data: AskCb, bot: Bot, state: FSMContext, repo: Repo, t: Text
) -> None:
    await take_buttons_off(cq)
    await state.update_data(may_publish=bool(callback_data.id))
    await state.set_state(Asking.confirm)
    await _ask_confirm(bot, cq.from_user.id, repo, t, await state.get_data())


async def sent(
    cq: CallbackQuery,
    bot: Bot,
    state: FSMContext,
    repo: Repo,
    t: Text,
    translator: Translator,
    settings: Settings,
    user: UserSnapshot | None,
) -> None:
    """Send: the question is stored, its number told, the topic's experts notified."""
    data = await state.get_data()
    await state.clear()
    await take_buttons_off(cq)
    draft = qs.Draft(
        topic_id=int(data.get("topic_id", 0)),
        text=str(data.get("text", "")),
        attachments=list(data.get("attachments", [])),
        show_contacts=bool(data.get("show_contacts")),
        may_publish=bool(data.get("may_publish")),
    )
    result = await qs.ask(repo, cq.from_user.id, draft, limits(settings), datetime.now(UTC))
    if isinstance(result, qs.Blocked):
        region = user.region_code if user else None
        await bot.send_message(cq.from_user.id, refusal_text(t, result, region))
        return
    await bot.send_message(cq.from_user.id, t("questions-sent", number=result.id))
    if settings.experts_group_id is not None:
        await post_to_forum(bot, repo, translator, settings, result.id)


async def back_pressed(cq: CallbackQuery, bot: Bot, state: FSMContext, repo: Repo, t: Text) -> None:
    """Back: one step of the dialog."""
    await take_buttons_off(cq)
    current = await state.get_state()
    data = await state.get_data()
    chat_id = cq.from_user.id
    if current == Asking.suggestions.state:
        await state.set_state(Asking.typing)
        await _ask_text(bot, chat_id, t)
    elif current == Asking.topic.state:
        if data.get("found"):
            await state.set_state(Asking.suggestions)
            await _ask_suggestions(bot, chat_id, repo, t, list(data["found"]))
        else:
            await state.set_state(Asking.typing)
            await _ask_text(bot, chat_id, t)
    elif current == Asking.attaching.state:
        await state.set_state(Asking.topic)
        await _ask_topic(bot, chat_id, repo, t)
    elif current == Asking.contacts.state:
        await state.set_state(Asking.attaching)
        await _ask_files(bot, chat_id, t, len(data.get("attachments", [])))
    elif current == Asking.publish.state:
        await state.set_state(Asking.contacts)
        await _ask_contacts(bot, chat_id, t)
    elif current == Asking.confirm.state:
        await state.set_state(Asking.publish)
        await _ask_publish(bot, chat_id, t)


# ---- FAQ entries as text (shared with /faq) ----------------------------------------------


async def entry_text(repo: Repo, t: Text, entry: FaqEntry) -> str:
    """An entry: the question, the answer, the expert's name if they agreed, the date."""
    topic = await repo.questions.topic(entry.topic_id)
    expert = None
    if entry.show_expert and entry.expert_id is not None:
        person = await repo.users.get(entry.expert_id)
        expert = person.full_name if person else None
    when = entry.published_at or entry.updated_at
    text = t(
        "faq-entry",
        topic=html.quote(qs.topic_label(topic, t.locale)),
        question=html.quote(entry.question),
        answer=html.quote(entry.answer),
        date=f"{when:%d.%m.%Y}",
    )
    if expert:
        text += "\n" + t("faq-entry-expert", name=html.quote(expert))
    return text[:4000]


# ---- /my_questions -----------------------------------------------------------------------


async def _mine_screen(
    repo: Repo, t: Text, user_id: int, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    rows, total = await repo.questions.of_asker(user_id, page * PAGE, PAGE)
    pages = page_count(total, PAGE)
    if page >= pages:
        page = pages - 1
        rows, total = await repo.questions.of_asker(user_id, page * PAGE, PAGE)
    builder = InlineKeyboardBuilder()
    lines = []
    topics = {topic.id: topic for topic in await repo.questions.topics(with_hidden=True)}
    for question in rows:
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
        builder.row(_mine(f"#{question.id} · {status}", MineAction.OPEN, question.id, page=page))
    arrows = []
    if page > 0:
        arrows.append(_mine("◀️", MineAction.LIST, page=page - 1))
    if page < pages - 1:
        arrows.append(_mine("▶️", MineAction.LIST, page=page + 1))
    if arrows:
        builder.row(*arrows)
    if not total:
        return t("questions-mine-empty"), builder.as_markup()
    text = t("questions-mine", count=total, page=page + 1, pages=pages, lines="\n".join(lines))
    return text, builder.as_markup()


async def mine_command(message: Message, repo: Repo, t: Text, user: UserSnapshot | None) -> None:
    """/my_questions: one's questions with their states."""
    if user is None or not user.registered:
        await message.answer(t("questions-register-first"))
        return
    text, markup = await _mine_screen(repo, t, message.chat.id, 0)
    await message.answer(text, reply_markup=markup)


async def mine_pressed(
    cq: CallbackQuery, bot: Bot, repo: Repo, t: Text, user: UserSnapshot | None
) -> None:
    """ "My questions" in the main menu."""
    if user is None or not user.registered:
        await cq.answer(t("questions-register-first"), show_alert=True)
        return
    text, markup = await _mine_screen(repo, t, cq.from_user.id, 0)
    await bot.send_message(cq.from_user.id, text, reply_markup=markup)


async def mine_turned(cq: CallbackQuery, callback_data: MineCb, repo: Repo, t: Text) -> None:
    await show(cq, *await _mine_screen(repo, t, cq.from_user.id, max(callback_data.page, 0)))


async def own_question(cq: CallbackQuery, repo: Repo, t: Text, question_id: int) -> Question | None:
    """The question if the presser asked it; anything else is refused and logged."""
    question = await repo.questions.get(question_id)
    if question is None or question.asker_id != cq.from_user.id:
        if question is not None:
            log.warning(
                "refused question %s to user %s: not the asker", question_id, cq.from_user.id
            )
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return None
    return question


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


async def card(
    repo: Repo, t: Text, question: Question, region_code: str | None, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    """The asker's view of their question: state, text, the thread; what they can do now."""
    topic = await repo.questions.topic(question.topic_id)
    thread = await repo.questions.messages(question.id)
    budget = CARD_BUDGET // (1 + len(thread))
    parts = [
        t(
            "questions-card",
            number=question.id,
            topic=html.quote(qs.topic_label(topic, t.locale)),
            status=t(f"questions-status-{question.status}"),
            date=_when(question.created_at, region_code),
            text=html.quote(_clip(question.text, budget)),
            files=len(question.attachments),
        )
    ]
    clipped = len(question.text) > budget
    for message in thread:
        clipped |= len(message.text) > budget
        parts.append(
            t(
                f"questions-card-{message.kind.replace('_', '-')}",
                date=_when(message.created_at, region_code),
                text=html.quote(_clip(message.text, budget)),
                files=len(message.attachments),
            )
        )
    if question.rating:
        parts.append(t(f"questions-card-rated-{question.rating}"))
    rows: list[list[InlineKeyboardButton]] = []
    qid = question.id
    if question.status == "answered" and question.rating is None:
        rows.append(
            [
                _mine(t("questions-helpful-button"), MineAction.RATE, qid, rating=1, page=page),
                _mine(t("questions-not-helpful-button"), MineAction.RATE, qid, rating=0, page=page),
            ]
        )
        if not question.follow_up_used:
            rows.append([_mine(t("questions-follow-up-button"), MineAction.FOLLOW_UP, qid)])
    if question.status in ("new", "taken"):
        rows.append([_mine(t("questions-withdraw-button"), MineAction.WITHDRAW, qid, page=page)])
    has_files = bool(question.attachments) or any(m.attachments for m in thread)
    if clipped or has_files:
        rows.append([_mine(t("questions-full-button"), MineAction.FULL, qid, page=page)])
    rows.append([_mine(t("questions-back-to-mine-button"), MineAction.LIST, page=page)])
    return "\n\n".join(parts)[:4000], InlineKeyboardMarkup(inline_keyboard=rows)


async def mine_opened(
    cq: CallbackQuery, callback_data: MineCb, repo: Repo, t: Text, user: UserSnapshot | None
) -> None:
    question = await own_question(cq, repo, t, callback_data.question_id)
    if question is None:
        return
    region = user.region_code if user else None
    await show(cq, *await card(repo, t, question, region, callback_data.page))


async def full_shown(
    cq: CallbackQuery, callback_data: MineCb, bot: Bot, repo: Repo, t: Text
) -> None:
    """The whole thread, each part a message of its own, with the files."""
    question = await own_question(cq, repo, t, callback_data.question_id)
    if question is None:
        return
    chat_id = cq.from_user.id
    await bot.send_message(
        chat_id, t("questions-full-question", number=question.id, text=html.quote(question.text))
    )
    await send_files(bot, chat_id, question.attachments)
    for message in await repo.questions.messages(question.id):
        key = "questions-full-answer" if message.kind == "answer" else "questions-full-follow-up"
        await bot.send_message(chat_id, t(key, text=html.quote(message.text)))
        await send_files(bot, chat_id, message.attachments)


async def withdraw_asked(cq: CallbackQuery, callback_data: MineCb, repo: Repo, t: Text) -> None:
    question = await own_question(cq, repo, t, callback_data.question_id)
    if question is None:
        return
    if question.status not in ("new", "taken"):
        await cq.answer(t("questions-withdraw-gone"), show_alert=True)
        return
    qid, page = question.id, callback_data.page
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _mine(t("questions-withdraw-yes"), MineAction.WITHDRAW_YES, qid, page=page),
                _mine(t("questions-withdraw-no"), MineAction.OPEN, qid, page=page),
            ]
        ]
    )
    await show(cq, t("questions-withdraw-confirm", number=qid), markup)


async def withdraw_confirmed(
    cq: CallbackQuery, callback_data: MineCb, repo: Repo, t: Text, user: UserSnapshot | None
) -> None:
    question = await own_question(cq, repo, t, callback_data.question_id)
    if question is None:
        return
    if not await qs.withdraw(repo, question.id, cq.from_user.id, datetime.now(UTC)):
        await cq.answer(t("questions-withdraw-gone"), show_alert=True)
        return
    await cq.answer(t("questions-withdrawn", number=question.id), show_alert=True)
    fresh = await repo.questions.get(question.id)
    if fresh is not None:
        region = user.region_code if user else None
        await show(cq, *await card(repo, t, fresh, region, callback_data.page))


async def rated(cq: CallbackQuery, callback_data: MineCb, repo: Repo, t: Text) -> None:
    """Helpful / Not helpful (from the answer's message or the card)."""
    question = await own_question(cq, repo, t, callback_data.question_id)
    if question is None:
        return
    rating = qs.RATINGS[0] if callback_data.rating else qs.RATINGS[1]
    if not await qs.rate(repo, question.id, cq.from_user.id, rating, datetime.now(UTC)):
        await cq.answer(t("questions-rate-gone"), show_alert=True)
        return
    await take_buttons_off(cq)
    if isinstance(cq.message, Message):
        await cq.message.answer(t(f"questions-rated-thanks-{rating}", number=question.id))


async def follow_up_pressed(
    cq: CallbackQuery, callback_data: MineCb, bot: Bot, state: FSMContext, repo: Repo, t: Text
) -> None:
    question = await own_question(cq, repo, t, callback_data.question_id)
    if question is None:
        return
    if question.status != "answered" or question.follow_up_used or question.rating:
        await cq.answer(t("questions-follow-up-gone"), show_alert=True)
        return
    await state.set_state(FollowingUp.typing)
    await state.set_data({"question_id": question.id})
    await bot.send_message(
        cq.from_user.id,
        t("questions-follow-up-ask", number=question.id, min=qs.TEXT_MIN, max=qs.TEXT_MAX),
        reply_markup=nav_keyboard(t, FollowingUp, back=False),
    )


async def follow_up_typed(message: Message, state: FSMContext, t: Text) -> None:
    raw = message.text or ""
    try:
        text = qs.question_text(raw)
    except InvalidInput as exc:
        await message.answer(_invalid_text(t, exc, raw))
        return
    await state.update_data(text=text)
    await state.set_state(FollowingUp.confirm)
    data = await state.get_data()
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _mine(
                    t("questions-send-button"), MineAction.FOLLOW_UP_SEND, int(data["question_id"])
                )
            ],
            nav_buttons(t, FollowingUp),
        ]
    )
    await message.answer(
        t("questions-follow-up-confirm", text=html.quote(_clip(text, SUMMARY_EXCERPT))),
        reply_markup=markup,
    )


async def follow_up_back(cq: CallbackQuery, bot: Bot, state: FSMContext, t: Text) -> None:
    await take_buttons_off(cq)
    await state.set_state(FollowingUp.typing)
    data = await state.get_data()
    await bot.send_message(
        cq.from_user.id,
        t(
            "questions-follow-up-ask",
            number=int(data.get("question_id", 0)),
            min=qs.TEXT_MIN,
            max=qs.TEXT_MAX,
        ),
        reply_markup=nav_keyboard(t, FollowingUp, back=False),
    )


async def follow_up_sent(
    cq: CallbackQuery,
    callback_data: MineCb,
    bot: Bot,
    state: FSMContext,
    repo: Repo,
    t: Text,
    translator: Translator,
) -> None:
    data = await state.get_data()
    await state.clear()
    await take_buttons_off(cq)
    question_id = int(data.get("question_id", 0))
    if question_id != callback_data.question_id:
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    text = str(data.get("text", ""))
    question = await qs.follow_up(repo, question_id, cq.from_user.id, text, datetime.now(UTC))
    if question is None:
        await bot.send_message(cq.from_user.id, t("questions-follow-up-gone"))
        return
    await bot.send_message(cq.from_user.id, t("questions-follow-up-sent", number=question_id))
    await post_follow_up(bot, repo, translator, question, text)


def router() -> Router:
    r = Router(name=__name__)
    m = r.message
    m.register(ask_command, Command("ask"))
    m.register(mine_command, Command("my_questions"))
    m.register(text_typed, Asking.typing, TYPED)
    m.register(text_with_file, Asking.typing, F.photo | F.document, NOT_COMMAND)
    m.register(not_text, Asking.typing, NOT_COMMAND)
    for step in (Asking.suggestions, Asking.topic, Asking.contacts, Asking.publish, Asking.confirm):
        m.register(use_buttons, step, NOT_COMMAND)
    m.register(file_added, Asking.attaching, F.photo | F.document, NOT_COMMAND)
    m.register(file_text, Asking.attaching, TYPED)
    m.register(file_unsupported, Asking.attaching, NOT_COMMAND)
    m.register(follow_up_typed, FollowingUp.typing, TYPED)
    m.register(not_text, FollowingUp.typing, NOT_COMMAND)
    m.register(use_buttons, FollowingUp.confirm, NOT_COMMAND)
    cb = r.callback_query
    cb.register(ask_pressed, MenuCb.filter(F.action == MenuAction.ASK))
    cb.register(mine_pressed, MenuCb.filter(F.action == MenuAction.MY_QUESTIONS))
    cb.register(back_pressed, StateFilter(*Asking.__states__), NavCb.filter(F.action == Nav.BACK))
    cb.register(follow_up_back, FollowingUp.confirm, NavCb.filter(F.action == Nav.BACK))
    cb.register(
        suggestion_opened, Asking.suggestions, AskCb.filter(F.action == AskAction.SUGGESTION)
    )
    cb.register(
        suggestions_again, Asking.suggestions, AskCb.filter(F.action == AskAction.SUGGESTIONS)
    )
    cb.register(solved, Asking.suggestions, AskCb.filter(F.action == AskAction.SOLVED))
    cb.register(ask_anyway, Asking.suggestions, AskCb.filter(F.action == AskAction.ANYWAY))
    cb.register(topic_chosen, Asking.topic, AskCb.filter(F.action == AskAction.TOPIC))
    cb.register(files_done, Asking.attaching, AskCb.filter(F.action == AskAction.ATTACHED))
    cb.register(contacts_chosen, Asking.contacts, AskCb.filter(F.action == AskAction.CONTACTS))
    cb.register(publish_chosen, Asking.publish, AskCb.filter(F.action == AskAction.PUBLISH))
    cb.register(sent, Asking.confirm, AskCb.filter(F.action == AskAction.SEND))
    cb.register(mine_turned, MineCb.filter(F.action == MineAction.LIST))
    cb.register(mine_opened, MineCb.filter(F.action == MineAction.OPEN))
    cb.register(full_shown, MineCb.filter(F.action == MineAction.FULL))
    cb.register(withdraw_asked, MineCb.filter(F.action == MineAction.WITHDRAW))
    cb.register(withdraw_confirmed, MineCb.filter(F.action == MineAction.WITHDRAW_YES))
    cb.register(rated, MineCb.filter(F.action == MineAction.RATE))
    cb.register(follow_up_pressed, MineCb.filter(F.action == MineAction.FOLLOW_UP))
    cb.register(
        follow_up_sent,
        FollowingUp.confirm,
        MineCb.filter(F.action == MineAction.FOLLOW_UP_SEND),
    )
    return r
