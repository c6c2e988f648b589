"""/create_tos: the TOS creation wizard, eight steps from the idea to a document pack.

Every answer is saved in the person's `tos_projects` row at once, so `/create_tos` resumes
days later (even after /cancel or a restart). The legal numbers come from the law profile.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router, html
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaDocument,
    Message,
)
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Text, Translator
from bot.services import tos as tos_service
from bot.services.law import DEFAULT_PROFILE, Assembly, LawProfile, profile_on, quorum, shown
from bot.services.regions import catalog, zone_of
from bot.services.tos_documents import build_pack
from bot.services.validation import InvalidInput, display_phone
from bot.ui.callbacks.menu import MenuAction, MenuCb
from bot.ui.callbacks.tos import TosAction, TosCb
from bot.ui.keyboards import Nav, NavCb, nav_buttons, nav_keyboard
from bot.ui.replies import not_text, take_buttons_off, use_buttons
from bot.ui.texts import local_time, utc_offset
from db.models import TosProject
from db.repositories import Repo, UserSnapshot
from handlers import tos_tracker


class TosWizard(StatesGroup):
    intro = State()
    territory = State()
    boundaries = State()
    residents = State()
    assembly = State()
    delegate_norm = State()
    group = State()
    group_chair = State()
    name = State()
    directions = State()
    goals = State()
    meeting_time = State()
    meeting_place = State()
    council = State()
    term = State()
    review = State()


# Sub-states in order, with the step number of 8 each belongs to.
ORDER: list[tuple[State, int]] = [
    (TosWizard.intro, 1),
    (TosWizard.territory, 2),
    (TosWizard.boundaries, 2),
    (TosWizard.residents, 3),
    (TosWizard.assembly, 3),
    (TosWizard.delegate_norm, 3),
    (TosWizard.group, 4),
    (TosWizard.group_chair, 4),
    (TosWizard.name, 5),
    (TosWizard.directions, 5),
    (TosWizard.goals, 5),
    (TosWizard.meeting_time, 6),
    (TosWizard.meeting_place, 6),
    (TosWizard.council, 7),
    (TosWizard.term, 7),
    (TosWizard.review, 8),
]
STATES = [s for s, _ in ORDER]
BY_NAME = {s.state: s for s in STATES}
TOTAL = 8


def _btn(text: str, action: TosAction, value: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=TosCb(action=action, value=value).pack())


def _profile(project: TosProject, law_profiles: dict[str, LawProfile]) -> LawProfile:
    return tos_service.project_law(project.profile_id, project.answers, law_profiles)


def _next(step: State, answers: dict[str, Any]) -> State:
    following = STATES[STATES.index(step) + 1]
    if following == TosWizard.delegate_norm and answers.get("assembly") != Assembly.CONFERENCE:
        return TosWizard.group
    return following


def _previous(step: State, answers: dict[str, Any]) -> State:
    index = STATES.index(step)
    if index == 0:
        return step
    earlier = STATES[index - 1]
    if earlier == TosWizard.delegate_norm and answers.get("assembly") != Assembly.CONFERENCE:
        return TosWizard.assembly
    return earlier


def _mark(cited: Any, t: Text) -> str:
    """The source of a rule, and the warning when the municipality's act must confirm it."""
    return t("tos-source", source=cited.source) + (
        " " + t("tos-to-confirm") if cited.to_confirm else ""
    )


# ---- asking ------------------------------------------------------------------------------------


async def ask(
    bot: Bot,
    chat_id: int,
    step: State,
    project: TosProject,
    state: FSMContext,
    t: Text,
    law: LawProfile,
) -> None:
    """Put the person on `step` and send its question, headed by the progress line."""
    await state.set_state(step)
    answers = project.answers
    number = dict(ORDER)[step]
    head = t("tos-progress", step=number, total=TOTAL) + "\n\n"
    keyboard: InlineKeyboardMarkup = nav_keyboard(t, TosWizard)
    if step == TosWizard.intro:
        text = t("tos-intro")
        keyboard = InlineKeyboardMarkup(
            inline_keyboard=[
                [_btn(t("tos-begin-button"), TosAction.BEGIN)],
                nav_buttons(t, TosWizard, back=False),
            ]
        )
    elif step == TosWizard.territory:
        text = t("tos-ask-territory", source=_mark(law.territory_types, t))
        builder = InlineKeyboardBuilder()
        for kind in law.territory_types.values:
            builder.row(_btn(t(f"tos-territory-{kind}"), TosAction.TERRITORY, kind))
        builder.row(*nav_buttons(t, TosWizard))
        keyboard = builder.as_markup()
    elif step == TosWizard.boundaries:
        text = t("tos-ask-boundaries")
    elif step == TosWizard.residents:
        text = t(
            "tos-ask-residents", age=law.rules.min_age.value, source=_mark(law.rules.min_age, t)
        )
    elif step == TosWizard.assembly:
        plan = quorum(int(answers["residents"]), law)
        text = t(
            "tos-quorum",
            residents=plan.residents,
            meeting=plan.meeting_quorum,
            meeting_source=_mark(law.rules.meeting_quorum, t),
            conference_source=_mark(law.rules.conference_delegates_quorum, t),
            advised=t(f"tos-assembly-{plan.advised.value}"),
            threshold=law.rules.conference_advised_above.value,
        )
        keyboard = InlineKeyboardMarkup(
            inline_keyboard=[
                [_btn(t(f"tos-assembly-{a.value}"), TosAction.ASSEMBLY, a.value)] for a in Assembly
            ]
            + [nav_buttons(t, TosWizard)]
        )
    elif step == TosWizard.delegate_norm:
        text = t("tos-ask-delegate-norm", residents=int(answers["residents"]))
    elif step == TosWizard.group:
        text = t(
            "tos-ask-group",
            minimum=law.rules.initiative_group_min.value,
            source=_mark(law.rules.initiative_group_min, t),
        )
    elif step == TosWizard.group_chair:
        text = t("tos-ask-group-chair")
        builder = InlineKeyboardBuilder()
        for index, name in enumerate(answers.get("group", [])):
            builder.row(_btn(name, TosAction.CHAIR, str(index)))
        builder.row(*nav_buttons(t, TosWizard))
        keyboard = builder.as_markup()
    elif step == TosWizard.name:
        text = t("tos-ask-name")
    elif step == TosWizard.directions:
        text = t("tos-ask-directions")
        keyboard = _directions_keyboard(t, answers.get("directions", []))
    elif step == TosWizard.goals:
        text = t("tos-ask-goals")
        keyboard = InlineKeyboardMarkup(
            inline_keyboard=[
                [_btn(t("tos-skip-button"), TosAction.SKIP)],
                nav_buttons(t, TosWizard),
            ]
        )
    elif step == TosWizard.meeting_time:
        text = t(
            "tos-ask-meeting-time",
            assembly=t(f"tos-assembly-{answers.get('assembly', 'meeting')}"),
            zone=utc_offset(
                datetime.now(UTC).astimezone(ZoneInfo(answers.get("meeting_tz", "Europe/Moscow")))
            ),
        )
    elif step == TosWizard.meeting_place:
        text = t("tos-ask-meeting-place")
    elif step == TosWizard.council:
        text = t("tos-ask-council")
    elif step == TosWizard.term:
        text = t("tos-ask-term")
    else:
        text = _review(answers, t, law)
        keyboard = InlineKeyboardMarkup(
            inline_keyboard=[
                [_btn(t("tos-generate-button"), TosAction.GENERATE)],
                [_btn(t("tos-start-over-button"), TosAction.RESTART)],
                nav_buttons(t, TosWizard),
            ]
        )
    await bot.send_message(chat_id, head + text, reply_markup=keyboard)


def _directions_keyboard(t: Text, chosen: list[str]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for direction in tos_service.DIRECTIONS:
        mark = "✅ " if direction in chosen else ""
        builder.row(_btn(mark + t(f"tos-direction-{direction}"), TosAction.DIRECTION, direction))
    builder.row(_btn(t("tos-done-button"), TosAction.DIRECTIONS_DONE))
    builder.row(*nav_buttons(t, TosWizard))
    return builder.as_markup()


def _review(answers: dict[str, Any], t: Text, law: LawProfile) -> str:
    plan = quorum(int(answers["residents"]), law, int(answers.get("residents_per_delegate") or 10))
    directions = [t(f"tos-direction-{d}") for d in answers.get("directions", [])]
    return t(
        "tos-review",
        name=html.quote(answers["name"]),
        territory=t(f"tos-territory-{answers['territory']}"),
        boundaries=html.quote(answers["boundaries"]),
        residents=plan.residents,
        assembly=t(f"tos-assembly-{answers['assembly']}"),
        quorum=t(
            "tos-review-conference-quorum",
            share=shown(law.rules.conference_delegates_quorum),
            delegates=plan.delegates,
            needed=plan.conference_quorum,
        )
        if answers["assembly"] == Assembly.CONFERENCE
        else str(plan.meeting_quorum),
        group=html.quote(", ".join(answers["group"])),
        chair=html.quote(answers["group_chair"]),
        directions=html.quote(
            ", ".join(directions + ([answers["goals"]] if answers.get("goals") else []))
        ),
        meeting=html.quote(answers["meeting_local"]),
        place=html.quote(answers["meeting_place"]),
        council=int(answers["council"]),
        term=int(answers["term"]),
        note=t("tos-municipal-act-decides"),
    ) + unverified_note(law, t)


def unverified_note(law: LawProfile, t: Text) -> str:
    """The values still to check against the municipality's act: said in the chat only,
    never in the documents."""
    unverified = law.unverified()
    if not unverified:
        return ""
    lines = [
        t("tos-law-unverified-line", rule=t(f"tos-rule-{name}"), value=value)
        for name, value in unverified
    ]
    return "\n\n" + t("tos-law-unverified", lines="\n".join(lines))


# ---- entering and resuming ---------------------------------------------------------------------


async def wizard_opened(
    message: Message,
    bot: Bot,
    state: FSMContext,
    repo: Repo,
    t: Text,
    user: UserSnapshot | None,
    law_profiles: dict[str, LawProfile],
) -> None:
    """/create_tos: start, or offer to go on with the saved project."""
    await _open(bot, message.chat.id, state, repo, t, user, law_profiles)


async def _open(
    bot: Bot,
    chat_id: int,
    state: FSMContext,
    repo: Repo,
    t: Text,
    user: UserSnapshot | None,
    law_profiles: dict[str, LawProfile],
) -> None:
    if user is None or not user.registered:
        await bot.send_message(chat_id, t("tos-register-first"))
        return
    project = await repo.tos_projects.of(chat_id)
    if project is None or not project.answers:
        now = datetime.now(UTC)
        person = await repo.users.get(chat_id)
        # The rules an admin set for the person's place are copied into the project at its start.
        overrides = await tos_service.law_for_place(
            repo, person.region_code if person else None, person.municipality if person else None
        )
        # The founding meeting happens where the person lives: their zone in their region.
        zone = zone_of(person.region_code, person.tz) if person else zone_of(None)
        # Until the meeting's date is known, the law in force today.
        today = now.astimezone(ZoneInfo(zone)).date()
        project = await repo.tos_projects.start(
            chat_id, profile_on(law_profiles, today).id, "", now
        )
        await repo.tos_projects.save(
            project, TosWizard.intro.state or "", {"meeting_tz": zone, "law": overrides}, now
        )
        await ask(bot, chat_id, TosWizard.intro, project, state, t, _profile(project, law_profiles))
        return
    if project.generated_at is not None:
        # Past the documents: the project has become a tracker of the stages ahead.
        await tos_tracker.show(
            bot, chat_id, project, t, [_btn(t("tos-documents-again-button"), TosAction.RESUME)]
        )
        return
    step = BY_NAME.get(project.step, TosWizard.intro)
    await bot.send_message(
        chat_id,
        t("tos-resume-prompt", step=dict(ORDER)[step], total=TOTAL),
        reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[
                [_btn(t("tos-resume-button"), TosAction.RESUME)],
                [_btn(t("tos-start-over-button"), TosAction.RESTART)],
            ]
        ),
    )


async def menu_pressed(
    cq: CallbackQuery,
    bot: Bot,
    state: FSMContext,
    repo: Repo,
    t: Text,
    user: UserSnapshot | None,
    law_profiles: dict[str, LawProfile],
) -> None:
    """The main menu's "Create a TOS" button."""
    await _open(bot, cq.from_user.id, state, repo, t, user, law_profiles)


async def resumed(
    cq: CallbackQuery,
    bot: Bot,
    state: FSMContext,
    repo: Repo,
    t: Text,
    law_profiles: dict[str, LawProfile],
) -> None:
    project = await repo.tos_projects.of(cq.from_user.id)
    if project is None:
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    await take_buttons_off(cq)
    step = BY_NAME.get(project.step, TosWizard.intro)
    await ask(bot, cq.from_user.id, step, project, state, t, _profile(project, law_profiles))


async def restart_asked(cq: CallbackQuery, t: Text) -> None:
    """Start over drops every answer: ask first."""
    if isinstance(cq.message, Message):
        await cq.message.answer(
            t("tos-start-over-confirm"),
            reply_markup=InlineKeyboardMarkup(
                inline_keyboard=[
                    [
                        _btn(t("tos-start-over-yes"), TosAction.RESTART, "yes"),
                        _btn(t("tos-start-over-no"), TosAction.RESUME),
                    ]
                ]
            ),
        )


async def restarted(
    cq: CallbackQuery,
    bot: Bot,
    state: FSMContext,
    repo: Repo,
    t: Text,
    user: UserSnapshot | None,
    law_profiles: dict[str, LawProfile],
) -> None:
    """Start over confirmed: a fresh project."""
    await take_buttons_off(cq)
    await repo.tos_projects.start(cq.from_user.id, DEFAULT_PROFILE, "", datetime.now(UTC))
    await state.set_state(None)
    await _open(bot, cq.from_user.id, state, repo, t, user, law_profiles)


# ---- answers -----------------------------------------------------------------------------------


async def _advance(
    bot: Bot,
    chat_id: int,
    step: State,
    answers: dict[str, Any],
    state: FSMContext,
    repo: Repo,
    t: Text,
    law_profiles: dict[str, LawProfile],
) -> None:
    """Save the answers of `step` and ask the next question."""
    project = await repo.tos_projects.of(chat_id)
    if project is None:  # erased meanwhile (/delete_me from another device)
        await state.clear()
        await bot.send_message(chat_id, t("common-button-outdated"))
        return
    merged = {**project.answers, **answers}
    following = _next(step, merged)
    law = tos_service.project_law(project.profile_id, merged, law_profiles)
    switched = law.id != project.profile_id
    await repo.tos_projects.save(
        project, following.state or "", answers, datetime.now(UTC), profile_id=law.id
    )
    day = tos_service.meeting_day(merged)
    if switched and day is not None:
        # The meeting's date decides the law: say which one governs it, in the chat.
        await bot.send_message(
            chat_id, t("tos-law-for-date", date=f"{day:%d.%m.%Y}", act=html.quote(law.act))
        )
    await ask(bot, chat_id, following, project, state, t, law)


def _parse(step: State, raw: str | None, law: LawProfile, zone: str) -> dict[str, Any]:
    """The answers a typed reply gives on `step` (raises InvalidInput with a text key)."""
    if step == TosWizard.boundaries:
        return {"boundaries": tos_service.boundaries(raw)}
    if step == TosWizard.residents:
        return {
            "residents": tos_service.whole_number(
                raw, low=1, high=tos_service.MAX_RESIDENTS, key="tos-residents"
            )
        }
    if step == TosWizard.delegate_norm:
        return {
            "residents_per_delegate": tos_service.whole_number(
                raw, low=1, high=10_000, key="tos-norm"
            )
        }
    if step == TosWizard.group:
        return {
            "group": list(tos_service.names(raw, at_least=law.rules.initiative_group_min.value))
        }
    if step == TosWizard.name:
        return {"name": tos_service.tos_name(raw)}
    if step == TosWizard.goals:
        return {"goals": tos_service.text(raw, min_len=3, max_len=1_000, key="tos-goals")}
    if step == TosWizard.meeting_time:
        moment = tos_service.meeting_time(raw, zone, datetime.now(UTC))
        return {
            "meeting_at": moment.astimezone(UTC).isoformat(),
            "meeting_local": local_time(moment, zone),
        }
    if step == TosWizard.meeting_place:
        return {"meeting_place": tos_service.text(raw, min_len=3, max_len=300, key="tos-place")}
    if step == TosWizard.council:
        return {"council": tos_service.whole_number(raw, low=3, high=25, key="tos-council")}
    if step == TosWizard.term:
        return {"term": tos_service.whole_number(raw, low=1, high=5, key="tos-term")}
    raise InvalidInput("common-use-buttons")


async def typed(
    message: Message,
    bot: Bot,
    state: FSMContext,
    repo: Repo,
    t: Text,
    law_profiles: dict[str, LawProfile],
) -> None:
    """A typed answer on any step that takes text; wrong input re-asks with a hint."""
    step = BY_NAME.get(await state.get_state() or "", TosWizard.intro)
    project = await repo.tos_projects.of(message.chat.id)
    if project is None:
        await state.clear()
        await message.answer(t("common-button-outdated"))
        return
    law = _profile(project, law_profiles)
    try:
        answers = _parse(
            step, message.text, law, project.answers.get("meeting_tz", "Europe/Moscow")
        )
    except InvalidInput as exc:
        await message.answer(t(exc.key, minimum=law.rules.initiative_group_min.value))
        return
    await _advance(bot, message.chat.id, step, answers, state, repo, t, law_profiles)


async def pressed(
    cq: CallbackQuery,
    callback_data: TosCb,
    bot: Bot,
    state: FSMContext,
    repo: Repo,
    t: Text,
    law_profiles: dict[str, LawProfile],
) -> None:
    """A button of the current step: begin, territory type, assembly, chair, skip."""
    step = BY_NAME.get(await state.get_state() or "", TosWizard.intro)
    project = await repo.tos_projects.of(cq.from_user.id)
    if project is None:
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    law = _profile(project, law_profiles)
    action, value = callback_data.action, callback_data.value
    answers: dict[str, Any]
    if step == TosWizard.intro and action is TosAction.BEGIN:
        answers = {}
    elif step == TosWizard.territory and value in law.territory_types.values:
        answers = {"territory": value}
    elif step == TosWizard.assembly and value in {a.value for a in Assembly}:
        answers = {"assembly": value}
    elif (
        step == TosWizard.group_chair
        and value.isdigit()
        and int(value) < len(project.answers.get("group", []))
    ):
        answers = {"group_chair": project.answers["group"][int(value)]}
    elif step == TosWizard.directions and action is TosAction.DIRECTIONS_DONE:
        answers = {}
    elif step == TosWizard.goals and action is TosAction.SKIP:
        answers = {"goals": ""}
    else:
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    await take_buttons_off(cq)
    await _advance(bot, cq.from_user.id, step, answers, state, repo, t, law_profiles)


async def direction_toggled(cq: CallbackQuery, callback_data: TosCb, repo: Repo, t: Text) -> None:
    """A direction button: tick or untick it in place."""
    project = await repo.tos_projects.of(cq.from_user.id)
    if project is None or callback_data.value not in tos_service.DIRECTIONS:
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    chosen = list(project.answers.get("directions", []))
    if callback_data.value in chosen:
        chosen.remove(callback_data.value)
    else:
        chosen.append(callback_data.value)
    await repo.tos_projects.save(project, project.step, {"directions": chosen}, datetime.now(UTC))
    if isinstance(cq.message, Message):
        await cq.message.edit_reply_markup(reply_markup=_directions_keyboard(t, chosen))


async def went_back(
    cq: CallbackQuery,
    bot: Bot,
    state: FSMContext,
    repo: Repo,
    t: Text,
    law_profiles: dict[str, LawProfile],
) -> None:
    """Back: the previous question; the answers given stay saved."""
    step = BY_NAME.get(await state.get_state() or "", TosWizard.intro)
    project = await repo.tos_projects.of(cq.from_user.id)
    if project is None:
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    earlier = _previous(step, project.answers)
    await repo.tos_projects.save(project, earlier.state or "", {}, datetime.now(UTC))
    await take_buttons_off(cq)
    await ask(bot, cq.from_user.id, earlier, project, state, t, _profile(project, law_profiles))


async def generated(
    cq: CallbackQuery,
    bot: Bot,
    state: FSMContext,
    repo: Repo,
    t: Text,
    translator: Translator,
    law_profiles: dict[str, LawProfile],
) -> None:
    """Generate: the document pack as .docx files, then what comes next."""
    user_id = cq.from_user.id
    project = await repo.tos_projects.of(user_id)
    person = await repo.users.get(user_id)
    if project is None or person is None:
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    law = await tos_service.documents_law(
        repo,
        project.profile_id,
        project.answers,
        person.region_code,
        person.municipality,
        law_profiles,
    )
    draft = draft_of(
        project.answers,
        person.full_name or "",
        display_phone(person.phone) if person.phone else "",
        person.region_code or "",
        person.municipality or "",
        law,
    )
    region = catalog().get(person.region_code)
    await repo.tos_projects.mark_generated(project, datetime.now(UTC))
    await repo.release()
    pack = await asyncio.to_thread(
        build_pack,
        draft,
        law,
        translator.for_locale("ru"),  # the documents go to Russian authorities
        region_name=region.name_ru if region else "",
        today=date.today(),
    )
    await take_buttons_off(cq)
    await bot.send_media_group(
        user_id,
        [
            InputMediaDocument(media=BufferedInputFile(doc.content, filename=doc.filename))
            for doc in pack
        ],
    )
    await state.clear()
    generated = t("tos-generated", count=len(pack))
    if draft.assembly is Assembly.CONFERENCE:
        generated += "\n" + t("tos-generated-minutes")
    if not law.registration_body_name:
        # The application names the body as the law does; its own name is to be learnt.
        generated += "\n\n" + t(
            "tos-body-unnamed", body=t(f"tos-body-{law.registration_body.value}")
        )
    await bot.send_message(user_id, generated + unverified_note(law, t))
    await tos_tracker.show(bot, user_id, project, t)


def draft_of(
    answers: dict[str, Any],
    applicant: str,
    phone: str,
    region_code: str,
    municipality: str,
    law: LawProfile,
) -> tos_service.TosDraft:
    return tos_service.TosDraft(
        profile_id=law.id,
        region_code=region_code,
        municipality=municipality,
        territory_type=answers["territory"],
        boundaries=answers["boundaries"],
        residents=int(answers["residents"]),
        assembly=Assembly(answers["assembly"]),
        residents_per_delegate=int(answers.get("residents_per_delegate") or 10),
        initiative_group=tuple(answers["group"]),
        initiative_chair=answers["group_chair"],
        name=answers["name"],
        directions=tuple(answers.get("directions", [])),
        goals_text=answers.get("goals", ""),
        meeting_at=datetime.fromisoformat(answers["meeting_at"]),
        meeting_tz=answers["meeting_tz"],
        meeting_place=answers["meeting_place"],
        council_size=int(answers["council"]),
        term_years=int(answers["term"]),
        applicant_name=applicant,
        applicant_phone=phone,
    )


BUTTON_STEPS = (
    TosWizard.intro,
    TosWizard.territory,
    TosWizard.assembly,
    TosWizard.group_chair,
    TosWizard.directions,
    TosWizard.review,
)
TEXT_STEPS = tuple(s for s in STATES if s not in BUTTON_STEPS)


def router() -> Router:
    r = Router(name=__name__)
    r.message.register(wizard_opened, Command("create_tos"))
    r.callback_query.register(menu_pressed, MenuCb.filter(F.action == MenuAction.CREATE_TOS))
    cb = r.callback_query
    cb.register(resumed, TosCb.filter(F.action == TosAction.RESUME))
    cb.register(restarted, TosCb.filter((F.action == TosAction.RESTART) & (F.value == "yes")))
    cb.register(restart_asked, TosCb.filter(F.action == TosAction.RESTART))
    cb.register(generated, TosWizard.review, TosCb.filter(F.action == TosAction.GENERATE))
    cb.register(
        direction_toggled, TosWizard.directions, TosCb.filter(F.action == TosAction.DIRECTION)
    )
    cb.register(went_back, StateFilter(*STATES), NavCb.filter(F.action == Nav.BACK))
    cb.register(pressed, StateFilter(*STATES), TosCb.filter())
    r.message.register(typed, StateFilter(*TEXT_STEPS), F.text)
    r.message.register(use_buttons, StateFilter(*BUTTON_STEPS), F.text)
    r.message.register(not_text, StateFilter(*STATES))
    return r
