"""After the documents: the TOS tracker. The founder marks the stages as they happen; the bot
checks the founding meeting's quorum and, once the charter is registered, enters the TOS into
the registry with the founder as its chair."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import Bot, F, Router, html
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.commands import refresh_commands
from bot.i18n import Text, Translator
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
from bot.ui.keyboards import nav_keyboard
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
        rows.append(
            [
                InlineKeyboardButton(
                    text=t(f"tos-stage-{upcoming}-button"),
                    callback_data=TrackCb(action=TrackAction.STAGE, stage=upcoming).pack(),
                )
            ]
        )
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


async def stage_pressed(
    cq: CallbackQuery, callback_data: TrackCb, bot: Bot, state: FSMContext, repo: Repo, t: Text
) -> None:
    """The next stage's button on the tracker card."""
    project = await repo.tos_projects.of(cq.from_user.id)
    if project is None or project.generated_at is None:
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    stage = callback_data.stage
    if stage != tos_service.next_stage(_stages(project)):
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    await take_buttons_off(cq)
    chat_id = cq.from_user.id
    if stage in ("boundaries", "submitted"):
        await _mark(repo, project, stage, datetime.now(UTC).date().isoformat())
        await show(bot, chat_id, project, t)
    elif stage == "meeting":
        conference = project.answers.get("assembly") == Assembly.CONFERENCE
        step = TosTracker.delegates_elected if conference else TosTracker.participants
        await state.set_state(step)
        key = "tos-ask-delegates-elected" if conference else "tos-ask-participants"
        await bot.send_message(
            chat_id, t(key), reply_markup=nav_keyboard(t, TosTracker, back=False)
        )
    else:
        await state.set_state(TosTracker.registered_on)
        await bot.send_message(
            chat_id,
            t("tos-ask-registered-on"),
            reply_markup=nav_keyboard(t, TosTracker, back=False),
        )


async def counted(
    message: Message,
    bot: Bot,
    state: FSMContext,
    repo: Repo,
    t: Text,
    law_profiles: dict[str, LawProfile],
) -> None:
    """How many took part (a conference: elected, present, represented, one at a time):
    checked against the quorum before the stage counts as done."""
    project = await repo.tos_projects.of(message.chat.id)
    if project is None:
        await state.clear()
        await message.answer(t("common-button-outdated"))
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
            await message.answer(t("tos-ask-delegates-present", elected=number), reply_markup=back)
            return
        if current == TosTracker.delegates_present.state:
            check_present(number, int(data.get("delegates_elected", 0)))
            await state.update_data(delegates_present=number)
            await state.set_state(TosTracker.represented)
            await message.answer(t("tos-ask-represented"), reply_markup=back)
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
        await message.answer(t(exc.key, elected=data.get("delegates_elected", 0)))
        return
    await state.clear()
    if not valid:
        await message.answer(held + "\n" + t("tos-quorum-not-met"))
        await show(bot, message.chat.id, project, t)
        return
    await _mark(repo, project, "meeting", held)
    await message.answer(held + "\n" + t("tos-quorum-met"))
    await show(bot, message.chat.id, project, t)


async def registered_on_given(message: Message, state: FSMContext, t: Text) -> None:
    """The charter's registration date."""
    try:
        registered = tos_service.charter_date(message.text, datetime.now(UTC).date())
    except InvalidInput as exc:
        await message.answer(t(exc.key))
        return
    await state.update_data(registered_on=registered.isoformat())
    await state.set_state(TosTracker.number)
    await message.answer(
        t("tos-ask-registration-number"), reply_markup=nav_keyboard(t, TosTracker, back=False)
    )


async def number_given(
    message: Message,
    bot: Bot,
    state: FSMContext,
    repo: Repo,
    t: Text,
    translator: Translator,
) -> None:
    """The registration number: the TOS enters the registry, its founder becomes the chair."""
    try:
        number = tos_service.registration_number(message.text)
    except InvalidInput as exc:
        await message.answer(t(exc.key))
        return
    project = await repo.tos_projects.of(message.chat.id)
    data = await state.get_data()
    if project is None or "registered_on" not in data:
        await state.clear()
        await message.answer(t("common-button-outdated"))
        return
    registered_on = datetime.fromisoformat(data["registered_on"]).date()
    tos = await tos_service.enter_registry(
        repo, message.chat.id, project.answers, registered_on, number, datetime.now(UTC)
    )
    await state.clear()
    if tos is None:
        await message.answer(t("tos-duplicate", name=html.quote(project.answers["name"])))
        return
    await _mark(repo, project, "registered", f"{registered_on.isoformat()} № {number}")
    await message.answer(t("tos-registered", name=html.quote(tos.name)))
    await refresh_commands(bot, repo, translator, message.chat.id)
    await show(bot, message.chat.id, project, t)
    await tos_review.ask_verification(repo, translator, tos)


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
