"""Editors and providers' managers keep experiences here; bookings are read-only (they change only through
the services, which count the seats)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tripwise.experiences.models import Application, Booking, Experience, Provider, ScheduleException, Slot
from tripwise.experiences.provider import slots_generate


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin[Provider]):
    list_display = ["name", "email", "slug"]
    search_fields = ["name", "email"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["staff"]


class ScheduleExceptionInline(admin.TabularInline[ScheduleException, Experience]):
    model = ScheduleException
    extra = 0


@admin.register(Experience)
class ExperienceAdmin(admin.ModelAdmin[Experience]):
    list_display = ["title", "provider", "mode", "place", "price", "currency", "schedule", "is_active"]
    list_filter = ["mode", "is_active", "destination", "provider"]
    search_fields = ["title", "summary", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    raw_id_fields = ["place"]
    inlines = [ScheduleExceptionInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The schedule and the day exceptions are saved by now: make the departures follow them.
        super().save_related(request, form, formsets, change)
        slots_generate(experience=form.instance)


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin[Slot]):
    list_display = ["experience", "starts_at", "capacity", "seats_taken", "is_cancelled"]
    list_filter = ["experience"]
    date_hierarchy = "starts_at"
    readonly_fields = ["seats_taken"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin[Booking]):
    list_display = ["reference", "experience", "slot", "name", "seats", "status", "created_at"]
    list_filter = ["status", "experience"]
    search_fields = ["reference", "name", "email"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Booking | None = None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin[Application]):
    list_display = ["reference", "experience", "slot", "name", "status", "submit_at"]
    list_filter = ["status", "experience"]
    search_fields = ["reference", "name", "email"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Application | None = None) -> bool:
        return False
