"""The planner end to end in the pure core: every plan here also passes the independent checker."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from tests.core.trips.world import FEED, HUB, PLACES, check_facts, place, planning_input
from tripwise.core.transit.feed import ScheduledTrip, StopPoint
from tripwise.core.trips.check import check_plan
from tripwise.core.trips.planner import make_plan

MONDAY = "2026-11-30"


def plan(request: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    data = planning_input(request, **kwargs)
    document = make_plan(data, feeds=(FEED,), time_limit=0.3)
    assert document["check"] == {"ok": True, "problems": []}
    assert check_plan(document, check_facts(data)) == []
    return document


def visits(day: dict[str, Any]) -> list[str]:
    return [item["place_id"] for item in day["items"] if item["type"] == "visit"]


def test_a_must_see_closed_on_monday_moves_to_tuesday_by_the_real_bus() -> None:
    document = plan({"start_date": MONDAY, "days": 2, "must_see": ["memorial"], "interests": ["history"]})
    monday, tuesday = document["days"]
    assert "memorial" not in visits(monday)
    assert "memorial" in visits(tuesday)
    visit = next(item for item in tuesday["items"] if item.get("place_id") == "memorial")
    assert "Closed on Mondays: planned for Tuesday." in visit["notes"]
    assert visit["why"] == "Must-see"
    start = datetime.fromisoformat(visit["start"])
    assert start.isoformat().endswith("+05:00")
    assert start.hour >= 10
    index = tuesday["items"].index(visit)
    there, back = tuesday["items"][index - 1], tuesday["items"][index + 1]
    for leg in (there, back):
        assert leg["mode"] == "transit"
        (ride,) = leg["rides"]
        assert ride["route"] == "300"
        departs = datetime.fromisoformat(ride["depart"])
        assert departs.minute == 0
        assert 7 <= departs.hour <= 20
    assert there["rides"][0]["to_stop_id"] == "memorial-stop"
    assert back["rides"][0]["from_stop_id"] == "memorial-stop"
    assert document["unscheduled"] == []


def test_a_must_see_closed_on_the_only_day_is_explained() -> None:
    document = plan({"start_date": MONDAY, "days": 1, "must_see": ["memorial"]})
    assert document["unscheduled"] == [
        {
            "place_id": "memorial",
            "name": "Memorial",
            "reason": "Memorial is closed on Mondays, and your only day is a Monday.",
        }
    ]


def test_without_transit_the_far_memorial_cannot_be_reached_and_says_so() -> None:
    document = plan({"start_date": "2026-12-01", "modes": ["walk"], "must_see": ["memorial"]})
    (entry,) = document["unscheduled"]
    assert "no way (walk) to get there" in entry["reason"]


def test_every_day_starts_and_ends_at_the_base_within_its_hours() -> None:
    document = plan({"start_date": MONDAY, "days": 3, "day_start": "09:30", "day_end": "19:00"})
    for day in document["days"]:
        items = day["items"]
        assert items, "a three-day trip in a town with sights should not have an empty day"
        assert items[0]["type"] == "travel"
        assert items[-1]["type"] == "travel"
        assert items[-1]["to"]["name"] == "Hotel by the hub"
        assert datetime.fromisoformat(items[0]["depart"]).strftime("%H:%M") >= "09:30"
        assert datetime.fromisoformat(items[-1]["arrive"]).strftime("%H:%M") <= "19:00"


def test_long_days_get_lunch_and_dinner_at_an_open_eating_place() -> None:
    document = plan({"start_date": MONDAY, "day_start": "09:00", "day_end": "21:30"})
    meals = {item["meal"]: item for item in document["days"][0]["items"] if item.get("meal")}
    assert set(meals) == {"lunch", "dinner"}
    assert "12:00" <= meals["lunch"]["start"][11:16] <= "12:45"
    assert "18:30" <= meals["dinner"]["start"][11:16] <= "19:15"
    assert {meals["lunch"]["place_id"], meals["dinner"]["place_id"]} <= {"steppe-grill", "tea-house"}


def test_the_budget_is_never_exceeded_and_costs_are_for_the_whole_party() -> None:
    free = plan({"start_date": "2026-12-01", "party": {"adults": 2}, "day_end": "17:00"})
    tower = [item for day in free["days"] for item in day["items"] if item.get("place_id") == "tower"]
    assert tower
    assert tower[0]["cost"]["amount"] == "1400.00"
    tight = plan({"start_date": "2026-12-01", "party": {"adults": 2}, "budget": {"amount": "1500", "currency": "KZT"},
                  "day_end": "17:00"})  # fmt: skip
    assert float(tight["cost"]["total"]["amount"]) <= 1500


def test_unknown_hours_are_an_assumption_shown_on_the_plan() -> None:
    document = plan({"start_date": MONDAY, "must_see": ["opera"]})
    visit = next(item for item in document["days"][0]["items"] if item.get("place_id") == "opera")
    assert visit["start"][11:16] >= "10:00"
    assert visit["end"][11:16] <= "18:00"
    assert any("unknown" in note for note in visit["notes"])
    assert any("Opera are unknown" in line for line in document["assumptions"])


def test_a_locked_visit_keeps_its_day_and_time_and_others_plan_around_it() -> None:
    document = plan({"start_date": MONDAY, "days": 2,
                     "locks": [{"place_id": "tower", "date": "2026-12-01", "start": "15:00"}]})  # fmt: skip
    tower = [item for item in document["days"][1]["items"] if item.get("place_id") == "tower"]
    assert tower
    assert tower[0]["start"] == "2026-12-01T15:00:00+05:00"
    assert tower[0]["locked"] is True
    assert "tower" not in visits(document["days"][0])


def test_a_lock_at_a_closed_time_is_listed_with_the_reason() -> None:
    document = plan(
        {"start_date": MONDAY, "locks": [{"place_id": "city-museum", "date": MONDAY, "start": "11:00"}]}
    )
    (entry,) = document["unscheduled"]
    assert entry["place_id"] == "city-museum"
    assert "cannot be locked on Monday" in entry["reason"]


def test_avoided_places_are_never_planned() -> None:
    document = plan({"start_date": MONDAY, "days": 2, "avoid": ["tower", "river-park"]})
    planned = {p for day in document["days"] for p in visits(day)}
    assert planned
    assert not planned & {"tower", "river-park"}


def test_a_relaxed_pace_gives_longer_visits_and_no_more_of_them_than_a_packed_one() -> None:
    plans = {
        pace: plan({"start_date": "2026-12-01", "day_end": "17:00", "pace": pace, "modes": ["walk"]})
        for pace in ("relaxed", "packed")
    }
    counts = {pace: len(visits(document["days"][0])) for pace, document in plans.items()}
    assert counts["relaxed"] <= counts["packed"]
    mosque = {
        pace: next(item for item in document["days"][0]["items"] if item.get("place_id") == "old-mosque")
        for pace, document in plans.items()
    }
    length = {
        pace: datetime.fromisoformat(item["end"]) - datetime.fromisoformat(item["start"])
        for pace, item in mosque.items()
    }
    assert length["relaxed"] > length["packed"]


def test_a_place_open_past_midnight_the_night_before_counts_in_the_early_morning() -> None:
    night_club = place("night-bar", 51.1290, 71.4140, "Fr 20:00-03:00", 60, "attraction", ("nightlife",))
    document = plan({"start_date": "2026-12-05", "day_start": "00:30", "day_end": "02:30", "must_see": ["night-bar"]},
                    places=(*PLACES, night_club))  # fmt: skip
    assert visits(document["days"][0]) == ["night-bar"]  # Saturday 00:30-02:30 is Friday's opening


def test_with_a_car_the_far_memorial_is_a_drive_there_and_back() -> None:
    document = plan({"start_date": "2026-12-01", "modes": ["car"], "must_see": ["memorial"]})
    items = document["days"][0]["items"]
    index = next(i for i, item in enumerate(items) if item.get("place_id") == "memorial")
    assert items[index - 1]["mode"] == "car"
    assert items[index + 1]["mode"] == "car"
    assert "rides" not in items[index - 1]


def test_a_plan_across_the_spring_clock_change_keeps_local_hours() -> None:
    helsinki = tuple(replace(p, timezone="Europe/Helsinki") for p in PLACES if p.id != "memorial")
    data = planning_input(
        {"start_date": "2026-03-28", "days": 2, "modes": ["walk"]},
        places=helsinki,
        feeds=(),
        timezone="Europe/Helsinki",
    )
    document = make_plan(data, time_limit=0.3)
    assert check_plan(document, check_facts(data, feeds=())) == []
    saturday, sunday = document["days"]
    assert saturday["start"] == "2026-03-28T09:00:00+02:00"
    assert sunday["start"] == "2026-03-29T09:00:00+03:00"  # clocks went forward at 03:00 that night
    visits_on_local_clock = [
        item for day in document["days"] for item in day["items"] if item["type"] == "visit"
    ]
    assert visits_on_local_clock
    hours = {p.id: p.opening_hours for p in helsinki}
    for item in visits_on_local_clock:  # every opening is a wall-clock rule, whatever the offset that day
        if hours[item["place_id"]] == "Tu-Su 10:00-18:00":
            assert item["start"][11:16] >= "10:00"
            assert item["end"][11:16] <= "18:00"


def test_a_ride_the_solver_counted_on_is_found_even_when_walking_from_earlier_would_be_faster() -> None:
    # A park 2.9 km out: a 50-minute walk, too long to offer. One slow bus at 10:05 gets there at 10:43,
    # sooner than walking from 10:00, but not than walking from 09:00, when the day starts: asked at 09:00,
    # the router says walking wins, and the plan must still find the bus the solver counted on.
    park = place("far-park", HUB[0] + 0.026, HUB[1], "24/7", 45, "park", ("nature",))
    stop = StopPoint("far-stop", "Far park", HUB[0] + 0.0259, HUB[1])
    bus = ScheduledTrip(
        trip_id="slow-1005", route_id="9", route_name="9", headsign="Far park", service_id="daily",
        stop_ids=("hub", "far-stop"), arrivals=(36300, 36300 + 38 * 60), departures=(36300, 36300 + 38 * 60),
    )  # fmt: skip
    back = replace(bus, trip_id="slow-1205", stop_ids=("far-stop", "hub"), arrivals=(43500, 45780),
                   departures=(43500, 45780))  # fmt: skip
    feed = replace(FEED, stops=(*FEED.stops, stop), trips=(bus, back), name="slow")
    data = planning_input({"start_date": "2026-12-01", "must_see": ["far-park"], "day_end": "13:00"},
                          places=(park,), feeds=(feed,))  # fmt: skip
    document = make_plan(data, feeds=(feed,), time_limit=0.3)
    assert check_plan(document, check_facts(data, feeds=(feed,))) == []
    there = document["days"][0]["items"][0]
    assert there["mode"] == "transit"
    assert there["rides"][0]["trip_id"] == "slow-1005"
