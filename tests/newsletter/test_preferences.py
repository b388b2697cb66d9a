"""After confirming: preferences from the link in every email, unsubscribing from a page (GET shows a button,
POST acts) or in one click from the mail program (RFC 8058), effective at once; links that expire or name
another address are refused with what to do."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tripwise.newsletter.models import Consent, Subscriber
from tripwise.newsletter.tokens import CONFIRM_DAYS, MANAGE_DAYS, manage_token, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann(db: None) -> Subscriber:
    return Subscriber.objects.create(
        email="ann@example.org", status=Subscriber.Status.CONFIRMED, interests=["history"]
    )


def manage_path(subscriber: Subscriber) -> str:
    return f"/newsletter/manage/{manage_token(subscriber.pk, subscriber.email)}/"


def unsubscribe_path(subscriber: Subscriber) -> str:
    return f"/newsletter/unsubscribe/{manage_token(subscriber.pk, subscriber.email)}/"


def test_preferences_change_from_the_link_and_are_recorded(client: Client, ann: Subscriber) -> None:
    page = client.get(manage_path(ann))
    assert page.status_code == 200
    ticked = re.findall(r'name="interests" value="(\w+)"[^>]*checked', page.content.decode())
    assert ticked == ["history"]

    saved = client.post(manage_path(ann), {"interests": ["nature", "food"], "destinations": ["astana"]})
    assert saved.status_code == 302
    ann.refresh_from_db()
    assert ann.interests == ["food", "nature"]
    assert list(ann.destinations.values_list("slug", flat=True)) == ["astana"]
    change = Consent.objects.get(subscriber=ann)
    assert (change.action, change.source, change.interests) == (
        "changed",
        "preferences page",
        ["food", "nature"],
    )
    assert "Your preferences are saved." in client.get(saved["Location"]).content.decode()


def test_opening_the_unsubscribe_link_asks_and_pressing_the_button_unsubscribes(
    client: Client, ann: Subscriber
) -> None:
    page = client.get(unsubscribe_path(ann))
    assert 'data-testid="unsubscribe"' in page.content.decode()
    ann.refresh_from_db()
    assert ann.status == Subscriber.Status.CONFIRMED  # a scanner opening the link changes nothing

    done = client.post(unsubscribe_path(ann))
    assert done.status_code == 200
    assert "ann@example.org is unsubscribed" in done.content.decode()
    ann.refresh_from_db()
    assert ann.status == Subscriber.Status.UNSUBSCRIBED
    assert ann.unsubscribed_at is not None
    assert Consent.objects.get(subscriber=ann).action == "unsubscribed"


def test_one_click_unsubscribe_from_the_mail_program(ann: Subscriber) -> None:
    # RFC 8058: the mail program POSTs "List-Unsubscribe=One-Click" with no cookie and no CSRF token.
    mail_program = Client(enforce_csrf_checks=True)
    answer = mail_program.post(
        unsubscribe_path(ann) + "one-click",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 200
    ann.refresh_from_db()
    assert ann.status == Subscriber.Status.UNSUBSCRIBED  # at once, not after a batch
    assert Consent.objects.get(subscriber=ann).source == "one-click"
    # Again: harmless, still one record.
    assert mail_program.post(unsubscribe_path(ann) + "one-click", "List-Unsubscribe=One-Click",
                             content_type="application/x-www-form-urlencoded").status_code == 200  # fmt: skip
    assert Consent.objects.filter(subscriber=ann).count() == 1
    # A GET (a link scanner) does nothing.
    assert mail_program.get(unsubscribe_path(ann) + "one-click").status_code == 405


def test_links_expire_and_never_work_for_another_address(client: Client, ann: Subscriber) -> None:
    confirm = token_for(ann.pk, ann.email, "confirm")
    with time_machine.travel(timezone.now() + timedelta(days=CONFIRM_DAYS, hours=1)):
        expired = client.get(f"/newsletter/confirm/{confirm}/")
    assert expired.status_code == 404
    assert "This link has expired" in expired.content.decode()

    with time_machine.travel(timezone.now() + timedelta(days=MANAGE_DAYS - 1)):
        assert client.get(manage_path(ann)).status_code == 200  # a newsletter kept for a year still works

    # The row now belongs to another address: the old links stop working.
    old = manage_path(ann)
    Subscriber.objects.filter(pk=ann.pk).update(email="someone.else@example.org")
    refused = client.post(old.replace("/manage/", "/unsubscribe/"))
    assert refused.status_code == 404
    assert "no longer exists" in refused.content.decode()
    assert Subscriber.objects.get(pk=ann.pk).status == Subscriber.Status.CONFIRMED

    forged = client.get(manage_path(ann)[:-6] + "AAAAA/")
    assert forged.status_code == 404
    assert "This link is not valid" in forged.content.decode()


def test_a_confirmation_after_unsubscribing_says_to_sign_up_again(client: Client, ann: Subscriber) -> None:
    confirm = token_for(ann.pk, ann.email, "confirm")
    Subscriber.objects.filter(pk=ann.pk).update(status=Subscriber.Status.UNSUBSCRIBED)
    answer = client.post(f"/newsletter/confirm/{confirm}/")
    assert answer.status_code == 409
    assert "Sign up again" in answer.content.decode()
    assert Subscriber.objects.get(pk=ann.pk).status == Subscriber.Status.UNSUBSCRIBED
