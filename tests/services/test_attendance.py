"""Attendance and feedback on the real SQLite file: check-in codes (wrong, expired, reused),
the code word's window, the feedback claim, ratings, and the summary's arithmetic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from bot.services import attendance, events
from bot.services.attendance import CheckIn, Rated, Word
from bot.services.event_links import checkin_from_payload, checkin_link
from bot.services.roles import Role
from bot.services.validation import InvalidInput
from tests.harness import ADMIN_ID, App
from tests.services.test_event_signups import event, people

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # the event's start in most tests
EARLIER = NOW - timedelta(days=3)  # when people signed up
END = NOW + timedelta(minutes=120)
ORGANISER, STRANGER_ORGANISER = 41_000, 41_001
SECOND = timedelta(seconds=1)


async def organisers(app: App) -> None:
    await people(app, range(ORGANISER, ORGANISER + 2))
    async with app.repo() as repo:
        for uid, region in ((ORGANISER, "14"), (STRANGER_ORGANISER, "16")):
            await repo.roles.grant(uid, Role.ORGANISER.value, EARLIER)
            await repo.roles.toggle_region(uid, region)


async def an_event(app: App, **overrides: object) -> int:
    fields: dict[str, object] = {
        "starts_at": NOW,
        "duration_minutes": 120,
        "registration_deadline": None,
        "created_at": EARLIER,
    }
    fields.update(overrides)
    return await event(app, **fields)


async def signed(app: App, event_id: int, user_id: int, at: datetime = EARLIER) -> str:
    """Sign up (as if days before the event) and return the check-in code."""
    async with app.repo() as repo:
        result = await events.sign_up(repo, event_id, user_id, [], at)
    assert result.signup is not None and result.signup.checkin_code is not None
    return result.signup.checkin_code


async def check(app: App, event_id: int, code: str, at: datetime, by: int = ORGANISER) -> CheckIn:
    async with app.repo() as repo:
        return (await attendance.check_in(repo, by, event_id, code, at)).outcome


async def status_of(app: App, event_id: int, user_id: int) -> tuple[str, datetime | None]:
    async with app.repo() as repo:
        signup = await repo.signups.of(event_id, user_id)
        assert signup is not None
        return signup.status, signup.attended_at


def test_check_in_link_round_trip() -> None:
    link = checkin_link("tos_test_bot", 42, "ACD3EF")
    assert link == "https://t.me/tos_test_bot?start=ci_42_ACD3EF"
    assert checkin_from_payload(link.split("start=")[1]) == (42, "ACD3EF")
    for bad in (
        None,
        "",
        "ci_42",
        "ci_42_",
        "ci_42_acd3ef",  # codes are made upper-case
        "ci_42_ACD3E0",  # 0 is not in the alphabet
        "ci_42_ACD3EFG",
        "ci_x_ACD3EF",
        "ci_42_ACD3EF\n",
        "ev_42",
        "ci_" + "9" * 13 + "_ACD3EF",
    ):
        assert checkin_from_payload(bad) is None


def test_code_normalisation() -> None:
    assert attendance.normalise_code(" ac d3\tef ") == "ACD3EF"
    for bad in (None, "", "ACD3E", "ACD3EFG", "ACD3E0", "ACD3EO", "ACD-3E"):
        assert attendance.normalise_code(bad) is None


async def test_check_in_codes_wrong_expired_reused(app: App) -> None:
    await organisers(app)
    await people(app, range(41_010, 41_014))
    offline = await an_event(app, format="offline", online_link=None, address="ул. Ленина, 1")
    other = await an_event(app, format="offline", capacity=1)
    first = await signed(app, offline, 41_010)
    second = await signed(app, offline, 41_011)
    elsewhere = await signed(app, other, 41_012)
    waiting = await signed(app, other, 41_013)  # capacity 1: on the waitlist

    # Expired: the window is [start - 2 h, end + 6 h], both edges included.
    opens, closes = NOW - timedelta(hours=2), END + timedelta(hours=6)
    assert await check(app, offline, first, opens - SECOND) is CheckIn.CLOSED
    assert await check(app, offline, first, closes + SECOND) is CheckIn.CLOSED
    assert await status_of(app, offline, 41_010) == ("signed_up", None)

    # Right (typed in lower case with spaces), then reused: the first time is kept.
    typed = " ".join([first[:3].lower(), first[3:].lower()])
    assert await check(app, offline, typed, opens) is CheckIn.DONE
    assert await status_of(app, offline, 41_010) == ("attended", opens)
    assert await check(app, offline, first, NOW) is CheckIn.ALREADY
    assert await status_of(app, offline, 41_010) == ("attended", opens)
    async with app.repo() as repo:
        result = await attendance.check_in(repo, ORGANISER, offline, first, NOW)
    assert result.name == "Участник 41010" and result.signup is not None
    assert result.signup.attended_at == opens

    # Wrong: garbage, a code of the same shape nobody holds, another event's code.
    unused = next(
        c for c in ("ACDEFG", "HJKMNP", "QRTUVW") if c not in (first, second, elsewhere, waiting)
    )
    for wrong in ("hello", "", unused, elsewhere):
        assert await check(app, offline, wrong, NOW) is CheckIn.WRONG
    # A waitlisted person's code is known but not a seat.
    assert await check(app, other, waiting, NOW) is CheckIn.NOT_CONFIRMED
    assert await status_of(app, other, 41_013) == ("waitlisted", None)

    # Who may check in: the region's organisers and admins only, checked on every code.
    assert await check(app, offline, second, NOW, by=STRANGER_ORGANISER) is CheckIn.NOT_ALLOWED
    assert await check(app, offline, second, NOW, by=41_012) is CheckIn.NOT_ALLOWED
    assert await check(app, 999_999, second, NOW) is CheckIn.NOT_ALLOWED
    assert await status_of(app, offline, 41_011) == ("signed_up", None)
    assert await check(app, offline, second, closes, by=ADMIN_ID) is CheckIn.DONE
    assert await attendance_counts(app, offline) == (2, 2)

    # A cancelled event takes no check-ins.
    async with app.repo() as repo:
        cancelled = await repo.events.get(other)
        assert cancelled is not None
        cancelled.status = "cancelled"
    assert await check(app, other, elsewhere, NOW) is CheckIn.CLOSED


async def attendance_counts(app: App, event_id: int) -> tuple[int, int]:
    async with app.repo() as repo:
        return await attendance.attendance_counts(repo, event_id)


def test_code_word_rules() -> None:
    assert attendance.code_word("  Ёлка2026 ") == "ёлка2026"
    assert attendance.code_word("abc") == "abc"
    assert attendance.code_word("x" * 32) == "x" * 32
    for bad, key in (
        ("", "attendance-word-empty"),
        ("   ", "attendance-word-empty"),
        ("ab", "attendance-word-invalid"),
        ("x" * 33, "attendance-word-invalid"),
        ("two words", "attendance-word-invalid"),
        ("слово!", "attendance-word-invalid"),
    ):
        with pytest.raises(InvalidInput) as caught:
            attendance.code_word(bad)
        assert caught.value.key == key
    assert attendance.looks_like_word("Ёлка2026")
    for not_word in (None, "ab", "two words", "/start", "x" * 33, "привет!"):
        assert not attendance.looks_like_word(not_word)


async def test_code_word_window_and_reuse(app: App) -> None:
    await organisers(app)
    await people(app, range(41_020, 41_024))
    online = await an_event(app)
    for uid in range(41_020, 41_023):
        await signed(app, online, uid)
    async with app.repo() as repo:
        with pytest.raises(PermissionError):
            await attendance.set_code_word(repo, STRANGER_ORGANISER, online, "Ёлка")
        saved = await attendance.set_code_word(repo, ORGANISER, online, "Ёлка")
        assert saved.code_word == "ёлка"

    async def send(uid: int, text: str, at: datetime) -> Word | None:
        async with app.repo() as repo:
            matches = await attendance.word_matches(repo, uid, text, at)
            if not matches:
                return None
            return (await attendance.record_word(repo, matches, at))[0]

    # The window is [start - 15 min, end + 1 h], both edges included.
    opens, closes = NOW - timedelta(minutes=15), END + timedelta(hours=1)
    assert await send(41_020, "ЁЛКА", opens - SECOND) is Word.CLOSED
    assert await status_of(app, online, 41_020) == ("signed_up", None)
    assert await send(41_020, "ЁЛКА", opens) is Word.RECORDED
    assert await status_of(app, online, 41_020) == ("attended", opens)
    assert await send(41_020, "ёлка", NOW) is Word.ALREADY  # reused
    assert await status_of(app, online, 41_020) == ("attended", opens)
    assert await send(41_021, "Ёлка", closes) is Word.RECORDED
    assert await send(41_022, "ёлка", closes + SECOND) is Word.CLOSED
    # Not a code word for them: someone not signed up, a wrong word, far from the event.
    assert await send(41_023, "ёлка", NOW) is None
    assert await send(41_022, "ёлки", NOW) is None
    assert await send(41_022, "ёлка", NOW + timedelta(days=3)) is None
    assert await send(41_022, "ёлка", NOW - timedelta(days=2)) is None
    assert await attendance_counts(app, online) == (2, 3)


async def feedback_claim(app: App, at: datetime) -> dict[int, list[tuple[int, str]]]:
    async with app.repo() as repo:
        return {r.event_id: r.recipients for r in await attendance.claim_feedback(repo, at)}


async def test_feedback_asked_once_from_an_hour_after_the_end(app: App) -> None:
    await people(app, range(41_030, 41_034))
    async with app.repo() as repo:
        await repo.users.set_language(41_031, "en")
    now = NOW + timedelta(days=2)
    # (ended this long before `now`, status): only the first two are due.
    due_exactly = await an_event(app, starts_at=now - timedelta(hours=1, minutes=120))
    due_week = await an_event(app, starts_at=now - timedelta(days=7, minutes=120))
    too_soon = await an_event(app, starts_at=now - timedelta(minutes=59 + 120))
    too_old = await an_event(app, starts_at=now - timedelta(days=7, minutes=120, seconds=1))
    long_one = await an_event(
        app, starts_at=now - timedelta(days=10), duration_minutes=9 * 24 * 60
    )  # started 10 days ago, ended a day ago: due
    draft = await an_event(app, starts_at=now - timedelta(days=1))
    everyone = (due_exactly, due_week, too_soon, too_old, long_one, draft)
    for event_id in everyone:
        for uid in range(41_030, 41_034):
            await signed(app, event_id, uid, at=NOW - timedelta(days=30))
    async with app.repo() as repo:
        found = await repo.events.get(draft)
        assert found is not None
        found.status = "draft"  # after the sign-ups, which a draft would not take
        for event_id in everyone:
            for uid in (41_030, 41_031):
                signup = await repo.signups.of(event_id, uid)
                assert signup is not None
                signup.status, signup.attended_at = "attended", now
        cancelled = await repo.signups.of(due_exactly, 41_032)
        assert cancelled is not None
        cancelled.status = "cancelled"

    claimed = await feedback_claim(app, now)
    assert sorted(claimed) == sorted([due_exactly, due_week, long_one])
    assert all(sorted(r) == [(41_030, "ru"), (41_031, "en")] for r in claimed.values())
    assert await feedback_claim(app, now) == {}  # a second run: nothing twice
    # The one that was too soon is due later, once.
    assert list(await feedback_claim(app, now + timedelta(minutes=1))) == [too_soon]
    async with app.repo() as repo:
        for event_id in everyone:
            found = await repo.events.get(event_id)
            assert found is not None
            asked = event_id in (due_exactly, due_week, long_one, too_soon)
            assert (found.feedback_requested_at is not None) == asked


async def test_rating_and_comment(app: App) -> None:
    await people(app, range(41_040, 41_042))
    event_id = await an_event(app)
    await signed(app, event_id, 41_040)
    await signed(app, event_id, 41_041)
    async with app.repo() as repo:
        signup = await repo.signups.of(event_id, 41_040)
        assert signup is not None
        signup.status = "attended"

    async def rate(uid: int, rating: int) -> Rated:
        async with app.repo() as repo:
            return (await attendance.rate(repo, uid, event_id, rating, NOW))[0]

    assert await rate(41_041, 5) is Rated.NOT_ALLOWED  # signed up, did not come
    assert await rate(41_042, 5) is Rated.NOT_ALLOWED  # a stranger
    assert await rate(41_040, 0) is Rated.NOT_ALLOWED
    assert await rate(41_040, 6) is Rated.NOT_ALLOWED
    assert await rate(41_040, 4) is Rated.FIRST
    assert await rate(41_040, 4) is Rated.SAME
    assert await rate(41_040, 2) is Rated.CHANGED
    async with app.repo() as repo:
        for bad, key in (
            ("  ", "attendance-comment-empty"),
            ("я" * 2001, "attendance-comment-too-long"),
        ):
            with pytest.raises(InvalidInput) as caught:
                await attendance.save_comment(repo, 41_040, event_id, bad, NOW)
            assert caught.value.key == key
        assert not await attendance.save_comment(repo, 41_041, event_id, "Отлично", NOW)
        assert await attendance.save_comment(repo, 41_040, event_id, " " + "я" * 2000, NOW)
        signup = await repo.signups.of(event_id, 41_040)
        assert signup is not None
        assert (signup.rating, signup.comment) == (2, "я" * 2000)


def test_summary_arithmetic() -> None:
    summary = attendance.summarise(
        {"signed_up": 1, "attended": 2, "waitlisted": 5, "cancelled": 3, "pending": 1},
        {5: 1, 4: 3},
        ["b", "a"],
    )
    assert (summary.signed_up, summary.attended, summary.share) == (3, 2, 67)
    assert summary.ratings == 4
    assert summary.average == Decimal("4.3")  # 17 / 4 = 4.25, half up
    assert summary.distribution == {1: 0, 2: 0, 3: 0, 4: 3, 5: 1}
    assert summary.comments == ["b", "a"]
    empty = attendance.summarise({}, {}, [])
    assert (empty.signed_up, empty.share, empty.ratings, empty.average) == (0, 0, 0, None)
    assert attendance.summarise({"attended": 1, "signed_up": 7}, {}, []).share == 13  # 12.5


async def test_summary_from_the_database(app: App) -> None:
    await people(app, range(41_050, 41_058))
    event_id = await an_event(app)
    for uid in range(41_050, 41_058):
        await signed(app, event_id, uid)
    # 8 signed up; 6 came; 1 cancelled. Ratings 5, 5, 4, 3, 1 (average 3.6); 3 comments.
    feedback = {
        41_050: (5, "Очень полезно"),
        41_051: (5, None),
        41_052: (4, "<b>Хорошо</b>"),
        41_053: (3, None),
        41_054: (1, "Плохо слышно"),
        41_055: (None, None),
    }
    async with app.repo() as repo:
        for n, (uid, (rating, comment)) in enumerate(feedback.items()):
            signup = await repo.signups.of(event_id, uid)
            assert signup is not None
            signup.status, signup.rating, signup.comment = "attended", rating, comment
            signup.feedback_at = NOW + timedelta(minutes=n) if rating else None
        cancelled = await repo.signups.of(event_id, 41_057)
        assert cancelled is not None
        cancelled.status = "cancelled"
    async with app.repo() as repo:
        summary = await attendance.summary(repo, event_id)
    assert (summary.signed_up, summary.attended, summary.share) == (7, 6, 86)
    assert (summary.ratings, summary.average) == (5, Decimal("3.6"))
    assert summary.distribution == {1: 1, 2: 0, 3: 1, 4: 1, 5: 2}
    assert summary.comments == ["Плохо слышно", "<b>Хорошо</b>", "Очень полезно"]
