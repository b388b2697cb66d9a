"""Editors keep places' facts and publish guides in the admin."""

from __future__ import annotations

import pytest
from django.test import Client

from tripwise.guides.models import Guide
from tripwise.places.models import Destination, Place

pytestmark = pytest.mark.django_db


def place_form(**overrides: str) -> dict[str, str]:
    destination = Destination.objects.get(slug="astana")
    data = {
        "destination": str(destination.pk),
        "name": "Triumphal Arch Mangilik El",
        "slug": "test-arch",
        "kind": "monument",
        "summary": "",
        "tags": '["architecture"]',
        "aliases": '["Мәңгілік Ел"]',
        "lat": "51.0893",
        "lon": "71.4145",
        "address": "",
        "timezone": "Asia/Almaty",
        "opening_hours": "Mo-Su 10:00-22:00",
        "visit_minutes": "30",
        "rules": "[]",
        "assumed_fields": "[]",
        "source": "",
        "osm_ref": "",
        "prices-TOTAL_FORMS": "0",
        "prices-INITIAL_FORMS": "0",
        "access-TOTAL_FORMS": "0",
        "access-INITIAL_FORMS": "0",
    }
    return {**data, **overrides}


def test_a_bad_opening_hours_value_is_refused_with_a_clear_message(alice_client: Client) -> None:
    response = alice_client.post("/admin/places/place/add/", place_form(opening_hours="Mo-Fr 25:00-18:00"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "is not valid opening_hours syntax" in html
    assert "Tu-Su 10:00-18:00" in html  # an example of what to write
    assert not Place.objects.filter(slug="test-arch").exists()


def test_a_good_place_is_saved_and_found_by_search(alice_client: Client, client: Client) -> None:
    response = alice_client.post("/admin/places/place/add/", place_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Place.objects.get(slug="test-arch").opening_hours == "Mo-Su 10:00-22:00"
    assert "Triumphal Arch" in client.get("/search", {"q": "Мәңгілік"}).content.decode()


def test_a_bad_time_zone_is_refused(alice_client: Client) -> None:
    response = alice_client.post("/admin/places/place/add/", place_form(timezone="Asia/Astana-ish"))
    assert "is not an IANA time zone" in response.content.decode()


def test_editors_publish_drafts_and_readers_then_see_them(alice_client: Client, client: Client) -> None:
    guide = Guide.objects.get(slug="kazakh-food-in-astana")
    Guide.objects.filter(pk=guide.pk).update(status=Guide.Status.DRAFT, published_at=None)
    assert client.get(guide.get_absolute_url()).status_code == 404
    alice_client.post("/admin/guides/guide/", {"action": "publish", "_selected_action": [str(guide.pk)]})
    guide.refresh_from_db()
    assert guide.status == Guide.Status.PUBLISHED
    assert guide.published_at is not None
    assert client.get(guide.get_absolute_url()).status_code == 200


def test_travellers_cannot_use_the_admin(bob_client: Client) -> None:
    response = bob_client.get("/admin/places/place/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
