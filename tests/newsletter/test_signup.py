"""Sign-up with double opt-in, through the pages and a real SMTP server: the confirmation email's link opens a
page that changes nothing until its button is pressed (a POST), the same answer whatever the address's state,
consent kept as proof, and limits per address and per client."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client

from tests.smtp import Inbox, body, smtp_inbox
from tripwise.guides.models import Guide
from tripwise.newsletter.models import Consent, Subscriber

__all__ = ["smtp_inbox"]  # the fixture, used by name

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s\"<>]+")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture(autouse=True)
def fresh_limits() -> Iterator[None]:
    cache.clear()  # the sign-up counters of other tests
    yield
    cache.clear()


def sign_up(client: Client, email: str, **fields: Any) -> Any:
    data = {"email": email, "source": "footer", **fields}
    return client.post("/newsletter/", data, REMOTE_ADDR=fields.pop("ip", "203.0.113.7"))


def links_in(message: EmailMessage) -> list[str]:
    return LINK.findall(body(message))


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_confirming_takes_a_press_of_the_button_not_just_opening_the_link(
    client: Client, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        answer = sign_up(client, "Ann@Example.org", interests=["history", "food"], destinations=["astana"])
    assert answer.status_code == 200
    assert "Check your email" in answer.content.decode()

    message = smtp_inbox.last()
    assert message["To"] == "ann@example.org"
    assert message["Subject"] == "Confirm your Tripwise newsletter subscription"
    assert "about food, history, in Astana" in " ".join(body(message).split())
    html = message.get_body(preferencelist=("html",))
    assert html is not None
    assert "Open the confirmation page" in str(html.get_content())
    [confirm_url] = [url for url in links_in(message) if "/newsletter/confirm/" in url]

    # A mail scanner opens the link: the page shows a button, the subscriber is still pending.
    page = client.get(path_of(confirm_url))
    assert page.status_code == 200
    assert 'data-testid="confirm"' in page.content.decode()
    subscriber = Subscriber.objects.get(email="ann@example.org")
    assert subscriber.status == Subscriber.Status.PENDING

    pressed = client.post(path_of(confirm_url), REMOTE_ADDR="198.51.100.4", HTTP_USER_AGENT="Firefox")
    assert pressed.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.confirmed_at is not None
    assert sorted(subscriber.destinations.values_list("slug", flat=True)) == ["astana"]

    # The proof: who asked, from where, and who confirmed, from where, with what was chosen.
    asked, confirmed = Consent.objects.filter(subscriber=subscriber)
    assert (asked.action, asked.source, asked.ip) == ("requested", "footer", "203.0.113.7")
    assert (confirmed.action, confirmed.ip, confirmed.user_agent) == ("confirmed", "198.51.100.4", "Firefox")
    assert confirmed.interests == ["food", "history"]
    assert confirmed.destinations == ["astana"]
    # It lands on the preferences page, signed in by its link.
    manage = client.get(pressed["Location"])
    assert "ann@example.org: subscribed" in manage.content.decode()


def test_the_answer_is_the_same_for_a_new_a_pending_and_a_subscribed_address(
    client: Client, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    Subscriber.objects.create(email="bo@example.org", status=Subscriber.Status.CONFIRMED, interests=["art"])
    Subscriber.objects.create(email="cy@example.org", status=Subscriber.Status.PENDING)
    pages = []
    with django_capture_on_commit_callbacks(execute=True):
        for address in ("new@example.org", "cy@example.org", "bo@example.org"):
            answer = sign_up(client, address)
            page = CSRF.sub(
                "", answer.content.decode().replace(address, "ADDRESS")
            )  # masked afresh each time
            pages.append((answer.status_code, page))
    assert pages[0] == pages[1] == pages[2]

    # Only the mailbox learns the difference.
    by_address = {message["To"]: message for message in smtp_inbox.messages}
    assert "/newsletter/confirm/" in body(by_address["new@example.org"])
    assert "/newsletter/confirm/" in body(by_address["cy@example.org"])
    already = by_address["bo@example.org"]
    assert already["Subject"] == "You are already subscribed to the Tripwise newsletter"
    assert "/newsletter/confirm/" not in body(already)
    assert "/newsletter/manage/" in body(already)
    # Someone typing a subscriber's address changes nothing of theirs.
    assert Subscriber.objects.get(email="bo@example.org").interests == ["art"]


def test_limits_per_address_are_quiet_and_per_client_are_said(
    client: Client, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.NEWSLETTER_SIGNUPS_PER_ADDRESS, settings.NEWSLETTER_SIGNUPS_PER_CLIENT = 2, 4
    with django_capture_on_commit_callbacks(execute=True):
        answers = [sign_up(client, "dee@example.org").status_code for _ in range(3)]
    assert answers == [200, 200, 200]  # the third is not refused (that would tell), just not mailed
    assert len(smtp_inbox.messages) == 2

    fourth = sign_up(client, "eve@example.org")
    assert fourth.status_code == 200
    fifth = sign_up(client, "fay@example.org")
    assert fifth.status_code == 429
    assert "Too many sign-ups from your network" in fifth.content.decode()
    assert not Subscriber.objects.filter(email="fay@example.org").exists()
    # Another network is not held up.
    assert sign_up(client, "fay@example.org", ip="192.0.2.10").status_code == 200


def test_a_bad_address_or_choice_is_refused_with_what_to_do(client: Client) -> None:
    answer = sign_up(client, "not an address")
    assert answer.status_code == 422
    assert "Enter a valid email address" in answer.content.decode()
    answer = sign_up(client, "gus@example.org", interests=["casinos"])
    assert answer.status_code == 422
    assert "casinos is not one of the available choices" in answer.content.decode()
    assert not Subscriber.objects.exists()


def test_a_forged_or_expired_confirmation_link_says_what_to_do(client: Client, settings: Any) -> None:
    answer = client.get("/newsletter/confirm/not-a-token/")
    assert answer.status_code == 404
    assert "This link is not valid" in answer.content.decode()


def test_every_page_has_the_sign_up_form_in_its_footer(client: Client) -> None:
    page = client.get("/").content.decode()
    assert 'data-testid="newsletter-form"' in page
    assert 'value="footer"' in page


def test_a_guide_page_offers_its_destination_and_the_account_page_the_address(
    client: Client, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    guide = Guide.objects.filter(status=Guide.Status.PUBLISHED).select_related("destination").first()
    assert guide is not None
    page = client.get(guide.get_absolute_url()).content.decode()
    assert f'value="guide:{guide.slug}"' in page
    assert re.search(rf'name="destinations" value="{guide.destination.slug}"[^>]*checked', page)

    User.objects.create_user("hal", "hal@example.org", "hal-password-1")
    client.login(username="hal", password="hal-password-1")
    account = client.get("/trips/").content.decode()
    assert 'value="hal@example.org"' in account
    assert 'value="account"' in account
