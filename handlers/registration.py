"""Registration: consent, name, phone, region, municipality, who one is, summary.

The same steps edit a single profile field (`return_to="profile"`) or a field of the summary
(`return_to="summary"`). State diagram: README.md, "Registration dialog".
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router, html
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
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
from bot.config import Settings
from bot.i18n import Text, Translator
from bot.services import registration, validation
from bot.services.regions import Zone, catalog
from bot.services.roles import Kind
from bot.ui import menu
from bot.ui.callbacks.registration import RegAction, RegCb
from bot.ui.keyboards import Nav, NavCb, contact_keyboard, nav_keyboard, with_nav
from bot.ui.regions import RegionAction, RegionCb, all_regions_page, region_matches
from bot.ui.replies import not_text, take_buttons_off, use_buttons
from bot.ui.texts import profile_lines, utc_offset
from db.repositories import Repo, UserSnapshot
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


# Steps in order; the FSM data key each one fills.
STEPS: list[tuple[State, str | None]] = [
    (Registration.consent, None),
    (Registration.full_name, "full_name"),
    (Registration.phone, "phone"),
    (Registration.region, "region_code"),
    (Registration.municipality, "municipality"),
    (Registration.kind, "kind"),
    (Registration.confirm, None),
]
EDITABLE = tuple(key for _, key in STEPS if key)
# The time zone is asked after the region, only where the region has several.
FIELD_STATES = {**{key: st for st, key in STEPS if key}, "tz": Registration.zone}


# ---- prompts: each sets the state and asks -------------------------------------------------


async def ask(
    bot: Bot, chat_id: int, step: State, state: FSMContext, t: Text, settings: Settings
) -> None:
    """Put the person on `step` and send its question."""
    await state.set_state(step)
    total = len(STEPS) - 2  # consent and summary are not numbered
    # The zone is part of the region's step.
    index = [s for s, _ in STEPS].index(Registration.region if step == Registration.zone else step)
    if step == Registration.consent:
        await bot.send_message(
            chat_id,
            t(
                "registration-consent",
                operator=settings.operator_name,
                contacts=settings.operator_contacts,
                version=settings.privacy_policy_version,
            ),
            reply_markup=_consent_keyboard(t),
        )
    elif step == Registration.full_name:
        await bot.send_message(
            chat_id,
            t("registration-ask-name", step=index, total=total),
            reply_markup=nav_keyboard(t, Registration),
        )
    elif step == Registration.phone:
        await bot.send_message(
            chat_id,
            t("registration-ask-phone", step=index, total=total),
            reply_markup=contact_keyboard(t),
        )
    elif step == Registration.region:
        await bot.send_message(
            chat_id,
            t("registration-ask-region", step=index, total=total),
            reply_markup=all_regions_page(t, 0, Registration),
        )
    elif step == Registration.zone:
        region = catalog().get(str((await state.get_data()).get("region_code") or ""))
        if region is None or not region.has_zones:  # nothing to choose: on to the region
            await ask(bot, chat_id, Registration.region, state, t, settings)
            return
        await bot.send_message(
            chat_id,
            t("registration-ask-zone", step=index, total=total, region=region.name(t.locale)),
            reply_markup=_zone_keyboard(t, region.code),
        )
    elif step == Registration.municipality:
        await bot.send_message(
            chat_id,
            t("registration-ask-municipality", step=index, total=total),
            reply_markup=nav_keyboard(t, Registration),
        )
    elif step == Registration.kind:
        await bot.send_message(
            chat_id,
            t("registration-ask-kind", step=index, total=total),
            reply_markup=_kind_keyboard(t),
        )
    else:
        await bot.send_message(
            chat_id,
            t("registration-summary", fields=profile_lines(t, await state.get_data())),
            reply_markup=_summary_keyboard(t),
        )


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


async def reprompt(bot: Bot, chat_id: int, state: FSMContext, t: Text, settings: Settings) -> bool:
    """Ask the current step again (after /start, /language or a restart). False if not here."""
    current = await state.get_state()
    for step in (*(s for s, _ in STEPS), Registration.zone):
        if step.state == current:
            await ask(bot, chat_id, step, state, t, settings)
            return True
    return False


async def start_registration(
    bot: Bot,
    chat_id: int,
    state: FSMContext,
    t: Text,
    settings: Settings,
    user: UserSnapshot | None,
) -> None:
    """Begin with consent, or with the name if consent is already on record."""
    await state.update_data(return_to=None)
    step = Registration.full_name if user and user.consented else Registration.consent
    await ask(bot, chat_id, step, state, t, settings)


async def begin_field_edit(
    bot: Bot,
    chat_id: int,
    field: str,
    state: FSMContext,
    t: Text,
    settings: Settings,
    region_code: str | None = None,
) -> None:
    """Edit one field of a saved profile; the answer is saved straight away (`region_code`:
    the person's, for choosing a zone inside it)."""
    await state.set_data({"return_to": "profile", "region_code": region_code})
    await ask(bot, chat_id, FIELD_STATES[field], state, t, settings)


# ---- moving between steps -------------------------------------------------------------------


async def _advance(
    bot: Bot,
    chat_id: int,
    field: str,
    value: str,
    state: FSMContext,
    repo: Repo,
    t: Text,
    settings: Settings,
    translator: Translator,
    user: UserSnapshot | None,
) -> None:
    """Store a step's answer and go on: to the next step, the summary, or the profile."""
    answer: dict[str, str | None] = {field: value}
    region = catalog().get(value) if field == "region_code" else None
    if field == "region_code":
        answer["tz"] = None  # a new region: its zone is chosen anew (or is its only one)
    data = await state.update_data(answer)
    if data.get("return_to") == "profile":
        if user is None or not user.registered:
            await state.clear()
            await bot.send_message(chat_id, t("profile-not-registered"))
            return
        await registration.update_field(repo, user.id, field, value, datetime.now(UTC))
        if region is not None and region.has_zones:
            await ask(bot, chat_id, Registration.zone, state, t, settings)
            return
        await state.clear()
        await bot.send_message(chat_id, t("profile-saved"), reply_markup=ReplyKeyboardRemove())
        await menu.show_profile(bot, chat_id, repo, t)
        if field == "kind":
            await refresh_commands(bot, repo, translator, user.id)
        return
    if field == "phone":
        # The contact keyboard has served its purpose.
        await bot.send_message(
            chat_id, t("registration-phone-saved"), reply_markup=ReplyKeyboardRemove()
        )
    if region is not None and region.has_zones:
        await ask(bot, chat_id, Registration.zone, state, t, settings)
        return
    if data.get("return_to") == "summary":
        await ask(bot, chat_id, Registration.confirm, state, t, settings)
        return
    order = [s for s, _ in STEPS]
    current = Registration.region if field == "tz" else FIELD_STATES[field]
    await ask(bot, chat_id, order[order.index(current) + 1], state, t, settings)


async def go_back(
    bot: Bot, chat_id: int, state: FSMContext, repo: Repo, t: Text, settings: Settings
) -> None:
    data = await state.get_data()
    if data.get("return_to") == "profile":
        await state.clear()
        await bot.send_message(
            chat_id, t("profile-edit-cancelled"), reply_markup=ReplyKeyboardRemove()
        )
        await menu.show_profile(bot, chat_id, repo, t)
        return
    if data.get("return_to") == "summary":
        await ask(bot, chat_id, Registration.confirm, state, t, settings)
        return
    order = [s for s, _ in STEPS]
    current = await state.get_state()
    if current == Registration.zone.state:  # the zone belongs to the region's step
        await ask(bot, chat_id, Registration.region, state, t, settings)
        return
    index = next((i for i, s in enumerate(order) if s.state == current), 0)
    if index <= 1:
        # Back from the first question returns to the consent text (consent stays on record).
        await ask(bot, chat_id, Registration.consent, state, t, settings)
        return
    await ask(bot, chat_id, order[index - 1], state, t, settings)


# ---- handlers ------------------------------------------------------------------------------


async def registration_started(
    cq: CallbackQuery,
    bot: Bot,
    state: FSMContext,
    t: Text,
    settings: Settings,
    user: UserSnapshot | None,
) -> None:
    """The person pressed "Register" under the greeting."""
    if user is not None and user.registered:
        await cq.answer(t("registration-already"), show_alert=True)
        return
    await start_registration(bot, cq.from_user.id, state, t, settings, user)


async def consent_given(
    cq: CallbackQuery,
    bot: Bot,
    state: FSMContext,
    repo: Repo,
    t: Text,
    settings: Settings,
    lang: str,
) -> None:
    """'I agree': store the time and the policy version, then ask the name."""
    await registration.give_consent(
        repo, cq.from_user.id, lang, settings.privacy_policy_version, datetime.now(UTC)
    )
    await _drop_keyboard(cq, t("registration-consent-given"))
    await ask(bot, cq.from_user.id, Registration.full_name, state, t, settings)


async def consent_declined(cq: CallbackQuery, state: FSMContext, t: Text) -> None:
    """Without consent nothing personal is stored; the dialog ends."""
    await state.clear()
    await _drop_keyboard(cq, t("registration-consent-declined"))


async def consent_not_pressed(message: Message, t: Text) -> None:
    """Typing instead of pressing a button at the consent step."""
    await message.answer(t("registration-consent-use-buttons"))


async def name_given(
    message: Message,
    bot: Bot,
    state: FSMContext,
    repo: Repo,
    t: Text,
    settings: Settings,
    translator: Translator,
    user: UserSnapshot | None,
) -> None:
    """The full name was typed."""
    try:
        value = validation.full_name(message.text)
    except validation.InvalidInput as exc:
        await message.answer(t(exc.key), reply_markup=nav_keyboard(t, Registration))
        return
    await _advance(
        bot, message.chat.id, "full_name", value, state, repo, t, settings, translator, user
    )


async def phone_shared(
    message: Message,
    bot: Bot,
    state: FSMContext,
    repo: Repo,
    t: Text,
    settings: Settings,
    translator: Translator,
    user: UserSnapshot | None,
) -> None:
    """The contact button was pressed (or a contact was attached)."""
    contact = message.contact
    assert contact is not None  # the filter guarantees it
    if message.from_user is None or contact.user_id != message.from_user.id:
        await message.answer(t("registration-phone-not-own"), reply_markup=contact_keyboard(t))
        return
    raw = (
        contact.phone_number if contact.phone_number.startswith("+") else "+" + contact.phone_number
    )
    try:
        value = validation.phone(raw)
    except validation.InvalidInput as exc:
        await message.answer(t(exc.key), reply_markup=contact_keyboard(t))
        return
    await _advance(bot, message.chat.id, "phone", value, state, repo, t, settings, translator, user)


async def phone_typed(
    message: Message,
    bot: Bot,
    state: FSMContext,
    repo: Repo,
    t: Text,
    settings: Settings,
    translator: Translator,
    user: UserSnapshot | None,
) -> None:
    """A phone number typed by hand (or the Back button of the reply keyboard)."""
    if message.text in translator.all("common-back-button"):
        await go_back(bot, message.chat.id, state, repo, t, settings)
        return
    try:
        value = validation.phone(message.text)
    except validation.InvalidInput as exc:
        await message.answer(t(exc.key), reply_markup=contact_keyboard(t))
        return
    await _advance(bot, message.chat.id, "phone", value, state, repo, t, settings, translator, user)


async def region_typed(message: Message, t: Text) -> None:
    """Part of a region's name was typed: offer the matches."""
    query = (message.text or "")[:100]
    matches = catalog().search(query, t.locale)
    if not matches:
        await message.answer(
            t("registration-region-not-found"),
            reply_markup=all_regions_page(t, 0, Registration),
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


async def region_picked(
    cq: CallbackQuery,
    callback_data: RegionCb,
    bot: Bot,
    state: FSMContext,
    repo: Repo,
    t: Text,
    settings: Settings,
    translator: Translator,
    user: UserSnapshot | None,
) -> None:
    """A region button was pressed."""
    region = catalog().get(callback_data.code)
    if region is None:
        await cq.answer(t("registration-region-unknown"), show_alert=True)
        return
    await _drop_keyboard(cq, t("registration-region-chosen", region=region.name(t.locale)))
    await _advance(
        bot, cq.from_user.id, "region_code", region.code, state, repo, t, settings, translator, user
    )


async def zone_chosen(
    cq: CallbackQuery,
    callback_data: RegCb,
    bot: Bot,
    state: FSMContext,
    repo: Repo,
    t: Text,
    settings: Settings,
    translator: Translator,
    user: UserSnapshot | None,
) -> None:
    """A time zone inside a region that has several was pressed."""
    region = catalog().get(str((await state.get_data()).get("region_code") or ""))
    zone = next((z for z in region.zones if z.tz == callback_data.value), None) if region else None
    if zone is None:
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    await _drop_keyboard(cq, t("registration-zone-chosen", zone=zone_label(zone, t)))
    await _advance(bot, cq.from_user.id, "tz", zone.tz, state, repo, t, settings, translator, user)


async def municipality_given(
    message: Message,
    bot: Bot,
    state: FSMContext,
    repo: Repo,
    t: Text,
    settings: Settings,
    translator: Translator,
    user: UserSnapshot | None,
) -> None:
    """The municipality or settlement was typed."""
    try:
        value = validation.municipality(message.text)
    except validation.InvalidInput as exc:
        await message.answer(t(exc.key), reply_markup=nav_keyboard(t, Registration))
        return
    await _advance(
        bot, message.chat.id, "municipality", value, state, repo, t, settings, translator, user
    )


async def kind_chosen(
    cq: CallbackQuery,
    callback_data: RegCb,
    bot: Bot,
    state: FSMContext,
    repo: Repo,
    t: Text,
    settings: Settings,
    translator: Translator,
    user: UserSnapshot | None,
) -> None:
    """Resident / TOS member / TOS chair was pressed."""
    try:
        kind = Kind(callback_data.value)
    except ValueError:
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    await _drop_keyboard(cq, t("registration-kind-chosen", kind=t(f"kind-{kind.value}")))
    await _advance(
        bot, cq.from_user.id, "kind", kind.value, state, repo, t, settings, translator, user
    )


async def confirmed(
    cq: CallbackQuery,
    bot: Bot,
    state: FSMContext,
    repo: Repo,
    t: Text,
    settings: Settings,
    translator: Translator,
) -> None:
    """Confirm on the summary: save the profile, grant roles, use a pending invite."""
    data = await state.get_data()
    profile = registration.Profile.from_draft(data)
    if profile is None:
        await cq.answer(t("registration-incomplete"), show_alert=True)
        await reprompt(bot, cq.from_user.id, state, t, settings)
        return
    user_id = cq.from_user.id
    created = await registration.complete(repo, user_id, profile, datetime.now(UTC))
    pending = data.get("pending_start")
    await state.clear()
    await _drop_keyboard(cq, None)
    if not created:
        await bot.send_message(user_id, t("registration-already"))
        return
    await bot.send_message(user_id, t("registration-done", name=html.quote(profile.full_name)))
    if pending:
        await deep_links.follow(bot, user_id, str(pending), repo, t, translator)
    await refresh_commands(bot, repo, translator, user_id)
    await menu.show_main(bot, user_id, repo, t)
    if profile.kind is Kind.TOS_CHAIR:
        # A chair's next step: their TOS into the registry, or a new one founded.
        await bot.send_message(
            user_id, t("registration-chair-next"), reply_markup=menu.tos_start_keyboard(t)
        )


async def edit_chosen(
    cq: CallbackQuery,
    callback_data: RegCb,
    bot: Bot,
    state: FSMContext,
    t: Text,
    settings: Settings,
) -> None:
    """Edit on the summary: ask that field again, then come back to the summary."""
    if callback_data.value not in FIELD_STATES:
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    await state.update_data(return_to="summary")
    await _drop_keyboard(cq, None)
    await ask(bot, cq.from_user.id, FIELD_STATES[callback_data.value], state, t, settings)


async def back_pressed(
    cq: CallbackQuery, bot: Bot, state: FSMContext, repo: Repo, t: Text, settings: Settings
) -> None:
    """The inline Back button on any step."""
    await _drop_keyboard(cq, None)
    await go_back(bot, cq.from_user.id, state, repo, t, settings)


async def _drop_keyboard(cq: CallbackQuery, note: str | None) -> None:
    """Take the buttons off a used question (so they cannot be pressed twice)."""
    if isinstance(cq.message, Message):
        if note:
            await cq.message.edit_text(_quoted_html(cq.message) + "\n\n" + note, reply_markup=None)
        else:
            await take_buttons_off(cq)


def _quoted_html(message: Message) -> str:
    return message.html_text if message.text else ""


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
    asked = [*[s for s, _ in STEPS], Registration.zone]
    cb.register(back_pressed, StateFilter(*asked), NavCb.filter(F.action == Nav.BACK))

    m = r.message
    m.register(consent_not_pressed, Registration.consent)
    m.register(name_given, Registration.full_name, F.text)
    m.register(phone_shared, Registration.phone, F.contact)
    m.register(phone_typed, Registration.phone, F.text)
    m.register(region_typed, Registration.region, F.text)
    m.register(municipality_given, Registration.municipality, F.text)
    m.register(use_buttons, StateFilter(Registration.zone, Registration.kind, Registration.confirm))
    m.register(not_text, StateFilter(*asked))
    return r
