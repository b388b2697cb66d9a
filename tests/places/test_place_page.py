from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from tripwise.places.models import Place

pytestmark = pytest.mark.django_db


def map_markers(html: str) -> list[dict[str, object]]:
    script = (
        html.split('data-testid="map"')[1].split('<script type="application/json">')[1].split("</script>")[0]
    )
    return list(json.loads(script))


def test_every_place_has_a_page_with_facts_and_a_map(client: Client) -> None:
    places = list(Place.objects.all())
    assert len(places) >= 21
    for place in places:
        html = client.get(f"/places/{place.slug}/").content.decode()
        assert 'data-testid="facts-panel"' in html, place.slug
        assert map_markers(html)[0] == {
            "lat": pytest.approx(place.lat),
            "lon": pytest.approx(place.lon),
            "name": place.name,
            "url": f"/places/{place.slug}/",
            "kind": "place",
        }


def test_the_map_shows_where_the_bus_leaves_and_arrives(client: Client) -> None:
    markers = map_markers(client.get("/places/alzhir-museum/").content.decode())
    assert [marker["name"] for marker in markers if marker["kind"] == "stop"] == [
        "Asia Park: bus 300",
        "Akmol, ALZHIR Museum: bus 300",
    ]


def test_a_place_without_known_hours_says_so(client: Client) -> None:
    Place.objects.filter(slug="bayterek-tower").update(opening_hours="")
    html = client.get("/places/bayterek-tower/").content.decode()
    assert "Opening hours unknown" in html
    assert "check before you go" in html


def test_the_facts_panel_refreshes_alone(client: Client) -> None:
    with time_machine.travel(datetime(2026, 11, 30, 12, 0, tzinfo=ZoneInfo("Asia/Almaty")), tick=False):
        response = client.get("/places/alzhir-museum/facts")
    html = response.content.decode()
    assert html.lstrip().startswith("<aside")
    assert "Closed now" in html
    assert 'hx-trigger="every 60s"' in html


def test_an_unknown_place_is_a_404(client: Client) -> None:
    assert client.get("/places/no-such-place/").status_code == 404


def test_the_destination_page_maps_all_its_places(client: Client) -> None:
    html = client.get("/destinations/astana/").content.decode()
    markers = map_markers(html)
    assert len(markers) == Place.objects.filter(destination__slug="astana").count()
    assert "Also known as" in html
