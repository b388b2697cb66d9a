"""Accounts fixtures: a real SMTP server on loopback, and signing in through the pages as people do."""

from __future__ import annotations

import re
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client

from tests.smtp import Inbox, body, free_port, smtp_inbox

__all__ = ["Inbox", "body", "free_port", "smtp_inbox"]


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    # allauth counts sign-ins and emails per address in the cache; one test's attempts must not limit another's.
    cache.clear()


def only_link(message: EmailMessage) -> str:
    links = re.findall(r"https?://\S+", body(message))
    assert len(links) == 2, links  # the action's link, and the site's address in the signature
    return str(links[0])


def path_of(link: str) -> str:
    return urlsplit(link).path


def verified_user(name: str, password: str) -> User:
    """A person who signed up and confirmed their address."""
    user = User.objects.create_user(name, f"{name}@example.org", password)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def sign_in(client: Client, address: str, password: str) -> Any:
    return client.post("/accounts/login/", {"login": address, "password": password})


def signed_in_as(client: Client) -> str | None:
    """The email of who the client is signed in as, from the page header."""
    nav = re.search(r'data-testid="account-nav">(.*?)</nav>', client.get("/").content.decode(), re.S)
    assert nav is not None
    shown = re.search(r'<span class="muted">([^<]+)</span>', nav.group(1))
    return shown.group(1) if shown else None
