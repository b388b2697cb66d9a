from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from tripwise.core.experiences import cell_of

LATITUDE = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE = [MinValueValidator(-180), MaxValueValidator(180)]


class Destination(models.Model):
    """A city or region that travellers plan for. Its zone is what plans and open/closed status use."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166 two-letter code, e.g. KZ.")
    timezone = models.CharField(max_length=64, help_text="IANA time zone, e.g. Asia/Almaty.")
    currency = models.CharField(max_length=3, default="KZT", help_text="ISO 4217 code of local prices.")
    lat = models.FloatField(validators=LATITUDE)
    lon = models.FloatField(validators=LONGITUDE)
    aliases = models.JSONField(default=list, blank=True, help_text="Other names and spellings, one per item.")
    summary = models.TextField(blank=True)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("places:destination", kwargs={"slug": self.slug})


class Place(models.Model):
    class Kind(models.TextChoices):
        MUSEUM = "museum"
        MEMORIAL = "memorial"
        MONUMENT = "monument"
        MOSQUE = "mosque"
        CHURCH = "church"
        PARK = "park"
        VIEWPOINT = "viewpoint"
        MARKET = "market"
        SHOPPING = "shopping"
        RESTAURANT = "restaurant"
        CAFE = "cafe"
        THEATRE = "theatre"
        LANDMARK = "landmark"
        ATTRACTION = "attraction"
        OTHER = "other"

    destination = models.ForeignKey(Destination, on_delete=models.CASCADE, related_name="places")
    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    lat = models.FloatField(validators=LATITUDE)
    lon = models.FloatField(validators=LONGITUDE)
    timezone = models.CharField(max_length=64, help_text="IANA time zone; usually the destination's.")
    address = models.CharField(max_length=300, blank=True)
    opening_hours = models.CharField(
        max_length=500,
        blank=True,
        help_text='OpenStreetMap opening_hours syntax, e.g. "Tu-Su 10:00-18:00". Empty when unknown.',
    )
    visit_minutes = models.PositiveIntegerField(default=60, help_text="Typical length of a visit.")
    summary = models.TextField(blank=True)
    tags = models.JSONField(default=list, blank=True, help_text="Interest words, e.g. history, food.")
    aliases = models.JSONField(default=list, blank=True, help_text="Other names and spellings.")
    rules = models.JSONField(
        default=list, blank=True, help_text="Visitor rules in plain words, one per item."
    )
    assumed_fields = models.JSONField(
        default=list,
        blank=True,
        help_text="Fields whose values are not verified from a source (shown as assumed).",
    )
    source = models.CharField(max_length=500, blank=True, help_text="Where the facts come from.")
    osm_ref = models.CharField(max_length=40, blank=True, help_text='OpenStreetMap object, e.g. "way/123".')
    cell = models.BigIntegerField(editable=False, default=0, help_text="For nearby search.")
    search_text = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["lat", "lon"]),
            models.Index(fields=["destination", "osm_ref"]),
            # Covering: the nearby search reads (id, lat, lon) by cell from the index alone (places/nearby.py).
            models.Index(fields=["cell", "lat", "lon", "id"], name="place_nearby"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.cell = cell_of(self.lat, self.lon)  # the nearby index (tripwise.places.nearby)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("places:place", kwargs={"slug": self.slug})

    def is_assumed(self, field: str) -> bool:
        return field in self.assumed_fields


class Price(models.Model):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="prices")
    label = models.CharField(max_length=120)
    amount = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))])
    currency = models.CharField(max_length=3)
    assumed = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.label}: {self.amount} {self.currency}"


class Access(models.Model):
    """One way to get to a place: a transit route between two stops, or a drive or walk of known length."""

    class Mode(models.TextChoices):
        TRANSIT = "transit"
        CAR = "car"
        WALK = "walk"

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="access")
    mode = models.CharField(max_length=10, choices=Mode.choices)
    text = models.TextField(blank=True)
    minutes = models.PositiveIntegerField(null=True, blank=True)
    km = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    route = models.ForeignKey("transit.Route", null=True, blank=True, on_delete=models.SET_NULL)
    from_stop = models.ForeignKey(
        "transit.Stop", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_stop = models.ForeignKey(
        "transit.Stop", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "access"

    def __str__(self) -> str:
        return f"{self.get_mode_display()} to {self.place}"
