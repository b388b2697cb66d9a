"""The emails of bookings and applications. Each is stored in the outbox inside the caller's transaction (so it
exists exactly when the booking does) as the name of its composer here and the row's id; the sender writes
it (templates, calendar) after the commit, off the booking's path. See tripwise.mail.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse

from tripwise.core.export.ical import appointment_to_ical
from tripwise.experiences.models import Application, Booking, Experience, Slot
from tripwise.mail.composing import Attachment, Composed, mail_composer
from tripwise.mail.services import mail_enqueue_composed

CALENDAR = "text/calendar; method=REQUEST"
APPLICATION_TEMPLATES = frozenset(
    {
        "application_scheduled",
        "application_submitted",
        "application_new",
        "application_accepted",
        "application_declined",
    }
)


def _when(slot: Slot, experience: Experience) -> str:
    start = slot.starts_at.astimezone(ZoneInfo(experience.timezone))
    return f"{start:%A %d %B %Y, %H:%M} ({experience.timezone} time)"


def _link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def booking_calendar(booking: Booking, *, cancelled: bool = False) -> Attachment:
    """The booking as an iCalendar invitation (or its cancellation), organised by the provider."""
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


def _booking(booking_id: int) -> Booking:
    return Booking.objects.select_related("slot", "experience__provider", "experience__place").get(
        pk=booking_id
    )


@mail_composer
def compose_booking_confirmed(*, booking_id: int) -> Composed:
    booking = _booking(booking_id)
    return Composed(
        template="experiences/email/booking_confirmed",
        context=_booking_context(booking),
        attachments=[booking_calendar(booking)],
    )


@mail_composer
def compose_booking_cancelled(*, booking_id: int) -> Composed:
    booking = _booking(booking_id)
    return Composed(
        template="experiences/email/booking_cancelled",
        context=_booking_context(booking),
        attachments=[booking_calendar(booking, cancelled=True)],
    )


def booking_confirmed(booking: Booking) -> None:
    mail_enqueue_composed(
        kind="booking_confirmed",
        to=[booking.email],
        composer=compose_booking_confirmed,
        params={"booking_id": booking.pk},
    )


def booking_cancelled(booking: Booking) -> None:
    mail_enqueue_composed(
        kind="booking_cancelled",
        to=[booking.email],
        composer=compose_booking_cancelled,
        params={"booking_id": booking.pk},
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


def _application(application_id: int) -> Application:
    return Application.objects.select_related(
        "slot", "booking__slot", "experience__provider", "experience__place"
    ).get(pk=application_id)


@mail_composer
def compose_application(*, application_id: int, template: str) -> Composed:
    """Every application email: to the traveller (scheduled, submitted, accepted with the calendar, declined),
    and to the provider (new)."""
    if template not in APPLICATION_TEMPLATES:
        raise ValueError(f"{template!r} is not an application email")
    application = _application(application_id)
    attachments = []
    if template == "application_accepted" and application.booking is not None:
        attachments.append(booking_calendar(application.booking))
    headers = {"Reply-To": application.email} if template == "application_new" else {}
    return Composed(
        template=f"experiences/email/{template}",
        context=_application_context(application),
        attachments=attachments,
        headers=headers,
    )


def _application_email(application: Application, template: str, to: str) -> None:
    mail_enqueue_composed(
        kind=template,
        to=[to],
        composer=compose_application,
        params={"application_id": application.pk, "template": template},
    )


def application_scheduled(application: Application) -> None:
    _application_email(application, "application_scheduled", application.email)


def application_submitted(application: Application) -> None:
    _application_email(application, "application_submitted", application.email)
    _application_email(application, "application_new", application.experience.provider.email)


def application_decided(application: Application) -> None:
    accepted = application.status == Application.Status.ACCEPTED
    template = "application_accepted" if accepted else "application_declined"
    _application_email(application, template, application.email)
