"""/register_tos: an existing TOS into the registry; the region's organisers verify it.

The steps are declared once in STEPS; bot/ui/wizard.py moves between them (the answers are
kept in the FSM data).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypedDict

from aiogram import F, Router, html
from aiogram.filters import Command, StateFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.i18n import Text
from bot.services import tos as tos_service
from bot.services import tos_nearby, tos_review, validation
from bot.services.law import DEFAULT_PROFILE
from bot.services.validation import InvalidInput
from bot.ui.callbacks.menu import MenuAction, MenuCb
from bot.ui.callbacks.tos import RtAction, RtCb
from bot.ui.context import Ctx
from bot.ui.keyboards import button, nav_buttons, nav_keyboard
from bot.ui.wizard import Parser, Prompt, Screen, Step, Wizard


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


class Answers(TypedDict, total=False):
    """The FSM data of RegisterTos."""

    name: str
    municipality: str
    territory: str  # a territory type of the default law profile
    boundaries: str
    latitude: float | None
    longitude: float | None
    registered_on: str  # ISO date
    number: str
    legal: str  # "yes" or "no": a legal entity
    ogrn: str | None


def _btn(text: str, action: RtAction, value: str = "") -> InlineKeyboardButton:
    return button(text, RtCb(action=action, value=value))


def _keyboard(t: Text, *rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    """The step's own buttons above Back and Cancel."""
    return InlineKeyboardMarkup(inline_keyboard=[*rows, nav_buttons(t, RegisterTos)])


def _territories(ctx: Ctx) -> list[str]:
    return list(ctx.law_profiles[DEFAULT_PROFILE].territory_types.values)


def _territory_keyboard(ctx: Ctx) -> InlineKeyboardMarkup:
    t = ctx.t
    rows = [[_btn(t(f"tos-territory-{k}"), RtAction.TERRITORY, k)] for k in _territories(ctx)]
    return _keyboard(t, *rows)


def _location_keyboard(ctx: Ctx) -> InlineKeyboardMarkup:
    return _keyboard(ctx.t, [_btn(ctx.t("tos-rt-skip-location-button"), RtAction.NO_LOCATION)])


def _legal_keyboard(ctx: Ctx) -> InlineKeyboardMarkup:
    t = ctx.t
    yes = [_btn(t("tos-rt-legal-yes"), RtAction.LEGAL, "yes")]
    return _keyboard(t, yes, [_btn(t("tos-rt-legal-no"), RtAction.LEGAL, "no")])


def _question(
    state: State, keyboard: Callable[[Ctx], InlineKeyboardMarkup] | None = None
) -> Prompt[Answers]:
    """The step's question "tos-rt-ask-<step>", under its buttons (Back and Cancel alone
    unless `keyboard` gives more)."""
    key = "tos-rt-ask-" + (state.state or "").partition(":")[2]

    def prompt(ctx: Ctx, _: Answers) -> Screen:
        return Screen(ctx.t(key), keyboard(ctx) if keyboard else nav_keyboard(ctx.t, RegisterTos))

    return prompt


def _summary(ctx: Ctx, data: Answers) -> Screen:
    t = ctx.t
    text = t(
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
    )
    return Screen(text, _keyboard(t, [_btn(t("tos-rt-confirm-button"), RtAction.CONFIRM)]))


def _typed(state: State, parse: Parser[Answers], **kwargs: Any) -> Step[Answers]:
    """A step answered by typing: a wrong answer gets its hint alone, without buttons."""
    return Step(state, _question(state), parse, retry=lambda ctx, a: None, **kwargs)


def _registered_on(raw: str, ctx: Ctx, _: Answers) -> Answers:
    return {"registered_on": tos_service.charter_date(raw, datetime.now(UTC).date()).isoformat()}


STEPS: list[Step[Answers]] = [
    _typed(RegisterTos.name, lambda raw, ctx, a: {"name": tos_service.tos_name(raw)}),
    _typed(
        RegisterTos.municipality,
        lambda raw, ctx, a: {"municipality": validation.municipality(raw)},
    ),
    Step(RegisterTos.territory, _question(RegisterTos.territory, _territory_keyboard)),
    _typed(RegisterTos.boundaries, lambda raw, ctx, a: {"boundaries": tos_service.boundaries(raw)}),
    Step(RegisterTos.location, _question(RegisterTos.location, _location_keyboard)),
    _typed(RegisterTos.registered_on, _registered_on),
    _typed(
        RegisterTos.number, lambda raw, ctx, a: {"number": tos_service.registration_number(raw)}
    ),
    Step(RegisterTos.legal, _question(RegisterTos.legal, _legal_keyboard)),
    _typed(
        RegisterTos.ogrn,
        lambda raw, ctx, a: {"ogrn": tos_service.ogrn(raw)},
        applies=lambda a: a.get("legal") == "yes",  # an OGRN only for a legal entity
    ),
    Step(RegisterTos.confirm, _summary),
]
wizard = Wizard(RegisterTos, STEPS)


async def opened(_: Message | CallbackQuery, ctx: Ctx) -> None:
    """/register_tos, or "Register a TOS" in the main menu or after a chair's registration."""
    if ctx.user is None or not ctx.user.registered:
        await ctx.send(ctx.t("tos-register-first"))
        return
    await ctx.state.set_data({})
    await wizard.ask(ctx, RegisterTos.name)


def _pressed(state: State, data: RtCb, ctx: Ctx) -> Answers | None:
    """The answers a button gives on `state`; None for a button of another moment."""
    action, value = data.action, data.value
    if state == RegisterTos.territory and action is RtAction.TERRITORY:
        return {"territory": value} if value in _territories(ctx) else None
    if state == RegisterTos.legal and action is RtAction.LEGAL:
        return {"legal": value, "ogrn": None} if value in ("yes", "no") else None
    if state == RegisterTos.location and action is RtAction.NO_LOCATION:
        return {"latitude": None, "longitude": None}
    return None


async def pressed(cq: CallbackQuery, callback_data: RtCb, ctx: Ctx) -> None:
    """Territory type, legal entity or not, no location."""
    step = wizard.step(await ctx.state.get_state())
    given = None if step is None else _pressed(step.state, callback_data, ctx)
    if step is None or given is None:
        await ctx.outdated()
        return
    await ctx.drop_buttons()
    await wizard.advance(ctx, step, given)


async def confirmed(cq: CallbackQuery, ctx: Ctx) -> None:
    """Confirm on the summary: into the registry, and to the organisers for verification."""
    data = await wizard.data(ctx)
    tos = await tos_service.register_existing(ctx.repo, ctx.chat_id, data, datetime.now(UTC))
    await ctx.state.clear()
    await ctx.drop_buttons()
    if tos is None:
        await ctx.send(ctx.t("tos-duplicate", name=html.quote(data["name"])))
        return
    await ctx.send(ctx.t("tos-rt-submitted", name=html.quote(tos.name)))
    await tos_review.ask_verification(ctx.repo, ctx.translator, tos)


async def location_shared(message: Message, ctx: Ctx) -> None:
    """The TOS's location (📎 → Location: any point on the map, or where the chair stands)."""
    assert message.location is not None
    try:
        latitude, longitude = tos_nearby.location(
            message.location.latitude, message.location.longitude
        )
    except InvalidInput as exc:
        await message.answer(ctx.t(exc.key))
        return
    await message.answer(ctx.t("tos-rt-location-saved"))
    answers: Answers = {"latitude": latitude, "longitude": longitude}
    await wizard.advance(ctx, wizard[RegisterTos.location], answers)


async def location_expected(message: Message, t: Text) -> None:
    """Text or anything else where the location is asked: how to send one, or skip."""
    await message.answer(t("tos-rt-location-hint"))


def router() -> Router:
    r = Router(name=__name__)
    r.message.register(opened, Command("register_tos"))
    r.callback_query.register(opened, MenuCb.filter(F.action == MenuAction.REGISTER_TOS))
    r.callback_query.register(
        confirmed, RegisterTos.confirm, RtCb.filter(F.action == RtAction.CONFIRM)
    )
    r.callback_query.register(pressed, StateFilter(RegisterTos), RtCb.filter())
    r.message.register(location_shared, RegisterTos.location, F.location)
    r.message.register(location_expected, RegisterTos.location)
    wizard.register(r)
    return r
