"""The experience pages through Django's test client: nearby sections, the detail page, booking (once, even
submitted twice), a full departure, cancelling, adding a booking to a trip, the provider pages and the
weekend application form. Clocks are frozen and departures made at explicit times, never read from the real
calendar."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from tests.experiences.helpers import ALMATY, TOUR, WALK, departure, experience
from tripwise.experiences.models import Application, Booking, Slot
from tripwise.experiences.provider import slots_generate
from tripwise.experiences.services import Party, Traveller, booking_hold
from tripwise.trips.models import Plan
from tripwise.trips.services import plan_create

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=ALMATY)  # a Tuesday morning
START = datetime(2026, 12, 3, 10, 30, tzinfo=ALMATY)  # Thursday: two days ahead, cancellation is free


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _form(slot: Slot, key: str = "key-one", **overrides: object) -> dict[str, object]:
    return {
        "slot": slot.pk,
        "adults": 2,
        "children": 0,
        "name": "Dana Traveller",
        "email": "dana@example.org",
        "language": "en",
        "idempotency_key": key,
        **overrides,
    }


def _confirmed(slot: Slot, *, user: User | None = None, session_key: str = "") -> Booking:
    booking, _ = booking_hold(
        slot=slot,
        party=Party(adults=2),
        traveller=Traveller(name="Dana", email="dana@example.org", user=user, session_key=session_key),
        confirm=True,
    )
    return booking


def test_the_guide_and_place_pages_show_things_to_do_nearby(client: Client, frozen: None) -> None:
    departure(TOUR, datetime(2026, 12, 4, 11, 0, tzinfo=ALMATY))
    guide = client.get("/guides/alzhir-museum/").content.decode()
    assert "Things to do nearby" in guide
    assert "ALZHIR guided tour in English" in guide
    assert 'data-testid="nearby-filter"' in guide
    place = client.get("/places/bayterek-tower/").content.decode()
    assert "Things to do nearby" in place
    assert "Left Bank walking tour" in place
    assert "/experiences/?place=bayterek-tower" in place


def test_the_list_is_nearest_first_with_a_map_and_filters(client: Client, frozen: None) -> None:
    departure(WALK, START)
    page = client.get("/experiences/?place=bayterek-tower").content.decode()
    assert page.index("Left Bank walking tour") < page.index("Day trip from Astana to ALZHIR")
    assert "data-map" in page
    kazakh = client.get("/experiences/?place=bayterek-tower&language=kk").content.decode()
    assert "Left Bank walking tour" in kazakh
    assert "Kazakh cooking class" not in kazakh  # taught in English and Russian only
    partial = client.get(
        "/experiences/?place=bayterek-tower&party=9", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in partial
    assert "Left Bank walking tour" in partial  # up to 10 in a booking
    assert "Day trip from Astana to ALZHIR" not in partial  # 8 at most


def test_the_detail_page_shows_rules_times_and_the_booking_form(client: Client, frozen: None) -> None:
    departure(WALK, START)
    response = client.get(f"/experiences/{WALK}/")
    page = response.content.decode()
    assert "About 3 km on foot, all on level ground." in page
    assert "Free cancellation up to 24 hours before the start" in page
    assert "Thursday 3 December" in page
    assert "10:30" in page
    assert "Astana on Foot" in page
    assert 'data-testid="booking-form"' in page
    assert response.context["form"].initial["idempotency_key"]


def test_a_form_submitted_twice_books_once(client: Client, frozen: None) -> None:
    slot = departure(WALK, START)
    first = client.post(f"/experiences/{WALK}/book", _form(slot))
    second = client.post(f"/experiences/{WALK}/book", _form(slot))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Booking.objects.filter(slot=slot).count() == 1
    slot.refresh_from_db()
    assert slot.seats_taken == 2
    page = client.get(first["Location"]).content.decode()
    assert "Held for you until" in page
    assert 'data-testid="confirm"' in page


def test_hold_then_confirm_says_the_email_is_on_its_way(client: Client, frozen: None) -> None:
    slot = departure(WALK, START)
    booking_url = client.post(f"/experiences/{WALK}/book", _form(slot))["Location"]
    booking = Booking.objects.get(slot=slot)
    page = client.post(f"/bookings/{booking.code}/confirm", follow=True).content.decode()
    assert "A confirmation email is on its way to dana@example.org" in page
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.session_key == client.session.session_key  # "My bookings" of this browser
    mine = client.get("/bookings/").content.decode()
    assert booking.reference in mine
    assert booking_url.endswith(f"/bookings/{booking.code}/")


def test_a_full_departure_says_so_on_the_form(client: Client, frozen: None) -> None:
    slot = departure(WALK, START)
    Slot.objects.filter(pk=slot.pk).update(seats_taken=slot.capacity)
    response = client.post(f"/experiences/{WALK}/book", _form(slot))
    assert response.status_code == 409
    assert "No seats are left on Left Bank walking tour" in response.content.decode()
    assert not Booking.objects.filter(slot=slot).exists()


def test_a_bad_party_is_refused_by_the_form(client: Client, frozen: None) -> None:
    slot = departure(WALK, START)
    response = client.post(f"/experiences/{WALK}/book", _form(slot, adults=0, email="not an address"))
    assert response.status_code == 422
    page = response.content.decode()
    assert "Adults" in page
    assert "Email" in page
    assert not Booking.objects.filter(slot=slot).exists()


def test_cancel_shows_the_refund_then_cancels(client: Client, frozen: None) -> None:
    booking = _confirmed(departure(WALK, START))
    page = client.get(f"/bookings/{booking.code}/").content.decode()
    assert "Cancelling now gives back ₸12,000 (100%)" in page
    confirm = client.get(f"/bookings/{booking.code}/cancel").content.decode()
    assert "Cancelling now gives back ₸12,000 (100% of the price)" in confirm
    done = client.post(f"/bookings/{booking.code}/cancel", follow=True).content.decode()
    assert "Cancelled" in done
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert booking.refund == 12000


def test_the_calendar_file_of_a_booking(client: Client, frozen: None) -> None:
    booking = _confirmed(departure(WALK, START))
    response = client.get(f"/bookings/{booking.code}/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in response.content.decode()


def test_add_to_trip_puts_the_booked_visit_in_the_plan(bob: User, bob_client: Client, frozen: None) -> None:
    booking = _confirmed(departure(WALK, START), user=bob)
    plan = plan_create(
        request={"destination": "astana", "start_date": "2026-12-03", "days": 1, "base": "asia-park"}
    )
    Plan.objects.filter(pk=plan.pk).update(owner=bob)
    page = bob_client.get(f"/bookings/{booking.code}/").content.decode()
    assert 'data-testid="add-booking-to-trip"' in page
    assert plan.public_id in page
    response = bob_client.post(f"/bookings/{booking.code}/trip", {"plan": plan.public_id})
    assert response.status_code == 302
    assert response["Location"] == f"/plans/{plan.public_id}/"
    trip = bob_client.get(response["Location"]).content.decode()
    assert f"Booked: Left Bank walking tour: Bayterek to Khan Shatyr (booking {booking.reference})" in trip
    booking.refresh_from_db()
    assert booking.plan_id == plan.pk


def test_someone_elses_trip_is_not_offered_nor_changed(bob: User, client: Client, frozen: None) -> None:
    booking = _confirmed(departure(WALK, START))
    plan = plan_create(request={"destination": "astana", "start_date": "2026-12-03", "days": 1})
    Plan.objects.filter(pk=plan.pk).update(owner=bob)
    assert plan.public_id not in client.get(f"/bookings/{booking.code}/").content.decode()
    assert client.post(f"/bookings/{booking.code}/trip", {"plan": plan.public_id}).status_code == 404


def test_provider_pages_need_a_provider_account(client: Client, bob_client: Client) -> None:
    for path in ("/provider/", "/provider/day/", "/provider/day.csv", f"/provider/experiences/{WALK}/"):
        anonymous = client.get(path)
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith("/accounts/login/")
        refused = bob_client.get(path)
        assert refused.status_code == 403, path
        assert "provider" in refused.content.decode()


def _staff(slug: str) -> Client:
    user = User.objects.create_user("pat", "pat@example.org", "pat-password")
    experience(slug).provider.staff.add(user)
    client = Client()
    client.force_login(user)
    return client


def test_the_day_list_and_its_csv(frozen: None) -> None:
    staff = _staff(WALK)
    booking = _confirmed(departure(WALK, START))
    page = staff.get("/provider/day/?provider=astana-on-foot&date=2026-12-03").content.decode()
    assert "2 of 15 seats taken" in page
    assert booking.reference in page
    response = staff.get("/provider/day.csv?provider=astana-on-foot&date=2026-12-03")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["experience", "start", "reference", "name", "email", "adults", "children", "language"]
    assert [
        "Left Bank walking tour: Bayterek to Khan Shatyr", "2026-12-03 10:30", booking.reference, "Dana",
        "dana@example.org", "2", "0", "",
    ] in rows  # fmt: skip
    assert staff.get(f"/provider/experiences/{TOUR}/").status_code == 403  # the museum's, not theirs


def test_the_provider_changes_a_departures_capacity_and_sees_refusals(frozen: None) -> None:
    staff = _staff(WALK)
    slot = departure(WALK, START)
    _confirmed(slot)
    url = f"/provider/experiences/{WALK}/"
    assert staff.post(url, {"form": "capacity", "slot": slot.pk, "capacity": 20}).status_code == 302
    slot.refresh_from_db()
    assert slot.capacity == 20
    refused = staff.post(url, {"form": "capacity", "slot": slot.pk, "capacity": 1})
    assert refused.status_code == 422
    assert "2 seats are already taken on this departure" in refused.content.decode()
    closed = staff.post(url, {"form": "exception", "date": "2026-12-03", "closed": "on"})
    assert "seats are booked on Thursday 03 December" in closed.content.decode()


def test_on_a_saturday_the_application_form_says_when_it_will_be_sent() -> None:
    saturday = datetime(2026, 11, 28, 12, 0, tzinfo=ALMATY)
    with time_machine.travel(saturday, tick=False):
        slots_generate(experience=experience(TOUR), first=date(2026, 11, 28), days=30, now=saturday)
        client = Client()
        response = client.get(f"/experiences/{TOUR}/")
        page = response.content.decode()
        assert "Applications are accepted on workdays only" in page
        assert "It is Saturday 28 November there now" in page
        assert "Send it on Monday 30 November at 09:00" in page
        offered = list(response.context["form"].slots.values())
        days = sorted({slot.starts_at.astimezone(ALMATY).date() for slot in offered})
        assert days[0] == date(2026, 12, 2)  # Monday 09:00 + 48 hours
        assert all(day.weekday() != 0 for day in days)  # closed on Mondays
        assert re.search(r"Wednesday 2 December, 11:00", page)
        slot = offered[0]
        sent = client.post(
            f"/experiences/{TOUR}/apply",
            {**_form(slot, key="apply-1"), "message": "", "send_later": "True"},
            follow=True,
        )
        assert "Waiting for a workday" in sent.content.decode()
        assert "on Monday 30 November at 09:00" in sent.content.decode()
        application = Application.objects.get(idempotency_key="apply-1")
        assert application.status == Application.Status.SCHEDULED
        assert mail.outbox == [] or all("dana@example.org" in m.to for m in mail.outbox)


def test_an_application_on_a_workday_goes_at_once() -> None:
    tuesday = datetime(2026, 12, 1, 10, 0, tzinfo=ALMATY)
    with time_machine.travel(tuesday, tick=False):
        slots_generate(experience=experience(TOUR), first=date(2026, 12, 1), days=14, now=tuesday)
        client = Client()
        response = client.get(f"/experiences/{TOUR}/")
        page = response.content.decode()
        assert "Send the application" in page
        assert 'data-testid="refusal"' not in page
        slot = next(iter(response.context["form"].slots.values()))
        assert slot.starts_at >= tuesday + timedelta(hours=48)
        sent = client.post(f"/experiences/{TOUR}/apply", _form(slot, key="apply-2"), follow=True)
        assert "Sent to the provider" in sent.content.decode()


def test_bookings_made_before_signing_in_become_the_accounts(client: Client, frozen: None) -> None:
    """Booked in a browser while signed out, then signed in: the booking is the account's, on any device."""
    from tests.accounts.conftest import sign_in, verified_user

    slot = departure(WALK, START)
    booked = client.post(f"/experiences/{WALK}/book", _form(slot))
    assert booked.status_code == 302
    booking = Booking.objects.get(slot=slot)
    assert booking.user is None

    erin = verified_user("erin", "erin-password")
    assert sign_in(client, "erin@example.org", "erin-password").status_code == 302
    booking.refresh_from_db()
    assert booking.user == erin
    elsewhere = Client()
    elsewhere.force_login(erin)
    assert booking.reference in elsewhere.get("/bookings/").content.decode()
