from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_home_shows_destinations_featured_guides_and_a_search_box(client: Client) -> None:
    html = client.get("/").content.decode()
    assert 'action="/search"' in html
    assert "Astana" in html
    assert "ALZHIR memorial museum" in html
    assert "Kazakh food" not in html  # published but not featured


def test_front_end_assets_are_served_locally(client: Client) -> None:
    html = client.get("/").content.decode()
    assert "/static/vendor/leaflet/dist/leaflet.js" in html
    assert "unpkg" not in html
    assert "cdn" not in html.lower()


def test_the_visitor_can_choose_the_currency_and_it_is_remembered(client: Client) -> None:
    client.get("/", {"currency": "EUR"})
    html = client.get("/").content.decode()
    assert '<option value="EUR" selected>' in html
