"""The traveller's pages: experiences near a place, one experience with its booking or application form,
a booking (hold, confirm, cancel, add to a trip, calendar), an application, and My bookings.

Each view checks the input (forms.py) and calls one service or selector; a TripwiseError's message is shown
to the person above the form."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tripwise.accounts.session import MY_PLANS, remember_booking
from tripwise.core.errors import TripwiseError
from tripwise.core.experiences import describe_policy
from tripwise.experiences import emails, selectors
from tripwise.experiences.applications import application_submit, application_withdraw
from tripwise.experiences.forms import (
    ApplicationForm,
    BookingForm,
    NearbyFilterForm,
    TripChoiceForm,
    language_name,
)
from tripwise.experiences.models import Application, Booking, Experience, Slot
from tripwise.experiences.services import (
    HOLD_MINUTES,
    Party,
    Traveller,
    booking_add_to_trip,
    booking_cancel,
    booking_confirm,
    booking_hold,
)
from tripwise.places.models import Destination
from tripwise.places.selectors import place_get
from tripwise.trips.permissions import plan_for

TIMES_DAYS = 30  # the detail page lists the departures of the next 30 days
NEARBY_LIMIT = 20


def _session_key(request: HttpRequest) -> str:
    """The browser's session key (made now if this is its first visit): bookings belong to it until sign-in."""
    if request.session.session_key is None:
        request.session.save()
    return request.session.session_key or ""


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _traveller(request: HttpRequest, data: dict[str, Any]) -> Traveller:
    return Traveller(
        name=data["name"],
        email=data["email"],
        user=_user(request),
        session_key=_session_key(request),
        language=data.get("language") or "",
    )


def _markers(found: list[selectors.NearbyExperience]) -> list[dict[str, Any]]:
    return [
        {
            "lat": hit.experience.lat,
            "lon": hit.experience.lon,
            "name": f"{hit.experience.title} ({hit.distance_km:g} km)",
            "url": hit.experience.get_absolute_url(),
            "kind": "place",
        }
        for hit in found
    ]


def experience_list(request: HttpRequest) -> HttpResponse:
    """/experiences/?place=<id> or ?lat=&lon=, with date, language, max_price and party: nearest first."""
    form = NearbyFilterForm(request.GET or None)
    valid = form.is_valid() if request.GET else True
    data = form.cleaned_data if request.GET and valid else {}
    centre_name = ""
    place = None
    if data.get("place"):
        place = place_get(data["place"])
        lat, lon, centre_name = place.lat, place.lon, place.name
    elif data.get("lat") is not None and data.get("lon") is not None:
        lat, lon, centre_name = data["lat"], data["lon"], f"{data['lat']:.4f}, {data['lon']:.4f}"
    else:
        destination = Destination.objects.order_by("name").first()
        if destination is None:
            return render(request, "experiences/experience_list.html", {"form": form, "found": []})
        lat, lon, centre_name = destination.lat, destination.lon, destination.name
    found = (
        selectors.experiences_near(
            lat=lat,
            lon=lon,
            limit=NEARBY_LIMIT,
            on=data.get("date"),
            language=data.get("language") or None,
            max_price=data.get("max_price"),
            party=data.get("party") or 1,
        )
        if valid
        else []
    )
    context = {
        "form": form,
        "found": found,
        "centre_name": centre_name,
        "place": place,
        "markers": _markers(found),
        "party": data.get("party") or 1,
    }
    if request.headers.get("HX-Request"):
        return render(request, "experiences/_experience_results.html", context)
    return render(request, "experiences/experience_list.html", context)


def _upcoming_by_date(experience: Experience, slots: list[Slot]) -> list[tuple[Any, list[Slot]]]:
    tz = ZoneInfo(experience.timezone)
    days: dict[Any, list[Slot]] = {}
    for slot in slots:
        days.setdefault(slot.starts_at.astimezone(tz).date(), []).append(slot)
    return list(days.items())


def _bookable(experience: Experience) -> list[Slot]:
    now = timezone.now()
    today = now.astimezone(ZoneInfo(experience.timezone)).date()
    slots = selectors.slots_between(experience, first=today, last=today + timedelta(days=TIMES_DAYS), now=now)
    latest = now + timedelta(hours=experience.notice_hours)
    return [slot for slot in slots if slot.starts_at >= latest]


def _detail(
    request: HttpRequest,
    experience: Experience,
    *,
    booking_form: BookingForm | None = None,
    application_form: ApplicationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "experience": experience,
        "rules": selectors.rules_in_words(experience),
        "languages": [language_name(code) for code in experience.languages],
        "markers": [
            {
                "lat": experience.lat,
                "lon": experience.lon,
                "name": experience.meeting_point or experience.place.name,
                "url": "",
                "kind": "place",
            }
        ],
        "hold_minutes": HOLD_MINUTES,
    }
    if experience.mode == Experience.Mode.APPLICATION:
        choices = selectors.application_choices(experience)
        form = application_form or ApplicationForm(
            experience=experience, slots=choices.slots, initial={"send_later": choices.refusal is not None}
        )
        context.update(
            {
                "choices": choices,
                "form": form,
                "times": _upcoming_by_date(experience, list(choices.slots)),
                "submit_local": choices.submit_at.astimezone(ZoneInfo(experience.timezone)).replace(
                    tzinfo=None
                ),
            }
        )
    else:
        slots = _bookable(experience)
        form_b = booking_form or BookingForm(experience=experience, slots=slots)
        context.update({"form": form_b, "times": _upcoming_by_date(experience, slots)})
    return render(request, "experiences/experience_detail.html", context, status=status)


def experience_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _detail(request, selectors.experience_get(slug))


@require_POST
def book_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The booking form: hold the seats (HOLD_MINUTES) and go to the booking page to confirm them."""
    experience = selectors.experience_get(slug)
    form = BookingForm(request.POST, experience=experience, slots=_all_upcoming(experience))
    if not form.is_valid():
        return _detail(request, experience, booking_form=form, status=422)
    data = form.cleaned_data
    try:
        booking, _created = booking_hold(
            slot=data["slot"],
            party=Party(adults=data["adults"], children=data["children"]),
            traveller=_traveller(request, data),
            idempotency_key=data["idempotency_key"],
        )
    except TripwiseError as error:
        form.add_error(None, error.message)
        return _detail(request, experience, booking_form=form, status=error.status)
    remember_booking(request, booking.code)
    return redirect(booking.get_absolute_url())


def _all_upcoming(experience: Experience) -> list[Slot]:
    """Every departure not started yet, full or not: the service says why one cannot be booked."""
    now = timezone.now()
    today = now.astimezone(ZoneInfo(experience.timezone)).date()
    return selectors.slots_between(
        experience, first=today, last=today + timedelta(days=TIMES_DAYS + 1), now=now
    )


@require_POST
def apply_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The application form: sent at once on a workday, or (send_later) on the next workday morning."""
    experience = selectors.experience_get(slug)
    form = ApplicationForm(request.POST, experience=experience, slots=_all_upcoming(experience))
    if not form.is_valid():
        return _detail(request, experience, application_form=form, status=422)
    data = form.cleaned_data
    try:
        application = application_submit(
            slot=data["slot"],
            party=Party(adults=data["adults"], children=data["children"]),
            traveller=_traveller(request, data),
            message=data.get("message") or "",
            send_later=bool(data.get("send_later")),
            idempotency_key=data["idempotency_key"],
        )
    except TripwiseError as error:
        form.add_error(None, error.message)
        return _detail(request, experience, application_form=form, status=error.status)
    remember_booking(request, application.code)
    return redirect(application.get_absolute_url())


def _booking_context(request: HttpRequest, booking: Booking) -> dict[str, Any]:
    experience = booking.experience
    user = _user(request)
    trips = []
    if booking.status == Booking.Status.CONFIRMED:
        trips = selectors.trips_for_booking(booking, user=user, plan_ids=request.session.get(MY_PLANS, []))
    return {
        "booking": booking,
        "experience": experience,
        "refund": selectors.booking_refund_now(booking),
        "policy": describe_policy(experience.cancellation_policy),
        "trips": trips,
        "language": language_name(booking.language) if booking.language else "",
        "hold_minutes": HOLD_MINUTES,
        "application": Application.objects.filter(booking=booking).first(),
    }


def booking_detail(request: HttpRequest, code: str) -> HttpResponse:
    booking = selectors.booking_get(code)
    return render(request, "experiences/booking.html", _booking_context(request, booking))


@require_POST
def booking_confirm_view(request: HttpRequest, code: str) -> HttpResponse:
    booking = selectors.booking_get(code)
    try:
        booking = booking_confirm(booking=booking)
    except TripwiseError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"Booked: {booking.reference}. A confirmation email is on its way to {booking.email}."
        )
    return redirect(booking.get_absolute_url())


@require_http_methods(["GET", "POST"])
def booking_cancel_view(request: HttpRequest, code: str) -> HttpResponse:
    """GET: the confirm step (what would come back now); POST: cancel."""
    booking = selectors.booking_get(code)
    if request.method == "GET":
        return render(request, "experiences/booking_cancel.html", _booking_context(request, booking))
    try:
        booking = booking_cancel(booking=booking)
    except TripwiseError as error:
        messages.error(request, error.message)
    else:
        refund = booking.refund or 0
        messages.success(
            request,
            f"Cancelled {booking.reference}."
            + (f" {refund} {booking.currency} will be refunded." if refund else " Nothing is refunded."),
        )
    return redirect(booking.get_absolute_url())


@require_POST
def booking_trip_view(request: HttpRequest, code: str) -> HttpResponse:
    """Add to my trip: the booked visit becomes a fixed appointment of the plan."""
    booking = selectors.booking_get(code)
    form = TripChoiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of your trips.")
        return redirect(booking.get_absolute_url())
    plan, _access = plan_for(request, form.cleaned_data["plan"], "edit")
    try:
        plan = booking_add_to_trip(booking=booking, plan=plan, actor=_user(request))
    except TripwiseError as error:
        messages.error(request, error.message)
        return redirect(booking.get_absolute_url())
    messages.success(request, f"{booking.experience.title} is in {plan.title} as a booked appointment.")
    return redirect("trips:plan", public_id=plan.public_id)


def booking_calendar(request: HttpRequest, code: str) -> HttpResponse:
    booking = selectors.booking_get(code)
    calendar = emails.booking_calendar(booking, cancelled=booking.status == Booking.Status.CANCELLED)
    response = HttpResponse(calendar.content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{calendar.filename}"'
    return response


def application_detail(request: HttpRequest, code: str) -> HttpResponse:
    application = selectors.application_get(code)
    return render(
        request,
        "experiences/application.html",
        {
            "application": application,
            "experience": application.experience,
            "can_withdraw": application.status
            in {Application.Status.SCHEDULED, Application.Status.SUBMITTED},
            "language": language_name(application.language) if application.language else "",
        },
    )


@require_POST
def application_withdraw_view(request: HttpRequest, code: str) -> HttpResponse:
    application = selectors.application_get(code)
    try:
        application_withdraw(application=application)
    except TripwiseError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Application {application.reference} withdrawn: it will not be sent.")
    return redirect(application.get_absolute_url())


def my_bookings(request: HttpRequest) -> HttpResponse:
    """My bookings: this account's (or, signed out, this browser's) bookings and applications, upcoming first."""
    user = _user(request)
    session_key = request.session.session_key or ""
    now = timezone.now()
    bookings = list(selectors.bookings_of(user=user, session_key=session_key))
    applications = list(selectors.applications_of(user=user, session_key=session_key))
    return render(
        request,
        "experiences/my_bookings.html",
        {
            "upcoming": [booking for booking in bookings if booking.slot.starts_at >= now],
            "past": [booking for booking in bookings if booking.slot.starts_at < now][::-1],
            "applications": sorted(
                applications, key=lambda item: (item.slot.starts_at < now, item.slot.starts_at)
            ),
        },
    )
