"""The dashboard in a real browser: Debian's Chromium (/usr/bin/chromium, installed by .ci/run;
never a browser download) driven by Playwright, against the running server with init data
signed as Telegram signs it and put where Telegram puts it (#tgWebAppData=...).

Skipped when Chromium is absent on a developer's machine, failed when CI=1 says it must be
there; run in the SQLite pass only (the API tests cover PostgreSQL). Screenshots of the
overview at phone and desktop size go to tests/artifacts/ (not committed)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from aiohttp.test_utils import TestClient
from playwright.async_api import Browser, Page, async_playwright, expect

from bot.services import audit
from bot.services.audit import Action
from tests.dashboard.initdata import init_data
from tests.dashboard.world import ADMIN, ORGANISER, SAMARA, World, build, in_regions
from tests.harness import ON_SERVERS, TOKEN, App

Client = TestClient  # type: ignore[type-arg]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
# Headless as root on a machine with a closed network: no sandbox, no background traffic.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}  # a phone's Mini App viewport
DESKTOP = {"width": 1280, "height": 900}

pytestmark = pytest.mark.skipif(ON_SERVERS, reason="the browser tests run in the SQLite pass")


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


@pytest.fixture
def chromium() -> Path:
    if not CHROMIUM.exists():
        if _in_ci():
            pytest.fail("CI: /usr/bin/chromium is missing (.ci/run installs Debian's chromium)")
        pytest.skip("no /usr/bin/chromium here (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture
async def browser(chromium: Path) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(chromium), args=ARGS)
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
async def world(app: App) -> World:
    return await build(app)


def opened_from_telegram(web: Client, user: int, path: str = "/app/", **kw: Any) -> str:
    """The address Telegram opens: the page, then its launch parameters in the fragment."""
    data = quote(init_data(TOKEN, user, **kw), safe="")
    theme = quote('{"bg_color":"#ffffff","text_color":"#000000","button_color":"#3390ec"}')
    return str(web.make_url(path)) + (
        f"#tgWebAppData={data}&tgWebAppVersion=8.0&tgWebAppPlatform=android&tgWebAppThemeParams={theme}"
    )


async def ready(page: Page, selector: str) -> None:
    await page.wait_for_selector(f"body[data-ready=yes] {selector}")


async def open_page(browser: Browser, url: str, viewport: dict[str, int]) -> tuple[Page, list[str]]:
    page = await browser.new_page(viewport=viewport)  # type: ignore[arg-type]
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    await page.goto(url)
    return page, problems


async def test_overview_renders_its_charts(browser: Browser, web: Client, world: World) -> None:
    page, problems = await open_page(browser, opened_from_telegram(web, ORGANISER), PHONE)
    await ready(page, "#people")
    # One point per day of the period; one bar per region, role, registry status and topic.
    assert await page.locator("#people svg.chart-line circle.pt").count() == 30
    assert await page.locator("[data-chart=regions] rect.bar").count() == 2
    assert await page.locator("[data-chart=roles] rect.bar").count() == 4
    assert await page.locator("[data-chart=tos] rect.bar").count() == 3
    assert await page.locator("[data-chart=questions] .bar-row").count() == 7
    assert await page.inner_text("#kpi-people b") == str(len(in_regions({"14", "16"})))
    assert await page.inner_text("#kpi-tos b") == "3"
    assert await page.inner_text("#kpi-questions b") == "3"
    assert await page.locator("#upcoming .item").count() == 2
    assert await page.locator("#recent-broadcasts .item").count() == 2
    assert "Республика Саха (Якутия), Республика Татарстан" in await page.inner_text("#scope")
    # The last point is the highest: everyone in the regions, registered by today.
    last = page.locator("#people circle.pt").last
    assert "8 (+" in (await last.locator("title").text_content() or "")
    # Fits a phone: nothing wider than the screen (tables scroll inside their cards).
    assert await page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "dashboard-overview-phone.png"), full_page=True)
    await page.select_option("#days", "7")
    await ready(page, "#people")
    assert await page.locator("#people circle.pt").count() == 7
    desktop, more = await open_page(browser, opened_from_telegram(web, ORGANISER), DESKTOP)
    await ready(desktop, "#people")
    await desktop.screenshot(path=str(ARTIFACTS / "dashboard-overview-desktop.png"), full_page=True)
    assert problems == [] and more == []


async def test_participants_table_sorts_and_filters(
    browser: Browser, web: Client, world: World
) -> None:
    page, problems = await open_page(browser, opened_from_telegram(web, ORGANISER), DESKTOP)
    await ready(page, "#upcoming")
    await page.click(f"#upcoming .item[data-id='{world.school}'] a")
    await ready(page, "#people-table tbody tr")
    rows = page.locator("#people-table tbody tr")

    async def names() -> list[str]:
        return [
            await rows.nth(i).locator("td").first.inner_text() for i in range(await rows.count())
        ]

    assert await names() == [
        f"Человек {u}" for u in (601, 602, 603, 604, 605, 503)
    ]  # sign-up order
    await page.click("#people-table th button[data-col='0']")
    assert await names() == [f"Человек {u}" for u in (503, 601, 602, 603, 604, 605)]
    assert await page.get_attribute("#people-table th:nth-child(1)", "aria-sort") == "ascending"
    await page.click("#people-table th button[data-col='0']")
    assert await names() == [f"Человек {u}" for u in (605, 604, 603, 602, 601, 503)]
    await page.click("#people-table th button[data-col='7']")  # signed up at: oldest first
    assert await names() == [f"Человек {u}" for u in (601, 602, 603, 604, 605, 503)]
    await page.select_option("#status-filter", "signed_up")
    assert await names() == ["Человек 601", "Человек 602"]
    assert await page.inner_text("#shown") == "Показано 2 из 6"
    await page.select_option("#status-filter", "")
    await page.fill("#search", "якутск")  # any cell, any case: 605's municipality
    assert await names() == ["Человек 605"]
    await page.fill("#search", "345-06-0")  # part of a phone number
    assert len(await names()) == 5
    await page.fill("#search", "нет такого")
    assert await names() == [] and await page.inner_text("#shown") == "Показано 0 из 6"
    # The ratings chart of an event that happened: five bars, the counts of the chat.
    await page.click("#back")
    await ready(page, "#upcoming")
    await page.click("#tab-events")
    await ready(page, "#events")
    await page.click(f"#events .item[data-id='{world.webinar}']")
    await ready(page, "#ratings")
    assert await page.locator("[data-chart=ratings] rect.bar").count() == 5
    values = await page.locator("[data-chart=ratings] .bar-value").all_inner_texts()
    assert values == ["0", "0", "0", "2", "1"]
    assert await page.inner_text("#kpi-rating b") == "4,3"
    assert problems == []


async def test_switching_language(browser: Browser, web: Client, world: World) -> None:
    page, problems = await open_page(browser, opened_from_telegram(web, ORGANISER), PHONE)
    await ready(page, "#people")
    assert await page.inner_text("#title") == "Панель организатора"
    assert await page.locator("[data-chart=roles] .bar-label").first.inner_text() == "Жители"
    await page.click("#lang-en")
    await expect(page.locator("#title")).to_have_text("Organiser dashboard")
    await ready(page, "#people")
    assert await page.inner_text("#tab-events") == "Events"
    assert await page.locator("[data-chart=roles] .bar-label").first.inner_text() == "Residents"
    assert await page.get_attribute("html", "lang") == "en"
    assert await page.get_attribute("#lang-en", "aria-pressed") == "true"
    await page.click("#lang-ru")
    await expect(page.locator("#title")).to_have_text("Панель организатора")
    await ready(page, "#people")
    assert (
        await page.locator("[data-chart=regions] .bar-label").first.inner_text()
        == "Республика Татарстан"
    )
    # Samara's organiser reads English in the bot: the page opens in English.
    english, more = await open_page(
        browser, opened_from_telegram(web, SAMARA, language_code="ru"), PHONE
    )
    await ready(english, "#people")
    assert await english.inner_text("#title") == "Organiser dashboard"
    assert problems == [] and more == []


async def test_outside_telegram_and_refusals(browser: Browser, web: Client, world: World) -> None:
    page, _problems = await open_page(browser, str(web.make_url("/app/")), PHONE)
    await ready(page, "#outside")
    assert "Telegram" in await page.inner_text("#outside")
    assert await page.is_hidden("#tabs")
    stale, _ = await open_page(
        browser, opened_from_telegram(web, ORGANISER, auth_date=1_700_000_000), PHONE
    )
    await ready(stale, "#problem")
    assert "Open the dashboard again" in await stale.inner_text("#problem") or "откройте" in (
        await stale.inner_text("#problem")
    )
    resident, _ = await open_page(browser, opened_from_telegram(web, 503), PHONE)
    await ready(resident, "#problem")
    assert "организаторам" in await resident.inner_text("#problem")


async def test_the_audit_log_tab_for_admins_only(
    app: App, browser: Browser, web: Client, world: World
) -> None:
    start = datetime.now(UTC) - timedelta(hours=1)
    async with app.repo() as repo:
        for n in range(21):
            await audit.record(
                repo, ADMIN, Action.INVITE_CREATED, start + timedelta(minutes=n), None, "expert"
            )
    page, problems = await open_page(browser, opened_from_telegram(web, ADMIN), PHONE)
    await ready(page, "#people")
    await page.click("#tab-audit")
    await ready(page, "#audit")
    assert await page.locator("#audit .entry").count() == 20
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "dashboard-audit-phone.png"))
    assert "создал(а) ссылку-приглашение для роли «эксперт»" in await page.inner_text("#audit")
    assert await page.is_disabled("#audit-prev")
    await page.click("#audit-next")
    await ready(page, "#audit")
    assert await page.locator("#audit .entry").count() == 1
    assert "стр. 2 из 2" in await page.inner_text("#audit .pager")
    assert await page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    # An organiser has no such tab.
    other, more = await open_page(browser, opened_from_telegram(web, ORGANISER), PHONE)
    await ready(other, "#people")
    assert await other.locator("#tab-audit").is_hidden()
    assert problems == [] and more == []
