from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from tripwise.mail.models import OutboxEmail
from tripwise.mail.services import outbox_retry


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin[OutboxEmail]):
    """The outbox, to read: what left, what waits and why. Rows are written by the code that sends them."""

    list_display = [
        "kind",
        "recipients",
        "title",
        "created_at",
        "sent_at",
        "failed_at",
        "attempts",
        "last_error",
    ]
    list_filter = ["kind", "created_at"]
    search_fields = ["subject", "to", "kind"]
    date_hierarchy = "created_at"
    actions = ["send_now"]
    readonly_fields = [field.name for field in OutboxEmail._meta.fields]

    @admin.display(description="subject")
    def title(self, obj: OutboxEmail) -> str:
        return obj.subject or "(written by the sender when it goes)"

    @admin.display(description="to")
    def recipients(self, obj: OutboxEmail) -> str:
        return ", ".join(obj.to)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutboxEmail | None = None) -> bool:
        # No row can be edited; the change permission only gates the "send now" action on the list.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: OutboxEmail | None = None) -> bool:
        return False

    @admin.action(description="Send now (unsent ones, failed ones included)", permissions=["change"])
    def send_now(self, request: HttpRequest, queryset: QuerySet[OutboxEmail]) -> None:
        chosen = list(queryset.values_list("pk", flat=True))
        already = queryset.filter(sent_at__isnull=False).count()
        sent = outbox_retry(email_ids=chosen)
        self.message_user(request, f"Sent {sent} of {len(chosen)} emails ({already} had been sent already).")
        if sent < len(chosen) - already:
            self.message_user(
                request, "Some could not be sent: see their last error.", level=messages.WARNING
            )
