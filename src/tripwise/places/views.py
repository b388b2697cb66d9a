from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tripwise.guides.selectors import guides_about_place, guides_published
from tripwise.places.facts import place_facts
from tripwise.places.selectors import destination_get, map_markers, place_get, places_list
from tripwise.web.visitor import visitor_currency


def place_detail(request: HttpRequest, slug: str) -> HttpResponse:
    place = place_get(slug)
    facts = place_facts(place=place, now=timezone.now(), visitor_currency=visitor_currency(request))
    return render(
        request,
        "places/place.html",
        {
            "place": place,
            "facts": facts,
            "guides": guides_about_place(place),
            "markers": map_markers([place], with_stops=True),
        },
    )


def place_facts_panel(request: HttpRequest, slug: str) -> HttpResponse:
    """The facts panel alone: the page refreshes it every minute so "open now" and departures stay true."""
    place = place_get(slug)
    facts = place_facts(place=place, now=timezone.now(), visitor_currency=visitor_currency(request))
    return render(request, "places/_facts_panel.html", {"facts": facts})


def destination_detail(request: HttpRequest, slug: str) -> HttpResponse:
    destination = destination_get(slug)
    places = list(places_list(destination=destination))
    return render(
        request,
        "places/destination.html",
        {
            "destination": destination,
            "places": places,
            "markers": map_markers(places),
            "guides": guides_published(destination=destination),
        },
    )
