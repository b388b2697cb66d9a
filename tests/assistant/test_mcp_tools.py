"""The MCP server's tools as plain functions, on the Astana demo: what an AI client gets back, and the errors a
person (or a model) can act on."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine

from tripwise.assistant import tools
from tripwise.core.errors import TripwiseError
from tripwise.places.models import Destination, Place

pytestmark = pytest.mark.django_db

MONDAY, TUESDAY = "2026-11-30", "2026-12-01"
ASTANA_TRIP = {"destination": "Nur-Sultan", "start_date": MONDAY, "days": 2, "must_see": ["ALZHIR"]}


def ids(found: dict[str, Any], key: str = "places") -> list[str]:
    return [row["id" if key == "places" else "slug"] for row in found[key]]


@pytest.mark.parametrize("query", ["alzhir", "АЛЖИР", "Akmol", "alzhyr museum", "ALZHIR Museum"])
def test_search_places_finds_alzhir_by_any_name_and_forgives_a_typo(query: str) -> None:
    found = tools.search_places(query=query)
    assert ids(found)[0] == "alzhir-museum"
    first = found["places"][0]
    assert first["name"] == "ALZHIR Museum"
    assert first["destination"] == "astana"
    assert first["opening_hours"] == "Tu-Su 10:00-17:00"
    assert (round(first["lat"], 3), round(first["lon"], 3)) == (51.066, 70.978)


def test_search_places_keeps_to_a_destination_and_its_limit() -> None:
    found = tools.search_places(query="museum", destination="Астана", limit=2)
    assert found["count"] == 2
    assert {row["destination"] for row in found["places"]} == {"astana"}
    helsinki = Destination.objects.create(
        slug="helsinki", name="Helsinki", timezone="Europe/Helsinki", lat=60.17, lon=24.94
    )
    assert tools.search_places(query="alzhir", destination=helsinki.name)["places"] == []


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"query": "  "}, "query: give a name or a few words"),
        ({"query": "alzhir", "limit": 0}, "limit: give a whole number from 1 to 50"),
        (
            {"query": "alzhir", "destination": "Atlantis"},
            "No destination 'Atlantis'. Known destinations: astana",
        ),
    ],
)
def test_search_places_says_what_to_fix(arguments: dict[str, Any], message: str) -> None:
    with pytest.raises(TripwiseError, match=message):
        tools.search_places(**arguments)


def test_search_guides_finds_the_alzhir_guide_even_misspelt() -> None:
    for query in ("alzhir", "alzhyr"):
        found = tools.search_guides(query=query)
        assert ids(found, "guides")[0] == "alzhir-museum"
        guide = found["guides"][0]
        assert guide["url"] == "/guides/alzhir-museum/"
        assert guide["place_id"] == "alzhir-museum"
        assert guide["destination"] == "astana"
        assert guide["summary"]


def test_place_facts_tell_hours_prices_the_bus_and_what_is_assumed() -> None:
    facts = tools.place_facts(place_id="alzhir-museum")
    assert facts["name"] == "ALZHIR Museum"
    assert "АЛЖИР" in facts["aliases"]
    assert facts["kind"] == "memorial"
    assert "Akmol" in facts["address"]
    assert facts["timezone"] == "Asia/Almaty"
    assert (facts["opening_hours"], facts["closed_days"]) == ("Tu-Su 10:00-17:00", "Closed on Mondays")
    assert facts["visit_minutes"] == 90
    assert {"amount": "1.50", "currency": "USD"}.items() <= facts["prices"][0].items()
    bus = next(way for way in facts["access"] if way["mode"] == "transit")
    assert (bus["route"], bus["from_stop"], bus["to_stop"]) == ("300", "Asia Park", "Akmol, ALZHIR Museum")
    assert facts["nearby_stops"][0]["id"] == "akmol-alzhir"
    assert facts["nearby_stops"][0]["distance_m"] < 100
    assert "opening_hours" in facts["assumed_fields"]
    assert facts["source"]


def test_place_facts_take_an_exact_name_and_suggest_an_id_otherwise() -> None:
    assert tools.place_facts(place_id="Бәйтерек")["id"] == "bayterek-tower"
    with pytest.raises(TripwiseError, match=r"No place 'alzhyr museum'\. Did you mean alzhir-museum"):
        tools.place_facts(place_id="alzhyr museum")


def test_explain_rule_says_alzhir_is_closed_on_monday_and_open_on_tuesday() -> None:
    monday = tools.explain_rule(place_id="alzhir-museum", date=MONDAY)
    assert (monday["weekday"], monday["open"], monday["hours"]) == ("Monday", False, [])
    assert monday["explanation"].startswith(
        "ALZHIR Museum is closed on Monday 30 November 2026: it is closed on Mondays."
    )
    assert "Closed on Mondays." in monday["rules"]
    assert any("not verified" in note for note in monday["notes"])
    tuesday = tools.explain_rule(place_id="ALZHIR", date=TUESDAY)
    assert (tuesday["open"], tuesday["hours"]) == (True, ["10:00-17:00"])
    assert "open on Tuesday 1 December 2026: 10:00-17:00 (Asia/Almaty time)" in tuesday["explanation"]
    assert [day["hours"] for day in tuesday["week"]][:2] == [[], ["10:00-17:00"]]


def test_explain_rule_reads_today_in_the_places_own_zone() -> None:
    # 20:00 UTC on Monday is already Tuesday 01:00 in Astana (UTC+5): "today" there is a Tuesday.
    with time_machine.travel(datetime(2026, 11, 30, 20, 0, tzinfo=UTC), tick=False):
        today = tools.explain_rule(place_id="alzhir-museum")
    assert (today["date"], today["open"]) == (TUESDAY, True)


def test_explain_rule_names_the_public_holiday_that_closes_a_place() -> None:
    astana = Destination.objects.get(slug="astana")
    Place.objects.create(
        destination=astana, slug="holiday-museum", name="Holiday Museum", lat=51.1, lon=71.4,
        timezone="Asia/Almaty", opening_hours="Mo-Su 10:00-18:00; PH off",
    )  # fmt: skip
    independence_day = tools.explain_rule(place_id="holiday-museum", date="2026-12-16")
    assert independence_day["open"] is False
    assert "public holiday" in independence_day["explanation"]
    holidays = independence_day["public_holidays"]
    assert holidays["country"] == "KZ"
    assert holidays["rule_mentions_holidays"]
    assert holidays["date_is_holiday"]
    assert holidays["next_holidays"][0] == "2026-12-16"
    # The Opera's hours are unknown: said so, with what plans assume, and that the day is a holiday.
    opera = tools.explain_rule(place_id="astana-opera", date="2026-12-16")
    assert opera["open"] is None
    assert "not known; plans assume 10:00-18:00" in opera["explanation"]
    assert any("public holiday" in note for note in opera["notes"])


def test_explain_rule_refuses_a_date_it_cannot_read() -> None:
    with pytest.raises(TripwiseError, match=r"date: '30.11.2026' is not a date: write YYYY-MM-DD"):
        tools.explain_rule(place_id="alzhir-museum", date="30.11.2026")


def test_plan_trip_puts_alzhir_on_tuesday_and_saves_a_checked_plan() -> None:
    plan = tools.plan_trip(request=ASTANA_TRIP)
    assert plan["check"] == {"ok": True, "problems": []}
    assert plan["url"] == f"/plans/{plan['id']}/"
    assert [day["weekday"] for day in plan["days"]] == ["Monday", "Tuesday"]
    alzhir = [
        day["weekday"]
        for day in plan["days"]
        for item in day["items"]
        if item.get("place_id") == "alzhir-museum"
    ]
    assert alzhir == ["Tuesday"]
    assert plan["unscheduled"] == []


def test_plan_trip_passes_on_what_to_fix() -> None:
    with pytest.raises(TripwiseError, match="day_end: 07:00 is not after day_start 09:00"):
        tools.plan_trip(request={**ASTANA_TRIP, "day_end": "07:00"})


def test_check_plan_reruns_the_checker_against_todays_facts() -> None:
    plan = tools.plan_trip(request=ASTANA_TRIP)
    verdict = tools.check_plan(plan_id=plan["id"])
    assert (verdict["ok"], verdict["problems"], verdict["when_planned"]["ok"]) == (True, [], True)
    assert verdict["verdict"] == "The plan keeps every rule."
    # The museum now closes on Tuesdays too: the saved plan no longer keeps to its hours.
    Place.objects.filter(slug="alzhir-museum").update(opening_hours="We-Su 10:00-17:00")
    verdict = tools.check_plan(plan_id=plan["id"])
    assert not verdict["ok"]
    assert any(problem.startswith("ALZHIR Museum is not open from Tue") for problem in verdict["problems"])
    assert verdict["when_planned"] == {"ok": True, "problems": []}


def test_check_plan_of_an_unknown_plan_says_where_ids_come_from() -> None:
    with pytest.raises(TripwiseError, match=r"No saved plan 'nope': give the id that plan_trip returned\."):
        tools.check_plan(plan_id="nope")
