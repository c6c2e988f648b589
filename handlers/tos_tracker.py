"""After the documents: the TOS tracker. The founder marks the stages as they happen; the bot
checks the founding meeting's quorum and, once the charter is registered, enters the TOS into
the registry with the founder as its chair."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import Bot, F, Router, html
from aiogram.filters import StateFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.commands import refresh_commands
from bot.i18n import Text
from bot.services import tos as tos_service
from bot.services import tos_review
from bot.services.law import (
    Assembly,
    LawProfile,
    check_conference,
    check_elected,
    check_meeting,
    check_present,
)
from bot.services.validation import InvalidInput
from bot.ui.callbacks.tos import TrackAction, TrackCb
from bot.ui.context import Ctx
from bot.ui.keyboards import button, nav_keyboard
from bot.ui.replies import not_text, take_buttons_off
from db.models import TosProject
from db.repositories import Repo


class TosTracker(StatesGroup):
    participants = State()  # a meeting: residents present
    delegates_elected = State()  # a conference: delegates the residents' meetings elected
    delegates_present = State()  # a conference: of them, those present
    represented = State()  # a conference: residents the present delegates represent
    registered_on = State()
    number = State()


def _stages(project: TosProject) -> dict[str, str]:
    return dict(project.answers.get("stages", {}))


async def _mark(repo: Repo, project: TosProject, stage: str, value: str) -> None:
    stages = {**_stages(project), stage: value}
    await repo.tos_projects.save(project, project.step, {"stages": stages}, datetime.now(UTC))


async def show(
    bot: Bot,
    chat_id: int,
    project: TosProject,
    t: Text,
    extra: list[InlineKeyboardButton] | None = None,
) -> None:
    """The tracker card: every stage with its mark, a button for the next one, and `extra`."""
    done = _stages(project)
    lines = [
        ("✅ " if stage in done else "⬜ ") + t(f"tos-stage-{stage}")
        for stage in tos_service.STAGES
    ]
    upcoming = tos_service.next_stage(done)
    rows = []
    if upcoming is not None:
        stage = TrackCb(action=TrackAction.STAGE, stage=upcoming)
        rows.append([button(t(f"tos-stage-{upcoming}-button"), stage)])
    if extra:
        rows.append(extra)
    await bot.send_message(
        chat_id,
        t(
            "tos-tracker",
            name=html.quote(project.answers.get("name", "")),
            stages="\n".join(lines),
            note=t("tos-tracker-done" if upcoming is None else "tos-tracker-next"),
        ),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=rows) if rows else None,
    )


async def stage_pressed(cq: CallbackQuery, callback_data: TrackCb, ctx: Ctx) -> None:
    """The next stage's button on the tracker card."""
    t, state = ctx.t, ctx.state
    project = await ctx.repo.tos_projects.of(cq.from_user.id)
    stage = callback_data.stage
    if project is None or project.generated_at is None:
        await ctx.outdated()
        return
    if stage != tos_service.next_stage(_stages(project)):
        await ctx.outdated()
        return
    await take_buttons_off(cq)
    if stage in ("boundaries", "submitted"):
        await _mark(ctx.repo, project, stage, datetime.now(UTC).date().isoformat())
        await show(ctx.bot, ctx.chat_id, project, t)
    elif stage == "meeting":
        conference = project.answers.get("assembly") == Assembly.CONFERENCE
        await state.set_state(
            TosTracker.delegates_elected if conference else TosTracker.participants
        )
        key = "tos-ask-delegates-elected" if conference else "tos-ask-participants"
        await ctx.send(t(key), nav_keyboard(t, TosTracker, back=False))
    else:
        await state.set_state(TosTracker.registered_on)
        await ctx.send(t("tos-ask-registered-on"), nav_keyboard(t, TosTracker, back=False))


async def counted(message: Message, ctx: Ctx, law_profiles: dict[str, LawProfile]) -> None:
    """How many took part (a conference: elected, present, represented, one at a time):
    checked against the quorum before the stage counts as done."""
    t, state = ctx.t, ctx.state
    project = await ctx.repo.tos_projects.of(ctx.chat_id)
    if project is None:
        await state.clear()
        await ctx.outdated()
        return
    law = tos_service.project_law(project.profile_id, project.answers, law_profiles)
    residents = int(project.answers["residents"])
    current = await state.get_state()
    data = await state.get_data()
    back = nav_keyboard(t, TosTracker, back=False)
    try:
        number = tos_service.whole_number(
            message.text, low=0, high=tos_service.MAX_RESIDENTS, key="tos-count"
        )
        if current == TosTracker.delegates_elected.state:
            check_elected(number)
            await state.update_data(delegates_elected=number)
            await state.set_state(TosTracker.delegates_present)
            await ctx.send(t("tos-ask-delegates-present", elected=number), back)
            return
        if current == TosTracker.delegates_present.state:
            check_present(number, int(data.get("delegates_elected", 0)))
            await state.update_data(delegates_present=number)
            await state.set_state(TosTracker.represented)
            await ctx.send(t("tos-ask-represented"), back)
            return
        if current == TosTracker.represented.state:
            check = check_conference(
                int(data.get("delegates_elected", 0)),
                int(data.get("delegates_present", 0)),
                number,
                residents,
                law,
            )
            valid = check.valid
            held = t(
                "tos-conference-held",
                present=check.present,
                elected=check.elected,
                needed=check.needed_present,
                represented=check.represented,
                represented_needed=check.needed_represented,
            )
        else:
            meeting = check_meeting(number, residents, law)
            valid = meeting.valid
            held = t("tos-meeting-held", present=meeting.present, needed=meeting.needed)
    except InvalidInput as exc:
        await ctx.send(t(exc.key, elected=data.get("delegates_elected", 0)))
        return
    await state.clear()
    if valid:
        await _mark(ctx.repo, project, "meeting", held)
    await ctx.send(held + "\n" + t("tos-quorum-met" if valid else "tos-quorum-not-met"))
    await show(ctx.bot, ctx.chat_id, project, t)


async def registered_on_given(message: Message, ctx: Ctx) -> None:
    """The charter's registration date."""
    try:
        registered = tos_service.charter_date(message.text, datetime.now(UTC).date())
    except InvalidInput as exc:
        await ctx.send(ctx.t(exc.key))
        return
    await ctx.state.update_data(registered_on=registered.isoformat())
    await ctx.state.set_state(TosTracker.number)
    markup = nav_keyboard(ctx.t, TosTracker, back=False)
    await ctx.send(ctx.t("tos-ask-registration-number"), markup)


async def number_given(message: Message, ctx: Ctx) -> None:
    """The registration number: the TOS enters the registry, its founder becomes the chair."""
    t, repo, chat_id = ctx.t, ctx.repo, ctx.chat_id
    try:
        number = tos_service.registration_number(message.text)
    except InvalidInput as exc:
        await ctx.send(t(exc.key))
        return
    project = await repo.tos_projects.of(chat_id)
    data = await ctx.state.get_data()
    if project is None or "registered_on" not in data:
        await ctx.state.clear()
        await ctx.outdated()
        return
    registered_on = datetime.fromisoformat(data["registered_on"]).date()
    tos = await tos_service.enter_registry(
        repo, chat_id, project.answers, registered_on, number, datetime.now(UTC)
    )
    await ctx.state.clear()
    if tos is None:
        await ctx.send(t("tos-duplicate", name=html.quote(project.answers["name"])))
        return
    await _mark(repo, project, "registered", f"{registered_on.isoformat()} № {number}")
    await ctx.send(t("tos-registered", name=html.quote(tos.name)))
    await refresh_commands(ctx.bot, repo, ctx.translator, chat_id)
    await show(ctx.bot, chat_id, project, t)
    await tos_review.ask_verification(repo, ctx.translator, tos)


def router() -> Router:
    r = Router(name=__name__)
    r.callback_query.register(stage_pressed, TrackCb.filter(F.action == TrackAction.STAGE))
    r.message.register(
        counted,
        StateFilter(
            TosTracker.participants,
            TosTracker.delegates_elected,
            TosTracker.delegates_present,
            TosTracker.represented,
        ),
        F.text,
    )
    r.message.register(registered_on_given, TosTracker.registered_on, F.text)
    r.message.register(number_given, TosTracker.number, F.text)
    r.message.register(not_text, StateFilter(TosTracker))
    return r
