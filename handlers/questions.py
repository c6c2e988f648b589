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
The steps of asking (and of a follow-up) are declared once, in ASKING and FOLLOWING_UP;
bot/ui/wizard.py moves between them.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any, TypedDict, cast

from aiogram import F, Router, html
from aiogram.filters import Command, StateFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.config import Settings
from bot.filters import NOT_COMMAND, TYPED
from bot.i18n import Text
from bot.services import questions as qs
from bot.services.question_relay import post_follow_up, post_to_forum, send_files
from bot.services.validation import InvalidInput
from bot.ui import question_screens as screens
from bot.ui.attachments import add_attachment, attachment_of
from bot.ui.callbacks.menu import MenuAction, MenuCb
from bot.ui.callbacks.questions import AskAction, AskCb, MineAction, MineCb
from bot.ui.context import Ctx
from bot.ui.keyboards import Nav, NavCb, button, nav_buttons, nav_keyboard, with_nav
from bot.ui.pagination import page_count
from bot.ui.question_screens import PAGE, clip, when_text
from bot.ui.question_screens import mine_button as _mine
from bot.ui.replies import not_text, use_buttons
from bot.ui.wizard import Prompt, Screen, Step, Wizard
from db.models import FaqEntry, Question
from db.repositories import Repo

log = logging.getLogger("bot.security")
SUGGESTIONS = 3
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


class Answers(TypedDict, total=False):
    """The FSM data of Asking."""

    text: str
    found: list[int]  # FAQ entries that may answer it
    topic_id: int
    attachments: list[dict[str, Any]]  # bot.ui.attachments.attachment_of
    show_contacts: bool
    may_publish: bool
    too_long_at: float  # when a text was refused as too long (its split rest follows)


class FollowUp(TypedDict, total=False):
    """The FSM data of FollowingUp."""

    question_id: int
    text: str


def limits(settings: Settings) -> qs.Limits:
    return qs.Limits(settings.questions_open_limit, settings.questions_per_day)


def _btn(text: str, action: AskAction, id: int = 0) -> InlineKeyboardButton:
    return button(text[:64], AskCb(action=action, id=id))


def _region(ctx: Ctx) -> str | None:
    return ctx.user.region_code if ctx.user else None


def refusal_text(t: Text, refusal: qs.Blocked, region_code: str | None) -> str:
    return t(
        f"questions-refused-{refusal.reason.value}",
        count=refusal.count,
        limit=refusal.limit,
        until=when_text(refusal.until, region_code),
    )


def _question_text(raw: str) -> str:
    """A question's (or a follow-up's) text; a refusal names the limits and the length."""
    try:
        return qs.question_text(raw)
    except InvalidInput as exc:
        length = len(raw.strip())
        raise InvalidInput(exc.key, min=qs.TEXT_MIN, max=qs.TEXT_MAX, length=length) from exc


# ---- the steps of asking -----------------------------------------------------------------


def _text_question(ctx: Ctx, _: Answers) -> Screen:
    text = ctx.t("questions-ask-text", min=qs.TEXT_MIN, max=qs.TEXT_MAX)
    return Screen(text, nav_keyboard(ctx.t, Asking, back=False))


def _entry_title(entry: FaqEntry) -> str:
    first = entry.question.splitlines()[0] if entry.question else ""
    return first if len(first) <= 60 else first[:59] + "…"


async def _suggestions(ctx: Ctx, answers: Answers) -> Screen:
    builder = InlineKeyboardBuilder()
    for entry_id in answers.get("found", []):
        entry = await ctx.repo.faq.get(entry_id)
        if entry is not None and entry.status == "published":
            builder.row(_btn("📖 " + _entry_title(entry), AskAction.SUGGESTION, entry.id))
    builder.row(_btn(ctx.t("questions-ask-anyway-button"), AskAction.ANYWAY))
    return Screen(ctx.t("questions-suggestions"), with_nav(builder, ctx.t, Asking))


async def _topics(ctx: Ctx, _: Answers) -> Screen:
    builder = InlineKeyboardBuilder()
    for topic in await ctx.repo.questions.topics():
        builder.add(_btn(qs.topic_label(topic, ctx.t.locale), AskAction.TOPIC, topic.id))
    builder.adjust(2)
    return Screen(ctx.t("questions-ask-topic"), with_nav(builder, ctx.t, Asking))


def _files_keyboard(t: Text, count: int) -> InlineKeyboardMarkup:
    label = (
        t("questions-files-done-button", count=count) if count else t("questions-files-none-button")
    )
    return InlineKeyboardMarkup(
        inline_keyboard=[[_btn(label, AskAction.ATTACHED)], nav_buttons(t, Asking)]
    )


def _files(ctx: Ctx, answers: Answers) -> Screen:
    count = len(answers.get("attachments", []))
    text = ctx.t("questions-ask-files", max=qs.MAX_ATTACHMENTS)
    return Screen(text, _files_keyboard(ctx.t, count))


def _yes_or_no(key: str, yes: str, no: str, action: AskAction) -> Prompt[Answers]:
    """A question with a Yes (id 1) and a No (id 0) button."""

    def prompt(ctx: Ctx, _: Answers) -> Screen:
        rows = [[_btn(ctx.t(yes), action, 1)], [_btn(ctx.t(no), action, 0)]]
        rows.append(nav_buttons(ctx.t, Asking))
        return Screen(ctx.t(key), InlineKeyboardMarkup(inline_keyboard=rows))

    return prompt


async def _summary(ctx: Ctx, answers: Answers) -> Screen:
    t = ctx.t
    topic = await ctx.repo.questions.topic(int(answers.get("topic_id", 0)))
    summary = t(
        "questions-summary",
        topic=html.quote(qs.topic_label(topic, t.locale)),
        text=html.quote(clip(str(answers.get("text", "")), SUMMARY_EXCERPT)),
        files=len(answers.get("attachments", [])),
        contacts=t(
            "questions-summary-named"
            if answers.get("show_contacts")
            else "questions-summary-anonymous"
        ),
        publish=t(
            "questions-summary-publish"
            if answers.get("may_publish")
            else "questions-summary-private"
        ),
    )
    rows = [[_btn(t("questions-send-button"), AskAction.SEND)], nav_buttons(t, Asking)]
    return Screen(summary, InlineKeyboardMarkup(inline_keyboard=rows))


ASKING: list[Step[Answers]] = [
    # The text is the dialog's own handler: a long text split by Telegram is refused whole.
    Step(Asking.typing, _text_question),
    Step(Asking.suggestions, _suggestions, applies=lambda answers: bool(answers.get("found"))),
    Step(Asking.topic, _topics),
    Step(Asking.attaching, _files),
    Step(
        Asking.contacts,
        _yes_or_no(
            "questions-ask-contacts",
            "questions-contacts-yes-button",
            "questions-contacts-no-button",
            AskAction.CONTACTS,
        ),
    ),
    Step(
        Asking.publish,
        _yes_or_no(
            "questions-ask-publish",
            "questions-publish-yes-button",
            "questions-publish-no-button",
            AskAction.PUBLISH,
        ),
    ),
    Step(Asking.confirm, _summary),
]
asking = Wizard(Asking, ASKING)
# The buttons that answer a step: the step, and the answer's key (its value: the id, 1 or 0).
ANSWERED_BY: dict[AskAction, tuple[State, str | None]] = {
    AskAction.ANYWAY: (Asking.suggestions, None),
    AskAction.ATTACHED: (Asking.attaching, None),
    AskAction.CONTACTS: (Asking.contacts, "show_contacts"),
    AskAction.PUBLISH: (Asking.publish, "may_publish"),
}


def _follow_up_question(ctx: Ctx, answers: FollowUp) -> Screen:
    number = int(answers.get("question_id", 0))
    text = ctx.t("questions-follow-up-ask", number=number, min=qs.TEXT_MIN, max=qs.TEXT_MAX)
    return Screen(text, nav_keyboard(ctx.t, FollowingUp, back=False))


def _follow_up_summary(ctx: Ctx, answers: FollowUp) -> Screen:
    send = _mine(
        ctx.t("questions-send-button"), MineAction.FOLLOW_UP_SEND, int(answers["question_id"])
    )
    excerpt = html.quote(clip(str(answers["text"]), SUMMARY_EXCERPT))
    return Screen(
        ctx.t("questions-follow-up-confirm", text=excerpt),
        InlineKeyboardMarkup(inline_keyboard=[[send], nav_buttons(ctx.t, FollowingUp)]),
    )


FOLLOWING_UP: list[Step[FollowUp]] = [
    Step(
        FollowingUp.typing,
        _follow_up_question,
        parse=lambda raw, ctx, answers: {"text": _question_text(raw)},
        retry=lambda ctx, answers: None,  # the hint alone: the question above has Cancel
    ),
    Step(FollowingUp.confirm, _follow_up_summary),
]
following_up = Wizard(FollowingUp, FOLLOWING_UP)


# ---- handlers: asking --------------------------------------------------------------------


async def ask_started(_: Message | CallbackQuery, ctx: Ctx) -> None:
    """/ask, or "Ask an expert" in the main menu: a question to the experts."""
    if ctx.user is None or not ctx.user.registered:
        await ctx.send(ctx.t("questions-register-first"))
        return
    refusal = await qs.blocked(ctx.repo, ctx.chat_id, limits(ctx.settings), datetime.now(UTC))
    if refusal is not None:
        await ctx.send(refusal_text(ctx.t, refusal, ctx.user.region_code))
        return
    await ctx.state.set_data({})
    await asking.ask(ctx, Asking.typing, {})


async def _text_given(
    message: Message, raw: str, ctx: Ctx, attachments: list[dict[str, Any]]
) -> None:
    sent_at = message.date.timestamp()
    if sent_at - float((await asking.data(ctx)).get("too_long_at", 0)) <= SPLIT_SECONDS:
        # Telegram apps cut a text over 4,096 characters into several messages sent at once:
        # the rest of a refused text is not a question of its own.
        await asking.update(ctx, {"too_long_at": sent_at})
        await message.answer(ctx.t("questions-text-split", max=qs.TEXT_MAX))
        return
    try:
        text = _question_text(raw)
    except InvalidInput as exc:
        if exc.key == "questions-text-too-long":
            await asking.update(ctx, {"too_long_at": sent_at})
        await message.answer(ctx.t(exc.key, **exc.values))
        return
    found = [f.entry.id for f in await ctx.repo.faq.search(qs.search(text), SUGGESTIONS)]
    answers: Answers = {"text": text, "found": found, "attachments": attachments}
    await asking.advance(ctx, asking[Asking.typing], answers)


async def text_typed(message: Message, ctx: Ctx) -> None:
    """The question's text."""
    await _text_given(message, message.text or "", ctx, [])


async def text_with_file(message: Message, ctx: Ctx) -> None:
    """A photo or document with a caption at the first step: the caption is the question,
    the file its first attachment."""
    if not message.caption:
        await message.answer(ctx.t("questions-text-first"))
        return
    attachment = attachment_of(message)
    await _text_given(message, message.caption, ctx, [attachment] if attachment else [])


async def suggestion_opened(cq: CallbackQuery, callback_data: AskCb, ctx: Ctx) -> None:
    """One FAQ entry offered before asking."""
    entry = await ctx.repo.faq.get(callback_data.id)
    if entry is None or entry.status != "published":
        await ctx.alert("faq-entry-gone")
        return
    t = ctx.t
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [_btn(t("questions-solved-button"), AskAction.SOLVED)],
            [_btn(t("questions-ask-anyway-button"), AskAction.ANYWAY)],
            [_btn(t("questions-back-to-suggestions-button"), AskAction.SUGGESTIONS)],
        ]
    )
    await ctx.show(await entry_text(ctx.repo, t, entry), markup)


async def suggestions_again(cq: CallbackQuery, ctx: Ctx) -> None:
    await ctx.drop_buttons()
    await asking.ask(ctx, Asking.suggestions)


async def solved(cq: CallbackQuery, ctx: Ctx) -> None:
    """ "This answers my question": nothing is asked."""
    await ctx.state.clear()
    await ctx.drop_buttons()
    await ctx.send(ctx.t("questions-solved"))


async def topic_chosen(cq: CallbackQuery, callback_data: AskCb, ctx: Ctx) -> None:
    topic = await ctx.repo.questions.topic(callback_data.id)
    if topic is None or topic.hidden:
        await ctx.outdated()
        return
    await ctx.drop_buttons()
    await asking.advance(ctx, asking[Asking.topic], {"topic_id": topic.id})


async def step_answered(cq: CallbackQuery, callback_data: AskCb, ctx: Ctx) -> None:
    """Ask anyway, Done with the files, the contacts' and the publishing's Yes or No."""
    state, key = ANSWERED_BY[callback_data.action]
    await ctx.drop_buttons()
    answers = cast(Answers, {key: bool(callback_data.id)} if key else {})
    await asking.advance(ctx, asking[state], answers)


async def file_added(message: Message, ctx: Ctx) -> None:
    """A photo or a document for the question."""
    await add_attachment(message, ctx.state, ctx.t, _files_keyboard)


async def file_unsupported(message: Message, ctx: Ctx) -> None:
    """A sticker, voice, video... where photos and documents are taken."""
    await message.answer(ctx.t("questions-files-unsupported"))


async def file_text(message: Message, ctx: Ctx) -> None:
    count = len((await asking.data(ctx)).get("attachments", []))
    await message.answer(ctx.t("questions-files-hint"), reply_markup=_files_keyboard(ctx.t, count))


async def sent(cq: CallbackQuery, ctx: Ctx) -> None:
    """Send: the question is stored, its number told, the topic's experts notified."""
    data = await asking.data(ctx)
    await ctx.state.clear()
    await ctx.drop_buttons()
    draft = qs.Draft(
        topic_id=int(data.get("topic_id", 0)),
        text=str(data.get("text", "")),
        attachments=list(data.get("attachments", [])),
        show_contacts=bool(data.get("show_contacts")),
        may_publish=bool(data.get("may_publish")),
    )
    now = datetime.now(UTC)
    result = await qs.ask(ctx.repo, ctx.chat_id, draft, limits(ctx.settings), now)
    if isinstance(result, qs.Blocked):
        await ctx.send(refusal_text(ctx.t, result, _region(ctx)))
        return
    await ctx.send(ctx.t("questions-sent", number=result.id))
    if ctx.settings.experts_group_id is not None:
        await post_to_forum(ctx.bot, ctx.repo, ctx.translator, ctx.settings, result.id)


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


async def _mine_screen(ctx: Ctx, page: int) -> screens.Screen:
    repo, user_id = ctx.repo, ctx.chat_id
    rows, total = await repo.questions.of_asker(user_id, page * PAGE, PAGE)
    pages = page_count(total, PAGE)
    if page >= pages:
        page = pages - 1
        rows, total = await repo.questions.of_asker(user_id, page * PAGE, PAGE)
    topics = {topic.id: topic for topic in await repo.questions.topics(with_hidden=True)}
    return screens.mine_screen(ctx.t, rows, topics, total, page, pages)


async def mine_listed(_: Message | CallbackQuery, ctx: Ctx) -> None:
    """/my_questions, or "My questions" in the main menu: one's questions with their states."""
    if ctx.user is None or not ctx.user.registered:
        await ctx.alert("questions-register-first")
        return
    await ctx.send(*await _mine_screen(ctx, 0))


async def mine_turned(cq: CallbackQuery, callback_data: MineCb, ctx: Ctx) -> None:
    await ctx.show(*await _mine_screen(ctx, max(callback_data.page, 0)))


async def own_question(cq: CallbackQuery, ctx: Ctx, question_id: int) -> Question | None:
    """The question if the presser asked it; anything else is refused and logged."""
    question = await ctx.repo.questions.get(question_id)
    if question is None or question.asker_id != cq.from_user.id:
        if question is not None:
            log.warning(
                "refused question %s to user %s: not the asker", question_id, cq.from_user.id
            )
        await ctx.outdated()
        return None
    return question


async def card(ctx: Ctx, question: Question, page: int) -> screens.Screen:
    """The asker's view of their question: state, text, the thread; what they can do now."""
    topic = await ctx.repo.questions.topic(question.topic_id)
    thread = await ctx.repo.questions.messages(question.id)
    return screens.asker_card_screen(ctx.t, question, topic, thread, _region(ctx), page)


async def mine_opened(cq: CallbackQuery, callback_data: MineCb, ctx: Ctx) -> None:
    question = await own_question(cq, ctx, callback_data.question_id)
    if question is not None:
        await ctx.show(*await card(ctx, question, callback_data.page))


async def full_shown(cq: CallbackQuery, callback_data: MineCb, ctx: Ctx) -> None:
    """The whole thread, each part a message of its own, with the files."""
    question = await own_question(cq, ctx, callback_data.question_id)
    if question is None:
        return
    t = ctx.t
    await ctx.send(t("questions-full-question", number=question.id, text=html.quote(question.text)))
    await send_files(ctx.bot, ctx.chat_id, question.attachments)
    for message in await ctx.repo.questions.messages(question.id):
        key = "questions-full-answer" if message.kind == "answer" else "questions-full-follow-up"
        await ctx.send(t(key, text=html.quote(message.text)))
        await send_files(ctx.bot, ctx.chat_id, message.attachments)


async def withdraw_asked(cq: CallbackQuery, callback_data: MineCb, ctx: Ctx) -> None:
    question = await own_question(cq, ctx, callback_data.question_id)
    if question is None:
        return
    if question.status not in ("new", "taken"):
        await ctx.alert("questions-withdraw-gone")
        return
    qid, page, t = question.id, callback_data.page, ctx.t
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _mine(t("questions-withdraw-yes"), MineAction.WITHDRAW_YES, qid, page=page),
                _mine(t("questions-withdraw-no"), MineAction.OPEN, qid, page=page),
            ]
        ]
    )
    await ctx.show(t("questions-withdraw-confirm", number=qid), markup)


async def withdraw_confirmed(cq: CallbackQuery, callback_data: MineCb, ctx: Ctx) -> None:
    question = await own_question(cq, ctx, callback_data.question_id)
    if question is None:
        return
    if not await qs.withdraw(ctx.repo, question.id, cq.from_user.id, datetime.now(UTC)):
        await ctx.alert("questions-withdraw-gone")
        return
    await ctx.alert("questions-withdrawn", number=question.id)
    fresh = await ctx.repo.questions.get(question.id)
    if fresh is not None:
        await ctx.show(*await card(ctx, fresh, callback_data.page))


async def rated(cq: CallbackQuery, callback_data: MineCb, ctx: Ctx) -> None:
    """Helpful / Not helpful (from the answer's message or the card)."""
    question = await own_question(cq, ctx, callback_data.question_id)
    if question is None:
        return
    rating = qs.RATINGS[0] if callback_data.rating else qs.RATINGS[1]
    if not await qs.rate(ctx.repo, question.id, cq.from_user.id, rating, datetime.now(UTC)):
        await ctx.alert("questions-rate-gone")
        return
    await ctx.drop_buttons()
    await ctx.send(ctx.t(f"questions-rated-thanks-{rating}", number=question.id))


async def follow_up_pressed(cq: CallbackQuery, callback_data: MineCb, ctx: Ctx) -> None:
    question = await own_question(cq, ctx, callback_data.question_id)
    if question is None:
        return
    if question.status != "answered" or question.follow_up_used or question.rating:
        await ctx.alert("questions-follow-up-gone")
        return
    await ctx.state.set_data({"question_id": question.id})
    await following_up.ask(ctx, FollowingUp.typing)


async def follow_up_sent(cq: CallbackQuery, callback_data: MineCb, ctx: Ctx) -> None:
    data = await following_up.data(ctx)
    await ctx.state.clear()
    await ctx.drop_buttons()
    question_id = int(data.get("question_id", 0))
    if question_id != callback_data.question_id:
        await ctx.outdated()
        return
    text = str(data.get("text", ""))
    question = await qs.follow_up(ctx.repo, question_id, cq.from_user.id, text, datetime.now(UTC))
    if question is None:
        await ctx.send(ctx.t("questions-follow-up-gone"))
        return
    await ctx.send(ctx.t("questions-follow-up-sent", number=question_id))
    await post_follow_up(ctx.bot, ctx.repo, ctx.translator, question, text)


def router() -> Router:
    r = Router(name=__name__)
    m = r.message
    m.register(ask_started, Command("ask"))
    m.register(mine_listed, Command("my_questions"))
    m.register(text_typed, Asking.typing, TYPED)
    m.register(text_with_file, Asking.typing, F.photo | F.document, NOT_COMMAND)
    m.register(file_added, Asking.attaching, F.photo | F.document, NOT_COMMAND)
    m.register(file_text, Asking.attaching, TYPED)
    m.register(file_unsupported, Asking.attaching, NOT_COMMAND)
    m.register(following_up.typed, FollowingUp.typing, TYPED)
    # Not the engine's catch-alls (wizard.register): here a command typed mid-dialog goes on
    # to the routers after this one, and anything sent at a button step is told to use them.
    m.register(not_text, StateFilter(Asking.typing, FollowingUp.typing), NOT_COMMAND)
    buttons = (Asking.suggestions, Asking.topic, Asking.contacts, Asking.publish, Asking.confirm)
    m.register(use_buttons, StateFilter(*buttons, FollowingUp.confirm), NOT_COMMAND)
    cb = r.callback_query
    cb.register(ask_started, MenuCb.filter(F.action == MenuAction.ASK))
    cb.register(mine_listed, MenuCb.filter(F.action == MenuAction.MY_QUESTIONS))
    back = NavCb.filter(F.action == Nav.BACK)
    cb.register(asking.went_back, StateFilter(Asking), back)
    cb.register(following_up.went_back, FollowingUp.confirm, back)
    cb.register(
        suggestion_opened, Asking.suggestions, AskCb.filter(F.action == AskAction.SUGGESTION)
    )
    cb.register(
        suggestions_again, Asking.suggestions, AskCb.filter(F.action == AskAction.SUGGESTIONS)
    )
    cb.register(solved, Asking.suggestions, AskCb.filter(F.action == AskAction.SOLVED))
    cb.register(topic_chosen, Asking.topic, AskCb.filter(F.action == AskAction.TOPIC))
    for action, (step, _) in ANSWERED_BY.items():
        cb.register(step_answered, step, AskCb.filter(F.action == action))
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
