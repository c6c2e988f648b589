"""Buttons already sent sit in people's chats for months: what a callback class packs must never
change when the code moves. Each class's prefix, its field names in order (the packed string is
`prefix:field1:field2...`) and the values of its enum fields are pinned here, with a few packed
strings byte for byte. Renaming or moving a class is fine; changing what it packs is not."""

from __future__ import annotations

import enum
import importlib
import pkgutil

import pytest
from aiogram.filters.callback_data import CallbackData

import bot.ui.callbacks
from bot.ui.callbacks.events import EvAdminAction, EvAdminCb, FbCb
from bot.ui.callbacks.menu import MenuAction, MenuCb
from bot.ui.callbacks.questions import FaqAction, FaqCb
from bot.ui.callbacks.tos import CalCb
from bot.ui.keyboards import Nav, NavCb

# (where the class lives, its prefix, ((field, enum values in declaration order or None), ...))
PINNED: list[tuple[str, str, tuple[tuple[str, tuple[str, ...] | None], ...]]] = [
    (
        "bot.ui.callbacks.admin.AdminCb",
        "ad",
        (
            ("action", ("home", "inv", "invr", "ppl", "prs", "rvk", "rvk!", "rgs", "rg")),
            ("role", None),
            ("user_id", None),
            ("page", None),
            ("code", None),
        ),
    ),
    (
        "bot.ui.callbacks.admin.LawCb",
        "lw",
        (
            ("action", ("rs", "r", "p", "a", "t", "b", "m")),
            ("page", None),
            ("code", None),
            ("sid", None),
            ("value", None),
        ),
    ),
    (
        "bot.ui.callbacks.admin.ModCb",
        "mod",
        (
            ("action", ("find", "bl", "log", "ban", "ban!", "unb")),
            ("user_id", None),
            ("page", None),
        ),
    ),
    (
        "bot.ui.callbacks.broadcast.BcCb",
        "bc",
        (
            (
                "action",
                (
                    "r",
                    "l",
                    "g",
                    "ad",
                    "eb",
                    "cb",
                    "nx",
                    "m",
                    "mp",
                    "e",
                    "ep",
                    "eg",
                    "pv",
                    "go",
                    "sc",
                    "pa",
                    "re",
                    "st",
                ),
            ),
            ("value", None),
            ("broadcast_id", None),
        ),
    ),
    (
        "bot.ui.callbacks.events.EvAdminCb",
        "ea",
        (
            (
                "action",
                (
                    "ls",
                    "new",
                    "op",
                    "pub",
                    "ed",
                    "dup",
                    "cx",
                    "cxy",
                    "ppl",
                    "csv",
                    "xls",
                    "ap",
                    "rj",
                    "sh",
                    "ci",
                    "cw",
                    "sum",
                ),
            ),
            ("event_id", None),
            ("page", None),
            ("user_id", None),
        ),
    ),
    (
        "bot.ui.callbacks.events.EventCb",
        "ev",
        (
            ("action", ("ls", "op", "su", "cx", "cxy", "my", "ics", "code", "oky", "okn")),
            ("event_id", None),
            ("page", None),
            ("kind", None),
        ),
    ),
    ("bot.ui.callbacks.events.AttCb", "at", (("action", ("done", "skip")),)),
    (
        "bot.ui.callbacks.events.FbCb",
        "fb",
        (
            ("event_id", None),
            ("rating", None),
        ),
    ),
    (
        "bot.ui.callbacks.events.FormCb",
        "ef",
        (
            (
                "action",
                (
                    "rg",
                    "k",
                    "z",
                    "d",
                    "f",
                    "u",
                    "dl",
                    "a",
                    "ap",
                    "dr",
                    "qd",
                    "rm",
                    "pub",
                    "drf",
                    "ch",
                    "fld",
                ),
            ),
            ("value", None),
        ),
    ),
    (
        "bot.ui.callbacks.grants.GrantCb",
        "gr",
        (
            (
                "action",
                ("l", "o", "s", "u", "i", "m", "ia", "a", "e", "f", "d", "dy", "sc", "k", "v"),
            ),
            ("grant_id", None),
            ("page", None),
            ("value", None),
        ),
    ),
    (
        "bot.ui.callbacks.menu.MenuCb",
        "mn",
        (
            (
                "action",
                (
                    "tos",
                    "find",
                    "regtos",
                    "cal",
                    "grants",
                    "events",
                    "myev",
                    "ask",
                    "myq",
                    "faq",
                    "qq",
                    "profile",
                    "help",
                    "language",
                    "admin",
                    "edit",
                ),
            ),
            ("field", None),
        ),
    ),
    ("bot.ui.callbacks.menu.LangCb", "lg", (("lang", ("ru", "en")),)),
    ("bot.ui.callbacks.menu.SettingsCb", "st", (("kind", None),)),
    (
        "bot.ui.callbacks.questions.AskCb",
        "qa",
        (
            ("action", ("sg", "sgs", "ok", "go", "tp", "at", "ct", "pb", "snd")),
            ("id", None),
        ),
    ),
    (
        "bot.ui.callbacks.questions.MineCb",
        "qm",
        (
            ("action", ("ls", "op", "wd", "wdy", "rt", "fu", "fus", "fl")),
            ("question_id", None),
            ("page", None),
            ("rating", None),
        ),
    ),
    (
        "bot.ui.callbacks.questions.ExpertCb",
        "qe",
        (
            ("action", ("q", "op", "tk", "sk", "rl", "an", "fl", "at", "fq", "nm", "snd")),
            ("question_id", None),
            ("page", None),
        ),
    ),
    (
        "bot.ui.callbacks.questions.FaqCb",
        "fq",
        (
            ("action", ("ts", "tp", "en", "sr", "sa", "ed", "eq", "ea", "pb", "up", "upy", "dr")),
            ("entry_id", None),
            ("topic_id", None),
            ("page", None),
        ),
    ),
    (
        "bot.ui.callbacks.questions.TopicAdminCb",
        "qt",
        (
            ("action", ("ts", "tp", "add", "rn", "hd", "ex", "e", "tk")),
            ("topic_id", None),
            ("user_id", None),
            ("page", None),
        ),
    ),
    (
        "bot.ui.callbacks.registration.RegCb",
        "rg1",
        (
            ("action", ("start", "agree", "decline", "zone", "kind", "confirm", "edit")),
            ("value", None),
        ),
    ),
    ("bot.ui.callbacks.registration.EraseCb", "er", (("action", ("yes", "no")),)),
    (
        "bot.ui.callbacks.tos.TosCb",
        "tw",
        (
            (
                "action",
                (
                    "begin",
                    "resume",
                    "restart",
                    "terr",
                    "asm",
                    "chair",
                    "dir",
                    "dirok",
                    "skip",
                    "gen",
                ),
            ),
            ("value", None),
        ),
    ),
    (
        "bot.ui.callbacks.tos.TrackCb",
        "tt",
        (
            ("action", ("stage",)),
            ("stage", None),
        ),
    ),
    (
        "bot.ui.callbacks.tos.RtCb",
        "rt",
        (
            ("action", ("t", "l", "ok", "nl")),
            ("value", None),
        ),
    ),
    (
        "bot.ui.callbacks.tos.VerifyCb",
        "tv",
        (
            ("action", ("v", "x")),
            ("tos_id", None),
        ),
    ),
    (
        "bot.ui.callbacks.tos.JoinCb",
        "tj",
        (
            ("action", ("p", "o", "r", "a", "x")),
            ("tos_id", None),
            ("user_id", None),
            ("page", None),
        ),
    ),
    ("bot.ui.callbacks.tos.RegistryCb", "tr", (("fmt", ("csv", "xlsx")),)),
    (
        "bot.ui.callbacks.tos.CalCb",
        "tc",
        (
            ("tos_id", None),
            ("item", None),
            ("clear", None),
        ),
    ),
    (
        "bot.ui.callbacks.tos.FormCb",
        "tf",
        (
            ("tos_id", None),
            ("form", ("estimate", "execution", "activity", "minutes")),
        ),
    ),
    (
        "bot.ui.callbacks.tos.StepCb",
        "tfs",
        (
            ("action", ("a", "x", "t", "d")),
            ("value", None),
        ),
    ),
    (
        "bot.ui.keyboards.NavCb",
        "nav",
        (
            ("action", ("back", "cancel")),
            ("dialog", None),
        ),
    ),
    (
        "bot.ui.regions.RegionCb",
        "rg",
        (
            ("action", ("p", "k")),
            ("page", None),
            ("code", None),
        ),
    ),
]


def _class(path: str) -> type[CallbackData]:
    module, name = path.rsplit(".", 1)
    found = getattr(importlib.import_module(module), name)
    assert isinstance(found, type) and issubclass(found, CallbackData)
    return found


@pytest.mark.parametrize(("path", "prefix", "fields"), PINNED, ids=[p[1] for p in PINNED])
def test_callback_layout_is_pinned(
    path: str, prefix: str, fields: tuple[tuple[str, tuple[str, ...] | None], ...]
) -> None:
    cls = _class(path)
    assert cls.__prefix__ == prefix
    assert [name for name, _ in fields] == list(cls.model_fields)
    for name, values in fields:
        annotation = cls.model_fields[name].annotation
        if values is None:
            assert not (isinstance(annotation, type) and issubclass(annotation, enum.Enum)), name
        else:
            assert isinstance(annotation, type) and issubclass(annotation, enum.Enum), name
            assert tuple(member.value for member in annotation) == values, name


def test_every_callback_class_is_pinned() -> None:
    """A new class joins the table; none is left out, and prefixes stay unique."""
    for info in pkgutil.iter_modules(bot.ui.callbacks.__path__, "bot.ui.callbacks."):
        importlib.import_module(info.name)
    importlib.import_module("bot.ui.keyboards")
    importlib.import_module("bot.ui.regions")

    def subclasses(cls: type[CallbackData]) -> list[type[CallbackData]]:
        direct = cls.__subclasses__()
        return direct + [deeper for sub in direct for deeper in subclasses(sub)]

    ours = {
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in subclasses(CallbackData)
        if cls.__module__.startswith("bot.")
    }
    assert ours == {path for path, _, _ in PINNED}
    prefixes = [prefix for _, prefix, _ in PINNED]
    assert len(prefixes) == len(set(prefixes))


def test_packed_bytes() -> None:
    """A few packed strings, byte for byte, as they sit in old messages."""
    assert MenuCb(action=MenuAction.CREATE_TOS).pack() == "mn:tos:"
    assert EvAdminCb(action=EvAdminAction.PEOPLE, event_id=7, page=2).pack() == "ea:ppl:7:2:0"
    assert FaqCb(action=FaqAction.ENTRY, entry_id=3, topic_id=4, page=1).pack() == "fq:en:3:4:1"
    assert FbCb(event_id=12, rating=5).pack() == "fb:12:5"
    assert CalCb(tos_id=1, item="report", clear=True).pack() == "tc:1:report:1"
    assert NavCb(action=Nav.BACK, dialog="Registration").pack() == "nav:back:Registration"
    assert MenuCb.unpack("mn:edit:phone") == MenuCb(action=MenuAction.EDIT, field="phone")
