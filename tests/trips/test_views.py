"""The planner page and the plan page, as a traveller sees them.

The plan page tests render a plan document written here by hand, exactly in the shape of docs/plans.md, so
they show what the page does with each part of it whatever the planner happens to produce today.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from tripwise.core.errors import TripwiseError
from tripwise.places.models import Destination
from tripwise.trips.models import Plan

pytestmark = pytest.mark.django_db

REQUEST: dict[str, Any] = {
    "destination": "astana",
    "start_date": "2026-12-01",
    "days": 2,
    "day_start": "09:00",
    "day_end": "20:00",
    "base": {"lat": 51.128, "lon": 71.43},
    "modes": ["walk", "transit"],
    "must_see": ["alzhir-museum", "national-museum"],
    "avoid": [],
    "interests": ["history"],
    "budget": {"amount": "20000", "currency": "KZT"},
    "party": {"adults": 2, "children": 1},
    "pace": "normal",
    "locks": [{"place_id": "bayterek-tower", "date": "2026-12-02", "start": "10:00"}],
    "currency": "EUR",
}

BASE = {"name": "Base", "lat": 51.128, "lon": 71.43}
ASIA_PARK = {"name": "Asia Park", "lat": 51.12805, "lon": 71.41155}
AKMOL = {"name": "Akmol, ALZHIR Museum", "lat": 51.06590, "lon": 70.97800}
ALZHIR = {"name": "ALZHIR Museum", "lat": 51.06568, "lon": 70.97777}


def sample_plan_document() -> dict[str, Any]:
    """Two days: a bus to ALZHIR with lunch on day 1, a locked Bayterek on day 2; one must-see left out."""
    return {
        "id": "sample-plan-id-1",
        "destination": {"id": "astana", "name": "Astana", "timezone": "Asia/Almaty", "currency": "KZT"},
        "request": REQUEST,
        "days": [
            {
                "date": "2026-12-01",
                "weekday": "Tuesday",
                "start": "2026-12-01T09:00:00+05:00",
                "end": "2026-12-01T20:00:00+05:00",
                "items": [
                    {
                        "type": "travel", "mode": "transit",
                        "depart": "2026-12-01T08:41:00+05:00", "arrive": "2026-12-01T09:48:00+05:00",
                        "minutes": 67, "wait_minutes": 4, "from": BASE, "to": ALZHIR,
                        "fare": {"amount": "500.00", "currency": "KZT", "traveller": {"amount": "1.04", "currency": "USD"}},
                        "legs": [
                            {"mode": "walk", "depart": "2026-12-01T08:41:00+05:00",
                             "arrive": "2026-12-01T08:56:00+05:00", "from": BASE, "to": ASIA_PARK},
                            {"mode": "ride", "depart": "2026-12-01T09:00:00+05:00",
                             "arrive": "2026-12-01T09:45:00+05:00", "from": ASIA_PARK, "to": AKMOL,
                             "route": "300", "trip_id": "300-out-0900", "headsign": "Akmol (ALZHIR)"},
                            {"mode": "walk", "depart": "2026-12-01T09:45:00+05:00",
                             "arrive": "2026-12-01T09:48:00+05:00", "from": AKMOL, "to": ALZHIR},
                        ],
                        "rides": [
                            {"route": "300", "trip_id": "300-out-0900", "headsign": "Akmol (ALZHIR)",
                             "from_stop_id": "asia-park", "from_stop_name": "Asia Park",
                             "to_stop_id": "akmol-alzhir", "to_stop_name": "Akmol, ALZHIR Museum",
                             "depart": "2026-12-01T09:00:00+05:00", "arrive": "2026-12-01T09:45:00+05:00"}
                        ],
                        "distance_m": 38000,
                    },
                    {
                        "type": "visit", "place_id": "alzhir-museum", "name": "ALZHIR Museum",
                        "start": "2026-12-01T10:00:00+05:00", "end": "2026-12-01T12:00:00+05:00",
                        "lat": 51.06568, "lon": 70.97777, "url": "/places/alzhir-museum/", "kind": "memorial",
                        "why": "Must-see", "meal": None, "locked": False,
                        "notes": ["Guided tours are booked on workdays."],
                        "cost": {"amount": "1440", "currency": "KZT",
                                 "traveller": {"amount": "2.76", "currency": "EUR"}},
                    },
                    {
                        "type": "visit", "place_id": "epoch-restaurant", "name": "Epoch",
                        "start": "2026-12-01T13:30:00+05:00", "end": "2026-12-01T14:30:00+05:00",
                        "lat": 51.16, "lon": 71.41, "url": "/places/epoch-restaurant/", "kind": "restaurant",
                        "why": "Lunch near your way back", "meal": "lunch", "locked": False, "notes": [],
                        "cost": {"amount": "0", "currency": "KZT",
                                 "traveller": {"amount": "0.00", "currency": "EUR"}},
                    },
                ],
                "cost": {"amount": "1440", "currency": "KZT"},
            },
            {
                "date": "2026-12-02",
                "weekday": "Wednesday",
                "start": "2026-12-02T09:00:00+05:00",
                "end": "2026-12-02T20:00:00+05:00",
                "items": [
                    {
                        "type": "travel", "mode": "walk",
                        "depart": "2026-12-02T09:40:00+05:00", "arrive": "2026-12-02T10:00:00+05:00",
                        "minutes": 20, "wait_minutes": 0, "from": BASE,
                        "to": {"name": "Bayterek Tower", "lat": 51.12824, "lon": 71.43058},
                        "distance_m": 1500,
                    },
                    {
                        "type": "visit", "place_id": "bayterek-tower", "name": "Bayterek Tower",
                        "start": "2026-12-02T10:00:00+05:00", "end": "2026-12-02T11:00:00+05:00",
                        "lat": 51.12824, "lon": 71.43058, "url": "/places/bayterek-tower/", "kind": "viewpoint",
                        "why": "Matches your interests: view", "meal": None, "locked": True, "notes": [],
                        "cost": {"amount": "1500", "currency": "KZT",
                                 "traveller": {"amount": "2.88", "currency": "EUR"}},
                    },
                ],
                "cost": {"amount": "1500", "currency": "KZT"},
            },
        ],
        "unscheduled": [
            {"place_id": "national-museum", "name": "National Museum of the Republic of Kazakhstan",
             "reason": "Closed on Mondays, and no other day had two free hours while it is open."}
        ],
        "assumptions": ["Opening hours of Astana Opera are unknown: assumed 10:00-18:00; check before you go."],
        "cost": {
            "total": {"amount": "2940", "currency": "KZT"},
            "budget": {"amount": "20000", "currency": "KZT"},
            "traveller": {"amount": "5.64", "currency": "EUR"},
        },
        "check": {"ok": True, "problems": []},
    }  # fmt: skip


def stored_plan(document: dict[str, Any] | None = None) -> Plan:
    return Plan.objects.create(
        destination=Destination.objects.get(slug="astana"),
        title="2 days in Astana",
        request=REQUEST,
        result=document or sample_plan_document(),
    )


class _Inputs(HTMLParser):
    """The form controls of a page: enough to ask what is offered and what is ticked."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[dict[str, str | None]] = []
        self.options: list[dict[str, str | None]] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input":
            self.inputs.append(found)
        elif tag == "select":
            self._select = found.get("name")
        elif tag == "option":
            self.options.append({**found, "select": self._select})


def controls(html: str) -> _Inputs:
    parser = _Inputs()
    parser.feed(html)
    return parser


def ticked(html: str, name: str) -> list[str | None]:
    return [i.get("value") for i in controls(html).inputs if i.get("name") == name and "checked" in i]


def offered(html: str, name: str) -> list[str | None]:
    return [i.get("value") for i in controls(html).inputs if i.get("name") == name]


def value_of(html: str, name: str) -> str | None:
    return next(i.get("value") for i in controls(html).inputs if i.get("name") == name)


def valid_post(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "destination": "astana",
        "start_date": "2026-12-01",
        "days": "2",
        "day_start": "09:00",
        "day_end": "20:00",
        "base": "",
        "modes": ["walk", "transit"],
        "must_see": ["alzhir-museum"],
        "avoid": [],
        "interest_tags": ["history"],
        "interests": "food, architecture",
        "budget_amount": "20000",
        "budget_currency": "KZT",
        "currency": "EUR",
        "adults": "2",
        "children": "1",
        "pace": "relaxed",
    }
    data.update(changes)
    return data


# The planner page


def test_the_planner_offers_the_demo_places_and_sensible_defaults(client: Client) -> None:
    response = client.get("/plan/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Plan a trip</h1>" in html
    assert "alzhir-museum" in offered(html, "must_see")
    assert "bayterek-tower" in offered(html, "avoid")
    assert "Each day starts and ends at" in html
    assert "Astana centre" in html
    assert value_of(html, "day_start") == "09:00"
    assert value_of(html, "day_end") == "20:00"
    assert ticked(html, "modes") == ["walk", "transit"]
    assert ticked(html, "pace") == ["normal"]
    assert ticked(html, "must_see") == []
    assert "history" in offered(html, "interest_tags")  # suggestion chips from the places' tags


def test_a_place_page_link_prefills_the_must_see(client: Client) -> None:
    html = client.get("/plan/", {"destination": "Nur-Sultan", "must_see": "alzhir-museum"}).content.decode()
    assert ticked(html, "must_see") == ["alzhir-museum"]
    assert value_of(html, "destination") == "astana"


def test_the_place_and_destination_pages_link_to_the_planner(client: Client) -> None:
    assert (
        "/plan/?destination=astana&amp;must_see=alzhir-museum"
        in client.get("/places/alzhir-museum/").content.decode()
    )
    assert "/plan/?destination=astana" in client.get("/destinations/astana/").content.decode()
    assert 'href="/plan/"' in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"days": "0"}, "Plan at least 1 day."),
        ({"days": "30"}, "Plan at most 14 days"),
        ({"day_start": "18:00", "day_end": "09:00"}, "Days must end after they start"),
        ({"modes": []}, "Choose at least one way of getting around."),
        ({"avoid": ["alzhir-museum"]}, "cannot be both a must-see and avoided: ALZHIR Museum"),
    ],
)
def test_bad_input_is_shown_next_to_the_form_and_nothing_is_saved(
    client: Client, monkeypatch: pytest.MonkeyPatch, changes: dict[str, Any], message: str
) -> None:
    def must_not_plan(**kwargs: Any) -> Plan:
        raise AssertionError("the planner must not run on invalid input")

    monkeypatch.setattr("tripwise.trips.views.plan_create", must_not_plan)
    response = client.post("/plan/", valid_post(**changes))
    assert response.status_code == 200
    html = response.content.decode()
    summary = html.split('data-testid="form-errors"')[1].split("</div>")[0]
    assert message in summary
    assert message in html.split(summary)[1]  # and again next to the field
    assert Plan.objects.count() == 0


def test_a_valid_form_sends_the_trip_request_and_opens_the_plan(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    received: list[dict[str, Any]] = []

    def fake_plan_create(*, request: dict[str, Any]) -> Plan:
        received.append(dict(request))
        return stored_plan()

    monkeypatch.setattr("tripwise.trips.views.plan_create", fake_plan_create)
    response = client.post("/plan/", valid_post(base="asia-park"))
    plan = Plan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/plans/{plan.public_id}/"
    assert received == [
        {
            "destination": "astana",
            "start_date": "2026-12-01",
            "days": 2,
            "day_start": "09:00",
            "day_end": "20:00",
            "base": "asia-park",
            "modes": ["walk", "transit"],
            "must_see": ["alzhir-museum"],
            "avoid": [],
            "interests": ["history", "food", "architecture"],
            "budget": {"amount": "20000", "currency": "KZT"},
            "party": {"adults": 2, "children": 1},
            "pace": "relaxed",
            "currency": "EUR",
        }
    ]


def test_without_a_budget_or_base_the_planner_defaults_apply(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    received: list[dict[str, Any]] = []

    def fake_plan_create(*, request: dict[str, Any]) -> Plan:
        received.append(dict(request))
        return stored_plan()

    monkeypatch.setattr("tripwise.trips.views.plan_create", fake_plan_create)
    client.post("/plan/", valid_post(budget_amount=""))
    assert "budget" not in received[0]
    assert "base" not in received[0]


def test_the_planners_refusal_is_shown_and_nothing_is_saved(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refusing_plan_create(*, request: dict[str, Any]) -> Plan:
        raise TripwiseError(
            "budget_too_small", "A budget of ₸10 cannot pay any ticket: raise it or leave it empty."
        )

    monkeypatch.setattr("tripwise.trips.views.plan_create", refusing_plan_create)
    response = client.post("/plan/", valid_post(budget_amount="10"))
    html = response.content.decode()
    assert "A budget of ₸10 cannot pay any ticket: raise it or leave it empty." in html
    assert Plan.objects.count() == 0
    assert value_of(html, "budget_amount") == "10"  # what was typed stays, to be corrected


# The plan page


def test_the_plan_page_shows_the_header_check_and_budget(client: Client) -> None:
    plan = stored_plan()
    html = client.get(f"/plans/{plan.public_id}/").content.decode()
    assert "<h1>2 days in Astana</h1>" in html
    assert "Tue 1 Dec 2026 – Wed 2 Dec 2026 · 2 days" in html
    assert "2 adults, 1 child" in html
    budget = html.split('data-testid="budget">')[1].split("</dd>")[0]
    assert "₸2,940" in budget
    assert "≈ €5.64" in budget
    assert "of a ₸20,000 budget" in budget
    assert "over budget" not in html
    assert "Checked: every visit inside opening hours, every ride on the timetable." in html
    assert "Opening hours of Astana Opera are unknown" in html


def test_the_travellers_currency_is_shown_when_each_amount_carries_it(client: Client) -> None:
    document = sample_plan_document()
    cost = document["cost"]
    cost["total"]["traveller"] = cost.pop("traveller")
    cost["budget"]["traveller"] = {"amount": "38.46", "currency": "EUR"}
    html = client.get(f"/plans/{stored_plan(document).public_id}/").content.decode()
    budget = html.split('data-testid="budget">')[1].split("</dd>")[0]
    assert '₸2,940 <span class="muted">≈ €5.64</span>' in budget
    assert 'of a ₸20,000 <span class="muted">(≈ €38.46)</span> budget' in budget


def test_the_plan_page_lists_what_could_not_fit_with_the_reason(client: Client) -> None:
    html = client.get(f"/plans/{stored_plan().public_id}/").content.decode()
    section = html.split('data-testid="unscheduled"')[1].split("</section>")[0]
    assert "Could not fit" in section
    assert "National Museum of the Republic of Kazakhstan" in section
    assert "Closed on Mondays, and no other day had two free hours while it is open." in section


def test_the_plan_page_shows_each_day_as_a_timeline(client: Client) -> None:
    html = client.get(f"/plans/{stored_plan().public_id}/").content.decode()
    day_1 = html.split('data-testid="day-2026-12-01"')[1].split('data-testid="day-2026-12-02"')[0]
    assert "Day 1 · Tuesday 1 December 2026" in day_1
    alzhir = day_1.split('data-testid="visit-alzhir-museum"')[1].split("</li>")[0]
    assert ">10:00</time>–<time" in alzhir
    assert ">12:00</time>" in alzhir
    assert '<a href="/places/alzhir-museum/">ALZHIR Museum</a>' in alzhir
    assert "Must-see" in alzhir
    assert '₸1,440 <span class="muted">≈ €2.76</span>' in alzhir
    assert "Guided tours are booked on workdays." in alzhir
    lunch = day_1.split('data-testid="visit-epoch-restaurant"')[1]
    assert 'data-testid="meal">Lunch<' in lunch
    assert "Free" in lunch
    day_2 = html.split('data-testid="day-2026-12-02"')[1]
    assert 'data-testid="locked">Locked<' in day_2.split('data-testid="visit-bayterek-tower"')[1]
    assert "Walk, 20 min · 1.5 km to Bayterek Tower" in day_2


def test_a_bus_trip_names_the_scheduled_ride_and_the_walks_and_waits(client: Client) -> None:
    html = client.get(f"/plans/{stored_plan().public_id}/").content.decode()
    travel = html.split('data-testid="travel"')[1].split("</li>\n    \n    \n")[0]
    assert "08:41</time>–<time" in travel
    assert "Public transport, 67 min · 38 km to ALZHIR Museum" in travel
    assert "Walk 15 min to Asia Park" in travel
    assert "Wait 4 min at Asia Park" in travel
    assert (
        'data-testid="ride">Bus 300 Asia Park 09:00 → Akmol, ALZHIR Museum 09:45 (trip 300-out-0900)'
        in travel
    )
    assert "Walk 3 min to ALZHIR Museum" in travel
    assert "Fare ₸500" in travel


def test_a_plan_with_only_rides_still_names_them(client: Client) -> None:
    document = sample_plan_document()
    del document["days"][0]["items"][0]["legs"]
    html = client.get(f"/plans/{stored_plan(document).public_id}/").content.decode()
    assert "Wait 4 min at Asia Park" in html
    assert "Bus 300 Asia Park 09:00 → Akmol, ALZHIR Museum 09:45 (trip 300-out-0900)" in html


def test_problems_found_by_the_checker_are_shown_and_an_overspend_is_flagged(client: Client) -> None:
    document = sample_plan_document()
    document["check"] = {"ok": False, "problems": ["ALZHIR Museum: visit ends after closing (18:00)."]}
    document["cost"]["budget"] = {"amount": "2000", "currency": "KZT"}
    html = client.get(f"/plans/{stored_plan(document).public_id}/").content.decode()
    assert "Checked: every visit" not in html
    assert "ALZHIR Museum: visit ends after closing (18:00)." in html
    assert "over budget" in html


def test_the_map_gets_each_day_in_its_colour_with_numbered_visits_and_lines(client: Client) -> None:
    html = client.get(f"/plans/{stored_plan().public_id}/").content.decode()
    assert "/static/tripwise/plan.js" in html
    script = html.split('data-testid="plan-map"')[1].split('<script type="application/json">')[1]
    data = json.loads(script.split("</script>")[0])
    first, second = data["days"]
    assert first["colour"] != second["colour"]
    assert [(v["n"], v["name"]) for v in first["visits"]] == [(1, "ALZHIR Museum"), (2, "Epoch")]
    assert [(line["mode"], line["dashed"]) for line in first["lines"]] == [
        ("walk", True),
        ("ride", False),
        ("walk", True),
    ]
    assert first["lines"][1]["points"] == [[51.12805, 71.41155], [51.0659, 70.978]]
    assert data["base"] == [51.128, 71.43]
    assert "Day 2 · Wed 2 Dec" in html.split('data-testid="legend"')[1]


def test_the_plan_page_offers_edit_controls_prefilled_from_the_plan(client: Client) -> None:
    plan = stored_plan()
    html = client.get(f"/plans/{plan.public_id}/").content.decode()
    lock = html.split('data-testid="lock-alzhir-museum"')[1].split("</form>")[0]
    assert f'action="/plans/{plan.public_id}/change"' in html
    assert 'name="csrfmiddlewaretoken"' in lock
    assert 'value="10:00"' in lock
    assert '<option value="2026-12-01" selected>' in lock
    assert 'data-testid="unlock-bayterek-tower"' in html
    assert 'data-testid="unlock-alzhir-museum"' not in html
    assert 'data-testid="remove-alzhir-museum"' in html
    added = [o["value"] for o in controls(html).options if o["select"] == "place_id"]
    assert "central-market" in added
    assert "alzhir-museum" not in added  # already in the plan
    assert ticked(html, "pace") == ["normal"]


def test_an_unknown_plan_is_not_found(client: Client) -> None:
    assert client.get("/plans/no-such-plan/").status_code == 404
    assert client.post("/plans/no-such-plan/change", {"action": "pace", "pace": "packed"}).status_code == 404


# Changing a plan


@pytest.mark.parametrize(
    ("form", "change", "done"),
    [
        (
            {"action": "lock", "place_id": "alzhir-museum", "date": "2026-12-02", "start": "11:30"},
            {"action": "lock", "place_id": "alzhir-museum", "date": "2026-12-02", "start": "11:30"},
            "Locked the visit at that time",
        ),
        (
            {"action": "unlock", "place_id": "bayterek-tower"},
            {"action": "unlock", "place_id": "bayterek-tower"},
            "Unlocked the visit",
        ),
        (
            {"action": "remove", "place_id": "alzhir-museum"},
            {"action": "remove", "place_id": "alzhir-museum"},
            "Removed the place",
        ),
        (
            {"action": "add", "place_id": "central-market"},
            {"action": "add", "place_id": "central-market"},
            "Added the place as a must-see",
        ),
        ({"action": "pace", "pace": "packed"}, {"action": "pace", "pace": "packed"}, "Changed the pace"),
    ],
)
def test_each_edit_control_sends_its_change_and_returns_to_the_plan(
    client: Client, monkeypatch: pytest.MonkeyPatch, form: dict[str, str], change: dict[str, str], done: str
) -> None:
    plan = stored_plan()
    received: list[dict[str, Any]] = []

    def fake_plan_change(*, plan: Plan, change: dict[str, Any], actor: object = None) -> Plan:
        received.append(dict(change))
        return plan

    monkeypatch.setattr("tripwise.trips.views.plan_change", fake_plan_change)
    response = client.post(f"/plans/{plan.public_id}/change", form, follow=True)
    assert response.redirect_chain == [(f"/plans/{plan.public_id}/", 302)]
    assert received == [change]
    assert f'role="status">{done}' in response.content.decode()


def test_an_incomplete_change_is_explained_and_not_sent(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def must_not_change(**kwargs: Any) -> Plan:
        raise AssertionError("an incomplete change must not reach the planner")

    monkeypatch.setattr("tripwise.trips.views.plan_change", must_not_change)
    plan = stored_plan()
    response = client.post(
        f"/plans/{plan.public_id}/change", {"action": "lock", "place_id": "alzhir-museum"}, follow=True
    )
    assert "Choose the day to lock the visit to." in response.content.decode()
    assert "Give the time the visit starts" in response.content.decode()


def test_a_refused_change_shows_the_planners_reason(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    def refusing_plan_change(*, plan: Plan, change: dict[str, Any], actor: object = None) -> Plan:
        raise TripwiseError("lock_closed", "ALZHIR Museum is closed on Mondays: lock it to another day.")

    monkeypatch.setattr("tripwise.trips.views.plan_change", refusing_plan_change)
    plan = stored_plan()
    response = client.post(f"/plans/{plan.public_id}/change", {"action": "add", "place_id": "x"}, follow=True)
    assert (
        'role="alert">ALZHIR Museum is closed on Mondays: lock it to another day.'
        in response.content.decode()
    )


def test_changes_are_posted_not_linked(client: Client) -> None:
    plan = stored_plan()
    assert client.get(f"/plans/{plan.public_id}/change").status_code == 405


def test_a_change_re_plans_through_the_service(client: Client) -> None:
    """Through the real planner: the pace changes and the plan is made again (a new revision)."""
    plan = stored_plan()
    response = client.post(
        f"/plans/{plan.public_id}/change", {"action": "pace", "pace": "relaxed"}, follow=True
    )
    plan.refresh_from_db()
    assert plan.revision == 2
    html = response.content.decode()
    assert 'data-testid="plan-pace">Relaxed<' in html
    assert ticked(html, "pace") == ["relaxed"]


def test_the_planner_page_makes_a_real_plan_and_shows_it(client: Client) -> None:
    """Through the real planner: the form's request is accepted and the plan page shows the must-see."""
    response = client.post("/plan/", valid_post(), follow=True)
    assert response.redirect_chain[0][1] == 302
    html = response.content.decode()
    plan = Plan.objects.get()
    assert f"<h1>{plan.title}</h1>" in html
    assert 'data-testid="day-2026-12-01"' in html
    assert 'data-testid="day-2026-12-02"' in html
    # The must-see is either planned or listed with the reason it could not be.
    assert 'data-testid="visit-alzhir-museum"' in html or 'data-testid="unscheduled-alzhir-museum"' in html
    assert "Checked: every visit inside opening hours, every ride on the timetable." in html
    assert "≈ €" in html.split('data-testid="budget">')[1].split("</dd>")[0]


def test_the_assistant_box_fills_the_planner_with_what_the_words_say(client: Client) -> None:
    words = "two days in Nur-Sultan next week, we love history, no car, must see ALZHIR, 2 adults"
    response = client.get("/plan/", {"ask": words})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="chip-must_see"' in html
    assert "alzhir-museum" in html.split('data-testid="chip-must_see"')[1].split("</li>")[0]
    form = response.context["form"]
    assert form.initial["must_see"] == ["alzhir-museum"]
    assert form.initial["modes"] == ["transit", "walk"]
    assert form.initial["days"] == 2
    assert form.initial["interests"] == "history"
    assert form.initial["destination"] == "astana"
    assert (form.initial["adults"], form.initial["children"]) == (2, 0)


def test_words_that_say_nothing_ask_for_the_form(client: Client) -> None:
    html = client.get("/plan/", {"ask": "hello"}).content.decode()
    assert "Nothing in those words could be read" in html
