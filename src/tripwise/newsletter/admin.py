from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from tripwise.core.errors import TripwiseError
from tripwise.newsletter.campaigns import campaign_cancel, campaign_schedule, campaign_send_test
from tripwise.newsletter.models import INTEREST_CHOICES, Campaign, Consent, Delivery, Subscriber
from tripwise.newsletter.rendering import campaign_html
from tripwise.newsletter.selectors import campaign_progress


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


class CampaignForm(forms.ModelForm[Campaign]):
    interests = forms.MultipleChoiceField(
        choices=INTEREST_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The audience: subscribers with any of these (and those who chose none). None: everyone.",
    )

    class Meta:
        model = Campaign
        fields = ["subject", "body", "interests", "destinations", "send_at"]

    def clean_subject(self) -> str:
        subject = str(self.cleaned_data["subject"])
        if any(char in subject for char in "\r\n"):
            raise forms.ValidationError("A subject is one line: remove the line breaks.")
        return subject


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin[Campaign]):
    """Write in markdown, choose the audience, preview, send a test to yourself, then schedule or send now.
    The change page shows the progress; the deliveries list each recipient's outcome."""

    form = CampaignForm
    list_display = ["subject", "status", "send_at", "started_at", "finished_at", "progress_summary"]
    list_filter = ["status"]
    search_fields = ["subject", "body"]
    readonly_fields = ["status", "guide", "created_by", "started_at", "finished_at", "progress", "preview"]
    fields = ["subject", "body", "interests", "destinations", "send_at", *readonly_fields]
    filter_horizontal = ["destinations"]
    actions = ["send_test", "send_now", "schedule", "cancel"]

    def has_change_permission(self, request: HttpRequest, obj: Campaign | None = None) -> bool:
        # Once it leaves, what it said is what was sent: only drafts and scheduled campaigns are edited.
        allowed = obj is None or obj.status in (Campaign.Status.DRAFT, Campaign.Status.SCHEDULED)
        return allowed and super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Campaign, form: Any, change: bool) -> None:
        if obj.created_by is None and isinstance(request.user, User):
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="progress")
    def progress_summary(self, obj: Campaign) -> str:
        if obj.pk is None:
            return ""
        counts = campaign_progress(obj)
        total = sum(count for status, count in counts.items() if status != "unsubscribed since")
        return f"{counts['sent']} of {total} sent" if total else "not started"

    @admin.display(description="progress by recipient")
    def progress(self, obj: Campaign) -> str:
        if obj.pk is None:
            return "not saved yet"
        counts = campaign_progress(obj)
        url = reverse("admin:newsletter_delivery_changelist") + f"?campaign__id__exact={obj.pk}"
        parts = ", ".join(f"{status}: {count}" for status, count in counts.items() if count)
        return format_html('{} · <a href="{}">each recipient</a>', parts or "nothing sent yet", url)

    @admin.display(description="preview")
    def preview(self, obj: Campaign) -> str:
        # The body is sanitised by nh3 (an allow-list) before it is shown, here and in the email.
        return format_html('<div class="campaign-preview">{}</div>', mark_safe(campaign_html(obj.body)))

    @admin.action(description="Send a test to me")
    def send_test(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        address = getattr(request.user, "email", "")
        if not address:
            self.message_user(
                request, "Your account has no email address to send the test to.", messages.ERROR
            )
            return
        for campaign in queryset:
            campaign_send_test(campaign=campaign, to=address)
        self.message_user(request, f"Sent {queryset.count()} test email(s) to {address}.")

    @admin.action(description="Send now")
    def send_now(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        self._schedule(request, queryset, now=True)

    @admin.action(description="Schedule at its send time")
    def schedule(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        self._schedule(request, queryset, now=False)

    def _schedule(self, request: HttpRequest, queryset: QuerySet[Campaign], *, now: bool) -> None:
        for campaign in queryset:
            if not now and campaign.send_at is None:
                self.message_user(request, f"“{campaign.subject}” has no send time: set one.", messages.ERROR)
                continue
            try:
                campaign_schedule(campaign=campaign, send_at=None if now else campaign.send_at)
            except TripwiseError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(request, f"“{campaign.subject}”: {'sending' if now else 'scheduled'}.")

    @admin.action(description="Cancel (what was sent stays sent)")
    def cancel(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        for campaign in queryset:
            campaign_cancel(campaign=campaign)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    """Each recipient's outcome: sent, failed with the reason, skipped; and whether they unsubscribed since."""

    list_display = ["email", "campaign", "status", "sent_at", "attempts", "error", "unsubscribed_since"]
    list_filter = ["status", "campaign"]
    search_fields = ["email"]
    list_select_related = ["campaign", "subscriber"]

    @admin.display(description="unsubscribed since", boolean=True)
    def unsubscribed_since(self, obj: Delivery) -> bool:
        return obj.status == Delivery.Status.SENT and obj.subscriber.status == Subscriber.Status.UNSUBSCRIBED

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Delivery | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Delivery | None = None) -> bool:
        return False
