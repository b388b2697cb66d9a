"""The newsletter through the JSON API: the same 202 for every address, confirm and preferences by the
tokens of the emails' links, unsubscribe at once, and errors in the one error format."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from tripwise.mail.models import OutboxEmail
from tripwise.newsletter.models import Subscriber
from tripwise.newsletter.tokens import manage_token, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def post(client: Client, path: str, data: dict[str, Any]) -> Any:
    return client.post(f"/api/newsletter{path}", data, content_type="application/json")


def test_sign_up_answers_the_same_for_every_address(client: Client, settings: Any) -> None:
    settings.MAIL_SEND_ON_COMMIT = False
    Subscriber.objects.create(email="bo@example.org", status=Subscriber.Status.CONFIRMED)
    new = post(client, "/subscriptions", {"email": "ann@example.org", "interests": ["history"]})
    known = post(client, "/subscriptions", {"email": "BO@example.org"})
    assert new.status_code == known.status_code == 202
    assert new.json() == known.json()
    assert sorted(OutboxEmail.objects.values_list("kind", "to")) == [
        ("newsletter_already_subscribed", ["bo@example.org"]),
        ("newsletter_confirm", ["ann@example.org"]),
    ]


def test_confirm_read_change_and_unsubscribe_by_token(client: Client) -> None:
    post(client, "/subscriptions", {"email": "cy@example.org", "destinations": ["astana"]})
    cy = Subscriber.objects.get(email="cy@example.org")

    confirmed = post(client, "/confirm", {"token": token_for(cy.pk, cy.email, "confirm")})
    assert confirmed.status_code == 200
    assert confirmed.json() == {
        "email": "cy@example.org",
        "status": "confirmed",
        "interests": [],
        "destinations": ["astana"],
    }
    token = manage_token(cy.pk, cy.email)
    changed = client.put(
        "/api/newsletter/preferences",
        {"token": token, "interests": ["food"], "destinations": []},
        content_type="application/json",
    )
    assert changed.json()["interests"] == ["food"]
    assert client.get("/api/newsletter/preferences", {"token": token}).json()["destinations"] == []

    gone = post(client, "/unsubscribe", {"token": token})
    assert gone.json()["status"] == "unsubscribed"
    assert Subscriber.objects.get(pk=cy.pk).status == Subscriber.Status.UNSUBSCRIBED


def test_errors_say_what_was_wrong(client: Client, settings: Any) -> None:
    bad = post(client, "/subscriptions", {"email": "nope", "interests": []})
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "invalid_email"
    unknown = post(client, "/subscriptions", {"email": "d@example.org", "interests": ["casinos"]})
    assert unknown.json()["error"]["code"] == "unknown_interest"
    assert "choose among" in unknown.json()["error"]["message"]
    # A manage token is no confirmation token, and the reverse.
    dee = Subscriber.objects.create(email="dee@example.org")
    wrong = post(client, "/confirm", {"token": manage_token(dee.pk, dee.email)})
    assert wrong.status_code == 404
    assert wrong.json()["error"]["code"] == "bad_link"

    settings.NEWSLETTER_SIGNUPS_PER_CLIENT = 1
    cache.clear()
    assert post(client, "/subscriptions", {"email": "e@example.org"}).status_code == 202
    limited = post(client, "/subscriptions", {"email": "f@example.org"})
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "too_many_signups"
