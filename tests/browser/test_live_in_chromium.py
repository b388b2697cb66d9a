"""Editing together, in two browsers: alice removes a visit, moves another to the other day and changes the
pace, and bob's open page shows each, with who did it; then bob's change reaches alice.

The site runs as in production, under an ASGI server (uvicorn, HTTP and WebSockets) in a subprocess with its
own SQLite database: pytest-django's live server speaks WSGI only. alice owns the trip, bob is an editor;
each has a signed-in session made in that database, handed to the browser as its session cookie.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tripwise.trips.live_benchmark import prepare_database, serve, trip_in

pytestmark = pytest.mark.browser

TIMEOUT = 30_000  # ms: a change re-plans on the server, on two slow cores


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    env = prepare_database(tmp_path / "live.sqlite3")
    # No tiles: nothing leaves the machine, and the plan must show without them.
    env["TRIPWISE_MAP_TILE_URL"] = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    trip = trip_in(env, owner="alice@example.org", editors=["bob@example.org"], password="pw-alice-bob")
    with serve(env, log_dir=tmp_path) as base:
        yield base, trip


def signed_in(browser: Browser, base: str, session_key: str) -> BrowserContext:
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 1000})
    context.add_cookies([{"name": "sessionid", "value": session_key, "url": base}])
    return context


def open_plan(context: BrowserContext, public_id: str) -> Page:
    page = context.new_page()
    page.goto(f"/plans/{public_id}/")
    expect(page.locator("html[data-live=listening]")).to_have_count(1, timeout=TIMEOUT)
    return page


def test_bob_sees_alices_changes_as_she_makes_them(
    site: tuple[str, dict[str, Any]], browser: Browser, screenshot_dir: Path
) -> None:
    base, trip = site
    public_id, sessions = trip["plan"], trip["sessions"]
    alice_context = signed_in(browser, base, sessions["alice@example.org"])
    bob_context = signed_in(browser, base, sessions["bob@example.org"])
    try:
        alice, bob = open_plan(alice_context, public_id), open_plan(bob_context, public_id)
        expect(bob.get_by_test_id("plan-pace")).to_have_text("Normal")

        # alice removes the first visit: it goes from bob's page, and bob is told who did it.
        first_visit = alice.locator("[data-testid^='visit-']").first.get_attribute("data-testid") or ""
        place = first_visit.removeprefix("visit-")
        expect(bob.get_by_test_id(first_visit)).not_to_have_count(0)
        bob.evaluate("window.scrollTo(0, 400)")  # bob is reading further down; he stays there
        alice.get_by_test_id(f"remove-{place}").get_by_role("button").click()
        expect(alice.get_by_test_id("messages")).to_be_visible(timeout=TIMEOUT)

        banner = bob.get_by_test_id("live-banner")
        expect(banner).to_contain_text(f"Updated by alice@example.org: remove {place}", timeout=TIMEOUT)
        expect(bob.get_by_test_id(first_visit)).to_have_count(0, timeout=TIMEOUT)
        assert bob.evaluate("window.scrollY") > 0

        # alice moves a visit to the other day at 15:00: bob sees it move there.
        movable = ("nurzhol-boulevard", "lovers-park", "kazakh-eli-monument", "bayterek-tower")
        days = {"2026-12-01": "2026-12-02", "2026-12-02": "2026-12-01"}
        moved, source = next(
            (slug, day)
            for slug in movable
            for day in days
            if slug != place and alice.get_by_test_id(f"day-{day}").get_by_test_id(f"visit-{slug}").count()
        )
        target = days[source]
        expect(bob.get_by_test_id(f"day-{source}").get_by_test_id(f"visit-{moved}")).to_be_visible(
            timeout=TIMEOUT
        )
        alice.get_by_test_id(f"visit-{moved}").locator("summary").click()
        lock = alice.get_by_test_id(f"lock-{moved}")
        lock.locator("select[name=date]").select_option(target)
        lock.locator("input[name=start]").fill("15:00")
        lock.get_by_role("button").click()
        moved_there = bob.get_by_test_id(f"day-{target}").get_by_test_id(f"visit-{moved}")
        expect(moved_there).to_be_visible(timeout=TIMEOUT)
        expect(moved_there).to_contain_text("15:00")
        expect(bob.get_by_test_id(f"day-{source}").get_by_test_id(f"visit-{moved}")).to_have_count(0)
        expect(banner).to_contain_text(f"Updated by alice@example.org: lock {moved}", timeout=TIMEOUT)

        # Then the pace: bob's page follows again, without being reloaded by bob.
        alice.get_by_test_id("pace-switch").get_by_label("Relaxed").check()
        alice.get_by_test_id("pace-switch").get_by_role("button").click()
        expect(bob.get_by_test_id("plan-pace")).to_have_text("Relaxed", timeout=TIMEOUT)
        expect(banner).to_contain_text("Updated by alice@example.org: pace", timeout=TIMEOUT)
        # bob's refreshed forms carry the new revision, so his next edit is not taken for a stale one.
        revision = int(bob.locator("script[data-revision]").get_attribute("data-revision") or 0)
        hidden = bob.get_by_test_id("pace-switch").locator("input[name=revision]")
        assert int(hidden.get_attribute("value") or 0) == revision + 3
        bob.screenshot(path=str(screenshot_dir / "plan-live-update.png"), full_page=False)

        # And the other way round: bob's edit reaches alice (listening again on the page her edit loaded).
        expect(alice.locator("html[data-live=listening]")).to_have_count(1, timeout=TIMEOUT)
        bob.get_by_test_id("pace-switch").get_by_label("Packed").check()
        bob.get_by_test_id("pace-switch").get_by_role("button").click()
        expect(alice.get_by_test_id("plan-pace")).to_have_text("Packed", timeout=TIMEOUT)
        expect(alice.get_by_test_id("live-banner")).to_contain_text("Updated by bob@example.org: pace")
        expect(bob.get_by_test_id("messages")).not_to_contain_text("meanwhile")
    finally:
        alice_context.close()
        bob_context.close()
