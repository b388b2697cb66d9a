"""Site-wide search over destinations, guides and places.

Every indexed row keeps a folded copy of its words and names (tripwise.core.text.fold), so one plain
substring query works the same on SQLite and PostgreSQL and matches "Астана", "Nur-Sultan" and "akmol" alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from tripwise.core.text import fold, search_terms
from tripwise.guides.models import Guide
from tripwise.places.models import Destination, Place


@dataclass(frozen=True)
class SearchResults:
    query: str
    destinations: list[Destination]
    guides: list[Guide]
    places: list[Place]

    @property
    def total(self) -> int:
        return len(self.destinations) + len(self.guides) + len(self.places)


def _matching(terms: list[str]) -> Q:
    condition = Q()
    for term in terms:
        condition &= Q(search_text__contains=term)
    return condition


def _name_rank(query: str, *names: str) -> int:
    """0 when a name is the query, 1 when a name contains it, 2 when only the text does."""
    folded = [fold(name) for name in names]
    if query in folded:
        return 0
    return 1 if any(query in name for name in folded) else 2


def search(query: str, *, limit: int = 20) -> SearchResults:
    terms = search_terms(query)
    if not terms:
        return SearchResults(query=query, destinations=[], guides=[], places=[])
    folded = fold(query)
    condition = _matching(terms)
    destinations = sorted(
        Destination.objects.filter(condition)[:limit],
        key=lambda d: (_name_rank(folded, d.name, *d.aliases), d.name),
    )
    guides = sorted(
        Guide.objects.filter(condition, status=Guide.Status.PUBLISHED).select_related("destination", "place")[
            : limit * 2
        ],
        key=lambda g: (
            _name_rank(folded, g.title, *(g.place.aliases if g.place else [])),
            not g.featured,
            g.title,
        ),
    )[:limit]
    places = sorted(
        Place.objects.filter(condition).select_related("destination")[: limit * 2],
        key=lambda p: (_name_rank(folded, p.name, *p.aliases), p.name),
    )[:limit]
    return SearchResults(query=query, destinations=destinations, guides=guides, places=places)
