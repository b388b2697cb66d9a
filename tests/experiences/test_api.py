"""The experiences API through the test client: what is near, one experience, its departures, booking with
retries, confirming and cancelling, applications, and the providers' endpoints. Errors always come as
{"error": {"code", "message"}}."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from tests.experiences.helpers import (
    ALMATY,
    COOKING,
    DAY_TRIP,
    MOSQUE,
    TOUR,
    WALK,
    departure,
    experience,
    local,
    seats_taken,
    staff_of,
)
from tripwise.experiences.models import Application, Booking, Slot

pytestmark = pytest.mark.django_db

NOW = local(2026, 12, 1, 12, 0)  # Tuesday noon in Astana
START = local(2026, 12, 10, 9, 30)
SATURDAY_NOON = local(2026, 11, 28, 12, 0)
CENTRE = {"lat": "51.1801", "lon": "71.44598"}


def at(moment: datetime) -> Any:
    return time_machine.travel(moment, tick=False)


def error_of(response: Any, status: int, code: str) -> str:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code, body
    message: str = body["error"]["message"]
    assert message
    return message


def post(client: Client, path: str, data: dict[str, Any], **headers: str) -> Any:
    return client.post(path, data, content_type="application/json", headers=headers)


def booking_body(slot: Slot, **overrides: Any) -> dict[str, Any]:
    return {
        "slot_id": slot.pk,
        "name": "Carol Traveller",
        "email": "carol@example.org",
        "adults": 2,
        **overrides,
    }


# What is near


def test_nearby_by_place_and_by_point_nearest_first(client: Client) -> None:
    by_place = client.get("/api/experiences", {"place": "bayterek-tower"})
    assert by_place.status_code == 200
    found = by_place.json()
    assert found[0]["slug"] == WALK
    assert found[0]["distance_km"] == 0
    distances = [hit["distance_km"] for hit in found]
    assert distances == sorted(distances)
    assert {TOUR, DAY_TRIP, WALK, COOKING, MOSQUE} == {hit["slug"] for hit in found}
    tour = next(hit for hit in found if hit["slug"] == TOUR)
    assert tour["mode"] == "application"
    assert tour["provider"] == "ALZHIR Museum"
    assert tour["timezone"] == "Asia/Almaty"
    assert tour["url"] == f"/experiences/{TOUR}/"

    by_point = client.get("/api/experiences", CENTRE).json()
    assert [hit["distance_km"] for hit in by_point] == sorted(hit["distance_km"] for hit in by_point)
    near = client.get("/api/experiences", {**CENTRE, "radius_km": 15}).json()
    assert TOUR not in {hit["slug"] for hit in near}
    assert len(client.get("/api/experiences", {**CENTRE, "limit": 2}).json()) == 2


def test_nearby_filters(client: Client) -> None:
    def slugs(**query: Any) -> set[str]:
        response = client.get("/api/experiences", {**CENTRE, **query})
        assert response.status_code == 200, response.content
        return {hit["slug"] for hit in response.json()}

    assert slugs(language="kk") == {WALK}
    assert slugs(max_price="5000") == {MOSQUE, TOUR}
    assert slugs(party=9) == {WALK, MOSQUE, TOUR}
    with at(NOW):
        Slot.objects.filter(starts_at__gte=local(2026, 12, 8), starts_at__lt=local(2026, 12, 9)).delete()
        slot = departure(COOKING, local(2026, 12, 8, 18, 0))
        on_the_day = client.get("/api/experiences", {**CENTRE, "date": "2026-12-08"}).json()
    assert [hit["slug"] for hit in on_the_day] == [COOKING]
    assert on_the_day[0]["next_slots"] == [
        {"id": slot.pk, "starts_at": "2026-12-08T13:00:00Z", "seats_left": 8, "capacity": 8}
    ]


def test_nearby_needs_a_point(client: Client) -> None:
    message = error_of(client.get("/api/experiences"), 422, "missing_point")
    assert "lat and lon" in message
    error_of(client.get("/api/experiences", {"lat": "51.1"}), 422, "missing_point")
    error_of(client.get("/api/experiences", {"place": "no-such-place"}), 404, "not_found")
    assert client.get("/api/experiences", {"lat": "91", "lon": "0"}).status_code == 422


# One experience and its departures


def test_detail_of_an_application_tour_on_a_saturday(client: Client) -> None:
    with at(SATURDAY_NOON):
        tuesday = departure(TOUR, local(2026, 12, 1, 11, 0))
        response = client.get(f"/api/experiences/{TOUR}")
    assert response.status_code == 200
    detail = response.json()
    assert detail["title"] == "ALZHIR guided tour in English"
    assert detail["applications_now"] is False
    assert datetime.fromisoformat(detail["applications_from"]) == local(2026, 11, 30, 9, 0)
    assert detail["notice_hours"] == 48
    assert detail["max_party"] == 15
    rules = " ".join(detail["rules"])
    assert "workdays only" in rules
    assert "Taking photos needs the permission" in rules
    assert tuesday.pk in [slot["id"] for slot in detail["next_slots"]]
    assert all(slot["seats_left"] > 0 for slot in detail["next_slots"])
    assert len(detail["next_slots"]) <= 10


def test_detail_of_an_instant_experience(client: Client) -> None:
    with at(NOW):
        detail = client.get(f"/api/experiences/{DAY_TRIP}").json()
    assert detail["applications_now"] is None
    assert detail["applications_from"] is None
    assert detail["price"] == "15000.00"
    assert detail["child_price"] == "9000.00"
    assert "Free cancellation up to 24 hours before the start; after that, 50% back." in detail["rules"]
    error_of(client.get("/api/experiences/no-such-tour"), 404, "not_found")


def test_slots_in_a_window_full_ones_included(client: Client) -> None:
    with at(NOW):
        mine = [departure(DAY_TRIP, local(2026, 12, day, 9, 30)) for day in (8, 9, 10)]
        Slot.objects.filter(pk=mine[1].pk).update(seats_taken=12)
        outside = departure(DAY_TRIP, local(2026, 12, 11, 9, 30))
        response = client.get(
            f"/api/experiences/{DAY_TRIP}/slots", {"date_from": "2026-12-08", "date_to": "2026-12-10"}
        )
        assert response.status_code == 200
        slots = response.json()
        assert [slot["id"] for slot in slots] == [slot.pk for slot in mine]
        assert [slot["seats_left"] for slot in slots] == [12, 0, 12]
        assert outside.pk not in [slot["id"] for slot in slots]
        default = client.get(f"/api/experiences/{DAY_TRIP}/slots").json()
        assert outside.pk in [slot["id"] for slot in default]
        error_of(
            client.get(
                f"/api/experiences/{DAY_TRIP}/slots", {"date_from": "2026-12-10", "date_to": "2026-12-08"}
            ),
            422,
            "bad_dates",
        )


# Bookings


def test_book_then_replay_with_the_same_key_then_confirm_and_cancel(client: Client) -> None:
    with at(NOW):
        slot = departure(DAY_TRIP, START)
        first = post(client, "/api/bookings", booking_body(slot, children=1), **{"Idempotency-Key": "k-1"})
        assert first.status_code == 201, first.content
        booking = first.json()
        assert booking["status"] == "held"
        assert booking["seats"] == 3
        assert booking["total"] == "39000.00"
        assert booking["experience"] == DAY_TRIP
        assert datetime.fromisoformat(booking["held_until"]) == NOW + timedelta(minutes=10)
        assert booking["url"] == f"/bookings/{booking['code']}/"

        replay = post(client, "/api/bookings", booking_body(slot, children=1), **{"Idempotency-Key": "k-1"})
        assert replay.status_code == 200
        assert replay.json()["code"] == booking["code"]
        assert seats_taken(slot) == 3
        message = error_of(
            post(client, "/api/bookings", booking_body(slot, children=2), **{"Idempotency-Key": "k-1"}),
            422,
            "idempotency_key_reused",
        )
        assert "Idempotency-Key" in message

        assert client.get(f"/api/bookings/{booking['code']}").json()["status"] == "held"
        confirmed = client.post(f"/api/bookings/{booking['code']}/confirm")
        assert confirmed.status_code == 200
        assert confirmed.json()["status"] == "confirmed"
        assert confirmed.json()["held_until"] is None

    with at(START - timedelta(hours=2)):
        cancelled = client.post(f"/api/bookings/{booking['code']}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["refund"] == "19500.00"  # half back, two hours before
    assert seats_taken(slot) == 0
    error_of(client.get("/api/bookings/not-a-code"), 404, "not_found")


def test_book_and_confirm_at_once_belongs_to_the_signed_in_traveller(bob_client: Client, bob: User) -> None:
    with at(NOW):
        slot = departure(DAY_TRIP, START)
        response = post(
            bob_client, "/api/bookings", booking_body(slot, confirm=True, email="bob@example.org")
        )
    assert response.status_code == 201
    assert response.json()["status"] == "confirmed"
    assert Booking.objects.get(code=response.json()["code"]).user == bob


def test_booking_refusals(client: Client) -> None:
    with at(NOW):
        slot = departure(DAY_TRIP, START, capacity=3)
        assert post(client, "/api/bookings", booking_body(slot, confirm=True)).status_code == 201
        full = error_of(post(client, "/api/bookings", booking_body(slot)), 409, "slot_full")
        assert "Only 1 seat is left" in full
        error_of(post(client, "/api/bookings", booking_body(slot, adults=9)), 422, "party_too_large")
        error_of(post(client, "/api/bookings", booking_body(slot, email="nope")), 422, "invalid_contact")
        error_of(
            post(client, "/api/bookings", booking_body(slot, adults=0, children=1)), 422, "invalid_party"
        )
        tour = departure(TOUR, local(2026, 12, 10, 11, 0))
        error_of(post(client, "/api/bookings", booking_body(tour)), 422, "book_by_application")
        soon = departure(DAY_TRIP, local(2026, 12, 2, 9, 30))  # 21.5 hours ahead; 12 are needed
        assert post(client, "/api/bookings", booking_body(soon)).status_code == 201
        error_of(post(client, "/api/bookings", booking_body(departure(DAY_TRIP, NOW + timedelta(hours=11)))),
                 422, "too_late_to_book")  # fmt: skip
        error_of(post(client, "/api/bookings", booking_body(slot, slot_id=10**9)), 404, "not_found")
        invalid = post(client, "/api/bookings", {"slot_id": slot.pk})
        assert invalid.status_code == 422
        assert "error" in invalid.json()
    assert seats_taken(slot) == 2


def test_a_hold_that_ran_out_cannot_be_confirmed(client: Client) -> None:
    with at(NOW):
        slot = departure(DAY_TRIP, START)
        code = post(client, "/api/bookings", booking_body(slot)).json()["code"]
    with at(NOW + timedelta(minutes=11)):
        message = error_of(client.post(f"/api/bookings/{code}/confirm"), 409, "hold_expired")
    assert "12 free now" in message
    assert client.get(f"/api/bookings/{code}").json()["status"] == "expired"
    error_of(client.post(f"/api/bookings/{code}/cancel"), 409, "not_cancellable")


def test_cancelling_after_the_start_is_refused(client: Client) -> None:
    with at(NOW):
        slot = departure(DAY_TRIP, START)
        code = post(client, "/api/bookings", booking_body(slot, confirm=True)).json()["code"]
    with at(START + timedelta(minutes=5)):
        error_of(client.post(f"/api/bookings/{code}/cancel"), 409, "too_late_to_cancel")
    assert client.get(f"/api/bookings/{code}").json()["status"] == "confirmed"


# Applications


def application_body(slot: Slot, **overrides: Any) -> dict[str, Any]:
    return {"slot_id": slot.pk, "name": "Carol Traveller", "email": "carol@example.org", "adults": 2,
            "message": "Two historians.", **overrides}  # fmt: skip


def test_applying_on_a_saturday(client: Client) -> None:
    with at(SATURDAY_NOON):
        thursday = departure(TOUR, local(2026, 12, 3, 11, 0))
        refused = post(client, f"/api/experiences/{TOUR}/applications", application_body(thursday))
        assert "Monday 30 November at 09:00" in error_of(refused, 422, "applications_closed")
        response = post(
            client, f"/api/experiences/{TOUR}/applications", application_body(thursday, send_later=True)
        )
    assert response.status_code == 201, response.content
    application = response.json()
    assert application["status"] == "scheduled"
    assert datetime.fromisoformat(application["submit_at"]) == local(2026, 11, 30, 9, 0)
    assert application["booking"] is None
    assert application["url"] == f"/applications/{application['code']}/"
    assert client.get(f"/api/applications/{application['code']}").json()["status"] == "scheduled"
    withdrawn = client.post(f"/api/applications/{application['code']}/withdraw")
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"
    error_of(client.get("/api/applications/not-a-code"), 404, "not_found")


def test_applying_for_another_experiences_departure_or_an_instant_one(client: Client) -> None:
    with at(local(2026, 11, 27, 10, 0)):
        walk = departure(WALK, local(2026, 12, 3, 10, 30))
        error_of(
            post(client, f"/api/experiences/{TOUR}/applications", application_body(walk)), 404, "not_found"
        )
        error_of(
            post(client, f"/api/experiences/{WALK}/applications", application_body(walk)),
            422,
            "book_directly",
        )


# Providers


@pytest.fixture
def curator_client() -> Client:
    client = Client()
    client.force_login(staff_of("alzhir-museum", "curator"))
    return client


@pytest.fixture
def guide_client() -> Client:
    client = Client()
    client.force_login(staff_of("astana-on-foot", "guide"))
    return client


def test_provider_endpoints_need_a_sign_in_and_the_providers_staff(
    client: Client, bob_client: Client
) -> None:
    with at(NOW):
        slot = departure(WALK, local(2026, 12, 12, 10, 30))
        for path, data in [
            (f"/api/provider/experiences/{WALK}/schedule", {"schedule": "Tu-Su 11:00"}),
            (f"/api/provider/experiences/{WALK}/exceptions", {"date": "2026-12-12", "closed": True}),
            (f"/api/provider/slots/{slot.pk}/capacity", {"capacity": 3}),
        ]:
            error_of(post(client, path, data), 401, "sign_in")
            assert "ALZHIR" not in error_of(post(bob_client, path, data), 403, "not_your_experience")
        for path in ("/api/provider/experiences", "/api/provider/applications"):
            error_of(client.get(path), 401, "sign_in")
            assert bob_client.get(path).json() == []
        error_of(client.get("/api/provider/day", {"date": "2026-12-12"}), 401, "sign_in")
        assert bob_client.get("/api/provider/day", {"date": "2026-12-12"}).json() == []
    assert Slot.objects.get(pk=slot.pk).capacity == 15


def test_a_staff_user_manages_the_providers_departures(guide_client: Client) -> None:
    mine = guide_client.get("/api/provider/experiences").json()
    assert {row["slug"] for row in mine} == {WALK, COOKING, MOSQUE}
    with at(NOW):
        report = post(
            guide_client, f"/api/provider/experiences/{WALK}/schedule", {"schedule": "Tu-Su 11:00,15:00"}
        )
        assert report.status_code == 200, report.content
        assert report.json()["created"] > 0
        error_of(post(guide_client, f"/api/provider/experiences/{WALK}/schedule", {"schedule": "sometimes"}),
                 400, "bad_schedule")  # fmt: skip
        day = post(
            guide_client,
            f"/api/provider/experiences/{WALK}/exceptions",
            {"date": "2026-12-12", "times": ["18:00"]},
        )
        assert day.status_code == 200, day.content
        assert [
            datetime.fromisoformat(slot["starts_at"]).astimezone(ALMATY).strftime("%H:%M")
            for slot in day.json()
        ] == [
            "11:00",
            "15:00",
            "18:00",
        ]
        evening = day.json()[-1]["id"]
        resized = post(guide_client, f"/api/provider/slots/{evening}/capacity", {"capacity": 4})
        assert resized.json() == {**day.json()[-1], "capacity": 4, "seats_left": 4}
        # Another provider's departure is not the guide's.
        tour = departure(TOUR, local(2026, 12, 12, 11, 0))
        error_of(
            post(guide_client, f"/api/provider/slots/{tour.pk}/capacity", {"capacity": 4}),
            403,
            "not_your_experience",
        )


def test_the_day_list_and_a_capacity_below_the_bookings(guide_client: Client, client: Client) -> None:
    with at(NOW):
        slot = departure(WALK, local(2026, 12, 12, 10, 30))
        post(client, "/api/bookings", booking_body(slot, confirm=True, adults=3, language="ru"))
        post(
            client, "/api/bookings", booking_body(slot, adults=1, email="held@example.org")
        )  # a hold: not listed
        rows = guide_client.get("/api/provider/day", {"date": "2026-12-12"}).json()
        (row,) = [
            row for row in rows if row["experience"] == WALK and row["starts_at"] == "2026-12-12T05:30:00Z"
        ]
        assert row["seats_taken"] == 4
        assert [(b["name"], b["email"], b["adults"], b["language"]) for b in row["bookings"]] == [
            ("Carol Traveller", "carol@example.org", 3, "ru")
        ]
        assert {r["experience"] for r in rows} <= {WALK, COOKING, MOSQUE}
        error_of(post(guide_client, f"/api/provider/slots/{slot.pk}/capacity", {"capacity": 2}), 409,
                 "capacity_below_bookings")  # fmt: skip
        closed = post(
            guide_client,
            f"/api/provider/experiences/{WALK}/exceptions",
            {"date": "2026-12-12", "closed": True},
        )
        error_of(closed, 409, "day_has_travellers")


def test_applications_waiting_then_accepted_and_declined_through_the_api(
    client: Client, curator_client: Client, guide_client: Client
) -> None:
    with at(local(2026, 11, 27, 10, 0)):  # a Friday: sent at once
        slot = departure(TOUR, local(2026, 12, 1, 11, 0))
        first = post(client, f"/api/experiences/{TOUR}/applications", application_body(slot)).json()
        second = post(
            client, f"/api/experiences/{TOUR}/applications", application_body(slot, adults=1)
        ).json()
        assert first["status"] == second["status"] == "submitted"
        waiting = curator_client.get("/api/provider/applications").json()
        assert {row["code"] for row in waiting} == {first["code"], second["code"]}
        assert guide_client.get("/api/provider/applications").json() == []

        error_of(post(guide_client, f"/api/provider/applications/{first['code']}/accept", {}), 403,
                 "not_your_experience")  # fmt: skip
        accepted = post(
            curator_client, f"/api/provider/applications/{first['code']}/accept", {"note": "See you."}
        )
        assert accepted.status_code == 200, accepted.content
        assert accepted.json()["status"] == "accepted"
        booking = Booking.objects.get(code=accepted.json()["booking"])
        assert booking.status == Booking.Status.CONFIRMED
        assert seats_taken(slot) == 2
        error_of(
            post(curator_client, f"/api/provider/applications/{first['code']}/decline", {}),
            409,
            "already_decided",
        )

        declined = post(
            curator_client, f"/api/provider/applications/{second['code']}/decline", {"note": "Full."}
        )
        assert declined.json()["status"] == "declined"
        assert Application.objects.get(code=second["code"]).decision_note == "Full."
        assert curator_client.get("/api/provider/applications").json() == []
        error_of(post(curator_client, "/api/provider/applications/nope/accept", {}), 404, "not_found")
    assert experience(TOUR).slots.get(pk=slot.pk).seats_taken == 2
