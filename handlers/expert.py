"""Experts (and admins) work on questions: /questions (the queue of their topics, oldest first,
and what they hold), a question's card, Take (first taker wins) and Skip from the notification,
Release, and the answer: text, files, "good for the FAQ", a preview, Send.

Every update here passes `RoleGate(Role.EXPERT, Role.ADMIN)`; each handler then reads the
question and who may do what with it from the database (`bot/services/questions.access`).

```mermaid
stateDiagram-v2
    [*] --> typing: Answer (the question is held by this expert)
    typing --> attaching: the answer's text (2-3,000 characters)
    attaching --> attaching: a photo or a document (up to 5)
    attaching --> preview: Preview
    preview --> preview: tick "good for the FAQ" / "name me in the FAQ"
    preview --> [*]: Send → the asker gets it; an FAQ draft if ticked
    note right of preview: Back returns one step; /cancel leaves
```
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any, TypedDict

from aiogram import F, Router, html
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.filters import NOT_COMMAND, TYPED
from bot.i18n import Text
from bot.middlewares.gate import RoleGate
from bot.services import questions as qs
from bot.services.question_relay import send_files
from bot.services.roles import Role
from bot.services.validation import InvalidInput
from bot.ui import question_screens as screens
from bot.ui.attachments import add_attachment, attachment_of
from bot.ui.callbacks.menu import MenuAction, MenuCb
from bot.ui.callbacks.questions import ExpertAction, ExpertCb, FaqAction, FaqCb
from bot.ui.context import Ctx
from bot.ui.keyboards import Nav, NavCb, button, nav_buttons, nav_keyboard
from bot.ui.question_screens import PAGE
from bot.ui.question_screens import expert_button as _btn
from bot.ui.replies import use_buttons
from bot.ui.wizard import Screen, Step, Wizard
from db.models import Question
from db.repositories import Repo

log = logging.getLogger("bot.security")


class Answering(StatesGroup):
    typing = State()  # data: AnswerData, question_id
    attaching = State()  # + text, attachments
    preview = State()  # + faq, name


class AnswerData(TypedDict, total=False):
    """The FSM data of Answering."""

    question_id: int
    text: str
    attachments: list[dict[str, Any]]  # bot.ui.attachments.attachment_of
    faq: bool  # "good for the FAQ"
    name: bool  # "name me in the FAQ"


# ---- the queue ---------------------------------------------------------------------------


async def queue_screen(repo: Repo, t: Text, user_id: int, page: int) -> screens.Screen:
    roles = await repo.roles.of(user_id)
    admin = Role.ADMIN.value in roles
    mine = await repo.questions.topics_of(user_id) if Role.EXPERT.value in roles else set()
    if not mine and not admin:
        return t("questions-expert-no-topics"), InlineKeyboardMarkup(inline_keyboard=[])
    topics = {topic.id: topic for topic in await repo.questions.topics(with_hidden=True)}
    topic_ids = None if admin and not mine else sorted(mine)
    waiting, total = await repo.questions.waiting(topic_ids, page * PAGE, PAGE)
    pages = max(1, -(-total // PAGE))
    if page >= pages:
        page = pages - 1
        waiting, total = await repo.questions.waiting(topic_ids, page * PAGE, PAGE)
    held = await repo.questions.taken_by(user_id)
    queue = screens.Queue(topics, mine, held, waiting, total, page, pages)
    return screens.queue_screen(t, queue, datetime.now(UTC))


async def queue_opened(_: Message | CallbackQuery, ctx: Ctx) -> None:
    """/questions or "Questions" in the main menu: the queue of one's topics, oldest first,
    and the questions one holds."""
    await ctx.send(*await queue_screen(ctx.repo, ctx.t, ctx.chat_id, 0))


async def queue_turned(cq: CallbackQuery, callback_data: ExpertCb, ctx: Ctx) -> None:
    page = max(callback_data.page, 0)
    await ctx.show(*await queue_screen(ctx.repo, ctx.t, ctx.chat_id, page))


# ---- a question --------------------------------------------------------------------------


async def readable(ctx: Ctx, question_id: int) -> tuple[Question, qs.Access] | None:
    """The question and how the presser may see it; a question not theirs to read is refused
    and logged (a forged or stale button)."""
    question = await ctx.repo.questions.get(question_id)
    if question is None:
        await ctx.outdated()
        return None
    reader = await qs.access(ctx.repo, question, ctx.chat_id)
    if reader in (qs.Access.NONE, qs.Access.ASKER):
        log.warning("refused question %s to user %s: not theirs", question_id, ctx.chat_id)
        message = "questions-taken-by-other" if question.status == "taken" else "common-not-allowed"
        await ctx.alert(message)
        return None
    return question, reader


async def card(
    repo: Repo, t: Text, question: Question, reader: qs.Access, region_code: str | None, page: int
) -> screens.Screen:
    """The expert's view: the question, the asker only if allowed, the thread, the actions."""
    topic = await repo.questions.topic(question.topic_id)
    thread = await repo.questions.messages(question.id)
    seen = qs.sees_contacts(question, reader)
    asker = await repo.users.get(question.asker_id) if seen else None
    return screens.card_screen(t, question, topic, thread, asker, reader, region_code, page)


def _region(ctx: Ctx) -> str | None:
    return ctx.user.region_code if ctx.user else None


async def opened(cq: CallbackQuery, callback_data: ExpertCb, ctx: Ctx) -> None:
    """A question's card (from the queue, a nudge or a follow-up notification)."""
    found = await readable(ctx, callback_data.question_id)
    if found is None:
        return
    question, reader = found
    page = callback_data.page
    text, markup = await card(ctx.repo, ctx.t, question, reader, _region(ctx), page)
    if _from_queue(cq):
        await ctx.show(text, markup)  # within /questions: the screen changes in place
    else:  # a notification: the card comes as a message of its own
        await ctx.send(text, markup)


def _from_queue(cq: CallbackQuery) -> bool:
    """Pressed on the queue or a card (they have the way back to the queue)."""
    markup = cq.message.reply_markup if isinstance(cq.message, Message) else None
    queue = ExpertCb(action=ExpertAction.QUEUE).pack().split(":")[:2]
    return markup is not None and any(
        (b.callback_data or "").split(":")[:2] == queue
        for row in markup.inline_keyboard
        for b in row
    )


async def files_shown(cq: CallbackQuery, callback_data: ExpertCb, ctx: Ctx) -> None:
    found = await readable(ctx, callback_data.question_id)
    if found is None:
        return
    question, _reader = found
    await send_files(ctx.bot, ctx.chat_id, question.attachments)
    for message in await ctx.repo.questions.messages(question.id):
        await send_files(ctx.bot, ctx.chat_id, message.attachments)


async def taken(cq: CallbackQuery, callback_data: ExpertCb, ctx: Ctx) -> None:
    """Take: the question is this expert's unless someone was first."""
    repo, t, question_id = ctx.repo, ctx.t, callback_data.question_id
    outcome = await qs.take(repo, question_id, ctx.chat_id, datetime.now(UTC))
    if outcome is qs.Take.NOT_YOUR_TOPIC:
        log.warning(
            "refused take of question %s by user %s: not their topic", question_id, ctx.chat_id
        )
        await ctx.alert("common-not-allowed")
        return
    await ctx.drop_buttons()
    if outcome in (qs.Take.OTHER, qs.Take.CLOSED):
        await ctx.alert(
            "questions-taken-by-other" if outcome is qs.Take.OTHER else "questions-closed"
        )
        return
    if outcome is qs.Take.YOURS:
        await cq.answer(t("questions-already-yours"))
    question = await repo.questions.get(question_id)
    assert question is not None
    page = callback_data.page
    text, markup = await card(repo, t, question, qs.Access.EXPERT, _region(ctx), page)
    if outcome is qs.Take.TAKEN:
        await ctx.send(t("questions-taken", number=question.id))
    await ctx.send(text, markup)


async def skipped(cq: CallbackQuery, ctx: Ctx) -> None:
    """Skip: the notification's buttons go; the question stays in /questions for everyone."""
    await ctx.drop_buttons()
    await cq.answer(ctx.t("questions-skipped"))


async def released(cq: CallbackQuery, callback_data: ExpertCb, ctx: Ctx) -> None:
    repo, question_id = ctx.repo, callback_data.question_id
    if not await qs.release(repo, question_id, ctx.chat_id, datetime.now(UTC)):
        await ctx.alert("questions-not-held")
        return
    await ctx.alert("questions-released", number=question_id)
    question = await repo.questions.get(question_id)
    if question is None:
        return
    reader = await qs.access(repo, question, ctx.chat_id)
    page = callback_data.page
    await ctx.show(*await card(repo, ctx.t, question, reader, _region(ctx), page))


# ---- answering ---------------------------------------------------------------------------


async def _held(repo: Repo, question_id: int, expert_id: int) -> Question | None:
    question = await repo.questions.get(question_id)
    if question is None or question.status != "taken" or question.expert_id != expert_id:
        return None
    return question


def _files_markup(t: Text, count: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_btn(t("questions-answer-preview-button", count=count), ExpertAction.ATTACHED)],
            nav_buttons(t, Answering),
        ]
    )


def _text_question(ctx: Ctx, answers: AnswerData) -> Screen:
    text = ctx.t("questions-answer-ask", number=answers.get("question_id", 0), max=qs.ANSWER_MAX)
    return Screen(text, nav_keyboard(ctx.t, Answering, back=False))


def _files_question(ctx: Ctx, answers: AnswerData) -> Screen:
    count = len(answers.get("attachments", []))
    return Screen(
        ctx.t("questions-answer-files", max=qs.MAX_ATTACHMENTS), _files_markup(ctx.t, count)
    )


async def _preview(ctx: Ctx, answers: AnswerData) -> Screen:
    t, data = ctx.t, answers
    qid = int(data.get("question_id", 0))
    question = await ctx.repo.questions.get(qid)
    may_publish = question is not None and question.may_publish
    faq, name = bool(data.get("faq")), bool(data.get("name"))
    rows: list[list[InlineKeyboardButton]] = []
    if may_publish:
        mark = "☑️ " if faq else "⬜️ "
        rows.append([_btn(mark + t("questions-faq-toggle"), ExpertAction.FAQ, qid)])
        if faq:
            mark = "☑️ " if name else "⬜️ "
            rows.append([_btn(mark + t("questions-name-toggle"), ExpertAction.NAME, qid)])
    rows.append([_btn(t("questions-answer-send-button"), ExpertAction.SEND, qid)])
    rows.append(nav_buttons(t, Answering))
    text = t(
        "questions-answer-preview",
        number=qid,
        text=html.quote(str(data.get("text", ""))),
        files=len(data.get("attachments", [])),
    )
    if not may_publish:
        text += "\n\n" + t("questions-faq-not-allowed")
    return Screen(text[:4000], InlineKeyboardMarkup(inline_keyboard=rows))


def _answer_text(raw: str, ctx: Ctx, _: AnswerData) -> AnswerData:
    try:
        return {"text": qs.answer_text(raw), "attachments": []}
    except InvalidInput as exc:  # every hint may name the limits and the length
        length = len(raw.strip())
        raise InvalidInput(exc.key, min=qs.ANSWER_MIN, max=qs.ANSWER_MAX, length=length) from exc


ANSWERING: list[Step[AnswerData]] = [
    # A wrong answer gets its hint alone: the question above has Cancel.
    Step(Answering.typing, _text_question, parse=_answer_text, retry=lambda ctx, a: None),
    Step(Answering.attaching, _files_question),  # the files are the dialog's own handlers
    Step(Answering.preview, _preview),
]
answering = Wizard(Answering, ANSWERING)


async def answer_pressed(cq: CallbackQuery, callback_data: ExpertCb, ctx: Ctx) -> None:
    """Answer: only the expert holding the question."""
    question = await _held(ctx.repo, callback_data.question_id, ctx.chat_id)
    if question is None:
        log.warning(
            "refused answer to question %s by user %s: not held by them",
            callback_data.question_id,
            ctx.chat_id,
        )
        await ctx.alert("questions-not-held")
        return
    await ctx.state.set_data({"question_id": question.id})
    await answering.ask(ctx, Answering.typing, {"question_id": question.id})


async def answer_with_file(message: Message, ctx: Ctx) -> None:
    """A file with a caption as the answer's first message: the caption is the text."""
    t = ctx.t
    if not message.caption:
        await message.answer(t("questions-answer-text-first"))
        return
    try:
        answers = _answer_text(message.caption, ctx, {})
    except InvalidInput as exc:
        await message.answer(t(exc.key, **exc.values))
        return
    found = attachment_of(message)
    await answering.update(ctx, {**answers, "attachments": [found] if found else []})
    await ctx.state.set_state(Answering.attaching)
    await message.answer(
        t("questions-file-added", count=1, max=qs.MAX_ATTACHMENTS),
        reply_markup=_files_markup(t, 1),
    )


async def answer_not_text(message: Message, t: Text) -> None:
    await message.answer(t("questions-answer-text-first"))


async def answer_file(message: Message, state: FSMContext, t: Text) -> None:
    """A photo or a document for the answer."""
    await add_attachment(message, state, t, _files_markup)


async def answer_file_text(message: Message, state: FSMContext, t: Text) -> None:
    count = len((await state.get_data()).get("attachments", []))
    await message.answer(t("questions-answer-files-hint"), reply_markup=_files_markup(t, count))


async def answer_file_unsupported(message: Message, t: Text) -> None:
    await message.answer(t("questions-files-unsupported"))


async def preview_pressed(cq: CallbackQuery, ctx: Ctx) -> None:
    await ctx.drop_buttons()
    await answering.advance(ctx, answering[Answering.attaching], {})


async def toggled(cq: CallbackQuery, callback_data: ExpertCb, ctx: Ctx) -> None:
    """Tick "good for the FAQ" or "name me in the FAQ"."""
    data = await answering.data(ctx)
    faq, name = bool(data.get("faq")), bool(data.get("name"))
    if callback_data.action is ExpertAction.FAQ:
        faq = not faq
        name = name and faq
    else:
        name = faq and not name
    answers = await answering.update(ctx, {"faq": faq, "name": name})
    await ctx.drop_buttons()
    await answering.ask(ctx, Answering.preview, answers)


async def answer_sent(cq: CallbackQuery, callback_data: ExpertCb, ctx: Ctx) -> None:
    """Send: the asker gets the answer in their chat; a draft for the FAQ if ticked."""
    t, bot = ctx.t, ctx.bot
    data = await answering.data(ctx)
    if int(data.get("question_id", 0)) != callback_data.question_id:
        await ctx.outdated()
        return
    await ctx.state.clear()
    await ctx.drop_buttons()
    done = await qs.answer(
        ctx.repo,
        callback_data.question_id,
        ctx.chat_id,
        str(data.get("text", "")),
        list(data.get("attachments", [])),
        datetime.now(UTC),
        good_for_faq=bool(data.get("faq")),
        show_name=bool(data.get("name")),
    )
    if done is None:
        await ctx.send(t("questions-not-held"))
        return
    markup = None
    if done.faq is not None:
        edit = FaqCb(action=FaqAction.EDIT, entry_id=done.faq.id)
        markup = InlineKeyboardMarkup(
            inline_keyboard=[[button(t("faq-edit-publish-button"), edit)]]
        )
    key = "questions-answer-sent-faq" if done.faq is not None else "questions-answer-sent"
    await ctx.send(t(key, number=done.question.id), markup)
    question = done.question
    if question.forum_chat_id is not None and question.forum_thread_id is not None:
        group_t = ctx.translator.for_locale(ctx.translator.default_locale)
        try:  # the group sees it is done (best effort: the answer itself is delivered)
            await bot.send_message(
                question.forum_chat_id,
                group_t("questions-forum-answered", number=question.id),
                message_thread_id=question.forum_thread_id,
            )
        except TelegramAPIError as exc:
            log.warning("answer note for question %s not posted: %s", question.id, exc)


def router() -> Router:
    r = Router(name=__name__)
    gate = RoleGate(Role.EXPERT, Role.ADMIN)
    r.message.middleware(gate)
    r.callback_query.middleware(gate)
    m = r.message
    m.register(queue_opened, Command("questions"))
    m.register(answering.typed, Answering.typing, TYPED)
    m.register(answer_with_file, Answering.typing, F.photo | F.document, NOT_COMMAND)
    m.register(answer_not_text, Answering.typing, NOT_COMMAND)
    m.register(answer_file, Answering.attaching, F.photo | F.document, NOT_COMMAND)
    m.register(answer_file_text, Answering.attaching, TYPED)
    m.register(answer_file_unsupported, Answering.attaching, NOT_COMMAND)
    m.register(use_buttons, Answering.preview, NOT_COMMAND)
    cb = r.callback_query
    cb.register(queue_opened, MenuCb.filter(F.action == MenuAction.QUESTIONS))
    back = NavCb.filter(F.action == Nav.BACK)
    cb.register(answering.went_back, StateFilter(Answering.attaching, Answering.preview), back)
    cb.register(queue_turned, ExpertCb.filter(F.action == ExpertAction.QUEUE))
    cb.register(opened, ExpertCb.filter(F.action == ExpertAction.OPEN))
    cb.register(files_shown, ExpertCb.filter(F.action == ExpertAction.FILES))
    cb.register(taken, ExpertCb.filter(F.action == ExpertAction.TAKE))
    cb.register(skipped, ExpertCb.filter(F.action == ExpertAction.SKIP))
    cb.register(released, ExpertCb.filter(F.action == ExpertAction.RELEASE))
    cb.register(answer_pressed, ExpertCb.filter(F.action == ExpertAction.ANSWER))
    cb.register(
        preview_pressed, Answering.attaching, ExpertCb.filter(F.action == ExpertAction.ATTACHED)
    )
    cb.register(
        toggled,
        Answering.preview,
        ExpertCb.filter(F.action.in_({ExpertAction.FAQ, ExpertAction.NAME})),
    )
    cb.register(answer_sent, Answering.preview, ExpertCb.filter(F.action == ExpertAction.SEND))
    return r
