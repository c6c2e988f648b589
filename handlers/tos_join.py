"""/find_tos: TOS of the person's region, found by municipality or name; asking to join one,
and the chair's decision. Only the TOS's chair (read from the database) may decide."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from aiogram import F, Router, html
from aiogram.filters import Command
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Text
from bot.services import tos_nearby
from bot.services.notify import button as notice_button
from bot.services.notify import notify
from bot.services.regions import catalog
from bot.services.validation import InvalidInput
from bot.ui.callbacks.menu import MenuAction, MenuCb
from bot.ui.callbacks.tos import JoinAction, JoinCb
from bot.ui.context import Ctx
from bot.ui.keyboards import arrows, button, nav_buttons
from bot.ui.pagination import page_of
from bot.ui.replies import take_buttons_off
from db.models import Tos

log = logging.getLogger("bot.security")
PAGE = 8


class TosFind(StatesGroup):
    browsing = State()  # typed text filters the list


def _btn(text: str, **cb: object) -> InlineKeyboardButton:
    return button(text, JoinCb(**cb))


def _cancel(t: Text) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[nav_buttons(t, TosFind, back=False)])


def _choices(t: Text, labelled: list[tuple[str, Tos]]) -> InlineKeyboardMarkup:
    """One button per TOS found, opening its card; Cancel under them."""
    builder = InlineKeyboardBuilder()
    for label, tos in labelled:
        builder.row(_btn(label, action=JoinAction.OPEN, tos_id=tos.id))
    builder.row(*nav_buttons(t, TosFind, back=False))
    return builder.as_markup()


def _region_name(t: Text, region_code: str) -> str:
    region = catalog().get(region_code)
    return region.name(t.locale) if region else "—"


async def _list(ctx: Ctx, region_code: str, query: str, page: int) -> None:
    t = ctx.t
    found = await ctx.repo.tos_registry.in_region(region_code, query)
    region_name = _region_name(t, region_code)
    if not found:
        await ctx.send(t("tos-find-none", region=region_name), _cancel(t))
        return
    shown = page_of(found, page, PAGE)
    builder = InlineKeyboardBuilder()
    for tos in shown.items:
        mark = "✓ " if tos.status == "verified" else ""
        builder.row(
            _btn(
                f"{mark}{tos.name} · {tos.municipality}"[:60], action=JoinAction.OPEN, tos_id=tos.id
            )
        )
    builder.row(
        *arrows(shown.number, shown.count, lambda n: JoinCb(action=JoinAction.PAGE, page=n))
    )
    builder.row(*nav_buttons(t, TosFind, back=False))
    text = t("tos-find-list", region=region_name, count=len(found))
    await ctx.send(text, builder.as_markup())


async def find_opened(_: Message | CallbackQuery, ctx: Ctx) -> None:
    """/find_tos, or "Find a TOS" in the main menu: the TOS of one's region; typing narrows
    the list."""
    user = ctx.user
    if user is None or not user.registered or user.region_code is None:
        await ctx.send(ctx.t("tos-register-first"))
        return
    await ctx.state.set_state(TosFind.browsing)
    await _list(ctx, user.region_code, "", 0)


async def filtered(message: Message, ctx: Ctx) -> None:
    """Text typed while browsing: part of a municipality's or TOS's name; failing that, an
    address, matched by its words against the TOS's addresses (said to be so: no geocoder)."""
    if ctx.user is None or ctx.user.region_code is None:
        return
    region_code, registry = ctx.user.region_code, ctx.repo.tos_registry
    query = (message.text or "")[:100]
    matches = []
    if not await registry.in_region(region_code, query):
        matches = tos_nearby.match_address(
            message.text or "", await registry.in_region(region_code)
        )
    if not matches:
        await _list(ctx, region_code, query, 0)
        return
    labelled = [(f"{m.tos.name} · {m.tos.municipality}"[:60], m.tos) for m in matches]
    text = ctx.t("tos-near-by-address", query=html.quote(query), count=len(matches))
    await ctx.send(text, _choices(ctx.t, labelled))


async def location_shared(message: Message, ctx: Ctx) -> None:
    """A location shared while browsing: the region's TOS nearest to it, with distances."""
    t, user = ctx.t, ctx.user
    if user is None or user.region_code is None or message.location is None:
        return
    try:
        latitude, longitude = tos_nearby.location(
            message.location.latitude, message.location.longitude
        )
    except InvalidInput as exc:
        await ctx.send(t(exc.key))
        return
    nearest = await ctx.repo.tos_registry.nearest(
        user.region_code, latitude, longitude, tos_nearby.MAX_FOUND
    )
    region_name = _region_name(t, user.region_code)
    if not nearest:
        await ctx.send(t("tos-near-none", region=region_name), _cancel(t))
        return
    labelled = []
    for tos, km in nearest:
        key, number = tos_nearby.distance_text(km)
        labelled.append((f"{t(key, distance=number)} · {tos.name} · {tos.municipality}"[:64], tos))
    text = t("tos-near-list", region=region_name, count=len(nearest))
    await ctx.send(text, _choices(t, labelled))


async def browsing_other(message: Message, ctx: Ctx) -> None:
    """A sticker or photo while browsing: what the search takes."""
    await ctx.send(ctx.t("tos-near-hint"))


async def page_turned(cq: CallbackQuery, callback_data: JoinCb, ctx: Ctx) -> None:
    if ctx.user is None or ctx.user.region_code is None:
        return
    await _list(ctx, ctx.user.region_code, "", callback_data.page)


async def card_opened(cq: CallbackQuery, callback_data: JoinCb, ctx: Ctx) -> None:
    """One TOS: what it is, how many members, and the join button."""
    repo = ctx.repo
    tos = await repo.tos_registry.get(callback_data.tos_id)
    if tos is None or not isinstance(cq.message, Message):
        await ctx.outdated()
        return
    status = await repo.tos_members.status(tos.id, cq.from_user.id)
    rows = []
    if tos.chair_id != cq.from_user.id and status not in ("pending", "approved"):
        rows.append([_btn(ctx.t("tos-join-button"), action=JoinAction.REQUEST, tos_id=tos.id)])
    await ctx.send(
        _card(tos, ctx.t, await repo.tos_members.count(tos.id), status),
        InlineKeyboardMarkup(inline_keyboard=rows) if rows else None,
    )


def _card(tos: Tos, t: Text, members: int, status: str | None) -> str:
    return t(
        "tos-card",
        name=html.quote(tos.name),
        municipality=html.quote(tos.municipality),
        territory=t(f"tos-territory-{tos.territory_type}"),
        boundaries=html.quote(tos.boundaries),
        verified=t("tos-verified" if tos.status == "verified" else "tos-unverified"),
        members=members,
        mine=t(f"tos-membership-{status}") if status else "",
    )


async def join_requested(cq: CallbackQuery, callback_data: JoinCb, ctx: Ctx) -> None:
    """Ask to join: the chair gets the request with Approve / Reject."""
    repo = ctx.repo
    tos = await repo.tos_registry.get(callback_data.tos_id)
    person = await repo.users.get(cq.from_user.id)
    if tos is None or person is None or ctx.user is None or not ctx.user.registered:
        await ctx.outdated()
        return
    if tos.chair_id == person.id or not await repo.tos_members.request(
        tos.id, person.id, datetime.now(UTC)
    ):
        await ctx.alert("tos-join-already")
        return
    await take_buttons_off(cq)
    await ctx.bot.send_message(person.id, ctx.t("tos-join-sent", name=html.quote(tos.name)))
    if tos.chair_id is None:
        return
    # The chair reads it in their own language; the request is saved either way.
    approve = JoinCb(action=JoinAction.APPROVE, tos_id=tos.id, user_id=person.id).pack()
    reject = JoinCb(action=JoinAction.REJECT, tos_id=tos.id, user_id=person.id).pack()
    await notify(
        repo,
        tos.chair_id,
        "tos-join-request",
        {
            "person": html.quote(person.full_name or ""),
            "municipality": html.quote(person.municipality or ""),
            "name": html.quote(tos.name),
        },
        [[notice_button("tos-join-approve", approve), notice_button("tos-join-reject", reject)]],
        about=f"tos-join:{tos.id}:{person.id}",
    )


async def decided(cq: CallbackQuery, callback_data: JoinCb, ctx: Ctx) -> None:
    """The chair's Approve / Reject; anyone else is refused, whatever the button says."""
    t, repo = ctx.t, ctx.repo
    tos = await repo.tos_registry.get(callback_data.tos_id)
    if tos is None or tos.chair_id != cq.from_user.id:
        log.warning(
            "refused join decision by user %s for TOS %s", cq.from_user.id, callback_data.tos_id
        )
        await ctx.alert("common-not-allowed")
        return
    approved = callback_data.action is JoinAction.APPROVE
    if not await repo.tos_members.decide(
        tos.id, callback_data.user_id, approved, datetime.now(UTC)
    ):
        await ctx.alert("tos-join-decided-already")
        return
    if isinstance(cq.message, Message):
        await cq.message.edit_text(
            cq.message.html_text
            + "\n\n"
            + t("tos-join-approved" if approved else "tos-join-rejected"),
            reply_markup=None,
        )
    person = await repo.users.get(callback_data.user_id)
    if person is None:
        return
    await notify(
        repo,
        person.id,
        "tos-join-welcome" if approved else "tos-join-declined",
        {"name": html.quote(tos.name)},
        about=f"tos-join:{tos.id}:{person.id}",
    )


def router() -> Router:
    r = Router(name=__name__)
    r.message.register(find_opened, Command("find_tos"))
    r.callback_query.register(find_opened, MenuCb.filter(F.action == MenuAction.FIND_TOS))
    r.message.register(filtered, TosFind.browsing, F.text)
    r.message.register(location_shared, TosFind.browsing, F.location)
    r.message.register(browsing_other, TosFind.browsing)
    cb = r.callback_query
    cb.register(page_turned, JoinCb.filter(F.action == JoinAction.PAGE))
    cb.register(card_opened, JoinCb.filter(F.action == JoinAction.OPEN))
    cb.register(join_requested, JoinCb.filter(F.action == JoinAction.REQUEST))
    cb.register(decided, JoinCb.filter(F.action.in_({JoinAction.APPROVE, JoinAction.REJECT})))
    return r
