"""Reads for experiences: what is near a point, one experience with its next departures, bookings and
applications by their links, a traveller's bookings, a provider's day."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import Col
from django.utils import timezone

from tripwise.core.errors import NotFound, TripwiseError
from tripwise.core.experiences import (
    Refund,
    describe_policy,
    describe_schedule,
    earliest_visit,
    offered_dates,
    refund_for,
)
from tripwise.experiences.applications import rules_of, submission_time
from tripwise.experiences.models import Application, Booking, Experience, Provider, Slot
from tripwise.places.models import Place
from tripwise.places.nearby import Near, NearestSearch
from tripwise.trips.models import Plan
from tripwise.trips.permissions import access_for
from tripwise.trips.selectors import trips_of_user

SLOTS_AHEAD_DAYS = 31  # "next times" look a month ahead: the window function numbers only those
ZONE_SLACK = timedelta(hours=14)
FIRST_CANDIDATES = 8  # × limit: candidates checked for a departure on the date before widening the search
# What a list of experiences shows (pages, API, MCP): the rest of the rows is not read.
LISTED = (
    "slug", "title", "summary", "mode", "duration_minutes", "price", "child_price", "currency", "languages",
    "meeting_point", "lat", "lon", "max_party", "capacity", "is_active", "schedule", "provider__name",
    "provider__slug", "place__slug", "place__name", "place__timezone", "place__lat", "place__lon",
    "destination__slug", "destination__name", "destination__country",
)  # fmt: skip
DEFAULT_RADIUS_M = 60_000  # ALZHIR is 38 km from Astana: a guide of the city should show the day trip


@dataclass(frozen=True)
class NearbyExperience:
    experience: Experience
    distance_m: float
    next_slots: tuple[Slot, ...]

    @property
    def distance_km(self) -> float:
        return round(self.distance_m / 1000, 1)


def _day_window(day: date, zone: str) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, ZoneInfo(zone))
    return start, start + timedelta(days=1)


SlotRow = tuple[int, int, datetime, int, int, bool]  # a Slot's fields in their order


def _ranked_departures(
    experience_ids: list[int], *, start: datetime, end: datetime, seats: int, each: int | None
) -> list[tuple[SlotRow, str]]:
    """The departures of these experiences between the moments with `seats` free (the first `each` of every
    experience, or all), each with its place's time zone, in one query, soonest first. A window function
    numbers each experience's departures in the database, so only the few shown come back (a month of a
    dozen experiences' departures is hundreds of rows). Written as SQL because the ORM's version (a filter on
    a window) takes longer to compile than the database takes to answer."""
    if not experience_ids:
        return []
    ops = connection.ops
    slots, experiences = ops.quote_name(Slot._meta.db_table), ops.quote_name(Experience._meta.db_table)
    places = ops.quote_name(Place._meta.db_table)
    among_params: list[Any]
    if connection.vendor == "postgresql":
        # One array parameter: the statement's text is the same for any number of experiences, so the driver
        # converts it once (a list of N placeholders is a new text each time, ~0.3 ms to convert).
        among, among_params = "= ANY(%s)", [list(experience_ids)]
    else:
        among, among_params = f"IN ({', '.join(['%s'] * len(experience_ids))})", [*experience_ids]
    ranked = ", ROW_NUMBER() OVER (PARTITION BY experience_id ORDER BY starts_at) AS position" if each else ""
    sql = (
        "SELECT ranked.id, ranked.experience_id, ranked.starts_at, ranked.capacity, ranked.seats_taken, "  # noqa: S608
        f"place.timezone FROM (SELECT id, experience_id, starts_at, capacity, seats_taken{ranked} "
        f"FROM {slots} WHERE experience_id {among} AND starts_at >= %s AND starts_at < %s "
        "AND is_cancelled = %s AND seats_taken <= capacity - %s"
        f") ranked JOIN {experiences} experience ON experience.id = ranked.experience_id "
        f"JOIN {places} place ON place.id = experience.place_id "
        f"{'WHERE ranked.position <= %s ' if each else ''}ORDER BY ranked.experience_id, ranked.starts_at"
    )
    params: list[Any] = [
        *among_params,
        ops.adapt_datetimefield_value(start),
        ops.adapt_datetimefield_value(end),
        False,
        seats,
        *([each] if each else []),
    ]
    column = Col("slot", Slot._meta.get_field("starts_at"))
    converters = connection.ops.get_db_converters(column)  # SQLite answers text; PostgreSQL, datetimes
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = []
    for slot_id, experience_id, starts_at, capacity, seats_taken, zone in rows:
        for converter in converters:
            starts_at = converter(starts_at, column, connection)
        found.append(((slot_id, experience_id, starts_at, capacity, seats_taken, False), zone))
    return found


def _slot(values: SlotRow) -> Slot:
    return Slot.from_db(connection.alias, None, values)  # type: ignore[arg-type]  # every field, in order


def _next_slots(
    experience_ids: list[int], *, start: datetime, end: datetime, seats: int, each: int
) -> dict[int, list[Slot]]:
    slots: dict[int, list[Slot]] = {}
    for row, _zone in _ranked_departures(experience_ids, start=start, end=end, seats=seats, each=each):
        slots.setdefault(row[1], []).append(_slot(row))
    return slots


def experiences_near(
    *,
    lat: float,
    lon: float,
    radius_m: float = DEFAULT_RADIUS_M,
    limit: int = 12,
    on: date | None = None,
    language: str | None = None,
    max_price: Decimal | None = None,
    party: int = 1,
    now: datetime | None = None,
    slots_each: int = 3,
) -> list[NearbyExperience]:
    """Bookable experiences nearest first, each with its next departures that still have `party` seats
    (on the date `on`, when given). The one nearby search of pages, API, trip pages and the MCP tools.

    What the nearby index holds (active, price, party size, languages) filters inside the spatial search. A
    departure that day is checked on the nearest candidates in one query, on more candidates each time until
    `limit` qualify or none are left within the radius: inside the spatial SQL it would cost a probe of the
    departures for every candidate of every ring, and a far larger query to plan."""
    now = now or timezone.now()
    seats = max(1, party)
    query = Experience.objects.filter(is_active=True, max_party__gte=seats)
    if max_price is not None:
        query = query.filter(price__lte=max_price)
    start, end = now, now + timedelta(days=SLOTS_AHEAD_DAYS)
    if on is not None:
        if on < (now - ZONE_SLACK).date() or on > (now + timedelta(days=366 * 2)).date():
            return []  # long past, or beyond any departure made
        # The local date of a departure depends on its place's zone; in SQL, a window wide enough for every
        # zone (UTC-12 to UTC+14), then the exact local date below.
        day = datetime.combine(on, time.min, UTC)
        start, end = max(now, day - ZONE_SLACK), day + timedelta(days=1) + ZONE_SLACK
    if language:
        # The JSON list's text, in the nearby index too: the ring's scan tests it without reading the table.
        query = query.filter(languages__icontains=f'"{language.strip().lower()}"')
    search = NearestSearch(query, lat=lat, lon=lon, radius_m=radius_m)
    if on is None:
        near = search.take(limit)
        slots = _next_slots([hit.id for hit in near], start=start, end=end, seats=seats, each=slots_each)
        kept = [(hit, slots.get(hit.id, [])) for hit in near]
    else:
        kept, wanted, checked = [], limit * FIRST_CANDIDATES, 0
        while True:
            near = search.take(wanted)
            # The nearest `checked` are the same as last time (ties go by id): only the new ones are checked.
            kept += _departing_on(near[checked:], on=on, start=start, end=end, seats=seats)
            checked = len(near)
            if len(kept) >= limit or len(near) < wanted:
                break
            # As many more as the share that qualified so far says the rest needs, with a margin.
            share = max(len(kept), 1) / checked
            wanted = checked + max(limit, math.ceil((limit - len(kept)) / share * 1.5))
        kept = kept[:limit]
    experiences = (
        Experience.objects.select_related("place", "provider", "destination")
        .only(*LISTED)
        .order_by()  # in_bulk answers a dict: the default ordering would only add a sort
        .in_bulk([hit.id for hit, _mine in kept])
    )
    return [
        NearbyExperience(experiences[hit.id], hit.distance_m, tuple(mine[:slots_each])) for hit, mine in kept
    ]


def _departing_on(
    near: list[Near], *, on: date, start: datetime, end: datetime, seats: int
) -> list[tuple[Near, list[Slot]]]:
    """Of these candidates (nearest first), those with a departure with `seats` free on the local date `on`,
    with those departures."""
    if not near:
        return []
    # All of them: the window holds the day in every zone, so up to 14 hours of the days around it as well.
    ranked = _ranked_departures([hit.id for hit in near], start=start, end=end, seats=seats, each=None)
    that_day: dict[int, list[Slot]] = {}
    for row, zone in ranked:
        if row[2].astimezone(ZoneInfo(zone)).date() == on:
            that_day.setdefault(row[1], []).append(_slot(row))
    return [(hit, that_day[hit.id]) for hit in near if hit.id in that_day]


def local_today(experience: Experience) -> date:
    """Today where the experience happens (the traveller's today may already be tomorrow there)."""
    return timezone.now().astimezone(ZoneInfo(experience.timezone)).date()


def experience_get(slug: str) -> Experience:
    try:
        return Experience.objects.select_related("place", "provider", "destination").get(
            slug=slug, is_active=True
        )
    except Experience.DoesNotExist:
        raise NotFound("experience", slug) from None


def slots_between(
    experience: Experience, *, first: date, last: date, party: int = 1, now: datetime | None = None
) -> list[Slot]:
    """Departures on local dates first..last that have not started; full ones included (shown as full)."""
    now = now or timezone.now()
    start, _ = _day_window(first, experience.timezone)
    _, end = _day_window(last, experience.timezone)
    return list(
        experience.slots.filter(
            starts_at__gte=max(start, now), starts_at__lt=end, is_cancelled=False
        ).order_by("starts_at")
    )


def slot_get(slot_id: int) -> Slot:
    try:
        return Slot.objects.select_related(
            "experience__place", "experience__provider", "experience__destination"
        ).get(pk=slot_id)
    except Slot.DoesNotExist:
        raise NotFound("departure", slot_id) from None


def rules_in_words(experience: Experience) -> list[str]:
    """The experience's rules as a traveller reads them on its page."""
    words = []
    if experience.schedule:
        words.append(f"Departures: {describe_schedule(experience.schedule)}.")
    if experience.mode == Experience.Mode.APPLICATION:
        words.append(f"By application: {experience.provider.name} accepts or declines each one.")
        if experience.workdays_only:
            words.append(
                f"Applications are accepted on workdays only ({experience.timezone} time); on other days we "
                f"send yours on the next workday at {experience.office_opens:%H:%M}."
            )
        words.append(f"Apply at least {experience.notice_hours} hours before the visit.")
    else:
        words.append(f"Book at least {experience.notice_hours} hours before the start.")
    words.append(f"At most {experience.max_party} people in one booking.")
    words.append(describe_policy(experience.cancellation_policy))
    words.extend(experience.rules)
    return words


def booking_get(code: str) -> Booking:
    try:
        return Booking.objects.select_related(
            "slot", "experience__place", "experience__provider", "experience__destination"
        ).get(code=code)
    except Booking.DoesNotExist:
        raise NotFound("booking", code) from None


def application_get(code: str) -> Application:
    try:
        return Application.objects.select_related(
            "slot", "booking", "experience__place", "experience__provider", "experience__destination"
        ).get(code=code)
    except Application.DoesNotExist:
        raise NotFound("application", code) from None


def _mine(user: User | None, session_key: str) -> Q:
    """The rows of the account, and (not yet claimed by any account) those made in this browser."""
    mine = Q(user=user) if user is not None and user.is_authenticated else Q(pk__in=[])
    if session_key:
        mine |= Q(session_key=session_key, user__isnull=True)
    return mine


def bookings_of(*, user: User | None, session_key: str) -> QuerySet[Booking]:
    """My bookings: the account's, or (signed out) this browser's."""
    return (
        Booking.objects.filter(_mine(user, session_key))
        .exclude(status=Booking.Status.EXPIRED)
        .select_related("slot", "experience__place", "experience__provider")
        .order_by("slot__starts_at")
    )


def applications_of(*, user: User | None, session_key: str) -> QuerySet[Application]:
    return (
        Application.objects.filter(_mine(user, session_key))
        .select_related("slot", "experience__provider")
        .order_by("slot__starts_at")
    )


def providers_of(user: User) -> QuerySet[Provider]:
    if user.is_superuser:
        return Provider.objects.all()
    return Provider.objects.filter(staff=user)


def provider_day(*, provider: Provider, day: date) -> list[dict[str, Any]]:
    """A provider's list for one local day: each departure with its confirmed travellers (the day sheet)."""
    rows: list[dict[str, Any]] = []
    for experience in provider.experiences.select_related("place").order_by("title"):
        start, end = _day_window(day, experience.timezone)
        for slot in experience.slots.filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at"):
            bookings = slot.bookings.filter(status=Booking.Status.CONFIRMED).order_by("created_at")
            rows.append({"experience": experience, "slot": slot, "bookings": list(bookings)})
    return rows


def applications_waiting(provider: Provider) -> QuerySet[Application]:
    return (
        Application.objects.filter(experience__provider=provider, status=Application.Status.SUBMITTED)
        .select_related("slot", "experience")
        .order_by("slot__starts_at")
    )


def booking_refund_now(booking: Booking, *, now: datetime | None = None) -> Refund | None:
    """What cancelling this confirmed booking would give back now (a core Refund), or None when there is
    nothing to refund or it can no longer be cancelled (held bookings are released for free)."""
    if booking.status != Booking.Status.CONFIRMED:
        return None
    try:
        return refund_for(
            booking.experience.cancellation_policy,
            paid=booking.total,
            starts_at=booking.slot.starts_at,
            now=now or timezone.now(),
        )
    except TripwiseError:
        return None


@dataclass(frozen=True)
class ApplicationChoices:
    """What the application form offers now: when it would reach the provider, why not at once (None: it
    goes at once), and the departures it may ask for (after the notice, counted from `submit_at`)."""

    submit_at: datetime
    refusal: str | None
    slots: tuple[Slot, ...]


def application_choices(
    experience: Experience, *, now: datetime | None = None, days: int = 60
) -> ApplicationChoices:
    now = now or timezone.now()
    submit_at, refusal = submission_time(experience, now)
    tz = ZoneInfo(experience.timezone)
    first = submit_at.astimezone(tz).date()
    slots = slots_between(experience, first=first, last=first + timedelta(days=days), now=now)
    rules = rules_of(experience)
    dates = set(
        offered_dates(submit_at=submit_at, rules=rules, tz=tz, starts=[slot.starts_at for slot in slots])
    )
    earliest = earliest_visit(submit_at, rules)
    offered = tuple(
        slot for slot in slots if slot.starts_at >= earliest and slot.starts_at.astimezone(tz).date() in dates
    )
    return ApplicationChoices(submit_at=submit_at, refusal=refusal, slots=offered)


def trips_for_booking(booking: Booking, *, user: User | None, plan_ids: Iterable[str] = ()) -> list[Plan]:
    """The trips this person may edit that are in the booking's destination and include its date: the
    signed-in person's own and shared-as-editor trips, and the unclaimed ones made in this browser."""
    day = booking.slot.starts_at.astimezone(ZoneInfo(booking.experience.timezone)).date()
    candidates: dict[int, Plan] = {}
    if user is not None and user.is_authenticated:
        for row in trips_of_user(user=user):
            candidates[row.plan.pk] = row.plan
    ids = [public_id for public_id in plan_ids if public_id]
    for plan in Plan.objects.filter(public_id__in=ids, deleted_at__isnull=True).select_related("destination"):
        candidates.setdefault(plan.pk, plan)
    found = []
    for plan in candidates.values():
        if plan.destination_id != booking.experience.destination_id:
            continue
        try:
            first = date.fromisoformat(str(plan.request["start_date"]))
            last = first + timedelta(days=int(plan.request.get("days", 1)) - 1)
        except (KeyError, TypeError, ValueError):
            continue
        if not first <= day <= last:
            continue
        who = user if user is not None else AnonymousUser()
        if access_for(plan=plan, user=who).can("edit"):
            found.append(plan)
    found.sort(key=lambda plan: plan.created_at, reverse=True)
    return found
