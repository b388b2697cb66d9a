"""The newsletter in a real browser: a reader signs up from the ALZHIR guide, confirms from the email's link
(the page's button, not the link, confirms), changes what they receive, and unsubscribes."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from tests.paths import DEMO
from tripwise.demo import demo_load
from tripwise.newsletter.models import Consent, Subscriber

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: LiveServer, settings: Settings) -> str:
    demo_load(path=DEMO)
    settings.MAP_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    settings.SITE_URL = str(live_server.url)
    return str(live_server.url)


def link_in_last_email(part: str) -> str:
    found = re.search(rf"https?://\S+{part}\S+", str(mail.outbox[-1].body))
    assert found is not None, mail.outbox[-1].body
    return found.group(0)


def test_a_reader_signs_up_from_a_guide_confirms_changes_and_unsubscribes(site: str, page: Page) -> None:
    page.goto(f"{site}/guides/alzhir-museum/")
    box = page.get_by_test_id("guide-newsletter")
    box.get_by_label("Email").fill("ria@example.org")
    box.locator("summary").click()
    box.get_by_label("History").check()
    box.get_by_test_id("newsletter-subscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    confirm_url = link_in_last_email("/newsletter/confirm/")
    page.goto(confirm_url)
    expect(page.get_by_test_id("newsletter-confirm")).to_contain_text("ria@example.org")
    assert Subscriber.objects.get(email="ria@example.org").status == Subscriber.Status.PENDING
    page.get_by_test_id("confirm").click()

    expect(page.get_by_test_id("messages")).to_contain_text("Your subscription is confirmed")
    expect(page.get_by_test_id("subscriber-status")).to_contain_text("ria@example.org: subscribed")
    preferences = page.get_by_test_id("newsletter-manage")
    expect(preferences.get_by_label("History")).to_be_checked()
    expect(preferences.get_by_label("Astana")).to_be_checked()  # the guide's destination came with the form
    preferences.get_by_label("Food").check()
    preferences.get_by_test_id("save").click()
    expect(page.get_by_test_id("messages")).to_contain_text("Your preferences are saved")
    assert Subscriber.objects.get(email="ria@example.org").interests == ["food", "history"]

    page.get_by_test_id("unsubscribe-link").click()
    page.get_by_test_id("unsubscribe").click()
    expect(page.get_by_test_id("unsubscribed")).to_contain_text("no more newsletters")
    subscriber = Subscriber.objects.get(email="ria@example.org")
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    actions = list(Consent.objects.filter(subscriber=subscriber).values_list("action", "source"))
    assert actions == [
        ("requested", "guide:alzhir-museum"),
        ("confirmed", "email link"),
        ("changed", "preferences page"),
        ("unsubscribed", "unsubscribe page"),
    ]
