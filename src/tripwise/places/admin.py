from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tripwise.guides.services import guides_reindex
from tripwise.places.forms import DestinationForm, PlaceForm
from tripwise.places.models import Access, Destination, Place, Price
from tripwise.places.services import destination_reindex, place_reindex


@admin.register(Destination)
class DestinationAdmin(admin.ModelAdmin[Destination]):
    form = DestinationForm
    list_display = ["name", "slug", "country", "timezone", "currency"]
    search_fields = ["name", "slug", "search_text"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request: HttpRequest, obj: Destination, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        destination_reindex(obj)
        guides_reindex(destination=obj)


class PriceInline(admin.TabularInline[Price, Place]):
    model = Price
    extra = 1


class AccessInline(admin.StackedInline[Access, Place]):
    model = Access
    extra = 0
    raw_id_fields = ["route", "from_stop", "to_stop"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin[Place]):
    form = PlaceForm
    list_display = ["name", "kind", "destination", "opening_hours", "visit_minutes", "updated_at"]
    list_filter = ["destination", "kind"]
    search_fields = ["name", "slug", "search_text", "osm_ref"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PriceInline, AccessInline]
    fieldsets = [
        (None, {"fields": ["destination", "name", "slug", "kind", "summary", "tags", "aliases"]}),
        ("Where", {"fields": ["lat", "lon", "address", "timezone"]}),
        ("Visiting", {"fields": ["opening_hours", "visit_minutes", "rules"]}),
        ("Provenance", {"fields": ["assumed_fields", "source", "osm_ref"]}),
    ]

    def save_model(self, request: HttpRequest, obj: Place, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        place_reindex(obj)
        guides_reindex(place=obj)
