"""Writes for bookings: hold seats, confirm, cancel, release holds that ran out, put a booking in a trip.

How overbooking is made impossible: a slot's `seats_taken` only moves by one conditional UPDATE
(`... SET seats_taken = seats_taken + n WHERE seats_taken + n <= capacity`), which the database applies
atomically on SQLite and PostgreSQL alike, so two requests can never both take the last seat; the
`never_overbooked` check constraint catches any code path that forgets the condition. Transactions hold only
that update and the booking row; emails go to the outbox in the same transaction and leave after commit.

A retried request (the same `Idempotency-Key`) finds the booking the first attempt made instead of making a
second one; the unique key settles the race between two retries running at the same time.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from tripwise.core.errors import TripwiseError
from tripwise.core.experiences import refund_for
from tripwise.experiences import emails
from tripwise.experiences.models import Application, Booking, Experience, Slot
from tripwise.trips.models import Plan
from tripwise.trips.services import plan_change

logger = logging.getLogger(__name__)
HOLD_MINUTES = 10  # long enough to type a name and an address, short enough not to starve other people

__all__ = [
    "HOLD_MINUTES",
    "Party",
    "Traveller",
    "booking_add_to_trip",
    "booking_as_lock",
    "booking_cancel",
    "booking_confirm",
    "booking_hold",
    "booking_remove_from_trip",
    "bookings_claim",
    "holds_release_expired",
    "new_booking",
    "seats_take",
]


@dataclass(frozen=True)
class Party:
    adults: int = 1
    children: int = 0

    @property
    def seats(self) -> int:
        return self.adults + self.children


@dataclass(frozen=True)
class Traveller:
    """Who books: the contact details, and the account or browser session the booking belongs to."""

    name: str
    email: str
    user: User | None = None
    session_key: str = ""
    language: str = ""

    def contact(self) -> dict[str, Any]:
        """The columns a booking or an application keeps about who made it."""
        return {
            "user": self.user,
            "session_key": self.session_key,
            "name": self.name.strip(),
            "email": self.email.strip(),
            "language": self.language,
        }


def _local(moment: datetime, experience: Experience) -> datetime:
    return moment.astimezone(ZoneInfo(experience.timezone))


def check_party(experience: Experience, party: Party) -> None:
    if party.adults < 1 or party.children < 0:
        raise TripwiseError(
            "invalid_party",
            "A booking needs at least one adult, and children cannot be negative.",
            status=422,
        )
    if party.seats > experience.max_party:
        raise TripwiseError(
            "party_too_large",
            f"{experience.title} takes at most {experience.max_party} people in one booking; "
            f"you asked for {party.seats}. Book the rest separately or contact {experience.provider.name}.",
            status=422,
        )


def check_contact(traveller: Traveller) -> None:
    if not traveller.name.strip():
        raise TripwiseError("invalid_contact", "Give the name the booking is under.", status=422)
    try:
        validate_email(traveller.email)
    except ValidationError:
        raise TripwiseError(
            "invalid_contact",
            f"{traveller.email!r} is not an email address; the confirmation is sent there.",
            status=422,
        ) from None


def check_bookable(slot: Slot, now: datetime) -> None:
    """The provider's rules for a departure: still on, not started, and far enough ahead."""
    experience = slot.experience
    if not experience.is_active or slot.is_cancelled:
        raise TripwiseError(
            "slot_cancelled",
            f"The {_local(slot.starts_at, experience):%A %d %B %H:%M} departure of {experience.title} is "
            "cancelled. Choose another time.",
            status=409,
        )
    latest = slot.starts_at - timedelta(hours=experience.notice_hours)
    if now > latest:
        raise TripwiseError(
            "too_late_to_book",
            f"{experience.title} must be booked at least {experience.notice_hours} hours ahead; the "
            f"{_local(slot.starts_at, experience):%A %d %B %H:%M} departure closed for booking at "
            f"{_local(latest, experience):%H:%M}. Choose a later time.",
            status=422,
        )


def release_expired_holds(slot_id: int, now: datetime) -> int:
    """Give back the seats of this slot's holds that ran out. Runs inside the caller's transaction.

    Each hold is expired by a conditional update first, so two transactions releasing the same hold give its
    seats back once: on PostgreSQL the second update waits for the first, re-reads the row and matches nothing.
    """
    released = 0
    for booking_id, seats in Booking.objects.filter(
        slot_id=slot_id, status=Booking.Status.HELD, held_until__lte=now
    ).values_list("id", "seats"):
        if Booking.objects.filter(pk=booking_id, status=Booking.Status.HELD).update(
            status=Booking.Status.EXPIRED, held_until=None
        ):
            Slot.objects.filter(pk=slot_id).update(seats_taken=F("seats_taken") - seats)
            released += seats
    return released


def _take(slot_id: int, seats: int) -> bool:
    return bool(
        Slot.objects.filter(pk=slot_id, is_cancelled=False, seats_taken__lte=F("capacity") - seats).update(
            seats_taken=F("seats_taken") + seats
        )
    )


def seats_take(slot: Slot, seats: int, now: datetime) -> None:
    """Take `seats` on the slot or refuse with `slot_full`. Runs inside the caller's transaction.

    Holds that ran out still count in `seats_taken` until they are released; that matters only when they
    leave too little room, so they are released here then (and by the worker's sweep, every few seconds), which
    keeps the usual booking at one statement."""
    if _take(slot.pk, seats) or (release_expired_holds(slot.pk, now) and _take(slot.pk, seats)):
        return
    capacity, taken, cancelled = (
        Slot.objects.filter(pk=slot.pk).values_list("capacity", "seats_taken", "is_cancelled").get()
    )
    if cancelled:
        slot.is_cancelled = True
        check_bookable(slot, now)
    free = max(0, capacity - taken)
    when = f"{_local(slot.starts_at, slot.experience):%A %d %B %H:%M}"
    raise TripwiseError(
        "slot_full",
        f"{'No seats are' if free == 0 else f'Only {free} seat' + ('s are' if free > 1 else ' is')} left on "
        f"{slot.experience.title} at {when}, and you asked for {seats}. Choose another time"
        f"{'' if free == 0 else ' or fewer people'}.",
        status=409,
    )


def _fingerprint(slot: Slot, party: Party, traveller: Traveller, confirm: bool) -> str:
    asked = [slot.pk, party.adults, party.children, traveller.email.lower(), confirm]
    return hashlib.sha256(json.dumps(asked).encode()).hexdigest()


def _replayed(key: str, fingerprint: str) -> Booking | None:
    """The booking an earlier request with this key made, if any; a key reused for another request is refused."""
    if not key:
        return None
    booking = Booking.objects.select_related("slot__experience").filter(idempotency_key=key).first()
    if booking is not None and booking.fingerprint != fingerprint:
        raise TripwiseError(
            "idempotency_key_reused",
            "This Idempotency-Key was already used for a different booking request. Send a new key for a "
            "new request, and the same key only to retry the same request.",
            status=422,
        )
    return booking


def new_booking(
    *,
    slot: Slot,
    party: Party,
    traveller: Traveller,
    confirmed: bool,
    now: datetime,
    idempotency_key: str = "",
    fingerprint: str = "",
) -> Booking:
    """The booking row, not saved yet: confirmed, or held for HOLD_MINUTES (its code and reference are set
    when it is made)."""
    experience = slot.experience
    return Booking(
        slot=slot,
        experience=experience,
        **traveller.contact(),
        adults=party.adults,
        children=party.children,
        seats=party.seats,
        total=experience.price_for(adults=party.adults, children=party.children),
        currency=experience.currency,
        status=Booking.Status.CONFIRMED if confirmed else Booking.Status.HELD,
        held_until=None if confirmed else now + timedelta(minutes=HOLD_MINUTES),
        confirmed_at=now if confirmed else None,
        idempotency_key=idempotency_key,
        fingerprint=fingerprint,
    )


def booking_hold(
    *,
    slot: Slot,
    party: Party,
    traveller: Traveller,
    confirm: bool = False,
    idempotency_key: str = "",
    now: datetime | None = None,
) -> tuple[Booking, bool]:
    """Hold seats for HOLD_MINUTES (or, with `confirm`, book them at once). Returns (booking, created)."""
    now = now or timezone.now()
    fingerprint = _fingerprint(slot, party, traveller, confirm) if idempotency_key else ""
    try:
        return _hold(slot, party, traveller, confirm, now, idempotency_key, fingerprint), True
    except (TripwiseError, IntegrityError):
        # A retry finds its booking only now, when booking again failed (the key is taken, the seats are gone,
        # the time to book has passed): a first request, the usual case, never pays for the lookup.
        replayed = _replayed(idempotency_key, fingerprint)
        if replayed is None:
            raise
        return replayed, False


def _hold(
    slot: Slot,
    party: Party,
    traveller: Traveller,
    confirm: bool,
    now: datetime,
    idempotency_key: str,
    fingerprint: str,
) -> Booking:
    experience = slot.experience
    if experience.mode == Experience.Mode.APPLICATION:
        raise TripwiseError(
            "book_by_application",
            f"{experience.title} is not booked directly: send an application, and "
            f"{experience.provider.name} accepts or declines it.",
            status=422,
        )
    check_party(experience, party)
    check_contact(traveller)
    check_bookable(slot, now)
    booking = new_booking(
        slot=slot,
        party=party,
        traveller=traveller,
        confirmed=confirm,
        now=now,
        idempotency_key=idempotency_key,
        fingerprint=fingerprint,
    )
    # The transaction holds the slot's row (on SQLite, the database's write lock) only for the seat update and
    # two inserts: the confirmation is stored unwritten, for the sender to write after the commit. On
    # PostgreSQL an insert with a key that another transaction is inserting waits for that one to end.
    with transaction.atomic():
        seats_take(slot, party.seats, now)
        booking.save(force_insert=True)
        if confirm:
            emails.booking_confirmed(booking)
    booking.slot = slot
    return booking


def booking_confirm(*, booking: Booking, now: datetime | None = None) -> Booking:
    """Turn a hold into a booking. Confirming twice is harmless; a hold that ran out is refused."""
    now = now or timezone.now()
    with transaction.atomic():
        confirmed = Booking.objects.filter(
            pk=booking.pk, status=Booking.Status.HELD, held_until__gt=now
        ).update(status=Booking.Status.CONFIRMED, confirmed_at=now, held_until=None)
        booking.refresh_from_db()
        if confirmed:
            emails.booking_confirmed(booking)
            return booking
        if booking.status == Booking.Status.CONFIRMED:
            return booking
        if booking.status == Booking.Status.HELD:
            release_expired_holds(booking.slot_id, now)
            booking.refresh_from_db()
    if booking.status == Booking.Status.EXPIRED:
        slot = Slot.objects.get(pk=booking.slot_id)
        raise TripwiseError(
            "hold_expired",
            f"Your hold on these seats ran out after {HOLD_MINUTES} minutes and they went back on sale "
            f"({slot.seats_left} free now). Book again to get seats.",
            status=409,
        )
    raise TripwiseError(
        "booking_cancelled",
        f"Booking {booking.reference} was cancelled; book again if you still want to go.",
        status=409,
    )


def booking_cancel(*, booking: Booking, now: datetime | None = None) -> Booking:
    """Cancel under the experience's policy: the refund depends on how long before the start it is."""
    now = now or timezone.now()
    experience = booking.experience
    slot = booking.slot
    refund = Decimal(0)
    if booking.status == Booking.Status.CONFIRMED:
        refund = refund_for(
            experience.cancellation_policy, paid=booking.total, starts_at=slot.starts_at, now=now
        ).amount
    with transaction.atomic():
        cancelled = Booking.objects.filter(
            pk=booking.pk, status__in=[Booking.Status.HELD, Booking.Status.CONFIRMED]
        ).update(status=Booking.Status.CANCELLED, cancelled_at=now, held_until=None, refund=refund)
        if cancelled:
            Slot.objects.filter(pk=slot.pk).update(seats_taken=F("seats_taken") - booking.seats)
        was_confirmed = booking.status == Booking.Status.CONFIRMED
        booking.refresh_from_db()
        if cancelled and was_confirmed:
            emails.booking_cancelled(booking)
    if not cancelled and booking.status != Booking.Status.CANCELLED:
        raise TripwiseError(
            "not_cancellable",
            f"Booking {booking.reference} is {booking.status}; there is nothing to cancel.",
            status=409,
        )
    if cancelled and booking.plan_id is not None:
        # After the commit, and outside it: re-planning takes a moment and must not hold the seats' lock.
        try:
            booking_remove_from_trip(booking=booking, actor=booking.user)
        except TripwiseError:
            logger.warning("booking %s cancelled, but its trip could not be re-planned", booking.reference)
    return booking


def holds_release_expired(*, now: datetime | None = None) -> int:
    """The worker's sweep: seats of holds that ran out go back on sale even if nobody books that slot."""
    now = now or timezone.now()
    released = 0
    slot_ids = set(
        Booking.objects.filter(status=Booking.Status.HELD, held_until__lte=now).values_list(
            "slot_id", flat=True
        )
    )
    for slot_id in slot_ids:
        with transaction.atomic():
            released += release_expired_holds(slot_id, now)
    return released


def bookings_claim(*, user: User, codes: Sequence[str]) -> int:
    """On sign-in, the bookings and applications this browser made become the account's (never someone
    else's: only rows without an owner move)."""
    if not codes:
        return 0
    claimed = Booking.objects.filter(code__in=list(codes), user__isnull=True).update(user=user)
    return claimed + Application.objects.filter(code__in=list(codes), user__isnull=True).update(user=user)


def booking_as_lock(booking: Booking) -> dict[str, Any]:
    """The trip edit that puts this booking in a plan as a fixed appointment (docs/plans.md, lock)."""
    start = _local(booking.slot.starts_at, booking.experience)
    return {
        "action": "lock",
        "place_id": booking.experience.place.slug,
        "date": start.date().isoformat(),
        "start": f"{start:%H:%M}",
        "minutes": booking.experience.duration_minutes,
        "label": f"{booking.experience.title} (booking {booking.reference})",
    }


def booking_add_to_trip(*, booking: Booking, plan: Plan, actor: User | None) -> Plan:
    """Put a confirmed booking in a trip as a fixed appointment: the planner plans the rest around it.

    The caller checks that `actor` may edit the plan (trips.permissions)."""
    if booking.status != Booking.Status.CONFIRMED:
        raise TripwiseError(
            "not_confirmed",
            f"Booking {booking.reference} is {booking.status}; only a confirmed one goes in a trip.",
            status=409,
        )
    lock = booking_as_lock(booking)
    request = plan.request
    first = date.fromisoformat(request["start_date"])
    last = first + timedelta(days=int(request["days"]) - 1)
    day = date.fromisoformat(lock["date"])
    if not first <= day <= last or plan.destination_id != booking.experience.destination_id:
        raise TripwiseError(
            "not_in_trip",
            f"{booking.experience.title} is on {day:%A %d %B}, and {plan.title} runs {first:%d %B} to {last:%d %B}"
            f"{'' if plan.destination_id == booking.experience.destination_id else ' somewhere else'}. "
            "Choose a trip on that date, or change the trip's dates first.",
            status=422,
        )
    plan = plan_change(plan=plan, change=lock, actor=actor)
    Booking.objects.filter(pk=booking.pk).update(plan=plan)
    booking.plan = plan
    return plan


def booking_remove_from_trip(*, booking: Booking, actor: User | None) -> None:
    """After a cancellation the trip forgets the appointment (the place stays a wish if it was one)."""
    plan = booking.plan
    if plan is None or plan.deleted_at is not None:
        return
    plan_change(
        plan=plan, change={"action": "unlock", "place_id": booking.experience.place.slug}, actor=actor
    )
