"""Experiences near a point, one experience with its departures and rules, bookings and applications.

Bookings and applications are reached by their `code` (the secret in the emails' "manage" links); a
booking request may carry an `Idempotency-Key` header, and a retry with the same key returns the same
booking instead of a second one. Refusals are 409 (no seats, hold ran out) or 422 (a rule): each with a
stable code and a message that says what to do.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from tripwise.api.schemas import ERRORS, ErrorOut
from tripwise.core.errors import TripwiseError
from tripwise.experiences import selectors
from tripwise.experiences.applications import application_submit, application_withdraw, submission_time
from tripwise.experiences.models import Application, Booking, Experience, Slot
from tripwise.experiences.services import Party, Traveller, booking_cancel, booking_confirm, booking_hold
from tripwise.places.selectors import place_get

router = Router()
bookings_router = Router()
applications_router = Router()
CONFLICTS = {**ERRORS, 409: ErrorOut}
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2099, 12, 31)  # as for trips: dates people travel on


class SlotOut(Schema):
    id: int
    starts_at: dt.datetime
    seats_left: int
    capacity: int


class ExperienceOut(Schema):
    slug: str
    title: str
    summary: str
    mode: str
    provider: str
    place: str
    destination: str
    duration_minutes: int
    price: str
    child_price: str | None
    currency: str
    languages: list[str]
    meeting_point: str
    lat: float
    lon: float
    timezone: str
    url: str


class NearbyOut(ExperienceOut):
    distance_km: float
    next_slots: list[SlotOut]


class ExperienceDetailOut(ExperienceOut):
    description: str
    rules: list[str]
    max_party: int
    notice_hours: int
    next_slots: list[SlotOut]
    applications_now: bool | None  # by application: accepted right now? (null: booked directly)
    applications_from: dt.datetime | None  # when an application made now reaches the provider


class TravellerIn(Schema):
    name: str = Field(..., max_length=200)
    email: str = Field(..., max_length=254)
    adults: int = Field(1, ge=0, le=100)
    children: int = Field(0, ge=0, le=100)
    language: str = Field("", max_length=8)


class BookingIn(TravellerIn):
    slot_id: int
    confirm: bool = False  # true: book at once instead of holding the seats for 10 minutes


class BookingOut(Schema):
    code: str
    reference: str
    status: str
    experience: str
    title: str
    starts_at: dt.datetime
    seats: int
    adults: int
    children: int
    total: str
    currency: str
    held_until: dt.datetime | None
    refund: str | None
    url: str


class ApplicationIn(TravellerIn):
    slot_id: int
    message: str = Field("", max_length=2000)
    send_later: bool = False  # on a day applications are refused: send it on the next workday morning


class ApplicationOut(Schema):
    code: str
    reference: str
    status: str
    experience: str
    starts_at: dt.datetime
    submit_at: dt.datetime
    adults: int
    children: int
    booking: str | None
    url: str


def _slot_out(slot: Slot) -> dict[str, Any]:
    return {
        "id": slot.pk,
        "starts_at": slot.starts_at,
        "seats_left": slot.seats_left,
        "capacity": slot.capacity,
    }


def _experience_out(experience: Experience) -> dict[str, Any]:
    return {
        "slug": experience.slug,
        "title": experience.title,
        "summary": experience.summary,
        "mode": experience.mode,
        "provider": experience.provider.name,
        "place": experience.place.slug,
        "destination": experience.destination.slug,
        "duration_minutes": experience.duration_minutes,
        "price": str(experience.price),
        "child_price": None if experience.child_price is None else str(experience.child_price),
        "currency": experience.currency,
        "languages": experience.languages,
        "meeting_point": experience.meeting_point or experience.place.name,
        "lat": experience.lat,
        "lon": experience.lon,
        "timezone": experience.timezone,
        "url": experience.get_absolute_url(),
    }


def _booking_out(booking: Booking) -> dict[str, Any]:
    return {
        "code": booking.code,
        "reference": booking.reference,
        "status": booking.status,
        "experience": booking.experience.slug,
        "title": booking.experience.title,
        "starts_at": booking.slot.starts_at,
        "seats": booking.seats,
        "adults": booking.adults,
        "children": booking.children,
        "total": str(booking.total),
        "currency": booking.currency,
        "held_until": booking.held_until,
        "refund": None if booking.refund is None else str(booking.refund),
        "url": booking.get_absolute_url(),
    }


def _application_out(application: Application) -> dict[str, Any]:
    return {
        "code": application.code,
        "reference": application.reference,
        "status": application.status,
        "experience": application.experience.slug,
        "starts_at": application.slot.starts_at,
        "submit_at": application.submit_at,
        "adults": application.adults,
        "children": application.children,
        "booking": application.booking.code if application.booking else None,
        "url": application.get_absolute_url(),
    }


def _session_key(request: HttpRequest) -> str:
    # A browser's session owns what it books (My bookings); an API client without cookies gets none made
    # for it: its booking is reached by its code, and a session row per request would be a wasted write.
    return request.session.session_key or ""


def _traveller(request: HttpRequest, payload: TravellerIn) -> Traveller:
    user = request.user if request.user.is_authenticated else None
    return Traveller(
        name=payload.name,
        email=payload.email,
        user=user,
        session_key=_session_key(request),
        language=payload.language,
    )


class NearbyQuery(Schema):
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    place: str | None = None  # a place's id (slug) instead of lat/lon
    radius_km: float = Field(60, gt=0, le=200)
    date: dt.date | None = Field(None, ge=FIRST_DAY, le=LAST_DAY)  # only those with a departure that day
    language: str | None = Field(None, max_length=8)
    max_price: Decimal | None = Field(None, ge=0)
    party: int = Field(1, ge=1, le=100)
    limit: int = Field(12, ge=1, le=100)


@router.get("", response={200: list[NearbyOut], **ERRORS}, summary="Experiences near a point or a place")
def nearby(request: HttpRequest, filters: Query[NearbyQuery]) -> list[dict[str, Any]]:
    """Nearest first, each with its next departures that still have seats for `party` (on `date` if given)."""
    if filters.place:
        place = place_get(filters.place)
        lat, lon = place.lat, place.lon
    elif filters.lat is not None and filters.lon is not None:
        lat, lon = filters.lat, filters.lon
    else:
        raise TripwiseError(
            "missing_point", "Give lat and lon, or place (a place id), to search near.", status=422
        )
    found = selectors.experiences_near(
        lat=lat,
        lon=lon,
        radius_m=filters.radius_km * 1000,
        limit=filters.limit,
        on=filters.date,
        language=filters.language,
        max_price=filters.max_price,
        party=filters.party,
    )
    return [
        {
            **_experience_out(hit.experience),
            "distance_km": hit.distance_km,
            "next_slots": [_slot_out(slot) for slot in hit.next_slots],
        }
        for hit in found
    ]


@router.get("/{slug}", response={200: ExperienceDetailOut, **ERRORS}, summary="One experience")
def detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    experience = selectors.experience_get(slug)
    today = selectors.local_today(experience)
    slots = selectors.slots_between(experience, first=today, last=today + dt.timedelta(days=30))
    applications_now: bool | None = None
    applications_from: dt.datetime | None = None
    if experience.mode == Experience.Mode.APPLICATION:
        applications_from, refusal = submission_time(experience, timezone.now())
        applications_now = refusal is None
    return {
        **_experience_out(experience),
        "description": experience.description,
        "rules": selectors.rules_in_words(experience),
        "max_party": experience.max_party,
        "notice_hours": experience.notice_hours,
        "next_slots": [_slot_out(slot) for slot in slots if slot.seats_left > 0][:10],
        "applications_now": applications_now,
        "applications_from": applications_from,
    }


class SlotsQuery(Schema):
    date_from: dt.date | None = Field(None, ge=FIRST_DAY, le=LAST_DAY)
    date_to: dt.date | None = Field(None, ge=FIRST_DAY, le=LAST_DAY)


@router.get("/{slug}/slots", response={200: list[SlotOut], **ERRORS}, summary="Departures of an experience")
def slots(request: HttpRequest, slug: str, window: Query[SlotsQuery]) -> list[dict[str, Any]]:
    """Departures between the dates (default: the next 30 days), full ones included with seats_left 0."""
    experience = selectors.experience_get(slug)
    first = window.date_from or selectors.local_today(experience)
    last = window.date_to or first + dt.timedelta(days=30)
    if last < first or (last - first).days > 366:
        raise TripwiseError(
            "bad_dates", "date_to must be on or after date_from, and at most a year later.", status=422
        )
    return [_slot_out(slot) for slot in selectors.slots_between(experience, first=first, last=last)]


@bookings_router.post("", response={200: BookingOut, 201: BookingOut, **CONFLICTS}, summary="Book seats")
def book(request: HttpRequest, payload: BookingIn, response: HttpResponse) -> Status[dict[str, Any]]:
    """Holds the seats for 10 minutes (confirm them with /confirm), or books at once with `confirm: true`.
    Send an `Idempotency-Key` header to retry safely: the same key returns the same booking (200)."""
    slot = selectors.slot_get(payload.slot_id)
    booking, created = booking_hold(
        slot=slot,
        party=Party(adults=payload.adults, children=payload.children),
        traveller=_traveller(request, payload),
        confirm=payload.confirm,
        idempotency_key=(request.headers.get("Idempotency-Key") or "")[:100],
    )
    return Status(201 if created else 200, _booking_out(booking))


@bookings_router.get("/{code}", response={200: BookingOut, **ERRORS}, summary="Read a booking")
def booking_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    return _booking_out(selectors.booking_get(code))


@bookings_router.post("/{code}/confirm", response={200: BookingOut, **CONFLICTS}, summary="Confirm a hold")
def confirm(request: HttpRequest, code: str) -> dict[str, Any]:
    return _booking_out(booking_confirm(booking=selectors.booking_get(code)))


@bookings_router.post("/{code}/cancel", response={200: BookingOut, **CONFLICTS}, summary="Cancel a booking")
def cancel(request: HttpRequest, code: str) -> dict[str, Any]:
    """Under the experience's cancellation policy: `refund` says what comes back."""
    return _booking_out(booking_cancel(booking=selectors.booking_get(code)))


@router.post(
    "/{slug}/applications", response={201: ApplicationOut, **CONFLICTS}, summary="Apply for a departure"
)
def apply(request: HttpRequest, slug: str, payload: ApplicationIn) -> Status[dict[str, Any]]:
    """For experiences that work by application. On a day the provider refuses applications (a weekend for
    a museum that accepts them on workdays only) this is refused with `applications_closed`, unless
    `send_later` is true: then it is kept and sent on the next workday morning (status `scheduled`)."""
    experience = selectors.experience_get(slug)
    slot = selectors.slot_get(payload.slot_id)
    if slot.experience_id != experience.pk:
        raise TripwiseError(
            "not_found", f"Departure {payload.slot_id} is not one of {experience.title}.", status=404
        )
    application = application_submit(
        slot=slot,
        party=Party(adults=payload.adults, children=payload.children),
        traveller=_traveller(request, payload),
        message=payload.message,
        send_later=payload.send_later,
        idempotency_key=(request.headers.get("Idempotency-Key") or "")[:100],
    )
    return Status(201, _application_out(application))


@applications_router.get("/{code}", response={200: ApplicationOut, **ERRORS}, summary="Read an application")
def application_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    return _application_out(selectors.application_get(code))


@applications_router.post(
    "/{code}/withdraw", response={200: ApplicationOut, **CONFLICTS}, summary="Withdraw an application"
)
def withdraw(request: HttpRequest, code: str) -> dict[str, Any]:
    return _application_out(application_withdraw(application=selectors.application_get(code)))
