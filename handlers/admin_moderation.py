"""/admin: find a person, ban and unban (with a confirmation), the banned list, the audit log.

Included in handlers/admin.py's router, so every update here passes its
`RoleGate(Role.ADMIN)` (roles read from the database); the ban itself checks again who may
not be banned (oneself, ADMIN_IDS) in bot/services/moderation.py.

```mermaid
stateDiagram-v2
    [*] --> typing_query: Find a person
    typing_query --> [*]: id or name typed (results as buttons) / cancel
```
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from aiogram import F, Router, html
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Text
from bot.services import audit, moderation
from bot.services.moderation import Banned
from bot.services.regions import zone_of
from bot.ui.audit import describe, person
from bot.ui.callbacks.admin import AdminAction, AdminCb, ModAction, ModCb
from bot.ui.context import Ctx
from bot.ui.keyboards import arrows, button
from bot.ui.pagination import page_count
from bot.ui.texts import local_time
from db.repositories import UserSnapshot

log = logging.getLogger(__name__)
FOUND_LIMIT = 10
BANNED_PAGE = 10
AUDIT_PAGE = 10


class FindPerson(StatesGroup):
    typing_query = State()


def _btn(text: str, **cb: object) -> InlineKeyboardButton:
    return button(text, ModCb(**cb))


def _person_btn(text: str, user_id: int) -> InlineKeyboardButton:
    return button(text[:60], AdminCb(action=AdminAction.PERSON, user_id=user_id))


def _home_btn(t: Text) -> InlineKeyboardButton:
    return button(t("common-back-button"), AdminCb(action=AdminAction.HOME))


def home_buttons(t: Text) -> list[list[InlineKeyboardButton]]:
    """The rows this module adds to /admin's home screen."""
    return [
        [_btn(t("admin-find-button"), action=ModAction.FIND)],
        [
            _btn(t("admin-banned-button"), action=ModAction.BANNED),
            _btn(t("admin-audit-button"), action=ModAction.AUDIT),
        ],
    ]


def ban_button(t: Text, user_id: int, banned: bool) -> InlineKeyboardButton:
    """The person card's button (handlers/admin.py)."""
    if banned:
        return _btn(t("admin-unban-button"), action=ModAction.UNBAN, user_id=user_id)
    return _btn(t("admin-ban-button"), action=ModAction.BAN, user_id=user_id)


def zone_of_admin(user: UserSnapshot | None) -> str | None:
    return zone_of(user.region_code, user.tz) if user is not None else None


# ---- finding a person --------------------------------------------------------------------


async def find_asked(cq: CallbackQuery, ctx: Ctx) -> None:
    """Ask for an id or a part of the name."""
    await ctx.state.set_state(FindPerson.typing_query)
    markup = InlineKeyboardMarkup(inline_keyboard=[[_home_btn(ctx.t)]])
    await ctx.show(ctx.t("admin-find-ask"), markup)


async def query_typed(message: Message, ctx: Ctx) -> None:
    """The people who match, as buttons to their cards; none: ask again."""
    query = (message.text or "").strip()[:100]
    found = await ctx.repo.users.find(query, FOUND_LIMIT)
    if not found:
        await ctx.send(ctx.t("admin-find-none", query=html.quote(query)))
        return
    await ctx.state.clear()
    builder = InlineKeyboardBuilder()
    for found_person in found:
        mark = "🚫 " if found_person.banned_at is not None else ""
        label = f"{mark}{found_person.full_name or found_person.id} · {found_person.id}"
        builder.row(_person_btn(label, found_person.id))
    builder.row(_home_btn(ctx.t))
    await ctx.send(ctx.t("admin-find-found", count=len(found)), builder.as_markup())


async def query_not_text(message: Message, ctx: Ctx) -> None:
    """A sticker or a photo instead of an id or a name."""
    await ctx.send(ctx.t("admin-find-ask"))


# ---- banning -----------------------------------------------------------------------------


async def ban_asked(cq: CallbackQuery, callback_data: ModCb, ctx: Ctx) -> None:
    """Confirm before banning."""
    target = await ctx.repo.users.get(callback_data.user_id)
    if target is None:
        await ctx.alert("admin-person-unknown")
        return
    if not moderation.may_ban(cq.from_user.id, target.id, ctx.settings.admin_ids):
        await ctx.alert("admin-ban-protected")
        return
    builder = InlineKeyboardBuilder()
    builder.row(
        _btn(ctx.t("admin-ban-yes"), action=ModAction.BAN_OK, user_id=target.id),
        _person_btn(ctx.t("admin-ban-no"), target.id),
    )
    name = html.quote(target.full_name or str(target.id))
    await ctx.show(ctx.t("admin-ban-confirm", name=name), builder.as_markup())


async def ban_confirmed(cq: CallbackQuery, callback_data: ModCb, ctx: Ctx) -> None:
    """Ban: from the next update on the person gets nothing from the bot."""
    target = callback_data.user_id
    outcome = await moderation.ban(
        ctx.repo, cq.from_user.id, target, ctx.settings.admin_ids, datetime.now(UTC)
    )
    await _after(ctx, target, outcome, "admin-banned-done", "admin-ban-already")


async def unban_pressed(cq: CallbackQuery, callback_data: ModCb, ctx: Ctx) -> None:
    """Unban at once (nothing was deleted by the ban, so nothing is lost either way)."""
    target = callback_data.user_id
    outcome = await moderation.unban(ctx.repo, cq.from_user.id, target, datetime.now(UTC))
    await _after(ctx, target, outcome, "admin-unbanned-done", "admin-unban-already")


async def _after(ctx: Ctx, target: int, outcome: Banned, done: str, already: str) -> None:
    refused = {
        Banned.PROTECTED: "admin-ban-protected",
        Banned.UNKNOWN: "admin-person-unknown",
        Banned.ALREADY: already,
    }
    if outcome in refused:
        await ctx.alert(refused[outcome])
        return
    log.info("%s by an admin", "ban" if done == "admin-banned-done" else "unban")
    found = await ctx.repo.users.get(target)
    name = html.quote((found.full_name if found else None) or str(target))
    rows = [[_person_btn(ctx.t("admin-to-person-button"), target)], [_home_btn(ctx.t)]]
    await ctx.show(ctx.t(done, name=name), InlineKeyboardMarkup(inline_keyboard=rows))


# ---- lists -------------------------------------------------------------------------------


async def banned_listed(cq: CallbackQuery, callback_data: ModCb, ctx: Ctx) -> None:
    """The banned people, the latest ban first, a page at a time."""
    t = ctx.t
    page = max(callback_data.page, 0)
    people, total = await ctx.repo.users.banned(page * BANNED_PAGE, BANNED_PAGE)
    pages = page_count(total, BANNED_PAGE)
    if page >= pages and total:
        page = pages - 1
        people, total = await ctx.repo.users.banned(page * BANNED_PAGE, BANNED_PAGE)
    builder = InlineKeyboardBuilder()
    for banned in people:
        builder.row(_person_btn(f"{banned.full_name or banned.id} · {banned.id}", banned.id))
    builder.row(*arrows(page, pages, lambda n: ModCb(action=ModAction.BANNED, page=n)))
    builder.row(_home_btn(t))
    text = (
        t("admin-banned-list", count=total, page=page + 1, pages=pages)
        if total
        else t("admin-banned-none")
    )
    await ctx.show(text, builder.as_markup())


async def audit_shown(cq: CallbackQuery, callback_data: ModCb, ctx: Ctx) -> None:
    """The audit log, newest first, a page at a time, in the admin's zone."""
    t = ctx.t
    page = max(callback_data.page, 0)
    lines, total = await audit.page(ctx.repo, page * AUDIT_PAGE, AUDIT_PAGE)
    pages = page_count(total, AUDIT_PAGE)
    if page >= pages and total:
        page = pages - 1
        lines, total = await audit.page(ctx.repo, page * AUDIT_PAGE, AUDIT_PAGE)
    zone = zone_of_admin(ctx.user)
    shown = "\n".join(
        t(
            "admin-audit-line",
            at=local_time(line.at, zone),
            actor=html.quote(person(t, line.actor_name, line.actor_id)),
            action=describe(t, line, html.quote),
        )
        for line in lines
    )
    builder = InlineKeyboardBuilder()
    builder.row(*arrows(page, pages, lambda n: ModCb(action=ModAction.AUDIT, page=n)))
    builder.row(_home_btn(t))
    text = (
        t("admin-audit", page=page + 1, pages=pages, count=total, lines=shown)
        if total
        else t("admin-audit-empty")
    )
    await ctx.show(text, builder.as_markup())


def router() -> Router:
    """No gate of its own: handlers/admin.py includes it under its RoleGate(Role.ADMIN)."""
    r = Router(name=__name__)
    cb = r.callback_query
    cb.register(find_asked, ModCb.filter(F.action == ModAction.FIND))
    cb.register(banned_listed, ModCb.filter(F.action == ModAction.BANNED))
    cb.register(audit_shown, ModCb.filter(F.action == ModAction.AUDIT))
    cb.register(ban_asked, ModCb.filter(F.action == ModAction.BAN))
    cb.register(ban_confirmed, ModCb.filter(F.action == ModAction.BAN_OK))
    cb.register(unban_pressed, ModCb.filter(F.action == ModAction.UNBAN))
    r.message.register(query_typed, FindPerson.typing_query, F.text)
    r.message.register(query_not_text, FindPerson.typing_query)
    return r
