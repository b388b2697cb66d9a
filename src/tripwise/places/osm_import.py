"""Import the places a traveller visits from an OpenStreetMap extract (.osm.pbf, .osm, .osm.bz2).

The file is read once with pyosmium (outside any transaction: slow I/O), then every write happens in one
transaction, so a failed import leaves nothing behind. Places are keyed on (destination, osm_ref) with
osm_ref such as "node/1", "way/2" or "relation/3": importing the same file again updates them.

Where a place is put:
- a node: its location;
- a way: the centroid of its ring when closed (a building outline), else the mean of its nodes;
- a multipolygon relation: the centroid of the area pyosmium assembles from its members.
pyosmium also turns every closed way into an area; those areas are ignored so that a building outline
gives one place, not two.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import osmium
from django.db import transaction

from tripwise.core.errors import TripwiseError
from tripwise.core.geo import distance_m
from tripwise.core.hours import hours_on
from tripwise.core.text import fold
from tripwise.places.models import Destination, Place
from tripwise.places.osm_tags import (
    CANDIDATE_KEYS,
    NAME_MAX,
    VISIT_MINUTES,
    address_of,
    aliases_of,
    classify,
    interest_words,
    is_candidate,
)
from tripwise.places.services import (
    destination_get_or_create,
    opening_hours_clean,
    place_reindex,
    timezone_validate,
    unique_slug,
)

Progress = Callable[[str], None]

PROGRESS_EVERY = 10_000
# Two objects with the same name and kind closer than this are one place mapped twice (the classic case:
# a museum node inside the museum's building outline). 100 m keeps two cafés of a chain on one street apart.
DUPLICATE_METRES = 100.0
SUFFIXES = (".pbf", ".osm", ".bz2", ".gz", ".o5m", ".opl")

HOURS_MAX = Place._meta.get_field("opening_hours").max_length or 500
SOURCE_MAX = Place._meta.get_field("source").max_length or 500
# The report lists this many unreadable opening_hours tags by name; the rest are counted.
LISTED_MAX = 25

# Skip reasons, as the report prints them.
NOT_VISITOR = "not a place travellers visit"
NO_NAME = "no name"
PRIVATE = "private (access=private or access=no)"
NO_LOCATION = "no location in this extract (its nodes or members are missing)"
NOT_MULTIPOLYGON = "relation is not a multipolygon (no area to place it)"
DUPLICATE = "same name and kind as a place less than 100 m away (kept one)"


@dataclass(frozen=True)
class OsmImportReport:
    path: str
    destination: str
    destination_created: bool
    timezone: str
    nodes_read: int
    ways_read: int
    relations_read: int
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    not_visitor_tags: dict[str, int] = field(default_factory=dict)
    # Places whose opening_hours tag could not be read: imported with hours unknown (blank) and the tag kept
    # in `source`. Each is (osm_ref, name, tag, reason).
    hours_unread: tuple[tuple[str, str, str, str], ...] = ()
    # Places whose tag was read but leaves days unknown (sun times, open ends, "by appointment"): the
    # planner treats those days as unknown. Each is (osm_ref, name, warning).
    hours_partly_unknown: tuple[tuple[str, str, str], ...] = ()
    from_ways: int = 0
    from_relations: int = 0
    not_in_file: int = 0
    seconds: float = 0.0

    @property
    def bad_opening_hours(self) -> int:
        return len(self.hours_unread)

    @property
    def created_total(self) -> int:
        return sum(self.created.values())

    @property
    def updated_total(self) -> int:
        return sum(self.updated.values())

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    def as_text(self) -> str:
        where = (
            f"{self.destination} ({'new destination, ' if self.destination_created else ''}{self.timezone})"
        )
        total = self.created_total + self.updated_total
        lines = [
            f"Imported {total:,} places from {self.path} into {where} in {self.seconds:.1f} s.",
            f"Read {self.nodes_read:,} nodes, {self.ways_read:,} ways, {self.relations_read:,} relations; "
            f"places from ways: {self.from_ways:,}, from relations: {self.from_relations:,}.",
            f"Created {self.created_total:,}, updated {self.updated_total:,}:",
        ]
        for kind in sorted(set(self.created) | set(self.updated), key=lambda k: (-self._count(k), k)):
            lines.append(
                f"  {kind:<11} {self.created.get(kind, 0):>6,} created"
                f" {self.updated.get(kind, 0):>6,} updated"
            )
        if self.skipped:
            lines.append(f"Skipped {self.skipped_total:,}:")
            for reason, count in sorted(self.skipped.items(), key=lambda item: -item[1]):
                lines.append(f"  {count:>6,}  {reason}")
                if reason == NOT_VISITOR and self.not_visitor_tags:
                    top = sorted(self.not_visitor_tags.items(), key=lambda item: (-item[1], item[0]))[:8]
                    lines.append("          most common: " + ", ".join(f"{tag} {n:,}" for tag, n in top))
        if self.hours_unread:
            count = len(self.hours_unread)
            have = "place has" if count == 1 else "places have"
            lines.append(f"{count:,} {have} opening_hours that could not be read; kept as unknown:")
            for osm_ref, name, tag, reason in self.hours_unread[:LISTED_MAX]:
                lines.append(f"  {name} ({osm_ref}): {tag!r} ({reason})")
            if count > LISTED_MAX:
                lines.append(f"  ... and {count - LISTED_MAX:,} more")
        if self.hours_partly_unknown:
            count = len(self.hours_partly_unknown)
            have = "place has" if count == 1 else "places have"
            lines.append(f"{count:,} {have} opening_hours that leave some days unknown (planned as unknown):")
            for osm_ref, name, warning in self.hours_partly_unknown[:LISTED_MAX]:
                lines.append(f"  {name} ({osm_ref}): {warning}")
            if count > LISTED_MAX:
                lines.append(f"  ... and {count - LISTED_MAX:,} more")
        if self.not_in_file:
            lines.append(
                f"{self.not_in_file:,} places from earlier imports are not in this file; they were kept."
            )
        return "\n".join(lines)

    def _count(self, kind: str) -> int:
        return self.created.get(kind, 0) + self.updated.get(kind, 0)


@dataclass
class _Found:
    """A visitor place as read from the file, before it is written."""

    osm_ref: str
    name: str
    kind: str
    lat: float
    lon: float
    opening_hours: str
    tags: list[str]
    aliases: list[str]
    address: str
    hours_tag: str = ""  # the tag as mapped, kept when it could not be read
    hours_reason: str = ""  # why it could not be read; "" when it was (or there was none)

    @property
    def rank(self) -> tuple[bool, int]:
        # Of two copies of one place, keep the one with hours, then the outline over the point.
        return bool(self.opening_hours), {"relation": 2, "way": 1}.get(self.osm_ref.split("/")[0], 0)


def ring_centre(points: list[tuple[float, float]]) -> tuple[float, float, float]:
    """(lon, lat, signed area) of a closed ring by the shoelace formula.

    Degrees are treated as plane coordinates: over a city the cos(latitude) scale is constant enough, and a
    linear scale does not move a centroid.
    """
    area2 = cx = cy = 0.0
    x0, y0 = points[0]
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        # Relative to the first vertex, so that large coordinates do not swallow small differences.
        ax, ay, bx, by = x1 - x0, y1 - y0, x2 - x0, y2 - y0
        cross = ax * by - bx * ay
        area2 += cross
        cx += (ax + bx) * cross
        cy += (ay + by) * cross
    if abs(area2) < 1e-18:
        return (*_mean(points), 0.0)
    return x0 + cx / (3 * area2), y0 + cy / (3 * area2), area2 / 2


def _mean(points: list[tuple[float, float]]) -> tuple[float, float]:
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def _way_centre(way: osmium.osm.Way) -> tuple[float, float] | None:
    points = [(n.location.lon, n.location.lat) for n in way.nodes if n.location.valid()]
    if not points:
        return None
    if way.is_closed() and len(points) == len(way.nodes) and len(points) >= 4:
        lon, lat, _ = ring_centre(points)
        return lon, lat
    if len(points) > 1 and points[0] == points[-1]:
        points = points[:-1]
    return _mean(points)


def _area_centre(area: osmium.osm.Area) -> tuple[float, float] | None:
    """Area-weighted centroid of the outer rings minus their holes."""
    total = sx = sy = 0.0
    fallback: list[tuple[float, float]] = []
    for outer in area.outer_rings():
        rings = [(outer, 1.0)] + [(inner, -1.0) for inner in area.inner_rings(outer)]
        for ring, sign in rings:
            points = [(n.lon, n.lat) for n in ring if n.location.valid()]
            if len(points) < 4:
                continue
            fallback.extend(points)
            lon, lat, signed = ring_centre(points)
            weight = sign * abs(signed)
            total += weight
            sx += lon * weight
            sy += lat * weight
    if abs(total) > 1e-18:
        return sx / total, sy / total
    return _mean(fallback) if fallback else None


def _metres(a: _Found, b: _Found) -> float:
    return distance_m(a.lat, a.lon, b.lat, b.lon)


class _Reader:
    """Collects the visitor places of one file; one pass over the file with pyosmium."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.found: dict[str, _Found] = {}
        self.skipped: Counter[str] = Counter()
        self.not_visitor_tags: Counter[str] = Counter()
        self.counts = {"n": 0, "w": 0, "r": 0}
        self._hours_cache: dict[str, tuple[str, str]] = {}
        # Multipolygon areas can be completed before their relation object is read: meet in the middle.
        self._relation_centres: dict[int, tuple[float, float]] = {}
        self._relations: dict[int, tuple[dict[str, str], str, str]] = {}

    def read(self, path: Path) -> None:
        processor = osmium.FileProcessor(str(path)).with_areas()
        read = 0
        for obj in processor:
            if isinstance(obj, osmium.osm.Area):
                if not obj.from_way():  # closed ways are handled as ways: one place per outline
                    self._area(obj)
                continue
            read += 1
            if read % PROGRESS_EVERY == 0:
                self.progress(f"  read {read:,} objects, {len(self.found):,} places so far")
            if isinstance(obj, osmium.osm.Node):
                self.counts["n"] += 1
                if obj.tags:
                    self._node(obj)
            elif isinstance(obj, osmium.osm.Way):
                self.counts["w"] += 1
                if obj.tags:
                    self._way(obj)
            elif isinstance(obj, osmium.osm.Relation):
                self.counts["r"] += 1
                if obj.tags:
                    self._relation(obj)
        self._finish_relations()
        self._drop_duplicates()

    def _select(self, tags: osmium.osm.TagList) -> tuple[dict[str, str], str, str] | None:
        """(tags, kind, name) of a visitor place; None (after counting why) otherwise."""
        if not is_candidate(tags):
            return None
        plain = {tag.k: tag.v for tag in tags}
        kind = classify(plain)
        if kind is None:
            self.skipped[NOT_VISITOR] += 1
            key = next(key for key in (*CANDIDATE_KEYS, "building") if key in plain)
            self.not_visitor_tags[f"{key}={plain[key]}"] += 1
            return None
        name = (plain.get("name") or "").strip()
        if not name:
            self.skipped[NO_NAME] += 1
            return None
        if plain.get("access") in ("private", "no"):
            self.skipped[PRIVATE] += 1
            return None
        return plain, kind, name

    def _node(self, node: osmium.osm.Node) -> None:
        selected = self._select(node.tags)
        if selected is None:
            return
        if not node.location.valid():
            self.skipped[NO_LOCATION] += 1
            return
        self._add(f"node/{node.id}", *selected, node.location.lon, node.location.lat)

    def _way(self, way: osmium.osm.Way) -> None:
        selected = self._select(way.tags)
        if selected is None:
            return
        centre = _way_centre(way)
        if centre is None:
            self.skipped[NO_LOCATION] += 1
            return
        self._add(f"way/{way.id}", *selected, *centre)

    def _relation(self, relation: osmium.osm.Relation) -> None:
        selected = self._select(relation.tags)
        if selected is not None:
            self._relations[relation.id] = selected

    def _area(self, area: osmium.osm.Area) -> None:
        tags = area.tags
        if "name" not in tags or not is_candidate(tags) or classify({t.k: t.v for t in tags}) is None:
            return
        centre = _area_centre(area)
        if centre is not None:
            self._relation_centres[area.orig_id()] = centre

    def _finish_relations(self) -> None:
        for relation_id, selected in self._relations.items():
            centre = self._relation_centres.get(relation_id)
            if centre is not None:
                self._add(f"relation/{relation_id}", *selected, *centre)
            elif selected[0].get("type") in ("multipolygon", "boundary"):
                self.skipped[NO_LOCATION] += 1
            else:
                self.skipped[NOT_MULTIPOLYGON] += 1

    def _hours(self, value: str | None) -> tuple[str, str]:
        """(stored value, "") when understood or absent; ("", why) when the tag cannot be read.

        A tag that cannot be read never stops the import: the place is worth having with its hours unknown,
        and the planner treats unknown hours with care rather than as "always open".
        """
        value = (value or "").strip()
        if value not in self._hours_cache:
            try:
                result = (opening_hours_clean(value), "")
            except TripwiseError as exc:
                result = ("", _reason(exc))
            if len(result[0]) > HOURS_MAX:
                result = ("", f"longer than {HOURS_MAX} characters")
            self._hours_cache[value] = result
        return self._hours_cache[value]

    def _add(self, osm_ref: str, tags: dict[str, str], kind: str, name: str, lon: float, lat: float) -> None:
        tag = (tags.get("opening_hours") or "").strip()
        hours, reason = self._hours(tag)
        self.found[osm_ref] = _Found(
            osm_ref=osm_ref,
            name=name[:NAME_MAX],
            kind=kind,
            lat=lat,
            lon=lon,
            opening_hours=hours,
            hours_tag=tag if reason else "",
            hours_reason=reason,
            tags=interest_words(kind, tags),
            aliases=aliases_of(name, tags),
            address=address_of(tags),
        )

    def _drop_duplicates(self) -> None:
        groups: dict[tuple[str, str], list[_Found]] = {}
        for place in self.found.values():
            groups.setdefault((fold(place.name), place.kind), []).append(place)
        for group in groups.values():
            if len(group) < 2:
                continue
            kept: list[_Found] = []
            for place in sorted(group, key=lambda p: p.rank, reverse=True):
                if any(_metres(place, other) < DUPLICATE_METRES for other in kept):
                    del self.found[place.osm_ref]
                    self.skipped[DUPLICATE] += 1
                else:
                    kept.append(place)


def _read(path: Path, progress: Progress) -> _Reader:
    if not path.is_file():
        raise TripwiseError(
            "osm_file_missing",
            f"No OpenStreetMap file at {path}. Give the path of an extract (.osm.pbf, .osm or .osm.bz2), "
            "e.g. one downloaded from download.geofabrik.de or extract.bbbike.org.",
        )
    if not path.name.endswith(SUFFIXES):
        raise TripwiseError(
            "osm_file_type",
            f"{path.name} is not an OpenStreetMap extract: expected a .osm.pbf, .osm or .osm.bz2 file.",
        )
    progress(f"Reading {path} ...")
    reader = _Reader(progress)
    try:
        reader.read(path)
    except RuntimeError as exc:  # libosmium reports unreadable and corrupt files as RuntimeError
        raise TripwiseError(
            "osm_file_unreadable",
            f"Could not read {path.name} as OpenStreetMap data ({exc}). Check that the file is a complete "
            ".osm.pbf, .osm or .osm.bz2 extract.",
        ) from exc
    return reader


def _centre(places: Iterable[_Found]) -> tuple[float, float]:
    lats, lons = zip(*((p.lat, p.lon) for p in places), strict=True)
    return (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2


def _reason(exc: TripwiseError) -> str:
    """The parser's short reason out of services' message, which goes on to tell editors what to write."""
    cause = exc.__cause__
    return str(getattr(cause, "reason", "")) or exc.message


def _source(item: _Found) -> str:
    source = (
        f"OpenStreetMap (© OpenStreetMap contributors, ODbL): https://www.openstreetmap.org/{item.osm_ref}"
    )
    if item.hours_reason:
        # Kept where editors and the facts panel see it, so the hours can be fixed by hand or upstream.
        source += f"; its opening_hours tag {item.hours_tag!r} could not be read, so the hours are unknown"
    return source[:SOURCE_MAX]


def _partly_unknown(found: Iterable[_Found], timezone: str) -> list[tuple[str, str, str]]:
    """Places whose stored hours leave a day of the coming week unknown, with the first such warning."""
    tz = ZoneInfo(timezone)
    # The week ahead in the destination: what a traveller planning now would meet.
    today = datetime.now(tz).date()
    week = [today + timedelta(days=offset) for offset in range(7)]
    warnings: dict[str, str | None] = {}
    result = []
    for item in found:
        if not item.opening_hours:
            continue
        if item.opening_hours not in warnings:
            days = (hours_on(item.opening_hours, day, tz) for day in week)
            warnings[item.opening_hours] = next((d.warning for d in days if d.warning), None)
        warning = warnings[item.opening_hours]
        if warning:
            result.append((item.osm_ref, item.name, warning))
    return result


def _write(
    *, destination: Destination, found: Iterable[_Found], progress: Progress
) -> tuple[Counter[str], Counter[str], int]:
    created: Counter[str] = Counter()
    updated: Counter[str] = Counter()
    existing = {
        place.osm_ref: place for place in Place.objects.filter(destination=destination).exclude(osm_ref="")
    }
    timezone = timezone_validate(destination.timezone)
    seen: set[str] = set()
    for count, item in enumerate(found, start=1):
        seen.add(item.osm_ref)
        place = existing.get(item.osm_ref)
        if place is None:
            place = Place(
                destination=destination,
                slug=unique_slug(Place, item.name),
                osm_ref=item.osm_ref,
                timezone=timezone,
                visit_minutes=VISIT_MINUTES.get(item.kind, 60),
                assumed_fields=["visit_minutes"],
            )
            created[item.kind] += 1
        else:
            updated[item.kind] += 1
            # An editor may have set the visit length from the museum's own advice: keep it unless assumed.
            if place.is_assumed("visit_minutes"):
                place.visit_minutes = VISIT_MINUTES.get(item.kind, 60)
        # What OpenStreetMap knows is refreshed; slug, summary, rules and prices stay as editors left them.
        place.name = item.name
        place.kind = item.kind
        place.lat = item.lat
        place.lon = item.lon
        place.opening_hours = item.opening_hours
        place.tags = item.tags
        place.aliases = item.aliases
        place.address = item.address
        place.source = _source(item)
        place.save()
        place_reindex(place)
        if count % PROGRESS_EVERY == 0:
            progress(f"  wrote {count:,} places")
    return created, updated, len(set(existing) - seen)


def places_import_osm(
    *, path: Path, destination_name: str, progress: Progress | None = None
) -> OsmImportReport:
    """Import the visitor places of an OpenStreetMap extract into a destination (created when new)."""
    say: Progress = progress or (lambda message: None)
    started = time.monotonic()
    reader = _read(path, say)
    found = sorted(reader.found.values(), key=lambda p: p.osm_ref)
    say(
        f"Read {sum(reader.counts.values()):,} objects in {time.monotonic() - started:.1f} s: "
        f"{len(found):,} places to import."
    )
    lat, lon = _centre(found) if found else (None, None)
    if lat is None and not destination_name.strip():
        raise TripwiseError("bad_destination", "A destination needs a name, e.g. --destination Helsinki.")
    with transaction.atomic():
        try:
            destination, destination_created = destination_get_or_create(
                name=destination_name, lat=lat, lon=lon
            )
        except TripwiseError as exc:
            if exc.code == "timezone_unknown" and not found:
                raise TripwiseError(
                    "osm_no_places",
                    f"{path.name} has no places travellers visit, so the time zone of the new destination "
                    f"{destination_name!r} cannot be found from them. Check the extract covers the city.",
                ) from exc
            raise
        say(f"Writing {len(found):,} places to {destination.name} ...")
        created, updated, not_in_file = _write(destination=destination, found=found, progress=say)
    return OsmImportReport(
        path=path.name,
        destination=destination.name,
        destination_created=destination_created,
        timezone=destination.timezone,
        nodes_read=reader.counts["n"],
        ways_read=reader.counts["w"],
        relations_read=reader.counts["r"],
        created=dict(created),
        updated=dict(updated),
        skipped=dict(reader.skipped),
        not_visitor_tags=dict(reader.not_visitor_tags),
        hours_unread=tuple((p.osm_ref, p.name, p.hours_tag, p.hours_reason) for p in found if p.hours_reason),
        hours_partly_unknown=tuple(_partly_unknown(found, destination.timezone)),
        from_ways=sum(1 for p in found if p.osm_ref.startswith("way/")),
        from_relations=sum(1 for p in found if p.osm_ref.startswith("relation/")),
        not_in_file=not_in_file,
        seconds=time.monotonic() - started,
    )
