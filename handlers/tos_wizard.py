"""/create_tos: the TOS creation wizard, eight steps from the idea to a document pack.

Every answer is saved in the person's `tos_projects` row at once, so `/create_tos` resumes
days later (even after /cancel or a restart). The legal numbers come from the law profile.
The steps are declared once in STEPS; bot/ui/wizard.py moves between them.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Any, Final, TypedDict, cast
from zoneinfo import ZoneInfo

from aiogram import F, Router, html
from aiogram.filters import Command, StateFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaDocument,
    Message,
)

from bot.i18n import Text
from bot.services import tos as tos_service
from bot.services.law import DEFAULT_PROFILE, Assembly, LawProfile, profile_on, quorum, shown
from bot.services.regions import catalog, zone_of
from bot.services.tos_documents import build_pack
from bot.ui.callbacks.menu import MenuAction, MenuCb
from bot.ui.callbacks.tos import TosAction, TosCb
from bot.ui.context import Ctx
from bot.ui.keyboards import button, nav_buttons, nav_keyboard
from bot.ui.texts import local_time, utc_offset
from bot.ui.wizard import Parser, Prompt, Screen, Step, Wizard
from db.models import TosProject
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


# "Step 3 of 8": the questions each of the eight steps asks.
PARTS = (
    (TosWizard.intro,),
    (TosWizard.territory, TosWizard.boundaries),
    (TosWizard.residents, TosWizard.assembly, TosWizard.delegate_norm),
    (TosWizard.group, TosWizard.group_chair),
    (TosWizard.name, TosWizard.directions, TosWizard.goals),
    (TosWizard.meeting_time, TosWizard.meeting_place),
    (TosWizard.council, TosWizard.term),
    (TosWizard.review,),
)
NUMBER = {state.state: number for number, part in enumerate(PARTS, 1) for state in part}
TOTAL = len(PARTS)
# The answers the steps see carry the law they follow under this key (it is never saved).
LAW: Final = "_law"


class Answers(TypedDict, total=False):
    """A TOS project's answers (tos_projects.answers) as the steps see them."""

    _law: LawProfile  # LAW: the rules the project follows, never saved
    law: dict[str, Any]  # the place's overrides, copied at the start
    meeting_tz: str
    territory: str
    boundaries: str
    residents: int
    assembly: str  # an Assembly's value
    residents_per_delegate: int
    group: list[str]  # the initiative group's names
    group_chair: str
    name: str
    directions: list[str]
    goals: str
    meeting_at: str  # ISO, UTC
    meeting_local: str
    meeting_place: str
    council: int
    term: int


def _btn(text: str, action: TosAction, value: str = "") -> InlineKeyboardButton:
    return button(text, TosCb(action=action, value=value))


def _keyboard(
    t: Text, *rows: list[InlineKeyboardButton], back: bool = True
) -> InlineKeyboardMarkup:
    """The step's own buttons above Back and Cancel."""
    return InlineKeyboardMarkup(inline_keyboard=[*rows, nav_buttons(t, TosWizard, back=back)])


def _law(answers: Answers) -> LawProfile:
    law: LawProfile = answers[LAW]
    return law


def _answers(project: TosProject, ctx: Ctx) -> Answers:
    law = tos_service.project_law(project.profile_id, project.answers, ctx.law_profiles)
    return cast(Answers, {**project.answers, LAW: law})


def _mark(cited: Any, t: Text) -> str:
    """The source of a rule, and the warning when the municipality's act must confirm it."""
    return t("tos-source", source=cited.source) + (
        " " + t("tos-to-confirm") if cited.to_confirm else ""
    )


# ---- the questions -----------------------------------------------------------------------------


def _question(key: str) -> Prompt[Answers]:
    """A question answered by typing."""

    def prompt(ctx: Ctx, _: Answers) -> Screen:
        return Screen(ctx.t(key), nav_keyboard(ctx.t, TosWizard))

    return prompt


def _intro(ctx: Ctx, _: Answers) -> Screen:
    begin = [_btn(ctx.t("tos-begin-button"), TosAction.BEGIN)]
    return Screen(ctx.t("tos-intro"), _keyboard(ctx.t, begin, back=False))


def _territory(ctx: Ctx, answers: Answers) -> Screen:
    t, kinds = ctx.t, _law(answers).territory_types
    rows = [[_btn(t(f"tos-territory-{kind}"), TosAction.TERRITORY, kind)] for kind in kinds.values]
    return Screen(t("tos-ask-territory", source=_mark(kinds, t)), _keyboard(t, *rows))


def _residents(ctx: Ctx, answers: Answers) -> Screen:
    age = _law(answers).rules.min_age
    text = ctx.t("tos-ask-residents", age=age.value, source=_mark(age, ctx.t))
    return Screen(text, nav_keyboard(ctx.t, TosWizard))


def _assembly(ctx: Ctx, answers: Answers) -> Screen:
    t, law = ctx.t, _law(answers)
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
    rows = [[_btn(t(f"tos-assembly-{a.value}"), TosAction.ASSEMBLY, a.value)] for a in Assembly]
    return Screen(text, _keyboard(t, *rows))


def _delegate_norm(ctx: Ctx, answers: Answers) -> Screen:
    text = ctx.t("tos-ask-delegate-norm", residents=int(answers["residents"]))
    return Screen(text, nav_keyboard(ctx.t, TosWizard))


def _group(ctx: Ctx, answers: Answers) -> Screen:
    minimum = _law(answers).rules.initiative_group_min
    text = ctx.t("tos-ask-group", minimum=minimum.value, source=_mark(minimum, ctx.t))
    return Screen(text, nav_keyboard(ctx.t, TosWizard))


def _group_chair(ctx: Ctx, answers: Answers) -> Screen:
    group = answers.get("group", [])
    rows = [[_btn(name, TosAction.CHAIR, str(index))] for index, name in enumerate(group)]
    return Screen(ctx.t("tos-ask-group-chair"), _keyboard(ctx.t, *rows))


def _directions_keyboard(t: Text, chosen: list[str]) -> InlineKeyboardMarkup:
    rows = [
        [_btn(("✅ " if d in chosen else "") + t(f"tos-direction-{d}"), TosAction.DIRECTION, d)]
        for d in tos_service.DIRECTIONS
    ]
    return _keyboard(t, *rows, [_btn(t("tos-done-button"), TosAction.DIRECTIONS_DONE)])


def _directions(ctx: Ctx, answers: Answers) -> Screen:
    keyboard = _directions_keyboard(ctx.t, answers.get("directions", []))
    return Screen(ctx.t("tos-ask-directions"), keyboard)


def _goals(ctx: Ctx, _: Answers) -> Screen:
    skip = [_btn(ctx.t("tos-skip-button"), TosAction.SKIP)]
    return Screen(ctx.t("tos-ask-goals"), _keyboard(ctx.t, skip))


def _meeting_time(ctx: Ctx, answers: Answers) -> Screen:
    zone = ZoneInfo(answers.get("meeting_tz", "Europe/Moscow"))
    text = ctx.t(
        "tos-ask-meeting-time",
        assembly=ctx.t(f"tos-assembly-{answers.get('assembly', 'meeting')}"),
        zone=utc_offset(datetime.now(UTC).astimezone(zone)),
    )
    return Screen(text, nav_keyboard(ctx.t, TosWizard))


def _review(ctx: Ctx, answers: Answers) -> Screen:
    t = ctx.t
    generate = [_btn(t("tos-generate-button"), TosAction.GENERATE)]
    restart = [_btn(t("tos-start-over-button"), TosAction.RESTART)]
    return Screen(_review_text(answers, t, _law(answers)), _keyboard(t, generate, restart))


def _review_text(answers: Answers, t: Text, law: LawProfile) -> str:
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


# ---- the typed answers -------------------------------------------------------------------------


def _number(field: str, key: str, low: int, high: int) -> Parser[Answers]:
    return lambda raw, ctx, a: cast(
        Answers, {field: tos_service.whole_number(raw, low=low, high=high, key=key)}
    )


def _group_given(raw: str, ctx: Ctx, answers: Answers) -> Answers:
    minimum = _law(answers).rules.initiative_group_min.value
    return {"group": list(tos_service.names(raw, at_least=minimum))}


def _meeting_time_given(raw: str, ctx: Ctx, answers: Answers) -> Answers:
    zone = answers.get("meeting_tz", "Europe/Moscow")
    moment = tos_service.meeting_time(raw, zone, datetime.now(UTC))
    return {
        "meeting_at": moment.astimezone(UTC).isoformat(),
        "meeting_local": local_time(moment, zone),
    }


def _typed(
    state: State, prompt: Prompt[Answers], parse: Parser[Answers], **kwargs: Any
) -> Step[Answers]:
    """A step answered by typing: a wrong answer gets its hint alone, without buttons."""
    return Step(state, prompt, parse, retry=lambda ctx, a: None, **kwargs)


def _conference(answers: Answers) -> bool:
    return answers.get("assembly") == Assembly.CONFERENCE


STEPS: list[Step[Answers]] = [
    Step(TosWizard.intro, _intro),
    Step(TosWizard.territory, _territory),
    _typed(
        TosWizard.boundaries,
        _question("tos-ask-boundaries"),
        lambda raw, ctx, a: {"boundaries": tos_service.boundaries(raw)},
    ),
    _typed(
        TosWizard.residents,
        _residents,
        _number("residents", "tos-residents", 1, tos_service.MAX_RESIDENTS),
    ),
    Step(TosWizard.assembly, _assembly),
    _typed(
        TosWizard.delegate_norm,
        _delegate_norm,
        _number("residents_per_delegate", "tos-norm", 1, 10_000),
        applies=_conference,  # a meeting has no delegates
    ),
    _typed(TosWizard.group, _group, _group_given),
    Step(TosWizard.group_chair, _group_chair),
    _typed(
        TosWizard.name,
        _question("tos-ask-name"),
        lambda raw, ctx, a: {"name": tos_service.tos_name(raw)},
    ),
    Step(TosWizard.directions, _directions),
    _typed(
        TosWizard.goals,
        _goals,
        lambda raw, ctx, a: {
            "goals": tos_service.text(raw, min_len=3, max_len=1_000, key="tos-goals")
        },
    ),
    _typed(TosWizard.meeting_time, _meeting_time, _meeting_time_given),
    _typed(
        TosWizard.meeting_place,
        _question("tos-ask-meeting-place"),
        lambda raw, ctx, a: {
            "meeting_place": tos_service.text(raw, min_len=3, max_len=300, key="tos-place")
        },
    ),
    _typed(
        TosWizard.council,
        _question("tos-ask-council"),
        _number("council", "tos-council", 3, 25),
    ),
    _typed(TosWizard.term, _question("tos-ask-term"), _number("term", "tos-term", 1, 5)),
    Step(TosWizard.review, _review),
]


class ProjectWizard(Wizard[Answers]):
    """The answers live in the person's tos_projects row, not in the FSM data."""

    async def load(self, ctx: Ctx) -> Answers | None:
        project = await ctx.repo.tos_projects.of(ctx.chat_id)
        return None if project is None else _answers(project, ctx)

    async def store(self, ctx: Ctx, step: Step[Answers], answers: Answers) -> Answers | None:
        project = await ctx.repo.tos_projects.of(ctx.chat_id)
        if project is None:  # erased meanwhile (/delete_me from another device)
            return None
        merged = cast(Answers, {**project.answers, **answers})
        law = tos_service.project_law(project.profile_id, merged, ctx.law_profiles)
        switched = law.id != project.profile_id
        # Saved with the step it leads to, where /create_tos resumes.
        following = self.after(step, merged) or step
        await ctx.repo.tos_projects.save(
            project, following.state.state or "", answers, datetime.now(UTC), profile_id=law.id
        )
        day = tos_service.meeting_day(merged)
        if switched and day is not None:
            # The meeting's date decides the law: say which one governs it, in the chat.
            await ctx.send(
                ctx.t("tos-law-for-date", date=f"{day:%d.%m.%Y}", act=html.quote(law.act))
            )
        return {**merged, LAW: law}

    async def ask(
        self,
        ctx: Ctx,
        step: Step[Answers] | State,
        answers: Answers | None = None,
        *,
        lead: str | None = None,
        keep: bool = False,
    ) -> None:
        """Every question asked is where /create_tos resumes (after Back too)."""
        found = step if isinstance(step, Step) else self[step]
        project = await ctx.repo.tos_projects.of(ctx.chat_id)
        if project is not None:
            if project.step != found.state.state:
                now = datetime.now(UTC)
                await ctx.repo.tos_projects.save(project, found.state.state or "", {}, now)
            answers = answers if answers is not None else _answers(project, ctx)
        await super().ask(ctx, found, answers, lead=lead, keep=keep)

    def head(self, ctx: Ctx, step: Step[Answers], answers: Answers) -> str:
        return ctx.t("tos-progress", step=NUMBER[step.state.state], total=TOTAL) + "\n\n"


wizard = ProjectWizard(TosWizard, STEPS)


# ---- entering and resuming ---------------------------------------------------------------------


async def opened(_: Message | CallbackQuery, ctx: Ctx) -> None:
    """/create_tos or the main menu's "Create a TOS": start, or offer to go on with the
    saved project."""
    if ctx.user is None or not ctx.user.registered:
        await ctx.send(ctx.t("tos-register-first"))
        return
    project = await ctx.repo.tos_projects.of(ctx.chat_id)
    if project is None or not project.answers:
        await _start(ctx)
        return
    t = ctx.t
    if project.generated_at is not None:
        # Past the documents: the project has become a tracker of the stages ahead.
        again = _btn(t("tos-documents-again-button"), TosAction.RESUME)
        await tos_tracker.show(ctx.bot, ctx.chat_id, project, t, [again])
        return
    number = NUMBER.get(project.step, 1)
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [_btn(t("tos-resume-button"), TosAction.RESUME)],
            [_btn(t("tos-start-over-button"), TosAction.RESTART)],
        ]
    )
    await ctx.send(t("tos-resume-prompt", step=number, total=TOTAL), markup)


async def _start(ctx: Ctx) -> None:
    """A new project, with the rules of the person's place and the law in force today."""
    now = datetime.now(UTC)
    person = await ctx.repo.users.get(ctx.chat_id)
    # The rules an admin set for the person's place are copied into the project at its start.
    overrides = await tos_service.law_for_place(
        ctx.repo, person.region_code if person else None, person.municipality if person else None
    )
    # The founding meeting happens where the person lives: their zone in their region.
    zone = zone_of(person.region_code, person.tz) if person else zone_of(None)
    # Until the meeting's date is known, the law in force today.
    today = now.astimezone(ZoneInfo(zone)).date()
    project = await ctx.repo.tos_projects.start(
        ctx.chat_id, profile_on(ctx.law_profiles, today).id, "", now
    )
    intro = TosWizard.intro.state or ""
    await ctx.repo.tos_projects.save(project, intro, {"meeting_tz": zone, "law": overrides}, now)
    await wizard.ask(ctx, TosWizard.intro)


async def resumed(cq: CallbackQuery, ctx: Ctx) -> None:
    """Go on where the project stopped."""
    project = await ctx.repo.tos_projects.of(ctx.chat_id)
    if project is None:
        await ctx.outdated()
        return
    await ctx.drop_buttons()
    await wizard.ask(ctx, wizard.step(project.step) or wizard[TosWizard.intro])


async def restart_asked(cq: CallbackQuery, ctx: Ctx) -> None:
    """Start over drops every answer: ask first."""
    t = ctx.t
    yes = _btn(t("tos-start-over-yes"), TosAction.RESTART, "yes")
    no = _btn(t("tos-start-over-no"), TosAction.RESUME)
    await ctx.send(t("tos-start-over-confirm"), InlineKeyboardMarkup(inline_keyboard=[[yes, no]]))


async def restarted(cq: CallbackQuery, ctx: Ctx) -> None:
    """Start over confirmed: a fresh project."""
    await ctx.drop_buttons()
    await ctx.repo.tos_projects.start(ctx.chat_id, DEFAULT_PROFILE, "", datetime.now(UTC))
    await ctx.state.set_state(None)
    await opened(cq, ctx)


# ---- the buttons of the steps ------------------------------------------------------------------


def _pressed(state: State, data: TosCb, answers: Answers) -> Answers | None:
    """The answers a button gives on `state`; None for a button of another moment."""
    action, value = data.action, data.value
    if state == TosWizard.intro and action is TosAction.BEGIN:
        return {}
    if state == TosWizard.territory and value in _law(answers).territory_types.values:
        return {"territory": value}
    if state == TosWizard.assembly and value in {a.value for a in Assembly}:
        return {"assembly": value}
    group = answers.get("group", [])
    if state == TosWizard.group_chair and value.isdigit() and int(value) < len(group):
        return {"group_chair": group[int(value)]}
    if state == TosWizard.directions and action is TosAction.DIRECTIONS_DONE:
        return {}
    if state == TosWizard.goals and action is TosAction.SKIP:
        return {"goals": ""}
    return None


async def pressed(cq: CallbackQuery, callback_data: TosCb, ctx: Ctx) -> None:
    """A button of the current step: begin, territory type, assembly, chair, done, skip."""
    step = wizard.step(await ctx.state.get_state())
    answers = await wizard.load(ctx)
    given = (
        None if step is None or answers is None else _pressed(step.state, callback_data, answers)
    )
    if step is None or given is None:
        await ctx.outdated()
        return
    await ctx.drop_buttons()
    await wizard.advance(ctx, step, given)


async def direction_toggled(cq: CallbackQuery, callback_data: TosCb, ctx: Ctx) -> None:
    """A direction button: tick or untick it in place."""
    project = await ctx.repo.tos_projects.of(ctx.chat_id)
    if project is None or callback_data.value not in tos_service.DIRECTIONS:
        await ctx.outdated()
        return
    chosen = list(project.answers.get("directions", []))
    if callback_data.value in chosen:
        chosen.remove(callback_data.value)
    else:
        chosen.append(callback_data.value)
    now = datetime.now(UTC)
    await ctx.repo.tos_projects.save(project, project.step, {"directions": chosen}, now)
    if isinstance(cq.message, Message):
        await cq.message.edit_reply_markup(reply_markup=_directions_keyboard(ctx.t, chosen))


async def generated(cq: CallbackQuery, ctx: Ctx) -> None:
    """Generate: the document pack as .docx files, then what comes next."""
    repo, t, user_id = ctx.repo, ctx.t, ctx.chat_id
    project = await repo.tos_projects.of(user_id)
    person = await repo.users.get(user_id)
    if project is None or person is None:
        await ctx.outdated()
        return
    law = await tos_service.documents_law(
        repo,
        project.profile_id,
        project.answers,
        person.region_code,
        person.municipality,
        ctx.law_profiles,
    )
    draft = tos_service.TosDraft.from_answers(project.answers, law, person)
    region = catalog().get(person.region_code)
    await repo.tos_projects.mark_generated(project, datetime.now(UTC))
    await repo.release()
    pack = await asyncio.to_thread(
        build_pack,
        draft,
        law,
        ctx.translator.for_locale("ru"),  # the documents go to Russian authorities
        region_name=region.name_ru if region else "",
        today=date.today(),
    )
    await ctx.drop_buttons()
    await ctx.bot.send_media_group(
        user_id,
        [
            InputMediaDocument(media=BufferedInputFile(doc.content, filename=doc.filename))
            for doc in pack
        ],
    )
    await ctx.state.clear()
    generated = t("tos-generated", count=len(pack))
    if draft.assembly is Assembly.CONFERENCE:
        generated += "\n" + t("tos-generated-minutes")
    if not law.registration_body_name:
        # The application names the body as the law does; its own name is to be learnt.
        generated += "\n\n" + t(
            "tos-body-unnamed", body=t(f"tos-body-{law.registration_body.value}")
        )
    await ctx.send(generated + unverified_note(law, t))
    await tos_tracker.show(ctx.bot, user_id, project, t)


def router() -> Router:
    r = Router(name=__name__)
    r.message.register(opened, Command("create_tos"))
    cb = r.callback_query
    cb.register(opened, MenuCb.filter(F.action == MenuAction.CREATE_TOS))
    cb.register(resumed, TosCb.filter(F.action == TosAction.RESUME))
    cb.register(restarted, TosCb.filter((F.action == TosAction.RESTART) & (F.value == "yes")))
    cb.register(restart_asked, TosCb.filter(F.action == TosAction.RESTART))
    cb.register(generated, TosWizard.review, TosCb.filter(F.action == TosAction.GENERATE))
    cb.register(
        direction_toggled, TosWizard.directions, TosCb.filter(F.action == TosAction.DIRECTION)
    )
    cb.register(pressed, StateFilter(*wizard.states), TosCb.filter())
    wizard.register(r)
    return r
