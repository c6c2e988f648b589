"""The audit log's entries in words (the chat's /admin and the dashboard share these)."""

from __future__ import annotations

from collections.abc import Callable

from bot.i18n import Text
from bot.services.audit import Action, Line
from bot.services.regions import catalog

ROLE_ACTIONS = {Action.ROLE_GRANTED, Action.ROLE_REVOKED, Action.INVITE_CREATED}
REGION_ACTIONS = {Action.REGION_ADDED, Action.REGION_REMOVED}


def _detail(t: Text, action: str, detail: str | None) -> str:
    if detail is None:
        return "—"
    if action in ROLE_ACTIONS:
        return t(f"role-{detail}")
    if action in REGION_ACTIONS:
        region = catalog().get(detail)
        return region.name(t.locale) if region is not None else detail
    return detail


def person(t: Text, name: str | None, user_id: int | None) -> str:
    """A name as the log shows it: the name (or id) now, or "erased" for a row that is gone."""
    if user_id is None:
        return t("audit-nobody")
    return name or str(user_id)


def describe(t: Text, line: Line, escape: Callable[[str], str] = str) -> str:
    """What was done, as "blocked Anna" (the actor is shown apart); `escape` for HTML."""
    known = {a.value for a in Action}
    if line.action not in known:
        return line.action
    return t(
        f"audit-{line.action.replace('_', '-')}",
        target=escape(person(t, line.target_name, line.target_id)),
        detail=escape(_detail(t, line.action, line.detail)),
    )
