"""Callback data shared by the events dialogs (organisers, residents, attendance), so a button
made by one router can be handled by another. Ids and enum actions only; every handler re-reads
the event and re-checks permission from the database."""

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
