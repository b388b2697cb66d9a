"""Accounts fixtures: a real SMTP server on loopback, and signing in through the pages as people do."""

from __future__ import annotations

import email
import email.policy
import re
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from pytest_django.fixtures import Settings


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    # allauth counts sign-ins and emails per address in the cache; one test's attempts must not limit another's.
    cache.clear()


class Inbox:
    """What the SMTP server received, parsed as the mail client would."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(
        self, server: Any, session: Any, envelope: Any
    ) -> str:  # aiosmtpd calls it by this name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"

    def last(self) -> EmailMessage:
        assert self.messages, "no email arrived"
        return self.messages[-1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def smtp_inbox(settings: Settings) -> Iterator[Inbox]:
    """A real SMTP server on a free loopback port, and the site's email settings pointed at it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    try:
        yield inbox
    finally:
        controller.stop()


def body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


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
