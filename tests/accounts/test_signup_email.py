"""Sign up, confirm the address, sign in, and reset a forgotten password, end to end through a real SMTP server.

The emails are read as a mail client reads them (parsed from what the server received), and their links are
followed with the test client, as a person clicks them.
"""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from tests.accounts.conftest import Inbox, body, only_link, path_of, sign_in, signed_in_as, verified_user
from tests.trips.test_views import valid_post
from tripwise.trips.models import Plan

pytestmark = pytest.mark.django_db

PASSWORD = "steppe-wind-1937"


def test_sign_up_confirm_by_email_then_sign_in(client: Client, smtp_inbox: Inbox) -> None:
    # A trip planned before signing up comes along.
    planned = client.post("/plan/", valid_post())
    assert planned.status_code == 302
    plan = Plan.objects.get(public_id=planned["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert plan.owner is None

    assert client.get("/accounts/signup/").status_code == 200
    response = client.post(
        "/accounts/signup/", {"email": "carol@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "Check your email" in client.get(response["Location"]).content.decode()
    assert signed_in_as(client) is None  # mandatory verification: not signed in yet

    message = smtp_inbox.last()
    assert message["To"] == "carol@example.org"
    assert smtp_inbox.recipients[-1] == ["carol@example.org"]
    assert message["Subject"] == "Tripwise: Confirm your email address"
    assert str(message["From"]) == settings.DEFAULT_FROM_EMAIL
    link = only_link(message)
    assert link.startswith(f"{settings.SITE_URL}/accounts/confirm-email/")
    assert settings.SITE_URL in body(message)

    # Opening the link only asks (mail scanners open links); the button confirms.
    page = client.get(path_of(link))
    assert page.status_code == 200
    assert "carol@example.org" in page.content.decode()
    assert not EmailAddress.objects.get(email="carol@example.org").verified
    confirmed = client.post(path_of(link))
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(email="carol@example.org").verified
    # Confirmed in the browser that signed up: signed in, and the trip is theirs.
    assert confirmed["Location"] == "/trips/"
    assert signed_in_as(client) == "carol@example.org"
    carol = User.objects.get(email="carol@example.org")
    plan.refresh_from_db()
    assert plan.owner == carol
    assert plan.title in client.get("/trips/").content.decode()

    assert client.post("/accounts/logout/").status_code == 302
    assert signed_in_as(client) is None
    other_browser = Client()
    assert sign_in(other_browser, "carol@example.org", "wrong-password").status_code == 200
    assert signed_in_as(other_browser) is None
    signed = sign_in(other_browser, "carol@example.org", PASSWORD)
    assert signed.status_code == 302
    assert signed_in_as(other_browser) == "carol@example.org"


def test_an_unconfirmed_address_cannot_sign_in(client: Client, smtp_inbox: Inbox) -> None:
    client.post(
        "/accounts/signup/", {"email": "erin@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert len(smtp_inbox.messages) == 1
    other_browser = Client()
    response = sign_in(other_browser, "erin@example.org", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert signed_in_as(other_browser) is None


def test_password_reset_by_email(client: Client, smtp_inbox: Inbox) -> None:
    verified_user("frank", "old-password-for-frank")
    assert client.get("/accounts/password/reset/").status_code == 200
    response = client.post("/accounts/password/reset/", {"email": "frank@example.org"})
    assert response.status_code == 302

    message = smtp_inbox.last()
    assert message["To"] == "frank@example.org"
    assert message["Subject"] == "Tripwise: Choose a new password"
    link = only_link(message)
    assert link.startswith(f"{settings.SITE_URL}/accounts/password/reset/key/")
    assert "frank" not in body(message).replace("frank@example.org", "")  # no username is ever shown

    form = client.get(path_of(link), follow=True)
    assert form.status_code == 200
    assert "Choose a new password" in form.content.decode()
    new_password = "a-new-steppe-password-2026"
    done = client.post(form.redirect_chain[-1][0] if form.redirect_chain else path_of(link),
                       {"password1": new_password, "password2": new_password})  # fmt: skip
    assert done.status_code == 302

    # The link works once.
    assert "This link does not work" in client.get(path_of(link), follow=True).content.decode()
    browser = Client()
    assert sign_in(browser, "frank@example.org", "old-password-for-frank").status_code == 200
    assert sign_in(browser, "frank@example.org", new_password).status_code == 302
    assert signed_in_as(browser) == "frank@example.org"


def test_a_reset_for_an_unknown_address_says_nothing_of_who_has_an_account(
    client: Client, smtp_inbox: Inbox
) -> None:
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302  # the same answer as for a real account
    assert smtp_inbox.last()["To"] == "nobody@example.org"
    assert "/accounts/password/reset/key/" not in body(smtp_inbox.last())
