"""Callback data of the events dialogs: organisers' screens, residents' cards, attendance and
feedback, the event form. Shared, so a button made by one router (or a notice queued by a
service) can be handled by another. Ids and enum actions only; every handler re-reads the event
and re-checks permission from the database.

Prefixes, field names and their order, and enum values are what old buttons in people's chats
carry: tests/unit/test_callback_data.py pins them."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class EvAdminAction(StrEnum):
    LIST = "ls"  # page
    NEW = "new"
    OPEN = "op"
    PUBLISH = "pub"
    EDIT = "ed"
    DUPLICATE = "dup"
    CANCEL = "cx"
    CANCEL_CONFIRM = "cxy"
    PEOPLE = "ppl"  # page
    EXPORT_CSV = "csv"
    EXPORT_XLSX = "xls"
    APPROVE = "ap"  # user_id
    REJECT = "rj"  # user_id
    SHARE = "sh"
    CHECKIN = "ci"  # attendance router: type or scan participants' codes
    CODE_WORD = "cw"  # attendance router: set the online code word
    SUMMARY = "sum"  # attendance router: attendance and feedback summary


class EvAdminCb(CallbackData, prefix="ea"):
    action: EvAdminAction
    event_id: int = 0
    page: int = 0
    user_id: int = 0


class EventAction(StrEnum):
    LIST = "ls"  # page, kind ("" = all kinds)
    OPEN = "op"
    SIGN_UP = "su"
    CANCEL = "cx"
    CANCEL_CONFIRM = "cxy"
    MINE = "my"  # page
    ICS = "ics"
    CODE = "code"  # attendance router: the participant's check-in code and QR
    OFFER_YES = "oky"  # take a seat offered from the waitlist
    OFFER_NO = "okn"  # give it up


class EventCb(CallbackData, prefix="ev"):
    action: EventAction
    event_id: int = 0
    page: int = 0
    kind: str = ""


# Attendance (handlers/attendance.py).
class AttAction(StrEnum):
    DONE = "done"  # leave the check-in desk
    SKIP = "skip"  # no comment after a rating


class AttCb(CallbackData, prefix="at"):
    action: AttAction


class FbCb(CallbackData, prefix="fb"):
    """A rating button of a feedback request; re-checked against the sign-up on every press."""

    event_id: int
    rating: int


# The event form (handlers/event_form.py).
class FormAction(StrEnum):
    REGION = "rg"
    KIND = "k"
    ZONE = "z"
    DURATION = "d"
    FORMAT = "f"
    UNLIMITED = "u"
    DEADLINE = "dl"
    AUDIENCE = "a"  # all, own, choose
    APPROVAL = "ap"  # yes, no
    DEADLINE_REMINDER = "dr"  # yes, no
    QUESTIONS_DONE = "qd"
    REMINDERS = "rm"  # value: minutes, comma-separated
    PUBLISH = "pub"
    DRAFT = "drf"
    CHANGE = "ch"  # the field chooser
    FIELD = "fld"  # a field chosen


class FormCb(CallbackData, prefix="ef"):
    action: FormAction
    value: str = ""
