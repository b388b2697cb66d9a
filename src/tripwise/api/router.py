from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from tripwise.api import (
    assistant,
    campaigns,
    conversations,
    destinations,
    experiences,
    guides,
    newsletter,
    places,
    plans,
    provider,
    sharing,
    trips,
)
from tripwise.core.errors import TripwiseError

api = NinjaAPI(
    title="Tripwise API",
    version="1",
    description='Destinations, guides and places, with their rules. Errors: {"error": {"code", "message"}}.',
    urls_namespace="api",
)


@api.exception_handler(TripwiseError)
def tripwise_error(request: HttpRequest, exc: TripwiseError) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": exc.code, "message": exc.message}}, status=exc.status
    )


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = "; ".join(
        f"{'.'.join(str(part) for part in error.get('loc', []))}: {error.get('msg', 'invalid')}"
        for error in exc.errors
    )
    return api.create_response(
        request,
        {"error": {"code": "invalid_request", "message": f"The request is not valid: {problems}."}},
        status=422,
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Errors raised by the framework itself, in the same format as ours."""
    code, message = f"http_{exc.status_code}", exc.message
    if message.startswith("Cannot parse request body"):
        code = "bad_json"
        message = (
            "The request body is not valid JSON: send one JSON object with Content-Type: application/json."
        )
    return api.create_response(request, {"error": {"code": code, "message": message}}, status=exc.status_code)


api.add_router("/destinations", destinations.router, tags=["destinations"])
api.add_router("/guides", guides.router, tags=["guides"])
api.add_router("/places", places.router, tags=["places"])
api.add_router("/plans", plans.router, tags=["plans"])
api.add_router("/plans", sharing.router, tags=["sharing"])
api.add_router("/trips", trips.router, tags=["my trips"])
api.add_router("/understand", assistant.router, tags=["assistant"])
api.add_router("/conversations", conversations.router, tags=["assistant"])
api.add_router("/experiences", experiences.router, tags=["experiences"])
api.add_router("/bookings", experiences.bookings_router, tags=["experiences"])
api.add_router("/applications", experiences.applications_router, tags=["experiences"])
api.add_router("/provider", provider.router, tags=["providers"])
api.add_router("/newsletter", newsletter.router, tags=["newsletter"])
api.add_router("/newsletter/campaigns", campaigns.router, tags=["newsletter campaigns"])
