"""Trip requests: defaults, and bad input refused with the field named and what to write instead."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Any

import pytest

from tripwise.core.errors import TripwiseError
from tripwise.core.trips.changes import apply_change
from tripwise.core.trips.request import parse_request, request_to_json

BASIC = {"destination": "astana", "start_date": "2026-11-30"}


def test_defaults_fill_a_minimal_request() -> None:
    request = parse_request(BASIC)
    assert request.dates == (date(2026, 11, 30),)
    assert (request.day_start, request.day_end) == (time(9), time(20))
    assert request.modes == ("walk", "transit")
    assert request.party == 1
    assert request.budget is None


def test_a_request_round_trips_through_json() -> None:
    full = {
        **BASIC, "days": 3, "day_start": "08:30", "day_end": "21:00", "base": {"lat": 51.1, "lon": 71.4},
        "modes": ["car"], "must_see": ["alzhir-museum"], "avoid": ["khan-shatyr"], "interests": ["History"],
        "budget": {"amount": "20000", "currency": "kzt"}, "party": {"adults": 2, "children": 1}, "pace": "relaxed",
        "locks": [{"place_id": "bayterek-tower", "date": "2026-12-01", "start": "10:00"}], "currency": "eur",
    }  # fmt: skip
    request = parse_request(full)
    assert request.modes == ("walk", "car")  # walking always comes along
    assert request.budget == (Decimal(20000), "KZT")
    assert request.currency == "EUR"
    assert request.interests == ("history",)
    assert parse_request(request_to_json(request)) == request


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start_date": "30/11/2026"}, "start_date: give a date as YYYY-MM-DD"),
        ({"days": 0}, "days: give a whole number from 1 to 14"),
        ({"day_start": "18:00", "day_end": "09:00"}, "day_end: 09:00 is not after day_start 18:00"),
        ({"modes": ["bike"]}, "modes: 'bike' is not a mode"),
        ({"pace": "fast"}, "pace: 'fast' is not a pace"),
        ({"budget": {"amount": "lots", "currency": "KZT"}}, "budget: amount 'lots' is not a number"),
        (
            {"budget": {"amount": "10", "currency": "tenge"}},
            "budget: currency 'TENGE' is not an ISO 4217 code",
        ),
        ({"party": {"adults": 0, "children": 0}}, "party: at least one traveller"),
        ({"must_see": ["x"], "avoid": ["x"]}, "avoid: x is both a must-see and to avoid"),
        ({"base": {"lat": 95, "lon": 0}}, "base: (95.0, 0.0) is not a point on Earth"),
        (
            {"locks": [{"place_id": "x", "date": "2027-01-01", "start": "10:00"}]},
            "locks: 2027-01-01 is not a day",
        ),
    ],
)
def test_bad_input_names_the_field_and_the_fix(change: dict[str, Any], field: str) -> None:
    with pytest.raises(TripwiseError) as error:
        parse_request({**BASIC, **change})
    assert error.value.code == "invalid_request"
    assert field in error.value.message


def test_changes_edit_the_request_the_way_the_plan_page_asks() -> None:
    request = parse_request({**BASIC, "days": 2, "must_see": ["a"], "avoid": ["b"]})
    locked = apply_change(
        request, {"action": "lock", "place_id": "b", "date": "2026-12-01", "start": "11:00"}
    )
    assert [lock.place for lock in locked.locks] == ["b"]
    assert "b" not in locked.avoid
    relocked = apply_change(
        locked, {"action": "lock", "place_id": "b", "date": "2026-11-30", "start": "12:00"}
    )
    assert [(lock.date, lock.start) for lock in relocked.locks] == [(date(2026, 11, 30), time(12))]
    assert apply_change(relocked, {"action": "unlock", "place_id": "b"}).locks == ()
    removed = apply_change(request, {"action": "remove", "place_id": "a"})
    assert removed.must_see == ()
    assert removed.avoid == ("b", "a")
    added = apply_change(request, {"action": "add", "place_id": "b"})
    assert added.must_see == ("a", "b")
    assert added.avoid == ()
    assert apply_change(request, {"action": "pace", "pace": "packed"}).pace == "packed"
    with pytest.raises(TripwiseError, match="not a change"):
        apply_change(request, {"action": "teleport"})
