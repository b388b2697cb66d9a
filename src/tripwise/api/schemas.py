"""Response shapes shared by the routers. Errors always look like ErrorOut."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema


class ErrorBody(Schema):
    code: str
    message: str


class ErrorOut(Schema):
    error: ErrorBody


class DestinationOut(Schema):
    slug: str
    name: str
    country: str
    timezone: str
    currency: str
    lat: float
    lon: float
    aliases: list[str]
    summary: str


class PriceOut(Schema):
    label: str
    amount: str
    currency: str
    assumed: bool


class OpenNowOut(Schema):
    is_open: bool
    unknown: bool
    next_change: datetime | None
    closed_days: str | None
    local_time: datetime


class DepartureOut(Schema):
    trip_id: str
    departs: datetime
    arrives: datetime | None
    headsign: str


class AccessOut(Schema):
    mode: str
    text: str
    minutes: int | None
    km: float | None
    route: str | None
    from_stop: str | None
    to_stop: str | None
    next_departures: list[DepartureOut]


class PlaceOut(Schema):
    id: str
    name: str
    kind: str
    destination: str
    lat: float
    lon: float
    timezone: str
    address: str
    opening_hours: str | None
    visit_minutes: int
    tags: list[str]
    aliases: list[str]
    summary: str
    assumed_fields: list[str]
    url: str


class PlaceDetailOut(PlaceOut):
    rules: list[str]
    prices: list[PriceOut]
    open_now: OpenNowOut | None
    access: list[AccessOut]


class GuideImageOut(Schema):
    url: str
    caption: str
    credit: str
    licence: str


class GuideOut(Schema):
    slug: str
    title: str
    summary: str
    destination: str
    place: str | None
    featured: bool
    published_at: datetime | None
    url: str


class GuideDetailOut(GuideOut):
    body_markdown: str
    body_html: str
    images: list[GuideImageOut]


# Every endpoint may answer with these, always in the ErrorOut format: 400, characters no field can hold or a
# rule broken; 401, sign in first; 403, your role on the trip does not allow it; 404, unknown id or name, or a
# trip not shared with you; 422, a parameter out of its allowed values.
ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
