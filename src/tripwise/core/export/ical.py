"""A plan as an iCalendar file (RFC 5545) and subscribable feed.

One VEVENT per visit and one per transit journey. Walks and drives are folded into the description of the
visit they lead to (or, for the way back at the end of a day, of the visit they leave): a phone calendar
filled with eight-minute walks buries the visits, and a walk has no stop, route or ticket worth a reminder.
A transit journey does: it leaves at a fixed minute from a named stop, so it gets its own event.

Times are written with the destination's TZID and a VTIMEZONE built from the tz database, never as UTC or
floating times, so an event stays at 10:00 in Astana on a phone set to Helsinki, and a plan across a DST
change keeps each event's wall-clock time on its own side of the change.

UIDs are the plan id, the day and the item's place in the day: a re-plan rewrites the same events (with a
higher SEQUENCE, the plan's revision) instead of adding new ones beside them, and a subscribing calendar
drops the ones that disappeared because a feed is always the whole plan.

One appointment (a booked departure) is a calendar of its own, sent with the booking's emails: METHOD:REQUEST
adds it to the traveller's calendar, and the same UID with METHOD:CANCEL, STATUS:CANCELLED and a higher
SEQUENCE takes it out again.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event, Timezone, vCalAddress

from tripwise.core.export.document import (
    day_items,
    money_text,
    parse_time,
    point_of,
    rides,
    route_label,
    stop_name,
)

__all__ = ["APPOINTMENT_PRODID", "PRODID", "appointment_to_ical", "plan_to_ical"]

PRODID = "-//Tripwise//Trip plan export 1.0//EN"
APPOINTMENT_PRODID = "-//Tripwise//Appointment 1.0//EN"
UID_DOMAIN = "tripwise"
# How often a subscribed calendar should fetch the feed again: a hint, Google ignores it, Apple and
# Thunderbird honour it. An hour keeps an edited plan close to current without hammering the server.
REFRESH = timedelta(hours=1)  # keep in step with the PT1H of X-PUBLISHED-TTL below
MODE_WORDS = {"walk": "Walk", "car": "Car or taxi", "transit": "Public transport"}


def _zone(timezone: str) -> ZoneInfo:
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"Unknown time zone {timezone!r}: give an IANA name such as 'Asia/Almaty'."
        ) from None


def _hhmm(value: object, zone: ZoneInfo) -> str:
    moment = parse_time(value)
    return moment.astimezone(zone).strftime("%H:%M") if moment else "?"


def _minutes(item: Mapping[str, Any]) -> str:
    minutes = item.get("minutes")
    return f" {minutes} min" if isinstance(minutes, int) and not isinstance(minutes, bool) else ""


def _travel_line(item: Mapping[str, Any], zone: ZoneInfo) -> str:
    """'Walk 20 min from Base to Bayterek Tower, 09:40–10:00 (1.5 km)'."""
    mode = MODE_WORDS.get(str(item.get("mode")), str(item.get("mode") or "Travel").capitalize())
    origin, target = point_of(item.get("from")), point_of(item.get("to"))
    where = "".join(
        [
            f" from {origin.name}" if origin and origin.name else "",
            f" to {target.name}" if target and target.name else "",
        ]
    )
    line = (
        f"{mode}{_minutes(item)}{where}, {_hhmm(item.get('depart'), zone)}–{_hhmm(item.get('arrive'), zone)}"
    )
    distance = item.get("distance_m")
    if isinstance(distance, int | float) and not isinstance(distance, bool) and distance > 0:
        line += f" ({distance / 1000:.1f} km)"
    return line


def _ride_line(ride: Mapping[str, Any], zone: ZoneInfo) -> str:
    """'Bus 300 (trip 300-out-0900, towards Akmol): Asia Park [asia-park] 09:00 → Akmol [akmol-alzhir] 09:45'."""
    extra = [f"trip {ride['trip_id']}"] if ride.get("trip_id") else []
    if ride.get("headsign"):
        extra.append(f"towards {ride['headsign']}")
    ends = []
    for end, time_key in (("from", "depart"), ("to", "arrive")):
        name, stop_id = stop_name(ride, end), ride.get(f"{end}_stop_id")
        label = f"{name} [{stop_id}]" if stop_id and stop_id != name else name
        ends.append(f"{label} {_hhmm(ride.get(time_key), zone)}")
    details = f" ({', '.join(extra)})" if extra else ""
    return f"{route_label(ride)}{details}: {ends[0]} → {ends[1]}"


def _visit_description(item: Mapping[str, Any], before: list[str], after: list[str]) -> str:
    lines: list[str] = []
    if item.get("why"):
        lines.append(str(item["why"]))
    if item.get("meal"):
        lines.append(f"Meal stop: {item['meal']}.")
    if cost := money_text(item.get("cost")):
        lines.append(f"Cost: {cost}")
    notes = item.get("notes")
    if isinstance(notes, list):
        lines.extend(f"Note: {note}" for note in notes if note)
    lines.extend(f"Getting there: {line}" for line in before)
    lines.extend(f"Afterwards: {line}" for line in after)
    return "\n".join(lines)


def _transit_event(item: Mapping[str, Any], zone: ZoneInfo) -> tuple[str, str, str]:
    """SUMMARY, DESCRIPTION and LOCATION of a transit journey."""
    journey_rides = rides(item)
    routes = " + ".join(dict.fromkeys(route_label(ride) for ride in journey_rides)) or "Public transport"
    first = stop_name(journey_rides[0], "from") if journey_rides else ""
    last = stop_name(journey_rides[-1], "to") if journey_rides else ""
    if not first or not last:
        origin, target = point_of(item.get("from")), point_of(item.get("to"))
        first = first or (origin.name if origin else "")
        last = last or (target.name if target else "")
    summary = f"{routes} {first} → {last}".strip()
    lines = [_travel_line(item, zone)]
    lines.extend(f"Ride: {_ride_line(ride, zone)}" for ride in journey_rides)
    legs = item.get("legs")
    if isinstance(legs, list):
        for leg in legs:
            if isinstance(leg, Mapping) and leg.get("mode") == "walk":
                lines.append(_travel_line(leg, zone))
    if fare := money_text(item.get("fare")):
        lines.append(f"Fare: {fare}")
    return summary, "\n".join(lines), first


def plan_to_ical(
    document: Mapping[str, Any],
    *,
    name: str,
    url: str,
    timezone: str,
    revision: int = 0,
    stamp: datetime | None = None,
) -> bytes:
    """The plan as an RFC 5545 calendar.

    `url` is the plan page's absolute address (visits link to their place pages relative to it), `timezone`
    the destination's IANA zone, `revision` the plan's revision (the events' SEQUENCE) and `stamp` when
    this revision was made (DTSTAMP; now when not given). Giving `stamp` makes the output a pure function
    of its inputs, so an unchanged plan yields byte-identical feeds.
    """
    zone = _zone(timezone)
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC)
    plan_id = str(document.get("id") or "plan")

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)  # RFC 7986
    calendar.add("x-wr-calname", name)  # what Google and Apple show as the calendar's name
    calendar.add("x-wr-timezone", timezone)
    calendar.add("url", url)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")  # Outlook's older spelling of the same hint

    items = list(day_items(document))
    # Walks and drives, keyed by the visit they are folded into.
    before: dict[tuple[int, int], list[str]] = {}
    after: dict[tuple[int, int], list[str]] = {}
    for position, (day, _date, _index, item) in enumerate(items):
        if item.get("type") != "travel" or item.get("mode") == "transit":
            continue
        line = _travel_line(item, zone)
        following = next(
            (
                p
                for p in range(position + 1, len(items))
                if items[p][0] == day and items[p][3].get("type") == "visit"
            ),
            None,
        )
        previous = next(
            (
                p
                for p in range(position - 1, -1, -1)
                if items[p][0] == day and items[p][3].get("type") == "visit"
            ),
            None,
        )
        if following is not None:
            before.setdefault((day, items[following][2]), []).append(line)
        elif previous is not None:
            after.setdefault((day, items[previous][2]), []).append(line)

    for day, date, index, item in items:
        kind = item.get("type")
        if kind == "visit":
            start, end = parse_time(item.get("start")), parse_time(item.get("end"))
            summary = str(item.get("name") or item.get("place_id") or "Visit")
            description = _visit_description(item, before.get((day, index), []), after.get((day, index), []))
            location = summary
            point = point_of(item)
            link = urljoin(url, str(item["url"])) if item.get("url") else url
        elif kind == "travel" and item.get("mode") == "transit":
            start, end = parse_time(item.get("depart")), parse_time(item.get("arrive"))
            summary, description, location = _transit_event(item, zone)
            point, link = None, url
        else:
            continue
        if start is None or end is None:
            continue  # an item without times cannot be placed in a calendar
        event = Event()
        event.add("uid", f"{plan_id}-{date}-{index}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("sequence", revision)
        event.add("summary", summary)
        event.add("dtstart", start.astimezone(zone))
        event.add("dtend", end.astimezone(zone))
        if location:
            event.add("location", location)
        if point is not None:
            event.add("geo", (point.lat, point.lon))
        if description:
            event.add("description", description)
        event.add("url", link)
        if kind == "visit" and item.get("kind"):
            event.add("categories", [str(item["kind"])])
        calendar.add_component(event)

    # The VTIMEZONE for the destination's zone, generated from the same tz database the times came from.
    _add_timezones(calendar)
    written: bytes = calendar.to_ical()
    return written


@lru_cache(maxsize=64)
def _vtimezone(tzid: str) -> Timezone:
    # Building a VTIMEZONE walks the zone's transitions and takes about 0.1 s; a booking's confirmation is
    # written inside its transaction, so it is built once per zone and process and shared (never mutated).
    return Timezone.from_tzid(tzid)


def _add_timezones(calendar: Calendar) -> None:
    for tzid in sorted(calendar.get_missing_tzids()):
        calendar.subcomponents.insert(0, _vtimezone(tzid))


def _zone_of(moment: datetime) -> ZoneInfo:
    """The IANA zone an aware datetime is written in: its ZoneInfo, or UTC for a UTC offset."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(
            f"{moment.isoformat()} has no time zone: give an aware datetime, e.g. in ZoneInfo('Asia/Almaty')."
        )
    if isinstance(moment.tzinfo, ZoneInfo):
        return moment.tzinfo
    if moment.utcoffset() == timedelta(0):
        return ZoneInfo("UTC")
    raise ValueError(
        f"{moment.isoformat()} has a fixed offset, not a time zone: give it in its IANA zone "
        "(datetime.astimezone(ZoneInfo('Asia/Almaty'))) so the calendar follows that zone's rules."
    )


def appointment_to_ical(
    *,
    uid: str,
    title: str,
    start: datetime,
    end: datetime,
    location: str,
    lat: float | None,
    lon: float | None,
    description: str,
    url: str,
    sequence: int = 0,
    cancelled: bool = False,
    organizer: tuple[str, str] | None = None,
    attendee: tuple[str, str] | None = None,
) -> bytes:
    """One appointment as an RFC 5545 calendar to attach to an email (iTIP, RFC 5546).

    `start` and `end` are aware; both are written in the start's zone (TZID with its VTIMEZONE), like the
    plan export. `uid` names the appointment for good (a domain is added when it has none): a later change
    or the cancellation reuses it with a higher `sequence`. `cancelled` makes it METHOD:CANCEL with
    STATUS:CANCELLED, which removes the appointment from calendars that added it. `organizer` (the provider)
    and `attendee` (the traveller) are (name, email): iTIP wants both, and mail clients show an invitation
    card, and apply a cancellation, only when they are there.
    """
    zone = _zone_of(start)
    if end.tzinfo is None or end.utcoffset() is None:
        raise ValueError(f"{end.isoformat()} has no time zone: give an aware datetime.")
    if end <= start:
        raise ValueError(f"The appointment ends ({end.isoformat()}) before it starts ({start.isoformat()}).")

    calendar = Calendar()
    calendar.add("prodid", APPOINTMENT_PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")

    event = Event()
    event.add("uid", uid if "@" in uid else f"{uid}@{UID_DOMAIN}")
    event.add("dtstamp", datetime.now(UTC))
    event.add("sequence", sequence)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("summary", title)
    event.add("dtstart", start.astimezone(zone))
    event.add("dtend", end.astimezone(zone))
    if location:
        event.add("location", location)
    if lat is not None and lon is not None:
        event.add("geo", (lat, lon))
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    if organizer is not None:
        event.add("organizer", vCalAddress(f"mailto:{organizer[1]}"), parameters={"CN": organizer[0]})
    if attendee is not None:
        event.add(
            "attendee",
            vCalAddress(f"mailto:{attendee[1]}"),
            parameters={"CN": attendee[0], "ROLE": "REQ-PARTICIPANT", "PARTSTAT": "ACCEPTED"},
        )
    calendar.add_component(event)

    _add_timezones(calendar)
    written: bytes = calendar.to_ical()
    return written
