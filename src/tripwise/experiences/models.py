"""Experiences that travellers book or apply for, the providers who run them, their slots and bookings.

Seats are counted on the slot (`seats_taken`: held plus confirmed), changed only by conditional updates in
services.py, and a check constraint makes overbooking impossible even for a bug that forgets the condition.
"""

from __future__ import annotations

import secrets
from datetime import time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from tripwise.core.experiences import CancellationPolicy, cell_of
from tripwise.places.models import LATITUDE, LONGITUDE

REFERENCE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: people read references aloud


def new_code() -> str:
    # Booking and application links are bearer secrets (the email's "manage your booking"): 128 random bits.
    return secrets.token_urlsafe(16)


def new_reference() -> str:
    return "TW-" + "".join(secrets.choice(REFERENCE_LETTERS) for _ in range(6))


class Provider(models.Model):
    """Who runs experiences: a museum, a tour company. Staff users linked here manage its bookings."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    email = models.EmailField(help_text="Where new applications and bookings are announced.")
    website = models.URLField(blank=True)
    description = models.TextField(blank=True)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="providers")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Experience(models.Model):
    class Mode(models.TextChoices):
        INSTANT = "instant", "Book at once"
        APPLICATION = "application", "By application"

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="experiences")
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.CASCADE,  # bookings still protect an experience that travellers booked
        related_name="experiences",
        help_text="Where it happens or starts; its time zone is the experience's.",
    )
    destination = models.ForeignKey(
        "places.Destination", on_delete=models.CASCADE, related_name="experiences"
    )
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    mode = models.CharField(max_length=12, choices=Mode.choices, default=Mode.INSTANT)
    duration_minutes = models.PositiveIntegerField(validators=[MinValueValidator(5), MaxValueValidator(1440)])
    price = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))], help_text="Per adult."
    )
    child_price = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="Per child; empty means the adult price.",
    )
    currency = models.CharField(max_length=3)
    languages = models.JSONField(default=list, help_text='Languages of the guide, e.g. ["en", "ru"].')
    meeting_point = models.CharField(max_length=300, blank=True)
    lat = models.FloatField(validators=LATITUDE, help_text="The meeting point.")
    lon = models.FloatField(validators=LONGITUDE)
    cell = models.BigIntegerField(editable=False, default=0)
    capacity = models.PositiveIntegerField(
        default=10, help_text="Seats per departure, unless a day says otherwise."
    )
    max_party = models.PositiveIntegerField(default=10, help_text="Most people in one booking.")
    schedule = models.CharField(
        max_length=300,
        blank=True,
        help_text='Start times in opening_hours day syntax, e.g. "Tu-Su 11:00,15:00; PH off".',
    )
    inside_place = models.BooleanField(
        default=True,
        help_text="It happens inside the place, which must be open at each start (a museum tour). Off for a "
        "meeting point outside it (a minibus leaving from a mall's door); the place's closed days count anyway.",
    )
    notice_hours = models.PositiveIntegerField(
        default=2, help_text="Book at least this long before the start."
    )
    free_cancel_hours = models.PositiveIntegerField(default=24)
    late_refund_percent = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    workdays_only = models.BooleanField(
        default=False, help_text="Applications are accepted on workdays only, in the place's time zone."
    )
    office_opens = models.TimeField(default=time(9, 0), help_text="When waiting applications are sent.")
    rules = models.JSONField(default=list, blank=True, help_text="Other rules in plain words, one per item.")
    tags = models.JSONField(default=list, blank=True)
    assumed_fields = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        indexes = [
            # Covering: the nearby search filters and reads these by cell from the index alone.
            models.Index(
                fields=["cell", "lat", "lon", "is_active", "price", "max_party", "languages", "id"],
                name="experience_nearby",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.cell = cell_of(self.lat, self.lon)  # the nearby index (tripwise.places.nearby)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("experiences:experience", kwargs={"slug": self.slug})

    @property
    def timezone(self) -> str:
        return self.place.timezone

    @property
    def cancellation_policy(self) -> CancellationPolicy:
        return CancellationPolicy(
            free_hours=self.free_cancel_hours, late_refund_percent=self.late_refund_percent
        )

    def price_for(self, *, adults: int, children: int) -> Decimal:
        child = self.price if self.child_price is None else self.child_price
        return self.price * adults + child * children


class ScheduleException(models.Model):
    """One day that differs from the schedule: no departures, other start times, or another capacity."""

    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField()
    closed = models.BooleanField(default=False, help_text="No departures that day.")
    times = models.JSONField(default=list, blank=True, help_text='Extra start times, e.g. ["18:00"].')
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Seats per departure that day.")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["experience", "date"], name="one_exception_per_day")]

    def __str__(self) -> str:
        return f"{self.experience} on {self.date}"


class Slot(models.Model):
    """One departure. `seats_taken` counts held and confirmed seats."""

    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    capacity = models.PositiveIntegerField()
    seats_taken = models.PositiveIntegerField(default=0)
    is_cancelled = models.BooleanField(default=False)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["experience", "starts_at"], name="one_slot_per_start"),
            models.CheckConstraint(condition=Q(seats_taken__lte=F("capacity")), name="never_overbooked"),
        ]

    def __str__(self) -> str:
        return f"{self.experience} at {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.seats_taken)


class Booking(models.Model):
    class Status(models.TextChoices):
        HELD = "held", "Held"
        CONFIRMED = "confirmed", "Confirmed"
        CANCELLED = "cancelled", "Cancelled"
        EXPIRED = "expired", "Expired"

    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    reference = models.CharField(max_length=12, unique=True, default=new_reference, editable=False)
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    experience = models.ForeignKey(Experience, on_delete=models.PROTECT, related_name="bookings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    session_key = models.CharField(max_length=64, blank=True, db_index=True)
    name = models.CharField(max_length=200)
    email = models.EmailField()
    adults = models.PositiveIntegerField(default=1)
    children = models.PositiveIntegerField(default=0)
    seats = models.PositiveIntegerField()
    language = models.CharField(max_length=8, blank=True)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=10, choices=Status.choices)
    held_until = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    refund = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    # A client retrying a request sends the same key and gets the same booking, never a second one.
    idempotency_key = models.CharField(max_length=100, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True, help_text="What the keyed request asked for.")
    plan = models.ForeignKey(
        "trips.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"], condition=~Q(idempotency_key=""), name="one_booking_per_key"
            )
        ]
        indexes = [models.Index(fields=["slot", "status", "held_until"])]

    def __str__(self) -> str:
        return f"{self.reference}: {self.experience}"

    def get_absolute_url(self) -> str:
        return reverse("experiences:booking", kwargs={"code": self.code})


class Application(models.Model):
    """A request for a departure that the provider accepts or declines (the museum's guided tours)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Waiting for a workday"
        SUBMITTED = "submitted", "Sent to the provider"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    reference = models.CharField(max_length=12, unique=True, default=new_reference, editable=False)
    experience = models.ForeignKey(Experience, on_delete=models.PROTECT, related_name="applications")
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="applications")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    session_key = models.CharField(max_length=64, blank=True, db_index=True)
    name = models.CharField(max_length=200)
    email = models.EmailField()
    adults = models.PositiveIntegerField(default=1)
    children = models.PositiveIntegerField(default=0)
    language = models.CharField(max_length=8, blank=True)
    message = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    submit_at = models.DateTimeField(help_text="When it is (or was) sent to the provider.")
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="application"
    )
    idempotency_key = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"], condition=~Q(idempotency_key=""), name="one_application_per_key"
            )
        ]
        indexes = [models.Index(fields=["status", "submit_at"])]

    def __str__(self) -> str:
        return f"{self.reference}: {self.experience}"

    def get_absolute_url(self) -> str:
        return reverse("experiences:application", kwargs={"code": self.code})
