"""Input that a database cannot store (NUL characters) is refused with a 400 that says why, on every backend."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/search?q=a%00b", "/?currency=%00", "/places/alzhir-museum/?x=%00"])
def test_pages_refuse_nul_characters(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


@pytest.mark.parametrize("url", ["/api/places/a%00b", "/api/guides/a%00", "/api/places?destination=%00"])
def test_the_api_refuses_nul_characters_in_its_error_format(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_characters"


def test_a_text_body_with_a_nul_is_refused_before_anything_is_stored(client: Client) -> None:
    from tripwise.assistant.models import Conversation

    response = client.post(
        "/api/conversations", {"text": "two days in Astana\u0000"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_characters"
    form = client.post("/assistant/", {"text": "Astana\x00 tomorrow"})
    assert form.status_code == 400
    assert not Conversation.objects.exists()
