"""Settings from the environment and `.env`; built on demand, never at import."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# The shape BotFather hands out: "<bot id>:<35 url-safe characters>".
TOKEN_RE = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{20,100}$")


class RunMode(StrEnum):
    POLLING = "polling"
    WEBHOOK = "webhook"


class DatabaseSettings(BaseSettings):
    """What `python -m bot migrate`, `copy-db` and `backup` need: the database, no token."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    database_url: str = "sqlite+aiosqlite:///data/bot.sqlite3"
    log_level: str = "INFO"
    # text: "time level logger: message"; json: one JSON object a line (for a log collector).
    log_format: Literal["text", "json"] = "text"

    # Backups (`python -m bot backup`, and every BACKUP_EVERY_HOURS hours while the bot runs,
    # 0: never): the folder they go to, and how many of them are kept there.
    backup_dir: Path = Path("data/backups")
    backup_every_hours: int = Field(default=0, ge=0, le=24 * 30)
    backup_keep: int = Field(default=7, ge=1, le=1000)

    @field_validator("log_format", mode="before")
    @classmethod
    def _format(cls, v: object) -> object:
        return v.lower() if isinstance(v, str) else v

    @field_validator("log_level")
    @classmethod
    def _level(cls, v: str) -> str:
        v = v.upper()
        if v not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError("must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return v

    @field_validator("database_url")
    @classmethod
    def _db_driver(cls, v: str) -> str:
        if not v.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            make_url(v)  # parses the port too
        except (ArgumentError, ValueError):
            # Not the parser's words: they may quote the URL, password and all.
            raise ValueError(
                "is not a valid URL (driver://user:password@host:port/database)"
            ) from None
        return v

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


class Settings(DatabaseSettings):
    bot_token: SecretStr
    telegram_api_url: str | None = None
    redis_url: str | None = None
    # Redis keys (dialog state, flood counts) start with this: several bots share one Redis.
    redis_prefix: str = Field(default="tos", pattern=r"^[A-Za-z0-9_.-]{1,40}$")
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    default_locale: str = "ru"
    run_mode: RunMode = RunMode.POLLING
    webhook_base_url: str | None = None
    webhook_path: str = "/telegram/webhook"
    webhook_secret: SecretStr | None = None
    webhook_host: str = "0.0.0.0"  # noqa: S104 - a container listens on all interfaces
    webhook_port: int = Field(default=8080, ge=1, le=65535)

    # The personal-data operator named in the consent text (152-FZ art. 9 part 4).
    operator_name: str = "Оператор не указан"
    operator_contacts: str = "-"
    privacy_policy_version: str = "2026-11-01"

    # Flood control: more than `throttle_rate` updates in `throttle_period` seconds earns one
    # warning, then the person is ignored for `throttle_cooldown` seconds.
    throttle_rate: int = Field(default=5, ge=1)
    throttle_period: float = Field(default=1.0, gt=0)
    throttle_cooldown: float = Field(default=3.0, ge=0)

    invite_ttl_hours: int = Field(default=72, ge=1, le=24 * 30)
    # Updates handled at once (polling and webhook): a burst beyond this waits its turn before
    # the dispatcher rather than inside it, holding nothing (measured: 10,000 people at once
    # without a cap queued for the one SQLite connection past its 120 s timeout).
    max_concurrent_updates: int = Field(default=100, ge=1, le=10_000)
    # Law profiles (bot/data/law by default): a folder of <id>.json files, checked at start.
    law_profiles_dir: Path | None = None

    # The outbox sender: messages per second overall and per chat (Telegram allows about 30
    # and 1), rows claimed at a time, how long a claim holds before another sender may take
    # the row (a crash mid-send), attempts on network errors, the safety poll.
    outbox_rate: float = Field(default=25.0, gt=0, le=1000)
    outbox_chat_rate: float = Field(default=1.0, gt=0, le=100)
    outbox_batch: int = Field(default=50, ge=1, le=1000)
    outbox_lease_seconds: int = Field(default=300, ge=1)
    outbox_max_attempts: int = Field(default=8, ge=1, le=50)
    outbox_poll_seconds: float = Field(default=30.0, gt=0)
    # Telegram's paid broadcasts (allow_paid_broadcast: up to 1,000 messages a second for
    # 0.1 Stars each from the bot's balance): broadcasts then go at `broadcast_paid_rate`
    # instead of `outbox_rate` (albums cannot be sent so and keep the usual rate).
    broadcast_paid: bool = False
    broadcast_paid_rate: float = Field(default=1000.0, gt=0, le=1000)
    # No messages in these hours of the recipient's zone ("22-8"; empty: none), except
    # reminders of events starting within two hours.
    quiet_hours: str = "22-8"

    # Expert questions: open questions (new or taken) one person may have, questions one may
    # ask in 24 hours (flood), hours a question waits before its topic's experts are nudged
    # and, later, the admins; the experts' forum supergroup (its id, -100...), if any.
    questions_open_limit: int = Field(default=3, ge=1, le=50)
    questions_per_day: int = Field(default=5, ge=1, le=100)
    question_nudge_experts_hours: float = Field(default=48.0, gt=0, le=24 * 60)
    question_nudge_admins_hours: float = Field(default=96.0, gt=0, le=24 * 60)
    experts_group_id: int | None = None

    # The organisers' dashboard (a Telegram Mini App): the https address Telegram opens (the
    # page is served at /app/ of the bot's web server; unset: no dashboard, no buttons), where
    # the web server listens in polling mode (webhook mode serves it from the webhook's
    # server), and how old Telegram's signed init data may be before the page must be reopened.
    webapp_url: str | None = None
    web_host: str = "0.0.0.0"  # noqa: S104 - a container listens on all interfaces
    web_port: int = Field(default=8090, ge=1, le=65535)
    webapp_auth_ttl_seconds: int = Field(default=3600, ge=60, le=7 * 24 * 3600)

    # Seconds a stopping bot (SIGTERM, SIGINT) gives the updates being handled and the outbox
    # batch being sent to finish; below Docker's default 10 s before it sends SIGKILL.
    shutdown_timeout: float = Field(default=8.0, gt=0, le=600)

    @field_validator("quiet_hours")
    @classmethod
    def _quiet(cls, v: str) -> str:
        from bot.services.outbox import QuietHours

        try:
            QuietHours.parse(v)
        except ValueError as exc:
            raise ValueError("two different hours 0-23 like 22-8, or empty for none") from exc
        return v

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, v: SecretStr) -> SecretStr:
        if not TOKEN_RE.match(v.get_secret_value()):
            raise ValueError("does not look like a token from @BotFather (<digits>:<secret>)")
        return v

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, v: object) -> object:
        if isinstance(v, str):
            return frozenset(int(x) for x in re.split(r"[,\s]+", v.strip()) if x)
        if isinstance(v, int):
            return frozenset({v})
        return v

    @field_validator("default_locale")
    @classmethod
    def _known_locale(cls, v: str) -> str:
        if v not in ("ru", "en"):
            raise ValueError("must be ru or en")
        return v

    @field_validator("telegram_api_url")
    @classmethod
    def _api_url(cls, v: str | None) -> str | None:
        if not v:
            return None
        from urllib.parse import urlsplit

        try:
            parts = urlsplit(v)
            parts.port  # noqa: B018 - raises ValueError for a port that is not a number
        except ValueError:
            parts = None
        if (
            parts is None
            or parts.scheme not in ("http", "https")
            or not parts.hostname
            or parts.query
            or parts.fragment
        ):
            raise ValueError("must be an http:// or https:// address like http://localhost:8081")
        return v

    @field_validator("webapp_url")
    @classmethod
    def _https(cls, v: str | None) -> str | None:
        if not v:
            return None
        if not re.fullmatch(r"https://[^\s#]+", v):
            raise ValueError("must be an https:// address without a #fragment (Telegram opens it)")
        return v

    @field_validator("experts_group_id")
    @classmethod
    def _supergroup(cls, v: int | None) -> int | None:
        if v is not None and not str(v).startswith("-100"):
            raise ValueError("must be a supergroup's id, like -1001234567890")
        return v

    @model_validator(mode="after")
    def _nudges_in_order(self) -> Settings:
        if self.question_nudge_admins_hours <= self.question_nudge_experts_hours:
            raise ValueError(
                "QUESTION_NUDGE_ADMINS_HOURS must be more than QUESTION_NUDGE_EXPERTS_HOURS"
            )
        return self

    @model_validator(mode="after")
    def _webhook_complete(self) -> Settings:
        if self.run_mode is RunMode.WEBHOOK:
            if not self.webhook_base_url:
                raise ValueError("WEBHOOK_BASE_URL is required when RUN_MODE=webhook")
            if not self.webhook_secret:
                raise ValueError("WEBHOOK_SECRET is required when RUN_MODE=webhook")
            if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", self.webhook_secret.get_secret_value()):
                raise ValueError("WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and - (1-256)")
        return self
