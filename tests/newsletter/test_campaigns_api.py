"""Campaigns through the API, for editors only: write a draft, read its preview, send a test, send it, follow
each recipient's outcome; everyone else is refused with the reason."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.core import mail
from django.test import Client

from tripwise.config.worker import run_once
from tripwise.newsletter.models import Subscriber

pytestmark = pytest.mark.django_db

DRAFT = {
    "subject": "Food in Astana",
    "body": "## Beshbarmak\n\nA [class](https://tripwise.example/x/).",
    "interests": ["food"],
}


@pytest.fixture
def editor(client: Client) -> Client:
    user = User.objects.create_user("ed", "ed@example.org", "ed-password-1", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_campaign"))
    client.force_login(user)
    return client


def post(client: Client, path: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(f"/api/newsletter/campaigns{path}", data or {}, content_type="application/json")


def test_an_editor_writes_tests_sends_and_follows_a_campaign(editor: Client, settings: Any) -> None:
    settings.TASKS_BACKEND = "database"
    Subscriber.objects.create(email="ann@example.org", status="confirmed", interests=["food"])
    Subscriber.objects.create(email="bo@example.org", status="confirmed", interests=["art"])

    made = post(editor, "", DRAFT)
    assert made.status_code == 201
    campaign = made.json()
    assert campaign["status"] == "draft"
    assert '<h2 id="beshbarmak">Beshbarmak</h2>' in campaign["html"]
    assert "A class (https://tripwise.example/x/)." in campaign["text"]

    tested = post(editor, f"/{campaign['id']}/test")
    assert tested.status_code == 200
    assert [(m.subject, m.to) for m in mail.outbox] == [("[Test] Food in Astana", ["ed@example.org"])]

    sent = post(editor, f"/{campaign['id']}/send")
    assert sent.json()["status"] == "scheduled"
    run_once()
    run_once()
    done = editor.get(f"/api/newsletter/campaigns/{campaign['id']}").json()
    assert done["status"] == "sent"
    assert done["progress"]["sent"] == 1
    rows = editor.get(f"/api/newsletter/campaigns/{campaign['id']}/deliveries").json()
    assert [(row["email"], row["status"]) for row in rows] == [("ann@example.org", "sent")]
    again = post(editor, f"/{campaign['id']}/send")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "not_a_draft"


def test_only_editors_may_and_bad_input_is_named(client: Client, editor: Client) -> None:
    assert post(Client(), "", DRAFT).json()["error"]["code"] == "sign_in"
    reader = Client()
    reader.force_login(User.objects.create_user("rea", "rea@example.org", "rea-password-1"))
    refused = post(reader, "", DRAFT)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "not_an_editor"

    broken = post(editor, "", {**DRAFT, "subject": "Food\r\nBcc: everyone@example.org"})
    assert broken.status_code == 422
    assert broken.json()["error"]["code"] == "bad_subject"
    unknown = post(editor, "", {**DRAFT, "destinations": ["atlantis"]})
    assert unknown.status_code == 422
    assert unknown.json()["error"]["code"] == "unknown_destination"
    draft = post(editor, "", DRAFT).json()
    naive = post(editor, f"/{draft['id']}/send", {"send_at": "2026-12-01T09:00:00"})
    assert naive.status_code == 422
    assert naive.json()["error"]["code"] == "naive_time"
    assert editor.get(f"/api/newsletter/campaigns/{draft['id'] + 100}").status_code == 404
