"""/find_tos: TOS of the person's region, found by municipality or name; asking to join one,
and the chair's decision. Only the TOS's chair (read from the database) may decide."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from aiogram import Bot, F, Router, html
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Text
from bot.services import tos_nearby
from bot.services.notify import button, notify
from bot.services.regions import catalog
from bot.services.validation import InvalidInput
from bot.ui.callbacks.menu import MenuAction, MenuCb
from bot.ui.callbacks.tos import JoinAction, JoinCb
from bot.ui.keyboards import nav_buttons
from bot.ui.pagination import page_of
from bot.ui.replies import take_buttons_off
from db.models import Tos
from db.repositories import Repo, UserSnapshot

log = logging.getLogger("bot.security")
PAGE = 8


class TosFind(StatesGroup):
    browsing = State()  # typed text filters the list


def _btn(text: str, **cb: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=JoinCb(**cb).pack())


async def _list(
    bot: Bot, chat_id: int, repo: Repo, t: Text, region_code: str, query: str, page: int
) -> None:
    found = await repo.tos_registry.in_region(region_code, query)
    region = catalog().get(region_code)
    region_name = region.name(t.locale) if region else "—"
    if not found:
        await bot.send_message(
            chat_id,
            t("tos-find-none", region=region_name),
            reply_markup=InlineKeyboardMarkup(
                inline_keyboard=[nav_buttons(t, TosFind, back=False)]
            ),
        )
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
    arrows = []
    if shown.has_prev:
        arrows.append(_btn("◀️", action=JoinAction.PAGE, page=shown.number - 1))
    if shown.has_next:
        arrows.append(_btn("▶️", action=JoinAction.PAGE, page=shown.number + 1))
    if arrows:
        builder.row(*arrows)
    builder.row(*nav_buttons(t, TosFind, back=False))
    await bot.send_message(
        chat_id,
        t("tos-find-list", region=region_name, count=len(found)),
        reply_markup=builder.as_markup(),
    )


async def find_opened(
    message: Message, bot: Bot, state: FSMContext, repo: Repo, t: Text, user: UserSnapshot | None
) -> None:
    """/find_tos: the TOS of one's region; typing narrows the list."""
    await _find(bot, message.chat.id, state, repo, t, user)


async def menu_pressed(
    cq: CallbackQuery, bot: Bot, state: FSMContext, repo: Repo, t: Text, user: UserSnapshot | None
) -> None:
    """ "Find a TOS" in the main menu."""
    await _find(bot, cq.from_user.id, state, repo, t, user)


async def _find(
    bot: Bot, chat_id: int, state: FSMContext, repo: Repo, t: Text, user: UserSnapshot | None
) -> None:
    if user is None or not user.registered or user.region_code is None:
        await bot.send_message(chat_id, t("tos-register-first"))
        return
    await state.set_state(TosFind.browsing)
    await _list(bot, chat_id, repo, t, user.region_code, "", 0)


async def filtered(
    message: Message, bot: Bot, repo: Repo, t: Text, user: UserSnapshot | None
) -> None:
    """Text typed while browsing: part of a municipality's or TOS's name; failing that, an
    address, matched by its words against the TOS's addresses (said to be so: no geocoder)."""
    if user is None or user.region_code is None:
        return
    query = (message.text or "")[:100]
    if await repo.tos_registry.in_region(user.region_code, query):
        await _list(bot, message.chat.id, repo, t, user.region_code, query, 0)
        return
    matches = tos_nearby.match_address(
        message.text or "", await repo.tos_registry.in_region(user.region_code)
    )
    if not matches:
        await _list(bot, message.chat.id, repo, t, user.region_code, query, 0)
        return
    builder = InlineKeyboardBuilder()
    for match in matches:
        tos = match.tos
        builder.row(
            _btn(f"{tos.name} · {tos.municipality}"[:60], action=JoinAction.OPEN, tos_id=tos.id)
        )
    builder.row(*nav_buttons(t, TosFind, back=False))
    await bot.send_message(
        message.chat.id,
        t("tos-near-by-address", query=html.quote(query), count=len(matches)),
        reply_markup=builder.as_markup(),
    )


async def location_shared(
    message: Message, bot: Bot, repo: Repo, t: Text, user: UserSnapshot | None
) -> None:
    """A location shared while browsing: the region's TOS nearest to it, with distances."""
    if user is None or user.region_code is None or message.location is None:
        return
    try:
        latitude, longitude = tos_nearby.location(
            message.location.latitude, message.location.longitude
        )
    except InvalidInput as exc:
        await message.answer(t(exc.key))
        return
    nearest = await repo.tos_registry.nearest(
        user.region_code, latitude, longitude, tos_nearby.MAX_FOUND
    )
    region = catalog().get(user.region_code)
    region_name = region.name(t.locale) if region else "—"
    if not nearest:
        await message.answer(
            t("tos-near-none", region=region_name),
            reply_markup=InlineKeyboardMarkup(
                inline_keyboard=[nav_buttons(t, TosFind, back=False)]
            ),
        )
        return
    builder = InlineKeyboardBuilder()
    for tos, km in nearest:
        key, number = tos_nearby.distance_text(km)
        label = f"{t(key, distance=number)} · {tos.name} · {tos.municipality}"
        builder.row(_btn(label[:64], action=JoinAction.OPEN, tos_id=tos.id))
    builder.row(*nav_buttons(t, TosFind, back=False))
    await bot.send_message(
        message.chat.id,
        t("tos-near-list", region=region_name, count=len(nearest)),
        reply_markup=builder.as_markup(),
    )


async def browsing_other(message: Message, t: Text) -> None:
    """A sticker or photo while browsing: what the search takes."""
    await message.answer(t("tos-near-hint"))


async def page_turned(
    cq: CallbackQuery,
    callback_data: JoinCb,
    bot: Bot,
    repo: Repo,
    t: Text,
    user: UserSnapshot | None,
) -> None:
    if user is None or user.region_code is None:
        return
    await _list(bot, cq.from_user.id, repo, t, user.region_code, "", callback_data.page)


async def card_opened(cq: CallbackQuery, callback_data: JoinCb, repo: Repo, t: Text) -> None:
    """One TOS: what it is, how many members, and the join button."""
    tos = await repo.tos_registry.get(callback_data.tos_id)
    if tos is None or not isinstance(cq.message, Message):
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    status = await repo.tos_members.status(tos.id, cq.from_user.id)
    rows = []
    if tos.chair_id != cq.from_user.id and status not in ("pending", "approved"):
        rows.append([_btn(t("tos-join-button"), action=JoinAction.REQUEST, tos_id=tos.id)])
    await cq.message.answer(
        _card(tos, t, await repo.tos_members.count(tos.id), status),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=rows) if rows else None,
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


async def join_requested(
    cq: CallbackQuery,
    callback_data: JoinCb,
    bot: Bot,
    repo: Repo,
    t: Text,
    user: UserSnapshot | None,
) -> None:
    """Ask to join: the chair gets the request with Approve / Reject."""
    tos = await repo.tos_registry.get(callback_data.tos_id)
    person = await repo.users.get(cq.from_user.id)
    if tos is None or person is None or user is None or not user.registered:
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    if tos.chair_id == person.id or not await repo.tos_members.request(
        tos.id, person.id, datetime.now(UTC)
    ):
        await cq.answer(t("tos-join-already"), show_alert=True)
        return
    await take_buttons_off(cq)
    await bot.send_message(person.id, t("tos-join-sent", name=html.quote(tos.name)))
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
        [[button("tos-join-approve", approve), button("tos-join-reject", reject)]],
        about=f"tos-join:{tos.id}:{person.id}",
    )


async def decided(
    cq: CallbackQuery,
    callback_data: JoinCb,
    repo: Repo,
    t: Text,
) -> None:
    """The chair's Approve / Reject; anyone else is refused, whatever the button says."""
    tos = await repo.tos_registry.get(callback_data.tos_id)
    if tos is None or tos.chair_id != cq.from_user.id:
        log.warning(
            "refused join decision by user %s for TOS %s", cq.from_user.id, callback_data.tos_id
        )
        await cq.answer(t("common-not-allowed"), show_alert=True)
        return
    approved = callback_data.action is JoinAction.APPROVE
    if not await repo.tos_members.decide(
        tos.id, callback_data.user_id, approved, datetime.now(UTC)
    ):
        await cq.answer(t("tos-join-decided-already"), show_alert=True)
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
    r.callback_query.register(menu_pressed, MenuCb.filter(F.action == MenuAction.FIND_TOS))
    r.message.register(filtered, TosFind.browsing, F.text)
    r.message.register(location_shared, TosFind.browsing, F.location)
    r.message.register(browsing_other, TosFind.browsing)
    cb = r.callback_query
    cb.register(page_turned, JoinCb.filter(F.action == JoinAction.PAGE))
    cb.register(card_opened, JoinCb.filter(F.action == JoinAction.OPEN))
    cb.register(join_requested, JoinCb.filter(F.action == JoinAction.REQUEST))
    cb.register(decided, JoinCb.filter(F.action.in_({JoinAction.APPROVE, JoinAction.REJECT})))
    return r
