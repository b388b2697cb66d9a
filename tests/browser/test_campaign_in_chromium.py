"""A campaign in a real browser: an editor writes it in the admin, previews it, sends a test to herself, sends
it now; the worker sends it, and the campaign's page shows the progress and each recipient's outcome."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core import mail
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from tests.paths import DEMO
from tripwise.config.worker import run_once
from tripwise.demo import demo_load
from tripwise.newsletter.models import Campaign, Subscriber

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long password for tests"


@pytest.fixture
def site(live_server: LiveServer, settings: Settings) -> str:
    demo_load(path=DEMO)
    settings.MAP_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    settings.TASKS_BACKEND = "database"
    User.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    for name, interests in (("ann", ["history"]), ("bo", ["food"]), ("cy", [])):
        Subscriber.objects.create(email=f"{name}@example.org", status="confirmed", interests=interests)
    return str(live_server.url)


def test_an_editor_writes_previews_tests_and_sends_a_campaign(site: str, page: Page) -> None:
    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")

    page.goto(f"{site}/admin/newsletter/campaign/add/")
    page.fill("#id_subject", "History weekend in Astana")
    page.fill("#id_body", "## ALZHIR\n\nThe museum is open **Tuesday to Sunday**.")
    page.get_by_label("History").check()
    page.click("input[name=_continue]")
    expect(page.locator(".campaign-preview h2")).to_have_text("ALZHIR")  # the preview, rendered and cleaned
    expect(page.locator(".field-progress")).to_contain_text("nothing sent yet")

    page.goto(f"{site}/admin/newsletter/campaign/")
    page.locator("input[name=_selected_action]").first.check()
    page.select_option("select[name=action]", "send_test")
    page.click("button[name=index]")
    expect(page.locator(".messagelist")).to_contain_text("Sent 1 test email(s) to editor@example.org")
    assert [message.subject for message in mail.outbox] == ["[Test] History weekend in Astana"]

    page.locator("input[name=_selected_action]").first.check()
    page.select_option("select[name=action]", "send_now")
    page.click("button[name=index]")
    expect(page.locator(".messagelist")).to_contain_text("History weekend in Astana”: sending")
    for _ in range(3):
        run_once()  # the worker: starts the campaign, sends it

    campaign = Campaign.objects.get()
    assert campaign.status == Campaign.Status.SENT
    # Interested in history, or in everything; not bo, who chose food.
    assert sorted(message.to[0] for message in mail.outbox[1:]) == ["ann@example.org", "cy@example.org"]
    page.goto(f"{site}/admin/newsletter/campaign/{campaign.pk}/change/")
    expect(page.locator(".field-progress")).to_contain_text("sent: 2")
    page.get_by_role("link", name="each recipient").click()
    expect(page.locator("#result_list")).to_contain_text("ann@example.org")
    expect(page.locator("#result_list")).to_contain_text("cy@example.org")
