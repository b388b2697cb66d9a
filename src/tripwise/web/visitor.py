"""What the site remembers about a visitor between pages: the currency they read prices in."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def visitor_currency(request: HttpRequest) -> str:
    """?currency=EUR switches and is remembered in the session; unknown codes fall back to the default."""
    asked = (request.GET.get("currency") or "").upper()
    if asked in settings.CURRENCY_RATES:
        request.session["currency"] = asked
        return asked
    remembered = request.session.get("currency")
    if isinstance(remembered, str) and remembered in settings.CURRENCY_RATES:
        return remembered
    return str(settings.DEFAULT_VISITOR_CURRENCY)
