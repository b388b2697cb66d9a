from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from tripwise.web.visitor import visitor_currency


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "currencies": sorted(settings.CURRENCY_RATES),
        "visitor_currency": visitor_currency(request),
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
