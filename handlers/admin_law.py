"""/admin → law by region: the values a region's (or one municipality's) own act sets (age
threshold where the law allows one, registration body's name, registration term). New TOS
projects there copy these at their start. Which law applies is not a setting: the founding
meeting's date decides (bot/services/law.profile_on), and the screen says which and when."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from aiogram import F, Router, html
from aiogram.filters import StateFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Text
from bot.middlewares.gate import RoleGate
from bot.services import tos as tos_service
from bot.services import validation
from bot.services.law import AGES, DEFAULT_PROFILE, LawProfile, age_refused_by, profile_on
from bot.services.regions import catalog
from bot.services.roles import Role
from bot.services.validation import InvalidInput
from bot.ui.callbacks.admin import AdminAction, AdminCb, LawAction, LawCb
from bot.ui.context import Ctx
from bot.ui.keyboards import arrows, button, nav_buttons
from bot.ui.pagination import page_of
from bot.ui.replies import not_text
from db.models import LawSetting

PAGE = 10


class LawEdit(StatesGroup):
    term = State()
    body = State()
    municipality = State()


def _btn(text: str, action: LawAction, **fields: object) -> InlineKeyboardButton:
    return button(text, LawCb(action=action, **fields))


async def regions_listed(cq: CallbackQuery, callback_data: LawCb, ctx: Ctx) -> None:
    """The regions, a page at a time."""
    t = ctx.t
    page = page_of(catalog().ordered(t.locale), callback_data.page, PAGE)
    builder = InlineKeyboardBuilder()
    for region in page.items:
        builder.row(_btn(region.name(t.locale), LawAction.REGION, code=region.code))
    builder.row(*arrows(page.number, page.count, lambda n: LawCb(action=LawAction.REGIONS, page=n)))
    builder.row(button(t("common-back-button"), AdminCb(action=AdminAction.HOME)))
    await ctx.show(t("admin-law-regions"), builder.as_markup())


def _periods(t: Text, profiles: dict[str, LawProfile]) -> str:
    """Which law governs meetings when: one line per profile, in order."""
    lines = []
    for profile in sorted(
        profiles.values(), key=lambda p: p.applies_from.value if p.applies_from else date.min
    ):
        if profile.repealed_from is not None:
            last = profile.repealed_from.value - timedelta(days=1)
            period = t("admin-law-until", date=f"{last:%d.%m.%Y}")
        elif profile.applies_from is not None:
            period = t("admin-law-from", date=f"{profile.applies_from.value:%d.%m.%Y}")
        else:
            period = t("admin-law-always")
        lines.append(t("admin-law-period", act=html.quote(profile.act), period=period))
    return "\n".join(lines)


def _screen(
    setting: LawSetting, t: Text, profiles: dict[str, LawProfile]
) -> tuple[str, InlineKeyboardMarkup]:
    region = catalog().get(setting.region_code)
    today = datetime.now(UTC).date()
    profile = profile_on(profiles, today)  # the law in force today
    default = t("admin-law-default")
    age_rule = profile.rules.min_age
    text = t(
        "admin-law-setting",
        region=region.name(t.locale) if region else setting.region_code,
        municipality=html.quote(setting.municipality) or t("admin-law-whole-region"),
        laws=_periods(t, profiles),
        age=t("admin-law-age-fixed-line", age=age_rule.value, source=html.quote(age_rule.source))
        if age_rule.fixed
        else setting.min_age or f"{age_rule.value} ({default})",
        term=setting.registration_term_days
        or f"{profile.rules.registration_term_days.value} ({default})",
        body=html.quote(setting.registration_body_name or "")
        or t(f"tos-body-{profile.registration_body.value}") + f" ({default})",
    )
    sid = setting.id
    # Only the ages the law lets a local act choose: none while 131-FZ fixes 16.
    allowed = [age for age in AGES if age_refused_by(profiles, age, today) is None]
    ages = [
        _btn(t("admin-law-age", age=age), LawAction.AGE, sid=sid, value=str(age))
        for age in allowed
        if len(allowed) > 1
    ]
    if setting.min_age is not None:
        ages.append(_btn(t("admin-law-age-default"), LawAction.AGE, sid=sid, value=""))
    rows = [
        *([ages] if ages else []),
        [_btn(t("admin-law-term-button"), LawAction.TERM, sid=sid)],
        [_btn(t("admin-law-body-button"), LawAction.BODY, sid=sid)],
    ]
    if not setting.municipality:
        rows.append([_btn(t("admin-law-municipality-button"), LawAction.MUNICIPALITY, sid=sid)])
    rows.append([_btn(t("common-back-button"), LawAction.REGIONS)])
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


async def region_chosen(
    cq: CallbackQuery, callback_data: LawCb, ctx: Ctx, law_profiles: dict[str, LawProfile]
) -> None:
    """A region: its region-wide setting (made on first look)."""
    if catalog().get(callback_data.code) is None:
        await ctx.outdated()
        return
    setting = await ctx.repo.law_settings.ensure(
        callback_data.code, "", DEFAULT_PROFILE, datetime.now(UTC)
    )
    await ctx.show(*_screen(setting, ctx.t, law_profiles))


async def changed(
    cq: CallbackQuery, callback_data: LawCb, ctx: Ctx, law_profiles: dict[str, LawProfile]
) -> None:
    """Age buttons change at once; term, body and municipality ask for text."""
    t, repo, state = ctx.t, ctx.repo, ctx.state
    setting = await repo.law_settings.get(callback_data.sid)
    if setting is None:
        await ctx.outdated()
        return
    action, value, now = callback_data.action, callback_data.value, datetime.now(UTC)
    sid = setting.id
    if action is LawAction.AGE and value in ("", *map(str, AGES)):
        refused = age_refused_by(law_profiles, int(value), now.date()) if value else None
        if refused is not None:
            rule = refused.rules.min_age
            until = (
                refused.repealed_from.value - timedelta(days=1) if refused.repealed_from else None
            )
            await ctx.alert(
                "admin-law-age-fixed" if until else "admin-law-age-fixed-always",
                age=rule.value,
                source=rule.source,
                until=f"{until:%d.%m.%Y}" if until else "",
            )
            return
        await repo.law_settings.update(setting, now, min_age=int(value) if value else None)
    elif action is LawAction.BODY and value == "law":
        # Back to the law's own words, "уполномоченный орган местного самоуправления".
        await state.clear()
        await repo.law_settings.update(setting, now, registration_body_name=None)
    elif action in (LawAction.TERM, LawAction.BODY, LawAction.MUNICIPALITY):
        step = {
            LawAction.TERM: LawEdit.term,
            LawAction.BODY: LawEdit.body,
            LawAction.MUNICIPALITY: LawEdit.municipality,
        }[action]
        await state.set_state(step)
        await state.set_data({"setting_id": setting.id})
        rows = []
        if action is LawAction.BODY and setting.registration_body_name:
            plain = _btn(t("admin-law-body-law-button"), LawAction.BODY, sid=sid, value="law")
            rows.append([plain])
        rows.append(nav_buttons(t, LawEdit, back=False))
        markup = InlineKeyboardMarkup(inline_keyboard=rows)
        await ctx.send(t(f"admin-law-ask-{action.name.lower()}"), markup)
        return
    else:
        await ctx.outdated()
        return
    await ctx.show(*_screen(setting, t, law_profiles))


async def typed(message: Message, ctx: Ctx, law_profiles: dict[str, LawProfile]) -> None:
    """The registration term, the body's name, or a municipality to set apart."""
    t, repo, state = ctx.t, ctx.repo, ctx.state
    data = await state.get_data()
    setting = await repo.law_settings.get(int(data.get("setting_id", 0)))
    current = await state.get_state()
    if setting is None:
        await state.clear()
        await ctx.outdated()
        return
    now = datetime.now(UTC)
    try:
        if current == LawEdit.term.state:
            days = tos_service.whole_number(message.text, low=1, high=365, key="admin-law-term")
            await repo.law_settings.update(setting, now, registration_term_days=days)
        elif current == LawEdit.body.state:
            body = tos_service.text(message.text, min_len=3, max_len=200, key="admin-law-body")
            await repo.law_settings.update(setting, now, registration_body_name=body)
        else:
            name = validation.municipality(message.text)
            setting = await repo.law_settings.ensure(
                setting.region_code, name, setting.profile_id, now, template=setting
            )
    except InvalidInput as exc:
        await ctx.send(t(exc.key))
        return
    await state.clear()
    await ctx.send(*_screen(setting, t, law_profiles))


def router() -> Router:
    r = Router(name=__name__)
    gate = RoleGate(Role.ADMIN)
    r.message.middleware(gate)
    r.callback_query.middleware(gate)
    cb = r.callback_query
    cb.register(regions_listed, LawCb.filter(F.action == LawAction.REGIONS))
    cb.register(region_chosen, LawCb.filter(F.action == LawAction.REGION))
    cb.register(changed, LawCb.filter())
    r.message.register(typed, StateFilter(LawEdit), F.text)
    r.message.register(not_text, StateFilter(LawEdit))
    return r
