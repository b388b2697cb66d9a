"""Plans: ask for one with a trip request, read it back, edit it (docs/plans.md has both documents)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from tripwise.api.schemas import ERRORS
from tripwise.trips.permissions import plan_for
from tripwise.trips.services import plan_change, plan_create

router = Router()


class PointIn(Schema):
    lat: float
    lon: float


class BudgetIn(Schema):
    amount: str
    currency: str


class PartyIn(Schema):
    adults: int = 1
    children: int = 0


class LockIn(Schema):
    place_id: str
    date: dt.date
    start: str | None = None  # null: on that day, at any time


class DayRuleIn(Schema):
    day: int  # from 1
    start: str | None = None  # "HH:MM": the day starts then ("we arrive at 14:00")
    end: str | None = None
    pace: Literal["relaxed", "normal", "packed"] | None = None
    avoid_kinds: list[str] = []  # e.g. ["museum"]: none that day
    avoid_places: list[str] = []  # not on that day


class TripRequestIn(Schema):
    destination: str
    start_date: dt.date
    days: int = 1
    day_start: str = "09:00"
    day_end: str = "20:00"
    base: PointIn | str | None = None
    modes: list[Literal["walk", "transit", "car"]] = ["walk", "transit"]
    must_see: list[str] = []
    avoid: list[str] = []
    interests: list[str] = []
    budget: BudgetIn | None = None
    party: PartyIn = PartyIn()
    pace: Literal["relaxed", "normal", "packed"] = "normal"
    locks: list[LockIn] = []
    currency: str | None = None
    day_rules: list[DayRuleIn] = []


class ChangeIn(Schema):
    action: Literal[
        "lock", "unlock", "remove", "add", "forget", "pace", "day", "dates", "days", "budget", "modes", "interests",
        "party",
    ]  # fmt: skip
    place_id: str | None = None
    date: dt.date | None = None
    start: str | None = None
    end: str | None = None
    pace: Literal["relaxed", "normal", "packed"] | None = None
    day: int | None = None
    avoid_kinds: list[str] | None = None
    avoid_places: list[str] | None = None
    start_date: dt.date | None = None
    days: int | None = None
    budget: BudgetIn | None = None
    modes: list[Literal["walk", "transit", "car"]] | None = None
    interests: list[str] | None = None
    party: PartyIn | None = None


class PointOut(Schema):
    name: str
    lat: float
    lon: float


class AmountOut(Schema):
    amount: str
    currency: str


class MoneyOut(AmountOut):
    traveller: AmountOut | None = None


class DayOut(Schema):
    date: dt.date
    weekday: str
    start: str
    end: str
    base: PointOut
    items: list[dict[str, Any]]  # visits and travel legs in time order: see docs/plans.md
    cost: MoneyOut


class UnscheduledOut(Schema):
    place_id: str
    name: str
    reason: str


class CostOut(Schema):
    total: MoneyOut
    budget: MoneyOut | None


class CheckOut(Schema):
    ok: bool
    problems: list[str]


class PlanOut(Schema):
    id: str
    revision: int
    destination: dict[str, str]
    request: dict[str, Any]
    days: list[DayOut]
    unscheduled: list[UnscheduledOut]
    assumptions: list[str]
    cost: CostOut
    check: CheckOut
    stats: dict[str, float] = {}  # candidates considered, solver seconds: for the curious and for benchmarks


def _out(plan: Any) -> dict[str, Any]:
    return {**plan.result, "id": plan.public_id, "revision": plan.revision}


@router.post("", response={201: PlanOut, **ERRORS}, summary="Plan a trip")
def create(request: HttpRequest, payload: TripRequestIn) -> Status[dict[str, Any]]:
    """Plans the trip and stores the plan; its `id` reads it back. Every plan carries the checker's verdict."""
    plan = plan_create(request=payload.model_dump(mode="json"))
    return Status(201, _out(plan))


@router.get("/{plan_id}", response={200: PlanOut, **ERRORS}, summary="Read a plan")
def detail(request: HttpRequest, plan_id: str) -> dict[str, Any]:
    """Anyone the plan is shared with (a share link's token goes in `?share=`); else 404."""
    plan, _access = plan_for(request, plan_id, "view")
    return _out(plan)


@router.post("/{plan_id}/changes", response={200: PlanOut, **ERRORS}, summary="Edit a plan and re-plan")
def change(request: HttpRequest, plan_id: str, payload: ChangeIn) -> dict[str, Any]:
    """One change of docs/plans.md (lock, unlock, remove, add, forget, pace, day, dates, days, budget, modes,
    interests, party): re-plans around the locks. Fields left out are not changed; for budget, and for a
    day's start, end or pace, an explicit null clears it."""
    change = payload.model_dump(mode="json", exclude_unset=True)
    plan, _access = plan_for(request, plan_id, "edit")
    plan = plan_change(plan=plan, change=change, actor=request.user)
    return _out(plan)
