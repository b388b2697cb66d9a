"""Writes for providers: schedules, the departures (slots) they make, days that differ, capacity.

Departures are stored rows, made from the schedule for SLOT_HORIZON_DAYS ahead, so that seats can be counted
on them and a booking can point at one. Changing the schedule or a day re-makes the future departures; one
that already has travellers is never dropped silently: the change is refused and names them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from tripwise.core.errors import TripwiseError
from tripwise.core.experiences import normalise_schedule, slot_starts
from tripwise.core.hours import country_of_zone, hours_on
from tripwise.experiences.models import Experience, Provider, ScheduleException, Slot
from tripwise.places.models import Destination, Place

SLOT_HORIZON_DAYS = 120

__all__ = [
    "SLOT_HORIZON_DAYS",
    "SlotsReport",
    "capacity_set",
    "day_exception_set",
    "experience_upsert",
    "provider_upsert",
    "require_provider",
    "schedule_set",
    "slots_generate",
    "slots_generate_all",
]


@dataclass(frozen=True)
class SlotsReport:
    created: int
    removed: int
    kept_with_travellers: int


def require_provider(user: User | None, experience: Experience) -> Provider:
    """Only the provider's staff (or a superuser) manage its experiences."""
    provider = experience.provider
    if user is None or not user.is_authenticated:
        raise TripwiseError("sign_in_required", "Sign in with your provider account first.", status=401)
    if not user.is_superuser and not provider.staff.filter(pk=user.pk).exists():
        raise TripwiseError(
            "not_your_experience",
            f"{experience.title} is run by {provider.name}; your account is not on its staff.",
            status=403,
        )
    return provider


def _wanted_starts(experience: Experience, first: date, last: date) -> dict[datetime, int]:
    """Every start between the dates with its capacity: the schedule, then each day's exception, minus the
    times the place itself is known to be closed (a public holiday the museum closes on)."""
    tz = ZoneInfo(experience.timezone)
    country = experience.destination.country or country_of_zone(tz)
    starts = (
        slot_starts(experience.schedule, tz=tz, first=first, last=last, country=country)
        if (experience.schedule)
        else []
    )
    wanted = dict.fromkeys(starts, experience.capacity)
    for exception in experience.exceptions.filter(date__gte=first, date__lte=last):
        day_starts = [start for start in wanted if start.date() == exception.date]
        for start in day_starts:
            if exception.closed:
                del wanted[start]
            elif exception.capacity is not None:
                wanted[start] = exception.capacity
        if not exception.closed:
            for text in exception.times:
                hour, minute = (int(part) for part in text.split(":"))
                start = datetime.combine(exception.date, time(hour, minute), tz)
                wanted[start] = experience.capacity if exception.capacity is None else exception.capacity
    opening = experience.place.opening_hours
    if opening:
        # The place's closed days always count (the museum on Mondays and holidays). Its hours count only for
        # an experience inside it: a minibus leaving from a mall's door may go before the mall opens.
        for start in list(wanted):
            hours = hours_on(opening, start.date(), tz, country=country)
            if hours.unknown:
                continue
            open_now = any(opens <= start < closes for opens, closes in hours.intervals)
            if not hours.intervals or (experience.inside_place and not open_now):
                del wanted[start]
    return wanted


@transaction.atomic
def slots_generate(
    *,
    experience: Experience,
    first: date | None = None,
    days: int = SLOT_HORIZON_DAYS,
    now: datetime | None = None,
) -> SlotsReport:
    """Make the departures from `first` (today in the place's zone) for `days` days; drop future ones no longer
    in the schedule unless someone has seats on them."""
    now = now or timezone.now()
    tz = ZoneInfo(experience.timezone)
    first = first or now.astimezone(tz).date()
    last = first + timedelta(days=days - 1)
    wanted = _wanted_starts(experience, first, last)
    window = datetime.combine(first, time.min, tz), datetime.combine(last + timedelta(days=1), time.min, tz)
    existing = {slot.starts_at: slot for slot in experience.slots.filter(starts_at__range=window)}
    removed = kept = 0
    for starts_at, slot in existing.items():
        if starts_at in wanted or starts_at < now:
            continue
        if slot.seats_taken or slot.bookings.exists() or slot.applications.exists():
            kept += 1
            continue
        slot.delete()
        removed += 1
    for starts_at, capacity in wanted.items():
        current = existing.get(starts_at)
        if current is not None and current.capacity != capacity:
            # A day's new capacity never drops below the seats already taken on it.
            Slot.objects.filter(pk=current.pk, seats_taken__lte=capacity).update(capacity=capacity)
    new = [
        Slot(experience=experience, starts_at=starts_at, capacity=capacity)
        for starts_at, capacity in wanted.items()
        if starts_at not in existing and starts_at >= now
    ]
    Slot.objects.bulk_create(new, ignore_conflicts=True)
    return SlotsReport(created=len(new), removed=removed, kept_with_travellers=kept)


def schedule_set(*, experience: Experience, schedule: str, by: User | None) -> SlotsReport:
    require_provider(by, experience)
    experience.schedule = normalise_schedule(schedule)
    experience.save(update_fields=["schedule", "updated_at"])
    return slots_generate(experience=experience)


def _travellers_on(experience: Experience, day: date) -> int:
    tz = ZoneInfo(experience.timezone)
    start = datetime.combine(day, time.min, tz)
    slots = experience.slots.filter(starts_at__gte=start, starts_at__lt=start + timedelta(days=1))
    return sum(slot.seats_taken for slot in slots)


def day_exception_set(
    *,
    experience: Experience,
    day: date,
    by: User | None,
    closed: bool = False,
    times: Sequence[str] = (),
    capacity: int | None = None,
    note: str = "",
) -> ScheduleException:
    """Make one day differ from the schedule. Closing a day that has travellers is refused: cancel their
    bookings first, so that each of them is told."""
    require_provider(by, experience)
    for text in times:
        try:
            time.fromisoformat(text)
        except ValueError:
            raise TripwiseError(
                "bad_time", f"{text!r} is not a time; write start times as HH:MM, e.g. 18:00.", status=422
            ) from None
    if closed and (taken := _travellers_on(experience, day)):
        raise TripwiseError(
            "day_has_travellers",
            f"{taken} seats are booked on {day:%A %d %B}. Cancel those bookings first (each traveller is told by "
            "email), then close the day.",
            status=409,
        )
    with transaction.atomic():
        exception, _ = ScheduleException.objects.update_or_create(
            experience=experience,
            date=day,
            defaults={"closed": closed, "times": sorted(set(times)), "capacity": capacity, "note": note},
        )
        slots_generate(experience=experience)
    return exception


def capacity_set(*, slot: Slot, capacity: int, by: User | None) -> Slot:
    """Change one departure's seats; never below the seats already taken."""
    require_provider(by, slot.experience)
    if not Slot.objects.filter(pk=slot.pk, seats_taken__lte=capacity).update(capacity=capacity):
        slot.refresh_from_db()
        raise TripwiseError(
            "capacity_below_bookings",
            f"{slot.seats_taken} seats are already taken on this departure; capacity cannot go below that.",
            status=409,
        )
    slot.refresh_from_db()
    return slot


def slots_generate_all(*, now: datetime | None = None) -> int:
    """Keep every active experience's departures made SLOT_HORIZON_DAYS ahead (the worker, hourly)."""
    made = 0
    for experience in (
        Experience.objects.filter(is_active=True).exclude(schedule="").select_related("place", "destination")
    ):
        made += slots_generate(experience=experience, now=now).created
    return made


def provider_upsert(*, data: Mapping[str, Any]) -> Provider:
    provider, _ = Provider.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "name": data["name"],
            "email": data["email"],
            "website": data.get("website", ""),
            "description": data.get("description", ""),
        },
    )
    return provider


def experience_upsert(*, destination: Destination, data: Mapping[str, Any]) -> Experience:
    """Create or refresh an experience from plain data (the demo's experiences.json), then its departures."""
    try:
        provider = Provider.objects.get(slug=data["provider"])
        place = Place.objects.get(slug=data["place"], destination=destination)
    except (Provider.DoesNotExist, Place.DoesNotExist):
        raise TripwiseError(
            "bad_experience",
            f"Experience {data.get('slug')!r} names provider {data.get('provider')!r} and place "
            f"{data.get('place')!r}; both must exist (providers first, places of {destination.name}).",
        ) from None
    fields = {
        key: data[key]
        for key in (
            "title", "summary", "description", "mode", "duration_minutes", "currency", "languages",
            "meeting_point", "capacity", "max_party", "notice_hours", "free_cancel_hours",
            "late_refund_percent", "workdays_only", "inside_place", "rules", "tags", "assumed_fields",
        )
        if key in data
    }  # fmt: skip
    experience, _ = Experience.objects.update_or_create(
        slug=data["slug"],
        defaults={
            **fields,
            "provider": provider,
            "place": place,
            "destination": destination,
            "price": Decimal(str(data["price"])),
            "child_price": Decimal(str(data["child_price"])) if data.get("child_price") is not None else None,
            "lat": float(data.get("lat", place.lat)),
            "lon": float(data.get("lon", place.lon)),
            "schedule": normalise_schedule(data["schedule"]) if data.get("schedule") else "",
            "office_opens": time.fromisoformat(data.get("office_opens", "09:00")),
        },
    )
    slots_generate(experience=experience)
    return experience
