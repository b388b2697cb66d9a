"""For providers' staff: their experiences, a day's list, schedules, days that differ, capacity, and the
applications waiting for a decision. Every call checks that the signed-in user is on the provider's staff."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from tripwise.api.experiences import (
    CONFLICTS,
    FIRST_DAY,
    LAST_DAY,
    ApplicationOut,
    SlotOut,
    _application_out,
    _slot_out,
)
from tripwise.api.schemas import ERRORS
from tripwise.experiences import selectors
from tripwise.experiences.applications import application_accept, application_decline
from tripwise.experiences.provider import capacity_set, day_exception_set, require_provider, schedule_set
from tripwise.trips.permissions import signed_in

router = Router()


class ProviderExperienceOut(Schema):
    slug: str
    title: str
    provider: str
    mode: str
    schedule: str
    capacity: int


class DayBookingOut(Schema):
    reference: str
    name: str
    email: str
    adults: int
    children: int
    language: str


class DaySlotOut(Schema):
    experience: str
    title: str
    starts_at: dt.datetime
    capacity: int
    seats_taken: int
    bookings: list[DayBookingOut]


class ScheduleIn(Schema):
    schedule: str = Field(..., max_length=300)  # e.g. "Tu-Su 11:00,15:00; PH off"


class SlotsReportOut(Schema):
    created: int
    removed: int
    kept_with_travellers: int


class ExceptionIn(Schema):
    date: dt.date = Field(..., ge=FIRST_DAY, le=LAST_DAY)
    closed: bool = False
    times: list[str] = []  # extra start times that day, "HH:MM"
    capacity: int | None = Field(None, ge=0, le=10000)
    note: str = Field("", max_length=200)


class CapacityIn(Schema):
    capacity: int = Field(..., ge=0, le=10000)


class DecisionIn(Schema):
    note: str = Field("", max_length=2000)


class DayQuery(Schema):
    date: dt.date = Field(..., ge=FIRST_DAY, le=LAST_DAY)


def _staff(request: HttpRequest) -> User:
    return signed_in(request, "Sign in with your provider account to manage experiences.")


@router.get("/experiences", response={200: list[ProviderExperienceOut], **ERRORS}, summary="My experiences")
def experiences(request: HttpRequest) -> list[dict[str, Any]]:
    user = _staff(request)
    return [
        {
            "slug": experience.slug,
            "title": experience.title,
            "provider": provider.name,
            "mode": experience.mode,
            "schedule": experience.schedule,
            "capacity": experience.capacity,
        }
        for provider in selectors.providers_of(user)
        for experience in provider.experiences.order_by("title")
    ]


@router.get("/day", response={200: list[DaySlotOut], **ERRORS}, summary="A day's departures and travellers")
def day(request: HttpRequest, query: Query[DayQuery]) -> list[dict[str, Any]]:
    user = _staff(request)
    rows = []
    for provider in selectors.providers_of(user):
        for row in selectors.provider_day(provider=provider, day=query.date):
            slot = row["slot"]
            rows.append(
                {
                    "experience": row["experience"].slug,
                    "title": row["experience"].title,
                    "starts_at": slot.starts_at,
                    "capacity": slot.capacity,
                    "seats_taken": slot.seats_taken,
                    "bookings": [
                        {
                            "reference": booking.reference,
                            "name": booking.name,
                            "email": booking.email,
                            "adults": booking.adults,
                            "children": booking.children,
                            "language": booking.language,
                        }
                        for booking in row["bookings"]
                    ],
                }
            )
    return rows


@router.post(
    "/experiences/{slug}/schedule", response={200: SlotsReportOut, **CONFLICTS}, summary="Set the schedule"
)
def schedule(request: HttpRequest, slug: str, payload: ScheduleIn) -> dict[str, int]:
    """Re-makes the future departures; one with travellers is kept (and counted) even if no longer wanted."""
    report = schedule_set(
        experience=selectors.experience_get(slug), schedule=payload.schedule, by=_staff(request)
    )
    return {
        "created": report.created,
        "removed": report.removed,
        "kept_with_travellers": report.kept_with_travellers,
    }


@router.post(
    "/experiences/{slug}/exceptions",
    response={200: list[SlotOut], **CONFLICTS},
    summary="Make one day differ",
)
def exception(request: HttpRequest, slug: str, payload: ExceptionIn) -> list[dict[str, Any]]:
    """Close a day (refused while it has travellers), add start times, or change that day's capacity.
    Returns that day's departures."""
    experience = selectors.experience_get(slug)
    day_exception_set(
        experience=experience,
        day=payload.date,
        by=_staff(request),
        closed=payload.closed,
        times=payload.times,
        capacity=payload.capacity,
        note=payload.note,
    )
    return [
        _slot_out(slot) for slot in selectors.slots_between(experience, first=payload.date, last=payload.date)
    ]


@router.post(
    "/slots/{slot_id}/capacity", response={200: SlotOut, **CONFLICTS}, summary="Set a departure's seats"
)
def capacity(request: HttpRequest, slot_id: int, payload: CapacityIn) -> dict[str, Any]:
    slot = capacity_set(slot=selectors.slot_get(slot_id), capacity=payload.capacity, by=_staff(request))
    return _slot_out(slot)


@router.get("/applications", response={200: list[ApplicationOut], **ERRORS}, summary="Applications to decide")
def applications(request: HttpRequest) -> list[dict[str, Any]]:
    user = _staff(request)
    return [
        _application_out(application)
        for provider in selectors.providers_of(user)
        for application in selectors.applications_waiting(provider)
    ]


@router.post(
    "/applications/{code}/accept",
    response={200: ApplicationOut, **CONFLICTS},
    summary="Accept an application",
)
def accept(request: HttpRequest, code: str, payload: DecisionIn) -> dict[str, Any]:
    """Takes the seats (refused with slot_full if the departure filled up) and tells the traveller by email."""
    user = _staff(request)
    application = selectors.application_get(code)
    require_provider(user, application.experience)
    return _application_out(application_accept(application=application, by=user, note=payload.note))


@router.post(
    "/applications/{code}/decline",
    response={200: ApplicationOut, **CONFLICTS},
    summary="Decline an application",
)
def decline(request: HttpRequest, code: str, payload: DecisionIn) -> dict[str, Any]:
    user = _staff(request)
    application = selectors.application_get(code)
    require_provider(user, application.experience)
    return _application_out(application_decline(application=application, by=user, note=payload.note))
