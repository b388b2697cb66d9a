from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_schema_is_published(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    assert {"/api/destinations", "/api/guides", "/api/places", "/api/places/{place_id}"} <= schema[
        "paths"
    ].keys()


def test_destinations_are_found_by_alias(client: Client) -> None:
    assert client.get("/api/destinations/Nur-Sultan").json()["slug"] == "astana"


def test_a_guide_comes_with_safe_html_and_credits(client: Client) -> None:
    guide = client.get("/api/guides/alzhir-museum").json()
    assert guide["place"] == "alzhir-museum"
    assert "<h2" in guide["body_html"]
    assert all(image["credit"] for image in guide["images"])


def test_a_place_comes_with_its_facts(client: Client) -> None:
    place = client.get("/api/places/alzhir-museum", {"currency": "EUR"}).json()
    assert place["open_now"]["closed_days"] == "Closed on Mondays"
    assert place["access"][0]["route"] == "300"
    assert len(place["access"][0]["next_departures"]) == 3


def test_places_filter_by_destination_and_kind(client: Client) -> None:
    places = client.get("/api/places", {"destination": "Астана", "kind": "museum"}).json()
    assert places
    assert {place["kind"] for place in places} == {"museum"}


def test_errors_have_one_format(client: Client) -> None:
    missing = client.get("/api/places/atlantis")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    bad = client.get("/api/places", {"kind": "volcano"})
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "invalid_request"
    assert "kind" in bad.json()["error"]["message"]
