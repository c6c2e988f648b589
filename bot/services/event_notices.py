"""Notices about events that the bot sends on its own, queued through the outbox: a seat
offered or given from the waitlist, an offer that ran out, a change of time or place, a request
for feedback after the event. The dialogs and the periodic jobs (bot/jobs.py) both queue them
from here."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from bot.services import attendance, event_drafts, outbox
from bot.services import events as ev
from bot.services.notify import button, notify
from bot.ui.callbacks.events import EventAction, EventCb, FbCb
from db.models import Event, Signup
from db.repositories import Repo

log = logging.getLogger(__name__)


async def tell_promoted(repo: Repo, event: Event, promoted: Signup) -> None:
    """The first on the waitlist got the freed seat, or is offered it to confirm: tell them,
    in their own language (not if it has moved on by the time the message goes out)."""
    if promoted.status == "offered":
        yes = EventCb(action=EventAction.OFFER_YES, event_id=event.id).pack()
        no = EventCb(action=EventAction.OFFER_NO, event_id=event.id).pack()
        await notify(
            repo,
            promoted.user_id,
            "events-offered",
            buttons=[
                [button("events-offer-yes-button", yes), button("events-offer-no-button", no)]
            ],
            about=f"ev:{event.id}:offered:{promoted.user_id}",
            event_id=event.id,
            needs_signup=("offered",),
        )
        return
    open_card = EventCb(action=EventAction.OPEN, event_id=event.id).pack()
    await notify(
        repo,
        promoted.user_id,
        "events-promoted",
        buttons=[[button("events-open-button", open_card)]],
        about=f"ev:{event.id}:promoted:{promoted.user_id}",
        event_id=event.id,
        needs_signup=ev.SEATED,
    )


async def expire_offers(repo: Repo, now: datetime) -> int:
    """Offers not confirmed in time move on to the next in line: the one who missed it is
    told, the next one offered or given the seat. The number of offers that ran out."""
    moved = await ev.expire_offers(repo, now)
    for event, withdrawn, next_one in moved:
        await notify(
            repo,
            withdrawn.user_id,
            "events-offer-expired",
            about=f"ev:{event.id}:offer-expired:{withdrawn.user_id}",
            event_id=event.id,
        )
        if next_one is not None:
            await tell_promoted(repo, event, next_one)
    return len(moved)


async def request_feedback(repo: Repo, now: datetime) -> int:
    """Ask the attendees of events that ended an hour ago for a rating. The events are marked
    asked in the same transaction that queues the messages, and each message has its own key,
    so a second run or a second instance never asks twice. The number of requests queued."""
    queued = 0
    for request in await attendance.claim_feedback(repo, now):
        ratings = [
            button(
                "attendance-rating-button",
                FbCb(event_id=request.event_id, rating=r).pack(),
                rating=r,
            )
            for r in attendance.RATINGS
        ]
        for user_id, _language in request.recipients:
            await notify(
                repo,
                user_id,
                "attendance-feedback-ask",
                buttons=[ratings],
                about="feedback",
                dedupe=f"{request.event_id}:{user_id}",
                kind=outbox.FEEDBACK,
                event_id=request.event_id,
            )
            queued += 1
        log.info(
            "feedback asked for event %d: %d people", request.event_id, len(request.recipients)
        )
    return queued


async def notify_change(repo: Repo, event: Event, change: event_drafts.Change) -> int:
    """Tell everyone still coming what changed; the link only to those holding a seat."""
    parts: list[dict[str, Any]] = []
    if change.time:
        parts.append({"key": "evadm-change-time"})
    if change.place and event.address:
        parts.append({"key": "evadm-change-place"})
    if change.link and event.online_link:
        parts.append({"key": "evadm-change-link", "seated": True})
    if not parts:
        return 0
    people = await repo.signups.participants(event.id, ("signed_up", "waitlisted", "pending"))
    for signup, _person in people:
        await notify(
            repo,
            signup.user_id,
            "evadm-notice-changed",
            {"parts": parts},
            about=f"ev:{event.id}:changed",
            event_id=event.id,
        )
    return len(people)
