"""Events for residents: the upcoming events of their region (or all of Russia), the card,
signing up (with the organiser's questions), the waitlist, cancelling, 'My events', the
calendar file. List pages and cards replace each other in one message.

```mermaid
stateDiagram-v2
    [*] --> card: /events, the menu or a link ev_<id>
    card --> [*]: Sign up (no questions): signed up / waitlist / waiting for approval
    card --> answering: Sign up (the organiser asks questions)
    answering --> answering: answer (1-1,000 characters) → next question; Back → previous
    answering --> card: Back on the first question
    answering --> [*]: last answer → signed up / waitlist / waiting for approval; /cancel
```
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TypedDict, cast

from aiogram import Bot, F, Router, html
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardMarkup,
    Message,
)

from bot.i18n import Text
from bot.services import calendar_files
from bot.services import events as ev
from bot.services.event_notices import tell_promoted
from bot.services.events import CardView, Outcome, Refusal, SignUpResult
from bot.services.validation import InvalidInput
from bot.ui.callbacks.events import EventAction, EventCb
from bot.ui.callbacks.menu import MenuAction, MenuCb
from bot.ui.context import Ctx
from bot.ui.event_screens import (
    PAGE,
    card_markup,
    card_text,
    event_button,
    list_screen,
    mine_screen,
    outcome_text,
    reader_zone,
    status_text,
)
from bot.ui.keyboards import Nav, NavCb, nav_keyboard
from bot.ui.replies import not_text
from bot.ui.screens import NO_PREVIEW
from db.models import Event
from db.repositories import Repo, UserSnapshot

log = logging.getLogger("bot.security")


class SignUp(StatesGroup):
    answering = State()  # data: SignUpData


class SignUpData(TypedDict, total=False):
    """The FSM data of SignUp.answering."""

    event_id: int
    answers: list[str]
    page: int  # the list page and kind filter the card was opened from (its Back)
    kind: str


# ---- shared steps ---------------------------------------------------------------------------


def _registered(user: UserSnapshot | None) -> bool:
    return user is not None and user.registered


async def _screen(ctx: Ctx, text: str, markup: InlineKeyboardMarkup) -> None:
    """A list or a card in place of the pressed one (an event's links shown without previews)."""
    await ctx.show(text, markup, link_preview_options=NO_PREVIEW)


async def _view(ctx: Ctx, event_id: int) -> CardView | None:
    """The event as the presser may see it, or an 'outdated' alert (buttons are never trusted:
    one for a draft or another region's event was forged or is stale)."""
    region = ctx.user.region_code if ctx.user else None
    found = await ev.card(ctx.repo, event_id, ctx.chat_id, region)
    if isinstance(found, CardView):
        return found
    if found is Refusal.HIDDEN:
        log.warning("refused event %s to user %s: not theirs to see", event_id, ctx.chat_id)
    await ctx.outdated()
    return None


async def _send_ics(bot: Bot, chat_id: int, event: Event, t: Text) -> None:
    data = calendar_files.ics(event, with_link=True, stamp=datetime.now(UTC))
    await bot.send_document(
        chat_id,
        BufferedInputFile(data, filename=f"event-{event.id}.ics"),
        caption=t("events-ics-caption", title=html.quote(event.title)),
    )


async def _signed(
    ctx: Ctx, result: SignUpResult, event_id: int, page: int = 0, kind: str = ""
) -> None:
    """Tell the outcome of a sign-up; a new participant also gets the calendar file. After a
    button the card is redrawn in place; after the last typed answer it comes anew."""
    t, user, cq = ctx.t, ctx.user, ctx.cq
    zone = reader_zone(user)
    event = await ctx.repo.events.get(event_id)
    outcome = result.outcome
    if outcome not in (Outcome.SIGNED_UP, Outcome.WAITLISTED, Outcome.PENDING) or event is None:
        if outcome is Outcome.ALREADY and result.signup is not None:
            text = status_text(t, result.signup.status, result.position)
        else:
            text = outcome_text(t, outcome, event, zone, result.position)
        if cq is not None:
            await cq.answer(text, show_alert=True)
        else:
            await ctx.send(text)
        return
    view = await ev.card(ctx.repo, event_id, ctx.chat_id, user.region_code if user else None)
    now = datetime.now(UTC)
    if cq is not None and isinstance(view, CardView):
        await _screen(ctx, card_text(t, view, zone, now), card_markup(t, view, now, page, kind))
    await ctx.send(outcome_text(t, outcome, event, zone, result.position))
    if outcome is Outcome.SIGNED_UP:
        await _send_ics(ctx.bot, ctx.chat_id, event, t)
    if cq is None and isinstance(view, CardView):
        # After the questions the card is far up: a fresh one, with Cancel and the link.
        await ctx.bot.send_message(
            ctx.chat_id,
            card_text(t, view, zone, now),
            reply_markup=card_markup(t, view, now, page, kind),
            link_preview_options=NO_PREVIEW,
        )


async def _ask(bot: Bot, chat_id: int, event: Event, index: int, t: Text) -> None:
    await bot.send_message(
        chat_id,
        t(
            "events-question",
            number=index + 1,
            total=len(event.questions),
            title=html.quote(event.title),
            question=html.quote(event.questions[index]),
        ),
        reply_markup=nav_keyboard(t, SignUp),
    )


async def offer_answered(cq: CallbackQuery, callback_data: EventCb, ctx: Ctx) -> None:
    """Yes / No to a seat offered from the waitlist."""
    accept = callback_data.action is EventAction.OFFER_YES
    now = datetime.now(UTC)
    event_id = callback_data.event_id
    reply, moved_to = await ev.answer_offer(ctx.repo, event_id, ctx.chat_id, accept, now)
    if reply is ev.OfferReply.GONE:
        await ctx.alert("events-offer-gone")
        return
    await ctx.drop_buttons()
    event = await ctx.repo.events.get(event_id)
    title = html.quote(event.title) if event else ""
    await ctx.send(ctx.t(f"events-offer-{reply.value}", title=title))
    if event is not None and moved_to is not None:
        await tell_promoted(ctx.repo, event, moved_to)


async def send_card(bot: Bot, chat_id: int, event_id: int, repo: Repo, t: Text) -> None:
    """The card as a new message (a link `ev_<id>`, Back from the first question)."""
    person = await repo.users.snapshot(chat_id)
    region = person.region_code if person else None
    found = await ev.card(repo, event_id, chat_id, region)
    if not isinstance(found, CardView):
        # Links get forwarded beyond their region: not a forgery, just not for this reader.
        await bot.send_message(chat_id, t("events-link-unavailable"))
        return
    now = datetime.now(UTC)
    await bot.send_message(
        chat_id,
        card_text(t, found, reader_zone(person), now),
        reply_markup=card_markup(t, found, now, 0, ""),
        link_preview_options=NO_PREVIEW,
    )


async def reprompt(bot: Bot, chat_id: int, state: FSMContext, repo: Repo, t: Text) -> bool:
    """Ask the current question again (after /start). False if not answering one."""
    if await state.get_state() != SignUp.answering.state:
        return False
    data = cast(SignUpData, await state.get_data())
    event = await repo.events.get(int(data.get("event_id", 0)))
    answers = list(data.get("answers", []))
    if event is None or len(answers) >= len(event.questions):
        await state.clear()
        return False
    await _ask(bot, chat_id, event, len(answers), t)
    return True


# ---- handlers -------------------------------------------------------------------------------


async def events_opened(_: Message | CallbackQuery, ctx: Ctx) -> None:
    """/events or Events in the main menu: the upcoming events of the person's region and all
    of Russia."""
    if ctx.user is None or not ctx.user.registered:
        await ctx.alert("events-register-first")
        return
    found = await ev.upcoming(
        ctx.repo, ctx.chat_id, ctx.user.region_code, datetime.now(UTC), "", 0, PAGE
    )
    await ctx.send(*list_screen(ctx.t, found, reader_zone(ctx.user), ""))


async def menu_mine(cq: CallbackQuery, ctx: Ctx) -> None:
    """My events in the main menu."""
    if ctx.user is None or not ctx.user.registered:
        await ctx.alert("events-register-first")
        return
    found = await ev.mine(ctx.repo, ctx.chat_id, datetime.now(UTC), 0, PAGE)
    await ctx.send(*mine_screen(ctx.t, found, reader_zone(ctx.user)))


async def list_turned(cq: CallbackQuery, callback_data: EventCb, ctx: Ctx) -> None:
    """A page of the list, or a kind picked as the filter."""
    kind, user = callback_data.kind, ctx.user
    if user is None or not user.registered or kind not in ("", *ev.KINDS):
        await ctx.outdated()
        return
    found = await ev.upcoming(
        ctx.repo, ctx.chat_id, user.region_code, datetime.now(UTC), kind, callback_data.page, PAGE
    )
    await _screen(ctx, *list_screen(ctx.t, found, reader_zone(user), kind))


async def mine_turned(cq: CallbackQuery, callback_data: EventCb, ctx: Ctx) -> None:
    """'My events': one's sign-ups, upcoming first."""
    if ctx.user is None or not ctx.user.registered:
        await ctx.outdated()
        return
    found = await ev.mine(ctx.repo, ctx.chat_id, datetime.now(UTC), callback_data.page, PAGE)
    await _screen(ctx, *mine_screen(ctx.t, found, reader_zone(ctx.user)))


async def card_opened(cq: CallbackQuery, callback_data: EventCb, ctx: Ctx) -> None:
    """One event: when (in the reader's zone), where, seats, and one's sign-up."""
    view = await _view(ctx, callback_data.event_id)
    if view is None:
        return
    now = datetime.now(UTC)
    markup = card_markup(ctx.t, view, now, callback_data.page, callback_data.kind)
    await _screen(ctx, card_text(ctx.t, view, reader_zone(ctx.user), now), markup)


async def sign_up_pressed(cq: CallbackQuery, callback_data: EventCb, ctx: Ctx) -> None:
    """Sign up at once, or after the organiser's questions; a full event puts one in line."""
    if not _registered(ctx.user):
        await ctx.alert("events-outcome-not_registered")
        return
    view = await _view(ctx, callback_data.event_id)
    if view is None:
        return
    now = datetime.now(UTC)
    blocked = ev.precheck(view, True, now)
    if blocked is not None:
        await _signed(ctx, SignUpResult(blocked, view.signup, view.position), view.event.id)
        return
    page, kind = callback_data.page, callback_data.kind
    if view.event.questions:
        await ctx.state.set_state(SignUp.answering)
        data: SignUpData = {"event_id": view.event.id, "answers": [], "page": page, "kind": kind}
        await ctx.state.set_data(dict(data))
        await _ask(ctx.bot, ctx.chat_id, view.event, 0, ctx.t)
        return
    result = await ev.sign_up(ctx.repo, view.event.id, ctx.chat_id, [], now)
    await _signed(ctx, result, view.event.id, page, kind)


async def answer_given(message: Message, ctx: Ctx) -> None:
    """An answer to the organiser's question; the last one signs up."""
    data = cast(SignUpData, await ctx.state.get_data())
    event = await ctx.repo.events.get(int(data.get("event_id", 0)))
    if event is None:
        await ctx.state.clear()
        await ctx.outdated()
        return
    try:
        text = ev.answer(message.text)
    except InvalidInput as exc:
        await message.answer(ctx.t(exc.key))
        return
    answers = [*data.get("answers", []), text]
    if len(answers) < len(event.questions):
        await ctx.state.update_data(answers=answers)
        await _ask(ctx.bot, ctx.chat_id, event, len(answers), ctx.t)
        return
    await ctx.state.clear()
    now = datetime.now(UTC)
    result = await ev.sign_up(ctx.repo, event.id, ctx.chat_id, answers[: len(event.questions)], now)
    page, kind = int(data.get("page", 0)), str(data.get("kind", ""))
    await _signed(ctx, result, event.id, page, kind)


async def answer_back(cq: CallbackQuery, ctx: Ctx) -> None:
    """Back: the previous question, or the card from the first one."""
    await ctx.drop_buttons()
    data = cast(SignUpData, await ctx.state.get_data())
    event_id = int(data.get("event_id", 0))
    answers = list(data.get("answers", []))
    event = await ctx.repo.events.get(event_id)
    if answers and event is not None and len(answers) <= len(event.questions):
        answers.pop()
        await ctx.state.update_data(answers=answers)
        await _ask(ctx.bot, ctx.chat_id, event, len(answers), ctx.t)
        return
    await ctx.state.clear()
    await send_card(ctx.bot, ctx.chat_id, event_id, ctx.repo, ctx.t)


async def cancel_asked(cq: CallbackQuery, callback_data: EventCb, ctx: Ctx) -> None:
    """Cancel a sign-up: ask first."""
    view = await _view(ctx, callback_data.event_id)
    if view is None:
        return
    if not view.active:
        await ctx.alert("events-not-signed-up")
        return
    t, page, kind, event_id = ctx.t, callback_data.page, callback_data.kind, view.event.id
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                event_button(
                    t("events-cancel-yes"), EventAction.CANCEL_CONFIRM, event_id, page, kind
                )
            ],
            [event_button(t("events-cancel-no"), EventAction.OPEN, event_id, page, kind)],
        ]
    )
    await _screen(ctx, t("events-cancel-confirm", title=html.quote(view.event.title)), markup)


async def cancel_confirmed(cq: CallbackQuery, callback_data: EventCb, ctx: Ctx) -> None:
    """Yes, cancel: the seat goes to the first on the waitlist, who is told."""
    view = await _view(ctx, callback_data.event_id)
    if view is None:
        return
    now = datetime.now(UTC)
    if not view.active:  # a second press, or cancelled meanwhile
        await ctx.alert("events-not-signed-up")
        return
    if view.event.starts_at <= now:
        await ctx.alert("events-outcome-past")
        return
    t, user, event = ctx.t, ctx.user, view.event
    promoted = await ev.cancel(ctx.repo, event.id, ctx.chat_id, now)
    fresh = await ev.card(ctx.repo, event.id, ctx.chat_id, user.region_code if user else None)
    if isinstance(fresh, CardView):
        markup = card_markup(t, fresh, now, callback_data.page, callback_data.kind)
        await _screen(ctx, card_text(t, fresh, reader_zone(user), now), markup)
    await ctx.send(t("events-cancelled-done", title=html.quote(event.title)))
    if promoted is not None:
        await tell_promoted(ctx.repo, event, promoted)


async def ics_asked(cq: CallbackQuery, callback_data: EventCb, ctx: Ctx) -> None:
    """The calendar file again (with the online link: for participants only)."""
    view = await _view(ctx, callback_data.event_id)
    if view is None:
        return
    if not view.sees_link:
        await ctx.alert("events-not-signed-up")
        return
    await _send_ics(ctx.bot, ctx.chat_id, view.event, ctx.t)


def router() -> Router:
    r = Router(name=__name__)
    r.message.register(events_opened, Command("events"))
    r.message.register(answer_given, SignUp.answering, F.text)
    r.message.register(not_text, SignUp.answering)
    cb = r.callback_query
    cb.register(events_opened, MenuCb.filter(F.action == MenuAction.EVENTS))
    cb.register(menu_mine, MenuCb.filter(F.action == MenuAction.MY_EVENTS))
    cb.register(answer_back, StateFilter(SignUp.answering), NavCb.filter(F.action == Nav.BACK))
    cb.register(list_turned, EventCb.filter(F.action == EventAction.LIST))
    cb.register(mine_turned, EventCb.filter(F.action == EventAction.MINE))
    cb.register(card_opened, EventCb.filter(F.action == EventAction.OPEN))
    cb.register(sign_up_pressed, EventCb.filter(F.action == EventAction.SIGN_UP))
    cb.register(cancel_asked, EventCb.filter(F.action == EventAction.CANCEL))
    cb.register(cancel_confirmed, EventCb.filter(F.action == EventAction.CANCEL_CONFIRM))
    cb.register(ics_asked, EventCb.filter(F.action == EventAction.ICS))
    cb.register(
        offer_answered,
        EventCb.filter(F.action.in_({EventAction.OFFER_YES, EventAction.OFFER_NO})),
    )
    return r
