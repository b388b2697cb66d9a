from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from tripwise.tasks.models import QueuedTask
from tripwise.tasks.services import tasks_retry


@admin.register(QueuedTask)
class QueuedTaskAdmin(admin.ModelAdmin[QueuedTask]):
    """The database queue, to read: what ran, what waits and why. Rows are written by `enqueue`."""

    list_display = [
        "name",
        "status",
        "created_at",
        "run_after",
        "finished_at",
        "failed_at",
        "attempts",
        "last_error",
    ]
    list_filter = ["name", "created_at"]
    search_fields = ["name", "last_error"]
    date_hierarchy = "created_at"
    actions = ["run_again"]
    readonly_fields = [field.name for field in QueuedTask._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: QueuedTask | None = None) -> bool:
        # No row can be edited; the change permission only gates the "run again" action on the list.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: QueuedTask | None = None) -> bool:
        return False

    @admin.action(
        description="Run again at the worker's next pass (failed ones included)", permissions=["change"]
    )
    def run_again(self, request: HttpRequest, queryset: QuerySet[QueuedTask]) -> None:
        chosen = list(queryset.values_list("pk", flat=True))
        made_due = tasks_retry(task_ids=chosen)
        self.message_user(
            request, f"{made_due} of {len(chosen)} tasks will run again (finished ones do not)."
        )
