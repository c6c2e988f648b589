"""/grants: the grant and contest calendar. Everyone registered browses their region's and the
federal grants, subscribes to deadline reminders (14, 3 and 1 days before) and takes .ics
files; organisers enter, edit and delete their regions' grants, admins any (and federal ones).

```mermaid
stateDiagram-v2
    [*] --> name: ➕ Add (organiser, admin)
    name --> organiser --> eligible --> amount --> deadline --> link --> scope --> confirm
    link --> scope: Skip
    confirm --> [*]: Save
    [*] --> value: Edit → field
    value --> [*]: saved
```
Every step has Back (the previous step) and Cancel; permissions are read from the database on
every update of the form, the edit and the deletion, never from the buttons shown.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from typing import Any, TypedDict, cast
from zoneinfo import ZoneInfo

from aiogram import F, Router, html
from aiogram.filters import Command, StateFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Text
from bot.services import calendar_files, event_admin
from bot.services import grants as service
from bot.services.regions import catalog, zone_of
from bot.services.validation import InvalidInput
from bot.ui import grant_screens as screens
from bot.ui.callbacks.grants import GrantAction, GrantCb
from bot.ui.callbacks.menu import MenuAction, MenuCb
from bot.ui.context import Ctx
from bot.ui.grant_screens import grant_button as _btn
from bot.ui.keyboards import nav_buttons, nav_keyboard
from bot.ui.replies import not_text
from bot.ui.wizard import Parser, Prompt, Screen, Step, Wizard
from db.models import Grant
from db.repositories import Repo, UserSnapshot

log = logging.getLogger("bot.security")


class GrantForm(StatesGroup):
    name = State()
    organiser = State()
    eligible = State()
    amount = State()
    deadline = State()
    link = State()
    scope = State()
    confirm = State()


class GrantEdit(StatesGroup):
    value = State()  # data: grant_id, field


def _today(region_code: str | None) -> date:
    return datetime.now(UTC).astimezone(ZoneInfo(zone_of(region_code))).date()


# ---- browsing -----------------------------------------------------------------------------


async def _list_screen(ctx: Ctx, user: UserSnapshot, page: int) -> screens.Screen:
    found = await ctx.repo.grants.open_for(user.region_code, _today(user.region_code))
    may_add = await event_admin.managed_regions(ctx.repo, user.id) != set()
    return screens.list_screen(ctx.t, found, page, user.region_code, may_add)


async def _registered(ctx: Ctx) -> UserSnapshot | None:
    if ctx.user is None or not ctx.user.registered:
        await ctx.send(ctx.t("grants-register-first"))
        return None
    return ctx.user


async def opened(_: Message | CallbackQuery, ctx: Ctx) -> None:
    """/grants or "Grants and contests" in the main menu: the open grants of the person's
    region and the federal ones."""
    user = await _registered(ctx)
    if user is None:
        return
    await ctx.state.clear()
    await ctx.send(*await _list_screen(ctx, user, 0))


async def list_pressed(cq: CallbackQuery, callback_data: GrantCb, ctx: Ctx) -> None:
    """A page of the list, or back to it from a card."""
    user = await _registered(ctx)
    if user is None:
        return
    await ctx.show(*await _list_screen(ctx, user, callback_data.page))


async def _card(
    repo: Repo, t: Text, grant: Grant, user_id: int, region_code: str | None, page: int = 0
) -> screens.Screen:
    subscribed = await repo.grants.subscribed(grant.id, user_id)
    managed = await event_admin.managed_regions(repo, user_id)
    may_manage = service.may_enter(managed, grant.region_code)
    return screens.card_screen(t, grant, _today(region_code), subscribed, may_manage, page)


async def _send_card(ctx: Ctx, grant: Grant) -> None:
    """The card as a new message, after the form or an edit (the person read anew: the
    region decides which day is today)."""
    user = await ctx.repo.users.snapshot(ctx.chat_id)
    region = user.region_code if user else None
    await ctx.send(*await _card(ctx.repo, ctx.t, grant, ctx.chat_id, region))


async def _seen(ctx: Ctx, grant_id: int) -> tuple[Grant, UserSnapshot] | None:
    """The grant if the presser may see it: their region's or federal (or one they manage);
    a deleted one or a forged id gets an alert."""
    grant = await ctx.repo.grants.get(grant_id)
    user = ctx.user
    if grant is None or user is None or not user.registered:
        await ctx.alert("grants-gone")
        return None
    if not service.visible_to(grant, user.region_code) and not service.may_enter(
        await event_admin.managed_regions(ctx.repo, user.id), grant.region_code
    ):
        await ctx.alert("common-not-allowed")
        return None
    return grant, user


async def card_opened(cq: CallbackQuery, callback_data: GrantCb, ctx: Ctx) -> None:
    """One grant: what, who, how much, until when; subscribe, .ics, and for its managers
    Edit and Delete."""
    seen = await _seen(ctx, callback_data.grant_id)
    if seen is None:
        return
    grant, user = seen
    page = callback_data.page
    await ctx.show(*await _card(ctx.repo, ctx.t, grant, user.id, user.region_code, page))


async def subscription_pressed(cq: CallbackQuery, callback_data: GrantCb, ctx: Ctx) -> None:
    """Subscribe (reminders planned) or unsubscribe (reminders removed); a second tap of the
    same button changes nothing."""
    seen = await _seen(ctx, callback_data.grant_id)
    if seen is None:
        return
    (grant, user), repo, t = seen, ctx.repo, ctx.t
    if callback_data.action is GrantAction.SUB:
        if grant.deadline < _today(user.region_code):
            await ctx.alert("grants-closed")
            return
        changed = await service.subscribe(repo, grant, user.id, datetime.now(UTC))
        await cq.answer(t("grants-subscribed" if changed else "grants-subscribed-already"))
    else:
        changed = await service.unsubscribe(repo, grant.id, user.id)
        await cq.answer(t("grants-unsubscribed" if changed else "grants-unsubscribed-already"))
    await ctx.show(*await _card(repo, t, grant, user.id, user.region_code))


async def ics_pressed(cq: CallbackQuery, callback_data: GrantCb, ctx: Ctx) -> None:
    """One grant's deadline as an .ics file."""
    seen = await _seen(ctx, callback_data.grant_id)
    if seen is None:
        return
    grant = seen[0]
    data = calendar_files.grants_ics([grant], stamp=datetime.now(UTC))
    await ctx.bot.send_document(
        ctx.chat_id,
        BufferedInputFile(data, filename=f"grant-{grant.id}.ics"),
        caption=ctx.t("grants-ics-caption", name=html.quote(grant.name)),
    )


async def mine_pressed(cq: CallbackQuery, ctx: Ctx) -> None:
    """The grants the person subscribed to, and all of them as one .ics."""
    if await _registered(ctx) is None:
        return
    subscribed = await ctx.repo.grants.subscribed_by(ctx.chat_id)
    await ctx.show(*screens.mine_screen(ctx.t, subscribed))


async def ics_all_pressed(cq: CallbackQuery, ctx: Ctx) -> None:
    """Every grant the person subscribed to, in one .ics file."""
    subscribed = await ctx.repo.grants.subscribed_by(ctx.chat_id)
    if not subscribed:
        await ctx.alert("grants-mine-empty")
        return
    data = calendar_files.grants_ics(subscribed, stamp=datetime.now(UTC))
    await ctx.bot.send_document(
        ctx.chat_id,
        BufferedInputFile(data, filename="grants.ics"),
        caption=ctx.t("grants-ics-all-caption", count=len(subscribed)),
    )


# ---- entering a grant ---------------------------------------------------------------------


async def _managed(ctx: Ctx) -> set[str] | None:
    """The regions the person enters grants for (None: an admin, everywhere; an empty set:
    none, not an organiser or admin, or the role was taken away)."""
    return await event_admin.managed_regions(ctx.repo, ctx.chat_id)


def _enters(regions: set[str] | None) -> bool:
    return regions is None or bool(regions)


async def _refuse(ctx: Ctx, what: str) -> None:
    log.warning("refused grant %s by user %s", what, ctx.chat_id)
    await ctx.state.clear()
    await ctx.send(ctx.t("common-not-allowed"))


async def _still_enters(ctx: Ctx) -> bool:
    """Whether the person still enters grants (read anew on every update of the form: a role
    taken away mid-form ends it)."""
    if _enters(await _managed(ctx)):
        return True
    await _refuse(ctx, "entry")
    return False


async def _scope_question(ctx: Ctx, dialog: type[StatesGroup], *, back: bool = True) -> Screen:
    """The regions the person enters grants for, as buttons (an admin: federal, or a region
    typed)."""
    t, regions = ctx.t, await _managed(ctx)
    builder = InlineKeyboardBuilder()
    if regions is None:
        builder.row(_btn(t("grants-federal"), GrantAction.SCOPE, value=service.FEDERAL))
    else:
        known = [r for r in (catalog().get(code) for code in regions) if r is not None]
        for region in sorted(known, key=lambda r: r.name(t.locale)):
            builder.row(_btn(region.name(t.locale), GrantAction.SCOPE, value=region.code))
    builder.row(*nav_buttons(t, dialog, back=back))
    key = "grants-ask-scope-admin" if regions is None else "grants-ask-scope"
    return Screen(t(key), builder.as_markup())


class Answers(TypedDict, total=False):
    """The FSM data of GrantForm (service.create takes it as it is)."""

    name: str
    organiser: str
    eligible: str
    amount: str
    deadline: str  # ISO date
    link: str | None
    region_code: str | None  # None: a federal grant


def _with_nav(t: Text, first: InlineKeyboardButton) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[first], nav_buttons(t, GrantForm)])


def _question(field: str) -> Prompt[Answers]:
    """ "grants-ask-<field>" above Back and Cancel (no Back on the first; Skip on the link)."""

    def prompt(ctx: Ctx, _: Answers) -> Screen:
        t = ctx.t
        if field == "link":
            return Screen(
                t("grants-ask-link"), _with_nav(t, _btn(t("grants-skip-button"), GrantAction.SKIP))
            )
        return Screen(t(f"grants-ask-{field}"), nav_keyboard(t, GrantForm, back=field != "name"))

    return prompt


def _summary(ctx: Ctx, data: Answers) -> Screen:
    t = ctx.t
    text = t(
        "grants-summary",
        name=html.quote(data["name"]),
        organiser=html.quote(data["organiser"]),
        eligible=html.quote(data["eligible"]),
        amount=html.quote(data["amount"]),
        deadline=f"{date.fromisoformat(data['deadline']):%d.%m.%Y}",
        link=html.quote(data.get("link") or "—"),
        scope=screens.scope_name(t, data.get("region_code")),
    )
    return Screen(text, _with_nav(t, _btn(t("grants-save-button"), GrantAction.SAVE)))


def _today_of(ctx: Ctx) -> date:
    return _today(ctx.user.region_code if ctx.user else None)


def _text(field: str) -> Parser[Answers]:
    return lambda raw, ctx, a: cast(Answers, {field: service.text_field(field, raw)})


# The typed fields, in the form's order; an edit of one field parses it the same way.
PARSE: dict[str, Parser[Answers]] = {
    **{field: _text(field) for field in ("name", "organiser", "eligible", "amount")},
    "deadline": lambda raw, ctx, a: {"deadline": service.deadline(raw, _today_of(ctx)).isoformat()},
    "link": lambda raw, ctx, a: {"link": service.link(raw)},
}
STEPS: list[Step[Answers]] = [
    # A wrong answer gets its hint alone: the question above has Back and Cancel.
    *(
        Step(getattr(GrantForm, field), _question(field), parse, retry=lambda ctx, a: None)
        for field, parse in PARSE.items()
    ),
    Step(GrantForm.scope, lambda ctx, a: _scope_question(ctx, GrantForm)),
    Step(GrantForm.confirm, _summary),
]


class GrantWizard(Wizard[Answers]):
    async def typed(self, message: Message, ctx: Ctx) -> None:
        if await _still_enters(ctx):
            await super().typed(message, ctx)

    async def went_back(self, cq: CallbackQuery, ctx: Ctx) -> None:
        if await _still_enters(ctx):
            await super().went_back(cq, ctx)

    async def finish(self, ctx: Ctx, answers: Answers) -> None:
        """Save on the summary: the grant, and its card."""
        grant = await service.create(ctx.repo, answers, ctx.chat_id, datetime.now(UTC))
        await ctx.state.clear()
        await ctx.send(ctx.t("grants-saved", name=html.quote(grant.name)))
        await _send_card(ctx, grant)


wizard = GrantWizard(GrantForm, STEPS)


async def add_pressed(cq: CallbackQuery, ctx: Ctx) -> None:
    """➕ Add a grant: organisers and admins only (checked here, not by the button)."""
    if not _enters(await _managed(ctx)):
        await ctx.alert("common-not-allowed")
        log.warning("refused grant entry by user %s", ctx.chat_id)
        return
    await ctx.state.set_data({})
    await wizard.ask(ctx, GrantForm.name, {})


async def scope_typed(message: Message, ctx: Ctx) -> None:
    """Text at the form's scope step."""
    if await _still_enters(ctx):
        await _scope_typed(message, ctx, GrantForm)


async def _scope_typed(message: Message, ctx: Ctx, dialog: type[StatesGroup]) -> None:
    """An admin types a region's name at the scope step: its matches as buttons. Organisers
    choose among their regions' buttons."""
    t = ctx.t
    if await _managed(ctx) is not None:
        await message.answer(t("common-use-buttons"))
        return
    matches = catalog().search((message.text or "")[:100], t.locale)[:10]
    if not matches:
        await message.answer(t("grants-scope-none"))
        return
    builder = InlineKeyboardBuilder()
    for region in matches:
        builder.row(_btn(region.name(t.locale), GrantAction.SCOPE, value=region.code))
    builder.row(*nav_buttons(t, dialog))
    await message.answer(t("grants-scope-matches"), reply_markup=builder.as_markup())


def _pressed(state: State, data: GrantCb, answers: Answers) -> Answers | None:
    """The answers a button gives on `state`; None for a button of another moment."""
    if state == GrantForm.link and data.action is GrantAction.SKIP:
        return {"link": None}
    if state == GrantForm.scope and data.action is GrantAction.SCOPE:
        return {"region_code": service.scope_code(data.value)}
    if state == GrantForm.confirm and data.action is GrantAction.SAVE:
        return {"region_code": answers.get("region_code")}  # the scope checked again
    return None


async def form_pressed(cq: CallbackQuery, callback_data: GrantCb, ctx: Ctx) -> None:
    """Skip (no link), a scope, Save."""
    regions = await _managed(ctx)
    if not _enters(regions):
        await ctx.alert("common-not-allowed")
        await _refuse(ctx, "entry")
        return
    step = wizard.step(await ctx.state.get_state())
    assert step is not None  # registered under StateFilter(GrantForm)
    try:
        given = _pressed(step.state, callback_data, await wizard.data(ctx))
    except InvalidInput as exc:
        await ctx.alert(exc.key)
        return
    if given is None:
        await ctx.outdated()
        return
    if "region_code" in given and not service.may_enter(regions, given["region_code"]):
        await ctx.alert("common-not-allowed")
        return
    await ctx.drop_buttons()
    await wizard.advance(ctx, step, given)


# ---- editing and deleting -----------------------------------------------------------------


async def _managed_grant(ctx: Ctx, grant_id: int) -> Grant | None:
    """The grant if the presser may change it now (read from the database), else an alert."""
    grant = await ctx.repo.grants.get(grant_id)
    if grant is None:
        await ctx.alert("grants-gone")
        return None
    if not service.may_enter(await _managed(ctx), grant.region_code):
        log.warning("refused grant change by user %s for grant %s", ctx.chat_id, grant_id)
        await ctx.alert("common-not-allowed")
        return None
    return grant


async def edit_pressed(cq: CallbackQuery, callback_data: GrantCb, ctx: Ctx) -> None:
    """Edit: which field."""
    grant = await _managed_grant(ctx, callback_data.grant_id)
    if grant is None:
        return
    t = ctx.t
    await ctx.state.clear()
    rows = [
        [_btn(t(f"grants-field-{field}"), GrantAction.FIELD, grant_id=grant.id, value=field)]
        for field in service.FIELDS
    ]
    rows.append([_btn(t("common-back-button"), GrantAction.OPEN, grant_id=grant.id)])
    markup = InlineKeyboardMarkup(inline_keyboard=rows)
    await ctx.show(t("grants-edit-which", name=html.quote(grant.name)), markup)


async def field_pressed(cq: CallbackQuery, callback_data: GrantCb, ctx: Ctx) -> None:
    """A field to change: its new value is asked for."""
    grant = await _managed_grant(ctx, callback_data.grant_id)
    field = callback_data.value
    if grant is None:
        return
    if field not in service.FIELDS:
        await ctx.outdated()
        return
    await ctx.drop_buttons()
    await ctx.state.set_state(GrantEdit.value)
    await ctx.state.set_data({"grant_id": grant.id, "field": field})
    if field == "scope":
        screen = await _scope_question(ctx, GrantEdit, back=False)
    else:
        screen = Screen(ctx.t(f"grants-ask-{field}"), nav_keyboard(ctx.t, GrantEdit, back=False))
    await ctx.send(screen.text, screen.markup)


async def _edited(ctx: Ctx, grant: Grant, field: str, value: Any) -> None:
    await service.change(ctx.repo, grant, field, value, datetime.now(UTC))
    await ctx.state.clear()
    await ctx.send(ctx.t("grants-changed", name=html.quote(grant.name)))
    await _send_card(ctx, grant)


async def _edit_target(ctx: Ctx) -> tuple[Grant, str] | None:
    data = await ctx.state.get_data()
    grant = await ctx.repo.grants.get(int(data.get("grant_id", 0)))
    if grant is None:
        await ctx.state.clear()
        await ctx.send(ctx.t("grants-gone"))
        return None
    if not service.may_enter(await _managed(ctx), grant.region_code):
        await _refuse(ctx, "change")
        return None
    return grant, str(data.get("field"))


async def edit_typed(message: Message, ctx: Ctx) -> None:
    """The new value; wrong input re-asks with a hint."""
    target = await _edit_target(ctx)
    if target is None:
        return
    grant, field = target
    if field == "scope":
        await _scope_typed(message, ctx, GrantEdit)
        return
    try:
        value = cast(dict[str, Any], PARSE[field](message.text or "", ctx, {}))[field]
    except InvalidInput as exc:
        await message.answer(ctx.t(exc.key))
        return
    await _edited(ctx, grant, field, date.fromisoformat(value) if field == "deadline" else value)


async def edit_scope_pressed(cq: CallbackQuery, callback_data: GrantCb, ctx: Ctx) -> None:
    """A new scope: one the editor may enter grants for."""
    target = await _edit_target(ctx)
    if target is None:
        return
    grant, field = target
    try:
        code = service.scope_code(callback_data.value)
    except InvalidInput as exc:
        await ctx.alert(exc.key)
        return
    if field != "scope" or not service.may_enter(await _managed(ctx), code):
        await ctx.alert("common-not-allowed")
        return
    await ctx.drop_buttons()
    await _edited(ctx, grant, field, code)


async def delete_pressed(cq: CallbackQuery, callback_data: GrantCb, ctx: Ctx) -> None:
    """Delete: asks first, saying how many people lose their reminders."""
    grant = await _managed_grant(ctx, callback_data.grant_id)
    if grant is None:
        return
    t = ctx.t
    subscribers = len(await ctx.repo.grants.subscribers(grant.id))
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [_btn(t("grants-delete-yes"), GrantAction.DELETE_YES, grant_id=grant.id)],
            [_btn(t("grants-delete-no"), GrantAction.OPEN, grant_id=grant.id)],
        ]
    )
    name = html.quote(grant.name)
    await ctx.show(t("grants-delete-confirm", name=name, subscribers=subscribers), markup)


async def delete_confirmed(cq: CallbackQuery, callback_data: GrantCb, ctx: Ctx) -> None:
    """Deleted, with its subscriptions and pending reminders; a second tap finds it gone."""
    grant = await _managed_grant(ctx, callback_data.grant_id)
    if grant is None:
        return
    name = grant.name
    await service.delete(ctx.repo, grant.id)
    back = _btn(ctx.t("grants-back-to-list"), GrantAction.LIST)
    markup = InlineKeyboardMarkup(inline_keyboard=[[back]])
    await ctx.show(ctx.t("grants-deleted", name=html.quote(name)), markup)


def router() -> Router:
    r = Router(name=__name__)
    r.message.register(opened, Command("grants"))
    r.callback_query.register(opened, MenuCb.filter(F.action == MenuAction.GRANTS))
    cb = r.callback_query
    cb.register(
        form_pressed,
        StateFilter(GrantForm),
        GrantCb.filter(F.action.in_({GrantAction.SKIP, GrantAction.SCOPE, GrantAction.SAVE})),
    )
    cb.register(
        edit_scope_pressed, StateFilter(GrantEdit), GrantCb.filter(F.action == GrantAction.SCOPE)
    )
    cb.register(list_pressed, GrantCb.filter(F.action == GrantAction.LIST))
    cb.register(card_opened, GrantCb.filter(F.action == GrantAction.OPEN))
    cb.register(
        subscription_pressed, GrantCb.filter(F.action.in_({GrantAction.SUB, GrantAction.UNSUB}))
    )
    cb.register(ics_pressed, GrantCb.filter(F.action == GrantAction.ICS))
    cb.register(mine_pressed, GrantCb.filter(F.action == GrantAction.MINE))
    cb.register(ics_all_pressed, GrantCb.filter(F.action == GrantAction.ICS_ALL))
    cb.register(add_pressed, GrantCb.filter(F.action == GrantAction.ADD))
    cb.register(edit_pressed, GrantCb.filter(F.action == GrantAction.EDIT))
    cb.register(field_pressed, GrantCb.filter(F.action == GrantAction.FIELD))
    cb.register(delete_pressed, GrantCb.filter(F.action == GrantAction.DELETE))
    cb.register(delete_confirmed, GrantCb.filter(F.action == GrantAction.DELETE_YES))
    # Buttons of a form step pressed outside it (an old message): outdated.
    cb.register(_outdated, GrantCb.filter())
    r.message.register(scope_typed, GrantForm.scope, F.text)
    r.message.register(edit_typed, GrantEdit.value, F.text)
    r.message.register(not_text, GrantEdit.value)
    wizard.register(r)  # Back, the typed answers, Save's use-buttons, not-text
    return r


async def _outdated(cq: CallbackQuery, ctx: Ctx) -> None:
    await ctx.outdated()
