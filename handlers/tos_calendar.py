"""/tos_calendar: a chair sets the dates of the TOS's yearly duties (the annual meeting with the
bodies' report, the budget estimate, the report on it); the bot reminds them a week and a day
before, and moves a passed date to the next year."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router, html
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.i18n import Text
from bot.services import reminders
from bot.services.regions import zone_of
from bot.services.validation import InvalidInput
from bot.ui import menu
from bot.ui.callbacks.menu import MenuAction, MenuCb
from bot.ui.callbacks.tos import CalCb
from bot.ui.keyboards import nav_keyboard
from bot.ui.replies import not_text, take_buttons_off
from db.models import Tos
from db.repositories import Repo
from handlers import tos_forms


class TosCalendar(StatesGroup):
    date = State()  # data: tos_id, item


def _zone(tos: Tos) -> str:
    return zone_of(tos.region_code)


def _screen(t: Text, tos: Tos) -> tuple[str, InlineKeyboardMarkup]:
    lines = []
    rows = []
    for item in reminders.CALENDAR_ITEMS:
        iso = tos.calendar.get(item)
        when = date.fromisoformat(iso).strftime("%d.%m.%Y") if iso else t("tos-calendar-unset")
        lines.append(t("tos-calendar-line", item=t(f"tos-calendar-{item}"), date=when))
        row = [
            InlineKeyboardButton(
                text=t("tos-calendar-set-button", item=t(f"tos-calendar-{item}")),
                callback_data=CalCb(tos_id=tos.id, item=item).pack(),
            )
        ]
        if iso:
            row.append(
                InlineKeyboardButton(
                    text=t("tos-calendar-clear-button"),
                    callback_data=CalCb(tos_id=tos.id, item=item, clear=True).pack(),
                )
            )
        rows.append(row)
    rows += tos_forms.form_buttons(t, tos.id)  # the year's forms, from the TOS's own data
    text = t("tos-calendar", name=html.quote(tos.name), lines="\n".join(lines))
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


async def shown(message: Message, bot: Bot, state: FSMContext, repo: Repo, t: Text) -> None:
    """/tos_calendar: the calendar of each TOS the person chairs."""
    await _show(bot, message.chat.id, state, repo, t)


async def menu_pressed(cq: CallbackQuery, bot: Bot, state: FSMContext, repo: Repo, t: Text) -> None:
    """ "TOS calendar" in the main menu."""
    await _show(bot, cq.from_user.id, state, repo, t)


async def _show(bot: Bot, chat_id: int, state: FSMContext, repo: Repo, t: Text) -> None:
    await state.clear()
    chaired = await repo.tos_registry.chaired_by(chat_id)
    if not chaired:
        # Not a chair (yet): the ways to become one, as buttons.
        await bot.send_message(
            chat_id, t("tos-calendar-not-chair"), reply_markup=menu.tos_start_keyboard(t)
        )
        return
    for tos in chaired:
        text, markup = _screen(t, tos)
        await bot.send_message(chat_id, text, reply_markup=markup)


async def _own(cq: CallbackQuery, repo: Repo, t: Text, tos_id: int) -> Tos | None:
    """The TOS if the presser chairs it now (read from the database), else an alert."""
    tos = await repo.tos_registry.get(tos_id)
    if tos is None or tos.chair_id != cq.from_user.id:
        await cq.answer(t("common-not-allowed"), show_alert=True)
        return None
    return tos


async def pressed(
    cq: CallbackQuery, callback_data: CalCb, bot: Bot, state: FSMContext, repo: Repo, t: Text
) -> None:
    """Set a date (asks for it) or clear it (at once: nothing is lost that cannot be typed)."""
    tos = await _own(cq, repo, t, callback_data.tos_id)
    if tos is None:
        return
    item = callback_data.item
    if item not in reminders.CALENDAR_ITEMS:
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    await take_buttons_off(cq)
    if callback_data.clear:
        tos.calendar = {k: v for k, v in tos.calendar.items() if k != item}
        await repo.session.flush()
        await reminders.drop_calendar(repo, tos.id, item)
        text, markup = _screen(t, tos)
        await bot.send_message(cq.from_user.id, text, reply_markup=markup)
        return
    await state.set_state(TosCalendar.date)
    await state.set_data({"tos_id": tos.id, "item": item})
    await bot.send_message(
        cq.from_user.id,
        t("tos-calendar-ask", item=t(f"tos-calendar-{item}")),
        reply_markup=nav_keyboard(t, TosCalendar, back=False),
    )


async def typed(message: Message, bot: Bot, state: FSMContext, repo: Repo, t: Text) -> None:
    """The date; wrong input re-asks with a hint."""
    data = await state.get_data()
    tos = await repo.tos_registry.get(int(data["tos_id"]))
    if tos is None or tos.chair_id != message.chat.id:
        await state.clear()
        await message.answer(t("common-not-allowed"))
        return
    zone = _zone(tos)
    now = datetime.now(UTC)
    try:
        day = reminders.calendar_day(message.text, now.astimezone(ZoneInfo(zone)).date())
    except InvalidInput as exc:
        await message.answer(t(exc.key))
        return
    item = data["item"]
    tos.calendar = {**tos.calendar, item: day.isoformat()}
    await repo.session.flush()
    await reminders.plan_calendar(repo, tos.id, message.chat.id, item, day, zone, now)
    await state.clear()
    saved = t("tos-calendar-saved", item=t(f"tos-calendar-{item}"), date=f"{day:%d.%m.%Y}")
    await message.answer(saved)
    text, markup = _screen(t, tos)
    await bot.send_message(message.chat.id, text, reply_markup=markup)


def router() -> Router:
    r = Router(name=__name__)
    r.message.register(shown, Command("tos_calendar"))
    r.callback_query.register(menu_pressed, MenuCb.filter(F.action == MenuAction.TOS_CALENDAR))
    r.callback_query.register(pressed, CalCb.filter())
    r.message.register(typed, StateFilter(TosCalendar.date), F.text)
    r.message.register(not_text, StateFilter(TosCalendar.date))
    return r
