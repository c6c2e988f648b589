"""/admin: invite links that grant roles, the list of people with roles, revoking a role (and,
in handlers/admin_moderation.py, finding a person, bans and the audit log).

Every update here passes `RoleGate(Role.ADMIN)`, which reads the roles from the database.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from aiogram import Bot, F, Router, html
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.commands import refresh_commands
from bot.config import Settings
from bot.i18n import Text, Translator
from bot.middlewares.gate import RoleGate
from bot.services import audit, invites, moderation
from bot.services.audit import Action
from bot.services.regions import catalog
from bot.services.roles import INVITABLE, PRIVILEGED, Role
from bot.ui.callbacks.admin import AdminAction, AdminCb, LawAction, LawCb
from bot.ui.callbacks.menu import MenuAction, MenuCb
from bot.ui.callbacks.questions import FaqAction, FaqCb, TopicAdminAction, TopicAdminCb
from bot.ui.pagination import page_count, page_of
from bot.ui.screens import show
from bot.ui.texts import local_time
from db.repositories import Repo, UserSnapshot
from handlers import admin_moderation

log = logging.getLogger(__name__)
PEOPLE_PAGE = 10
REGIONS_PAGE = 10


def _btn(text: str, **cb: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=AdminCb(**cb).pack())


def home_keyboard(t: Text) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_btn(t("admin-invite-button"), action=AdminAction.INVITE)],
            [_btn(t("admin-people-button"), action=AdminAction.PEOPLE)],
            [
                InlineKeyboardButton(
                    text=t("admin-law-button"),
                    callback_data=LawCb(action=LawAction.REGIONS).pack(),
                )
            ],
            [
                InlineKeyboardButton(
                    text=t("qadmin-topics-button"),
                    callback_data=TopicAdminCb(action=TopicAdminAction.TOPICS).pack(),
                ),
                InlineKeyboardButton(
                    text=t("qadmin-experts-button"),
                    callback_data=TopicAdminCb(action=TopicAdminAction.EXPERTS).pack(),
                ),
            ],
            [
                InlineKeyboardButton(
                    text=t("faq-drafts-button"),
                    callback_data=FaqCb(action=FaqAction.DRAFTS).pack(),
                )
            ],
            *admin_moderation.home_buttons(t),
        ]
    )


async def admin_home(message: Message, t: Text) -> None:
    """/admin."""
    await message.answer(t("admin-title"), reply_markup=home_keyboard(t))


async def admin_home_pressed(cq: CallbackQuery, t: Text) -> None:
    await show(cq, t("admin-title"), home_keyboard(t))


async def invite_roles(cq: CallbackQuery, t: Text) -> None:
    """Which role the new link grants."""
    builder = InlineKeyboardBuilder()
    for role in INVITABLE:
        builder.row(_btn(t(f"role-{role.value}"), action=AdminAction.INVITE_ROLE, role=role.value))
    builder.row(_btn(t("common-back-button"), action=AdminAction.HOME))
    await show(cq, t("admin-invite-choose-role"), builder.as_markup())


async def invite_created(
    cq: CallbackQuery,
    callback_data: AdminCb,
    bot: Bot,
    repo: Repo,
    t: Text,
    settings: Settings,
    user: UserSnapshot,
) -> None:
    """Make a one-time link for the chosen role."""
    try:
        role = Role(callback_data.role)
        payload, expires_at = await invites.create(
            repo,
            role,
            cq.from_user.id,
            datetime.now(UTC),
            timedelta(hours=settings.invite_ttl_hours),
        )
    except ValueError:
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    me = await bot.me()
    link = f"https://t.me/{me.username}?start={payload}"
    region = catalog().get(user.region_code)
    await show(
        cq,
        t(
            "admin-invite-created",
            role=t(f"role-{role.value}"),
            link=link,
            expires=local_time(expires_at, region.tz if region else None),
        ),
        InlineKeyboardMarkup(
            inline_keyboard=[[_btn(t("common-back-button"), action=AdminAction.HOME)]]
        ),
    )
    log.info("invite for role %s created by an admin", role.value)


async def people_listed(cq: CallbackQuery, callback_data: AdminCb, repo: Repo, t: Text) -> None:
    """People holding a role beyond resident, a page at a time."""
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
    arrows = []
    if page > 0:
        arrows.append(_btn("◀️", action=AdminAction.PEOPLE, page=page - 1))
    if page < total_pages - 1:
        arrows.append(_btn("▶️", action=AdminAction.PEOPLE, page=page + 1))
    if arrows:
        builder.row(*arrows)
    builder.row(_btn(t("common-back-button"), action=AdminAction.HOME))
    await show(
        cq, t("admin-people", count=total, page=page + 1, pages=total_pages), builder.as_markup()
    )


async def person_shown(
    cq: CallbackQuery,
    callback_data: AdminCb,
    repo: Repo,
    t: Text,
    settings: Settings,
    user: UserSnapshot | None,
) -> None:
    """One person's roles, each with a Revoke button; Ban or Unban."""
    person = await repo.users.get(callback_data.user_id)
    if person is None:
        await cq.answer(t("admin-person-unknown"), show_alert=True)
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
        builder.row(
            InlineKeyboardButton(
                text=t("qadmin-expert-topics-button", count=count),
                callback_data=TopicAdminCb(
                    action=TopicAdminAction.EXPERT, user_id=person.id
                ).pack(),
            )
        )
    if moderation.may_ban(cq.from_user.id, person.id, settings.admin_ids):
        builder.row(admin_moderation.ban_button(t, person.id, person.banned_at is not None))
    builder.row(_btn(t("common-back-button"), action=AdminAction.PEOPLE, page=callback_data.page))
    text = t(
        "admin-person",
        name=html.quote(person.full_name or str(person.id)),
        id=person.id,
        roles=", ".join(t(f"role-{r}") for r in roles) or "—",
    )
    if person.banned_at is not None:
        zone = admin_moderation.zone_of_admin(user)
        text += "\n" + t("admin-person-banned", since=local_time(person.banned_at, zone))
    await show(cq, text, builder.as_markup())


async def revoke_asked(cq: CallbackQuery, callback_data: AdminCb, repo: Repo, t: Text) -> None:
    """Confirm before taking a role away."""
    person = await repo.users.get(callback_data.user_id)
    if person is None or callback_data.role not in await repo.roles.of(person.id):
        await cq.answer(t("admin-role-not-held"), show_alert=True)
        return
    builder = InlineKeyboardBuilder()
    builder.row(
        _btn(
            t("admin-revoke-yes"),
            action=AdminAction.REVOKE_OK,
            role=callback_data.role,
            user_id=person.id,
            page=callback_data.page,
        ),
        _btn(
            t("admin-revoke-no"),
            action=AdminAction.PERSON,
            user_id=person.id,
            page=callback_data.page,
        ),
    )
    await show(
        cq,
        t(
            "admin-revoke-confirm",
            role=t(f"role-{callback_data.role}"),
            name=html.quote(person.full_name or str(person.id)),
        ),
        builder.as_markup(),
    )


async def revoke_confirmed(
    cq: CallbackQuery,
    callback_data: AdminCb,
    bot: Bot,
    repo: Repo,
    t: Text,
    translator: Translator,
    settings: Settings,
) -> None:
    """Take the role away (not one's own admin role, not an ADMIN_IDS admin's)."""
    target, role = callback_data.user_id, callback_data.role
    if role == Role.ADMIN.value and (target == cq.from_user.id or target in settings.admin_ids):
        await cq.answer(t("admin-revoke-protected"), show_alert=True)
        return
    if not await repo.roles.revoke(target, role):
        await cq.answer(t("admin-role-not-held"), show_alert=True)
        return
    await audit.record(repo, cq.from_user.id, Action.ROLE_REVOKED, datetime.now(UTC), target, role)
    log.info("role %s revoked by an admin", role)
    await refresh_commands(bot, repo, translator, target)
    await show(
        cq,
        t("admin-revoked", role=t(f"role-{role}")),
        InlineKeyboardMarkup(
            inline_keyboard=[
                [_btn(t("common-back-button"), action=AdminAction.PEOPLE, page=callback_data.page)]
            ]
        ),
    )


async def regions_shown(cq: CallbackQuery, callback_data: AdminCb, repo: Repo, t: Text) -> None:
    """An organiser's regions: the full list a page at a time, theirs ticked."""
    await _regions_page(cq, repo, t, callback_data.user_id, callback_data.page)


async def region_toggled(cq: CallbackQuery, callback_data: AdminCb, repo: Repo, t: Text) -> None:
    """Tick or untick one region of an organiser."""
    if catalog().get(callback_data.code) is None or Role.ORGANISER.value not in await repo.roles.of(
        callback_data.user_id
    ):
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    added = await repo.roles.toggle_region(callback_data.user_id, callback_data.code)
    action = Action.REGION_ADDED if added else Action.REGION_REMOVED
    now = datetime.now(UTC)
    await audit.record(
        repo, cq.from_user.id, action, now, callback_data.user_id, callback_data.code
    )
    log.info("organiser regions changed by an admin")
    await _regions_page(cq, repo, t, callback_data.user_id, callback_data.page)


async def _regions_page(cq: CallbackQuery, repo: Repo, t: Text, user_id: int, number: int) -> None:
    person = await repo.users.get(user_id)
    if person is None:
        await cq.answer(t("admin-person-unknown"), show_alert=True)
        return
    theirs = await repo.roles.regions_of(user_id)
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
    arrows = []
    if page.has_prev:
        arrows.append(_btn("◀️", action=AdminAction.REGIONS, user_id=user_id, page=page.number - 1))
    if page.has_next:
        arrows.append(_btn("▶️", action=AdminAction.REGIONS, user_id=user_id, page=page.number + 1))
    builder.row(*arrows)
    builder.row(_btn(t("common-back-button"), action=AdminAction.PERSON, user_id=user_id))
    names = sorted(r.name(t.locale) for code in theirs if (r := catalog().get(code)))
    await show(
        cq,
        t(
            "admin-regions",
            name=html.quote(person.full_name or str(person.id)),
            regions=", ".join(names) or "—",
            page=page.number + 1,
            pages=page.count,
        ),
        builder.as_markup(),
    )


def router() -> Router:
    r = Router(name=__name__)
    gate = RoleGate(Role.ADMIN)
    r.message.middleware(gate)
    r.callback_query.middleware(gate)
    r.message.register(admin_home, Command("admin"))
    cb = r.callback_query
    cb.register(admin_home_pressed, MenuCb.filter(F.action == MenuAction.ADMIN))
    cb.register(admin_home_pressed, AdminCb.filter(F.action == AdminAction.HOME))
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
