"""A traveller asks the assistant for a trip in plain words on the home page, checks what it understood, and
refines the plan by talking and by editing a chip, in a real browser."""

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
def site(live_server: LiveServer, settings: Settings, time_machine: TimeMachineFixture) -> str:
    demo_load(path=DEMO)
    settings.MAP_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    time_machine.move_to(datetime(2026, 11, 28, 12, tzinfo=UTC))  # a Saturday: "next week" is from 30 Nov
    return str(live_server.url)


def say(page: Page, text: str) -> None:
    page.get_by_test_id("say").get_by_role("textbox").fill(text)
    page.get_by_test_id("say").get_by_role("button", name="Send").click()


def test_the_assistant_plans_from_words_and_refines_by_talking(
    site: str, page: Page, screenshot_dir: Path
) -> None:
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(site)
    box = page.get_by_test_id("assistant-box")
    box.get_by_role("textbox").fill("two days in Astana next week, we love history, no car, must see ALZHIR")
    box.get_by_role("button", name="Plan it").click()

    # What was understood, as chips, then the checked plan: ALZHIR on Tuesday (closed on Mondays).
    expect(page.get_by_test_id("chip-dates")).to_contain_text("Mon 30 Nov – Tue 01 Dec 2026 · 2 days")
    expect(page.get_by_test_id("chip-modes")).to_contain_text("on foot, public transport")
    expect(page.get_by_test_id("chip-place")).to_contain_text("ALZHIR Museum")
    expect(page.get_by_test_id("check")).to_contain_text("Checked")
    expect(page.get_by_test_id("day-2026-12-01").get_by_test_id("visit-alzhir-museum")).to_be_visible()

    # Refine by talking: the days swap, but ALZHIR cannot go to Monday, and the assistant says why.
    say(page, "swap the days")
    latest = page.get_by_test_id("turn").last
    expect(latest).to_contain_text("Done: swap days 1 and 2.")
    expect(latest).to_contain_text("ALZHIR Museum is closed on Monday 30 November, so it stays on Tuesday.")
    expect(page.get_by_test_id("day-2026-12-01").get_by_test_id("visit-alzhir-museum")).to_be_visible()
    expect(page.get_by_test_id("check")).to_contain_text("Checked")

    # A question is answered from the timetable, with its source.
    say(page, "when is the last bus back from ALZHIR?")
    expect(page.get_by_test_id("turn").last).to_contain_text("timetable: trip 300-back-")

    # Edit a chip in place: the trip becomes relaxed; then undo puts it back.
    pace = page.get_by_test_id("chip-pace")
    pace.locator("summary").click()
    pace.get_by_label("Pace").select_option("relaxed")
    pace.get_by_role("button", name="Re-plan").click()
    expect(page.get_by_test_id("chip-pace")).to_contain_text("relaxed")
    page.get_by_test_id("undo").get_by_role("button").click()
    expect(page.get_by_test_id("chip-pace")).to_contain_text("normal")
    expect(page.get_by_test_id("turn").last).to_contain_text("Undone: “Changed the pace”.")
    expect(page.locator(".turn-undone")).to_have_count(1)
    page.screenshot(path=str(screenshot_dir / "assistant.png"), full_page=True)
    assert (screenshot_dir / "assistant.png").stat().st_size > 10_000
