"""/tos_calendar: a chair sets the dates of the TOS's yearly duties (the annual meeting with the
bodies' report, the budget estimate, the report on it); the bot reminds them a week and a day
before, and moves a passed date to the next year."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from aiogram import F, Router, html
from aiogram.filters import Command, StateFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.i18n import Text
from bot.services import reminders
from bot.services.regions import zone_of
from bot.services.validation import InvalidInput
from bot.ui import menu
from bot.ui.callbacks.menu import MenuAction, MenuCb
from bot.ui.callbacks.tos import CalCb
from bot.ui.context import Ctx
from bot.ui.keyboards import button, nav_keyboard
from bot.ui.replies import not_text, take_buttons_off
from db.models import Tos
from handlers import tos_forms


class TosCalendar(StatesGroup):
    date = State()  # data: tos_id, item


def _screen(t: Text, tos: Tos) -> tuple[str, InlineKeyboardMarkup]:
    lines = []
    rows = []
    for item in reminders.CALENDAR_ITEMS:
        iso = tos.calendar.get(item)
        when = date.fromisoformat(iso).strftime("%d.%m.%Y") if iso else t("tos-calendar-unset")
        lines.append(t("tos-calendar-line", item=t(f"tos-calendar-{item}"), date=when))
        set_date = t("tos-calendar-set-button", item=t(f"tos-calendar-{item}"))
        row = [button(set_date, CalCb(tos_id=tos.id, item=item))]
        if iso:
            clear = CalCb(tos_id=tos.id, item=item, clear=True)
            row.append(button(t("tos-calendar-clear-button"), clear))
        rows.append(row)
    rows += tos_forms.form_buttons(t, tos.id)  # the year's forms, from the TOS's own data
    text = t("tos-calendar", name=html.quote(tos.name), lines="\n".join(lines))
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


async def shown(_: Message | CallbackQuery, ctx: Ctx) -> None:
    """/tos_calendar, or "TOS calendar" in the main menu: the calendar of each TOS the person
    chairs."""
    await ctx.state.clear()
    chaired = await ctx.repo.tos_registry.chaired_by(ctx.chat_id)
    if not chaired:
        # Not a chair (yet): the ways to become one, as buttons.
        await ctx.send(ctx.t("tos-calendar-not-chair"), menu.tos_start_keyboard(ctx.t))
        return
    for tos in chaired:
        await ctx.send(*_screen(ctx.t, tos))


async def pressed(cq: CallbackQuery, callback_data: CalCb, ctx: Ctx) -> None:
    """Set a date (asks for it) or clear it (at once: nothing is lost that cannot be typed)."""
    t = ctx.t
    tos = await ctx.repo.tos_registry.get(callback_data.tos_id)
    if tos is None or tos.chair_id != cq.from_user.id:  # chaired now, read from the database
        await ctx.alert("common-not-allowed")
        return
    item = callback_data.item
    if item not in reminders.CALENDAR_ITEMS:
        await ctx.outdated()
        return
    await take_buttons_off(cq)
    if callback_data.clear:
        tos.calendar = {k: v for k, v in tos.calendar.items() if k != item}
        await ctx.repo.session.flush()
        await reminders.drop_calendar(ctx.repo, tos.id, item)
        await ctx.send(*_screen(t, tos))
        return
    await ctx.state.set_state(TosCalendar.date)
    await ctx.state.set_data({"tos_id": tos.id, "item": item})
    await ctx.send(
        t("tos-calendar-ask", item=t(f"tos-calendar-{item}")),
        nav_keyboard(t, TosCalendar, back=False),
    )


async def typed(message: Message, ctx: Ctx) -> None:
    """The date; wrong input re-asks with a hint."""
    t, repo, state = ctx.t, ctx.repo, ctx.state
    data = await state.get_data()
    tos = await repo.tos_registry.get(int(data["tos_id"]))
    if tos is None or tos.chair_id != ctx.chat_id:
        await state.clear()
        await ctx.send(t("common-not-allowed"))
        return
    zone = zone_of(tos.region_code)
    now = datetime.now(UTC)
    try:
        day = reminders.calendar_day(message.text, now.astimezone(ZoneInfo(zone)).date())
    except InvalidInput as exc:
        await ctx.send(t(exc.key))
        return
    item = data["item"]
    tos.calendar = {**tos.calendar, item: day.isoformat()}
    await repo.session.flush()
    await reminders.plan_calendar(repo, tos.id, ctx.chat_id, item, day, zone, now)
    await state.clear()
    await ctx.send(t("tos-calendar-saved", item=t(f"tos-calendar-{item}"), date=f"{day:%d.%m.%Y}"))
    await ctx.send(*_screen(t, tos))


def router() -> Router:
    r = Router(name=__name__)
    r.message.register(shown, Command("tos_calendar"))
    r.callback_query.register(shown, MenuCb.filter(F.action == MenuAction.TOS_CALENDAR))
    r.callback_query.register(pressed, CalCb.filter())
    r.message.register(typed, StateFilter(TosCalendar.date), F.text)
    r.message.register(not_text, StateFilter(TosCalendar.date))
    return r
