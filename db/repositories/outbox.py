"""The outbox table: queueing, claiming with a lease, and recording what happened."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, and_, bindparam, delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import OutboxMessage, UtcDateTime

# A row queued again under the same key (a person signs up again after cancelling) is revived
# if pending or cancelled; rows already sent, being sent, or given up on stay as they are.
FINAL = ("sent", "failed", "blocked", "cancelled", "expired")


_PUT = text(
    "INSERT INTO outbox (recipient_id, kind, payload, due_at, expires_at, dedupe_key,"
    " created_at, status, attempts)"
    " VALUES (:recipient_id, :kind, :payload, :due_at, :expires_at, :dedupe_key, :created_at,"
    " 'pending', 0)"
    " ON CONFLICT (dedupe_key) DO UPDATE SET payload = excluded.payload,"
    " due_at = excluded.due_at, expires_at = excluded.expires_at, kind = excluded.kind,"
    " status = 'pending', last_error = NULL"
    " WHERE outbox.status IN ('pending', 'cancelled')"
).bindparams(
    bindparam("payload", type_=JSON()),
    bindparam("due_at", type_=UtcDateTime()),
    bindparam("expires_at", type_=UtcDateTime()),
    bindparam("created_at", type_=UtcDateTime()),
)


_SETTLE = text(
    "UPDATE outbox SET status = :status, due_at = :due_at, attempts = :attempts,"
    " last_error = :last_error, sent_message_id = :sent_message_id, sent_at = :sent_at,"
    " lease_until = NULL WHERE id = :id AND status = 'sending'"
).bindparams(
    bindparam("due_at", type_=UtcDateTime()),
    bindparam("sent_at", type_=UtcDateTime()),
)


def _prefix_range(prefix: str) -> Any:
    """Keys starting with `prefix`, as an index range (no LIKE, so no wildcard escaping)."""
    return and_(OutboxMessage.dedupe_key >= prefix, OutboxMessage.dedupe_key < prefix + "\uffff")


class OutboxRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    def _dialect(self) -> str:
        return self._s.get_bind().dialect.name

    async def put(self, rows: Sequence[dict[str, Any]]) -> None:
        """Queue rows (recipient_id, kind, payload, due_at, expires_at, dedupe_key,
        created_at). A key queued before is updated if still pending or cancelled, so queueing
        twice sends once. One cached statement for SQLite and PostgreSQL alike (the dialects'
        own upsert constructs are compiled afresh on every call)."""
        if rows:
            await self._s.execute(_PUT, [dict(row) for row in rows])

    async def cancel(self, prefix: str) -> int:
        """Cancel the pending rows whose key starts with `prefix`."""
        result = await self._s.execute(
            update(OutboxMessage)
            .where(_prefix_range(prefix), OutboxMessage.status == "pending")
            .values(status="cancelled")
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def move(self, prefix: str, from_statuses: Sequence[str], to: str) -> int:
        """Rows with the key prefix from one status to another (pause, resume, stop)."""
        result = await self._s.execute(
            update(OutboxMessage)
            .where(_prefix_range(prefix), OutboxMessage.status.in_(list(from_statuses)))
            .values(status=to)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def counts_with_prefix(self, prefix: str) -> dict[str, int]:
        rows = await self._s.execute(
            select(OutboxMessage.status, func.count())
            .where(_prefix_range(prefix))
            .group_by(OutboxMessage.status)
        )
        return {status: int(n) for status, n in rows}

    async def reschedule(self, prefix: str, due_at: datetime) -> int:
        result = await self._s.execute(
            update(OutboxMessage)
            .where(_prefix_range(prefix), OutboxMessage.status == "pending")
            .values(due_at=due_at)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def requeue_stale(self, now: datetime, keep: Collection[int] = ()) -> int:
        """Rows whose sender died mid-send (the lease ran out) go back to the queue; `keep`:
        the caller's own rows, which it is still sending."""
        stale = and_(OutboxMessage.status == "sending", OutboxMessage.lease_until < now)
        if keep:
            stale = and_(stale, OutboxMessage.id.not_in(list(keep)))
        result = await self._s.execute(
            update(OutboxMessage).where(stale).values(status="pending", lease_until=None),
            execution_options={"synchronize_session": False},
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def renew_leases(self, ids: Collection[int], until: datetime) -> None:
        """The rows a sender still holds keep their claim until `until`."""
        await self._s.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(list(ids)), OutboxMessage.status == "sending")
            .values(lease_until=until),
            execution_options={"synchronize_session": False},
        )

    async def claim(self, now: datetime, limit: int, lease_until: datetime) -> list[OutboxMessage]:
        """Take up to `limit` due rows for this sender: pending → sending, atomically, so no
        other sender (another instance, or this one restarted) takes them too."""
        due = (
            select(OutboxMessage.id)
            .where(OutboxMessage.status == "pending", OutboxMessage.due_at <= now)
            .order_by(OutboxMessage.due_at, OutboxMessage.id)
            .limit(limit)
        )
        if self._dialect() == "postgresql":
            # A CTE, not `id IN (subquery)`: PostgreSQL may rescan such a subquery, and with
            # SKIP LOCKED each rescan finds other rows (measured: all 600 due rows claimed
            # by one sender asking for 50). A CTE with FOR UPDATE runs once.
            picked = due.with_for_update(skip_locked=True).cte("picked")
            chosen: Any = OutboxMessage.id == picked.c.id
        else:
            chosen = OutboxMessage.id.in_(due.scalar_subquery())
        rows = await self._s.scalars(
            update(OutboxMessage)
            .where(chosen, OutboxMessage.status == "pending")
            .values(
                status="sending",
                lease_until=lease_until,
                attempts=OutboxMessage.attempts + 1,
            )
            .returning(OutboxMessage),
            execution_options={"synchronize_session": False},
        )
        return sorted(rows, key=lambda row: (row.due_at, row.id))

    async def settle(self, row_id: int, **values: Any) -> None:
        """Record the outcome of a claimed row (only while this sender still holds it)."""
        await self._s.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, OutboxMessage.status == "sending")
            .values(lease_until=None, **values)
        )

    async def settle_many(self, outcomes: Sequence[dict[str, Any]]) -> None:
        """Outcomes of many claimed rows in one statement; each dict has every column of
        _SETTLE (the row's own values where nothing changed)."""
        if outcomes:
            await self._s.execute(_SETTLE, list(outcomes))

    async def next_due(self) -> datetime | None:
        found: datetime | None = await self._s.scalar(
            select(func.min(OutboxMessage.due_at)).where(OutboxMessage.status == "pending")
        )
        return found

    async def due(self, now: datetime) -> tuple[int, datetime | None]:
        """Pending rows due by `now` and the oldest one's due time (the metrics' queue depth;
        one range of the status-and-due index)."""
        count, oldest = (
            await self._s.execute(
                select(func.count(), func.min(OutboxMessage.due_at)).where(
                    OutboxMessage.status == "pending", OutboxMessage.due_at <= now
                )
            )
        ).one()
        return int(count or 0), oldest

    async def get(self, dedupe_key: str) -> OutboxMessage | None:
        found: OutboxMessage | None = await self._s.scalar(
            select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key)
        )
        return found

    async def with_prefix(self, prefix: str) -> list[OutboxMessage]:
        rows = await self._s.scalars(
            select(OutboxMessage).where(_prefix_range(prefix)).order_by(OutboxMessage.due_at)
        )
        return list(rows)

    async def counts(self) -> dict[str, int]:
        rows = await self._s.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        )
        return {status: int(n) for status, n in rows}

    async def forget_prefix(self, prefix: str) -> int:
        """Erasure: rows about something of the person's (to others too), sent or not."""
        result = await self._s.execute(delete(OutboxMessage).where(_prefix_range(prefix)))
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def forget_recipient(self, user_id: int) -> int:
        """Erasure: the person's queued and past messages (their texts may name them)."""
        result = await self._s.execute(
            delete(OutboxMessage).where(OutboxMessage.recipient_id == user_id)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
