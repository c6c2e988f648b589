"""The dashboard's JSON API through aiohttp's test client, against the production application
on a real database: who may ask (Telegram's signature, its age, the roles and regions in the
database at each request) and every endpoint's numbers against the hand-made world."""

from __future__ import annotations

import csv
import io
import json
import logging
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestClient
from openpyxl import load_workbook

from bot.services import participants
from bot.webapp import auth
from tests.dashboard.initdata import fields, header, init_data, sign
from tests.dashboard.world import (
    ADMIN,
    NEVER_REGISTERED,
    NOW,
    ORGANISER,
    PEOPLE,
    RESIDENT,
    SAMARA,
    World,
    build,
    in_regions,
    registered_at,
)
from tests.harness import TOKEN, App

Client = TestClient  # type: ignore[type-arg]


@pytest.fixture
async def world(app: App) -> World:
    return await build(app)


async def get(web: Client, path: str, user: int | None = ORGANISER, **kw: Any) -> Any:
    headers = header(TOKEN, user, **kw) if user is not None else {}
    response = await web.get(path, headers=headers)
    assert response.status == 200, (path, response.status, await response.text())
    return await response.json()


async def status_of(web: Client, method: str, path: str, headers: dict[str, str]) -> int:
    response = await web.request(method, path, headers=headers)
    return response.status


# ---- who may ask -------------------------------------------------------------------------


async def test_init_data_signed_as_telegram_signs_it(web: Client, world: World) -> None:
    me = await get(web, "/api/me")
    assert me == {
        "id": ORGANISER,
        "name": f"Человек {ORGANISER}",
        "language": "ru",
        "roles": ["organiser", "resident"],
        "admin": False,
        "regions": [
            {"code": "14", "name": "Республика Саха (Якутия)"},
            {"code": "16", "name": "Республика Татарстан"},
        ],
    }
    admin = await get(web, "/api/me", ADMIN)
    assert admin["admin"] is True and admin["regions"] is None


async def test_tampered_init_data_is_refused(
    web: Client, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    good = fields(ORGANISER)
    signed = sign(TOKEN, good)
    digest = signed.rsplit("hash=", 1)[1]
    flipped = signed[: -len(digest)] + ("0" if digest[0] != "0" else "1") + digest[1:]
    someone_else = sign(TOKEN, good).replace(f"%22id%22%3A{ORGANISER}", f"%22id%22%3A{ADMIN}")
    other_bot = sign("43:" + "U" * 35, good)
    no_hash = signed.rsplit("&hash=", 1)[0]
    cases = {
        "flipped hash": f"tma {flipped}",
        "another user, same hash": f"tma {someone_else}",
        "another bot's token": f"tma {other_bot}",
        "no hash": f"tma {no_hash}",
        "wrong scheme": f"Bearer {signed}",
        "empty": "tma ",
        "garbage": "tma %%%&&&===",
    }
    assert someone_else != signed
    with caplog.at_level(logging.WARNING, logger="bot.security"):
        for name, value in cases.items():
            for path in ("/api/me", "/api/overview", f"/api/events/{world.school}"):
                response = await web.get(path, headers={"Authorization": value})
                assert response.status == 401, name
                assert await response.json() == {"error": "unauthorized"}
        assert (await web.get("/api/me")).status == 401  # no header at all
    # Refusals are logged with reasons only: nothing from the init data.
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "signature" in logged and "Анна" not in logged and "user501" not in logged


async def test_stale_init_data_is_refused(web: Client, world: World) -> None:
    now = int(time.time())
    ttl = 3600  # WEBAPP_AUTH_TTL_SECONDS' default
    assert (
        await web.get("/api/me", headers=header(TOKEN, ORGANISER, auth_date=now - ttl - 5))
    ).status == 401
    assert (
        await web.get("/api/me", headers=header(TOKEN, ORGANISER, auth_date=now - ttl + 60))
    ).status == 200
    # From the future beyond clock skew: forged.
    assert (
        await web.get("/api/me", headers=header(TOKEN, ORGANISER, auth_date=now + 900))
    ).status == 401


async def test_a_shorter_ttl_setting_is_honoured(app: App) -> None:
    signed = auth.verify(
        TOKEN,
        init_data(TOKEN, 7, auth_date=int(time.time()) - 100),
        timedelta(seconds=120),
        datetime.now(UTC),
    )
    assert signed.user_id == 7 and signed.language_code == "ru"
    with pytest.raises(auth.Refused) as refused:
        auth.verify(
            TOKEN,
            init_data(TOKEN, 7, auth_date=int(time.time()) - 100),
            timedelta(seconds=60),
            datetime.now(UTC),
        )
    assert refused.value.reason == "stale"


ORGANISER_ONLY = [
    ("GET", "/api/me"),
    ("GET", "/api/overview"),
    ("GET", "/api/events"),
    ("GET", "/api/events/{school}"),
    ("GET", "/api/events/{school}/export.csv"),
    ("GET", "/api/events/{school}/export.xlsx"),
    ("POST", "/api/events/{school}/download?format=csv"),
    ("POST", "/api/events/{school}/send?format=csv"),
    ("GET", "/api/broadcasts"),
    ("GET", "/api/broadcasts/{b_done}"),
]


async def test_residents_and_strangers_are_refused(web: Client, world: World) -> None:
    for user in (RESIDENT, 604, NEVER_REGISTERED, 999_999):  # 604 is an expert
        for method, path in ORGANISER_ONLY:
            url = path.format(school=world.school, b_done=world.b_done)
            assert await status_of(web, method, url, header(TOKEN, user)) == 403, (user, url)


async def test_another_regions_event_is_refused(
    app: App, web: Client, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """The Samara seminar to Tatarstan's and Yakutia's organiser; the Tatarstan school to
    Samara's. Their own: yes. The admin: both."""
    with caplog.at_level(logging.WARNING, logger="bot.security"):
        for user, event in (
            (ORGANISER, world.seminar),
            (SAMARA, world.school),
            (SAMARA, world.webinar),
        ):
            for method, path in ORGANISER_ONLY[3:8]:
                url = path.format(school=event)
                assert await status_of(web, method, url, header(TOKEN, user)) == 403, (user, url)
    assert f"refused event {world.seminar} to user {ORGANISER}" in caplog.text
    assert [c for c in app.api.calls if c.method == "sendDocument"] == []
    assert (await get(web, f"/api/events/{world.seminar}", SAMARA))["event"][
        "title"
    ] == "Семинар в Самаре"
    assert (await get(web, f"/api/events/{world.school}", ORGANISER))["event"]["id"] == world.school
    for event in (world.seminar, world.school):
        await get(web, f"/api/events/{event}", ADMIN)
    # Another organiser's broadcast likewise; the admin sees every broadcast.
    for user, broadcast in ((ORGANISER, world.b_sending), (SAMARA, world.b_done)):
        assert (
            await status_of(web, "GET", f"/api/broadcasts/{broadcast}", header(TOKEN, user)) == 403
        )
    await get(web, f"/api/broadcasts/{world.b_sending}", ADMIN)
    assert await status_of(web, "GET", "/api/events/999", header(TOKEN, ORGANISER)) == 403
    assert await status_of(web, "GET", "/api/events/abc", header(TOKEN, ORGANISER)) == 403


async def test_roles_and_regions_are_read_at_every_request(
    app: App, web: Client, world: World
) -> None:
    signed = header(TOKEN, ORGANISER)  # one init data, as a page open for a while holds it
    assert (await web.get(f"/api/events/{world.school}", headers=signed)).status == 200
    async with app.repo() as repo:
        await repo.roles.toggle_region(ORGANISER, "16")  # Tatarstan taken away
    assert (await web.get(f"/api/events/{world.school}", headers=signed)).status == 403
    overview = await (await web.get("/api/overview", headers=signed)).json()
    assert overview["people"]["total"] == len(in_regions({"14"}))
    async with app.repo() as repo:
        await repo.roles.revoke(ORGANISER, "organiser")
    assert (await web.get("/api/overview", headers=signed)).status == 403


# ---- the overview ------------------------------------------------------------------------


def expected_days(regions: set[str] | None, zone: str, days: int) -> list[dict[str, Any]]:
    """Counted by hand: each person's day of registration in the reader's zone."""
    tz = ZoneInfo(zone)
    local = Counter(registered_at(uid).astimezone(tz).date() for uid in in_regions(regions))
    today = datetime.now(UTC).astimezone(tz).date()
    series = []
    for offset in range(days - 1, -1, -1):
        day = today - timedelta(days=offset)
        series.append(
            {
                "day": day.isoformat(),
                "new": local[day],
                "total": sum(n for d, n in local.items() if d <= day),
            }
        )
    return series


async def test_overview_of_an_organiser(web: Client, world: World) -> None:
    data = await get(web, "/api/overview")
    people = data["people"]
    assert people["total"] == 8 == len(in_regions({"14", "16"}))
    # The organiser lives in Yakutia: days are Yakutsk's (UTC+9).
    assert people["days"] == expected_days({"14", "16"}, "Asia/Yakutsk", 30)
    assert len(people["days"]) == 30 and people["days"][-1]["total"] == 8
    assert people["days"][0]["total"] == 1  # 605 registered 45 days ago, before the window
    assert people["by_region"] == [
        {"code": "16", "name": "Республика Татарстан", "count": 5},
        {"code": "14", "name": "Республика Саха (Якутия)", "count": 3},
    ]
    assert people["by_role"] == [
        {"role": "resident", "label": "Жители", "count": 8},
        {"role": "tos_member", "label": "Члены ТОС", "count": 2},  # 602, and 603 a chair
        {"role": "chair", "label": "Председатели ТОС", "count": 1},
        {"role": "expert", "label": "Эксперты", "count": 1},
    ]
    assert data["tos"] == {
        "total": 3,
        "by_status": [
            {"status": "unverified", "label": "ещё не проверены", "count": 1},
            {"status": "verified", "label": "проверены", "count": 1},
            {"status": "rejected", "label": "отклонены", "count": 1},
        ],
    }
    events = data["events"]
    assert events["total"] == 2 and [e["id"] for e in events["items"]] == [
        world.school,
        world.meeting,
    ]
    school = events["items"][0]
    assert {
        k: school[k]
        for k in ("capacity", "taken", "left", "signed", "waitlisted", "pending", "attended")
    } == {
        "capacity": 3,
        "taken": 3,  # 601, 602 signed up and 603 offered hold the three seats
        "left": 0,
        "signed": 2,
        "waitlisted": 1,
        "pending": 1,
        "attended": 0,
    }
    assert school["kind_label"] == "Школа ТОС" and school["status_label"] == "опубликовано"
    questions = data["questions"]
    assert (questions["open"], questions["waiting"]) == (3, 2)
    by_topic = {q["id"]: q for q in questions["topics"]}
    assert len(by_topic) == 7  # every visible topic, those without questions too
    assert by_topic[1] | {"name": ""} == {
        "id": 1,
        "name": "",
        "new": 1,
        "taken": 1,
        "longest_hours": 30.0,
        "median_hours": 17.5,
    }
    assert (by_topic[2]["new"], by_topic[3]["new"], by_topic[3]["longest_hours"]) == (0, 1, 1.0)
    assert [b["id"] for b in data["broadcasts"]] == [world.b_stopped, world.b_done]  # their own
    done = data["broadcasts"][1]
    assert {
        k: done[k]
        for k in (
            "status",
            "total",
            "sent",
            "blocked",
            "failed",
            "done",
            "percent",
            "delivered_percent",
        )
    } == {
        "status": "done",
        "total": 3,
        "sent": 1,
        "blocked": 1,
        "failed": 1,
        "done": 3,
        "percent": 100,
        "delivered_percent": 33,
    }


async def test_overview_of_the_admin_and_of_another_region(web: Client, world: World) -> None:
    admin = await get(web, "/api/overview?days=7", ADMIN)
    assert admin["people"]["total"] == len(PEOPLE) == 12
    assert admin["people"]["days"] == expected_days(None, "Europe/Moscow", 7)  # no region: Moscow
    assert sum(r["count"] for r in admin["people"]["by_region"]) == 12
    assert admin["tos"]["total"] == 4
    assert [e["id"] for e in admin["events"]["items"]] == [
        world.seminar,
        world.school,
        world.meeting,
    ]
    assert (admin["questions"]["open"], admin["questions"]["waiting"]) == (4, 3)
    assert len(admin["broadcasts"]) == 3
    samara = await get(web, "/api/overview?days=365", SAMARA)
    assert samara["people"]["total"] == 3 and len(samara["people"]["days"]) == 365
    assert (
        samara["people"]["by_role"][0]["label"] == "Residents"
    )  # Samara's organiser reads English
    assert samara["tos"]["by_status"][1] == {"status": "verified", "label": "verified", "count": 1}
    assert [e["id"] for e in samara["events"]["items"]] == [world.seminar]
    assert samara["events"]["items"][0]["status_label"] == "draft"
    assert (samara["questions"]["open"], samara["questions"]["waiting"]) == (1, 1)
    assert [b["id"] for b in samara["broadcasts"]] == [world.b_sending]
    # Days are bounded; nonsense is refused.
    assert len((await get(web, "/api/overview?days=2"))["people"]["days"]) == 7
    assert len((await get(web, "/api/overview?days=5000"))["people"]["days"]) == 365
    assert await status_of(web, "GET", "/api/overview?days=x", header(TOKEN, ORGANISER)) == 400


async def test_labels_follow_the_language(web: Client, world: World) -> None:
    ru = await get(web, "/api/overview")
    en = await get(web, "/api/overview?lang=en")
    assert ru["people"]["total"] == en["people"]["total"]
    assert en["people"]["by_region"][0]["name"] == "Republic of Tatarstan"
    assert en["events"]["items"][0]["kind_label"] == "TOS school"
    assert en["questions"]["topics"][0]["name"] == "Legal"
    assert (await get(web, "/api/overview?lang=de"))["people"]["by_role"][0]["label"] == "Жители"


# ---- events ------------------------------------------------------------------------------


async def test_event_list_as_the_chat_lists_them(web: Client, world: World) -> None:
    listed = await get(web, "/api/events")
    # From 30 days ago on, drafts and cancelled ones included, soonest first.
    assert [e["id"] for e in listed["items"]] == [
        world.webinar,
        world.cancelled,
        world.school,
        world.meeting,
    ]
    assert listed["total"] == 4


async def test_event_page(web: Client, world: World) -> None:
    page = await get(web, f"/api/events/{world.school}")
    table = page["participants"]
    assert table["header"] == [
        "ФИО", "Телефон", "Регион", "Муниципалитет", "ТОС", "Ваш ТОС?", "Статус",
        "Время записи", "Отмечен(а) на мероприятии",
    ]  # fmt: skip
    assert table["kinds"] == ["text"] * 6 + ["status", "signed", "attended"]
    assert [r["cells"][0] for r in table["rows"]] == [
        f"Человек {u}" for u in (601, 602, 603, 604, 605, RESIDENT)
    ]
    assert [r["status"] for r in table["rows"]] == [
        "signed_up",
        "signed_up",
        "offered",
        "waitlisted",
        "pending",
        "cancelled",
    ]
    first = table["rows"][0]["cells"]
    assert first[1:6] == ["8 (912) 345-06-01", "Республика Татарстан", "г. Казань", "", "Солнечный"]
    assert table["rows"][2]["cells"][4] == "Солнечный"  # 603 chairs it
    assert first[6] == "записан(а)" and first[8] == ""
    assert {s["status"]: s["count"] for s in table["statuses"]} == {
        "signed_up": 2, "offered": 1, "waitlisted": 1, "pending": 1, "cancelled": 1,
    }  # fmt: skip
    webinar = await get(web, f"/api/events/{world.webinar}")
    assert webinar["summary"] == {
        "signed_up": 4,
        "attended": 3,
        "share": 75,
        "ratings": 3,
        "average": "4.3",
        "distribution": [
            {"rating": r, "count": n} for r, n in ((1, 0), (2, 0), (3, 0), (4, 2), (5, 1))
        ],
        "comments": ["Отлично", "Полезно"],  # newest first, without names
    }
    assert webinar["event"]["attended"] == 3
    assert sum(1 for r in webinar["participants"]["rows"] if r["attended_at"]) == 3


async def test_exports_are_the_chats_files(app: App, web: Client, world: World) -> None:
    response = await web.get(
        f"/api/events/{world.school}/export.csv", headers=header(TOKEN, ORGANISER)
    )
    assert response.status == 200
    assert (
        response.headers["Content-Disposition"]
        == f'attachment; filename="event_{world.school}_{datetime.now(UTC):%Y%m%d}.csv"'
    )
    content = await response.read()
    async with app.repo() as repo:
        event = await repo.events.get(world.school)
        assert event is not None
        t = app.t("ru")
        expected, _name = participants.export(
            t, event, await participants.table(repo, t, event), "csv", datetime.now(UTC)
        )
    assert content == expected
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 7 and rows[1][0] == "Человек 601"
    xlsx = await web.get(
        f"/api/events/{world.school}/export.xlsx", headers=header(TOKEN, ORGANISER)
    )
    sheet = load_workbook(io.BytesIO(await xlsx.read())).active
    assert sheet is not None
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        [None if c == "" else c for c in row] for row in rows
    ]
    assert (
        await web.get(f"/api/events/{world.school}/export.pdf", headers=header(TOKEN, ORGANISER))
    ).status == 404


async def test_download_link_works_without_the_header_and_only_briefly(
    app: App, web: Client, world: World
) -> None:
    made = await web.post(
        f"/api/events/{world.school}/download?format=xlsx&lang=en", headers=header(TOKEN, ORGANISER)
    )
    link = await made.json()
    assert (
        link["url"].startswith("/api/download/")
        and link["file_name"] == f"event_{world.school}.xlsx"
    )
    file = await web.get(link["url"])  # as Telegram's downloadFile fetches it: no header
    assert file.status == 200 and file.headers["Content-Type"].startswith("application/vnd.openxml")
    sheet = load_workbook(io.BytesIO(await file.read())).active
    assert sheet is not None and sheet["A1"].value == "Name"  # in the language asked for
    token = link["url"].split("/")[-1].split("?")[0]
    body = auth._unb64(token.split(".")[0]).decode()  # ids and the expiry, never names
    assert set(json.loads(body)) == {"u", "e", "f", "x"}
    assert (await web.get(link["url"].replace(token, token[:-2] + "AA"))).status == 401
    with pytest.raises(auth.Refused, match="expired"):
        auth.read_download_token(TOKEN, token, datetime.now(UTC) + timedelta(minutes=3))
    assert (
        await web.post(
            f"/api/events/{world.school}/download?format=doc", headers=header(TOKEN, ORGANISER)
        )
    ).status == 400
    async with app.repo() as repo:
        await repo.roles.revoke(ORGANISER, "organiser")
    assert (await web.get(link["url"])).status == 403  # the rights are read again


async def test_export_sent_to_the_chat(app: App, web: Client, world: World) -> None:
    response = await web.post(
        f"/api/events/{world.school}/send?format=csv", headers=header(TOKEN, ORGANISER)
    )
    assert await response.json() == {"sent": True, "rows": 6}
    (sent,) = [c for c in app.api.calls if c.method == "sendDocument"]
    assert sent.params["chat_id"] == ORGANISER
    assert sent.params["caption"] == app.t()(
        "evadm-export-caption", title="Школа ТОС «Старт»", total=6
    )
    upload = next(iter(sent.uploads.values()))
    assert upload.filename == f"event_{world.school}_{datetime.now(UTC):%Y%m%d}.csv"


# ---- broadcasts --------------------------------------------------------------------------


async def test_broadcast_pages(web: Client, world: World) -> None:
    listed = await get(web, "/api/broadcasts", SAMARA)
    assert [b["id"] for b in listed["items"]] == [world.b_sending]
    started = NOW - timedelta(seconds=60)  # as the world made it
    before = (datetime.now(UTC) - started).total_seconds()
    sending = await get(web, f"/api/broadcasts/{world.b_sending}", SAMARA)
    after = (datetime.now(UTC) - started).total_seconds()
    assert {
        k: sending[k]
        for k in ("status", "status_label", "total", "sent", "done", "percent", "delivered_percent")
    } == {
        "status": "sending",
        "status_label": "sending",
        "total": 4,
        "sent": 2,
        "done": 2,
        "percent": 50,
        "delivered_percent": 50,
    }
    assert sending["counts"] == {"pending": 2, "sent": 2}
    # 2 delivered since it started (60 s before the world was made): 2 more take as long again
    # (the page rounds the rate to hundredths and the time left to seconds).
    assert 2 / after - 0.005 <= sending["rate"] <= 2 / before + 0.005
    assert before - 1 <= sending["seconds_left"] <= after + 1
    stopped = await get(web, f"/api/broadcasts/{world.b_stopped}")
    assert stopped["counts"] == {"cancelled": 1, "sent": 1} and stopped["rate"] is None
    assert stopped["status_label"] == "остановлена"


# ---- the page and its texts --------------------------------------------------------------


async def test_page_and_texts(web: Client, world: World) -> None:
    page = await web.get("/app/")
    assert page.status == 200
    html = await page.text()
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert "frame-ancestors" in page.headers["Content-Security-Policy"]
    for name, kind in (("app.js", "text/javascript"), ("app.css", "text/css")):
        asset = await web.get(f"/app/{name}")
        assert asset.status == 200 and asset.headers["Content-Type"].startswith(kind)
        assert name in html
    assert (await web.get("/app/../bot/config.py")).status == 404
    assert (await web.get("/app/index.htm")).status == 404
    redirect = await web.get("/app", allow_redirects=False)
    assert redirect.status == 302 and redirect.headers["Location"] == "/app/"
    ru = (await get(web, "/api/texts?lang=ru", None))["texts"]
    en = (await get(web, "/api/texts?lang=en", None))["texts"]
    assert set(ru) == set(en) and len(ru) > 60
    assert ru["dash-shown"] == "Показано {shown} из {total}"
    assert en["dash-shown"] == "Showing {shown} of {total}"
    assert (await get(web, "/api/texts?lang=xx", None))["lang"] == "ru"
    assert (await get(web, "/api/texts", None))["texts"] == ru
    # Nothing leaves for another host at run time.
    for name in ("index.html", "app.js", "app.css"):
        text = await (await web.get("/app/" + ("" if name == "index.html" else name))).text()
        assert (
            "http://" not in text.replace("http://www.w3.org/2000/svg", "")
            and "https://" not in text
        ), name


def test_every_text_the_page_uses_exists() -> None:
    import re
    from pathlib import Path

    from bot.i18n import Translator
    from bot.webapp.texts import page_texts

    script = (Path(__file__).resolve().parents[2] / "bot/webapp/static/app.js").read_text()
    used = {k for k in re.findall(r"tr\('(dash-[a-z0-9-]+)'", script) if not k.endswith("-")}
    statuses = ("pending", "sending", "sent", "failed", "blocked", "cancelled", "expired", "paused")
    built = {f"dash-delivery-{s}" for s in statuses} | {
        f"dash-tab-{v}" for v in ("overview", "events", "broadcasts")
    }
    translator = Translator()
    for lang in ("ru", "en"):
        texts = page_texts(translator, lang)
        assert sorted((used | built) - set(texts)) == [], lang
        for status in ("unverified", "verified", "rejected"):
            assert translator.for_locale(lang)(f"dash-tos-{status}")
    assert len(used) > 50
    assert NOW.tzinfo is UTC


async def test_ids_no_database_can_hold_are_404(web: Client, world: World) -> None:
    huge = str(2**64)
    with_ids = [(m, p) for m, p in ORGANISER_ONLY if "{" in p] + [("GET", "/api/events/-{school}")]
    assert len(with_ids) == 7
    for method, path in with_ids:
        url = path.format(school=huge, b_done=huge)
        assert await status_of(web, method, url, header(TOKEN, ORGANISER)) == 404, url
