"""Why a must-see place or a locked visit is not in the plan, in words a traveller understands."""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

from tripwise.core.engine.model import LeftOut, Reason
from tripwise.core.hours import describe_closed_days
from tripwise.core.money import Money, format_money
from tripwise.core.trips.build import Built, Candidate, PlanningInput, kind_matches

__all__ = ["unscheduled_reason"]


def _listing(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _closed_rule(candidate: Candidate, data: PlanningInput) -> str:
    place = candidate.place
    if place.opening_hours:
        rule = describe_closed_days(place.opening_hours, ZoneInfo(place.timezone), data.request.start_date)
        if rule:
            return rule[0].lower() + rule[1:]
    return "closed"


def _appointment_reason(candidate: Candidate, on: date, at: time, minutes: int, fits: bool,
                        data: PlanningInput) -> str:  # fmt: skip
    """Why a booked appointment is not in the plan: it falls outside the day, or it cannot be reached."""
    request, name = data.request, candidate.place.name
    t = request.dates.index(on)
    start, end = request.hours(t)
    booked = f"{name} is booked on {on:%A %d %B} at {at:%H:%M} for {minutes} minutes"
    if not fits:
        if kind_matches(candidate.place, request.rule(t).avoid_kinds):
            kinds = ", ".join(request.rule(t).avoid_kinds)
            return f"{booked}, but you asked for no {kinds} that day."
        if candidate.place.id in request.rule(t).avoid_places:
            return f"{booked}, but you moved it off that day."
        return f"{booked}, which is outside your day ({start:%H:%M}-{end:%H:%M}): change the day's hours."
    modes = " and ".join(request.modes)
    return (
        f"{booked}, but there is no way ({modes}) to be there on time beside your other locked visits and"
        f" be back at your base by {end:%H:%M}."
    )


def unscheduled_reason(
    candidate: Candidate, stop_index: int, left: LeftOut, data: PlanningInput, built: Built
) -> str:
    request, name = data.request, candidate.place.name
    dates = request.dates
    stop = built.problem.stops[stop_index]
    lock = candidate.lock
    if lock is not None and lock.minutes is not None and lock.start is not None:
        fits = stop.windows[dates.index(lock.date)] != ()
        return _appointment_reason(candidate, lock.date, lock.start, lock.minutes, fits, data)
    if lock is not None:
        t = dates.index(lock.date)
        if not stop.windows[t]:
            if not candidate.opening[t].intervals:
                return (
                    f"{name} is {_closed_rule(candidate, data)}: it cannot be locked on {lock.date:%A %d %B}."
                )
            if kind_matches(candidate.place, request.rule(t).avoid_kinds):
                kinds = ", ".join(request.rule(t).avoid_kinds)
                return f"{name} cannot be kept on {lock.date:%A %d %B}: you asked for no {kinds} that day."
            start, end = request.hours(t)
            when = "at any time" if lock.start is None else f"at {lock.start:%H:%M}"
            return (
                f"{name} cannot start {when} on {lock.date:%A %d %B}: the whole visit must fit"
                f" within its opening hours and your day ({start:%H:%M}-{end:%H:%M})."
            )
    open_days = [t for t in range(len(dates)) if candidate.opening[t].intervals]
    if left.reason == Reason.NO_WINDOW:
        if not open_days:
            rule = _closed_rule(candidate, data)
            if len(dates) == 1:
                return f"{name} is {rule}, and your only day is a {dates[0]:%A}."
            days = _listing([f"{day:%A}" for day in dates])
            return f"{name} is {rule}, and it is closed on every day of your trip ({days})."
        usable = [t for t in open_days if stop.windows[t]]
        ruled_out = [t for t in open_days if kind_matches(candidate.place, request.rule(t).avoid_kinds)]
        if not usable and ruled_out:
            days = _listing([f"{dates[t]:%A}" for t in open_days])
            return (
                f"{name} is open on {days}, but you asked for no"
                f" {', '.join(request.rule(ruled_out[0]).avoid_kinds)} on {dates[ruled_out[0]]:%A}."
            )
        if not usable:
            return (
                f"{name} is not open long enough between {request.day_start:%H:%M} and {request.day_end:%H:%M}"
                f" on your days for a {candidate.visit_seconds // 60}-minute visit."
            )
        days = _listing([f"{dates[t]:%A}" for t in usable])
        modes = " and ".join(request.modes)
        return (
            f"{name} is open on {days}, but there is no way ({modes}) to get there, see it and be back at"
            f" your base by {request.day_end:%H:%M}: allow a car, or start from a base nearer to it."
        )
    if left.reason == Reason.OVER_BUDGET and candidate.cost is not None and request.budget is not None:
        cost = format_money(candidate.cost)
        budget = format_money(Money(request.budget[0], request.budget[1]))
        return f"{name} costs {cost} for your party, which does not fit your budget of {budget}."
    days = _listing([f"{dates[t]:%A}" for t in open_days]) if open_days else "none of your days"
    return (
        f"{name} does not fit beside your other must-see places and locked visits on the days it is open"
        f" ({days}): add a day or remove another must-see."
    )
