"""Outbox fixtures: the test templates, a real SMTP server (tests.smtp), and one that refuses some recipients."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from tests.smtp import Inbox, body, free_port, serving, smtp_inbox

__all__ = ["Inbox", "body", "free_port", "smtp_inbox"]

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


@pytest.fixture(autouse=True)
def mail_test_templates(settings: Settings) -> None:
    """The templates under tests/mail/templates (mail_tests/...), beside the site's own."""
    engine = dict(settings.TEMPLATES[0])
    engine["DIRS"] = [*engine["DIRS"], TEMPLATES_DIR]
    settings.TEMPLATES = [engine, *settings.TEMPLATES[1:]]


class PickyInbox(Inbox):
    """An inbox whose server answers RCPT for the addresses in `answers` with the given reply."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: dict[str, str] = {}

    async def handle_RCPT(  # aiosmtpd calls it by this name
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.answers:
            return self.answers[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def picky_inbox(settings: Settings) -> Iterator[PickyInbox]:
    with serving(PickyInbox(), settings) as inbox:
        yield inbox
