"""The TOS's annual forms from /tos_calendar: the estimate, the report on its execution, the
council's annual report and the minutes of a meeting (conference), as Word files.

```mermaid
stateDiagram-v2
    [*] --> year: estimate / execution / activity
    year --> income --> expense --> [*]: the estimate
    year --> actual_income --> actual_expense --> [*]: the report on it
    year --> done --> [*]: the annual report
    [*] --> assembly: minutes
    assembly --> extraordinary --> date --> place --> residents
    residents --> present: a meeting
    residents --> elected --> present --> represented: a conference
    present --> agenda: quorum
    represented --> agenda: quorum
    agenda --> [*]
```
Only the TOS's chair (read from the database on every update) fills its forms. Every step has
Back and Cancel; wrong input re-asks with a hint; a meeting without its quorum gets no minutes
(the chat says why and waits for the right numbers).
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import F, Router, html
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from bot.i18n import Text
from bot.services import tos as tos_service
from bot.services import tos_forms as forms
from bot.services.law import Assembly, LawProfile, check_elected
from bot.services.regions import catalog, zone_of
from bot.services.tos_forms import Agenda, Form
from bot.services.validation import InvalidInput
from bot.ui.callbacks.tos import FormCb, StepAction, StepCb
from bot.ui.context import Ctx
from bot.ui.keyboards import Nav, NavCb, button, nav_buttons, nav_keyboard
from bot.ui.replies import take_buttons_off, use_buttons
from db.models import Tos
from db.repositories import Repo

log = logging.getLogger("bot.security")


class TosForms(StatesGroup):
    year = State()
    income = State()
    expense = State()
    actual_income = State()
    actual_expense = State()
    done = State()
    assembly = State()
    extraordinary = State()
    date = State()
    place = State()
    residents = State()
    elected = State()
    present = State()
    represented = State()
    agenda = State()


S = TosForms
FLOWS: dict[Form, tuple[State, ...]] = {
    Form.ESTIMATE: (S.year, S.income, S.expense),
    Form.EXECUTION: (S.year, S.actual_income, S.actual_expense),
    Form.ACTIVITY: (S.year, S.done),
    Form.MINUTES: (
        S.assembly,
        S.extraordinary,
        S.date,
        S.place,
        S.residents,
        S.elected,
        S.present,
        S.represented,
        S.agenda,
    ),
}
BUTTON_STEPS = (S.assembly, S.extraordinary, S.agenda)
CONFERENCE_ONLY = (S.elected, S.represented)


def form_buttons(t: Text, tos_id: int) -> list[list[InlineKeyboardButton]]:
    """The forms' buttons under a TOS's calendar."""
    buttons = [
        button(t(f"tos-forms-{form.value}-button"), FormCb(tos_id=tos_id, form=form))
        for form in Form
    ]
    return [buttons[:2], buttons[2:]]


def _name(step: State) -> str:
    return (step.state or ":").split(":")[1]


def _flow(data: dict[str, Any]) -> list[State]:
    steps = FLOWS[Form(data["form"])]
    conference = data.get("assembly") == Assembly.CONFERENCE.value
    return [s for s in steps if conference or s not in CONFERENCE_ONLY]


async def _current(state: FSMContext) -> State | None:
    raw = await state.get_state()
    return next((s for s in TosForms.__states__ if s.state == raw), None)


def _today(tos: Tos) -> date:
    return datetime.now(UTC).astimezone(ZoneInfo(zone_of(tos.region_code))).date()


def _step_btn(text: str, action: StepAction, value: str = "") -> InlineKeyboardButton:
    return button(text, StepCb(action=action, value=value))


async def _ask(ctx: Ctx, step: State) -> None:
    t = ctx.t
    await ctx.state.set_state(step)
    data = await ctx.state.get_data()
    first = _flow(data)[0] == step
    if step == S.assembly:
        rows = [
            [_step_btn(t(f"tos-assembly-{a.value}"), StepAction.ASSEMBLY, a.value)]
            for a in Assembly
        ]
        markup = InlineKeyboardMarkup(inline_keyboard=[*rows, nav_buttons(t, TosForms, back=False)])
        await ctx.send(t("tos-forms-ask-assembly"), markup)
        return
    if step == S.extraordinary:
        rows = [
            [_step_btn(t("tos-forms-ordinary"), StepAction.EXTRA, "0")],
            [_step_btn(t("tos-forms-extraordinary"), StepAction.EXTRA, "1")],
        ]
        markup = InlineKeyboardMarkup(inline_keyboard=[*rows, nav_buttons(t, TosForms)])
        await ctx.send(t("tos-forms-ask-extraordinary"), markup)
        return
    if step == S.agenda:
        await ctx.send(t("tos-forms-ask-agenda"), _agenda_keyboard(t, data))
        return
    args: dict[str, Any] = {}
    if step == S.actual_income or step == S.actual_expense:
        lines = data["lines_income" if step == S.actual_income else "lines_expense"]
        args["lines"] = "\n".join(
            f"{n}. {html.quote(item)} — {forms.rubles(int(kopecks))}"
            for n, (item, kopecks) in enumerate(lines, start=1)
        )
        args["count"] = len(lines)
    if step == S.year:
        args["form"] = t(f"tos-forms-{data['form']}-button")
    await ctx.send(
        t(f"tos-forms-ask-{_name(step)}", **args), nav_keyboard(t, TosForms, back=not first)
    )


def _agenda_keyboard(t: Text, data: dict[str, Any]) -> InlineKeyboardMarkup:
    chosen = set(data.get("agenda", []))
    rows = [
        [
            _step_btn(
                ("✅ " if item.value in chosen else "▫️ ") + t(f"tos-forms-agenda-{item.value}"),
                StepAction.TOGGLE,
                item.value,
            )
        ]
        for item in Agenda
    ]
    rows.append([_step_btn(t("tos-forms-make-button"), StepAction.DONE)])
    rows.append(nav_buttons(t, TosForms))
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def _chaired(repo: Repo, user_id: int, tos_id: int) -> Tos | None:
    """The TOS if the person chairs it now (read from the database)."""
    tos = await repo.tos_registry.get(tos_id)
    if tos is None or tos.chair_id != user_id:
        log.warning("refused TOS form by user %s for TOS %s", user_id, tos_id)
        return None
    return tos


async def form_opened(cq: CallbackQuery, callback_data: FormCb, ctx: Ctx) -> None:
    """A form chosen under the calendar: its first question."""
    form = callback_data.form.value
    tos = await _chaired(ctx.repo, cq.from_user.id, callback_data.tos_id)
    if tos is None:
        await ctx.alert("common-not-allowed")
        return
    await ctx.state.set_data({"tos_id": tos.id, "form": form})
    await ctx.send(ctx.t(f"tos-forms-{form}-intro", name=html.quote(tos.name)))
    await _ask(ctx, _flow({"form": form})[0])


async def _own_tos(ctx: Ctx) -> tuple[Tos, dict[str, Any]] | None:
    """The dialog's TOS if the person still chairs it; else the dialog closes."""
    data = await ctx.state.get_data()
    tos = await _chaired(ctx.repo, ctx.chat_id, int(data.get("tos_id", 0)))
    if tos is None:
        await ctx.state.clear()
        await ctx.send(ctx.t("common-not-allowed"))
        return None
    return tos, data


async def typed(message: Message, ctx: Ctx, law_profiles: dict[str, LawProfile]) -> None:
    """A typed answer; wrong input re-asks with a hint."""
    t = ctx.t
    step = await _current(ctx.state)
    own = await _own_tos(ctx)
    if step is None or own is None:
        return
    tos, data = own
    try:
        answers = await _parse(step, message.text, tos, data, ctx.repo)
        if step in (S.present, S.represented) and step == _flow(data)[-2]:
            # The last count: the quorum, by the law of the meeting's date.
            law = await _law(ctx.repo, tos, law_profiles, date.fromisoformat(data["date"]))
            checked = forms.quorum({**data, **answers}, law)
            if not checked.valid:
                await ctx.send(_no_quorum(t, checked))
                return
    except InvalidInput as exc:
        await ctx.send(t(exc.key))
        return
    except ValueError as exc:  # the law's checks: a text key too (no delegates elected...)
        await ctx.send(t(str(exc)))
        return
    flow = _flow(await ctx.state.update_data(answers))
    index = flow.index(step)
    if index + 1 < len(flow):
        await _ask(ctx, flow[index + 1])
    else:
        await _make(ctx, law_profiles)


def _no_quorum(t: Text, checked: forms.Quorum) -> str:
    if checked.conference is not None:
        c = checked.conference
        return t(
            "tos-forms-no-quorum-conference",
            present=c.present,
            needed=c.needed_present,
            represented=c.represented,
            needed_represented=c.needed_represented,
        )
    assert checked.meeting is not None
    return t(
        "tos-forms-no-quorum-meeting",
        present=checked.meeting.present,
        needed=checked.meeting.needed,
    )


async def _parse(
    step: State, raw: str | None, tos: Tos, data: dict[str, Any], repo: Repo
) -> dict[str, Any]:
    today = _today(tos)
    if step == S.year:
        year = forms.year(raw, today)
        if data["form"] == Form.EXECUTION.value:
            estimate = await repo.tos_estimates.get(tos.id, year)
            if estimate is None:
                raise InvalidInput("tos-forms-no-estimate")
            return {
                "year": year,
                "lines_income": estimate.income,
                "lines_expense": estimate.expense,
            }
        return {"year": year}
    if step == S.income:
        return {"income": forms.budget_lines(raw)}
    if step == S.expense:
        return {"expense": forms.budget_lines(raw)}
    if step == S.actual_income:
        return {"actual_income": forms.actual_amounts(raw, len(data["lines_income"]))}
    if step == S.actual_expense:
        return {"actual_expense": forms.actual_amounts(raw, len(data["lines_expense"]))}
    if step == S.done:
        return {"done": forms.done_lines(raw)}
    if step == S.date:
        return {"date": forms.meeting_date(raw, today).isoformat()}
    if step == S.place:
        return {"place": forms.place(raw)}
    if step == S.residents:
        residents = forms.count(raw)
        if residents < 1:
            raise InvalidInput("tos-forms-residents-none")
        return {"residents": residents}
    if step == S.elected:
        elected = forms.count(raw)
        check_elected(elected)
        return {"elected": elected}
    if step == S.present:
        present = forms.count(raw)
        if "elected" in data and present > int(data["elected"]):
            raise InvalidInput("tos-forms-present-above-elected")
        return {"present": present}
    if step == S.represented:
        return {"represented": forms.count(raw)}
    raise InvalidInput("common-use-buttons")


async def pressed(
    cq: CallbackQuery, callback_data: StepCb, ctx: Ctx, law_profiles: dict[str, LawProfile]
) -> None:
    """The assembly's kind, ordinary or not, an agenda question on or off, Make."""
    state = ctx.state
    step = await _current(state)
    own = await _own_tos(ctx)
    if own is None:
        await ctx.alert("common-not-allowed")
        return
    _tos, data = own
    action, value = callback_data.action, callback_data.value
    if step == S.assembly and action is StepAction.ASSEMBLY and value in set(Assembly):
        await take_buttons_off(cq)
        await state.update_data({"assembly": value})
        await _ask(ctx, S.extraordinary)
    elif step == S.extraordinary and action is StepAction.EXTRA and value in ("0", "1"):
        await take_buttons_off(cq)
        await state.update_data({"extraordinary": value == "1"})
        await _ask(ctx, S.date)
    elif step == S.agenda and action is StepAction.TOGGLE and value in set(Agenda):
        chosen = list(data.get("agenda", []))
        chosen = [a for a in chosen if a != value] if value in chosen else [*chosen, value]
        # Kept in the list's order, whatever order they were tapped in.
        data = await state.update_data({"agenda": [a.value for a in Agenda if a.value in chosen]})
        if isinstance(cq.message, Message):
            await cq.message.edit_reply_markup(reply_markup=_agenda_keyboard(ctx.t, data))
    elif step == S.agenda and action is StepAction.DONE:
        if not data.get("agenda"):
            await ctx.alert("tos-forms-agenda-empty")
            return
        await take_buttons_off(cq)
        await _make(ctx, law_profiles)
    else:
        await ctx.outdated()


async def went_back(cq: CallbackQuery, ctx: Ctx) -> None:
    """Back: the previous question of this form."""
    step = await _current(ctx.state)
    own = await _own_tos(ctx)
    if step is None or own is None:
        return
    flow = _flow(own[1])
    await take_buttons_off(cq)
    await _ask(ctx, flow[max(flow.index(step) - 1, 0)])


async def _law(repo: Repo, tos: Tos, profiles: dict[str, LawProfile], day: date) -> LawProfile:
    overrides = await tos_service.law_for_place(repo, tos.region_code, tos.municipality)
    return forms.law_on(profiles, overrides, day)


async def _make(ctx: Ctx, profiles: dict[str, LawProfile]) -> None:
    """The document from the answers and the TOS's own data; sent with what to check in
    the chat (never in the document)."""
    t, repo = ctx.t, ctx.repo
    own = await _own_tos(ctx)
    if own is None:
        return
    tos, data = own
    form = Form(data["form"])
    today = _today(tos)
    now = datetime.now(UTC)
    region = catalog().get(tos.region_code)
    region_name = region.name("ru") if region else tos.region_code
    day = date.fromisoformat(data["date"]) if form is Form.MINUTES else today
    law = await _law(repo, tos, profiles, day)
    ru = ctx.translator.for_locale("ru")  # documents are Russian whatever the chair's language
    if form is Form.ESTIMATE:
        estimate = await repo.tos_estimates.save(
            tos.id, int(data["year"]), data["income"], data["expense"], now
        )
        context = forms.estimate_context(tos, estimate, law, region_name, today)
    elif form is Form.EXECUTION:
        found = await repo.tos_estimates.get(tos.id, int(data["year"]))
        if (
            found is None
            or found.income != data["lines_income"]
            or found.expense != data["lines_expense"]
        ):
            await ctx.state.clear()  # the estimate changed or went meanwhile
            await ctx.send(t("tos-forms-estimate-changed"))
            return
        await repo.tos_estimates.record_actual(
            found, data["actual_income"], data["actual_expense"], now
        )
        context = forms.estimate_context(tos, found, law, region_name, today)
    elif form is Form.ACTIVITY:
        year = int(data["year"])
        context = forms.activity_context(
            tos,
            year,
            data["done"],
            await repo.tos_members.count(tos.id),
            await repo.tos_estimates.get(tos.id, year),
            ru(f"tos-territory-{tos.territory_type}"),
            law,
            region_name,
            today,
        )
    else:
        checked = forms.quorum(data, law)
        context = forms.minutes_context(tos, data, checked, law, region_name, today)
    await ctx.state.clear()
    await repo.release()  # the file is made without holding the database
    document = forms.render(form, context)
    note = _to_check(law, t, form)
    await ctx.bot.send_document(
        ctx.chat_id,
        BufferedInputFile(document.content, filename=document.filename),
        caption=t(f"tos-forms-{form.value}-made", name=html.quote(tos.name)),
    )
    await ctx.send(t("tos-forms-next", act=html.quote(law.act)) + note)


QUORUM_RULES = (
    "min_age",
    "meeting_quorum",
    "conference_delegates_quorum",
    "conference_represented_share",
)


def _to_check(law: LawProfile, t: Text, form: Form) -> str:
    """What the minutes rest on that the law's text does not confirm (a law whose article
    the profile has not checked): said in the chat, never in the document."""
    if form is not Form.MINUTES:
        return ""
    lines = [
        t("tos-law-unverified-line", rule=t(f"tos-rule-{name}"), value=value)
        for name, value in law.unverified()
        if name in QUORUM_RULES
    ]
    if law.exclusive_powers.to_confirm:
        lines.append(t("tos-forms-powers-unverified"))
    return "\n\n" + t("tos-law-unverified", lines="\n".join(lines)) if lines else ""


def router() -> Router:
    r = Router(name=__name__)
    r.callback_query.register(form_opened, FormCb.filter())
    r.callback_query.register(went_back, StateFilter(TosForms), NavCb.filter(F.action == Nav.BACK))
    r.callback_query.register(pressed, StateFilter(TosForms), StepCb.filter())
    r.callback_query.register(_outdated, StepCb.filter())
    r.message.register(use_buttons, StateFilter(*BUTTON_STEPS), F.text)
    r.message.register(typed, StateFilter(TosForms), F.text)
    r.message.register(_not_text, StateFilter(TosForms))
    return r


async def _outdated(cq: CallbackQuery, ctx: Ctx) -> None:
    await ctx.outdated()


async def _not_text(message: Message, ctx: Ctx) -> None:
    """A sticker or photo where a step expects text or a button."""
    await ctx.send(ctx.t("common-expected-text"))
