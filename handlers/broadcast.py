"""/broadcast: an organiser (their regions) or an admin (everyone) sends an announcement.

compose (any one message) → audience (filters with the live count) → preview (the exact copy,
sent to the sender) → Send now / Schedule → a progress message with Pause / Resume / Stop,
edited every few seconds by a job, ending in the report. `/broadcasts` lists them.
Permission is read from the database on every step: the role gate on the router, and the
sender's regions for the audience and for every press on a broadcast.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import Text, Translator
from bot.middlewares.gate import RoleGate
from bot.services import broadcasts, event_admin, event_drafts
from bot.services.broadcasts import ROLES, Audience
from bot.services.regions import catalog, zone_of
from bot.services.roles import Role
from bot.services.validation import InvalidInput
from bot.ui.keyboards import nav_buttons, nav_keyboard
from db.models import Broadcast
from db.repositories import Repo, UserSnapshot
from db.session_hooks import commit
from handlers.replies import not_text, take_buttons_off, use_buttons

log = logging.getLogger("bot.security")
BAR = 10  # cells of the progress bar


class BroadcastForm(StatesGroup):
    compose = State()
    audience = State()
    schedule = State()


class BcAction(StrEnum):
    ROLE = "r"  # value: a role
    LANGUAGE = "l"  # value: "", ru, en
    REGION = "g"  # value: a region code of the sender's
    PREVIEW = "pv"
    SEND = "go"
    SCHEDULE = "sc"
    PAUSE = "pa"  # broadcast_id
    RESUME = "re"
    STOP = "st"


class BcCb(CallbackData, prefix="bc"):
    action: BcAction
    value: str = ""
    broadcast_id: int = 0


def _btn(
    text: str, action: BcAction, value: str = "", broadcast_id: int = 0
) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text, callback_data=BcCb(action=action, value=value, broadcast_id=broadcast_id).pack()
    )


async def _scope(repo: Repo, user_id: int) -> set[str] | None:
    return await event_admin.managed_regions(repo, user_id)


async def opened(message: Message, state: FSMContext, t: Text) -> None:
    """/broadcast: send the message to announce."""
    await state.set_state(BroadcastForm.compose)
    await state.set_data({"filters": Audience().to_json()})
    await message.answer(t("bc-ask-message"), reply_markup=nav_keyboard(t, back=False))


async def composed(message: Message, bot: Bot, state: FSMContext, repo: Repo, t: Text) -> None:
    """The message to copy (text, photo, video, document...): on to the audience."""
    if message.media_group_id is not None:
        await message.answer(t("bc-album-later"))
        return
    await state.update_data(from_chat_id=message.chat.id, message_id=message.message_id)
    await state.set_state(BroadcastForm.audience)
    await _audience_screen(bot, message.chat.id, state, repo, t)


async def _audience_screen(
    bot: Bot, chat_id: int, state: FSMContext, repo: Repo, t: Text, cq: CallbackQuery | None = None
) -> None:
    data = await state.get_data()
    audience = Audience.from_json(data["filters"])
    scope = await _scope(repo, chat_id)
    total = await broadcasts.count(repo, scope, audience)
    builder = InlineKeyboardBuilder()
    for role in ROLES:
        mark = "✅ " if role in audience.roles else ""
        builder.button(
            text=f"{mark}{t(f'bc-role-{role}')}",
            callback_data=BcCb(action=BcAction.ROLE, value=role).pack(),
        )
    builder.adjust(2)
    languages = [("", t("bc-language-all")), ("ru", "RU"), ("en", "EN")]
    builder.row(
        *[
            _btn(("✅ " if audience.language == code else "") + label, BcAction.LANGUAGE, code)
            for code, label in languages
        ]
    )
    for code in sorted(scope or ()):
        region = catalog().get(code)
        if region is not None and len(scope or ()) > 1:
            mark = "✅ " if code in audience.regions else ""
            builder.row(_btn(mark + region.name(t.locale), BcAction.REGION, code))
    builder.row(_btn(t("bc-preview-button", count=total), BcAction.PREVIEW))
    builder.row(*nav_buttons(t, back=False))
    text = t("bc-audience", count=total)
    if cq is not None and isinstance(cq.message, Message):
        await cq.message.edit_text(text, reply_markup=builder.as_markup())
        return
    await bot.send_message(chat_id, text, reply_markup=builder.as_markup())


async def audience_pressed(
    cq: CallbackQuery, callback_data: BcCb, bot: Bot, state: FSMContext, repo: Repo, t: Text
) -> None:
    """A filter switched: the count follows; Preview sends the exact copy to the sender."""
    data = await state.get_data()
    filters = Audience.from_json(data["filters"]).to_json()
    before = dict(filters)
    value = callback_data.value
    if callback_data.action is BcAction.ROLE and value in ROLES:
        roles = set(filters["roles"]) ^ {value}
        filters["roles"] = [r for r in ROLES if r in roles]
    elif callback_data.action is BcAction.LANGUAGE and value in ("", "ru", "en"):
        filters["language"] = value
    elif callback_data.action is BcAction.REGION:
        scope = await _scope(repo, cq.from_user.id)
        if scope is not None and value not in scope:
            log.warning("refused a broadcast region by user %s", cq.from_user.id)
            await cq.answer(t("common-not-allowed"), show_alert=True)
            return
        regions = set(filters["regions"]) ^ {value}
        filters["regions"] = sorted(regions)
    elif callback_data.action is BcAction.PREVIEW:
        await _preview(cq, bot, state, repo, t)
        return
    else:
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    if filters == before:
        return  # the filter was already so (a double click): nothing to redraw
    await state.update_data(filters=filters)
    await _audience_screen(bot, cq.from_user.id, state, repo, t, cq)


async def _preview(cq: CallbackQuery, bot: Bot, state: FSMContext, repo: Repo, t: Text) -> None:
    data = await state.get_data()
    total = await broadcasts.count(
        repo, await _scope(repo, cq.from_user.id), Audience.from_json(data["filters"])
    )
    if total == 0:
        await cq.answer(t("bc-nobody"), show_alert=True)
        return
    await take_buttons_off(cq)
    await bot.copy_message(cq.from_user.id, data["from_chat_id"], data["message_id"])
    await bot.send_message(
        cq.from_user.id,
        t("bc-preview", count=total),
        reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[
                [_btn(t("bc-send-button", count=total), BcAction.SEND)],
                [_btn(t("bc-schedule-button"), BcAction.SCHEDULE)],
                nav_buttons(t, back=False),
            ]
        ),
    )


async def _start(
    bot: Bot, chat_id: int, state: FSMContext, repo: Repo, t: Text, when: datetime | None
) -> None:
    data = await state.get_data()
    now = datetime.now(UTC)
    broadcast = Broadcast(
        organiser_id=chat_id,
        from_chat_id=data["from_chat_id"],
        message_ids=[data["message_id"]],
        filters=data["filters"],
        status="draft",
        scheduled_at=when,
        total=0,
        created_at=now,
    )
    repo.session.add(broadcast)
    await repo.session.flush()
    await state.clear()
    total = await broadcasts.queue(repo, broadcast, await _scope(repo, chat_id), now)
    if when is not None:
        zone = _zone(await repo.users.snapshot(chat_id))
        await bot.send_message(
            chat_id,
            t("bc-scheduled", count=total, when=f"{when.astimezone(zone):%d.%m.%Y %H:%M}"),
            reply_markup=_controls(t, broadcast),
        )
        return
    progress = await bot.send_message(
        chat_id,
        _progress_text(t, broadcast, {"pending": total}),
        reply_markup=_controls(t, broadcast),
    )
    broadcast.progress_message_id = progress.message_id


def _zone(person: UserSnapshot | None) -> ZoneInfo:
    return ZoneInfo(zone_of(person.region_code if person else None))


async def send_pressed(
    cq: CallbackQuery, callback_data: BcCb, bot: Bot, state: FSMContext, repo: Repo, t: Text
) -> None:
    """Send now, or Schedule (then the date and time are typed)."""
    data = await state.get_data()
    if "message_id" not in data:
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    await take_buttons_off(cq)
    if callback_data.action is BcAction.SCHEDULE:
        await state.set_state(BroadcastForm.schedule)
        await bot.send_message(
            cq.from_user.id, t("bc-ask-when"), reply_markup=nav_keyboard(t, back=False)
        )
        return
    await _start(bot, cq.from_user.id, state, repo, t, None)


async def when_typed(message: Message, bot: Bot, state: FSMContext, repo: Repo, t: Text) -> None:
    """The time to send, in the sender's zone."""
    zone = _zone(await repo.users.snapshot(message.chat.id))
    try:
        when = event_drafts.when(message.text, str(zone), datetime.now(UTC))
    except InvalidInput as exc:
        await message.answer(t(exc.key))
        return
    await _start(bot, message.chat.id, state, repo, t, when)


def _progress_text(t: Text, broadcast: Broadcast, counts: dict[str, int]) -> str:
    total = max(broadcast.total, 1)
    sent = counts.get("sent", 0)
    blocked, failed = counts.get("blocked", 0), counts.get("failed", 0)
    done = sent + blocked + failed + counts.get("cancelled", 0) + counts.get("expired", 0)
    filled = round(BAR * done / total)
    return t(
        "bc-progress",
        bar="▓" * filled + "░" * (BAR - filled),
        percent=round(100 * done / total),
        sent=sent,
        blocked=blocked,
        failed=failed,
        total=broadcast.total,
        status=t(f"bc-status-{broadcast.status}"),
    )


def _controls(t: Text, broadcast: Broadcast) -> InlineKeyboardMarkup | None:
    b = broadcast.id
    if broadcast.status == "sending":
        row = [_btn(t("bc-pause-button"), BcAction.PAUSE, broadcast_id=b)]
    elif broadcast.status == "paused":
        row = [_btn(t("bc-resume-button"), BcAction.RESUME, broadcast_id=b)]
    elif broadcast.status == "scheduled":
        row = []
    else:
        return None
    row.append(_btn(t("bc-stop-button"), BcAction.STOP, broadcast_id=b))
    return InlineKeyboardMarkup(inline_keyboard=[row])


async def control_pressed(cq: CallbackQuery, callback_data: BcCb, repo: Repo, t: Text) -> None:
    """Pause, Resume, Stop: only the broadcast's sender or an admin, read from the database."""
    broadcast = await repo.session.get(Broadcast, callback_data.broadcast_id)
    roles = await repo.roles.of(cq.from_user.id)
    if broadcast is None or (
        broadcast.organiser_id != cq.from_user.id and Role.ADMIN.value not in roles
    ):
        log.warning("refused a broadcast control by user %s", cq.from_user.id)
        await cq.answer(t("common-not-allowed"), show_alert=True)
        return
    now = datetime.now(UTC)
    action = callback_data.action
    if action is BcAction.PAUSE and broadcast.status == "sending":
        await broadcasts.pause(repo, broadcast)
    elif action is BcAction.RESUME and broadcast.status == "paused":
        await broadcasts.resume(repo, broadcast, now)
    elif action is BcAction.STOP and broadcast.status in ("sending", "paused", "scheduled"):
        await broadcasts.stop(repo, broadcast, now)
    else:
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    await cq.answer(t(f"bc-status-{broadcast.status}"))
    counts = await broadcasts.report(repo, broadcast.id)
    if isinstance(cq.message, Message):
        await cq.message.edit_text(
            _progress_text(t, broadcast, counts), reply_markup=_controls(t, broadcast)
        )


async def listed(message: Message, repo: Repo, t: Text) -> None:
    """/broadcasts: the last ones with their reports (admins see everyone's)."""
    roles = await repo.roles.of(message.chat.id)
    mine = None if Role.ADMIN.value in roles else message.chat.id
    zone = _zone(await repo.users.snapshot(message.chat.id))
    lines = []
    for broadcast in await repo.broadcasts.latest(mine, 10):
        counts = await broadcasts.report(repo, broadcast.id)
        lines.append(
            t(
                "bc-list-line",
                id=broadcast.id,
                when=f"{_moment(broadcast).astimezone(zone):%d.%m.%Y %H:%M}",
                status=t(f"bc-status-{broadcast.status}"),
                total=broadcast.total,
                sent=counts.get("sent", 0),
                blocked=counts.get("blocked", 0),
                failed=counts.get("failed", 0),
            )
        )
    await message.answer(t("bc-list", lines="\n".join(lines)) if lines else t("bc-list-empty"))


def _moment(broadcast: Broadcast) -> datetime:
    return broadcast.started_at or broadcast.scheduled_at or broadcast.created_at


async def update_progress(
    bot: Bot, session_factory: async_sessionmaker[AsyncSession], translator: Translator
) -> int:
    """The periodic job: each running broadcast's progress message, edited; a finished one
    gets its report and no buttons."""
    edited = 0
    async with session_factory() as session:
        repo = Repo(session)
        for broadcast in await repo.broadcasts.running():
            counts = await broadcasts.report(repo, broadcast.id)
            now = datetime.now(UTC)
            due = broadcast.scheduled_at
            started = broadcast.status == "scheduled" and due is not None and due <= now
            if started:
                broadcast.status, broadcast.started_at = "sending", now
            if broadcast.status == "sending" and not (
                counts.get("pending", 0) or counts.get("sending", 0) or counts.get("paused", 0)
            ):
                broadcast.status, broadcast.finished_at = "done", now
            sender = await repo.users.snapshot(broadcast.organiser_id or 0)
            await commit(session)
            if sender is None:
                continue
            t = translator.for_locale(sender.language)
            if started and broadcast.progress_message_id is None:  # a scheduled one began
                shown = await bot.send_message(
                    broadcast.from_chat_id,
                    _progress_text(t, broadcast, counts),
                    reply_markup=_controls(t, broadcast),
                )
                broadcast.progress_message_id = shown.message_id
                await commit(session)
                continue
            if broadcast.progress_message_id is None:
                continue
            try:
                await bot.edit_message_text(
                    _progress_text(t, broadcast, counts),
                    chat_id=broadcast.from_chat_id,
                    message_id=broadcast.progress_message_id,
                    reply_markup=_controls(t, broadcast),
                )
                edited += 1
            except TelegramBadRequest:  # not modified since the last edit, or deleted
                pass
    return edited


def router() -> Router:
    r = Router(name=__name__)
    gate = RoleGate(Role.ORGANISER, Role.ADMIN)
    r.message.middleware(gate)
    r.callback_query.middleware(gate)
    r.message.register(opened, Command("broadcast"))
    r.message.register(listed, Command("broadcasts"))
    r.callback_query.register(
        control_pressed,
        BcCb.filter(F.action.in_({BcAction.PAUSE, BcAction.RESUME, BcAction.STOP})),
    )
    r.callback_query.register(
        send_pressed,
        StateFilter(BroadcastForm.audience),
        BcCb.filter(F.action.in_({BcAction.SEND, BcAction.SCHEDULE})),
    )
    r.callback_query.register(audience_pressed, StateFilter(BroadcastForm.audience), BcCb.filter())
    # A command typed while composing is a command, not the announcement.
    r.message.register(composed, StateFilter(BroadcastForm.compose), ~F.text.startswith("/"))
    r.message.register(when_typed, StateFilter(BroadcastForm.schedule), F.text)
    r.message.register(not_text, StateFilter(BroadcastForm.schedule))
    r.message.register(use_buttons, StateFilter(BroadcastForm.audience))
    return r
