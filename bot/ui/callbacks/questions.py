"""Callback data of the expert Q&A dialogs (asking, one's questions, experts, the FAQ, the
admin's screens), shared so a button one router makes another can handle (the outbox renderer
makes Take and Open). Ids and enum actions only; every handler re-reads the question and
re-checks who may do what in the database.

Prefixes, field names and their order, and enum values are what old buttons in people's chats
carry: tests/unit/test_callback_data.py pins them."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class AskAction(StrEnum):
    SUGGESTION = "sg"  # id: an FAQ entry offered before asking
    SUGGESTIONS = "sgs"  # back to the list of suggestions
    SOLVED = "ok"  # "this answers my question": the dialog ends
    ANYWAY = "go"  # ask all the same
    TOPIC = "tp"  # id: the topic chosen
    ATTACHED = "at"  # done with attachments
    CONTACTS = "ct"  # id 1: the expert may see the name and phone; 0: anonymous
    PUBLISH = "pb"  # id 1: may be published; 0: not
    SEND = "snd"


class AskCb(CallbackData, prefix="qa"):
    action: AskAction
    id: int = 0


class MineAction(StrEnum):
    LIST = "ls"  # page
    OPEN = "op"
    WITHDRAW = "wd"
    WITHDRAW_YES = "wdy"
    RATE = "rt"  # rating: 1 helpful, 0 not helpful
    FOLLOW_UP = "fu"
    FOLLOW_UP_SEND = "fus"
    FULL = "fl"  # the whole thread with its files


class MineCb(CallbackData, prefix="qm"):
    action: MineAction
    question_id: int = 0
    page: int = 0
    rating: int = 0


class ExpertAction(StrEnum):
    QUEUE = "q"  # page
    OPEN = "op"
    TAKE = "tk"
    SKIP = "sk"
    RELEASE = "rl"
    ANSWER = "an"
    FILES = "fl"  # the question's and the thread's files, sent to the reader
    ATTACHED = "at"  # done with the answer's attachments: the preview
    FAQ = "fq"  # tick "good for the FAQ"
    NAME = "nm"  # tick "name me in the FAQ"
    SEND = "snd"


class ExpertCb(CallbackData, prefix="qe"):
    action: ExpertAction
    question_id: int = 0
    page: int = 0


class FaqAction(StrEnum):
    TOPICS = "ts"
    TOPIC = "tp"  # topic_id, page
    ENTRY = "en"  # entry_id (topic_id, page: where Back returns; topic_id 0: the search)
    SEARCH = "sr"  # results of the last search
    SEARCH_AGAIN = "sa"  # the next text typed is a query
    EDIT = "ed"  # the editor of an entry
    EDIT_QUESTION = "eq"
    EDIT_ANSWER = "ea"
    PUBLISH = "pb"
    UNPUBLISH = "up"
    UNPUBLISH_YES = "upy"
    DRAFTS = "dr"  # page: drafts and unpublished entries (admins)


class FaqCb(CallbackData, prefix="fq"):
    action: FaqAction
    entry_id: int = 0
    topic_id: int = 0
    page: int = 0


class TopicAdminAction(StrEnum):
    TOPICS = "ts"
    TOPIC = "tp"  # topic_id
    ADD = "add"
    RENAME = "rn"
    HIDE = "hd"  # toggles hidden
    EXPERTS = "ex"  # page
    EXPERT = "e"  # user_id: the expert's topics, ticked
    TICK = "tk"  # user_id, topic_id


class TopicAdminCb(CallbackData, prefix="qt"):
    action: TopicAdminAction
    topic_id: int = 0
    user_id: int = 0
    page: int = 0
