"""/admin → question topics (add, rename, hide) and experts' topics (ticked per expert, as an
organiser's regions are), and the FAQ drafts. Every update passes `RoleGate(Role.ADMIN)`.

```mermaid
stateDiagram-v2
    [*] --> name_ru: Add a topic / Rename
    name_ru --> name_en: 2-40 characters
    name_en --> [*]: 2-40 characters → saved
    name_en --> name_ru: Back
```
"""

from __future__ import annotations

import logging

from aiogram import F, Router, html
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.filters import NOT_COMMAND, TYPED
from bot.i18n import Text
from bot.middlewares.gate import RoleGate
from bot.services import questions as qs
from bot.services.roles import Role
from bot.services.validation import InvalidInput
from bot.ui.callbacks.admin import AdminAction, AdminCb
from bot.ui.callbacks.questions import TopicAdminAction, TopicAdminCb
from bot.ui.context import Ctx
from bot.ui.keyboards import Nav, NavCb, arrows, button, nav_keyboard
from bot.ui.pagination import page_count
from bot.ui.replies import not_text
from db.repositories import Repo

log = logging.getLogger(__name__)
PEOPLE_PAGE = 10


class TopicNaming(StatesGroup):
    name_ru = State()  # data: topic_id (0: a new topic)
    name_en = State()  # data: + name_ru


def _btn(text: str, action: TopicAdminAction, **kw: int) -> InlineKeyboardButton:
    return button(text[:64], TopicAdminCb(action=action, **kw))


def _home(t: Text) -> InlineKeyboardButton:
    return button(t("common-back-button"), AdminCb(action=AdminAction.HOME))


async def _topics_screen(repo: Repo, t: Text) -> tuple[str, InlineKeyboardMarkup]:
    builder = InlineKeyboardBuilder()
    for topic in await repo.questions.topics(with_hidden=True):
        mark = "🙈 " if topic.hidden else ""
        label = f"{mark}{topic.name_ru} / {topic.name_en}"
        builder.row(_btn(label, TopicAdminAction.TOPIC, topic_id=topic.id))
    builder.row(_btn(t("qadmin-add-topic-button"), TopicAdminAction.ADD))
    builder.row(_home(t))
    return t("qadmin-topics"), builder.as_markup()


async def topics_shown(cq: CallbackQuery, ctx: Ctx) -> None:
    await ctx.show(*await _topics_screen(ctx.repo, ctx.t))


async def _topic_screen(
    repo: Repo, t: Text, topic_id: int
) -> tuple[str, InlineKeyboardMarkup] | None:
    topic = await repo.questions.topic(topic_id)
    if topic is None:
        return None
    experts = await repo.questions.experts_of(topic.id)
    text = t(
        "qadmin-topic",
        ru=html.quote(topic.name_ru),
        en=html.quote(topic.name_en),
        experts=len(experts),
        state=t("qadmin-topic-hidden" if topic.hidden else "qadmin-topic-shown"),
    )
    hide = t("qadmin-show-button" if topic.hidden else "qadmin-hide-button")
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _btn(t("qadmin-rename-button"), TopicAdminAction.RENAME, topic_id=topic.id),
                _btn(hide, TopicAdminAction.HIDE, topic_id=topic.id),
            ],
            [_btn(t("qadmin-back-to-topics-button"), TopicAdminAction.TOPICS)],
        ]
    )
    return text, markup


async def topic_shown(cq: CallbackQuery, callback_data: TopicAdminCb, ctx: Ctx) -> None:
    screen = await _topic_screen(ctx.repo, ctx.t, callback_data.topic_id)
    if screen is None:
        await ctx.outdated()
        return
    await ctx.show(*screen)


async def hide_toggled(cq: CallbackQuery, callback_data: TopicAdminCb, ctx: Ctx) -> None:
    """Hide a topic from new questions (its questions and FAQ entries stay), or show it."""
    repo = ctx.repo
    topic = await repo.questions.topic(callback_data.topic_id)
    if topic is None:
        await ctx.outdated()
        return
    topic_id, hidden = topic.id, not topic.hidden
    await repo.questions.set_topic_hidden(topic_id, hidden)
    log.info("question topic %s hidden=%s by an admin", topic_id, hidden)
    screen = await _topic_screen(repo, ctx.t, topic_id)
    assert screen is not None
    await ctx.show(*screen)


async def _ask_name_ru(ctx: Ctx) -> None:
    await ctx.state.set_state(TopicNaming.name_ru)
    await ctx.send(ctx.t("qadmin-ask-name-ru"), nav_keyboard(ctx.t, TopicNaming, back=False))


async def naming_started(cq: CallbackQuery, callback_data: TopicAdminCb, ctx: Ctx) -> None:
    """Add a topic, or rename one: the Russian name first."""
    topic_id = callback_data.topic_id if callback_data.action is TopicAdminAction.RENAME else 0
    if topic_id and await ctx.repo.questions.topic(topic_id) is None:
        await ctx.outdated()
        return
    await ctx.drop_buttons()
    await ctx.state.set_data({"topic_id": topic_id})
    await _ask_name_ru(ctx)


async def name_typed(message: Message, ctx: Ctx) -> None:
    t, state, repo = ctx.t, ctx.state, ctx.repo
    try:
        name = qs.topic_name(message.text)
    except InvalidInput as exc:
        await message.answer(t(exc.key, max=qs.TOPIC_NAME_MAX))
        return
    if await state.get_state() == TopicNaming.name_ru.state:
        await state.update_data(name_ru=name)
        await state.set_state(TopicNaming.name_en)
        await message.answer(t("qadmin-ask-name-en"), reply_markup=nav_keyboard(t, TopicNaming))
        return
    data = await state.get_data()
    await state.clear()
    topic_id = int(data.get("topic_id", 0))
    if topic_id:
        await repo.questions.rename_topic(topic_id, str(data["name_ru"]), name)
    else:
        topic_id = (await repo.questions.add_topic(str(data["name_ru"]), name)).id
    log.info("question topic %s saved by an admin", topic_id)
    await message.answer(t("qadmin-topic-saved"))
    await ctx.send(*await _topics_screen(repo, t))


async def naming_back(cq: CallbackQuery, ctx: Ctx) -> None:
    await ctx.drop_buttons()
    await _ask_name_ru(ctx)


# ---- experts' topics ---------------------------------------------------------------------


async def experts_shown(cq: CallbackQuery, callback_data: TopicAdminCb, ctx: Ctx) -> None:
    """The experts, a page at a time, each with how many topics they answer."""
    repo, t, page = ctx.repo, ctx.t, max(callback_data.page, 0)
    holders, total = await repo.roles.holders(
        [Role.EXPERT.value], offset=page * PEOPLE_PAGE, limit=PEOPLE_PAGE
    )
    pages = page_count(total, PEOPLE_PAGE)
    builder = InlineKeyboardBuilder()
    for holder in holders:
        count = len(await repo.questions.topics_of(holder.user_id))
        label = f"{holder.full_name or holder.user_id} · {count}"
        builder.row(_btn(label, TopicAdminAction.EXPERT, user_id=holder.user_id, page=page))
    to = lambda p: TopicAdminCb(action=TopicAdminAction.EXPERTS, page=p)  # noqa: E731
    builder.row(*arrows(page, pages, to))
    builder.row(_home(t))
    key = "qadmin-experts" if total else "qadmin-no-experts"
    await ctx.show(t(key, count=total, page=page + 1, pages=pages), builder.as_markup())


async def _expert_screen(
    repo: Repo, t: Text, user_id: int, page: int
) -> tuple[str, InlineKeyboardMarkup] | None:
    person = await repo.users.get(user_id)
    if person is None or Role.EXPERT.value not in await repo.roles.of(user_id):
        return None
    theirs = await repo.questions.topics_of(user_id)
    builder = InlineKeyboardBuilder()
    for topic in await repo.questions.topics(with_hidden=True):
        mark = "✅ " if topic.id in theirs else ""
        label = mark + qs.topic_label(topic, t.locale)
        builder.row(
            _btn(label, TopicAdminAction.TICK, user_id=user_id, topic_id=topic.id, page=page)
        )
    builder.row(_btn(t("common-back-button"), TopicAdminAction.EXPERTS, page=page))
    text = t(
        "qadmin-expert",
        name=html.quote(person.full_name or str(person.id)),
        count=len(theirs),
    )
    return text, builder.as_markup()


async def expert_shown(cq: CallbackQuery, callback_data: TopicAdminCb, ctx: Ctx) -> None:
    screen = await _expert_screen(ctx.repo, ctx.t, callback_data.user_id, callback_data.page)
    if screen is None:
        await ctx.alert("admin-role-not-held")
        return
    await ctx.show(*screen)


async def topic_ticked(cq: CallbackQuery, callback_data: TopicAdminCb, ctx: Ctx) -> None:
    """Tick or untick one of an expert's topics."""
    repo, expert = ctx.repo, callback_data.user_id
    topic = await repo.questions.topic(callback_data.topic_id)
    if topic is None or Role.EXPERT.value not in await repo.roles.of(expert):
        await ctx.outdated()
        return
    await repo.questions.toggle_expert_topic(expert, topic.id)
    log.info("expert topics changed by an admin")
    screen = await _expert_screen(repo, ctx.t, expert, callback_data.page)
    assert screen is not None
    await ctx.show(*screen)


def router() -> Router:
    r = Router(name=__name__)
    gate = RoleGate(Role.ADMIN)
    r.message.middleware(gate)
    r.callback_query.middleware(gate)
    r.message.register(name_typed, TopicNaming.name_ru, TYPED)
    r.message.register(name_typed, TopicNaming.name_en, TYPED)
    r.message.register(not_text, TopicNaming.name_ru, NOT_COMMAND)
    r.message.register(not_text, TopicNaming.name_en, NOT_COMMAND)
    cb = r.callback_query
    cb.register(naming_back, TopicNaming.name_en, NavCb.filter(F.action == Nav.BACK))
    cb.register(topics_shown, TopicAdminCb.filter(F.action == TopicAdminAction.TOPICS))
    cb.register(topic_shown, TopicAdminCb.filter(F.action == TopicAdminAction.TOPIC))
    cb.register(hide_toggled, TopicAdminCb.filter(F.action == TopicAdminAction.HIDE))
    cb.register(
        naming_started,
        TopicAdminCb.filter(F.action.in_({TopicAdminAction.ADD, TopicAdminAction.RENAME})),
    )
    cb.register(experts_shown, TopicAdminCb.filter(F.action == TopicAdminAction.EXPERTS))
    cb.register(expert_shown, TopicAdminCb.filter(F.action == TopicAdminAction.EXPERT))
    cb.register(topic_ticked, TopicAdminCb.filter(F.action == TopicAdminAction.TICK))
    return r
