"""A traveller plans two days in Astana from a Monday with ALZHIR as a must-see, in a real browser."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer
from time_machine import TimeMachineFixture

from tests.paths import DEMO
from tripwise.demo import demo_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: LiveServer, settings: Settings) -> str:
    demo_load(path=DEMO)
    settings.MAP_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"  # no tiles: the plan must show without them
    return str(live_server.url)


def test_alzhir_on_a_monday_trip_is_planned_for_tuesday_by_bus(
    site: str, page: Page, screenshot_dir: Path
) -> None:
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(f"{site}/plan/?destination=astana&must_see=alzhir-museum")
    form = page.get_by_test_id("planner-form")
    form.get_by_label("First day").fill("2026-11-30")  # a Monday: the museum is closed
    form.get_by_label("Number of days").fill("2")
    form.get_by_label("Each day starts and ends at").select_option(label="Asia Park")
    expect(form.get_by_test_id("must-see").get_by_label("ALZHIR Museum")).to_be_checked()
    form.get_by_test_id("plan-submit").click()

    expect(page.get_by_test_id("check")).to_contain_text("Checked")
    monday, tuesday = page.get_by_test_id("day-2026-11-30"), page.get_by_test_id("day-2026-12-01")
    expect(monday.get_by_test_id("visit-alzhir-museum")).to_have_count(0)
    visit = tuesday.get_by_test_id("visit-alzhir-museum")
    expect(visit).to_contain_text("Closed on Mondays: planned for Tuesday.")
    rides = tuesday.get_by_test_id("ride")
    expect(rides).to_have_count(2)  # there and back on bus 300
    expect(rides.first).to_contain_text("Asia Park")
    expect(rides.first).to_contain_text("trip 300-out-")
    expect(rides.last).to_contain_text("trip 300-back-")
    expect(page.get_by_test_id("unscheduled")).to_have_count(0)

    # The map draws every day's visits and legs from the page's own data, without tiles.
    plan_map = page.get_by_test_id("plan-map")
    visits = page.locator("[data-testid^='visit-']")
    expect(plan_map.locator(".plan-marker")).to_have_count(visits.count())  # one numbered marker per visit
    expect(plan_map.locator(".plan-marker").first).to_be_visible()
    expect(plan_map.locator("path.leaflet-interactive")).not_to_have_count(0)  # the legs between them
    page.screenshot(path=str(screenshot_dir / "plan-alzhir.png"), full_page=True)
    assert (screenshot_dir / "plan-alzhir.png").stat().st_size > 10_000


def test_words_fill_the_planner_and_the_traveller_corrects_the_rest(
    site: str, page: Page, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(datetime(2026, 11, 28, 12, tzinfo=UTC))  # the words' dates are read from "today"
    page.goto(f"{site}/plan/")
    page.get_by_label("Describe your trip in your own words").fill(
        "two days in Astana from Monday 30 November, we love history, no car, must see ALZHIR"
    )
    page.get_by_role("button", name="Fill in the form").click()
    expect(page.get_by_test_id("chip-must_see")).to_contain_text("alzhir-museum")
    expect(page.get_by_test_id("chip-start_date")).to_contain_text("2026-11-30")
    form = page.get_by_test_id("planner-form")
    expect(form.get_by_test_id("must-see").get_by_label("ALZHIR Museum")).to_be_checked()
    expect(form.get_by_label("Car or taxi")).not_to_be_checked()
    form.get_by_label("Each day starts and ends at").select_option(
        label="Asia Park"
    )  # what words did not say
    form.get_by_test_id("plan-submit").click()
    expect(page.get_by_test_id("check")).to_contain_text("Checked")
    expect(page.get_by_test_id("day-2026-12-01").get_by_test_id("visit-alzhir-museum")).to_be_visible()
