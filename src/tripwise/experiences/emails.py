"""The emails of bookings and applications. Each is written to the outbox inside the caller's transaction
(so it exists exactly when the booking does) and leaves after commit; see tripwise.mail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse

from tripwise.core.export.ical import appointment_to_ical
from tripwise.experiences.models import Application, Booking, Experience, Slot
from tripwise.mail.services import Attachment, mail_enqueue

CALENDAR = "text/calendar; method=REQUEST"


def _when(slot: Slot, experience: Experience) -> str:
    start = slot.starts_at.astimezone(ZoneInfo(experience.timezone))
    return f"{start:%A %d %B %Y, %H:%M} ({experience.timezone} time)"


def _link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _calendar(booking: Booking, *, cancelled: bool = False) -> Attachment:
    experience, slot = booking.experience, booking.slot
    start = slot.starts_at.astimezone(ZoneInfo(experience.timezone))
    content = appointment_to_ical(
        uid=f"booking-{booking.reference}",
        title=experience.title,
        start=start,
        end=start + timedelta(minutes=experience.duration_minutes),
        location=experience.meeting_point or experience.place.name,
        lat=experience.lat,
        lon=experience.lon,
        description=f"Booking {booking.reference} for {booking.seats}. {experience.provider.name}. "
        f"Manage it: {_link(booking.get_absolute_url())}",
        url=_link(booking.get_absolute_url()),
        sequence=1 if cancelled else 0,
        cancelled=cancelled,
        organizer=(experience.provider.name, experience.provider.email),
        attendee=(booking.name, booking.email),
    )
    mimetype = "text/calendar; method=CANCEL" if cancelled else CALENDAR
    return Attachment(filename=f"{booking.reference}.ics", mimetype=mimetype, content=content)


def _booking_context(booking: Booking) -> dict[str, Any]:
    experience = booking.experience
    return {
        "booking": booking,
        "experience": experience,
        "provider": experience.provider,
        "when": _when(booking.slot, experience),
        "meeting_point": experience.meeting_point or experience.place.name,
        "manage_url": _link(booking.get_absolute_url()),
        "experience_url": _link(experience.get_absolute_url()),
    }


@dataclass(frozen=True)
class Prepared:
    """The parts of an email that need no database: its context and its calendar."""

    context: dict[str, Any]
    attachments: list[Attachment]


def booking_confirmed_prepare(booking: Booking) -> Prepared:
    """The confirmation's context and calendar, for a booking not saved yet (its code and reference are set
    when it is made): a caller builds them before its transaction, which then holds its locks for less time
    (the calendar alone takes milliseconds of CPU; on SQLite the whole database waits for that commit)."""
    return Prepared(context=_booking_context(booking), attachments=[_calendar(booking)])


def booking_confirmed(booking: Booking, *, prepared: Prepared | None = None) -> None:
    prepared = prepared or booking_confirmed_prepare(booking)
    mail_enqueue(
        kind="booking_confirmed",
        template="experiences/email/booking_confirmed",
        to=[booking.email],
        context=prepared.context,
        attachments=prepared.attachments,
    )


def booking_cancelled(booking: Booking) -> None:
    mail_enqueue(
        kind="booking_cancelled",
        template="experiences/email/booking_cancelled",
        to=[booking.email],
        context=_booking_context(booking),
        attachments=[_calendar(booking, cancelled=True)],
    )


def _application_context(application: Application) -> dict[str, Any]:
    experience = application.experience
    tz = ZoneInfo(experience.timezone)
    return {
        "application": application,
        "experience": experience,
        "provider": experience.provider,
        "when": _when(application.slot, experience),
        "submit_at": f"{application.submit_at.astimezone(tz):%A %d %B at %H:%M} ({experience.timezone} time)",
        "manage_url": _link(application.get_absolute_url()),
        "provider_url": _link(reverse("experiences:provider_application", kwargs={"code": application.code})),
    }


def application_scheduled(application: Application) -> None:
    mail_enqueue(
        kind="application_scheduled",
        template="experiences/email/application_scheduled",
        to=[application.email],
        context=_application_context(application),
    )


def application_submitted(application: Application) -> None:
    context = _application_context(application)
    mail_enqueue(
        kind="application_submitted",
        template="experiences/email/application_submitted",
        to=[application.email],
        context=context,
    )
    mail_enqueue(
        kind="application_new",
        template="experiences/email/application_new",
        to=[application.experience.provider.email],
        context=context,
        headers={"Reply-To": application.email},
    )


def application_decided(application: Application) -> None:
    accepted = application.status == Application.Status.ACCEPTED
    attachments = [_calendar(application.booking)] if accepted and application.booking else []
    mail_enqueue(
        kind="application_accepted" if accepted else "application_declined",
        template="experiences/email/application_" + ("accepted" if accepted else "declined"),
        to=[application.email],
        context=_application_context(application),
        attachments=attachments,
    )
