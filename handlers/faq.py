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
from typing import TypedDict, cast

from aiogram import F, Router, html
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
from bot.ui.context import Ctx
from bot.ui.keyboards import Nav, NavCb, arrows, button, nav_keyboard
from bot.ui.pagination import page_count
from bot.ui.replies import not_text
from db.models import FaqEntry
from db.repositories import Repo
from db.repositories.faq import Found
from handlers.questions import entry_text

log = logging.getLogger("bot.security")
PAGE = 6
RESULTS = 6


class Faq(StatesGroup):
    searching = State()  # data: FaqData


class FaqEditing(StatesGroup):
    question = State()  # data: entry_id
    answer = State()


class FaqData(TypedDict, total=False):
    """The FSM data the FAQ keeps: the last search (Back from an entry), the entry edited."""

    query: str
    found: list[int]  # entry ids
    entry_id: int


def _btn(text: str, action: FaqAction, **kw: int) -> InlineKeyboardButton:
    return button(text[:64], FaqCb(action=action, **kw))


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


async def _start(ctx: Ctx) -> None:
    await ctx.state.set_state(Faq.searching)
    await ctx.state.set_data({})
    await ctx.send(*await _topics_screen(ctx.repo, ctx.t))


async def faq_command(message: Message, command: CommandObject, ctx: Ctx) -> None:
    """/faq: the topics; /faq words: a search."""
    words = (command.args or "").strip()
    if words:
        await ctx.state.set_state(Faq.searching)
        await _search(message, words, ctx)
        return
    await _start(ctx)


async def faq_pressed(cq: CallbackQuery, ctx: Ctx) -> None:
    """ "FAQ" in the main menu."""
    await _start(ctx)


async def topics_shown(cq: CallbackQuery, ctx: Ctx) -> None:
    await ctx.state.set_state(Faq.searching)  # the topics screen invites typing words
    await ctx.show(*await _topics_screen(ctx.repo, ctx.t))


async def topic_shown(cq: CallbackQuery, callback_data: FaqCb, ctx: Ctx) -> None:
    """A topic's entries, newest first, a page at a time."""
    repo, t = ctx.repo, ctx.t
    topic = await repo.questions.topic(callback_data.topic_id)
    if topic is None:
        await ctx.outdated()
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
    to = lambda p: FaqCb(action=FaqAction.TOPIC, topic_id=topic.id, page=p)  # noqa: E731
    builder.row(*arrows(page, pages, to))
    builder.row(_btn(t("faq-back-to-topics-button"), FaqAction.TOPICS))
    name = html.quote(qs.topic_label(topic, t.locale))
    key = "faq-topic" if total else "faq-topic-empty"
    text = t(key, topic=name, count=total, page=page + 1, pages=pages)
    await ctx.show(text, builder.as_markup())


def _found(words: str, found: list[Found]) -> FaqData:
    """What Back from an entry returns to: the query and the entries it found."""
    return {"query": words[:200], "found": [f.entry.id for f in found]}


async def _search(message: Message, words: str, ctx: Ctx) -> None:
    t = ctx.t
    found = await ctx.repo.faq.search(qs.search(words[:500]), RESULTS)
    # One search per prompt: text typed later (an event's code word...) is not a search.
    await ctx.state.set_state(None)
    await ctx.state.update_data(_found(words, found))
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
        await state.update_data(_found(words, found))
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


async def search_again(cq: CallbackQuery, ctx: Ctx) -> None:
    """Search again: the next text typed is the query."""
    await ctx.state.set_state(Faq.searching)
    await ctx.send(ctx.t("faq-search-prompt"))


async def search_typed(message: Message, ctx: Ctx) -> None:
    """Words typed while browsing: a search."""
    await _search(message, message.text or "", ctx)


async def results_shown(cq: CallbackQuery, ctx: Ctx) -> None:
    """Back from an entry to the last search's results."""
    data = cast(FaqData, await ctx.state.get_data())
    t = ctx.t
    builder = InlineKeyboardBuilder()
    count = 0
    for entry_id in data.get("found", []):
        entry = await ctx.repo.faq.get(int(entry_id))
        if entry is not None and entry.status == "published":
            builder.row(_btn(_title(entry), FaqAction.ENTRY, entry_id=entry.id))
            count += 1
    builder.row(_btn(t("faq-back-to-topics-button"), FaqAction.TOPICS))
    key = "faq-results" if count else "faq-no-results"
    query = html.quote(str(data.get("query", "")))
    await ctx.show(t(key, query=query, count=count), builder.as_markup())


async def _is_admin(repo: Repo, user_id: int) -> bool:
    return Role.ADMIN.value in await repo.roles.of(user_id)


async def entry_shown(cq: CallbackQuery, callback_data: FaqCb, ctx: Ctx) -> None:
    """One entry; admins also get Edit and Unpublish."""
    t = ctx.t
    entry = await ctx.repo.faq.get(callback_data.entry_id)
    admin = await _is_admin(ctx.repo, ctx.chat_id)
    if entry is None or (entry.status != "published" and not admin):
        await ctx.alert("faq-entry-gone")
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
        topic, page = callback_data.topic_id, callback_data.page
        back = _btn(t("faq-back-button"), FaqAction.TOPIC, topic_id=topic, page=page)
    else:
        back = _btn(t("faq-back-button"), FaqAction.SEARCH)
    rows.append([back])
    text = await entry_text(ctx.repo, t, entry)
    await ctx.show(text, InlineKeyboardMarkup(inline_keyboard=rows))


# ---- editing -----------------------------------------------------------------------------


async def _editable(ctx: Ctx, entry_id: int) -> FaqEntry | None:
    entry = await ctx.repo.faq.get(entry_id)
    if entry is None:
        await ctx.alert("faq-entry-gone")
        return None
    if not await qs.may_edit_faq(ctx.repo, entry, ctx.chat_id):
        log.warning("refused FAQ entry %s edit by user %s", entry_id, ctx.chat_id)
        await ctx.alert("common-not-allowed")
        return None
    return entry


async def _admin_only(ctx: Ctx, what: str) -> bool:
    """Unpublishing and the drafts are admins' (checked here, not by the buttons shown)."""
    if await _is_admin(ctx.repo, ctx.chat_id):
        return True
    log.warning("refused FAQ %s to user %s: not an admin", what, ctx.chat_id)
    await ctx.alert("common-not-allowed")
    return False


async def _editor(ctx: Ctx, entry: FaqEntry) -> tuple[str, InlineKeyboardMarkup]:
    t = ctx.t
    admin = await _is_admin(ctx.repo, ctx.chat_id)
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
        + await entry_text(ctx.repo, t, entry)
    )
    return text[:4000], InlineKeyboardMarkup(inline_keyboard=rows)


async def edit_opened(cq: CallbackQuery, callback_data: FaqCb, ctx: Ctx) -> None:
    """The editor: the entry as it will look, and what can be done with it."""
    entry = await _editable(ctx, callback_data.entry_id)
    if entry is None:
        return
    await ctx.state.clear()
    await ctx.send(*await _editor(ctx, entry))


async def edit_field(cq: CallbackQuery, callback_data: FaqCb, ctx: Ctx) -> None:
    entry = await _editable(ctx, callback_data.entry_id)
    if entry is None:
        return
    asking_question = callback_data.action is FaqAction.EDIT_QUESTION
    await ctx.state.set_state(FaqEditing.question if asking_question else FaqEditing.answer)
    await ctx.state.set_data({"entry_id": entry.id})
    current = entry.question if asking_question else entry.answer
    key = "faq-ask-question" if asking_question else "faq-ask-answer"
    text = ctx.t(key, current=html.quote(current), min=qs.TEXT_MIN, max=qs.FAQ_MAX)
    await ctx.send(text[:4000], nav_keyboard(ctx.t, FaqEditing))


async def field_typed(message: Message, ctx: Ctx) -> None:
    t, repo, raw = ctx.t, ctx.repo, message.text or ""
    try:
        value = qs.faq_text(raw)
    except InvalidInput as exc:
        await message.answer(t(exc.key, min=qs.TEXT_MIN, max=qs.FAQ_MAX, length=len(raw.strip())))
        return
    data = await ctx.state.get_data()
    entry = await repo.faq.get(int(data.get("entry_id", 0)))
    if entry is None or not await qs.may_edit_faq(repo, entry, ctx.chat_id):
        await ctx.state.clear()
        await message.answer(t("faq-entry-gone"))
        return
    editing_question = await ctx.state.get_state() == FaqEditing.question.state
    now = datetime.now(UTC)
    if editing_question:
        entry = await repo.faq.edit(entry.id, now, question=value)
    else:
        entry = await repo.faq.edit(entry.id, now, answer=value)
    await ctx.state.clear()
    assert entry is not None
    await message.answer(t("faq-saved"))
    await ctx.send(*await _editor(ctx, entry))


async def field_back(cq: CallbackQuery, ctx: Ctx) -> None:
    """Back: the editor again, nothing changed."""
    data = await ctx.state.get_data()
    await ctx.state.clear()
    await ctx.drop_buttons()
    entry = await ctx.repo.faq.get(int(data.get("entry_id", 0)))
    if entry is None or not await qs.may_edit_faq(ctx.repo, entry, ctx.chat_id):
        await ctx.send(ctx.t("faq-entry-gone"))
        return
    await ctx.send(*await _editor(ctx, entry))


async def published(cq: CallbackQuery, callback_data: FaqCb, ctx: Ctx) -> None:
    """Publish: public and searchable from now on."""
    entry = await _editable(ctx, callback_data.entry_id)
    if entry is None:
        return
    done = await ctx.repo.faq.publish(entry.id, datetime.now(UTC))
    if done is None:
        await ctx.alert("faq-already-published")
        return
    log.info("FAQ entry %s published", entry.id)
    await ctx.alert("faq-published")
    await ctx.show(*await _editor(ctx, done))


async def unpublish_asked(cq: CallbackQuery, callback_data: FaqCb, ctx: Ctx) -> None:
    if not await _admin_only(ctx, "unpublish"):
        return
    t = ctx.t
    entry = await ctx.repo.faq.get(callback_data.entry_id)
    if entry is None or entry.status != "published":
        await ctx.alert("faq-entry-gone")
        return
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _btn(t("faq-unpublish-yes"), FaqAction.UNPUBLISH_YES, entry_id=entry.id),
                _btn(t("faq-unpublish-no"), FaqAction.EDIT, entry_id=entry.id),
            ]
        ]
    )
    await ctx.show(t("faq-unpublish-confirm", title=html.quote(_title(entry))), markup)


async def unpublished(cq: CallbackQuery, callback_data: FaqCb, ctx: Ctx) -> None:
    if not await _admin_only(ctx, "unpublish"):
        return
    if not await ctx.repo.faq.unpublish(callback_data.entry_id, datetime.now(UTC)):
        await ctx.alert("faq-entry-gone")
        return
    log.info("FAQ entry %s unpublished", callback_data.entry_id)
    entry = await ctx.repo.faq.get(callback_data.entry_id)
    assert entry is not None
    await ctx.alert("faq-unpublished")
    await ctx.show(*await _editor(ctx, entry))


async def drafts_shown(cq: CallbackQuery, callback_data: FaqCb, ctx: Ctx) -> None:
    """Admins: drafts waiting for editing, and unpublished entries."""
    if not await _admin_only(ctx, "drafts"):
        return
    drafts, drafts_total = await ctx.repo.faq.with_status("draft", 0, PAGE)
    hidden, hidden_total = await ctx.repo.faq.with_status("unpublished", 0, PAGE)
    builder = InlineKeyboardBuilder()
    for entry in drafts:
        builder.row(_btn("📝 " + _title(entry), FaqAction.EDIT, entry_id=entry.id))
    for entry in hidden:
        builder.row(_btn("🚫 " + _title(entry), FaqAction.EDIT, entry_id=entry.id))
    text = ctx.t("faq-drafts", drafts=drafts_total, unpublished=hidden_total, shown=PAGE)
    await ctx.send(text, builder.as_markup())


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
