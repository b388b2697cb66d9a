from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from tripwise.newsletter.models import Consent, Subscriber


class ConsentInline(admin.TabularInline[Consent, Subscriber]):
    """The proof of consent: read-only, and never deleted from here."""

    model = Consent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "action", "source", "ip", "user_agent", "interests", "destinations"]
    fields = list(readonly_fields)

    def has_add_permission(self, request: HttpRequest, obj: Subscriber | None = None) -> bool:
        return False


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin[Subscriber]):
    list_display = ["email", "status", "interest_list", "created_at", "confirmed_at", "unsubscribed_at"]
    list_filter = ["status", "destinations", "created_at"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    # What a subscriber chose is theirs to change (their preferences link), not an editor's.
    readonly_fields = [
        "email", "status", "interests", "destinations", "created_at", "confirmed_at", "unsubscribed_at",
        "updated_at",
    ]  # fmt: skip
    fields = list(readonly_fields)
    inlines = [ConsentInline]

    @admin.display(description="interests")
    def interest_list(self, obj: Subscriber) -> str:
        return ", ".join(obj.interests) or "all"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a subscriber comes from their own confirmed request, never from an editor
