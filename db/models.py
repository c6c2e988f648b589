"""Tables. Times are stored in UTC; Telegram ids are the users' primary keys."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Ids are 64-bit signed integers in both databases: a larger number can name nothing stored.
ID_LIMIT = 2**63


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out; SQLite keeps no zone, so it stores naive UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store UTC-aware datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UtcDateTime}  # noqa: RUF012 - SQLAlchemy's own API


class User(Base):
    """A person who talked to the bot. Before consent only `id` and `language` are kept."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    language: Mapped[str] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column()
    consent_at: Mapped[datetime | None] = mapped_column()
    consent_version: Mapped[str | None] = mapped_column(String(32))
    full_name: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(20))
    region_code: Mapped[str | None] = mapped_column(String(3))
    # The IANA zone chosen inside a region that has several (Yakutia); NULL: the region's.
    tz: Mapped[str | None] = mapped_column(String(64))
    municipality: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str | None] = mapped_column(String(16))
    registered_at: Mapped[datetime | None] = mapped_column()
    # Set when Telegram says the person blocked the bot (the outbox skips them).
    unreachable_at: Mapped[datetime | None] = mapped_column()
    # Kinds of messages the person turned off in /settings (bot/services/outbox.MUTABLE).
    muted_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Banned by an admin: their updates are dropped, nothing is sent to them, their questions
    # are hidden from the experts and the FAQ (bot/services/moderation.py).
    banned_at: Mapped[datetime | None] = mapped_column()


class UserRole(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(16), primary_key=True)
    granted_at: Mapped[datetime] = mapped_column()
    # Who granted it: an admin's id, or NULL for ADMIN_IDS bootstrap and self-declared roles.
    granted_by: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )


class AuditEntry(Base):
    """What an admin did, when, to whom (bot/services/audit.py): bans, role grants and
    revocations, invites, an organiser's regions. People are ids (names are read when
    shown); an erased person's id becomes NULL."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    action: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    detail: Mapped[str | None] = mapped_column(String(64))  # a role, a region's code


class Invite(Base):
    """A one-time link that grants a role. Only a hash of the token is stored."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column()
    expires_at: Mapped[datetime] = mapped_column()
    used_by: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    used_at: Mapped[datetime | None] = mapped_column()


class FsmRecord(Base):
    """aiogram dialog state, one row per storage key, so dialogs survive restarts."""

    __tablename__ = "fsm_states"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    state: Mapped[str | None] = mapped_column(String(255))
    data: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column()


class JobRun(Base):
    """A periodic job's run for one slot of its schedule (the slot's number since the epoch):
    every instance ticks, the one whose insert lands runs the job, so it runs once a slot."""

    __tablename__ = "job_runs"

    job: Mapped[str] = mapped_column(String(64), primary_key=True)
    slot: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    ran_at: Mapped[datetime] = mapped_column(index=True)


class HandledUpdate(Base):
    """An update already handled (its id, for a day): Telegram may deliver one twice (a
    webhook retry after a timeout, a poll after a crash), and the second delivery is skipped."""

    __tablename__ = "handled_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    handled_at: Mapped[datetime] = mapped_column(index=True)


class Erasure(Base):
    """An anonymous record that a person's data was erased on request (152-FZ art. 21)."""

    __tablename__ = "erasures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    erased_at: Mapped[datetime] = mapped_column()
    kept: Mapped[dict[str, int]] = mapped_column(JSON)


Index("ix_invites_expires_at", Invite.expires_at)


class TosProject(Base):
    """A person's TOS creation project: the wizard's answers, saved step by step."""

    __tablename__ = "tos_projects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # One project per person; it goes with them on erasure.
    owner_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    profile_id: Mapped[str] = mapped_column(String(32))
    step: Mapped[str] = mapped_column(String(32))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()
    generated_at: Mapped[datetime | None] = mapped_column()


class Tos(Base):
    """The registry of TOS. Entered by the wizard's tracker (or, later, /register_tos); stays
    "unverified" until an organiser or admin of its region verifies it."""

    __tablename__ = "tos"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    region_code: Mapped[str] = mapped_column(String(3), index=True)
    municipality: Mapped[str] = mapped_column(String(100))
    territory_type: Mapped[str] = mapped_column(String(32))
    boundaries: Mapped[str] = mapped_column(Text)
    charter_registered_on: Mapped[date]
    charter_number: Mapped[str] = mapped_column(String(50))
    # Set when the TOS is also a non-commercial organisation (legal entity).
    ogrn: Mapped[str | None] = mapped_column(String(13))
    status: Mapped[str] = mapped_column(String(16))  # unverified, verified, rejected
    chair_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column()
    # The TOS's yearly calendar as its chair set it: {"meeting"|"budget"|"report": "YYYY-MM-DD"}.
    calendar: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # Where the TOS is (a point its chair shared at registration), for "Find a TOS near me";
    # both or neither.
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)


class TosEstimate(Base):
    """A TOS's estimate of income and expenses for a year, as its chair entered it, and what
    was actually received and spent (for the report on its execution). Amounts in kopecks."""

    __tablename__ = "tos_estimates"

    tos_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("tos.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    # [[item, planned kopecks], ...]
    income: Mapped[list[list[Any]]] = mapped_column(JSON, default=list)
    expense: Mapped[list[list[Any]]] = mapped_column(JSON, default=list)
    # Actual kopecks per line, in the same order; None until the report is made.
    actual_income: Mapped[list[int] | None] = mapped_column(JSON)
    actual_expense: Mapped[list[int] | None] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column()


class TosMember(Base):
    """A person's request to join a TOS, and its outcome (the chair decides)."""

    __tablename__ = "tos_members"

    tos_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("tos.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(16))  # pending, approved, rejected
    requested_at: Mapped[datetime] = mapped_column()
    decided_at: Mapped[datetime | None] = mapped_column()


class RoleRegion(Base):
    """The regions an organiser works in (their events, broadcasts and registry scope)."""

    __tablename__ = "role_regions"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    region_code: Mapped[str] = mapped_column(String(3), primary_key=True)


class LawSetting(Base):
    """An admin's choice of law profile and overrides for a region (municipality "") or for one
    municipality of it; the municipality's row wins over the region's."""

    __tablename__ = "law_settings"
    __table_args__ = (UniqueConstraint("region_code", "municipality"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(3))
    municipality: Mapped[str] = mapped_column(String(100))
    profile_id: Mapped[str] = mapped_column(String(32))
    min_age: Mapped[int | None] = mapped_column(Integer)
    registration_term_days: Mapped[int | None] = mapped_column(Integer)
    registration_body_name: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column()


class Event(Base):
    """A TOS school, webinar, conference... Times in UTC; `tz` is the event's own zone."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    tz: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(16))  # online, offline, hybrid
    online_link: Mapped[str | None] = mapped_column(String(500))
    address: Mapped[str | None] = mapped_column(String(300))
    capacity: Mapped[int | None] = mapped_column(Integer)  # None: unlimited
    registration_deadline: Mapped[datetime | None] = mapped_column()
    audience_regions: Mapped[list[str]] = mapped_column(JSON)  # [] means all of Russia
    needs_approval: Mapped[bool] = mapped_column(default=False)
    questions: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))  # draft, published, cancelled
    region_code: Mapped[str] = mapped_column(String(3), index=True)  # the organising region
    organiser_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column()
    # The word an online event's host announces; participants send it to the bot to be marked.
    code_word: Mapped[str | None] = mapped_column(String(32))
    # Reminders to participants, in minutes before the start (the organiser may change them).
    reminder_offsets: Mapped[list[int]] = mapped_column(JSON, default=lambda: [1440, 60])
    # Opt-in: a day before sign-ups close, remind those who looked at the card but did not sign
    # up (their looks are kept in event_views only for such events).
    remind_deadline: Mapped[bool] = mapped_column(default=False)
    deadline_reminded_at: Mapped[datetime | None] = mapped_column()
    feedback_requested_at: Mapped[datetime | None] = mapped_column()


class Signup(Base):
    """One person's sign-up for an event; the waitlist order is (created_at, id)."""

    __tablename__ = "signups"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        UniqueConstraint("event_id", "checkin_code", name="uq_signups_checkin_code"),
        # Seats taken, waitlist order and counts by status all read (event, status, time).
        Index("ix_signups_event_status", "event_id", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # signed_up, waitlisted, pending (approval), offered (a freed seat to confirm), rejected,
    # cancelled, attended
    status: Mapped[str] = mapped_column(String(16))
    answers: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()
    # Offline check-in: the participant shows this code (or its QR); unique within the event.
    checkin_code: Mapped[str | None] = mapped_column(String(8))
    attended_at: Mapped[datetime | None] = mapped_column()
    rating: Mapped[int | None] = mapped_column(Integer)  # 1-5, after the event
    comment: Mapped[str | None] = mapped_column(Text)
    feedback_at: Mapped[datetime | None] = mapped_column()
    # A seat freed less than a day before the start is offered: confirm by then, or it moves on.
    offer_expires_at: Mapped[datetime | None] = mapped_column()


class EventView(Base):
    """Who opened the card of an event with deadline reminders on (and did not sign up)."""

    __tablename__ = "event_views"

    event_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    viewed_at: Mapped[datetime] = mapped_column()


class OutboxMessage(Base):
    """Everything the bot sends on its own: one row per recipient and message. The sender
    claims due rows (pending → sending with a lease), sends them at the configured rate and
    records the outcome; a row whose lease ran out (a crash mid-send) is claimed again."""

    __tablename__ = "outbox"
    __table_args__ = (
        # The claim: pending rows by due time, and sending rows by lease expiry.
        Index("ix_outbox_status_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient_id: Mapped[int] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(32))  # what it is, for muting and quiet hours
    # {"type": "text", "key": ..., "args": {...}, "buttons": [...]}, {"type": "event", ...},
    # {"type": "copy", "from_chat_id": ..., "message_id": ...}: rendered at send time.
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    due_at: Mapped[datetime] = mapped_column()
    expires_at: Mapped[datetime | None] = mapped_column()  # not worth sending after this
    # pending, sending, sent, failed, blocked, cancelled, expired; paused (a paused broadcast)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))
    lease_until: Mapped[datetime | None] = mapped_column()
    sent_message_id: Mapped[int | None] = mapped_column(BigInteger)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column()
    sent_at: Mapped[datetime | None] = mapped_column()


class Broadcast(Base):
    """An organiser's announcement: the message to copy, the audience's filters, and where it
    stands. Its deliveries are outbox rows keyed `bc:<id>:<user>`."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organiser_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    from_chat_id: Mapped[int] = mapped_column(BigInteger)
    message_ids: Mapped[list[int]] = mapped_column(JSON)  # one, or an album's items
    # Rows of buttons under the copy: {"text": ..., "url": ...} or {"event_id": ...}.
    buttons: Mapped[list[list[dict[str, Any]]] | None] = mapped_column(JSON)
    filters: Mapped[dict[str, Any]] = mapped_column(JSON)
    # draft, scheduled, sending, paused, stopped, done
    status: Mapped[str] = mapped_column(String(16), index=True)
    scheduled_at: Mapped[datetime | None] = mapped_column()
    total: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column()
    started_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    # The message in the sender's chat that shows the progress (edited every few seconds).
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger)


class QuestionTopic(Base):
    """A topic of expert questions (legal, grants...): data an admin changes in /admin."""

    __tablename__ = "question_topics"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name_ru: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # A hidden topic is not offered for new questions; its questions and FAQ entries stay.
    hidden: Mapped[bool] = mapped_column(default=False)


class ExpertTopic(Base):
    """The topics an expert answers (their notifications and their /questions queue)."""

    __tablename__ = "expert_topics"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("question_topics.id", ondelete="CASCADE"), primary_key=True
    )


class Question(Base):
    """A resident's question to the experts. It goes with its asker on erasure."""

    __tablename__ = "questions"
    __table_args__ = (
        # The queue (new questions of some topics, oldest first) and the nudges read these.
        Index("ix_questions_status_waiting", "status", "waiting_since"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    asker_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    topic_id: Mapped[int] = mapped_column(Integer, ForeignKey("question_topics.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    # Photos and documents: [{"type": "photo"|"document", "file_id": ..., "name": ...,
    # "chat_id": ..., "message_id": ...}] (the chat and message to copy it from).
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    show_contacts: Mapped[bool] = mapped_column(default=False)  # the expert may see name, phone
    may_publish: Mapped[bool] = mapped_column(default=False)  # an anonymised FAQ entry
    # new, taken, answered, closed
    status: Mapped[str] = mapped_column(String(16))
    expert_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column()
    taken_at: Mapped[datetime | None] = mapped_column()
    answered_at: Mapped[datetime | None] = mapped_column()
    closed_at: Mapped[datetime | None] = mapped_column()
    # Since when it waits for an expert (its creation, or the follow-up); the nudges count
    # from here, once each per wait.
    waiting_since: Mapped[datetime] = mapped_column()
    nudged_experts_at: Mapped[datetime | None] = mapped_column()
    nudged_admins_at: Mapped[datetime | None] = mapped_column()
    follow_up_used: Mapped[bool] = mapped_column(default=False)
    rating: Mapped[str | None] = mapped_column(String(16))  # helpful, not_helpful
    # The experts' forum topic of this question (when an experts' group is configured).
    forum_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    forum_thread_id: Mapped[int | None] = mapped_column(BigInteger)


class QuestionMessage(Base):
    """The thread of a question after the question itself: answers, the follow-up, the
    answer to it."""

    __tablename__ = "question_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # answer, follow_up
    author_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(Text)
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column()


class QuestionPost(Base):
    """A message in the experts' group that belongs to a question (the bot's posts and the
    experts' relayed replies): a reply to any of them is about that question. Forwarded-from
    data is not relied on, since people hide it."""

    __tablename__ = "question_posts"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    question_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column()


# SQLite's full-text index of the published FAQ entries (an FTS5 virtual table made by migration
# 0013, with FTS5's own shadow tables `faq_fts_*`): not a model, written by db/repositories/faq.py.
FAQ_SEARCH_INDEX = "faq_fts"


class FaqEntry(Base):
    """A public answer: an anonymised question and its answer. Made from an answered question
    marked "good for the FAQ" (a draft until an admin or the expert publishes it)."""

    __tablename__ = "faq_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The question it came from; cut loose when the asker is erased (the entry is anonymised).
    question_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("questions.id", ondelete="SET NULL"), unique=True
    )
    topic_id: Mapped[int] = mapped_column(Integer, ForeignKey("question_topics.id"), index=True)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    expert_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    show_expert: Mapped[bool] = mapped_column(default=False)  # the expert agreed to be named
    status: Mapped[str] = mapped_column(String(16), index=True)  # draft, published, unpublished
    created_at: Mapped[datetime] = mapped_column()
    published_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()


class Grant(Base):
    """A grant or contest TOS may apply to, entered by an organiser (for their regions) or an
    admin (any region, or federal: `region_code` NULL). Its deadline is a calendar day: the
    last day to apply."""

    __tablename__ = "grants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    organiser: Mapped[str] = mapped_column(String(200))  # who runs the contest (a fund...)
    eligible: Mapped[str] = mapped_column(String(500))  # who may apply
    amount: Mapped[str] = mapped_column(String(100))  # as written: "до 500 000 ₽"
    deadline: Mapped[date] = mapped_column(index=True)
    link: Mapped[str | None] = mapped_column(String(500))
    region_code: Mapped[str | None] = mapped_column(String(3), index=True)  # NULL: federal
    created_by: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()


class GrantSubscription(Base):
    """A person who wants reminders of a grant's deadline."""

    __tablename__ = "grant_subscriptions"

    grant_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("grants.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column()
