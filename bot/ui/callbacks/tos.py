"""Callback data of the TOS dialogs: the creation wizard, its tracker, registering an existing
TOS and its verification, joining one, the registry export, the calendar and its forms.

Prefixes, field names and their order, and enum values are what old buttons in people's chats
carry: tests/unit/test_callback_data.py pins them."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.services.tos_forms import Form


class TosAction(StrEnum):
    BEGIN = "begin"
    RESUME = "resume"
    RESTART = "restart"
    TERRITORY = "terr"
    ASSEMBLY = "asm"
    CHAIR = "chair"
    DIRECTION = "dir"
    DIRECTIONS_DONE = "dirok"
    SKIP = "skip"
    GENERATE = "gen"


class TosCb(CallbackData, prefix="tw"):
    action: TosAction
    value: str = ""


class TrackAction(StrEnum):
    STAGE = "stage"


class TrackCb(CallbackData, prefix="tt"):
    action: TrackAction
    stage: str


class RtAction(StrEnum):
    TERRITORY = "t"
    LEGAL = "l"  # value "yes" / "no"
    CONFIRM = "ok"
    NO_LOCATION = "nl"


class RtCb(CallbackData, prefix="rt"):
    action: RtAction
    value: str = ""


class VerifyAction(StrEnum):
    VERIFY = "v"
    REJECT = "x"


class VerifyCb(CallbackData, prefix="tv"):
    action: VerifyAction
    tos_id: int


class JoinAction(StrEnum):
    PAGE = "p"
    OPEN = "o"
    REQUEST = "r"
    APPROVE = "a"
    REJECT = "x"


class JoinCb(CallbackData, prefix="tj"):
    action: JoinAction
    tos_id: int = 0
    user_id: int = 0
    page: int = 0


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


class RegistryCb(CallbackData, prefix="tr"):
    fmt: ExportFormat


class CalCb(CallbackData, prefix="tc"):
    tos_id: int
    item: str
    clear: bool = False


class FormCb(CallbackData, prefix="tf"):
    """A form of a TOS, from its calendar screen."""

    tos_id: int
    form: Form


class StepAction(StrEnum):
    ASSEMBLY = "a"
    EXTRA = "x"
    TOGGLE = "t"
    DONE = "d"


class StepCb(CallbackData, prefix="tfs"):
    action: StepAction
    value: str = ""
