"""Prometheus metrics, served at /metrics (bot/ops.py). Labels are handler names, results and
broadcast ids: never a person's id, name or phone.

The update path pays for one counter increment and one histogram observation
(bot/middlewares/metrics.py); the queue's depth and the broadcasts' progress are read from
the database when Prometheus scrapes, at most every SCRAPE_CACHE seconds (bot/ops.py)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

UPDATE_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

UPDATES = Counter(
    "tos_updates",
    "Updates handled, by the handler that took them (none: dropped before one: a flood, a"
    " banned sender, a duplicate, or no handler) and result (ok, error)",
    ["handler", "result"],
)
UPDATE_SECONDS = Histogram(
    "tos_update_seconds",
    "Time to handle an update, from the first middleware to the end, by handler",
    ["handler"],
    buckets=UPDATE_BUCKETS,
)
ERRORS = Counter(
    "tos_errors",
    "Failures: update (a handler raised), outbox (a row failed to render), job (a scheduled"
    " job raised), backup",
    ["where"],
)
SENDS = Counter(
    "tos_outbox_sends",
    "Outbox sends by result: ok, 429 (Telegram asked to wait), 403 (blocked by the person),"
    " failed (refused, or out of attempts), retry (network error or 5xx, tried again later)",
    ["result"],
)
OUTBOX_DUE = Gauge("tos_outbox_due", "Outbox rows due now and not sent yet")
OUTBOX_OLDEST_DUE = Gauge(
    "tos_outbox_oldest_due_age_seconds",
    "How long the oldest due outbox row has waited past its due time (0: none waits)",
)
BROADCASTS = Gauge(
    "tos_broadcast_deliveries",
    "Running broadcasts (sending or paused): recipients (total) and deliveries settled (done),"
    " sent, blocked and failed so far",
    ["broadcast_id", "state"],
)
SCHEDULER_LAG = Histogram(
    "tos_scheduler_lag_seconds",
    "How late scheduled jobs start after their planned time",
    buckets=(0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0),
)
DB_SECONDS = Histogram(
    "tos_db_seconds",
    "Database round trips off the update path: probe (SELECT 1 by the scheduler's heartbeat"
    " and /healthz; on SQLite it waits for the one connection), outbox_claim",
    ["op"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0),
)
