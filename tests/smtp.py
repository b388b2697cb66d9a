"""A real SMTP server on loopback for email tests: the site's email settings pointed at it, and what it
received parsed as a mail client would. Use the `smtp_inbox` fixture (import it into a conftest)."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from typing import Any, TypeVar

import pytest
from aiosmtpd.controller import Controller
from pytest_django.fixtures import Settings


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


InboxT = TypeVar("InboxT", bound="Inbox")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(inbox: InboxT, settings: Settings) -> Iterator[InboxT]:
    """`inbox` served by a real SMTP server on a free loopback port, with the site's email settings
    pointed at it."""
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


@pytest.fixture
def smtp_inbox(settings: Settings) -> Iterator[Inbox]:
    """A real SMTP server on a free loopback port, and the site's email settings pointed at it."""
    with serving(Inbox(), settings) as inbox:
        yield inbox


def body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())
