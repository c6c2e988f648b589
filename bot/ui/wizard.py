"""One step engine for every dialog that asks its questions in order.

A dialog declares each step once, as a `Step`: its state, its question (a `Screen` built from
the answers so far), how a typed reply becomes answers (validators raise `InvalidInput` with a
localised hint) and when the step applies at all. The `Wizard` does the moving: it asks, takes
typed answers, goes on and back skipping the steps that do not apply, asks the open question
again after /start, /language or a restart, and answers a sticker where text is expected and
text where a button is. Where the answers are kept (the FSM data by default, or a table row),
what happens after the last step and where a step leads on an edit are the dialog's: it
subclasses `Wizard` and overrides `load`, `store`, `route`, `finish` and `head`.

The engine is generic over the dialog's answers, a TypedDict (total=False) the dialog
declares (`Wizard[Answers]`): its steps and handlers read them typed, and `data()` and
`update()` read and merge the FSM data as those answers.

Button handlers stay the dialog's own (a button carries a value only the dialog knows); they
end in `wizard.advance(ctx, step, answers, lead=...)`, as typed answers do. `lead` records the
choice ("Region: Tatarstan") and the next question takes the pressed message's place under it:
one edit where a note on the old question and a new message were two Bot API calls, and no
answered buttons are left behind.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.services.validation import InvalidInput
from bot.ui.context import Ctx, Markup
from bot.ui.keyboards import Nav, NavCb, nav_keyboard
from bot.ui.replies import MESSAGE_LIMIT, not_text, note_choice, use_buttons

# A dialog's answers: its own TypedDict (total=False), so a misspelt key is a type error.
D = TypeVar("D")


@dataclass(frozen=True, slots=True)
class Screen:
    text: str
    markup: Markup = None


Prompt = Callable[[Ctx, D], Screen | Awaitable[Screen]]
Parser = Callable[[str, Ctx, D], D]


def _always(_: object) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class Step(Generic[D]):
    state: State
    prompt: Prompt[D]
    # A typed reply -> the answers it gives (raises InvalidInput); None: buttons only.
    parse: Parser[D] | None = None
    applies: Callable[[D], bool] = _always
    # The keyboard under a hint after a wrong reply (default: Back and Cancel).
    retry: Callable[[Ctx, D], Markup] | None = None


class Wizard(Generic[D]):
    def __init__(self, group: type[StatesGroup], steps: Sequence[Step[D]]) -> None:
        self.group = group
        self.dialog_module = group.__module__  # names its handlers in the metrics
        self.steps = tuple(steps)
        self.states = tuple(step.state for step in self.steps)
        self._by_state = {step.state.state: step for step in self.steps}

    # ---- what a dialog overrides -----------------------------------------------------------

    async def load(self, ctx: Ctx) -> D | None:
        """The answers so far; None when they are gone (the dialog then ends)."""
        return await self.data(ctx)

    async def store(self, ctx: Ctx, step: Step[D], answers: D) -> D | None:
        """Keep a step's answers; returns all the answers (None: gone meanwhile)."""
        return await self.update(ctx, answers)

    async def route(self, ctx: Ctx, step: Step[D], answers: D) -> Step[D] | None:
        """Where a step's answer leads: the next step that applies (None: the end)."""
        return self.after(step, answers)

    async def finish(self, ctx: Ctx, answers: D) -> None:
        """After the last step (a dialog whose last step is a summary never gets here)."""
        await ctx.state.clear()

    async def back_from_first(self, ctx: Ctx, answers: D) -> None:
        """Back on the first step: that step again (a dialog may leave instead)."""
        await self.ask(ctx, self.steps[0], answers)

    def head(self, ctx: Ctx, step: Step[D], answers: D) -> str:
        """A line above every question (a progress "Step 2 of 8"), or nothing."""
        return ""

    # ---- the FSM data, typed as this dialog's answers -----------------------------------------

    async def data(self, ctx: Ctx) -> D:
        return cast(D, await ctx.state.get_data())

    async def update(self, ctx: Ctx, answers: D) -> D:
        """Merge `answers` into the FSM data; returns all of it."""
        return cast(D, await ctx.state.update_data(cast(dict[str, Any], answers)))

    # ---- moving ----------------------------------------------------------------------------

    def __getitem__(self, state: State) -> Step[D]:
        return self._by_state[state.state or ""]

    def step(self, state: State | str | None) -> Step[D] | None:
        key = state.state if isinstance(state, State) else state
        return self._by_state.get(key or "")

    def after(self, step: Step[D], answers: D) -> Step[D] | None:
        index = self.steps.index(step)
        return next((s for s in self.steps[index + 1 :] if s.applies(answers)), None)

    def before(self, step: Step[D], answers: D) -> Step[D] | None:
        index = self.steps.index(step)
        return next((s for s in reversed(self.steps[:index]) if s.applies(answers)), None)

    async def ask(
        self,
        ctx: Ctx,
        step: Step[D] | State,
        answers: D | None = None,
        *,
        lead: str | None = None,
        keep: bool = False,
    ) -> None:
        """Put the person on `step` and send its question. After a button press with `lead`
        (the choice it made) the question replaces the pressed message, under the lead (and
        under the pressed message's own text with `keep`)."""
        found = step if isinstance(step, Step) else self.step(step)
        assert found is not None, step
        if answers is None:
            answers = await self.load(ctx) or cast(D, {})
        await ctx.state.set_state(found.state)
        screen = found.prompt(ctx, answers)
        if inspect.isawaitable(screen):
            screen = await screen
        text = self.head(ctx, found, answers) + screen.text
        if lead is not None and ctx.cq is not None:
            pressed, markup = ctx.cq.message, screen.markup
            if isinstance(pressed, Message) and pressed.text is not None:
                above = pressed.html_text + "\n\n" if keep else ""
                combined = above + lead + "\n\n" + text
                # A reply keyboard (the contact button) cannot ride on an edited message, and
                # a message holds 4,096 characters (markup counted here: errs on the safe side).
                fits = len(combined) <= MESSAGE_LIMIT
                if fits and (markup is None or isinstance(markup, InlineKeyboardMarkup)):
                    await ctx.show(combined, markup)
                    return
            await note_choice(ctx.cq, lead)
        await ctx.send(text, screen.markup)

    async def advance(
        self, ctx: Ctx, step: Step[D], answers: D, *, lead: str | None = None
    ) -> None:
        """Keep `step`'s answers and go on: the next question, or the end."""
        merged = await self.store(ctx, step, answers)
        if merged is None:
            await self.gone(ctx)
            return
        following = await self.route(ctx, step, merged)
        if following is None:
            await self.noted(ctx, lead)
            await self.finish(ctx, merged)
        else:
            await self.ask(ctx, following, merged, lead=lead)

    @staticmethod
    async def noted(ctx: Ctx, lead: str | None) -> None:
        """Record a button's choice on the pressed question when no question takes its place."""
        if lead is not None and ctx.cq is not None:
            await note_choice(ctx.cq, lead)

    async def back(self, ctx: Ctx) -> None:
        step = self.step(await ctx.state.get_state())
        answers = await self.load(ctx)
        if step is None or answers is None:
            await self.gone(ctx)
            return
        earlier = self.before(step, answers)
        if earlier is None:
            await self.back_from_first(ctx, answers)
        else:
            await self.ask(ctx, earlier, answers)

    async def reprompt(self, ctx: Ctx) -> bool:
        """Ask the open question again. False when no step of this dialog is open."""
        step = self.step(await ctx.state.get_state())
        if step is None:
            return False
        await self.ask(ctx, step)
        return True

    async def gone(self, ctx: Ctx) -> None:
        """The answers were erased meanwhile (/delete_me from another device)."""
        await ctx.state.clear()
        await ctx.outdated()

    # ---- handlers --------------------------------------------------------------------------

    async def typed(self, message: Message, ctx: Ctx) -> None:
        """A typed reply on a step that takes text; a wrong one gets its hint, nothing moves."""
        step = self.step(await ctx.state.get_state())
        answers = await self.load(ctx)
        if step is None or step.parse is None or answers is None:
            await self.gone(ctx)
            return
        try:
            parsed = step.parse(message.text or "", ctx, answers)
        except InvalidInput as exc:
            markup = step.retry(ctx, answers) if step.retry else nav_keyboard(ctx.t, self.group)
            await message.answer(ctx.t(exc.key, **exc.values), reply_markup=markup)
            return
        await self.advance(ctx, step, parsed)

    async def went_back(self, cq: CallbackQuery, ctx: Ctx) -> None:
        await ctx.drop_buttons()
        await self.back(ctx)

    def register(self, router: Router) -> None:
        """The shared handlers, after the dialog's own (which therefore win: a contact, a
        location or files a step takes are the dialog's handlers)."""
        typed = [s.state for s in self.steps if s.parse is not None]
        buttons = [s.state for s in self.steps if s.parse is None]
        router.callback_query.register(
            self.went_back, StateFilter(*self.states), NavCb.filter(F.action == Nav.BACK)
        )
        if typed:
            router.message.register(self.typed, StateFilter(*typed), F.text)
        if buttons:
            router.message.register(use_buttons, StateFilter(*buttons), F.text)
        router.message.register(not_text, StateFilter(*self.states))
