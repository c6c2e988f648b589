"""Registration: consent, name, phone, region (and its zone), municipality, who one is, summary.

The same steps edit a single profile field (`return_to="profile"`) or a field of the summary
(`return_to="summary"`). The steps are declared once in STEPS; bot/ui/wizard.py moves
between them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from typing import TypedDict
from zoneinfo import ZoneInfo

from aiogram import F, Router, html
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardRemove,
)
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.commands import refresh_commands
from bot.i18n import Text, Translator
from bot.services import registration, validation
from bot.services.regions import Zone, catalog
from bot.services.roles import Kind
from bot.ui import menu
from bot.ui.callbacks.registration import RegAction, RegCb
from bot.ui.context import Ctx, Markup
from bot.ui.keyboards import contact_keyboard, nav_keyboard, with_nav
from bot.ui.regions import RegionAction, RegionCb, all_regions_page, region_matches
from bot.ui.replies import note_choice, take_buttons_off
from bot.ui.texts import profile_lines, utc_offset
from bot.ui.wizard import Prompt, Screen, Step, Wizard
from handlers import deep_links


class Registration(StatesGroup):
    consent = State()
    full_name = State()
    phone = State()
    region = State()
    zone = State()  # only for a region with several time zones: part of the region's step
    municipality = State()
    kind = State()
    confirm = State()


class Answers(TypedDict, total=False):
    """The FSM data of Registration."""

    full_name: str
    phone: str
    region_code: str | None
    tz: str | None  # a zone inside a region that has several
    municipality: str
    kind: str  # a Kind's value
    return_to: str | None  # "profile" or "summary": one field edited, then back there
    pending_start: str  # a deep link's payload, followed once registered (handlers/start.py)


# "Step 3 of 5": consent and the summary are not numbered; the zone is part of the region's step.
NUMBERED = 5
NUMBER = {
    Registration.full_name: 1,
    Registration.phone: 2,
    Registration.region: 3,
    Registration.zone: 3,
    Registration.municipality: 4,
    Registration.kind: 5,
}


def _zoned(answers: Answers) -> bool:
    region = catalog().get(str(answers.get("region_code") or ""))
    return region is not None and region.has_zones


# The keyboards are the same for everyone who reads a language: built once per language.
@cache
def _consent_keyboard(t: Text) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for key, action in (
        ("registration-consent-agree", RegAction.AGREE),
        ("registration-consent-decline", RegAction.DECLINE),
    ):
        builder.row(InlineKeyboardButton(text=t(key), callback_data=RegCb(action=action).pack()))
    return with_nav(builder, t, Registration, back=False)


def zone_label(zone: Zone, t: Text) -> str:
    """ "UTC+11 · Абыйский, … районы": the offset now, and where it is kept."""
    return f"{utc_offset(datetime.now(UTC).astimezone(ZoneInfo(zone.tz)))} · {zone.name(t.locale)}"


def _zone_keyboard(t: Text, region_code: str) -> InlineKeyboardMarkup:
    region = catalog().get(region_code)
    builder = InlineKeyboardBuilder()
    for zone in region.zones if region else ():
        builder.row(
            InlineKeyboardButton(
                text=zone_label(zone, t)[:64],
                callback_data=RegCb(action=RegAction.ZONE, value=zone.tz).pack(),
            )
        )
    return with_nav(builder, t, Registration)


@cache
def _kind_keyboard(t: Text) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for kind in Kind:
        builder.row(
            InlineKeyboardButton(
                text=t(f"kind-{kind.value}"),
                callback_data=RegCb(action=RegAction.KIND, value=kind.value).pack(),
            )
        )
    return with_nav(builder, t, Registration)


@cache
def _summary_keyboard(t: Text) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.row(
        InlineKeyboardButton(
            text=t("registration-confirm-button"),
            callback_data=RegCb(action=RegAction.CONFIRM).pack(),
        )
    )
    for key in EDITABLE:
        builder.row(
            InlineKeyboardButton(
                text=t(f"profile-edit-{key}"),
                callback_data=RegCb(action=RegAction.EDIT, value=key).pack(),
            )
        )
    return with_nav(builder, t, Registration)


# ---- the questions -------------------------------------------------------------------------


def _consent(ctx: Ctx, _: Answers) -> Screen:
    s = ctx.settings
    text = ctx.t(
        "registration-consent",
        operator=s.operator_name,
        contacts=s.operator_contacts,
        version=s.privacy_policy_version,
    )
    return Screen(text, _consent_keyboard(ctx.t))


def _question(
    key: str, step: State, keyboard: Callable[[Text], Markup] | None = None
) -> Prompt[Answers]:
    """A numbered question with its keyboard (Back and Cancel unless another is given)."""

    def prompt(ctx: Ctx, _: Answers) -> Screen:
        markup = keyboard(ctx.t) if keyboard else nav_keyboard(ctx.t, Registration)
        return Screen(ctx.t(key, step=NUMBER[step], total=NUMBERED), markup)

    return prompt


def _zone(ctx: Ctx, answers: Answers) -> Screen:
    region = catalog().get(str(answers.get("region_code") or ""))
    assert region is not None  # the step applies to a region with zones only
    text = ctx.t(
        "registration-ask-zone",
        region=region.name(ctx.t.locale),
        step=NUMBER[Registration.zone],
        total=NUMBERED,
    )
    return Screen(text, _zone_keyboard(ctx.t, region.code))


def _summary(ctx: Ctx, answers: Answers) -> Screen:
    return Screen(
        ctx.t("registration-summary", fields=profile_lines(ctx.t, answers)),
        _summary_keyboard(ctx.t),
    )


def _phone(raw: str, ctx: Ctx, _: Answers) -> Answers:
    return {"phone": validation.phone(raw)}


STEPS: list[Step[Answers]] = [
    Step(Registration.consent, _consent),
    Step(
        Registration.full_name,
        _question("registration-ask-name", Registration.full_name),
        parse=lambda raw, ctx, a: {"full_name": validation.full_name(raw)},
    ),
    Step(
        Registration.phone,
        _question("registration-ask-phone", Registration.phone, contact_keyboard),
        parse=_phone,
        retry=lambda ctx, a: contact_keyboard(ctx.t),
    ),
    Step(
        Registration.region,
        _question(
            "registration-ask-region",
            Registration.region,
            lambda t: all_regions_page(t, 0, Registration),
        ),
    ),
    Step(Registration.zone, _zone, applies=_zoned),
    Step(
        Registration.municipality,
        _question("registration-ask-municipality", Registration.municipality),
        parse=lambda raw, ctx, a: {"municipality": validation.municipality(raw)},
    ),
    Step(Registration.kind, _question("registration-ask-kind", Registration.kind, _kind_keyboard)),
    Step(Registration.confirm, _summary),
]
# The profile field each step fills; the zone is asked after the region, where it has several.
FIELDS = {
    "full_name": Registration.full_name,
    "phone": Registration.phone,
    "region_code": Registration.region,
    "municipality": Registration.municipality,
    "kind": Registration.kind,
}
EDITABLE = tuple(FIELDS)
FIELD_STATES = {**FIELDS, "tz": Registration.zone}


class RegistrationWizard(Wizard[Answers]):
    async def advance(
        self, ctx: Ctx, step: Step[Answers], answers: Answers, *, lead: str | None = None
    ) -> None:
        if "region_code" in answers:
            answers = {**answers, "tz": None}  # a new region: its zone is chosen anew
        if (await self.data(ctx)).get("return_to") == "profile":
            await self.noted(ctx, lead)
            await self._save_to_profile(ctx, answers)
            return
        if step.state == Registration.phone:
            # The contact keyboard has served its purpose.
            await ctx.send(ctx.t("registration-phone-saved"), ReplyKeyboardRemove())
        await super().advance(ctx, step, answers, lead=lead)

    async def route(self, ctx: Ctx, step: Step[Answers], answers: Answers) -> Step[Answers] | None:
        if step.state == Registration.region and _zoned(answers):
            return self.step(Registration.zone)
        if answers.get("return_to") == "summary":
            return self.step(Registration.confirm)
        return self.after(step, answers)

    def before(self, step: Step[Answers], answers: Answers) -> Step[Answers] | None:
        if step.state == Registration.zone:  # the zone belongs to the region's step
            return self.step(Registration.region)
        earlier = super().before(step, answers)
        if earlier is not None and earlier.state == Registration.zone:
            return self.step(Registration.region)
        return earlier

    async def back(self, ctx: Ctx) -> None:
        data = await self.data(ctx)
        if data.get("return_to") == "profile":
            await ctx.state.clear()
            await ctx.send(ctx.t("profile-edit-cancelled"), ReplyKeyboardRemove())
            await menu.show_profile(ctx.bot, ctx.chat_id, ctx.repo, ctx.t)
        elif data.get("return_to") == "summary":
            await self.ask(ctx, Registration.confirm, data)
        else:
            await super().back(ctx)

    async def _save_to_profile(self, ctx: Ctx, answers: Answers) -> None:
        """An edit of one field of a saved profile: saved straight away."""
        user = ctx.user
        if user is None or not user.registered:
            await ctx.state.clear()
            await ctx.send(ctx.t("profile-not-registered"))
            return
        data = await self.update(ctx, answers)
        now = datetime.now(UTC)
        for field, value in answers.items():
            if value is not None:
                await registration.update_field(ctx.repo, user.id, field, str(value), now)
        if "region_code" in answers and _zoned(data):
            await self.ask(ctx, Registration.zone, data)
            return
        await ctx.state.clear()
        await ctx.send(ctx.t("profile-saved"), ReplyKeyboardRemove())
        await menu.show_profile(ctx.bot, ctx.chat_id, ctx.repo, ctx.t)
        if "kind" in answers:
            await refresh_commands(ctx.bot, ctx.repo, ctx.translator, user.id)


wizard = RegistrationWizard(Registration, STEPS)


# ---- the public surface (start, /language, /profile) ---------------------------------------


async def reprompt(ctx: Ctx) -> bool:
    """Ask the open question again (after /start, /language or a restart). False if none."""
    return await wizard.reprompt(ctx)


async def begin_field_edit(ctx: Ctx, field: str, region_code: str | None = None) -> None:
    """Edit one field of a saved profile; the answer is saved straight away (`region_code`:
    the person's, for choosing a zone inside it)."""
    await ctx.state.set_data({"return_to": "profile", "region_code": region_code})
    await wizard.ask(ctx, FIELD_STATES[field])


# ---- button handlers and the steps' own replies --------------------------------------------


async def registration_started(cq: CallbackQuery, ctx: Ctx) -> None:
    """The person pressed "Register" under the greeting; consent first unless on record."""
    if ctx.user is not None and ctx.user.registered:
        await ctx.alert("registration-already")
        return
    await ctx.state.update_data(return_to=None)
    consented = ctx.user is not None and ctx.user.consented
    await wizard.ask(ctx, Registration.full_name if consented else Registration.consent)


async def consent_given(cq: CallbackQuery, ctx: Ctx) -> None:
    """'I agree': store the time and the policy version, then ask the name."""
    await registration.give_consent(
        ctx.repo, ctx.chat_id, ctx.lang, ctx.settings.privacy_policy_version, datetime.now(UTC)
    )
    # The consent's text stays in the chat, the note and the name question under it (one edit).
    await wizard.ask(
        ctx, Registration.full_name, lead=ctx.t("registration-consent-given"), keep=True
    )


async def consent_declined(cq: CallbackQuery, ctx: Ctx) -> None:
    """Without consent nothing personal is stored; the dialog ends."""
    await ctx.state.clear()
    await note_choice(cq, ctx.t("registration-consent-declined"))


async def consent_not_pressed(message: Message, t: Text) -> None:
    """Typing instead of pressing a button at the consent step."""
    await message.answer(t("registration-consent-use-buttons"))


async def phone_shared(message: Message, ctx: Ctx) -> None:
    """The contact button was pressed (or a contact was attached)."""
    contact = message.contact
    assert contact is not None  # the filter guarantees it
    if message.from_user is None or contact.user_id != message.from_user.id:
        await message.answer(
            ctx.t("registration-phone-not-own"), reply_markup=contact_keyboard(ctx.t)
        )
        return
    number = contact.phone_number
    try:
        answers = _phone(number if number.startswith("+") else "+" + number, ctx, {})
    except validation.InvalidInput as exc:
        await message.answer(ctx.t(exc.key), reply_markup=contact_keyboard(ctx.t))
        return
    await wizard.advance(ctx, wizard[Registration.phone], answers)


async def back_typed(message: Message, ctx: Ctx) -> None:
    """The Back button of the phone step's reply keyboard."""
    await wizard.back(ctx)


def _is_back(message: Message, translator: Translator) -> bool:
    return message.text in translator.all("common-back-button")


async def region_typed(message: Message, t: Text) -> None:
    """Part of a region's name was typed: offer the matches."""
    matches = catalog().search((message.text or "")[:100], t.locale)
    if not matches:
        await message.answer(
            t("registration-region-not-found"), reply_markup=all_regions_page(t, 0, Registration)
        )
        return
    await message.answer(
        t("registration-region-matches", count=len(matches)),
        reply_markup=region_matches(matches, t, Registration),
    )


async def region_page_turned(cq: CallbackQuery, callback_data: RegionCb, t: Text) -> None:
    """◀️ / ▶️ in the region list: show another page in the same message."""
    if cq.message is None or not isinstance(cq.message, Message):
        return
    markup = all_regions_page(t, callback_data.page, Registration)
    if cq.message.reply_markup != markup:
        await cq.message.edit_reply_markup(reply_markup=markup)


async def region_picked(cq: CallbackQuery, callback_data: RegionCb, ctx: Ctx) -> None:
    """A region button was pressed."""
    region = catalog().get(callback_data.code)
    if region is None:
        await ctx.alert("registration-region-unknown")
        return
    chosen = ctx.t("registration-region-chosen", region=region.name(ctx.t.locale))
    await wizard.advance(
        ctx, wizard[Registration.region], {"region_code": region.code}, lead=chosen
    )


async def zone_chosen(cq: CallbackQuery, callback_data: RegCb, ctx: Ctx) -> None:
    """A time zone inside a region that has several was pressed."""
    region = catalog().get(str((await wizard.data(ctx)).get("region_code") or ""))
    zone = next((z for z in region.zones if z.tz == callback_data.value), None) if region else None
    if zone is None:
        await ctx.outdated()
        return
    chosen = ctx.t("registration-zone-chosen", zone=zone_label(zone, ctx.t))
    await wizard.advance(ctx, wizard[Registration.zone], {"tz": zone.tz}, lead=chosen)


async def kind_chosen(cq: CallbackQuery, callback_data: RegCb, ctx: Ctx) -> None:
    """Resident / TOS member / TOS chair was pressed."""
    try:
        kind = Kind(callback_data.value)
    except ValueError:
        await ctx.outdated()
        return
    chosen = ctx.t("registration-kind-chosen", kind=ctx.t(f"kind-{kind.value}"))
    await wizard.advance(ctx, wizard[Registration.kind], {"kind": kind.value}, lead=chosen)


async def confirmed(cq: CallbackQuery, ctx: Ctx) -> None:
    """Confirm on the summary: save the profile, grant roles, use a pending invite."""
    data = await wizard.data(ctx)
    profile = registration.Profile.from_draft(data)
    if profile is None:
        await ctx.alert("registration-incomplete")
        await wizard.reprompt(ctx)
        return
    user_id, t = ctx.chat_id, ctx.t
    created = await registration.complete(ctx.repo, user_id, profile, datetime.now(UTC))
    pending = data.get("pending_start")
    await ctx.state.clear()
    if not created:
        await take_buttons_off(cq)
        await ctx.send(t("registration-already"))
        return
    # "Done" under the summary it confirms (one edit, where buttons off and a message were two).
    await note_choice(cq, t("registration-done", name=html.quote(profile.full_name)))
    if pending:
        await deep_links.follow(ctx.bot, user_id, str(pending), ctx.repo, t, ctx.translator)
    await refresh_commands(ctx.bot, ctx.repo, ctx.translator, user_id)
    await menu.show_main(ctx.bot, user_id, ctx.repo, t)
    if profile.kind is Kind.TOS_CHAIR:
        # A chair's next step: their TOS into the registry, or a new one founded.
        await ctx.send(t("registration-chair-next"), menu.tos_start_keyboard(t))


async def edit_chosen(cq: CallbackQuery, callback_data: RegCb, ctx: Ctx) -> None:
    """Edit on the summary: ask that field again, then come back to the summary."""
    data = await wizard.data(ctx)
    if callback_data.value not in FIELD_STATES or (
        callback_data.value == "tz" and not _zoned(data)
    ):
        await ctx.outdated()
        return
    await ctx.state.update_data(return_to="summary")
    await take_buttons_off(cq)
    await wizard.ask(ctx, FIELD_STATES[callback_data.value])


def router() -> Router:
    r = Router(name=__name__)
    cb = r.callback_query
    cb.register(registration_started, RegCb.filter(F.action == RegAction.START))
    cb.register(consent_given, Registration.consent, RegCb.filter(F.action == RegAction.AGREE))
    cb.register(consent_declined, Registration.consent, RegCb.filter(F.action == RegAction.DECLINE))
    cb.register(
        region_page_turned, Registration.region, RegionCb.filter(F.action == RegionAction.PAGE)
    )
    cb.register(region_picked, Registration.region, RegionCb.filter(F.action == RegionAction.PICK))
    cb.register(zone_chosen, Registration.zone, RegCb.filter(F.action == RegAction.ZONE))
    cb.register(kind_chosen, Registration.kind, RegCb.filter(F.action == RegAction.KIND))
    cb.register(confirmed, Registration.confirm, RegCb.filter(F.action == RegAction.CONFIRM))
    cb.register(edit_chosen, Registration.confirm, RegCb.filter(F.action == RegAction.EDIT))

    m = r.message
    m.register(consent_not_pressed, Registration.consent)
    m.register(phone_shared, Registration.phone, F.contact)
    m.register(back_typed, Registration.phone, F.text, _is_back)
    m.register(region_typed, Registration.region, F.text)
    wizard.register(r)
    return r
