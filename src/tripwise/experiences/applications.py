"""Writes for experiences that work by application: send one, send it later, accept, decline, withdraw.

The museum's rule (ALZHIR: "applications are accepted on workdays only") is read in the museum's time zone:
a traveller in Helsinki on a Friday evening may already be on Saturday in Astana. On a day that refuses
applications the traveller may ask us to send it on the next workday morning; the worker does so
(`applications_submit_due`). The minimum notice counts from the moment the museum receives it.

Seats are taken only when the provider accepts, by the same conditional update as a booking.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from tripwise.core.errors import TripwiseError
from tripwise.core.experiences import (
    ApplicationRules,
    accepts_at,
    earliest_visit,
    next_submission,
    refusal_message,
)
from tripwise.core.hours import country_of_zone
from tripwise.experiences import emails
from tripwise.experiences.models import Application, Experience, Slot
from tripwise.experiences.services import (
    Party,
    Traveller,
    check_contact,
    check_party,
    new_booking,
    seats_take,
)

__all__ = [
    "application_accept",
    "application_decline",
    "application_submit",
    "application_withdraw",
    "applications_submit_due",
    "rules_of",
    "submission_time",
]


def rules_of(experience: Experience) -> ApplicationRules:
    return ApplicationRules(
        workdays_only=experience.workdays_only,
        office_opens=experience.office_opens,
        notice_hours=experience.notice_hours,
    )


def _zone(experience: Experience) -> tuple[ZoneInfo, str | None]:
    tz = ZoneInfo(experience.timezone)
    return tz, experience.destination.country or country_of_zone(tz)


def submission_time(experience: Experience, now: datetime) -> tuple[datetime, str | None]:
    """When an application made now reaches the provider, and why not now (None when it goes at once)."""
    rules = rules_of(experience)
    tz, country = _zone(experience)
    if accepts_at(now, rules, tz=tz, country=country):
        return now, None
    return next_submission(now, rules, tz=tz, country=country), refusal_message(
        now, rules, tz=tz, country=country
    )


def _places_left(count: int) -> str:
    return "No places are" if count == 0 else f"Only {count} place{' is' if count == 1 else 's are'}"


def _check_slot(experience: Experience, slot: Slot, submit_at: datetime, party: Party) -> None:
    tz = ZoneInfo(experience.timezone)
    if slot.experience_id != experience.pk or slot.is_cancelled:
        raise TripwiseError(
            "slot_cancelled", "That departure is not offered any more. Choose another date.", status=409
        )
    earliest = earliest_visit(submit_at, rules_of(experience))
    if slot.starts_at < earliest:
        raise TripwiseError(
            "too_little_notice",
            f"{experience.provider.name} needs {experience.notice_hours} hours' notice from when it receives the "
            f"application ({submit_at.astimezone(tz):%A %d %B %H:%M}), so the earliest visit is "
            f"{earliest.astimezone(tz):%A %d %B %H:%M}. Choose a later date.",
            status=422,
        )
    if slot.seats_left < party.seats:
        raise TripwiseError(
            "slot_full",
            f"{_places_left(slot.seats_left)} left at {slot.starts_at.astimezone(tz):%A %d %B %H:%M}. "
            "Choose another date or fewer people.",
            status=409,
        )


def _replayed(key: str, slot: Slot, party: Party, traveller: Traveller) -> Application | None:
    """The application an earlier request with this key made; a key reused for another request is refused."""
    if not key:
        return None
    earlier = Application.objects.filter(idempotency_key=key).first()
    if earlier is None:
        return None
    same = (earlier.slot_id, earlier.adults, earlier.children, earlier.email.lower()) == (
        slot.pk,
        party.adults,
        party.children,
        traveller.email.strip().lower(),
    )
    if not same:
        raise TripwiseError(
            "idempotency_key_reused",
            "This Idempotency-Key was already used for a different application. Send a new key for a new "
            "request, and the same key only to retry the same request.",
            status=422,
        )
    return earlier


def application_submit(
    *,
    slot: Slot,
    party: Party,
    traveller: Traveller,
    message: str = "",
    send_later: bool = False,
    idempotency_key: str = "",
    now: datetime | None = None,
) -> Application:
    """Send an application, or (with `send_later`, on a day the provider refuses them) schedule it."""
    now = now or timezone.now()
    experience = slot.experience
    earlier = _replayed(idempotency_key, slot, party, traveller)
    if earlier is not None:
        return earlier
    if experience.mode != Experience.Mode.APPLICATION:
        raise TripwiseError(
            "book_directly", f"{experience.title} is booked directly: choose a time and book it.", status=422
        )
    check_party(experience, party)
    check_contact(traveller)
    submit_at, refusal = submission_time(experience, now)
    if refusal is not None and not send_later:
        raise TripwiseError("applications_closed", refusal, status=422)
    _check_slot(experience, slot, submit_at, party)
    scheduled = refusal is not None
    try:
        with transaction.atomic():
            application = Application.objects.create(
                experience=experience,
                slot=slot,
                **traveller.contact(),
                adults=party.adults,
                children=party.children,
                message=message.strip()[:2000],
                status=Application.Status.SCHEDULED if scheduled else Application.Status.SUBMITTED,
                submit_at=submit_at,
                submitted_at=None if scheduled else now,
                idempotency_key=idempotency_key,
            )
            if scheduled:
                emails.application_scheduled(application)
            else:
                emails.application_submitted(application)
    except IntegrityError:
        earlier = _replayed(idempotency_key, slot, party, traveller)
        if earlier is None:
            raise
        return earlier
    return application


def applications_submit_due(*, now: datetime | None = None) -> int:
    """The worker's job: send the applications that were waiting for a workday, once each."""
    now = now or timezone.now()
    sent = 0
    due = Application.objects.filter(status=Application.Status.SCHEDULED, submit_at__lte=now)
    for application in due.select_related("experience__provider", "slot"):
        with transaction.atomic():
            if Application.objects.filter(pk=application.pk, status=Application.Status.SCHEDULED).update(
                status=Application.Status.SUBMITTED, submitted_at=now
            ):
                application.refresh_from_db()
                emails.application_submitted(application)
                sent += 1
    return sent


def _decided(application: Application, status: str, now: datetime, note: str) -> bool:
    return bool(
        Application.objects.filter(pk=application.pk, status=Application.Status.SUBMITTED).update(
            status=status, decided_at=now, decision_note=note.strip()[:2000]
        )
    )


def _not_open(application: Application) -> TripwiseError:
    return TripwiseError(
        "already_decided",
        f"Application {application.reference} is {application.get_status_display().lower()}; "
        "only a submitted application can be accepted or declined.",
        status=409,
    )


def application_accept(
    *, application: Application, by: User | None, note: str = "", now: datetime | None = None
) -> Application:
    """Accept: the seats are taken now (or refused if the departure filled up) and the traveller is told."""
    now = now or timezone.now()
    slot = application.slot
    with transaction.atomic():
        if not _decided(application, Application.Status.ACCEPTED, now, note):
            raise _not_open(application)
        party = Party(adults=application.adults, children=application.children)
        seats_take(slot, party.seats, now)
        booking = new_booking(
            slot=slot,
            party=party,
            traveller=Traveller(
                name=application.name,
                email=application.email,
                user=application.user,
                session_key=application.session_key,
                language=application.language,
            ),
            confirmed=True,
            now=now,
        )
        booking.save(force_insert=True)
        Application.objects.filter(pk=application.pk).update(booking=booking)
        application.refresh_from_db()
        emails.application_decided(application)
    return application


def application_decline(
    *, application: Application, by: User | None, note: str = "", now: datetime | None = None
) -> Application:
    now = now or timezone.now()
    with transaction.atomic():
        if not _decided(application, Application.Status.DECLINED, now, note):
            raise _not_open(application)
        application.refresh_from_db()
        emails.application_decided(application)
    return application


def application_withdraw(*, application: Application, now: datetime | None = None) -> Application:
    """The traveller changes their mind before the provider decides (a scheduled one is never sent)."""
    now = now or timezone.now()
    withdrawn = Application.objects.filter(
        pk=application.pk, status__in=[Application.Status.SCHEDULED, Application.Status.SUBMITTED]
    ).update(status=Application.Status.WITHDRAWN, decided_at=now)
    application.refresh_from_db()
    if not withdrawn and application.status != Application.Status.WITHDRAWN:
        raise _not_open(application)
    return application
