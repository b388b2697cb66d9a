"""GTFS, stored close to the files: ids as the feed writes them, times as seconds from the service day's
origin.

Times are seconds since "noon minus 12 hours" of the service day (GTFS's rule), so 25:10:00 is 90600 and
a trip past midnight stays on the service day that runs it.
"""

from __future__ import annotations

from django.db import models


class Feed(models.Model):
    destination = models.ForeignKey("places.Destination", on_delete=models.CASCADE, related_name="feeds")
    name = models.CharField(
        max_length=120, help_text="Short name, unique per destination; re-import replaces it."
    )
    timezone = models.CharField(max_length=64)
    publisher = models.CharField(max_length=200, blank=True)
    version = models.CharField(max_length=120, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["destination", "name"], name="feed_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.destination})"


class Agency(models.Model):
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="agencies")
    agency_id = models.CharField(max_length=120, blank=True)
    name = models.CharField(max_length=200)
    url = models.CharField(max_length=300, blank=True)
    timezone = models.CharField(max_length=64)

    class Meta:
        verbose_name_plural = "agencies"
        constraints = [models.UniqueConstraint(fields=["feed", "agency_id"], name="agency_unique_id")]

    def __str__(self) -> str:
        return self.name


class Stop(models.Model):
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="stops")
    stop_id = models.CharField(max_length=120)
    code = models.CharField(max_length=60, blank=True)
    name = models.CharField(max_length=200, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    location_type = models.PositiveSmallIntegerField(default=0)
    parent_station = models.CharField(max_length=120, blank=True)
    platform_code = models.CharField(max_length=60, blank=True)
    zone_id = models.CharField(
        max_length=120, blank=True, default="", help_text="Fare zone (stops.txt zone_id) named by fare rules."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feed", "stop_id"], name="stop_unique_id")]
        indexes = [models.Index(fields=["lat", "lon"])]

    def __str__(self) -> str:
        return self.name or self.stop_id


class Route(models.Model):
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="routes")
    route_id = models.CharField(max_length=120)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL)
    short_name = models.CharField(max_length=60, blank=True)
    long_name = models.CharField(max_length=300, blank=True)
    route_type = models.PositiveIntegerField()
    color = models.CharField(max_length=6, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feed", "route_id"], name="route_unique_id")]

    def __str__(self) -> str:
        return self.short_name or self.long_name or self.route_id


class Service(models.Model):
    """A calendar.txt row, or a service known only from calendar_dates.txt (then no weekdays and no range)."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="services")
    service_id = models.CharField(max_length=120)
    weekdays = models.CharField(
        max_length=7, default="0000000", help_text="Monday..Sunday as 1/0, as in GTFS."
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feed", "service_id"], name="service_unique_id")]

    def __str__(self) -> str:
        return self.service_id


class ServiceException(models.Model):
    class Kind(models.IntegerChoices):
        ADDED = 1
        REMOVED = 2

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField()
    kind = models.PositiveSmallIntegerField(choices=Kind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "date"], name="service_exception_unique_date")
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.get_kind_display().lower()} {self.date}"


class Trip(models.Model):
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="trips")
    trip_id = models.CharField(max_length=120)
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="trips")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="trips")
    headsign = models.CharField(max_length=200, blank=True)
    direction_id = models.PositiveSmallIntegerField(null=True, blank=True)
    shape_id = models.CharField(max_length=120, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feed", "trip_id"], name="trip_unique_id")]

    def __str__(self) -> str:
        return self.trip_id


class StopTime(models.Model):
    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="stop_times")
    stop = models.ForeignKey(Stop, on_delete=models.CASCADE, related_name="stop_times")
    stop_sequence = models.PositiveIntegerField()
    arrival_seconds = models.IntegerField(null=True, blank=True)
    departure_seconds = models.IntegerField(null=True, blank=True)
    pickup_type = models.PositiveSmallIntegerField(default=0)
    drop_off_type = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["trip", "stop_sequence"]
        constraints = [models.UniqueConstraint(fields=["trip", "stop_sequence"], name="stop_time_unique_seq")]
        indexes = [models.Index(fields=["stop", "departure_seconds"])]

    def __str__(self) -> str:
        return f"{self.trip_id}#{self.stop_sequence}"


class Frequency(models.Model):
    """frequencies.txt: the trip repeats every `headway_seconds` from start to end.

    Its stop times are a template: only their differences from the trip's first departure count.
    """

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="frequencies")
    start_seconds = models.IntegerField()
    end_seconds = models.IntegerField()
    headway_seconds = models.PositiveIntegerField()
    exact_times = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "frequencies"

    def __str__(self) -> str:
        return f"trip {self.trip_id} every {self.headway_seconds} s"


class Fare(models.Model):
    """fare_attributes.txt: a ticket. Which rides it is good for is in its FareRules."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="fares")
    fare_id = models.CharField(max_length=120)
    price = models.DecimalField(max_digits=14, decimal_places=4)
    currency = models.CharField(max_length=3, help_text="ISO 4217 code (currency_type), e.g. EUR.")
    transfers = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Transfers allowed; empty means unlimited, as in GTFS."
    )
    transfer_duration = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Seconds from the first departure to the last arrival; empty: no limit.",
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feed", "fare_id"], name="fare_unique_id")]

    def __str__(self) -> str:
        return f"{self.fare_id} {self.price} {self.currency}"


class FareRule(models.Model):
    """fare_rules.txt: where a fare applies. Blank fields match anything; ids stay text (as in the file) since
    zones are only names on stops and a rule may name a route the feed does not carry."""

    fare = models.ForeignKey(Fare, on_delete=models.CASCADE, related_name="rules")
    route_id = models.CharField(max_length=120, blank=True)
    origin_id = models.CharField(max_length=120, blank=True)
    destination_id = models.CharField(max_length=120, blank=True)
    contains_id = models.CharField(max_length=120, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["fare", "route_id", "origin_id", "destination_id", "contains_id"],
                name="fare_rule_unique",
            )
        ]

    def __str__(self) -> str:
        parts = [
            f"route {self.route_id}" if self.route_id else "",
            f"from {self.origin_id}" if self.origin_id else "",
            f"to {self.destination_id}" if self.destination_id else "",
            f"through {self.contains_id}" if self.contains_id else "",
        ]
        return f"{self.fare.fare_id}: {' '.join(part for part in parts if part) or 'everywhere'}"
