"""The organisers' dashboard over HTTP: the page (/app/) and its JSON API (/api/), on the
webhook's aiohttp server in webhook mode and on a server of its own (WEB_HOST:WEB_PORT) in
polling mode.

Every API request proves who it is with Telegram's init data (bot/webapp/auth.py) and is
then answered from the database as it stands: the person's roles and regions are read again
for each request (`dashboard.viewer`), so a revoked organiser is refused at once. Each request
reads in a transaction of its own, rolled back at the end (the API changes nothing).
Refusals are logged to `bot.security` with ids and reasons only.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from aiogram import Bot, html
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BufferedInputFile
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.i18n import LANGUAGES, Text, Translator
from bot.ops import Ops, add_ops
from bot.services import attendance, audit, dashboard, participants
from bot.services.dashboard import Viewer
from bot.services.regions import zone_of
from bot.webapp import auth, texts, views
from db.models import Event
from db.repositories import Repo

if TYPE_CHECKING:
    from bot.factory import Application

log = logging.getLogger("bot.security")
access = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
PAGE_FILES = {"app.js": "text/javascript", "app.css": "text/css"}
PAST_DAYS_LISTED = 30  # as /events_admin
EVENTS_LISTED = 100
# The page runs in Telegram's webview (or web.telegram.org's frame) and loads nothing from
# anywhere else.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'self' https://web.telegram.org https://*.web.telegram.org"
)


@dataclass(frozen=True, slots=True)
class Dashboard:
    settings: Settings
    session_factory: async_sessionmaker[AsyncSession]
    translator: Translator
    bot: Bot

    @property
    def token(self) -> str:
        return self.settings.bot_token.get_secret_value()


KEY = web.AppKey("dashboard", Dashboard)


def dashboard_for(application: Application) -> Dashboard:
    return Dashboard(
        application.settings, application.session_factory, application.translator, application.bot
    )


@dataclass(frozen=True, slots=True)
class Ask:
    """One authenticated API request: who, in which language, reading through `repo`."""

    request: web.Request
    person: Viewer
    repo: Repo
    t: Text
    now: datetime

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(zone_of(self.person.region_code))


Handler = Callable[[Ask], Awaitable[web.StreamResponse]]


_NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def _error(status: int, error: str) -> web.Response:
    return web.json_response({"error": error}, status=status, headers=_NO_STORE)


def _json(data: Any) -> web.Response:
    return web.json_response(data, headers=_NO_STORE)


@asynccontextmanager
async def _reading(deps: Dashboard) -> AsyncIterator[Repo]:
    async with deps.session_factory() as session:
        try:
            yield Repo(session)
        finally:
            await session.rollback()


def _language(request: web.Request, person: Viewer) -> str:
    asked = request.query.get("lang", "")
    return asked if asked in LANGUAGES else person.language


async def _viewer(deps: Dashboard, repo: Repo, request: web.Request) -> Viewer | web.Response:
    """The signed-in person with what the database grants them now, or the refusal."""
    now = datetime.now(UTC)
    try:
        signed = auth.verify(
            deps.token,
            auth.from_header(request.headers.get("Authorization")),
            timedelta(seconds=deps.settings.webapp_auth_ttl_seconds),
            now,
        )
    except auth.Refused as exc:
        log.warning("dashboard: refused init data (%s) for %s", exc.reason, request.path)
        return _error(401, "unauthorized")
    person = await dashboard.viewer(repo, signed.user_id)
    if person is None:
        log.warning("dashboard: user %s is no organiser or admin", signed.user_id)
        return _error(403, "forbidden")
    return person


def api(handler: Handler) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """Authenticate, read the person's rights, open a read-only transaction, then handle."""

    async def wrapped(request: web.Request) -> web.StreamResponse:
        deps = request.app[KEY]
        started = time.perf_counter()
        async with _reading(deps) as repo:
            person = await _viewer(deps, repo, request)
            if isinstance(person, web.Response):
                return person
            t = deps.translator.for_locale(_language(request, person))
            response = await handler(Ask(request, person, repo, t, datetime.now(UTC)))
        access.debug(
            "dashboard %s in %.1f ms", handler.__name__, 1000 * (time.perf_counter() - started)
        )
        return response

    return wrapped


def _int(ask: Ask, name: str) -> int | None:
    try:
        return int(ask.request.match_info[name])
    except (KeyError, ValueError):
        return None


# ---- the API -----------------------------------------------------------------------------


async def texts_shown(request: web.Request) -> web.Response:
    """The page's own texts in one language (public: shown before sign-in too)."""
    deps = request.app[KEY]
    lang = request.query.get("lang", "")
    if lang not in LANGUAGES:
        lang = deps.translator.default_locale
    return _json({"lang": lang, "texts": texts.page_texts(deps.translator, lang)})


@api
async def me_shown(ask: Ask) -> web.Response:
    person = await ask.repo.users.get(ask.person.user_id)
    return _json(views.me(ask.t, ask.person, person.full_name if person else None))


@api
async def overview_shown(ask: Ask) -> web.Response:
    """People over time, by region and role; the registry; upcoming events; open questions;
    recent broadcasts."""
    try:
        days = int(ask.request.query.get("days", dashboard.DAYS_DEFAULT))
    except ValueError:
        return _error(400, "days")
    scope, repo, t = ask.person.regions, ask.repo, ask.t
    found = await dashboard.people(repo, scope, ask.zone, days, ask.now)
    upcoming, total = await dashboard.upcoming(repo, scope, ask.now)
    recent = await dashboard.recent_broadcasts(repo, ask.person, ask.now, 10)
    return _json(
        {
            "people": views.people(t, found),
            "tos": views.tos(t, await dashboard.tos_by_status(repo, scope)),
            "events": views.events(t, upcoming, total),
            "questions": views.questions(t, await dashboard.open_questions(repo, scope, ask.now)),
            "broadcasts": [views.broadcast(t, line, ask.zone) for line in recent],
        }
    )


@api
async def events_listed(ask: Ask) -> web.Response:
    """The person's events from 30 days ago on, as /events_admin lists them."""
    since = ask.now - timedelta(days=PAST_DAYS_LISTED)
    lines, total = await dashboard.managed_events(
        ask.repo, ask.person.regions, since, EVENTS_LISTED
    )
    return _json(views.events(ask.t, lines, total))


async def _event(ask: Ask) -> Event | web.Response:
    event_id = _int(ask, "event_id")
    event = None if event_id is None else await dashboard.event_for(ask.repo, ask.person, event_id)
    if event is None:
        log.warning("dashboard: refused event %s to user %s", event_id, ask.person.user_id)
        return _error(403, "forbidden")
    return event


@api
async def event_shown(ask: Ask) -> web.Response:
    """One event: its counts, the participants table, attendance and ratings."""
    event = await _event(ask)
    if isinstance(event, web.Response):
        return event
    line = await dashboard.event_line(ask.repo, event)
    found = await participants.table(ask.repo, ask.t, event)
    made = await attendance.summary(ask.repo, event.id)
    return _json(views.event_page(ask.t, line, found, made))


def _file(content: bytes, name: str) -> web.Response:
    kind = (
        "text/csv"
        if name.endswith(".csv")
        else ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )
    return web.Response(
        body=content,
        content_type=kind,
        charset="utf-8" if kind == "text/csv" else None,
        headers={**_NO_STORE, "Content-Disposition": f'attachment; filename="{name}"'},
    )


@api
async def event_exported(ask: Ask) -> web.StreamResponse:
    """The participants as CSV or XLSX: the chat's export, byte for byte."""
    fmt = ask.request.match_info.get("fmt", "")
    if fmt not in participants.FORMATS:
        return _error(404, "not_found")
    event = await _event(ask)
    if isinstance(event, web.Response):
        return event
    found = await participants.table(ask.repo, ask.t, event)
    return _file(*participants.export(ask.t, event, found, fmt, ask.now))


@api
async def download_linked(ask: Ask) -> web.Response:
    """A link to the export that works without the header (Telegram's downloadFile)."""
    fmt = ask.request.query.get("format", "")
    if fmt not in participants.FORMATS:
        return _error(400, "format")
    event = await _event(ask)
    if isinstance(event, web.Response):
        return event
    token = auth.download_token(
        ask.request.app[KEY].token, ask.person.user_id, event.id, fmt, ask.now
    )
    lang = ask.t.locale
    return _json(
        {"url": f"/api/download/{token}?lang={lang}", "file_name": f"event_{event.id}.{fmt}"}
    )


async def downloaded(request: web.Request) -> web.StreamResponse:
    """The export behind a download link, if the person may still see the event."""
    deps = request.app[KEY]
    now = datetime.now(UTC)
    try:
        user_id, event_id, fmt = auth.read_download_token(
            deps.token, request.match_info.get("token", ""), now
        )
    except auth.Refused as exc:
        log.warning("dashboard: refused a download link (%s)", exc.reason)
        return _error(401, "unauthorized")
    if fmt not in participants.FORMATS:
        return _error(404, "not_found")
    async with _reading(deps) as repo:
        person = await dashboard.viewer(repo, user_id)
        event = None if person is None else await dashboard.event_for(repo, person, event_id)
        if person is None or event is None:
            log.warning("dashboard: refused download of event %s to user %s", event_id, user_id)
            return _error(403, "forbidden")
        t = deps.translator.for_locale(_language(request, person))
        found = await participants.table(repo, t, event)
        return _file(*participants.export(t, event, found, fmt, now))


@api
async def export_sent(ask: Ask) -> web.Response:
    """The export sent into the person's chat with the bot, as the chat's buttons send it."""
    fmt = ask.request.query.get("format", "")
    if fmt not in participants.FORMATS:
        return _error(400, "format")
    event = await _event(ask)
    if isinstance(event, web.Response):
        return event
    found = await participants.table(ask.repo, ask.t, event)
    content, name = participants.export(ask.t, event, found, fmt, ask.now)
    caption = ask.t("evadm-export-caption", title=html.quote(event.title), total=len(found.rows))
    await ask.repo.session.rollback()  # nothing to keep; no transaction waits on Telegram
    try:
        await ask.request.app[KEY].bot.send_document(
            ask.person.user_id, BufferedInputFile(content, filename=name), caption=caption
        )
    except TelegramAPIError as exc:
        access.warning("dashboard: sending an export failed: %s", type(exc).__name__)
        return _error(502, "telegram")
    return _json({"sent": True, "rows": len(found.rows)})


@api
async def broadcasts_listed(ask: Ask) -> web.Response:
    """The newest broadcasts with their progress and report (an organiser's own)."""
    lines = await dashboard.recent_broadcasts(ask.repo, ask.person, ask.now)
    return _json({"items": [views.broadcast(ask.t, line, ask.zone) for line in lines]})


@api
async def broadcast_shown(ask: Ask) -> web.Response:
    broadcast_id = _int(ask, "broadcast_id")
    line = (
        None
        if broadcast_id is None
        else await dashboard.broadcast_for(ask.repo, ask.person, broadcast_id, ask.now)
    )
    if line is None:
        log.warning("dashboard: refused broadcast %s to user %s", broadcast_id, ask.person.user_id)
        return _error(403, "forbidden")
    return _json(views.broadcast(ask.t, line, ask.zone))


AUDIT_PAGE = 20


@api
async def audit_listed(ask: Ask) -> web.Response:
    """The admins' audit log, newest first, a page at a time (admins only)."""
    if not ask.person.is_admin:
        log.warning("dashboard: refused the audit log to user %s", ask.person.user_id)
        return _error(403, "forbidden")
    try:
        page = max(int(ask.request.query.get("page", "0")), 0)
    except ValueError:
        return _error(400, "page")
    lines, total = await audit.page(ask.repo, page * AUDIT_PAGE, AUDIT_PAGE)
    banned = (await ask.repo.users.banned(0, 1))[1]
    return _json(views.audit(ask.t, lines, total, page, AUDIT_PAGE, banned, ask.zone))


# ---- the page ----------------------------------------------------------------------------


async def page_shown(_request: web.Request) -> web.StreamResponse:
    return web.FileResponse(
        STATIC / "index.html",
        headers={
            "Cache-Control": "no-cache",
            "Content-Security-Policy": PAGE_CSP,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        },
    )


async def asset_shown(request: web.Request) -> web.StreamResponse:
    name = request.match_info.get("name", "")
    kind = PAGE_FILES.get(name)
    if kind is None:
        raise web.HTTPNotFound()
    return web.FileResponse(
        STATIC / name,
        headers={
            "Cache-Control": "no-cache",
            "Content-Type": f"{kind}; charset=utf-8",
            "X-Content-Type-Options": "nosniff",
        },
    )


async def to_page(_request: web.Request) -> web.StreamResponse:
    raise web.HTTPFound("/app/")


def add_dashboard(app: web.Application, deps: Dashboard) -> None:
    """The page and the API on this aiohttp application."""
    app[KEY] = deps
    r = app.router
    r.add_get("/app", to_page)
    r.add_get("/app/", page_shown)
    r.add_get("/app/{name}", asset_shown)
    r.add_get("/api/texts", texts_shown)
    r.add_get("/api/me", me_shown)
    r.add_get("/api/overview", overview_shown)
    r.add_get("/api/events", events_listed)
    # Ids in paths have at most 18 characters: a longer number cannot be an id (2**63 has 19
    # digits), so the router answers 404 before a handler or a query sees it.
    r.add_get("/api/events/{event_id:[^/]{1,18}}", event_shown)
    r.add_get("/api/events/{event_id:[^/]{1,18}}/export.{fmt}", event_exported)
    r.add_post("/api/events/{event_id:[^/]{1,18}}/download", download_linked)
    r.add_post("/api/events/{event_id:[^/]{1,18}}/send", export_sent)
    r.add_get("/api/download/{token}", downloaded)
    r.add_get("/api/broadcasts", broadcasts_listed)
    r.add_get("/api/broadcasts/{broadcast_id:[^/]{1,18}}", broadcast_shown)
    r.add_get("/api/audit", audit_listed)


async def healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def create_web_app(deps: Dashboard | None, ops: Ops | None = None) -> web.Application:
    """Polling mode's web server: the dashboard (with WEBAPP_URL), /healthz and /metrics
    (without `ops`, as in the dashboard's tests: a /healthz that only says it is up)."""
    app = web.Application()
    if deps is not None:
        add_dashboard(app, deps)
    if ops is not None:
        add_ops(app, ops)
    else:
        app.router.add_get("/healthz", healthz)
    return app
