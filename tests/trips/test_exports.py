"""The export endpoints: each answers in its format with what parses back, and only to whoever may see
the plan; a calendar feed subscribed through a share link stops when the link is revoked."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import geojson
import gpxpy
import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from tests.core.export.test_gpx import gpx_schema, tree
from tripwise.trips import pdf
from tripwise.trips.models import Plan, Role, ShareLink
from tripwise.trips.services import plan_create

pytestmark = pytest.mark.django_db

TRIP = {
    "destination": "astana",
    "start_date": "2026-11-30",  # a Monday: ALZHIR is closed, so day 2 takes the bus there
    "days": 2,
    "base": "Asia Park",
    "modes": ["walk", "transit"],
    "must_see": ["alzhir-museum"],
    "interests": ["history"],
}
FILES = {
    "calendar.ics": "text/calendar; charset=utf-8",
    "plan.gpx": "application/gpx+xml",
    "plan.geojson": "application/geo+json",
}
PAGES = ["calendar.ics", "plan.gpx", "plan.geojson", "print/", "exports/"]


@pytest.fixture
def plan() -> Plan:
    return plan_create(request=TRIP)


@pytest.fixture
def owned(plan: Plan, bob: User) -> Plan:
    plan.owner = bob
    plan.save()
    return plan


def url(plan: Plan, name: str, **query: str) -> str:
    address = f"/plans/{plan.public_id}/{name}"
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def items(plan: Plan, kind: str) -> list[dict[str, Any]]:
    return [i for day in plan.result["days"] for i in day["items"] if i["type"] == kind]


def test_the_calendar_has_every_visit_and_bus_at_its_time_in_astana(client: Client, plan: Plan) -> None:
    response = client.get(url(plan, "calendar.ics"))
    assert response.status_code == 200
    assert response["Content-Type"] == FILES["calendar.ics"]
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Cache-Control"] == "no-store"
    calendar = Calendar.from_ical(response.content)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    visits = items(plan, "visit")
    transit = [t for t in items(plan, "travel") if t["mode"] == "transit"]
    assert transit, "the demo trip goes to ALZHIR by bus 300"
    assert len(events) == len(visits) + len(transit)
    for visit in visits:
        event = events[visit["name"]]
        assert event.decoded("DTSTART") == datetime.fromisoformat(visit["start"])
        assert event.decoded("DTEND") == datetime.fromisoformat(visit["end"])
        assert str(event["DTSTART"].params["TZID"]) == "Asia/Almaty"
        assert event.decoded("DTSTART").utcoffset().total_seconds() == 5 * 3600
        assert int(event["SEQUENCE"]) == plan.revision
    buses = [e for name, e in events.items() if name.startswith("Bus 300 ")]
    assert len(buses) == len(transit)
    assert any(
        "[asia-park]" in str(e["DESCRIPTION"]) and "[akmol-alzhir]" in str(e["DESCRIPTION"]) for e in buses
    )
    assert str(calendar["URL"]) == f"http://testserver/plans/{plan.public_id}/"


def test_download_makes_it_an_attachment_named_after_the_trip(client: Client, plan: Plan) -> None:
    for name in FILES:
        response = client.get(url(plan, name, download="1"))
        assert response["Content-Disposition"].startswith("attachment; filename=")
        assert response["Content-Disposition"].endswith(f'.{name.split(".")[1]}"')


def test_gpx_is_valid_gpx_1_1_with_the_visits(client: Client, plan: Plan) -> None:
    response = client.get(url(plan, "plan.gpx"))
    assert response["Content-Type"] == FILES["plan.gpx"]
    gpx_schema().validate(tree(response.content))
    gpx = gpxpy.parse(response.content.decode())
    assert [w.name for w in gpx.waypoints] == [v["name"] for v in items(plan, "visit")]
    assert len(gpx.routes) == len(plan.result["days"])


def test_geojson_is_valid_with_points_at_lon_lat(client: Client, plan: Plan) -> None:
    response = client.get(url(plan, "plan.geojson"))
    assert response["Content-Type"] == FILES["plan.geojson"]
    assert geojson.loads(response.content.decode()).is_valid
    collection = json.loads(response.content)
    points = [f for f in collection["features"] if f["geometry"]["type"] == "Point"]
    assert [p["geometry"]["coordinates"] for p in points] == [
        [v["lon"], v["lat"]] for v in items(plan, "visit")
    ]


def test_the_print_page_has_the_timeline_costs_and_map(client: Client, plan: Plan) -> None:
    response = client.get(url(plan, "print/"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="print"' in html
    assert 'data-testid="print-costs"' in html
    assert "data-plan-map" in html
    assert "tripwise/print.css" in html
    for visit in items(plan, "visit"):
        assert visit["name"] in html
    assert 'data-testid="lock-' not in html  # no edit controls on paper


def test_the_plan_page_links_every_export_and_the_feed_of_an_unclaimed_plan(
    client: Client, plan: Plan
) -> None:
    html = client.get(f"/plans/{plan.public_id}/").content.decode()
    for name in ("calendar.ics?download=1", "plan.gpx?download=1", "plan.geojson?download=1", "print/"):
        assert f"/plans/{plan.public_id}/{name}" in html
    assert f'value="http://testserver/plans/{plan.public_id}/calendar.ics"' in html


def test_the_owner_sees_a_feed_address_per_viewer_link_and_others_see_none(
    client: Client, bob_client: Client, owned: Plan, bob: User
) -> None:
    html = bob_client.get(url(owned, "exports/")).content.decode()
    assert 'data-testid="feed-create"' in html
    assert "calendar.ics?share=" not in html
    link = ShareLink.objects.create(plan=owned, role=Role.VIEWER, created_by=bob)
    editor_link = ShareLink.objects.create(plan=owned, role=Role.EDITOR, created_by=bob)
    for page in (url(owned, "exports/"), f"/plans/{owned.public_id}/"):
        html = bob_client.get(page).content.decode()
        assert f"/plans/{owned.public_id}/calendar.ics?share={link.token}" in html
        assert f"webcal://testserver/plans/{owned.public_id}/calendar.ics?share={link.token}" in html
        assert editor_link.token not in html.split('data-testid="exports"')[1].split("</section>")[0]
    viewer_html = client.get(url(owned, "exports/", share=link.token)).content.decode()
    assert 'data-testid="export-feeds"' not in viewer_html


def test_an_owned_plan_is_hidden_from_strangers(client: Client, alice_client: Client, owned: Plan) -> None:
    for name in [*PAGES, "plan.pdf"]:
        assert client.get(url(owned, name)).status_code == 404, name
        assert alice_client.get(url(owned, name)).status_code == 404, name


def test_the_owner_exports_their_plan(bob_client: Client, owned: Plan) -> None:
    for name in PAGES:
        assert bob_client.get(url(owned, name)).status_code == 200, name


def test_a_share_link_opens_the_exports_and_revoking_it_stops_the_feed_at_once(
    client: Client, owned: Plan
) -> None:
    link = ShareLink.objects.create(plan=owned, role=Role.VIEWER)
    for name in PAGES:
        assert client.get(url(owned, name, share=link.token)).status_code == 200, name
    feed = client.get(url(owned, "calendar.ics", share=link.token))
    # The calendar's link back to the plan carries the token, so the subscriber can open the page.
    assert str(Calendar.from_ical(feed.content)["URL"]).endswith(
        f"/plans/{owned.public_id}/?share={link.token}"
    )
    link.revoked_at = timezone.now()
    link.save()
    for name in PAGES:
        assert client.get(url(owned, name, share=link.token)).status_code == 404, name


def test_a_wrong_or_other_plans_token_opens_nothing(client: Client, owned: Plan, bob: User) -> None:
    other = plan_create(request=TRIP)
    other.owner = bob
    other.save()
    other_link = ShareLink.objects.create(plan=other, role=Role.VIEWER)
    assert client.get(url(owned, "calendar.ics", share=other_link.token)).status_code == 404
    assert client.get(url(owned, "calendar.ics", share="not-a-token")).status_code == 404


def test_a_deleted_plan_is_no_longer_exported_through_its_links(client: Client, owned: Plan) -> None:
    link = ShareLink.objects.create(plan=owned, role=Role.VIEWER)
    owned.deleted_at = timezone.now()
    owned.save()
    assert client.get(url(owned, "calendar.ics", share=link.token)).status_code == 404


def test_exports_answer_get_only(client: Client, plan: Plan) -> None:
    assert client.post(url(plan, "calendar.ics")).status_code == 405


def test_without_chromium_the_pdf_says_to_use_the_print_page(
    client: Client, plan: Plan, settings: Any
) -> None:
    settings.CHROMIUM_PATH = "/nonexistent/chromium"
    response = client.get(url(plan, "plan.pdf"))
    assert response.status_code == 503
    text = response.content.decode()
    assert "Chromium" in text
    assert "Save as PDF" in text


def test_too_many_pdfs_at_once_are_refused_not_queued(
    client: Client, plan: Plan, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.CHROMIUM_PATH = "/bin/sh"  # exists; the refusal must come before any browser starts
    monkeypatch.setattr(pdf, "_busy", pdf.PDF_SLOTS)
    response = client.get(url(plan, "plan.pdf"))
    assert response.status_code == 503
    assert "try again" in response.content.decode()


@pytest.mark.skipif(not Path("/usr/bin/chromium").is_file(), reason="needs Debian's Chromium (make browser)")
def test_the_pdf_is_made_by_chromium_from_the_print_page(client: Client, plan: Plan) -> None:
    response = client.get(url(plan, "plan.pdf", download="1"))
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"].startswith("attachment;")
    assert pdf._busy == 0
