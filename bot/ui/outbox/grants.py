"""The outbox renderer of grant deadline reminders."""

from __future__ import annotations

from datetime import datetime

from aiogram import html
from aiogram.types import InlineKeyboardMarkup

from bot.i18n import Translator
from bot.outbox_sender import Rendered
from bot.ui.callbacks.grants import GrantAction, GrantCb
from bot.ui.keyboards import button
from db.models import OutboxMessage, User
from db.repositories import Repo


async def render_grant(
    repo: Repo, translator: Translator, row: OutboxMessage, person: User, _now: datetime
) -> Rendered | None:
    """A deadline reminder in the recipient's language, as the grant is now; dropped when the
    grant is gone, its deadline moved since, or the person unsubscribed."""
    payload = row.payload
    grant = await repo.grants.get(int(payload["grant_id"]))
    if grant is None or grant.deadline.isoformat() != payload.get("deadline"):
        return None
    if not await repo.grants.subscribed(grant.id, person.id):
        return None
    t = translator.for_locale(person.language)
    text = t(
        payload["key"],
        days=int(payload["days"]),
        name=html.quote(grant.name),
        organiser=html.quote(grant.organiser),
        amount=html.quote(grant.amount),
        deadline=f"{grant.deadline:%d.%m.%Y}",
        link=html.quote(grant.link or "—"),
    )
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [button(t("grants-open-button"), GrantCb(action=GrantAction.OPEN, grant_id=grant.id))],
            [
                button(
                    t("grants-unsubscribe-button"),
                    GrantCb(action=GrantAction.UNSUB, grant_id=grant.id),
                )
            ],
        ]
    )
    return Rendered(text=text, markup=markup)
