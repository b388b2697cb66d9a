"""alice shares her trip in a real browser: she makes a viewer link and invites bob as editor; carol, with
the link, reads the trip without edit controls; the print page shows the timeline. Screenshots of the trip
page, the share dialog and the print page go to docs."""

from __future__ import annotations

from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from tests.paths import DEMO
from tripwise.demo import demo_load
from tripwise.trips.models import Membership, Plan
from tripwise.trips.services import plan_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: LiveServer, settings: Settings) -> str:
    demo_load(path=DEMO)
    settings.MAP_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    return str(live_server.url)


def signed_in(page: Page, site: str, email: str) -> None:
    page.goto(f"{site}/accounts/login/")
    form = page.get_by_test_id("login-form")
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill("a long password for tests")
    form.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("account-nav")).to_contain_text(email)


def test_alice_shares_her_trip_and_carol_reads_it_through_the_link(
    site: str, page: Page, browser: Browser, screenshot_dir: Path
) -> None:
    alice = User.objects.create_user("alice-b", "alice@example.org", "a long password for tests")
    EmailAddress.objects.create(user=alice, email=alice.email, verified=True, primary=True)
    plan = plan_create(request={"destination": "astana", "start_date": "2026-12-01", "days": 2, "base": "asia-park",
                                "must_see": ["alzhir-museum"]})  # fmt: skip
    Plan.objects.filter(pk=plan.pk).update(owner=alice)

    page.set_viewport_size({"width": 1280, "height": 1000})
    signed_in(page, site, "alice@example.org")
    page.goto(f"{site}/plans/{plan.public_id}/")
    expect(page.get_by_test_id("check")).to_contain_text("Checked")
    dialog = page.get_by_test_id("share-dialog")
    dialog.locator("summary").click()
    invite = page.get_by_test_id("share-invite")
    invite.get_by_label("Invite by email").fill("bob@example.org")
    invite.get_by_label("as").select_option("editor")
    invite.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_test_id("share-invitations")).to_contain_text("bob@example.org · Editor")
    link_form = page.get_by_test_id("share-link-create")
    link_form.get_by_label("Or make a link for").select_option("viewer")
    link_form.get_by_role("button", name="Make a link").click()
    link = page.get_by_test_id("share-link-url").first.input_value()
    assert "/s/" in link
    page.get_by_test_id("share").screenshot(path=str(screenshot_dir / "share-dialog.png"))
    page.screenshot(path=str(screenshot_dir / "trip-page.png"), full_page=True)

    carol = browser.new_context().new_page()
    carol.goto(link)
    expect(carol.get_by_test_id("check")).to_contain_text("Checked")
    expect(carol.get_by_test_id("plan-edit")).to_have_count(0)  # a viewer gets no edit controls
    expect(carol.locator("[data-testid^='remove-']")).to_have_count(0)
    carol.goto(f"{site}/plans/{plan.public_id}/print/")
    expect(carol.locator("body")).to_contain_text("ALZHIR Museum")
    carol.screenshot(path=str(screenshot_dir / "print-page.png"), full_page=True)

    # alice revokes the link: carol's next visit finds nothing.
    page.goto(f"{site}/plans/{plan.public_id}/")  # the dialog opens by itself once something is shared
    page.get_by_test_id("share-links").get_by_role("button", name="Revoke").click()
    carol.goto(f"{site}/plans/{plan.public_id}/")
    expect(carol.locator("h1")).to_contain_text("Not found")
    assert not Membership.objects.filter(plan=plan).exists()  # bob has not accepted yet
