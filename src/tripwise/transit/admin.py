"""Read-mostly admin: feeds are replaced by re-importing (tripwise import gtfs), not edited by hand."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.http import HttpRequest

from tripwise.transit.models import Fare, FareRule, Feed, Route, Stop, Trip


def _count(model: type[Route] | type[Stop] | type[Trip]) -> Subquery:
    rows = model._default_manager.filter(feed=OuterRef("pk")).order_by().values("feed")
    return Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField())


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Rows come from GTFS files: an edit here would be lost (or contradicted) by the next import."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin[Feed]):
    list_display = [
        "name",
        "destination",
        "timezone",
        "start_date",
        "end_date",
        "n_routes",
        "n_stops",
        "n_trips",
        "imported_at",
    ]
    list_filter = ["destination"]
    search_fields = ["name", "publisher", "destination__name"]
    readonly_fields = [
        "destination",
        "name",
        "timezone",
        "publisher",
        "version",
        "start_date",
        "end_date",
        "imported_at",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Feed]:
        # One subquery per table: joining routes, stops and trips at once would multiply the rows (and time).
        return (
            super()
            .get_queryset(request)
            .select_related("destination")
            .annotate(
                route_count=_count(Route),
                stop_count=_count(Stop),
                trip_count=_count(Trip),
            )
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # feeds come from `tripwise import gtfs`

    @admin.display(description="routes", ordering="route_count")
    def n_routes(self, feed: Feed) -> int:
        return int(getattr(feed, "route_count", 0) or 0)

    @admin.display(description="stops", ordering="stop_count")
    def n_stops(self, feed: Feed) -> int:
        return int(getattr(feed, "stop_count", 0) or 0)

    @admin.display(description="trips", ordering="trip_count")
    def n_trips(self, feed: Feed) -> int:
        return int(getattr(feed, "trip_count", 0) or 0)


@admin.register(Stop)
class StopAdmin(ReadOnlyAdmin):
    list_display = ["stop_id", "code", "name", "location_type", "zone_id", "lat", "lon", "feed"]
    list_filter = ["feed", "location_type"]
    search_fields = ["stop_id", "code", "name"]
    list_select_related = ["feed"]


@admin.register(Route)
class RouteAdmin(ReadOnlyAdmin):
    list_display = ["route_id", "short_name", "long_name", "route_type", "feed"]
    list_filter = ["feed", "route_type"]
    search_fields = ["route_id", "short_name", "long_name"]
    list_select_related = ["feed"]


@admin.register(Trip)
class TripAdmin(ReadOnlyAdmin):
    list_display = ["trip_id", "route", "service", "headsign", "direction_id", "feed"]
    list_filter = ["feed"]
    search_fields = ["trip_id", "headsign", "route__route_id", "route__short_name"]
    list_select_related = ["feed", "route", "service"]
    raw_id_fields = ["route", "service"]


class FareRuleInline(admin.TabularInline):  # type: ignore[type-arg]
    model = FareRule
    fields = ["route_id", "origin_id", "destination_id", "contains_id"]
    readonly_fields = ["route_id", "origin_id", "destination_id", "contains_id"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Fare)
class FareAdmin(ReadOnlyAdmin):
    list_display = ["fare_id", "price", "currency", "transfers", "transfer_duration", "feed"]
    list_filter = ["feed"]
    search_fields = ["fare_id"]
    list_select_related = ["feed"]
    inlines = [FareRuleInline]
