"""Attendance and feedback through the production dispatcher: the participant's code and QR,
the organiser's check-in desk and the scanned QR link, the online code word, the feedback
request with ratings and comments, the summary, and everyone who may not do these things."""

from __future__ import annotations

import io
import json
import logging
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import zxingcpp
from PIL import Image

from bot.jobs import request_feedback, send_feedback_requests
from bot.services import events
from bot.services.roles import Role
from bot.ui.callbacks.events import EvAdminAction, EvAdminCb, EventAction, EventCb, FbCb
from bot.ui.texts import local_time
from handlers.attendance import CheckInDesk, CodeWordSetting, Feedback
from tests.dialogs.test_registration import state_of
from tests.harness import App

ORGANISER, ORGANISER_EN, FAR_ORGANISER, RESIDENT = 60_000, 60_001, 60_002, 60_003
PEOPLE = range(60_010, 60_016)


def name(uid: int) -> str:
    return f"Участник {uid}"


async def person(app: App, uid: int, lang: str = "ru", region: str = "14") -> None:
    now = datetime.now(UTC)
    async with app.repo() as repo:
        await repo.users.ensure(uid, lang, now)
        await repo.users.save_profile(
            uid,
            {
                "full_name": name(uid),
                "phone": "+79123456789",
                "region_code": region,
                "municipality": "г. Якутск",
                "kind": "resident",
                "registered_at": now,
            },
        )
        await repo.roles.grant(uid, Role.RESIDENT.value, now)


async def cast(app: App) -> None:
    """Organisers of Yakutia (ru, en), one of Tatarstan, a resident, and six participants
    (the first two English-speaking)."""
    for uid, lang, region in (
        (ORGANISER, "ru", "14"),
        (ORGANISER_EN, "en", "14"),
        (FAR_ORGANISER, "ru", "16"),
    ):
        await person(app, uid, lang, region)
        async with app.repo() as repo:
            await repo.roles.grant(uid, Role.ORGANISER.value, datetime.now(UTC))
            await repo.roles.toggle_region(uid, region)
    await person(app, RESIDENT)
    for n, uid in enumerate(PEOPLE):
        await person(app, uid, "en" if n < 2 else "ru")


async def an_event(app: App, starts_in: timedelta, **overrides: object) -> int:
    now = datetime.now(UTC)
    fields: dict[str, object] = {
        "kind": "school",
        "title": "Школа <ТОС>",
        "description": "Как создать ТОС",
        "starts_at": now + starts_in,
        "duration_minutes": 120,
        "tz": "Asia/Yakutsk",
        "format": "offline",
        "online_link": None,
        "address": "г. Якутск, ул. Ленина, 1",
        "capacity": None,
        "registration_deadline": None,
        "audience_regions": [],
        "needs_approval": False,
        "questions": [],
        "status": "published",
        "region_code": "14",
        "organiser_id": ORGANISER,
        "created_at": now - timedelta(days=30),
    }
    fields.update(overrides)
    async with app.repo() as repo:
        return (await repo.events.add(**fields)).id


async def sign(app: App, event_id: int, uid: int) -> str:
    """Sign up as if a month ago; the check-in code."""
    async with app.repo() as repo:
        result = await events.sign_up(
            repo, event_id, uid, [], datetime.now(UTC) - timedelta(days=30)
        )
    assert result.signup is not None and result.signup.checkin_code is not None
    return result.signup.checkin_code


async def status(app: App, event_id: int, uid: int) -> str:
    async with app.repo() as repo:
        signup = await repo.signups.of(event_id, uid)
        assert signup is not None
        return signup.status


def admin_button(action: EvAdminAction, event_id: int) -> str:
    return EvAdminCb(action=action, event_id=event_id).pack()


TITLE = "Школа &lt;ТОС&gt;"  # the title as it goes out in HTML


@pytest.mark.parametrize("lang", ["ru", "en"])
async def test_participant_sees_code_and_qr(app: App, lang: str) -> None:
    await cast(app)
    uid = PEOPLE[0] if lang == "en" else PEOPLE[2]
    c, t = app.client(uid), app.t(lang)
    offline = await an_event(app, timedelta(days=1))
    code = await sign(app, offline, uid)
    await c.click_data(EventCb(action=EventAction.CODE, event_id=offline).pack(), check=False)
    # (The event is a day away, so the day-before reminder went out too: skip it.)
    photo = next(s for s in reversed(app.api.sent_to(uid)) if s.method == "sendPhoto")
    assert photo.raw_text == t("attendance-code", title=TITLE, code=code)
    assert f"<b>{code}</b>" in (photo.raw_text or "")
    assert photo.call.message is not None
    file_id = photo.call.message["photo"][-1]["file_id"]
    png = app.api.files[file_id].content
    decoded = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]
    assert decoded == [f"https://t.me/tos_test_bot?start=ci_{offline}_{code}"]

    # Not signed up, an online event, already checked in: an alert and no photo.
    online = await an_event(app, timedelta(days=1), format="online", online_link="https://x.org")
    await sign(app, online, uid)
    other = await an_event(app, timedelta(days=1))
    photos = len([c for c in app.api.calls if c.method == "sendPhoto"])
    await c.click_data(EventCb(action=EventAction.CODE, event_id=other).pack(), check=False)
    await c.click_data(EventCb(action=EventAction.CODE, event_id=online).pack(), check=False)
    async with app.repo() as repo:
        signup = await repo.signups.of(offline, uid)
        assert signup is not None
        signup.status = "attended"
    await c.click_data(EventCb(action=EventAction.CODE, event_id=offline).pack(), check=False)
    assert c.alerts() == [
        t("attendance-not-participant"),
        t("attendance-code-online"),
        t("attendance-code-attended"),
    ]
    assert len([c for c in app.api.calls if c.method == "sendPhoto"]) == photos


@pytest.mark.parametrize("lang", ["ru", "en"])
async def test_organiser_checks_in_by_typed_codes(app: App, lang: str) -> None:
    await cast(app)
    uid = ORGANISER if lang == "ru" else ORGANISER_EN
    o, t = app.client(uid), app.t(lang)
    # Starts in an hour: check-in opened an hour ago.
    event_id = await an_event(app, timedelta(hours=1))
    codes = [await sign(app, event_id, p) for p in PEOPLE[:3]]
    async with app.repo() as repo:
        cancelled = await repo.signups.of(event_id, PEOPLE[2])
        assert cancelled is not None
        cancelled.status = "cancelled"
    await o.click_data(admin_button(EvAdminAction.CHECKIN, event_id), check=False)
    assert await state_of(app, uid) == CheckInDesk.typing_codes.state
    async with app.repo() as repo:
        found = await repo.events.get(event_id)
        assert found is not None
        starts = found.starts_at
    assert o.last_text() == t(
        "attendance-checkin-intro",
        title=TITLE,
        opens=local_time(starts - timedelta(hours=2), "Asia/Yakutsk"),
        closes=local_time(starts + timedelta(hours=8), "Asia/Yakutsk"),
        attended=0,
        total=2,
    )

    # Right: lower case, spaces inside.
    await o.send(f"{codes[0][:3].lower()} {codes[0][3:].lower()}")
    assert o.last_text() == t("attendance-checked-in", name=name(PEOPLE[0]), attended=1, total=2)
    assert await status(app, event_id, PEOPLE[0]) == "attended"
    # Reused: the time of the first check-in, in the event's zone.
    await o.send(codes[0])
    async with app.repo() as repo:
        first = await repo.signups.of(event_id, PEOPLE[0])
        assert first is not None and first.attended_at is not None
        at = f"{first.attended_at.astimezone(ZoneInfo('Asia/Yakutsk')):%H:%M}"
    assert o.last_text() == t("attendance-checked-in-already", name=name(PEOPLE[0]), time=at)
    # Wrong, a cancelled sign-up's code, a sticker.
    await o.send("ZZZ ZZZ")
    assert o.last_text() == t("attendance-code-wrong")
    await o.send("привет")
    assert o.last_text() == t("attendance-code-wrong")
    await o.send(codes[2])
    assert o.last_text() == t(
        "attendance-code-not-confirmed", name=name(PEOPLE[2]), status="cancelled"
    )
    await o.send_sticker()
    assert o.last_text() == t("common-expected-text")
    # A command is a command, not a code (routers after this one have commands too).
    await o.send("/no_such_command")
    assert o.last_text() == t("fallback-not-understood")
    assert await state_of(app, uid) == CheckInDesk.typing_codes.state

    # Outside the window (moved to start in 3 hours): closed, nobody marked.
    async with app.repo() as repo:
        moved = await repo.events.get(event_id)
        assert moved is not None
        moved.starts_at = datetime.now(UTC) + timedelta(hours=3)
    await o.send(codes[1])
    assert o.last_text() == t("attendance-checkin-closed")
    assert await status(app, event_id, PEOPLE[1]) == "signed_up"

    await o.click(t("attendance-done-button"))
    assert o.last_text() == t("attendance-checkin-finished", attended=1, total=2)
    assert await state_of(app, uid) is None
    # /cancel leaves the desk too.
    await o.click_data(admin_button(EvAdminAction.CHECKIN, event_id), check=False)
    await o.send("/cancel")
    assert o.last_text() == t("common-cancelled")
    assert await state_of(app, uid) is None


async def test_check_in_refused_to_those_who_do_not_manage_the_event(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    await cast(app)
    t = app.t()
    event_id = await an_event(app, timedelta(hours=1))
    code = await sign(app, event_id, PEOPLE[2])
    resident, far = app.client(RESIDENT), app.client(FAR_ORGANISER)
    participant = app.client(PEOPLE[2])
    with caplog.at_level(logging.WARNING, logger="bot.security"):
        for c in (resident, far, participant):
            before = len(c.alerts())  # (alerts of every chat)
            for action in (EvAdminAction.CHECKIN, EvAdminAction.SUMMARY, EvAdminAction.CODE_WORD):
                await c.click_data(admin_button(action, event_id), check=False)
            assert c.alerts()[before:] == [t("common-not-allowed")] * 3
            assert await state_of(app, c.user_id) is None
            assert not any(
                s.method == "sendMessage" and not (s.raw_text or "").startswith("⏰")  # reminders
                for s in app.api.sent_to(c.user_id)
            )
    refusals = [r for r in caplog.records if r.name == "bot.security"]
    assert len(refusals) == 9 and all(r.levelno == logging.WARNING for r in refusals)
    assert all(name(PEOPLE[2]) not in r.getMessage() for r in refusals)  # no names in logs

    # An organiser whose role is taken away mid check-in: refused at the next code.
    o = app.client(ORGANISER)
    await o.click_data(admin_button(EvAdminAction.CHECKIN, event_id), check=False)
    async with app.repo() as repo:
        await repo.roles.revoke(ORGANISER, Role.ORGANISER.value)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="bot.security"):
        await o.send(code)
    assert o.last_text() == t("common-not-allowed")
    assert any("check-in" in r.getMessage() for r in caplog.records)
    assert await status(app, event_id, PEOPLE[2]) == "signed_up"
    assert await state_of(app, ORGANISER) is None


async def test_scanned_qr_link_checks_in_only_for_the_organiser(app: App) -> None:
    await cast(app)
    t = app.t()
    event_id = await an_event(app, timedelta(hours=1))
    code = await sign(app, event_id, PEOPLE[2])
    link = f"/start ci_{event_id}_{code}"
    # The participant (or anyone else) scanning it: told to show it, nothing marked.
    for uid in (PEOPLE[2], RESIDENT, FAR_ORGANISER):
        c = app.client(uid)
        await c.send(link)
        assert t("attendance-show-to-organiser") in c.texts()
    assert await status(app, event_id, PEOPLE[2]) == "signed_up"
    o = app.client(ORGANISER)
    await o.send(link)
    assert t("attendance-checked-in", name=name(PEOPLE[2]), attended=1, total=1) in o.texts()
    assert await status(app, event_id, PEOPLE[2]) == "attended"
    await o.send(link)  # scanned twice
    assert sum("☑️" in x for x in o.texts()) == 1
    # A payload that is not strictly a check-in code does nothing.
    before = len(o.texts())
    await o.send(f"/start ci_{event_id}_{code.lower()}")
    assert not any("✅" in x or "☑️" in x for x in o.texts()[before:])


async def test_online_code_word(app: App) -> None:
    await cast(app)
    t, en = app.t(), app.t("en")
    o = app.client(ORGANISER)
    online = await an_event(
        app, -timedelta(minutes=10), format="online", online_link="https://example.org/w"
    )
    later = await an_event(
        app, timedelta(hours=3), format="hybrid", online_link="https://example.org/w2"
    )
    offline = await an_event(app, timedelta(hours=3))
    for event_id in (online, later):
        for uid in PEOPLE[:4]:
            await sign(app, event_id, uid)

    await o.click_data(admin_button(EvAdminAction.CODE_WORD, offline), check=False)
    assert o.alerts() == [t("attendance-word-offline")]
    await o.click_data(admin_button(EvAdminAction.CODE_WORD, online), check=False)
    assert o.last_text() == t("attendance-word-ask", title=TITLE)
    assert await state_of(app, ORGANISER) == CodeWordSetting.typing_word.state
    for bad, key in (("ab", "attendance-word-invalid"), ("два слова", "attendance-word-invalid")):
        await o.send(bad)
        assert o.last_text() == t(key)
    await o.send_sticker()
    assert o.last_text() == t("common-expected-text")
    await o.send("Ёлка")
    assert o.last_text() == t("attendance-word-set", title=TITLE, word="ёлка")
    assert await state_of(app, ORGANISER) is None
    # The hybrid event later today gets the same word; the card shows the current one.
    await o.click_data(admin_button(EvAdminAction.CODE_WORD, later), check=False)
    await o.send("ЁЛКА")
    await o.click_data(admin_button(EvAdminAction.CODE_WORD, later), check=False)
    assert t("attendance-word-current", word="ёлка") in (o.last_text() or "")
    await o.send("/cancel")

    ru, english = app.client(PEOPLE[2]), app.client(PEOPLE[0], "en")
    await ru.send("ЁЛКА")
    assert ru.last_text() == t("attendance-word-recorded", title=TITLE)
    await ru.send("ёлка")
    assert ru.last_text() == t("attendance-word-already", title=TITLE)
    await english.send("Ёлка")
    assert english.last_text() == en("attendance-word-recorded", title=TITLE)
    assert await status(app, online, PEOPLE[0]) == "attended"
    assert await status(app, later, PEOPLE[0]) == "signed_up"  # not its time yet
    # Other text by the same person still reaches the other handlers.
    await ru.send("привет")
    assert ru.last_text() == t("fallback-not-understood")
    await ru.send("Ёлки")
    assert ru.last_text() == t("fallback-not-understood")
    # Someone not signed up: the word is just a word.
    stranger = app.client(RESIDENT)
    await stranger.send("ёлка")
    assert stranger.last_text() == t("fallback-not-understood")
    # In the middle of a dialog the word is an answer to that dialog, not a check-in.
    mid = app.client(PEOPLE[3])
    await mid.send("/register_tos")
    await mid.send("Ёлка")
    assert await status(app, online, PEOPLE[3]) == "signed_up"
    assert await state_of(app, PEOPLE[3]) != CodeWordSetting.typing_word.state
    await mid.send("/cancel")

    # Outside the window: the online event ended more than an hour ago.
    async with app.repo() as repo:
        ended = await repo.events.get(online)
        assert ended is not None
        ended.starts_at = datetime.now(UTC) - timedelta(hours=3, minutes=1)
    await mid.send("ёлка")
    assert mid.last_text() == t("attendance-word-closed", title=TITLE)
    assert await status(app, online, PEOPLE[3]) == "signed_up"


ATTENDED_AT = datetime(2026, 11, 30, 6, 5, tzinfo=UTC)


async def feedback_event(app: App) -> int:
    """An event that ended 2 hours ago: two came (en, ru), one did not, one cancelled."""
    event_id = await an_event(app, -timedelta(hours=4))
    for uid in PEOPLE[:4]:
        await sign(app, event_id, uid)
    async with app.repo() as repo:
        for uid, state in (
            (PEOPLE[0], "attended"),
            (PEOPLE[2], "attended"),
            (PEOPLE[3], "cancelled"),
        ):
            signup = await repo.signups.of(event_id, uid)
            assert signup is not None
            signup.status = state
            if state == "attended":
                signup.attended_at = ATTENDED_AT
    return event_id


async def test_feedback_request_rating_comment_and_summary(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    await cast(app)
    t, en = app.t(), app.t("en")
    event_id = await feedback_event(app)
    now = datetime.now(UTC)
    assert await send_feedback_requests(app.session_factory, now) == 2
    # The second run through the scheduled job itself: nothing twice.
    assert app.application.scheduler.get_job("request_feedback") is not None
    assert await request_feedback(app.session_factory) == 0
    await app.application.outbox.drain(wait=True)  # the outbox sends them
    ru, english = app.client(PEOPLE[2]), app.client(PEOPLE[0], "en")
    assert ru.texts() == [t("attendance-feedback-ask", title=TITLE)]
    assert english.texts() == [en("attendance-feedback-ask", title=TITLE)]
    assert ru.buttons() == [t("attendance-rating-button", rating=r) for r in range(1, 6)]
    for uid in (PEOPLE[1], PEOPLE[3], RESIDENT):  # did not come, cancelled, a stranger
        assert app.api.sent_to(uid) == []

    # A rating, then a changed rating: one comment prompt only.
    await ru.click(t("attendance-rating-button", rating=4))
    assert t("attendance-feedback-rated", title=TITLE, rating=4) in ru.texts()
    assert ru.last_text() == t("attendance-comment-ask")
    assert await state_of(app, PEOPLE[2]) == Feedback.typing_comment.state
    await ru.click_data(FbCb(event_id=event_id, rating=2).pack())
    await ru.click_data(FbCb(event_id=event_id, rating=2).pack())  # a double click
    assert ru.texts().count(t("attendance-comment-ask")) == 1
    assert ru.texts()[-1] == t("attendance-feedback-rated", title=TITLE, rating=2)
    await ru.send_sticker()
    assert ru.last_text() == t("common-expected-text")
    await ru.send("я" * 2001)
    assert ru.last_text() == t("attendance-comment-too-long", max=2000)
    await ru.send("<b>Спасибо</b>, было полезно")
    assert ru.last_text() == t("attendance-comment-saved")
    assert await state_of(app, PEOPLE[2]) is None

    await english.click(en("attendance-rating-button", rating=5))
    await english.click(en("attendance-skip-button"))
    assert english.last_text() == en("attendance-comment-skipped")
    assert await state_of(app, PEOPLE[0]) is None
    async with app.repo() as repo:
        rated = await repo.signups.of(event_id, PEOPLE[2])
        skipped = await repo.signups.of(event_id, PEOPLE[0])
        assert rated is not None and skipped is not None
        assert (rated.rating, rated.comment) == (2, "<b>Спасибо</b>, было полезно")
        assert (skipped.rating, skipped.comment) == (5, None)

    # Forged ratings: one who did not come, a stranger, an impossible rating.
    with caplog.at_level(logging.WARNING, logger="bot.security"):
        for uid, rating in ((PEOPLE[1], 5), (RESIDENT, 1), (PEOPLE[0], 9)):
            forger = app.client(uid)
            await forger.click_data(FbCb(event_id=event_id, rating=rating).pack(), check=False)
            assert forger.alerts()[-1] == app.t("en" if uid in PEOPLE[:2] else "ru")(
                "common-not-allowed"
            )
    assert sum("rating" in r.getMessage() for r in caplog.records) == 3
    async with app.repo() as repo:
        assert await repo.signups.ratings(event_id) == {2: 1, 5: 1}

    # The summary: 3 confirmed (2 came, 67%), average (2 + 5) / 2 = 3.5, one comment, escaped.
    o, o_en = app.client(ORGANISER), app.client(ORGANISER_EN)
    await o.click_data(admin_button(EvAdminAction.SUMMARY, event_id), check=False)
    await o_en.click_data(admin_button(EvAdminAction.SUMMARY, event_id), check=False)
    text, text_en = o.last_text() or "", o_en.last_text() or ""
    for part in (
        "Записались: 3",
        "Пришли: 2 (67%)",
        "Оценок: 2, средняя: 3,5",
        "5 ⭐ — 1\n4 ⭐ — 0\n3 ⭐ — 0\n2 ⭐ — 1\n1 ⭐ — 0",
        "• &lt;b&gt;Спасибо&lt;/b&gt;, было полезно",
    ):
        assert part in text, part
    for part in ("Signed up: 3", "Present: 2 (67%)", "Ratings: 2, average: 3.5"):
        assert part in text_en, part
    assert name(PEOPLE[2]) not in text  # comments are anonymous

    # /my_data carries the sign-up's attendance and feedback.
    await ru.send("/my_data")
    document = app.api.sent_to(PEOPLE[2])[-1].call.message
    assert document is not None
    stored = next(f for f in app.api.files.values() if f.file_id == document["document"]["file_id"])
    signup = json.loads(stored.content)["event_signups"][0]
    assert (signup["status"], signup["rating"]) == ("attended", 2)
    assert signup["comment"] == "<b>Спасибо</b>, было полезно"
    assert signup["attended_at"] == ATTENDED_AT.isoformat()
    assert signup["feedback_at"] and signup["checkin_code"]


async def test_summary_without_ratings_and_rating_mid_dialog(app: App) -> None:
    await cast(app)
    t = app.t()
    event_id = await feedback_event(app)
    o = app.client(ORGANISER)
    await o.click_data(admin_button(EvAdminAction.SUMMARY, event_id), check=False)
    assert t("attendance-summary-no-ratings") in (o.last_text() or "")
    assert "⭐" not in (o.last_text() or "")
    await send_feedback_requests(app.session_factory, datetime.now(UTC))
    await app.application.outbox.drain(wait=True)
    # Someone in the middle of another dialog rates: the rating counts, no comment is asked,
    # and their dialog stays where it was.
    ru = app.client(PEOPLE[2])
    await ru.send("/register_tos")
    before = await state_of(app, PEOPLE[2])
    await ru.click_data(FbCb(event_id=event_id, rating=3).pack())
    assert await state_of(app, PEOPLE[2]) == before
    assert t("attendance-comment-ask") not in ru.texts()
    async with app.repo() as repo:
        assert await repo.signups.ratings(event_id) == {3: 1}
