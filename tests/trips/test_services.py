"""Planning on the Astana demo through the app: names resolved, the real bus 300 timetable, plans stored."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from tripwise.core.errors import TripwiseError
from tripwise.places.models import Destination
from tripwise.trips.models import Plan
from tripwise.trips.services import plan_change, plan_create

pytestmark = pytest.mark.django_db

MONDAY = "2026-11-30"
ALZHIR_TRIP = {
    "destination": "Nur-Sultan",
    "start_date": MONDAY,
    "days": 2,
    "base": "Asia Park",
    "modes": ["walk", "transit"],
    "must_see": ["ALZHIR"],
    "interests": ["history"],
}


def visits(document: dict[str, Any], day: int) -> list[str]:
    return [item["place_id"] for item in document["days"][day]["items"] if item["type"] == "visit"]


def test_two_days_from_a_monday_put_alzhir_on_tuesday_by_bus_300() -> None:
    plan = plan_create(request=ALZHIR_TRIP)
    document = plan.result
    assert document["check"] == {"ok": True, "problems": []}
    assert document["id"] == plan.public_id
    assert document["request"]["must_see"] == ["alzhir-museum"]
    assert "alzhir-museum" not in visits(document, 0)
    assert "alzhir-museum" in visits(document, 1)
    items = document["days"][1]["items"]
    index = next(i for i, item in enumerate(items) if item.get("place_id") == "alzhir-museum")
    visit, there, back = items[index], items[index - 1], items[index + 1]
    assert "Closed on Mondays: planned for Tuesday." in visit["notes"]
    assert datetime.fromisoformat(visit["start"]).strftime("%H:%M") >= "10:00"
    assert datetime.fromisoformat(visit["end"]).strftime("%H:%M") <= "17:00"
    (out,), (home,) = there["rides"], back["rides"]
    assert (out["route"], out["from_stop_id"], out["to_stop_id"]) == ("300", "asia-park", "akmol-alzhir")
    assert (home["route"], home["from_stop_id"], home["to_stop_id"]) == ("300", "akmol-alzhir", "asia-park")
    assert out["trip_id"].startswith("300-out-")
    assert home["trip_id"].startswith("300-back-")
    # The demo timetable: hourly on the hour, the last bus back at 20:00.
    for ride in (out, home):
        departs = datetime.fromisoformat(ride["depart"])
        assert departs.utcoffset() is not None
        assert departs.minute == 0
        assert 7 <= departs.hour <= 20
    assert Plan.objects.filter(public_id=plan.public_id).exists()


def test_a_single_monday_explains_why_alzhir_is_left_out() -> None:
    document = plan_create(request={**ALZHIR_TRIP, "days": 1}).result
    assert document["unscheduled"] == [
        {
            "place_id": "alzhir-museum",
            "name": "ALZHIR Museum",
            "reason": "ALZHIR Museum is closed on Mondays, and your only day is a Monday.",
        }
    ]
    assert document["check"]["ok"] is True


def test_costs_are_in_tenge_and_in_the_travellers_currency_within_the_budget() -> None:
    request = {
        **ALZHIR_TRIP,
        "party": {"adults": 2},
        "budget": {"amount": "40", "currency": "EUR"},
        "currency": "EUR",
    }
    document = plan_create(request=request).result
    total = document["cost"]["total"]
    assert total["currency"] == "KZT"
    assert total["traveller"]["currency"] == "EUR"
    assert document["cost"]["budget"]["amount"] == "20800.00"  # 40 EUR at 520 KZT
    assert float(total["amount"]) <= 20800
    alzhir = next(i for day in document["days"] for i in day["items"] if i.get("place_id") == "alzhir-museum")
    assert alzhir["cost"]["amount"] == "1440.00"  # two tickets at $1.50, 480 KZT per dollar


@pytest.mark.parametrize(
    ("change", "code", "words"),
    [
        ({"destination": "Atlantis"}, "unknown_destination", "No destination 'Atlantis'"),
        ({"must_see": ["Eiffel Tower"]}, "unknown_place", "No place 'Eiffel Tower' in Astana"),
        ({"days": 40}, "invalid_request", "days: give a whole number from 1 to 14"),
        ({"budget": {"amount": "10", "currency": "JPY"}}, "invalid_request", "no exchange rate for JPY"),
        ({"avoid": ["alzhir-museum"]}, "invalid_request", "is also a must-see"),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_stored(
    change: dict[str, Any], code: str, words: str
) -> None:
    with pytest.raises(TripwiseError) as error:
        plan_create(request={**ALZHIR_TRIP, **change})
    assert error.value.code == code
    assert words in error.value.message
    assert not Plan.objects.exists()


def test_edits_replan_around_a_lock() -> None:
    plan = plan_create(request={**ALZHIR_TRIP, "must_see": []})
    locked = plan_change(
        plan=plan, change={"action": "lock", "place_id": "bayterek-tower", "date": MONDAY, "start": "16:00"}
    )
    assert locked.revision == 2
    bayterek = [i for i in locked.result["days"][0]["items"] if i.get("place_id") == "bayterek-tower"]
    assert bayterek
    assert bayterek[0]["start"] == "2026-11-30T16:00:00+05:00"
    assert bayterek[0]["locked"]
    removed = plan_change(plan=locked, change={"action": "remove", "place_id": "bayterek-tower"})
    assert all(i.get("place_id") != "bayterek-tower" for day in removed.result["days"] for i in day["items"])
    added = plan_change(plan=removed, change={"action": "add", "place_id": "alzhir-museum"})
    assert "alzhir-museum" in visits(added.result, 1)
    relaxed = plan_change(plan=added, change={"action": "pace", "pace": "relaxed"})
    assert relaxed.result["request"]["pace"] == "relaxed"
    assert relaxed.revision == 5
    assert all(step.result["check"]["ok"] for step in (locked, removed, added, relaxed))


def test_a_destination_with_no_places_gets_empty_checked_days() -> None:
    Destination.objects.create(
        slug="nowhere", name="Nowhere", timezone="Europe/Oslo", currency="EUR", lat=60, lon=10
    )
    document = plan_create(request={"destination": "nowhere", "start_date": "2026-06-01", "days": 2}).result
    assert [day["items"] for day in document["days"]] == [[], []]
    assert document["check"]["ok"] is True
    assert document["days"][0]["start"] == "2026-06-01T09:00:00+02:00"  # Oslo in summer


def test_places_with_unknown_hours_are_planned_as_an_assumption_never_as_always_open() -> None:
    document = plan_create(request={**ALZHIR_TRIP, "must_see": ["astana-opera"], "days": 1}).result
    (opera,) = [i for day in document["days"] for i in day["items"] if i.get("place_id") == "astana-opera"]
    assert opera["start"][11:16] >= "10:00"
    assert opera["end"][11:16] <= "18:00"
    assert any("Astana Opera are unknown" in line for line in document["assumptions"])


def test_a_destination_whose_money_has_no_exchange_rate_is_refused_with_the_fix() -> None:
    Destination.objects.create(
        slug="oslo", name="Oslo", timezone="Europe/Oslo", currency="NOK", lat=59.9, lon=10.7
    )
    with pytest.raises(TripwiseError, match="Oslo counts its prices in NOK, which has no exchange rate"):
        plan_create(request={"destination": "oslo", "start_date": "2026-06-01"})
    assert not Plan.objects.exists()
