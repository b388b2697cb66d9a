from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tripwise.guides.selectors import guides_featured
from tripwise.places.selectors import destinations_list
from tripwise.web.selectors import search


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/home.html",
        {"destinations": destinations_list(), "featured_guides": guides_featured()},
    )


def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    return render(request, "web/search.html", {"query": query, "results": search(query) if query else None})
