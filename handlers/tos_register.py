"""/register_tos: an existing TOS into the registry; the region's organisers verify it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiogram import Bot, F, Router, html
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.i18n import Text, Translator
from bot.services import tos as tos_service
from bot.services import tos_nearby, tos_review, validation
from bot.services.law import DEFAULT_PROFILE, LawProfile
from bot.services.validation import InvalidInput
from bot.ui.callbacks.menu import MenuAction, MenuCb
from bot.ui.callbacks.tos import RtAction, RtCb
from bot.ui.keyboards import Nav, NavCb, nav_buttons, nav_keyboard
from bot.ui.replies import not_text, take_buttons_off, use_buttons
from db.repositories import Repo, UserSnapshot


class RegisterTos(StatesGroup):
    name = State()
    municipality = State()
    territory = State()
    boundaries = State()
    location = State()  # optional: where the TOS is, for "Find a TOS near me"
    registered_on = State()
    number = State()
    legal = State()
    ogrn = State()
    confirm = State()


ORDER = list(RegisterTos.__states__)


async def _current(state: FSMContext) -> State | None:
    current = await state.get_state()
    return next((s for s in ORDER if s.state == current), None)


def _btn(text: str, action: RtAction, value: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=RtCb(action=action, value=value).pack())


async def ask(
    bot: Bot, chat_id: int, step: State, state: FSMContext, t: Text, law: LawProfile
) -> None:
    await state.set_state(step)
    data = await state.get_data()
    markup: InlineKeyboardMarkup = nav_keyboard(t, RegisterTos)
    if step == RegisterTos.territory:
        markup = InlineKeyboardMarkup(
            inline_keyboard=[
                [_btn(t(f"tos-territory-{kind}"), RtAction.TERRITORY, kind)]
                for kind in law.territory_types.values
            ]
            + [nav_buttons(t, RegisterTos)]
        )
    elif step == RegisterTos.legal:
        markup = InlineKeyboardMarkup(
            inline_keyboard=[
                [_btn(t("tos-rt-legal-yes"), RtAction.LEGAL, "yes")],
                [_btn(t("tos-rt-legal-no"), RtAction.LEGAL, "no")],
                nav_buttons(t, RegisterTos),
            ]
        )
    elif step == RegisterTos.location:
        markup = InlineKeyboardMarkup(
            inline_keyboard=[
                [_btn(t("tos-rt-skip-location-button"), RtAction.NO_LOCATION)],
                nav_buttons(t, RegisterTos),
            ]
        )
    elif step == RegisterTos.confirm:
        markup = InlineKeyboardMarkup(
            inline_keyboard=[
                [_btn(t("tos-rt-confirm-button"), RtAction.CONFIRM)],
                nav_buttons(t, RegisterTos),
            ]
        )
        await bot.send_message(
            chat_id,
            t(
                "tos-rt-summary",
                name=html.quote(data["name"]),
                municipality=html.quote(data["municipality"]),
                territory=t(f"tos-territory-{data['territory']}"),
                boundaries=html.quote(data["boundaries"]),
                registered=datetime.fromisoformat(data["registered_on"]).strftime("%d.%m.%Y"),
                number=html.quote(data["number"]),
                ogrn=data.get("ogrn") or "—",
                location=t("tos-rt-location-set")
                if data.get("latitude") is not None
                else t("tos-rt-location-unset"),
            ),
            reply_markup=markup,
        )
        return
    key = "tos-rt-ask-" + (step.state or ":").split(":")[1]
    await bot.send_message(chat_id, t(key), reply_markup=markup)


async def opened(
    message: Message,
    bot: Bot,
    state: FSMContext,
    t: Text,
    user: UserSnapshot | None,
    law_profiles: dict[str, LawProfile],
) -> None:
    """/register_tos."""
    await _open(bot, message.chat.id, state, t, user, law_profiles)


async def menu_pressed(
    cq: CallbackQuery,
    bot: Bot,
    state: FSMContext,
    t: Text,
    user: UserSnapshot | None,
    law_profiles: dict[str, LawProfile],
) -> None:
    """ "Register a TOS" in the main menu or after a chair's registration."""
    await _open(bot, cq.from_user.id, state, t, user, law_profiles)


async def _open(
    bot: Bot,
    chat_id: int,
    state: FSMContext,
    t: Text,
    user: UserSnapshot | None,
    law_profiles: dict[str, LawProfile],
) -> None:
    if user is None or not user.registered:
        await bot.send_message(chat_id, t("tos-register-first"))
        return
    await state.set_data({})
    await ask(bot, chat_id, RegisterTos.name, state, t, law_profiles[DEFAULT_PROFILE])


def _parse(step: State, raw: str | None) -> dict[str, Any]:
    if step == RegisterTos.name:
        return {"name": tos_service.tos_name(raw)}
    if step == RegisterTos.municipality:
        return {"municipality": validation.municipality(raw)}
    if step == RegisterTos.boundaries:
        return {"boundaries": tos_service.boundaries(raw)}
    if step == RegisterTos.registered_on:
        return {
            "registered_on": tos_service.charter_date(raw, datetime.now(UTC).date()).isoformat()
        }
    if step == RegisterTos.number:
        return {"number": tos_service.registration_number(raw)}
    if step == RegisterTos.ogrn:
        return {"ogrn": tos_service.ogrn(raw)}
    raise InvalidInput("common-use-buttons")


def _following(step: State, data: dict[str, Any]) -> State:
    following = ORDER[ORDER.index(step) + 1]
    if following == RegisterTos.ogrn and data.get("legal") != "yes":
        return RegisterTos.confirm
    return following


async def typed(
    message: Message, bot: Bot, state: FSMContext, t: Text, law_profiles: dict[str, LawProfile]
) -> None:
    """A typed answer; wrong input re-asks with a hint."""
    step = await _current(state)
    if step is None:
        return
    try:
        answers = _parse(step, message.text)
    except InvalidInput as exc:
        await message.answer(t(exc.key))
        return
    data = await state.update_data(answers)
    await ask(bot, message.chat.id, _following(step, data), state, t, law_profiles[DEFAULT_PROFILE])


async def pressed(
    cq: CallbackQuery,
    callback_data: RtCb,
    bot: Bot,
    state: FSMContext,
    repo: Repo,
    t: Text,
    translator: Translator,
    law_profiles: dict[str, LawProfile],
) -> None:
    """Territory type, legal entity or not, Confirm."""
    law = law_profiles[DEFAULT_PROFILE]
    step = await _current(state)
    action, value = callback_data.action, callback_data.value
    if step == RegisterTos.territory and action is RtAction.TERRITORY:
        ok = value in law.territory_types.values
        answers: dict[str, Any] = {"territory": value}
    elif step == RegisterTos.legal and action is RtAction.LEGAL:
        ok = value in ("yes", "no")
        answers = {"legal": value, "ogrn": None}
    elif step == RegisterTos.location and action is RtAction.NO_LOCATION:
        ok = True
        answers = {"latitude": None, "longitude": None}
    elif step == RegisterTos.confirm and action is RtAction.CONFIRM:
        await _confirmed(cq, bot, state, repo, t, translator)
        return
    else:
        ok = False
    if not ok:
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    await take_buttons_off(cq)
    assert step is not None
    data = await state.update_data(answers)
    await ask(bot, cq.from_user.id, _following(step, data), state, t, law)


async def _confirmed(
    cq: CallbackQuery, bot: Bot, state: FSMContext, repo: Repo, t: Text, translator: Translator
) -> None:
    data = await state.get_data()
    tos = await tos_service.register_existing(repo, cq.from_user.id, data, datetime.now(UTC))
    await state.clear()
    await take_buttons_off(cq)
    if tos is None:
        await bot.send_message(cq.from_user.id, t("tos-duplicate", name=html.quote(data["name"])))
        return
    await bot.send_message(cq.from_user.id, t("tos-rt-submitted", name=html.quote(tos.name)))
    await tos_review.ask_verification(repo, translator, tos)


async def location_shared(
    message: Message, bot: Bot, state: FSMContext, t: Text, law_profiles: dict[str, LawProfile]
) -> None:
    """The TOS's location (📎 → Location: any point on the map, or where the chair stands)."""
    assert message.location is not None
    try:
        latitude, longitude = tos_nearby.location(
            message.location.latitude, message.location.longitude
        )
    except InvalidInput as exc:
        await message.answer(t(exc.key))
        return
    data = await state.update_data({"latitude": latitude, "longitude": longitude})
    await message.answer(t("tos-rt-location-saved"))
    await ask(
        bot,
        message.chat.id,
        _following(RegisterTos.location, data),
        state,
        t,
        law_profiles[DEFAULT_PROFILE],
    )


async def location_expected(message: Message, t: Text) -> None:
    """Text or anything else where the location is asked: how to send one, or skip."""
    await message.answer(t("tos-rt-location-hint"))


async def went_back(
    cq: CallbackQuery, bot: Bot, state: FSMContext, t: Text, law_profiles: dict[str, LawProfile]
) -> None:
    step = await _current(state)
    if step is None:
        return
    data = await state.get_data()
    index = ORDER.index(step)
    earlier = ORDER[max(index - 1, 0)]
    if earlier == RegisterTos.ogrn and data.get("legal") != "yes":
        earlier = RegisterTos.legal
    await take_buttons_off(cq)
    await ask(bot, cq.from_user.id, earlier, state, t, law_profiles[DEFAULT_PROFILE])


BUTTON_STEPS = (RegisterTos.territory, RegisterTos.legal, RegisterTos.confirm)


def router() -> Router:
    r = Router(name=__name__)
    r.message.register(opened, Command("register_tos"))
    r.callback_query.register(menu_pressed, MenuCb.filter(F.action == MenuAction.REGISTER_TOS))
    r.callback_query.register(
        went_back, StateFilter(RegisterTos), NavCb.filter(F.action == Nav.BACK)
    )
    r.callback_query.register(pressed, StateFilter(RegisterTos), RtCb.filter())
    r.message.register(location_shared, StateFilter(RegisterTos.location), F.location)
    r.message.register(location_expected, StateFilter(RegisterTos.location))
    r.message.register(use_buttons, StateFilter(*BUTTON_STEPS), F.text)
    r.message.register(typed, StateFilter(RegisterTos), F.text)
    r.message.register(not_text, StateFilter(RegisterTos))
    return r
