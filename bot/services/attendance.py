"""Attendance and feedback: check-in codes at the door, the online code word, ratings and the
organiser's summary.

Windows (inclusive at both edges):
- check-in by code: from 2 hours before the start to 6 hours after the end, so an organiser can
  also mark people afterwards from a paper list;
- the online code word: from 15 minutes before the start to 1 hour after the end;
- feedback is asked once, from 1 hour after the end, for events that ended at most 7 days ago.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from bot.services.event_admin import can_manage
from bot.services.events import CODE_ALPHABET, CODE_LENGTH
from bot.services.validation import InvalidInput
from db.models import Event, Signup
from db.repositories import Repo

CHECKIN_BEFORE = timedelta(hours=2)
CHECKIN_AFTER = timedelta(hours=6)
WORD_BEFORE = timedelta(minutes=15)
WORD_AFTER = timedelta(hours=1)
FEEDBACK_DELAY = timedelta(hours=1)
FEEDBACK_MAX_AGE = timedelta(days=7)
# Longest event the organisers' form allows (14 days): bounds the scans by start time.
LONGEST_EVENT = timedelta(days=14)
# A code word sent this far around an event is still recognised (and answered "not now");
# beyond it the text is an ordinary message for the other dialogs.
WORD_RECOGNISED = timedelta(days=1)

WORD_MIN, WORD_MAX = 3, 32
COMMENT_MAX = 2000
COMMENTS_SHOWN = 10
RATINGS = range(1, 6)

IN_PERSON = ("offline", "hybrid")
ONLINE = ("online", "hybrid")

_SPACES = re.compile(r"\s+")


class CheckIn(StrEnum):
    DONE = "done"
    ALREADY = "already"  # a reused code
    WRONG = "wrong"  # no such code for this event
    CLOSED = "closed"  # outside the window, or the event is not running
    NOT_CONFIRMED = "not_confirmed"  # the code's sign-up is waitlisted, pending or cancelled
    NOT_ALLOWED = "not_allowed"  # the sender does not manage the event


@dataclass(frozen=True, slots=True)
class CheckInResult:
    outcome: CheckIn
    event: Event | None = None
    signup: Signup | None = None
    name: str | None = None


class Word(StrEnum):
    RECORDED = "recorded"
    ALREADY = "already"
    CLOSED = "closed"


def ends_at(event: Event) -> datetime:
    return event.starts_at + timedelta(minutes=event.duration_minutes)


def checkin_open(event: Event, now: datetime) -> bool:
    return event.starts_at - CHECKIN_BEFORE <= now <= ends_at(event) + CHECKIN_AFTER


def word_open(event: Event, now: datetime) -> bool:
    return event.starts_at - WORD_BEFORE <= now <= ends_at(event) + WORD_AFTER


def normalise_code(raw: str | None) -> str | None:
    """ "ac d3 ef" → "ACD3EF"; None when it cannot be a check-in code at all."""
    code = _SPACES.sub("", raw or "").upper()
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


async def check_in(
    repo: Repo, organiser_id: int, event_id: int, raw_code: str | None, now: datetime
) -> CheckInResult:
    """Mark the holder of the code as attended; permission is checked here on every code."""
    event = await repo.events.get(event_id, for_update=True)
    if event is None or not await can_manage(repo, organiser_id, event):
        return CheckInResult(CheckIn.NOT_ALLOWED)
    if event.status != "published" or not checkin_open(event, now):
        return CheckInResult(CheckIn.CLOSED, event)
    code = normalise_code(raw_code)
    signup = await repo.signups.by_code(event_id, code) if code else None
    if signup is None:
        return CheckInResult(CheckIn.WRONG, event)
    person = await repo.users.get(signup.user_id)
    name = person.full_name if person is not None else None
    if signup.status == "attended":
        return CheckInResult(CheckIn.ALREADY, event, signup, name)
    if signup.status != "signed_up":
        return CheckInResult(CheckIn.NOT_CONFIRMED, event, signup, name)
    _mark(signup, now)
    await repo.session.flush()
    return CheckInResult(CheckIn.DONE, event, signup, name)


def _mark(signup: Signup, now: datetime) -> None:
    signup.status = "attended"
    signup.attended_at = signup.updated_at = now


async def attendance_counts(repo: Repo, event_id: int) -> tuple[int, int]:
    """(attended, confirmed participants: signed up or attended)."""
    counts = await repo.signups.counts(event_id)
    attended = counts.get("attended", 0)
    return attended, attended + counts.get("signed_up", 0)


def code_word(raw: str | None) -> str:
    """One word of 3-32 letters or digits, stored lower-case (compared case-insensitively)."""
    word = unicodedata.normalize("NFC", raw or "").strip()
    if not word:
        raise InvalidInput("attendance-word-empty")
    if not word.isalnum() or not WORD_MIN <= len(word) <= WORD_MAX:
        raise InvalidInput("attendance-word-invalid")
    return word.lower()


async def set_code_word(repo: Repo, organiser_id: int, event_id: int, raw: str | None) -> Event:
    """Raises InvalidInput for a bad word, PermissionError for someone who may not manage it."""
    event = await repo.events.get(event_id)
    if event is None or not await can_manage(repo, organiser_id, event):
        raise PermissionError(event_id)
    event.code_word = code_word(raw)
    await repo.session.flush()
    return event


def looks_like_word(text: str | None) -> bool:
    """A cheap test before any query: could this message be a code word at all?"""
    if text is None or not WORD_MIN <= len(text.strip()) <= WORD_MAX:
        return False
    return unicodedata.normalize("NFC", text.strip()).isalnum()


async def word_matches(
    repo: Repo, user_id: int, text: str, now: datetime
) -> list[tuple[Event, Signup]]:
    """The sender's sign-ups for events whose code word this is, near enough in time to answer
    (one query on the person's sign-ups). Empty: the text is not a code word for them."""
    word = unicodedata.normalize("NFC", text.strip()).lower()
    found = await repo.signups.with_code_word(
        user_id, word, now - LONGEST_EVENT - WORD_RECOGNISED, now + WORD_RECOGNISED
    )
    return [
        (event, signup)
        for event, signup in found
        if event.starts_at - WORD_RECOGNISED <= now <= ends_at(event) + WORD_RECOGNISED
    ]


async def record_word(
    repo: Repo, matches: list[tuple[Event, Signup]], now: datetime
) -> tuple[Word, Event]:
    """Mark attendance for the event whose window is open now (there is normally just one)."""
    for event, signup in matches:
        if signup.status == "attended" and word_open(event, now):
            return Word.ALREADY, event
    for event, signup in matches:
        if event.status == "published" and word_open(event, now):
            _mark(signup, now)
            await repo.session.flush()
            return Word.RECORDED, event
    attended = [event for event, signup in matches if signup.status == "attended"]
    return (Word.ALREADY, attended[0]) if attended else (Word.CLOSED, matches[0][0])


@dataclass(frozen=True, slots=True)
class FeedbackRequest:
    event_id: int
    title: str
    recipients: list[tuple[int, str]]  # (user id, language)


async def claim_feedback(repo: Repo, now: datetime) -> list[FeedbackRequest]:
    """Events that ended 1 hour to 7 days ago and were not asked yet: mark them asked and
    return whom to ask (the attendees). Claimed atomically, so a second run sends nothing."""
    requests = []
    due = await repo.events.feedback_due(
        now - FEEDBACK_MAX_AGE - LONGEST_EVENT, now - FEEDBACK_DELAY
    )
    for event in due:
        ended = ends_at(event)
        if not now - FEEDBACK_MAX_AGE <= ended <= now - FEEDBACK_DELAY:
            continue
        if not await repo.events.claim_feedback(event.id, now):
            continue
        people = await repo.signups.participants(event.id, ["attended"])
        requests.append(
            FeedbackRequest(
                event.id,
                event.title,
                [(person.id, person.language) for _, person in people],
            )
        )
    return requests


class Rated(StrEnum):
    FIRST = "first"  # ask for a comment
    CHANGED = "changed"
    SAME = "same"
    NOT_ALLOWED = "not_allowed"


async def rate(
    repo: Repo, user_id: int, event_id: int, rating: int, now: datetime
) -> tuple[Rated, Event | None]:
    """Only those who attended rate, 1 to 5; rating again changes the rating."""
    signup = await repo.signups.of(event_id, user_id)
    if signup is None or signup.status != "attended" or rating not in RATINGS:
        return Rated.NOT_ALLOWED, None
    event = await repo.events.get(event_id)
    before = signup.rating
    if before == rating:
        return Rated.SAME, event
    signup.rating, signup.feedback_at = rating, now
    await repo.session.flush()
    return (Rated.FIRST if before is None else Rated.CHANGED), event


def comment(raw: str | None) -> str:
    value = (raw or "").strip()
    if not value:
        raise InvalidInput("attendance-comment-empty")
    if len(value) > COMMENT_MAX:
        raise InvalidInput("attendance-comment-too-long")
    return value


async def save_comment(
    repo: Repo, user_id: int, event_id: int, raw: str | None, now: datetime
) -> bool:
    """Raises InvalidInput for an empty or too long comment; False if the person may not."""
    text = comment(raw)
    signup = await repo.signups.of(event_id, user_id)
    if signup is None or signup.status != "attended" or signup.rating is None:
        return False
    signup.comment, signup.feedback_at = text, now
    await repo.session.flush()
    return True


@dataclass(frozen=True, slots=True)
class Summary:
    signed_up: int  # confirmed participants: signed up, attended included
    attended: int
    share: int  # attended of signed up, per cent
    ratings: int
    average: Decimal | None  # one decimal, half up
    distribution: dict[int, int]  # every rating 1..5, zeros included
    comments: list[str]  # newest first


def summarise(counts: dict[str, int], ratings: dict[int, int], comments: list[str]) -> Summary:
    attended = counts.get("attended", 0)
    signed_up = attended + counts.get("signed_up", 0)
    share = int(
        (Decimal(attended * 100) / signed_up).quantize(Decimal(1), ROUND_HALF_UP)
        if signed_up
        else 0
    )
    distribution = {r: ratings.get(r, 0) for r in RATINGS}
    total = sum(distribution.values())
    average = (
        (Decimal(sum(r * n for r, n in distribution.items())) / total).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )
        if total
        else None
    )
    return Summary(signed_up, attended, share, total, average, distribution, comments)


async def summary(repo: Repo, event_id: int) -> Summary:
    return summarise(
        await repo.signups.counts(event_id),
        await repo.signups.ratings(event_id),
        await repo.signups.last_comments(event_id, COMMENTS_SHOWN),
    )
