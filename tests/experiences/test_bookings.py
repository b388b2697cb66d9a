"""Booking a departure as a traveller sees it: seats held then confirmed, a hold that runs out, the last seat,
the provider's rules, a retried request, cancelling under the policy, and a booking in a trip plan."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from tests.experiences.helpers import DAY_TRIP, TOUR, book, carol, departure, local, seats_taken
from tripwise.config.worker import run_once
from tripwise.core.errors import TripwiseError
from tripwise.experiences.models import Booking, Slot
from tripwise.experiences.services import (
    HOLD_MINUTES,
    Party,
    booking_add_to_trip,
    booking_cancel,
    booking_confirm,
    booking_hold,
    holds_release_expired,
)
from tripwise.trips.models import Plan
from tripwise.trips.services import plan_create

pytestmark = pytest.mark.django_db

# The day trip leaves Asia Park at 09:30 on Thursday 10 December 2026; we book nine days before.
START = local(2026, 12, 10, 9, 30)
NOW = local(2026, 12, 1, 12, 0)


@pytest.fixture
def trip_slot() -> Slot:
    return departure(DAY_TRIP, START)


def refused(code: str, call: Any, **kwargs: Any) -> TripwiseError:
    with pytest.raises(TripwiseError) as caught:
        call(**kwargs)
    assert caught.value.code == code, caught.value
    return caught.value


def test_a_hold_keeps_the_seats_for_ten_minutes_then_confirms(trip_slot: Slot) -> None:
    booking, created = booking_hold(
        slot=trip_slot, party=Party(adults=2, children=1), traveller=carol(), now=NOW
    )
    assert created
    assert booking.status == Booking.Status.HELD
    assert booking.held_until == NOW + timedelta(minutes=HOLD_MINUTES)
    assert booking.seats == 3
    assert booking.total == Decimal("39000.00")  # two adults at 15 000 and a child at 9 000
    assert booking.currency == "KZT"
    assert booking.reference.startswith("TW-")
    assert seats_taken(trip_slot) == 3

    confirmed = booking_confirm(booking=booking, now=NOW + timedelta(minutes=9))
    assert confirmed.status == Booking.Status.CONFIRMED
    assert confirmed.confirmed_at == NOW + timedelta(minutes=9)
    assert confirmed.held_until is None
    assert seats_taken(trip_slot) == 3
    # Confirming twice (a double click) changes nothing.
    again = booking_confirm(booking=booking, now=NOW + timedelta(minutes=20))
    assert again.status == Booking.Status.CONFIRMED
    assert again.confirmed_at == NOW + timedelta(minutes=9)
    assert seats_taken(trip_slot) == 3


def test_a_hold_that_ran_out_is_refused_and_its_seats_are_back_on_sale(trip_slot: Slot) -> None:
    booking = book(trip_slot, adults=4, now=NOW, confirm=False)
    assert seats_taken(trip_slot) == 4
    error = refused(
        "hold_expired", booking_confirm, booking=booking, now=NOW + timedelta(minutes=HOLD_MINUTES, seconds=1)
    )
    assert error.status == 409
    assert f"({trip_slot.capacity} free now)" in error.message
    booking.refresh_from_db()
    assert booking.status == Booking.Status.EXPIRED
    assert seats_taken(trip_slot) == 0
    # Someone else can have all the seats now.
    full = book(trip_slot, adults=8, now=NOW + timedelta(minutes=11), email="dan@example.org")
    assert full.status == Booking.Status.CONFIRMED


def test_the_sweep_releases_holds_that_ran_out_even_if_nobody_books_again(trip_slot: Slot) -> None:
    early = book(trip_slot, adults=2, now=NOW, confirm=False)
    late = book(trip_slot, adults=3, now=NOW + timedelta(minutes=5), confirm=False, email="dan@example.org")
    assert seats_taken(trip_slot) == 5
    assert holds_release_expired(now=NOW + timedelta(minutes=9)) == 0
    assert holds_release_expired(now=NOW + timedelta(minutes=10)) == 2  # the first hold, exactly at its end
    assert seats_taken(trip_slot) == 3
    early.refresh_from_db()
    assert early.status == Booking.Status.EXPIRED
    assert holds_release_expired(now=NOW + timedelta(minutes=10)) == 0  # released once
    # The worker does the same sweep.
    done = run_once(now=NOW + timedelta(minutes=16))
    assert done["holds released (seats)"] == 3
    late.refresh_from_db()
    assert late.status == Booking.Status.EXPIRED
    assert seats_taken(trip_slot) == 0


def test_holds_that_ran_out_give_way_to_a_booking_that_needs_their_seats() -> None:
    slot = departure(DAY_TRIP, START, capacity=4)
    stale = book(slot, adults=3, now=NOW, confirm=False)
    refused("slot_full", book, slot=slot, adults=2, now=NOW + timedelta(minutes=9), email="dan@example.org")

    # No sweep has run since the hold ran out: the booking that needs its seats releases it.
    later = NOW + timedelta(minutes=HOLD_MINUTES + 1)
    booking = book(slot, adults=2, now=later, email="dan@example.org")

    assert booking.status == Booking.Status.CONFIRMED
    stale.refresh_from_db()
    assert stale.status == Booking.Status.EXPIRED
    assert seats_taken(slot) == 2


def test_seats_never_exceed_capacity_and_the_refusal_names_the_seats_left() -> None:
    slot = departure(DAY_TRIP, START, capacity=4)
    book(slot, adults=3, now=NOW)
    too_many = refused("slot_full", book, slot=slot, adults=2, now=NOW, email="dan@example.org")
    assert too_many.status == 409
    assert "Only 1 seat is left" in too_many.message
    assert "you asked for 2" in too_many.message
    assert "Thursday 10 December 09:30" in too_many.message
    assert seats_taken(slot) == 3

    # The last seat: of two bookings for it, one gets it and the other is refused.
    last = book(slot, adults=1, now=NOW, email="dan@example.org")
    assert last.status == Booking.Status.CONFIRMED
    none_left = refused("slot_full", book, slot=slot, adults=1, now=NOW, email="erin@example.org")
    assert "No seats are left" in none_left.message
    assert seats_taken(slot) == 4
    assert Booking.objects.filter(slot=slot).count() == 2


def test_a_party_larger_than_the_provider_takes_is_refused(trip_slot: Slot) -> None:
    error = refused("party_too_large", book, slot=trip_slot, adults=6, children=3, now=NOW)
    assert error.status == 422
    assert "at most 8 people" in error.message
    assert "you asked for 9" in error.message
    assert seats_taken(trip_slot) == 0
    refused("invalid_party", book, slot=trip_slot, adults=0, children=2, now=NOW)
    refused("invalid_contact", book, slot=trip_slot, now=NOW, email="not-an-address")
    assert not Booking.objects.filter(slot=trip_slot).exists()


def test_booking_closes_the_notice_hours_before_the_start(trip_slot: Slot) -> None:
    # Twelve hours' notice: 21:30 the evening before is the last moment.
    in_time = book(trip_slot, now=START - timedelta(hours=12))
    assert in_time.status == Booking.Status.CONFIRMED
    error = refused("too_late_to_book", book, slot=trip_slot, now=START - timedelta(hours=11, minutes=59))
    assert error.status == 422
    assert "12 hours ahead" in error.message
    assert "closed for booking at 21:30" in error.message
    assert seats_taken(trip_slot) == 1


def test_a_cancelled_departure_cannot_be_booked(trip_slot: Slot) -> None:
    Slot.objects.filter(pk=trip_slot.pk).update(is_cancelled=True)
    trip_slot.refresh_from_db()
    error = refused("slot_cancelled", book, slot=trip_slot, now=NOW)
    assert error.status == 409
    assert "Thursday 10 December 09:30" in error.message
    assert seats_taken(trip_slot) == 0


def test_the_same_idempotency_key_returns_the_same_booking_and_takes_seats_once(trip_slot: Slot) -> None:
    asked = {"slot": trip_slot, "party": Party(adults=2), "traveller": carol(), "confirm": True, "now": NOW}
    first, created = booking_hold(**asked, idempotency_key="retry-me-1")
    again, created_again = booking_hold(**asked, idempotency_key="retry-me-1")
    assert created
    assert not created_again
    assert again.pk == first.pk
    assert seats_taken(trip_slot) == 2
    # The email's case does not make it another request.
    same, _ = booking_hold(
        **{**asked, "traveller": carol(email="CAROL@example.org")}, idempotency_key="retry-me-1"
    )
    assert same.pk == first.pk

    error = refused(
        "idempotency_key_reused",
        booking_hold,
        **{**asked, "party": Party(adults=3)},
        idempotency_key="retry-me-1",
    )
    assert error.status == 422
    assert seats_taken(trip_slot) == 2
    assert Booking.objects.filter(slot=trip_slot).count() == 1


def test_cancelling_in_the_free_window_refunds_everything_and_gives_the_seats_back(trip_slot: Slot) -> None:
    booking = book(trip_slot, adults=2, now=NOW)
    assert seats_taken(trip_slot) == 2
    cancelled = booking_cancel(booking=booking, now=START - timedelta(hours=24))  # "up to 24 hours before"
    assert cancelled.status == Booking.Status.CANCELLED
    assert cancelled.refund == Decimal("30000.00") == cancelled.total
    assert cancelled.cancelled_at == START - timedelta(hours=24)
    assert seats_taken(trip_slot) == 0
    # Cancelling again is harmless and gives nothing back twice.
    booking_cancel(booking=booking, now=START - timedelta(hours=20))
    assert seats_taken(trip_slot) == 0


def test_cancelling_late_refunds_the_late_percent(trip_slot: Slot) -> None:
    booking = book(trip_slot, adults=2, now=NOW)
    cancelled = booking_cancel(booking=booking, now=START - timedelta(hours=3))
    assert cancelled.refund == Decimal("15000.00")  # the day trip gives 50% back after the free window
    assert seats_taken(trip_slot) == 0


def test_after_the_start_a_booking_cannot_be_cancelled(trip_slot: Slot) -> None:
    booking = book(trip_slot, adults=2, now=NOW)
    error = refused("too_late_to_cancel", booking_cancel, booking=booking, now=START + timedelta(minutes=1))
    assert error.status == 409
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.refund is None
    assert seats_taken(trip_slot) == 2


def test_an_experience_by_application_is_not_booked_directly() -> None:
    slot = departure(TOUR, local(2026, 12, 10, 11, 0))
    error = refused("book_by_application", book, slot=slot, now=NOW)
    assert error.status == 422
    assert "ALZHIR Museum" in error.message
    assert seats_taken(slot) == 0


def trip_on(start: str, days: int = 2) -> Plan:
    return plan_create(request={"destination": "astana", "start_date": start, "days": days})


def visits_of(plan: Plan) -> list[dict[str, Any]]:
    plan.refresh_from_db()
    return [item for day in plan.result["days"] for item in day["items"] if item["type"] == "visit"]


def test_a_booking_goes_in_a_trip_as_a_fixed_appointment(trip_slot: Slot) -> None:
    booking = book(trip_slot, adults=2, now=NOW)
    plan = trip_on("2026-12-10")
    booking_add_to_trip(booking=booking, plan=plan, actor=None)
    booking.refresh_from_db()
    assert booking.plan_id == plan.pk
    (visit,) = [item for item in visits_of(plan) if item.get("booking")]
    assert visit["place_id"] == "asia-park"
    assert visit["booking"] == f"Day trip from Astana to ALZHIR, with transport (booking {booking.reference})"
    assert visit["start"] == "2026-12-10T09:30:00+05:00"
    assert visit["end"] == "2026-12-10T14:30:00+05:00"  # the day trip's five hours
    assert visit["locked"] is True
    assert plan.result["check"]["ok"]


def test_a_booking_outside_the_trip_dates_is_refused(trip_slot: Slot) -> None:
    booking = book(trip_slot, now=NOW)
    plan = trip_on("2026-12-12")
    error = refused("not_in_trip", booking_add_to_trip, booking=booking, plan=plan, actor=None)
    assert error.status == 422
    assert "Thursday 10 December" in error.message
    assert "12 December to 13 December" in error.message
    booking.refresh_from_db()
    assert booking.plan_id is None
    plan.refresh_from_db()
    assert plan.request.get("locks", []) == []


def test_only_a_confirmed_booking_goes_in_a_trip(trip_slot: Slot) -> None:
    held = book(trip_slot, now=NOW, confirm=False)
    refused("not_confirmed", booking_add_to_trip, booking=held, plan=trip_on("2026-12-10"), actor=None)


def test_cancelling_a_booking_in_a_trip_takes_the_appointment_out_of_the_plan(trip_slot: Slot) -> None:
    booking = book(trip_slot, now=NOW)
    plan = trip_on("2026-12-10")
    booking_add_to_trip(booking=booking, plan=plan, actor=None)
    revision = Plan.objects.get(pk=plan.pk).revision
    booking_cancel(booking=booking, now=NOW + timedelta(hours=1))
    plan.refresh_from_db()
    assert plan.revision == revision + 1
    assert plan.request.get("locks", []) == []
    assert not [item for item in visits_of(plan) if item.get("booking")]
