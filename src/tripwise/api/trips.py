"""My trips through the API: the signed-in person's trips (and those shared with them), rename, duplicate,
delete and restore. The same permissions as the pages (trips/permissions.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from tripwise.api.schemas import ERRORS
from tripwise.trips.models import Plan
from tripwise.trips.permissions import plan_for, signed_in
from tripwise.trips.selectors import trips_of_user, trips_recently_deleted
from tripwise.trips.services import plan_delete, plan_duplicate, plan_rename, plan_restore

router = Router()
MINE_WHY = "My trips are the trips of an account"


class TripOut(Schema):
    id: str
    title: str
    destination: str
    role: str  # owner, editor, commenter or viewer
    first_day: str | None
    last_day: str | None
    deleted_at: str | None = None


class TripsOut(Schema):
    trips: list[TripOut]
    recently_deleted: list[TripOut]  # restorable for 30 days


class RenameIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)


def _trip(plan: Plan, role: str) -> dict[str, Any]:
    days = [day["date"] for day in plan.result.get("days", [])]
    return {
        "id": plan.public_id,
        "title": plan.title,
        "destination": plan.destination.slug,
        "role": role,
        "first_day": days[0] if days else None,
        "last_day": days[-1] if days else None,
        "deleted_at": plan.deleted_at.isoformat() if plan.deleted_at else None,
    }


@router.get("", response={200: TripsOut, **ERRORS}, summary="My trips")
def mine(request: HttpRequest) -> dict[str, Any]:
    user = signed_in(request, MINE_WHY)
    return {
        "trips": [_trip(row.plan, row.role) for row in trips_of_user(user=user)],
        "recently_deleted": [_trip(plan, "owner") for plan in trips_recently_deleted(user=user)],
    }


@router.post("/{plan_id}/rename", response={200: TripOut, **ERRORS}, summary="Rename a trip")
def rename(request: HttpRequest, plan_id: str, payload: RenameIn) -> dict[str, Any]:
    plan, access = plan_for(request, plan_id, "edit")
    renamed = plan_rename(plan=plan, title=payload.title, by=signed_in(request, MINE_WHY))
    return _trip(renamed, str(access.role))


@router.post("/{plan_id}/duplicate", response={201: TripOut, **ERRORS}, summary="Copy a trip")
def duplicate(request: HttpRequest, plan_id: str) -> Status[dict[str, Any]]:
    plan, _access = plan_for(request, plan_id, "view")
    return Status(201, _trip(plan_duplicate(plan=plan, owner=signed_in(request, MINE_WHY)), "owner"))


@router.post("/{plan_id}/delete", response={200: TripOut, **ERRORS}, summary="Delete a trip (restorable)")
def delete(request: HttpRequest, plan_id: str) -> dict[str, Any]:
    plan, _access = plan_for(request, plan_id, "delete")
    signed_in(request, MINE_WHY)
    return _trip(plan_delete(plan=plan), "owner")


@router.post("/{plan_id}/restore", response={200: TripOut, **ERRORS}, summary="Undo a delete")
def restore(request: HttpRequest, plan_id: str) -> dict[str, Any]:
    plan, _access = plan_for(request, plan_id, "delete")
    signed_in(request, MINE_WHY)
    return _trip(plan_restore(plan=plan), "owner")
