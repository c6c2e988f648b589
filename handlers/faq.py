"""/faq: the public answers by topic, and a search (typed words, Russian morphology); each
entry shows the question, the answer, the expert's name if they agreed, and the date. Admins
(and the expert who answered, while it is a draft) edit the anonymised text and publish it;
admins unpublish.

```mermaid
stateDiagram-v2
    [*] --> browsing: /faq (or /faq words)
    browsing --> browsing: a topic, an entry, typed words → results
    [*] --> editing: Edit (admins; the expert of a draft)
    editing --> editing: new question / answer text (10-3,000 characters)
    editing --> [*]: Publish; Unpublish (admins, with confirmation)
```
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from aiogram import Bot, F, Router, html
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.filters import NOT_COMMAND, TYPED
from bot.i18n import Text
from bot.services import questions as qs
from bot.services.roles import Role
from bot.services.validation import InvalidInput
from bot.ui.callbacks.menu import MenuAction, MenuCb
from bot.ui.callbacks.questions import FaqAction, FaqCb
from bot.ui.keyboards import Nav, NavCb, nav_keyboard
from bot.ui.pagination import page_count
from bot.ui.replies import not_text, take_buttons_off
from bot.ui.screens import show
from db.models import FaqEntry
from db.repositories import Repo
from handlers.questions import entry_text

log = logging.getLogger("bot.security")
PAGE = 6
RESULTS = 6


class Faq(StatesGroup):
    searching = State()  # data: query, found (entry ids)


class FaqEditing(StatesGroup):
    question = State()  # data: entry_id
    answer = State()


def _btn(text: str, action: FaqAction, **kw: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text[:64], callback_data=FaqCb(action=action, **kw).pack())


def _title(entry: FaqEntry) -> str:
    first = entry.question.splitlines()[0] if entry.question else "…"
    return first if len(first) <= 60 else first[:59] + "…"


async def _topics_screen(repo: Repo, t: Text) -> tuple[str, InlineKeyboardMarkup]:
    counts = await repo.faq.published_counts()
    builder = InlineKeyboardBuilder()
    for topic in await repo.questions.topics(with_hidden=True):
        count = counts.get(topic.id, 0)
        if count or not topic.hidden:
            label = f"{qs.topic_label(topic, t.locale)} ({count})"
            builder.row(_btn(label, FaqAction.TOPIC, topic_id=topic.id))
    key = "faq-topics" if counts else "faq-empty"
    return t(key, count=sum(counts.values())), builder.as_markup()


async def _start(bot: Bot, chat_id: int, state: FSMContext, repo: Repo, t: Text) -> None:
    await state.set_state(Faq.searching)
    await state.set_data({})
    text, markup = await _topics_screen(repo, t)
    await bot.send_message(chat_id, text, reply_markup=markup)


async def faq_command(
    message: Message, command: CommandObject, bot: Bot, state: FSMContext, repo: Repo, t: Text
) -> None:
    """/faq: the topics; /faq words: a search."""
    words = (command.args or "").strip()
    if words:
        await state.set_state(Faq.searching)
        await _search(message, words, state, repo, t)
        return
    await _start(bot, message.chat.id, state, repo, t)


async def faq_pressed(cq: CallbackQuery, bot: Bot, state: FSMContext, repo: Repo, t: Text) -> None:
    """ "FAQ" in the main menu."""
    await _start(bot, cq.from_user.id, state, repo, t)


async def topics_shown(cq: CallbackQuery, state: FSMContext, repo: Repo, t: Text) -> None:
    await state.set_state(Faq.searching)  # the topics screen invites typing words
    await show(cq, *await _topics_screen(repo, t))


async def topic_shown(cq: CallbackQuery, callback_data: FaqCb, repo: Repo, t: Text) -> None:
    """A topic's entries, newest first, a page at a time."""
    topic = await repo.questions.topic(callback_data.topic_id)
    if topic is None:
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    page = max(callback_data.page, 0)
    entries, total = await repo.faq.published_in(topic.id, page * PAGE, PAGE)
    pages = page_count(total, PAGE)
    if page >= pages:
        page = pages - 1
        entries, total = await repo.faq.published_in(topic.id, page * PAGE, PAGE)
    builder = InlineKeyboardBuilder()
    for entry in entries:
        builder.row(
            _btn(_title(entry), FaqAction.ENTRY, entry_id=entry.id, topic_id=topic.id, page=page)
        )
    arrows = []
    if page > 0:
        arrows.append(_btn("◀️", FaqAction.TOPIC, topic_id=topic.id, page=page - 1))
    if page < pages - 1:
        arrows.append(_btn("▶️", FaqAction.TOPIC, topic_id=topic.id, page=page + 1))
    if arrows:
        builder.row(*arrows)
    builder.row(_btn(t("faq-back-to-topics-button"), FaqAction.TOPICS))
    name = html.quote(qs.topic_label(topic, t.locale))
    key = "faq-topic" if total else "faq-topic-empty"
    await show(cq, t(key, topic=name, count=total, page=page + 1, pages=pages), builder.as_markup())


async def _search(message: Message, words: str, state: FSMContext, repo: Repo, t: Text) -> None:
    query = qs.search(words[:500])
    found = await repo.faq.search(query, RESULTS)
    # One search per prompt: text typed later (an event's code word...) is not a search.
    await state.set_state(None)
    await state.update_data(query=words[:200], found=[f.entry.id for f in found])
    builder = InlineKeyboardBuilder()
    for item in found:
        builder.row(_btn(_title(item.entry), FaqAction.ENTRY, entry_id=item.entry.id))
    builder.row(
        _btn(t("faq-search-again-button"), FaqAction.SEARCH_AGAIN),
        _btn(t("faq-back-to-topics-button"), FaqAction.TOPICS),
    )
    key = "faq-results" if found else "faq-no-results"
    await message.answer(
        t(key, query=html.quote(words[:200]), count=len(found)), reply_markup=builder.as_markup()
    )


async def suggest_answers(message: Message, state: FSMContext, repo: Repo, t: Text) -> bool:
    """Text typed outside any dialog: the FAQ entries it matches, and the way to ask an
    expert; or, for what reads as a question but matches nothing, just that way. False when
    neither (not a question, no match)."""
    words = (message.text or "")[:500]
    found = await repo.faq.search(qs.search(words), 3)
    ask = InlineKeyboardButton(
        text=t("menu-ask"), callback_data=MenuCb(action=MenuAction.ASK).pack()
    )
    if found:
        await state.update_data(query=words[:200], found=[f.entry.id for f in found])
        builder = InlineKeyboardBuilder()
        for item in found:
            builder.row(_btn(_title(item.entry), FaqAction.ENTRY, entry_id=item.entry.id))
        builder.row(ask)
        await message.answer(t("faq-suggested", count=len(found)), reply_markup=builder.as_markup())
        return True
    if not qs.looks_like_question(words):
        return False
    faq = InlineKeyboardButton(
        text=t("menu-faq"), callback_data=MenuCb(action=MenuAction.FAQ).pack()
    )
    await message.answer(
        t("faq-suggest-ask"), reply_markup=InlineKeyboardMarkup(inline_keyboard=[[ask], [faq]])
    )
    return True


async def search_again(cq: CallbackQuery, bot: Bot, state: FSMContext, t: Text) -> None:
    """Search again: the next text typed is the query."""
    await state.set_state(Faq.searching)
    await bot.send_message(cq.from_user.id, t("faq-search-prompt"))


async def search_typed(message: Message, state: FSMContext, repo: Repo, t: Text) -> None:
    """Words typed while browsing: a search."""
    await _search(message, message.text or "", state, repo, t)


async def results_shown(cq: CallbackQuery, state: FSMContext, repo: Repo, t: Text) -> None:
    """Back from an entry to the last search's results."""
    data = await state.get_data()
    builder = InlineKeyboardBuilder()
    count = 0
    for entry_id in data.get("found", []):
        entry = await repo.faq.get(int(entry_id))
        if entry is not None and entry.status == "published":
            builder.row(_btn(_title(entry), FaqAction.ENTRY, entry_id=entry.id))
            count += 1
    builder.row(_btn(t("faq-back-to-topics-button"), FaqAction.TOPICS))
    key = "faq-results" if count else "faq-no-results"
    query = html.quote(str(data.get("query", "")))
    await show(cq, t(key, query=query, count=count), builder.as_markup())


async def _is_admin(repo: Repo, user_id: int) -> bool:
    return Role.ADMIN.value in await repo.roles.of(user_id)


async def entry_shown(cq: CallbackQuery, callback_data: FaqCb, repo: Repo, t: Text) -> None:
    """One entry; admins also get Edit and Unpublish."""
    entry = await repo.faq.get(callback_data.entry_id)
    admin = await _is_admin(repo, cq.from_user.id)
    if entry is None or (entry.status != "published" and not admin):
        await cq.answer(t("faq-entry-gone"), show_alert=True)
        return
    rows: list[list[InlineKeyboardButton]] = []
    if admin:
        rows.append(
            [
                _btn(t("faq-edit-button"), FaqAction.EDIT, entry_id=entry.id),
                _btn(t("faq-unpublish-button"), FaqAction.UNPUBLISH, entry_id=entry.id),
            ]
        )
    if callback_data.topic_id:
        back = _btn(
            t("faq-back-button"),
            FaqAction.TOPIC,
            topic_id=callback_data.topic_id,
            page=callback_data.page,
        )
    else:
        back = _btn(t("faq-back-button"), FaqAction.SEARCH)
    rows.append([back])
    await show(cq, await entry_text(repo, t, entry), InlineKeyboardMarkup(inline_keyboard=rows))


# ---- editing -----------------------------------------------------------------------------


async def _editable(cq: CallbackQuery, repo: Repo, t: Text, entry_id: int) -> FaqEntry | None:
    entry = await repo.faq.get(entry_id)
    if entry is None:
        await cq.answer(t("faq-entry-gone"), show_alert=True)
        return None
    if not await qs.may_edit_faq(repo, entry, cq.from_user.id):
        log.warning("refused FAQ entry %s edit by user %s", entry_id, cq.from_user.id)
        await cq.answer(t("common-not-allowed"), show_alert=True)
        return None
    return entry


async def _editor(
    repo: Repo, t: Text, entry: FaqEntry, user_id: int
) -> tuple[str, InlineKeyboardMarkup]:
    admin = await _is_admin(repo, user_id)
    rows = [
        [
            _btn(t("faq-edit-question-button"), FaqAction.EDIT_QUESTION, entry_id=entry.id),
            _btn(t("faq-edit-answer-button"), FaqAction.EDIT_ANSWER, entry_id=entry.id),
        ]
    ]
    if entry.status != "published":
        rows.append([_btn(t("faq-publish-button"), FaqAction.PUBLISH, entry_id=entry.id)])
    elif admin:
        rows.append([_btn(t("faq-unpublish-button"), FaqAction.UNPUBLISH, entry_id=entry.id)])
    if admin:
        rows.append([_btn(t("faq-drafts-button"), FaqAction.DRAFTS)])
    text = (
        t("faq-editor", status=t(f"faq-status-{entry.status}"))
        + "\n\n"
        + await entry_text(repo, t, entry)
    )
    return text[:4000], InlineKeyboardMarkup(inline_keyboard=rows)


async def edit_opened(
    cq: CallbackQuery, callback_data: FaqCb, bot: Bot, state: FSMContext, repo: Repo, t: Text
) -> None:
    """The editor: the entry as it will look, and what can be done with it."""
    entry = await _editable(cq, repo, t, callback_data.entry_id)
    if entry is None:
        return
    await state.clear()
    text, markup = await _editor(repo, t, entry, cq.from_user.id)
    await bot.send_message(cq.from_user.id, text, reply_markup=markup)


async def edit_field(
    cq: CallbackQuery, callback_data: FaqCb, bot: Bot, state: FSMContext, repo: Repo, t: Text
) -> None:
    entry = await _editable(cq, repo, t, callback_data.entry_id)
    if entry is None:
        return
    asking_question = callback_data.action is FaqAction.EDIT_QUESTION
    await state.set_state(FaqEditing.question if asking_question else FaqEditing.answer)
    await state.set_data({"entry_id": entry.id})
    current = entry.question if asking_question else entry.answer
    key = "faq-ask-question" if asking_question else "faq-ask-answer"
    await bot.send_message(
        cq.from_user.id,
        t(key, current=html.quote(current), min=qs.TEXT_MIN, max=qs.FAQ_MAX)[:4000],
        reply_markup=nav_keyboard(t, FaqEditing),
    )


async def field_typed(message: Message, bot: Bot, state: FSMContext, repo: Repo, t: Text) -> None:
    raw = message.text or ""
    try:
        value = qs.faq_text(raw)
    except InvalidInput as exc:
        await message.answer(t(exc.key, min=qs.TEXT_MIN, max=qs.FAQ_MAX, length=len(raw.strip())))
        return
    data = await state.get_data()
    entry = await repo.faq.get(int(data.get("entry_id", 0)))
    assert message.from_user is not None
    if entry is None or not await qs.may_edit_faq(repo, entry, message.from_user.id):
        await state.clear()
        await message.answer(t("faq-entry-gone"))
        return
    editing_question = await state.get_state() == FaqEditing.question.state
    now = datetime.now(UTC)
    if editing_question:
        entry = await repo.faq.edit(entry.id, now, question=value)
    else:
        entry = await repo.faq.edit(entry.id, now, answer=value)
    await state.clear()
    assert entry is not None
    await message.answer(t("faq-saved"))
    text, markup = await _editor(repo, t, entry, message.from_user.id)
    await bot.send_message(message.chat.id, text, reply_markup=markup)


async def field_back(cq: CallbackQuery, bot: Bot, state: FSMContext, repo: Repo, t: Text) -> None:
    """Back: the editor again, nothing changed."""
    data = await state.get_data()
    await state.clear()
    await take_buttons_off(cq)
    entry = await repo.faq.get(int(data.get("entry_id", 0)))
    if entry is None or not await qs.may_edit_faq(repo, entry, cq.from_user.id):
        await bot.send_message(cq.from_user.id, t("faq-entry-gone"))
        return
    text, markup = await _editor(repo, t, entry, cq.from_user.id)
    await bot.send_message(cq.from_user.id, text, reply_markup=markup)


async def published(cq: CallbackQuery, callback_data: FaqCb, repo: Repo, t: Text) -> None:
    """Publish: public and searchable from now on."""
    entry = await _editable(cq, repo, t, callback_data.entry_id)
    if entry is None:
        return
    done = await repo.faq.publish(entry.id, datetime.now(UTC))
    if done is None:
        await cq.answer(t("faq-already-published"), show_alert=True)
        return
    log.info("FAQ entry %s published", entry.id)
    await cq.answer(t("faq-published"), show_alert=True)
    await show(cq, *await _editor(repo, t, done, cq.from_user.id))


async def unpublish_asked(cq: CallbackQuery, callback_data: FaqCb, repo: Repo, t: Text) -> None:
    if not await _is_admin(repo, cq.from_user.id):
        log.warning("refused FAQ unpublish by user %s: not an admin", cq.from_user.id)
        await cq.answer(t("common-not-allowed"), show_alert=True)
        return
    entry = await repo.faq.get(callback_data.entry_id)
    if entry is None or entry.status != "published":
        await cq.answer(t("faq-entry-gone"), show_alert=True)
        return
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _btn(t("faq-unpublish-yes"), FaqAction.UNPUBLISH_YES, entry_id=entry.id),
                _btn(t("faq-unpublish-no"), FaqAction.EDIT, entry_id=entry.id),
            ]
        ]
    )
    await show(cq, t("faq-unpublish-confirm", title=html.quote(_title(entry))), markup)


async def unpublished(cq: CallbackQuery, callback_data: FaqCb, repo: Repo, t: Text) -> None:
    if not await _is_admin(repo, cq.from_user.id):
        log.warning("refused FAQ unpublish by user %s: not an admin", cq.from_user.id)
        await cq.answer(t("common-not-allowed"), show_alert=True)
        return
    if not await repo.faq.unpublish(callback_data.entry_id, datetime.now(UTC)):
        await cq.answer(t("faq-entry-gone"), show_alert=True)
        return
    log.info("FAQ entry %s unpublished", callback_data.entry_id)
    entry = await repo.faq.get(callback_data.entry_id)
    assert entry is not None
    await cq.answer(t("faq-unpublished"), show_alert=True)
    await show(cq, *await _editor(repo, t, entry, cq.from_user.id))


async def drafts_shown(
    cq: CallbackQuery, callback_data: FaqCb, bot: Bot, repo: Repo, t: Text
) -> None:
    """Admins: drafts waiting for editing, and unpublished entries."""
    if not await _is_admin(repo, cq.from_user.id):
        log.warning("refused FAQ drafts to user %s: not an admin", cq.from_user.id)
        await cq.answer(t("common-not-allowed"), show_alert=True)
        return
    drafts, drafts_total = await repo.faq.with_status("draft", 0, PAGE)
    hidden, hidden_total = await repo.faq.with_status("unpublished", 0, PAGE)
    builder = InlineKeyboardBuilder()
    for entry in drafts:
        builder.row(_btn("📝 " + _title(entry), FaqAction.EDIT, entry_id=entry.id))
    for entry in hidden:
        builder.row(_btn("🚫 " + _title(entry), FaqAction.EDIT, entry_id=entry.id))
    text = t("faq-drafts", drafts=drafts_total, unpublished=hidden_total, shown=PAGE)
    await bot.send_message(cq.from_user.id, text, reply_markup=builder.as_markup())


def router() -> Router:
    r = Router(name=__name__)
    m = r.message
    m.register(faq_command, Command("faq"))
    m.register(search_typed, Faq.searching, TYPED)
    m.register(not_text, Faq.searching, NOT_COMMAND)
    m.register(field_typed, StateFilter(FaqEditing.question, FaqEditing.answer), TYPED)
    m.register(not_text, StateFilter(FaqEditing.question, FaqEditing.answer), NOT_COMMAND)
    cb = r.callback_query
    cb.register(faq_pressed, MenuCb.filter(F.action == MenuAction.FAQ))
    cb.register(
        field_back,
        StateFilter(FaqEditing.question, FaqEditing.answer),
        NavCb.filter(F.action == Nav.BACK),
    )
    cb.register(topics_shown, FaqCb.filter(F.action == FaqAction.TOPICS))
    cb.register(topic_shown, FaqCb.filter(F.action == FaqAction.TOPIC))
    cb.register(entry_shown, FaqCb.filter(F.action == FaqAction.ENTRY))
    cb.register(results_shown, FaqCb.filter(F.action == FaqAction.SEARCH))
    cb.register(search_again, FaqCb.filter(F.action == FaqAction.SEARCH_AGAIN))
    cb.register(edit_opened, FaqCb.filter(F.action == FaqAction.EDIT))
    cb.register(
        edit_field,
        FaqCb.filter(F.action.in_({FaqAction.EDIT_QUESTION, FaqAction.EDIT_ANSWER})),
    )
    cb.register(published, FaqCb.filter(F.action == FaqAction.PUBLISH))
    cb.register(unpublish_asked, FaqCb.filter(F.action == FaqAction.UNPUBLISH))
    cb.register(unpublished, FaqCb.filter(F.action == FaqAction.UNPUBLISH_YES))
    cb.register(drafts_shown, FaqCb.filter(F.action == FaqAction.DRAFTS))
    return r
