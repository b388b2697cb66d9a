from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest

from tripwise.core.errors import TripwiseError
from tripwise.guides.models import Guide, GuideImage
from tripwise.guides.services import guide_publish, guide_reindex, guide_unpublish
from tripwise.newsletter.campaigns import guide_announce


class GuideImageInline(admin.StackedInline[GuideImage, Guide]):
    model = GuideImage
    extra = 0
    fields = ["file", "caption", "credit", "licence", "source_url", "position"]


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin[Guide]):
    list_display = ["title", "destination", "status", "featured", "published_at", "updated_at"]
    list_filter = ["status", "featured", "destination"]
    search_fields = ["title", "slug", "search_text"]
    prepopulated_fields = {"slug": ["title"]}
    raw_id_fields = ["place"]
    readonly_fields = ["published_at"]
    inlines = [GuideImageInline]
    actions = ["publish", "unpublish", "announce"]
    fields = [
        "title",
        "slug",
        "destination",
        "place",
        "summary",
        "body",
        "status",
        "featured",
        "author",
        "published_at",
    ]

    def save_model(self, request: HttpRequest, obj: Guide, form: Any, change: bool) -> None:
        if obj.author is None and request.user.is_authenticated:
            obj.author = request.user
        super().save_model(request, obj, form, change)
        if obj.status == Guide.Status.PUBLISHED:
            guide_publish(guide=obj)  # stamps published_at the first time
        guide_reindex(obj)

    @admin.action(description="Publish the selected guides")
    def publish(self, request: HttpRequest, queryset: QuerySet[Guide]) -> None:
        for guide in queryset:
            try:
                guide_publish(guide=guide)
            except TripwiseError as exc:
                self.message_user(request, exc.message, level=messages.ERROR)

    @admin.action(description="Unpublish (back to draft)")
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Guide]) -> None:
        for guide in queryset:
            guide_unpublish(guide=guide)

    @admin.action(description="Announce to the newsletter's subscribers of its destination (sends now)")
    def announce(self, request: HttpRequest, queryset: QuerySet[Guide]) -> None:
        user = request.user if isinstance(request.user, User) else None
        for guide in queryset:
            try:
                campaign = guide_announce(guide=guide, actor=user)
            except TripwiseError as exc:
                self.message_user(request, exc.message, level=messages.ERROR)
            else:
                self.message_user(request, f"“{campaign.subject}” is being sent.", level=messages.SUCCESS)
