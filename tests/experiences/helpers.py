"""Shared helpers of the experiences tests: the demo's experiences by name, departures at explicit local
times (made or reused, never read from the real calendar), and travellers."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User

from tripwise.experiences.models import Experience, Slot
from tripwise.experiences.services import Party, Traveller, booking_hold

ALMATY = ZoneInfo("Asia/Almaty")
HELSINKI = ZoneInfo("Europe/Helsinki")

TOUR = "alzhir-guided-tour-english"  # by application, workdays only, 48 hours' notice
DAY_TRIP = "alzhir-day-trip-from-astana"  # instant, max 8 people, 12 hours' notice, 50% back late
WALK = "left-bank-walking-tour"  # instant, 2 hours' notice, 3 languages
COOKING = "beshbarmak-cooking-class"
MOSQUE = "mosque-and-pyramid-tour"


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A moment on the Astana clock."""
    return datetime(year, month, day, hour, minute, tzinfo=ALMATY)


def experience(slug: str) -> Experience:
    return Experience.objects.select_related("place", "provider", "destination").get(slug=slug)


def departure(slug: str, starts_at: datetime, *, capacity: int | None = None) -> Slot:
    """The departure of `slug` at `starts_at`, empty and on sale: made here, or the demo's row reused."""
    chosen = experience(slug)
    slot, _ = Slot.objects.get_or_create(
        experience=chosen, starts_at=starts_at, defaults={"capacity": capacity or chosen.capacity}
    )
    Slot.objects.filter(pk=slot.pk).update(
        capacity=capacity or chosen.capacity, seats_taken=0, is_cancelled=False
    )
    slot.refresh_from_db()
    slot.experience = chosen
    return slot


def carol(**overrides: Any) -> Traveller:
    fields: dict[str, Any] = {"name": "Carol Traveller", "email": "carol@example.org", "language": "en"}
    return Traveller(**{**fields, **overrides})


def staff_of(provider_slug: str, username: str = "pat") -> User:
    """A user on the staff of the provider (and of no other)."""
    user = User.objects.create_user(username, f"{username}@example.org", f"{username}-password")
    experience_of_provider = Experience.objects.filter(provider__slug=provider_slug).first()
    assert experience_of_provider is not None
    experience_of_provider.provider.staff.add(user)
    return user


def seats_taken(slot: Slot) -> int:
    return Slot.objects.values_list("seats_taken", flat=True).get(pk=slot.pk)


def book(
    slot: Slot, *, adults: int = 1, children: int = 0, now: datetime, confirm: bool = True, **kw: Any
) -> Any:
    booking, _created = booking_hold(
        slot=slot,
        party=Party(adults=adults, children=children),
        traveller=carol(**kw),
        confirm=confirm,
        now=now,
    )
    return booking
