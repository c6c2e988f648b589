"""/admin: invite links that grant roles, the list of people with roles, revoking a role (and,
in handlers/admin_moderation.py, finding a person, bans and the audit log).

Every update here passes `RoleGate(Role.ADMIN)`, which reads the roles from the database.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from aiogram import F, Router, html
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.commands import refresh_commands
from bot.i18n import Text
from bot.middlewares.gate import RoleGate
from bot.services import audit, invites, moderation
from bot.services.audit import Action
from bot.services.regions import catalog
from bot.services.roles import INVITABLE, PRIVILEGED, Role
from bot.ui.callbacks.admin import AdminAction, AdminCb, LawAction, LawCb
from bot.ui.callbacks.menu import MenuAction, MenuCb
from bot.ui.callbacks.questions import FaqAction, FaqCb, TopicAdminAction, TopicAdminCb
from bot.ui.context import Ctx
from bot.ui.keyboards import arrows, button
from bot.ui.pagination import page_count, page_of
from bot.ui.texts import local_time
from handlers import admin_moderation

log = logging.getLogger(__name__)
PEOPLE_PAGE = 10
REGIONS_PAGE = 10


def _btn(text: str, **cb: object) -> InlineKeyboardButton:
    return button(text, AdminCb(**cb))


def home_keyboard(t: Text) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_btn(t("admin-invite-button"), action=AdminAction.INVITE)],
            [_btn(t("admin-people-button"), action=AdminAction.PEOPLE)],
            [button(t("admin-law-button"), LawCb(action=LawAction.REGIONS))],
            [
                button(t("qadmin-topics-button"), TopicAdminCb(action=TopicAdminAction.TOPICS)),
                button(t("qadmin-experts-button"), TopicAdminCb(action=TopicAdminAction.EXPERTS)),
            ],
            [button(t("faq-drafts-button"), FaqCb(action=FaqAction.DRAFTS))],
            *admin_moderation.home_buttons(t),
        ]
    )


def _back(t: Text, **cb: object) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[_btn(t("common-back-button"), **cb)]])


async def admin_home(_: Message | CallbackQuery, ctx: Ctx) -> None:
    """/admin, or Admin in the menu, or Back to it."""
    await ctx.show(ctx.t("admin-title"), home_keyboard(ctx.t))


async def invite_roles(cq: CallbackQuery, ctx: Ctx) -> None:
    """Which role the new link grants."""
    t = ctx.t
    builder = InlineKeyboardBuilder()
    for role in INVITABLE:
        builder.row(_btn(t(f"role-{role.value}"), action=AdminAction.INVITE_ROLE, role=role.value))
    builder.row(_btn(t("common-back-button"), action=AdminAction.HOME))
    await ctx.show(t("admin-invite-choose-role"), builder.as_markup())


async def invite_created(cq: CallbackQuery, callback_data: AdminCb, ctx: Ctx) -> None:
    """Make a one-time link for the chosen role."""
    t = ctx.t
    try:
        role = Role(callback_data.role)
        ttl = timedelta(hours=ctx.settings.invite_ttl_hours)
        payload, expires_at = await invites.create(
            ctx.repo, role, cq.from_user.id, datetime.now(UTC), ttl
        )
    except ValueError:
        await ctx.outdated()
        return
    me = await ctx.bot.me()
    region = catalog().get(ctx.user.region_code) if ctx.user else None
    text = t(
        "admin-invite-created",
        role=t(f"role-{role.value}"),
        link=f"https://t.me/{me.username}?start={payload}",
        expires=local_time(expires_at, region.tz if region else None),
    )
    await ctx.show(text, _back(t, action=AdminAction.HOME))
    log.info("invite for role %s created by an admin", role.value)


async def people_listed(cq: CallbackQuery, callback_data: AdminCb, ctx: Ctx) -> None:
    """People holding a role beyond resident, a page at a time."""
    t, repo = ctx.t, ctx.repo
    roles = [r.value for r in (*PRIVILEGED, Role.CHAIR)]
    page = max(callback_data.page, 0)
    holders, total = await repo.roles.holders(roles, offset=page * PEOPLE_PAGE, limit=PEOPLE_PAGE)
    total_pages = page_count(total, PEOPLE_PAGE)
    if page >= total_pages:
        page = total_pages - 1
        holders, total = await repo.roles.holders(
            roles, offset=page * PEOPLE_PAGE, limit=PEOPLE_PAGE
        )
    builder = InlineKeyboardBuilder()
    for holder in holders:
        label = f"{holder.full_name or holder.user_id} · " + ", ".join(
            t(f"role-{r}") for r in holder.roles
        )
        builder.row(_btn(label[:60], action=AdminAction.PERSON, user_id=holder.user_id, page=page))
    builder.row(*arrows(page, total_pages, lambda n: AdminCb(action=AdminAction.PEOPLE, page=n)))
    builder.row(_btn(t("common-back-button"), action=AdminAction.HOME))
    text = t("admin-people", count=total, page=page + 1, pages=total_pages)
    await ctx.show(text, builder.as_markup())


async def person_shown(cq: CallbackQuery, callback_data: AdminCb, ctx: Ctx) -> None:
    """One person's roles, each with a Revoke button; Ban or Unban."""
    t, repo = ctx.t, ctx.repo
    person = await repo.users.get(callback_data.user_id)
    if person is None:
        await ctx.alert("admin-person-unknown")
        return
    roles = sorted(await repo.roles.of(person.id))
    builder = InlineKeyboardBuilder()
    for role in roles:
        if role != Role.RESIDENT.value:
            builder.row(
                _btn(
                    t("admin-revoke-button", role=t(f"role-{role}")),
                    action=AdminAction.REVOKE,
                    role=role,
                    user_id=person.id,
                    page=callback_data.page,
                )
            )
    if Role.ORGANISER.value in roles:
        count = len(await repo.roles.regions_of(person.id))
        builder.row(
            _btn(
                t("admin-regions-button", count=count),
                action=AdminAction.REGIONS,
                user_id=person.id,
            )
        )
    if Role.EXPERT.value in roles:
        count = len(await repo.questions.topics_of(person.id))
        expert = TopicAdminCb(action=TopicAdminAction.EXPERT, user_id=person.id)
        builder.row(button(t("qadmin-expert-topics-button", count=count), expert))
    if moderation.may_ban(cq.from_user.id, person.id, ctx.settings.admin_ids):
        builder.row(admin_moderation.ban_button(t, person.id, person.banned_at is not None))
    builder.row(_btn(t("common-back-button"), action=AdminAction.PEOPLE, page=callback_data.page))
    text = t(
        "admin-person",
        name=html.quote(person.full_name or str(person.id)),
        id=person.id,
        roles=", ".join(t(f"role-{r}") for r in roles) or "—",
    )
    if person.banned_at is not None:
        zone = admin_moderation.zone_of_admin(ctx.user)
        text += "\n" + t("admin-person-banned", since=local_time(person.banned_at, zone))
    await ctx.show(text, builder.as_markup())


async def revoke_asked(cq: CallbackQuery, callback_data: AdminCb, ctx: Ctx) -> None:
    """Confirm before taking a role away."""
    t = ctx.t
    person = await ctx.repo.users.get(callback_data.user_id)
    if person is None or callback_data.role not in await ctx.repo.roles.of(person.id):
        await ctx.alert("admin-role-not-held")
        return
    target = {"user_id": person.id, "page": callback_data.page}
    builder = InlineKeyboardBuilder()
    builder.row(
        _btn(
            t("admin-revoke-yes"), action=AdminAction.REVOKE_OK, role=callback_data.role, **target
        ),
        _btn(t("admin-revoke-no"), action=AdminAction.PERSON, **target),
    )
    text = t(
        "admin-revoke-confirm",
        role=t(f"role-{callback_data.role}"),
        name=html.quote(person.full_name or str(person.id)),
    )
    await ctx.show(text, builder.as_markup())


async def revoke_confirmed(cq: CallbackQuery, callback_data: AdminCb, ctx: Ctx) -> None:
    """Take the role away (not one's own admin role, not an ADMIN_IDS admin's)."""
    target, role, repo = callback_data.user_id, callback_data.role, ctx.repo
    if role == Role.ADMIN.value and (target == cq.from_user.id or target in ctx.settings.admin_ids):
        await ctx.alert("admin-revoke-protected")
        return
    if not await repo.roles.revoke(target, role):
        await ctx.alert("admin-role-not-held")
        return
    await audit.record(repo, cq.from_user.id, Action.ROLE_REVOKED, datetime.now(UTC), target, role)
    log.info("role %s revoked by an admin", role)
    await refresh_commands(ctx.bot, repo, ctx.translator, target)
    text = ctx.t("admin-revoked", role=ctx.t(f"role-{role}"))
    await ctx.show(text, _back(ctx.t, action=AdminAction.PEOPLE, page=callback_data.page))


async def regions_shown(cq: CallbackQuery, callback_data: AdminCb, ctx: Ctx) -> None:
    """An organiser's regions: the full list a page at a time, theirs ticked."""
    await _regions_page(ctx, callback_data.user_id, callback_data.page)


async def region_toggled(cq: CallbackQuery, callback_data: AdminCb, ctx: Ctx) -> None:
    """Tick or untick one region of an organiser."""
    repo, user_id, code = ctx.repo, callback_data.user_id, callback_data.code
    if catalog().get(code) is None or Role.ORGANISER.value not in await repo.roles.of(user_id):
        await ctx.outdated()
        return
    added = await repo.roles.toggle_region(user_id, code)
    action = Action.REGION_ADDED if added else Action.REGION_REMOVED
    await audit.record(repo, cq.from_user.id, action, datetime.now(UTC), user_id, code)
    log.info("organiser regions changed by an admin")
    await _regions_page(ctx, user_id, callback_data.page)


async def _regions_page(ctx: Ctx, user_id: int, number: int) -> None:
    t = ctx.t
    person = await ctx.repo.users.get(user_id)
    if person is None:
        await ctx.alert("admin-person-unknown")
        return
    theirs = await ctx.repo.roles.regions_of(user_id)
    page = page_of(catalog().ordered(t.locale), number, REGIONS_PAGE)
    builder = InlineKeyboardBuilder()
    for region in page.items:
        mark = "✅ " if region.code in theirs else ""
        builder.row(
            _btn(
                mark + region.name(t.locale),
                action=AdminAction.REGION,
                user_id=user_id,
                page=page.number,
                code=region.code,
            )
        )
    builder.row(
        *arrows(
            page.number,
            page.count,
            lambda n: AdminCb(action=AdminAction.REGIONS, user_id=user_id, page=n),
        )
    )
    builder.row(_btn(t("common-back-button"), action=AdminAction.PERSON, user_id=user_id))
    names = sorted(r.name(t.locale) for code in theirs if (r := catalog().get(code)))
    text = t(
        "admin-regions",
        name=html.quote(person.full_name or str(person.id)),
        regions=", ".join(names) or "—",
        page=page.number + 1,
        pages=page.count,
    )
    await ctx.show(text, builder.as_markup())


def router() -> Router:
    r = Router(name=__name__)
    gate = RoleGate(Role.ADMIN)
    r.message.middleware(gate)
    r.callback_query.middleware(gate)
    r.message.register(admin_home, Command("admin"))
    cb = r.callback_query
    cb.register(admin_home, MenuCb.filter(F.action == MenuAction.ADMIN))
    cb.register(admin_home, AdminCb.filter(F.action == AdminAction.HOME))
    cb.register(invite_roles, AdminCb.filter(F.action == AdminAction.INVITE))
    cb.register(invite_created, AdminCb.filter(F.action == AdminAction.INVITE_ROLE))
    cb.register(people_listed, AdminCb.filter(F.action == AdminAction.PEOPLE))
    cb.register(person_shown, AdminCb.filter(F.action == AdminAction.PERSON))
    cb.register(revoke_asked, AdminCb.filter(F.action == AdminAction.REVOKE))
    cb.register(revoke_confirmed, AdminCb.filter(F.action == AdminAction.REVOKE_OK))
    cb.register(regions_shown, AdminCb.filter(F.action == AdminAction.REGIONS))
    cb.register(region_toggled, AdminCb.filter(F.action == AdminAction.REGION))
    # Find, ban and unban, the banned list, the audit log: under this router's gate.
    r.include_router(admin_moderation.router())
    return r
