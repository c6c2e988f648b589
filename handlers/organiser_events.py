"""/events_admin: organisers see the events of their regions, publish, cancel, see and export
sign-ups, decide on applications and share the event's link and QR code. (Creating and editing
is the dialog in handlers/event_form.py; attendance is handlers/attendance.py.)

Every button re-reads the event and checks `event_admin.can_manage` against the database: the
role gate on the router only says the person is an organiser or an admin, not of which region.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router, html
from aiogram.filters import Command
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Text
from bot.middlewares.gate import RoleGate
from bot.services import event_admin, event_drafts, event_links, participants
from bot.services.notify import notify
from bot.services.roles import Role
from bot.services.validation import InvalidInput
from bot.ui.callbacks.events import EvAdminAction, EvAdminCb
from bot.ui.context import Ctx
from bot.ui.event_cards import organiser_card
from bot.ui.keyboards import arrows, button
from bot.ui.pagination import page_count
from bot.webapp.menu import dashboard_button, webapp_url
from db.models import Event
from db.repositories import Repo

log = logging.getLogger("bot.security")

LIST_PAGE = 8
PEOPLE_PAGE = 20
PAST_DAYS_LISTED = 30


def _admin_btn(
    text: str, action: EvAdminAction, event_id: int = 0, **kw: int
) -> InlineKeyboardButton:
    return button(text, EvAdminCb(action=action, event_id=event_id, **kw))


def _now() -> datetime:
    return datetime.now(UTC)


def _fields_of(event: Event) -> dict[str, Any]:
    return {
        **event_drafts.as_data(event),
        "starts_at": event.starts_at,
        "registration_deadline": event.registration_deadline,
        "status": event.status,
    }


# ---- permission --------------------------------------------------------------------------


async def managed_event(
    cq: CallbackQuery, repo: Repo, t: Text, event_id: int, what: str
) -> Event | None:
    """The event if the presser may manage it now (read from the database), else an alert."""
    event = await repo.events.get(event_id)
    if event is None:
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return None
    if not await event_admin.can_manage(repo, cq.from_user.id, event):
        log.warning("refused %s of event %s by user %s", what, event_id, cq.from_user.id)
        await cq.answer(t("common-not-allowed"), show_alert=True)
        return None
    return event


# ---- the list and the event's card -------------------------------------------------------


def _arrows(page: int, pages: int, to: Callable[[int], EvAdminCb]) -> list[InlineKeyboardButton]:
    """arrows() with the plain ◀ ▶ the organisers' lists have always had."""
    return [b.model_copy(update={"text": b.text[0]}) for b in arrows(page, pages, to)]


async def _send_list(ctx: Ctx, page: int) -> None:
    t = ctx.t
    regions = await event_admin.managed_regions(ctx.repo, ctx.chat_id)
    since = _now() - timedelta(days=PAST_DAYS_LISTED)
    events, total = await ctx.repo.events.managed(regions, since, page * LIST_PAGE, LIST_PAGE)
    pages = page_count(total, LIST_PAGE)
    builder = InlineKeyboardBuilder()
    builder.row(_admin_btn(t("evadm-new-button"), EvAdminAction.NEW))
    dashboard = webapp_url(ctx.bot)
    if dashboard:
        builder.row(dashboard_button(t, dashboard))
    for event in events:
        local = event.starts_at.astimezone(ZoneInfo(event.tz))
        label = f"{t(f'evadm-mark-{event.status}')} {local:%d.%m} {event.title}"
        builder.row(_admin_btn(label[:64], EvAdminAction.OPEN, event.id))
    builder.row(*_arrows(page, pages, lambda p: EvAdminCb(action=EvAdminAction.LIST, page=p)))
    text = t("evadm-list", total=total, page=min(page, pages - 1) + 1, pages=pages)
    await ctx.send(text, builder.as_markup())


async def listed(message: Message, ctx: Ctx) -> None:
    """/events_admin: the events of the person's regions and a button to make a new one."""
    await ctx.state.clear()
    await _send_list(ctx, 0)


async def list_paged(cq: CallbackQuery, callback_data: EvAdminCb, ctx: Ctx) -> None:
    """◀ ▶ and "Back to the list"."""
    await ctx.drop_buttons()
    await _send_list(ctx, max(callback_data.page, 0))


def _manage_markup(t: Text, event: Event, dashboard: str | None = None) -> InlineKeyboardMarkup:
    e = event.id
    builder = InlineKeyboardBuilder()
    if dashboard:  # the event's page of the dashboard (WEBAPP_URL)
        builder.row(dashboard_button(t, dashboard, "dash-event-button"))
    if event.status == "draft":
        builder.row(_admin_btn(t("evadm-publish-button"), EvAdminAction.PUBLISH, e))
    if event.status != "cancelled":
        builder.row(_admin_btn(t("evadm-edit-button"), EvAdminAction.EDIT, e))
    builder.row(_admin_btn(t("evadm-people-button"), EvAdminAction.PEOPLE, e))
    if event.status == "published":
        builder.row(_admin_btn(t("evadm-share-button"), EvAdminAction.SHARE, e))
        attendance = []
        if event.format != "online":
            attendance.append(_admin_btn(t("evadm-checkin-button"), EvAdminAction.CHECKIN, e))
        if event.format != "offline":
            attendance.append(_admin_btn(t("evadm-code-word-button"), EvAdminAction.CODE_WORD, e))
        builder.row(*attendance)
        builder.row(_admin_btn(t("evadm-summary-button"), EvAdminAction.SUMMARY, e))
    builder.row(_admin_btn(t("evadm-duplicate-button"), EvAdminAction.DUPLICATE, e))
    if event.status != "cancelled":
        builder.row(_admin_btn(t("evadm-cancel-event-button"), EvAdminAction.CANCEL, e))
    builder.row(_admin_btn(t("evadm-to-list-button"), EvAdminAction.LIST))
    return builder.as_markup()


async def show_event(bot: Bot, chat_id: int, repo: Repo, t: Text, event: Event) -> None:
    counts = await repo.signups.counts(event.id)
    await bot.send_message(
        chat_id,
        organiser_card(t, _fields_of(event), counts),
        reply_markup=_manage_markup(t, event, webapp_url(bot, event=event.id)),
    )


async def _event(ctx: Ctx, callback_data: EvAdminCb, what: str) -> Event | None:
    assert ctx.cq is not None
    return await managed_event(ctx.cq, ctx.repo, ctx.t, callback_data.event_id, what)


async def opened(cq: CallbackQuery, callback_data: EvAdminCb, ctx: Ctx) -> None:
    """An event from the list: its card with what the organiser can do."""
    event = await _event(ctx, callback_data, "opening")
    if event is None:
        return
    await ctx.state.clear()
    await ctx.drop_buttons()
    await show_event(ctx.bot, ctx.chat_id, ctx.repo, ctx.t, event)


async def published(cq: CallbackQuery, callback_data: EvAdminCb, ctx: Ctx) -> None:
    """Publish a saved draft."""
    event = await _event(ctx, callback_data, "publishing")
    if event is None:
        return
    if event.status != "draft":
        await ctx.outdated()
        return
    try:
        await event_admin.publish(ctx.repo, event, _now())
    except InvalidInput as exc:
        await ctx.alert(exc.key)
        return
    await ctx.drop_buttons()
    await ctx.send(ctx.t("evadm-published", title=html.quote(event.title)))
    await show_event(ctx.bot, ctx.chat_id, ctx.repo, ctx.t, event)


async def cancel_asked(cq: CallbackQuery, callback_data: EvAdminCb, ctx: Ctx) -> None:
    """Cancel the event? It cannot be undone, so ask first."""
    event = await _event(ctx, callback_data, "cancelling")
    if event is None or event.status == "cancelled":
        if event is not None:
            await ctx.outdated()
        return
    t = ctx.t
    counts = await ctx.repo.signups.counts(event.id)
    told = sum(counts.get(s, 0) for s in ("signed_up", "waitlisted", "pending"))
    if isinstance(cq.message, Message):
        await cq.message.answer(
            t("evadm-cancel-confirm", title=html.quote(event.title), people=told),
            reply_markup=InlineKeyboardMarkup(
                inline_keyboard=[
                    [
                        _admin_btn(t("evadm-cancel-yes"), EvAdminAction.CANCEL_CONFIRM, event.id),
                        _admin_btn(t("evadm-cancel-no"), EvAdminAction.OPEN, event.id),
                    ]
                ]
            ),
        )


async def cancel_confirmed(cq: CallbackQuery, callback_data: EvAdminCb, ctx: Ctx) -> None:
    """Cancel the event; everyone signed up, waiting or applying is told in their language."""
    event = await _event(ctx, callback_data, "cancelling")
    if event is None:
        return
    if event.status == "cancelled":
        await ctx.outdated()
        return
    cancelled = await event_admin.cancel_event(ctx.repo, event, _now())
    await ctx.drop_buttons()
    await ctx.send(ctx.t("evadm-cancelled", title=html.quote(event.title), people=len(cancelled)))
    for signup in cancelled:
        await notify_one(ctx.repo, signup.user_id, event, "evadm-notice-cancelled")


async def notify_one(repo: Repo, user_id: int, event: Event, key: str, **args: Any) -> None:
    """A message about the event to a participant, in their language and time zone (the
    outbox renders it when sending: title and time join `args`)."""
    await notify(repo, user_id, key, args, about=f"ev:{event.id}:{key}", event_id=event.id)


# ---- participants, applications, exports, sharing ---------------------------------------


async def people_shown(cq: CallbackQuery, callback_data: EvAdminCb, ctx: Ctx) -> None:
    """Who signed up, with statuses and counts; Approve / Reject for applications."""
    event = await _event(ctx, callback_data, "listing sign-ups of")
    if event is None:
        return
    t = ctx.t
    people = await ctx.repo.signups.participants(event.id)
    pages = page_count(len(people), PEOPLE_PAGE)
    page = min(max(callback_data.page, 0), pages - 1)
    counts = await ctx.repo.signups.counts(event.id)
    lines = []
    builder = InlineKeyboardBuilder()
    for number, (signup, person) in enumerate(
        people[page * PEOPLE_PAGE : (page + 1) * PEOPLE_PAGE], page * PEOPLE_PAGE + 1
    ):
        name = html.quote(person.full_name or "—")
        lines.append(f"{number}. {name} — {t(f'evadm-status-{signup.status}')}")
        if signup.status == "pending":
            builder.row(
                _admin_btn(
                    f"✅ {number}. {person.full_name or ''}"[:64],
                    EvAdminAction.APPROVE,
                    event.id,
                    user_id=signup.user_id,
                ),
                _admin_btn(f"❌ {number}", EvAdminAction.REJECT, event.id, user_id=signup.user_id),
            )
    builder.row(
        *_arrows(
            page, pages, lambda p: EvAdminCb(action=EvAdminAction.PEOPLE, event_id=event.id, page=p)
        )
    )
    if people:
        builder.row(
            _admin_btn("CSV", EvAdminAction.EXPORT_CSV, event.id),
            _admin_btn("XLSX", EvAdminAction.EXPORT_XLSX, event.id),
        )
    builder.row(_admin_btn(t("evadm-to-event-button"), EvAdminAction.OPEN, event.id))
    await ctx.drop_buttons()
    text = t(
        "evadm-people",
        title=html.quote(event.title),
        total=len(people),
        signed=counts.get("signed_up", 0) + counts.get("attended", 0),
        waitlisted=counts.get("waitlisted", 0),
        pending=counts.get("pending", 0),
        page=page + 1,
        pages=pages,
    )
    await ctx.send(text + ("\n\n" + "\n".join(lines) if lines else ""), builder.as_markup())


async def decided(cq: CallbackQuery, callback_data: EvAdminCb, ctx: Ctx) -> None:
    """Approve or reject an application; the applicant is told."""
    event = await _event(ctx, callback_data, "deciding on sign-ups of")
    if event is None:
        return
    repo = ctx.repo
    approved = callback_data.action is EvAdminAction.APPROVE
    signup = await event_admin.decide(repo, event, callback_data.user_id, approved, _now())
    if signup is None:
        await ctx.alert("evadm-decided-already")
        return
    await cq.answer(ctx.t(f"evadm-decision-{signup.status}"))
    key = f"evadm-notice-{signup.status}"
    position = await repo.signups.waitlist_position(signup) if signup.status == "waitlisted" else 0
    await notify_one(repo, signup.user_id, event, key, position=position)
    await people_shown(cq, EvAdminCb(action=EvAdminAction.PEOPLE, event_id=event.id), ctx)


async def exported(cq: CallbackQuery, callback_data: EvAdminCb, ctx: Ctx) -> None:
    """Participants as CSV or XLSX, for the event's organisers and admins only."""
    event = await _event(ctx, callback_data, "exporting sign-ups of")
    if event is None:
        return
    t = ctx.t
    found = await participants.table(ctx.repo, t, event)
    fmt = "csv" if callback_data.action is EvAdminAction.EXPORT_CSV else "xlsx"
    content, name = participants.export(t, event, found, fmt, _now())
    await ctx.bot.send_document(
        ctx.chat_id,
        BufferedInputFile(content, filename=name),
        caption=t("evadm-export-caption", title=html.quote(event.title), total=len(found.rows)),
    )


async def shared(cq: CallbackQuery, callback_data: EvAdminCb, ctx: Ctx) -> None:
    """The event's deep link and its QR code, to post in chats and on posters."""
    event = await _event(ctx, callback_data, "sharing")
    if event is None:
        return
    me = await ctx.bot.me()
    link = event_links.deep_link(me.username or "", event.id)
    await ctx.bot.send_photo(
        ctx.chat_id,
        BufferedInputFile(event_links.qr_png(link), filename=f"event_{event.id}.png"),
        caption=ctx.t("evadm-share", title=html.quote(event.title), link=link),
    )


def router() -> Router:
    r = Router(name=__name__)
    gate = RoleGate(Role.ORGANISER, Role.ADMIN)
    r.message.middleware(gate)
    r.callback_query.middleware(gate)
    r.message.register(listed, Command("events_admin"))
    a = EvAdminCb.filter
    r.callback_query.register(list_paged, a(F.action == EvAdminAction.LIST))
    r.callback_query.register(opened, a(F.action == EvAdminAction.OPEN))
    r.callback_query.register(published, a(F.action == EvAdminAction.PUBLISH))
    r.callback_query.register(cancel_asked, a(F.action == EvAdminAction.CANCEL))
    r.callback_query.register(cancel_confirmed, a(F.action == EvAdminAction.CANCEL_CONFIRM))
    r.callback_query.register(people_shown, a(F.action == EvAdminAction.PEOPLE))
    r.callback_query.register(
        decided, a(F.action.in_({EvAdminAction.APPROVE, EvAdminAction.REJECT}))
    )
    r.callback_query.register(
        exported, a(F.action.in_({EvAdminAction.EXPORT_CSV, EvAdminAction.EXPORT_XLSX}))
    )
    r.callback_query.register(shared, a(F.action == EvAdminAction.SHARE))
    return r
