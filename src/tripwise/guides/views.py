from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tripwise.guides.rendering import render_markdown, section_titles
from tripwise.guides.selectors import guide_get
from tripwise.places.facts import place_facts
from tripwise.places.selectors import map_markers
from tripwise.web.visitor import visitor_currency


def guide_detail(request: HttpRequest, slug: str) -> HttpResponse:
    guide = guide_get(slug=slug, user=request.user)
    facts = None
    if guide.place is not None:
        facts = place_facts(place=guide.place, now=timezone.now(), visitor_currency=visitor_currency(request))
    return render(
        request,
        "guides/guide.html",
        {
            "guide": guide,
            "body_html": render_markdown(guide.body),
            "sections": section_titles(guide.body),
            "images": list(guide.images.all()),
            "facts": facts,
            "guide_markers": map_markers([guide.place], with_stops=True) if guide.place else [],
        },
    )
