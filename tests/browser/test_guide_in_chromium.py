"""A traveller opens the ALZHIR guide in a real browser: the facts panel and the map are there."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from tests.paths import DEMO
from tripwise.demo import demo_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: LiveServer, settings: Settings) -> str:
    demo_load(path=DEMO)  # transactional tests start from an emptied database
    # Tiles from a port where nothing listens: the markers must still show without them.
    settings.MAP_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    return str(live_server.url)


def test_the_guide_shows_its_facts_panel_and_map(site: str, page: Page, screenshot_dir: Path) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site}/guides/alzhir-museum/")

    expect(page.get_by_role("heading", level=1)).to_contain_text("ALZHIR")
    panel = page.get_by_test_id("facts-panel")
    expect(panel.get_by_test_id("closed-days")).to_have_text("Closed on Mondays")
    expect(panel.get_by_test_id("open-status")).to_contain_text(" now")
    expect(panel.get_by_test_id("prices")).to_contain_text("₸")
    expect(panel.get_by_test_id("rules")).to_contain_text("photos needs permission")
    expect(panel.get_by_test_id("departures").locator("li")).to_have_count(3)
    expect(panel.get_by_test_id("getting-there")).to_contain_text("45 min")

    markers = page.locator("[data-map] .leaflet-interactive")
    expect(markers).to_have_count(3)  # the museum, and bus 300's stops at Asia Park and Akmol
    markers.last.hover()  # places are drawn above the stops
    expect(page.locator(".leaflet-tooltip")).to_contain_text("ALZHIR Museum")

    page.evaluate("window.scrollTo(0, 0)")  # hovering the marker scrolled the map into view
    page.screenshot(path=str(screenshot_dir / "guide-alzhir.png"))
    page.screenshot(path=str(screenshot_dir / "guide-alzhir-full.png"), full_page=True)
    assert (screenshot_dir / "guide-alzhir.png").stat().st_size > 10_000


def test_search_finds_the_guide_by_the_old_city_name(site: str, page: Page) -> None:
    page.goto(site)
    page.get_by_role("searchbox", name="Search guides and places").fill("Нур-Султан")
    page.get_by_role("searchbox", name="Search guides and places").press("Enter")
    expect(page.locator('[data-kind="guides"]')).to_contain_text("ALZHIR memorial museum")


def test_the_currency_choice_changes_the_prices(site: str, page: Page) -> None:
    page.goto(f"{site}/places/alzhir-museum/")
    page.get_by_label("Prices in").select_option("EUR")
    expect(page.get_by_test_id("prices")).to_contain_text("€")
