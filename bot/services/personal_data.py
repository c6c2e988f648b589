"""Everything stored about a person (/my_data) and its erasure (/delete_me), 152-FZ art. 14, 21."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.services import questions
from db.repositories import Repo


@dataclass(frozen=True, slots=True)
class ErasureReport:
    erased: bool
    roles_removed: int
    dialog_states_removed: int
    invites_detached: int
    # The experts' forum topics of the person's questions (chat, thread): the caller deletes
    # them in Telegram, where the database cannot reach.
    forum_topics: tuple[tuple[int, int], ...] = ()


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


async def export(repo: Repo, user_id: int, exported_at: datetime) -> dict[str, Any]:
    user = await repo.users.get(user_id)
    if user is None:
        return {"telegram_id": user_id, "exported_at": _iso(exported_at), "profile": None}
    invites = await repo.invites.linked_to(user_id)
    project = await repo.tos_projects.of(user_id)
    chaired = await repo.tos_registry.chaired_by(user_id)
    memberships = await repo.tos_members.of_user(user_id)
    signups = await repo.signups.history_of(user_id)
    viewed = await repo.events.viewed_by(user_id)
    return {
        "telegram_id": user_id,
        "exported_at": _iso(exported_at),
        "profile": {
            "language": user.language,
            "full_name": user.full_name,
            "phone": user.phone,
            "region_code": user.region_code,
            "tz": user.tz,
            "municipality": user.municipality,
            "kind": user.kind,
            "created_at": _iso(user.created_at),
            "registered_at": _iso(user.registered_at),
            "muted_reminders": list(user.muted_kinds or []),
        },
        "consent": {"given_at": _iso(user.consent_at), "policy_version": user.consent_version},
        "roles": sorted(await repo.roles.of(user_id)),
        "tos_project": {
            "step": project.step,
            "answers": project.answers,
            "created_at": _iso(project.created_at),
            "generated_at": _iso(project.generated_at),
        }
        if project
        else None,
        "tos_chaired": [
            {"name": tos.name, "charter_number": tos.charter_number, "status": tos.status}
            for tos in chaired
        ],
        "tos_memberships": [{"tos": name, "status": status} for name, status in memberships],
        "event_signups": [
            {
                "event": title,
                "status": signup.status,
                "signed_up_at": _iso(signup.created_at),
                "answers": signup.answers,
                "checkin_code": signup.checkin_code,
                "attended_at": _iso(signup.attended_at),
                "rating": signup.rating,
                "comment": signup.comment,
                "feedback_at": _iso(signup.feedback_at),
            }
            for title, signup in signups
        ],
        # Kept only for events whose organiser asked to remind those who looked.
        "event_cards_opened": [{"event": title, "at": _iso(at)} for title, at in viewed],
        "invites": [
            {
                "role": i.role,
                "created_by_you": i.created_by == user_id,
                "used_by_you": i.used_by == user_id,
                "created_at": _iso(i.created_at),
                "used_at": _iso(i.used_at),
            }
            for i in invites
        ],
        "expert_questions": await questions.export(repo, user_id),
        "grant_subscriptions": [
            {"grant": g.name, "deadline": g.deadline.isoformat()}
            for g in await repo.grants.subscribed_by(user_id)
        ],
    }


def export_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


async def erase(repo: Repo, user_id: int, now: datetime) -> ErasureReport:
    """Remove the person and everything that points at them; keep an anonymous record."""
    roles = len(await repo.roles.of(user_id))
    invites = await repo.links.detach_invites(user_id)
    states = await repo.links.drop_dialog_state(user_id)
    await repo.outbox.forget_recipient(user_id)  # queued and sent messages' texts may name them
    for broadcast_id in await repo.links.detach_broadcasts(user_id):
        await repo.outbox.move(f"bc:{broadcast_id}:", ("pending", "paused"), "cancelled")
    forum = await questions.erase(repo, user_id)
    existed = await repo.users.get(user_id) is not None
    await repo.users.delete(user_id)  # roles and the TOS project go with it (ON DELETE CASCADE)
    report = ErasureReport(existed, roles, states, invites, tuple(forum))
    if existed:
        # Anonymous counts only: nothing here can lead back to the person.
        await repo.erasures.record(now, {"roles": roles, "invites": invites})
    return report
