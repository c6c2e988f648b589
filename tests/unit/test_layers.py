"""The layers, read from the source with `ast` (no import-linter needed):

- handlers/ is the top: one router per dialog. Only bot/factory.py, which wires the routers,
  imports it; bot/ (services, ui, jobs, the scheduler, middlewares) and db/ never do.
- db/ is the bottom: it imports nothing from bot/ or handlers/.
- A dialog imports another dialog only through the small public surface in PUBLIC; anything
  else one dialog needs from another (callback data, notices, keyboards, replies) lives in
  bot/ui or bot/services, where both can reach it.
- Callback data classes live in bot/ui/callbacks (pinned by test_callback_data.py), never in a
  dialog module.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# What one dialog may take from another, and why. Keep it short: a name belongs here only
# when it is a dialog's own entry point or screen that another dialog hands over to.
PUBLIC: dict[str, set[str]] = {
    # /start and the end of registration open what a t.me/<bot>?start=... link asked for.
    "deep_links": {"follow"},
    # ... and a link opens an event's card or its check-in (start, deep_links).
    "events": {"send_card", "reprompt"},
    "attendance": {"checkin_link_followed"},
    # /start and /cancel ask the open question of a registration or a sign-up again; the
    # profile edits one field with the registration's own steps.
    "registration": {"reprompt", "begin_field_edit", "FIELD_STATES"},
    # Text no dialog took is searched in the FAQ (fallback); the FAQ shows an entry as the
    # question dialog does.
    "faq": {"suggest_answers"},
    "questions": {"entry_text"},
    # The TOS wizard ends on the tracker card; the calendar screen offers the forms.
    "tos_tracker": {"show"},
    "tos_forms": {"form_buttons"},
    # The event form is the organisers' editor: it checks and returns to their event card.
    "organiser_events": {"managed_event", "show_event"},
    # /admin includes moderation as its sub-router, with its rows on the home screen.
    "admin_moderation": {"router", "home_buttons", "ban_button", "zone_of_admin"},
}
# The only module outside handlers/ that imports it.
WIRING = {"bot/factory.py"}


def _sources(*packages: str) -> Iterator[tuple[str, ast.Module]]:
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations/versions" in path.as_posix():
                continue
            yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def _imports(tree: ast.Module) -> Iterator[tuple[int, str, str | None, str | None]]:
    """(line, module, name, alias) of every import, at any depth (function-local ones too);
    name is None for `import x`."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, None, alias.asname
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                yield node.lineno, node.module, alias.name, alias.asname


def _top(module: str) -> str:
    return module.split(".", 1)[0]


def test_only_the_wiring_imports_handlers() -> None:
    found = [
        f"{path}:{line} imports {module}"
        for path, tree in _sources("bot", "db")
        if path not in WIRING
        for line, module, _, _ in _imports(tree)
        if _top(module) == "handlers"
    ]
    assert found == []


def test_db_imports_nothing_above_it() -> None:
    found = [
        f"{path}:{line} imports {module}"
        for path, tree in _sources("db")
        for line, module, _, _ in _imports(tree)
        if _top(module) in {"bot", "handlers"}
    ]
    assert found == []


def _handler_uses(path: str, tree: ast.Module) -> Iterator[tuple[int, str, str]]:
    """(line, dialog module, name) of everything this dialog takes from another one: the
    names it imports from it, and the attributes it reads of a dialog module it imports."""
    modules: dict[str, str] = {}  # local name -> dialog module
    for line, module, name, alias in _imports(tree):
        if _top(module) != "handlers":
            continue
        if module == "handlers" and name is not None:
            modules[alias or name] = name
        elif name is None:
            yield line, module, "<import of the whole module>"
        else:
            yield line, module.removeprefix("handlers."), name
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id in modules:
                yield node.lineno, modules[node.value.id], node.attr
        elif isinstance(node, ast.Name) and node.id in modules:
            used_bare = not any(
                isinstance(parent, ast.Attribute) and parent.value is node
                for parent in ast.walk(tree)
            )
            if used_bare:
                yield node.lineno, modules[node.id], "<the module itself>"


def test_dialogs_use_each_other_only_through_the_public_surface() -> None:
    refused, used = [], set()
    for path, tree in _sources("handlers"):
        for line, module, name in _handler_uses(path, tree):
            used.add((module, name))
            if name not in PUBLIC.get(module, set()):
                refused.append(f"{path}:{line} uses handlers.{module}.{name}")
    assert refused == [], "move it to bot/ui or bot/services, or add it to PUBLIC with a reason"
    unused = {(m, n) for m, names in PUBLIC.items() for n in names} - used
    assert unused == set(), "no dialog uses these any more: take them out of PUBLIC"


def test_no_callback_data_in_dialogs() -> None:
    found = [
        f"{path}:{node.lineno} {node.name}"
        for path, tree in _sources("handlers")
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        and any(
            (isinstance(base, ast.Name) and base.id == "CallbackData")
            or (isinstance(base, ast.Attribute) and base.attr == "CallbackData")
            for base in node.bases
        )
    ]
    assert found == [], "callback data lives in bot/ui/callbacks"
