"""A hand-made world for the dashboard's tests: people in four regions registered on known
days, the TOS registry, events with every kind of sign-up, open questions and broadcasts.
The numbers the tests expect are counted by hand from the tables below."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import update

from bot.services import broadcasts
from db.models import Broadcast, OutboxMessage
from db.repositories import Repo
from tests.harness import ADMIN_ID, App

NOW = datetime.now(UTC).replace(microsecond=0)
ORGANISER = 501  # organiser of Yakutia (14, UTC+9, also their own region) and Tatarstan (16)
SAMARA = 502  # organiser of Samara (63), reads English
RESIDENT = 503  # no organiser
ADMIN = ADMIN_ID  # from ADMIN_IDS: sees everything

# id: region, municipality, language, kind, roles, registered (days, hours) ago
PEOPLE: dict[int, tuple[str, str, str, str, tuple[str, ...], tuple[int, int]]] = {
    ORGANISER: ("14", "г. Якутск", "ru", "resident", ("resident", "organiser"), (20, 0)),
    SAMARA: ("63", "г. Самара", "en", "resident", ("resident", "organiser"), (15, 0)),
    RESIDENT: ("16", "г. Казань", "ru", "resident", ("resident",), (0, 1)),
    601: ("16", "г. Казань", "ru", "resident", ("resident",), (0, 2)),
    602: ("16", "г. Казань", "en", "tos_member", ("resident",), (1, 0)),
    603: ("16", "г. Набережные Челны", "ru", "tos_chair", ("resident", "chair"), (3, 5)),
    604: ("16", "г. Казань", "ru", "resident", ("resident", "expert"), (10, 0)),
    605: ("14", "г. Якутск", "ru", "resident", ("resident",), (45, 0)),
    606: ("14", "г. Якутск", "ru", "resident", ("resident",), (0, 10)),
    611: ("63", "г. Самара", "ru", "resident", ("resident",), (0, 3)),
    612: ("63", "г. Тольятти", "ru", "tos_chair", ("resident", "chair"), (2, 0)),
    621: ("77", "Москва", "ru", "resident", ("resident",), (5, 0)),
}
NEVER_REGISTERED = 631

# name: region, status
TOS = {
    "Солнечный": ("16", "verified"),
    "Берёзка": ("16", "unverified"),
    "Северный": ("14", "rejected"),
    "Волга": ("63", "verified"),
}


def registered_at(uid: int) -> datetime:
    days, hours = PEOPLE[uid][5]
    return NOW - timedelta(days=days, hours=hours)


def in_regions(regions: set[str] | None) -> list[int]:
    return sorted(uid for uid, p in PEOPLE.items() if regions is None or p[0] in regions)


@dataclass
class World:
    school: int  # E1: Tatarstan, in 5 days, 3 seats, one question; every kind of sign-up
    webinar: int  # E2: Tatarstan, 2 days ago, attendance and ratings
    seminar: int  # E3: Samara draft
    meeting: int  # E4: Yakutia, unlimited
    cancelled: int  # E5: Tatarstan, cancelled
    b_done: int  # B1 by the organiser: 1 sent, 1 blocked, 1 failed
    b_sending: int  # B2 by Samara's organiser: 2 sent, 2 pending
    b_stopped: int  # B3 by the organiser: 1 sent, 1 cancelled


def _event(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "kind": "school",
        "title": "Школа ТОС",
        "description": "Как создать ТОС",
        "starts_at": NOW + timedelta(days=5),
        "duration_minutes": 120,
        "tz": "Europe/Moscow",
        "format": "offline",
        "online_link": None,
        "address": "г. Казань, ул. Баумана, 1",
        "capacity": None,
        "registration_deadline": None,
        "audience_regions": [],
        "needs_approval": False,
        "questions": [],
        "status": "published",
        "region_code": "16",
        "organiser_id": ORGANISER,
        "created_at": NOW - timedelta(days=30),
    }
    fields.update(overrides)
    return fields


async def _sign(
    repo: Repo, event_id: int, uid: int, status: str, minutes_ago: int, **extra: Any
) -> None:
    signup = await repo.signups.add(
        event_id, uid, status, extra.pop("answers", []), NOW - timedelta(minutes=minutes_ago)
    )
    for key, value in extra.items():
        setattr(signup, key, value)
    await repo.session.flush()


async def _broadcast(
    repo: Repo, organiser: int, status: str, rows: dict[int, str], started_ago: timedelta
) -> int:
    broadcast = Broadcast(
        organiser_id=organiser,
        from_chat_id=organiser,
        message_ids=[1],
        buttons=None,
        filters=broadcasts.Audience().to_json(),
        status=status,
        scheduled_at=None,
        total=len(rows),
        created_at=NOW - started_ago,
        started_at=NOW - started_ago,
        finished_at=None if status == "sending" else NOW - started_ago + timedelta(minutes=1),
    )
    repo.session.add(broadcast)
    await repo.session.flush()
    key = broadcasts.prefix(broadcast.id)
    await repo.outbox.put(
        [
            {
                "recipient_id": uid,
                "kind": broadcasts.BROADCAST,
                "payload": broadcasts.payload(broadcast),
                # Never due while the test runs: the test's drains must not send them.
                "due_at": NOW + timedelta(days=1),
                "expires_at": None,
                "dedupe_key": f"{key}{uid}",
                "created_at": NOW - started_ago,
            }
            for uid in rows
        ]
    )
    for uid, row_status in rows.items():
        await repo.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.dedupe_key == f"{key}{uid}")
            .values(status=row_status)
        )
    return broadcast.id


async def build(app: App) -> World:
    async with app.repo() as repo:
        for uid, (region, municipality, lang, kind, roles, _ago) in PEOPLE.items():
            await repo.users.ensure(uid, lang, NOW)
            await repo.users.record_consent(uid, "2026-11-01", NOW)
            await repo.users.save_profile(
                uid,
                {
                    "full_name": f"Человек {uid}",
                    "phone": f"+7912345{uid:04d}",
                    "region_code": region,
                    "municipality": municipality,
                    "kind": kind,
                    "registered_at": registered_at(uid),
                },
            )
            for role in roles:
                await repo.roles.grant(uid, role, NOW)
        await repo.users.ensure(NEVER_REGISTERED, "ru", NOW)
        await repo.roles.toggle_region(ORGANISER, "14")
        await repo.roles.toggle_region(ORGANISER, "16")
        await repo.roles.toggle_region(SAMARA, "63")
        for name, (region, status) in TOS.items():
            await repo.tos_registry.add(
                name=name,
                region_code=region,
                municipality="г. Казань",
                territory_type="building",
                boundaries="ул. Солнечная, дом 5",
                charter_registered_on=NOW.date(),
                charter_number="ТОС-1",
                ogrn=None,
                status=status,
                chair_id=603 if name == "Солнечный" else None,
                created_at=NOW,
            )

        school = await repo.events.add(
            **_event(capacity=3, questions=["Ваш ТОС?"], title="Школа ТОС «Старт»")
        )
        await _sign(repo, school.id, 601, "signed_up", 60, answers=["Солнечный"])
        await _sign(repo, school.id, 602, "signed_up", 50, answers=["—"])
        await _sign(repo, school.id, 603, "offered", 40, answers=["Солнечный"])
        await _sign(repo, school.id, 604, "waitlisted", 30, answers=[""])
        await _sign(repo, school.id, 605, "pending", 20, answers=["Северный"])
        await _sign(repo, school.id, RESIDENT, "cancelled", 10, answers=[""])
        webinar = await repo.events.add(
            **_event(
                kind="webinar",
                title="Вебинар о грантах",
                starts_at=NOW - timedelta(days=2),
                format="online",
                online_link="https://example.org/w",
                address=None,
            )
        )
        ended = NOW - timedelta(days=2) + timedelta(hours=2)
        for uid, minutes, rating, comment in (
            (601, 90, 5, "Отлично"),
            (602, 80, 4, "Полезно"),
            (603, 70, 4, None),
        ):
            await _sign(
                repo,
                webinar.id,
                uid,
                "attended",
                minutes + 3 * 24 * 60,
                attended_at=ended - timedelta(hours=1),
                rating=rating,
                comment=comment,
                feedback_at=ended + timedelta(minutes=minutes),
            )
        await _sign(repo, webinar.id, 604, "signed_up", 60 + 3 * 24 * 60)
        seminar = await repo.events.add(
            **_event(
                kind="seminar",
                title="Семинар в Самаре",
                status="draft",
                region_code="63",
                capacity=10,
                starts_at=NOW + timedelta(days=3),
                tz="Europe/Samara",
                organiser_id=SAMARA,
            )
        )
        meeting = await repo.events.add(
            **_event(
                kind="meeting",
                title="Встреча в Якутске",
                region_code="14",
                starts_at=NOW + timedelta(days=10),
                tz="Asia/Yakutsk",
            )
        )
        await _sign(repo, meeting.id, 606, "signed_up", 5)
        cancelled = await repo.events.add(
            **_event(
                title="Отменённая встреча", status="cancelled", starts_at=NOW + timedelta(days=4)
            )
        )

        for topic, asker, status, hours, expert in (
            (1, 601, "new", 5, None),
            (1, 602, "taken", 30, 604),
            (2, 611, "new", 50, None),
            (3, 606, "new", 1, None),
            (1, 603, "answered", 80, 604),
        ):
            await repo.questions.add(
                asker_id=asker,
                topic_id=topic,
                text="Как зарегистрировать устав ТОС?",
                attachments=[],
                show_contacts=False,
                may_publish=False,
                status=status,
                expert_id=expert,
                created_at=NOW - timedelta(hours=hours),
                waiting_since=NOW - timedelta(hours=hours),
                follow_up_used=False,
            )

        b_done = await _broadcast(
            repo, ORGANISER, "done", {601: "sent", 602: "blocked", 603: "failed"}, timedelta(days=1)
        )
        b_sending = await _broadcast(
            repo,
            SAMARA,
            "sending",
            {611: "sent", 612: "sent", SAMARA: "pending", 621: "pending"},
            timedelta(seconds=60),
        )
        b_stopped = await _broadcast(
            repo, ORGANISER, "stopped", {604: "sent", 605: "cancelled"}, timedelta(hours=5)
        )
    return World(
        school.id, webinar.id, seminar.id, meeting.id, cancelled.id, b_done, b_sending, b_stopped
    )
