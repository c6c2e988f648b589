"""Messages to someone other than the sender of the update (a chair, a reviewer, the
participants of an event) go through the outbox: queued in the update's transaction, sent by
the outbox sender after it commits, at Telegram's pace, rendered in the recipient's language
and retried on network errors. A recipient who blocked the bot never fails the sender's update.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from bot.services import outbox
from bot.services.outbox import Buttons, Outgoing
from db.repositories import Repo


def button(key: str, data: str, **args: Any) -> dict[str, Any]:
    """A button whose label is the text `key` in the recipient's language."""
    return {"key": key, "data": data, "args": args} if args else {"key": key, "data": data}


async def notify(
    repo: Repo,
    recipient_id: int,
    key: str,
    args: dict[str, Any] | None = None,
    buttons: Buttons | None = None,
    *,
    about: str,
    dedupe: str | None = None,
    kind: str = outbox.NOTICE,
    event_id: int | None = None,
    needs_signup: tuple[str, ...] | None = None,
) -> None:
    """Queue a message due now. `about` names it in the dedupe key; `dedupe` makes it once
    only (otherwise every call is a new message). With `event_id`, the event's title and time
    (in the recipient's zone, at send time) join the arguments, and `needs_signup` drops the
    message if by then the person's sign-up is no longer in one of those statuses."""
    now = datetime.now(UTC)
    payload = outbox.text(key, args, buttons)
    if event_id is not None:
        payload.update(type="event", event_id=event_id)
        if needs_signup is not None:
            payload["needs_signup"] = list(needs_signup)
    key_of_row = f"note:{about}:{dedupe or uuid.uuid4().hex}"
    await outbox.enqueue(repo, Outgoing(recipient_id, kind, payload, now, key_of_row), now=now)
