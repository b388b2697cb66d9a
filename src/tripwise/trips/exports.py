"""Exports of a plan: iCalendar (download and subscribable feed), GPX, GeoJSON, the print page and its PDF.

Thin views: each checks access through `permissions.plan_for(..., "export")` and hands the stored plan
document to a pure exporter in `tripwise.core.export`. Access is checked on every request, the calendar
feed included, so a share link that is revoked stops the feed at the subscriber's next refresh.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from asgiref.sync import sync_to_async
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from tripwise.core.errors import TripwiseError
from tripwise.core.export import plan_to_geojson, plan_to_gpx, plan_to_ical
from tripwise.trips.models import Plan
from tripwise.trips.pdf import html_to_pdf
from tripwise.trips.permissions import Access, plan_for
from tripwise.trips.selectors import sharing_state

__all__ = ["plan_calendar", "plan_exports", "plan_geojson", "plan_gpx", "plan_pdf", "plan_print"]


def _plan_url(request: HttpRequest, plan: Plan) -> str:
    """The plan page's absolute address, carrying the share token the request came with: a calendar
    subscribed through a share link then links to a page its reader can open."""
    url = request.build_absolute_uri(reverse("trips:plan", kwargs={"public_id": plan.public_id}))
    token = request.GET.get("share", "")
    return f"{url}?{urlencode({'share': token})}" if token else url


def _zone(plan: Plan) -> str:
    destination = plan.result.get("destination") if isinstance(plan.result, dict) else None
    zone = destination.get("timezone") if isinstance(destination, dict) else None
    return str(zone or plan.destination.timezone)


def _file(request: HttpRequest, body: bytes, content_type: str, plan: Plan, extension: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    filename = f"{slugify(plan.title) or 'trip'}.{extension}"
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    # The address may hold a share token and access can be revoked at any moment: nothing keeps a copy.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def plan_calendar(request: HttpRequest, public_id: str) -> HttpResponse:
    plan, _access = plan_for(request, public_id, "export")
    body = plan_to_ical(
        plan.result,
        name=plan.title,
        url=_plan_url(request, plan),
        timezone=_zone(plan),
        revision=plan.revision,
        stamp=plan.updated_at,
    )
    return _file(request, body, "text/calendar; charset=utf-8", plan, "ics")


@require_GET
def plan_gpx(request: HttpRequest, public_id: str) -> HttpResponse:
    plan, _access = plan_for(request, public_id, "export")
    body = plan_to_gpx(plan.result, name=plan.title, url=_plan_url(request, plan))
    return _file(request, body, "application/gpx+xml", plan, "gpx")


@require_GET
def plan_geojson(request: HttpRequest, public_id: str) -> HttpResponse:
    plan, _access = plan_for(request, public_id, "export")
    body = plan_to_geojson(plan.result, name=plan.title, url=_plan_url(request, plan))
    return _file(request, body, "application/geo+json", plan, "geojson")


def _page_context(request: HttpRequest, plan: Plan, access: Access) -> dict[str, Any]:
    return {
        "plan": plan,
        "doc": plan.result,
        "access": access,
        # The same names as the plan page gives trips/_exports.html, so the partial reads alike on both.
        "can_share": access.can("share") and request.user.is_authenticated,
        "sharing": sharing_state(plan=plan) if access.can("share") else None,
        "share_query": urlencode({"share": request.GET["share"]}) if request.GET.get("share") else "",
    }


@require_GET
def plan_exports(request: HttpRequest, public_id: str) -> HttpResponse:
    """Every export of the plan on one page, with the calendar feed addresses for whoever may share."""
    plan, access = plan_for(request, public_id, "export")
    return render(request, "trips/exports.html", _page_context(request, plan, access))


@require_GET
def plan_print(request: HttpRequest, public_id: str) -> HttpResponse:
    plan, access = plan_for(request, public_id, "export")
    return render(request, "trips/print.html", _page_context(request, plan, access))


def _print_html(request: HttpRequest, public_id: str) -> tuple[Plan, str, str]:
    plan, access = plan_for(request, public_id, "export")
    html = render_to_string(
        "trips/print.html", {**_page_context(request, plan, access), "pdf": True}, request
    )
    page_url = request.build_absolute_uri(reverse("trips:print", kwargs={"public_id": plan.public_id}))
    return plan, html, page_url


@require_GET
async def plan_pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    # Async so that the seconds Chromium takes hold no worker thread: under ASGI every sync view shares one
    # thread, and a sync PDF view would stall them all. The database part runs in that thread, briefly.
    plan, html, page_url = await sync_to_async(_print_html)(request, public_id)
    try:
        body = await html_to_pdf(html=html, page_url=page_url)
    except TripwiseError as error:
        return HttpResponse(error.message, status=error.status, content_type="text/plain; charset=utf-8")
    return _file(request, body, "application/pdf", plan, "pdf")
