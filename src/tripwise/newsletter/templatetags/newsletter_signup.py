"""`{% newsletter_signup source="footer" %}`: the sign-up form, compact, wherever a page offers it (the footer
of every page, a guide page with its destination ticked, the account page with the address filled in)."""

from __future__ import annotations

from typing import Any

from django import template

from tripwise.newsletter.forms import SignupForm

register = template.Library()


@register.inclusion_tag("newsletter/_signup_compact.html", takes_context=True)
def newsletter_signup(context: template.Context, source: str, destination: str = "") -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    initial: dict[str, Any] = {"source": source, "destinations": [destination] if destination else []}
    if user is not None and user.is_authenticated:
        initial["email"] = user.email
    form = SignupForm(initial=initial, auto_id=f"newsletter-{source.replace(':', '-')}-%s")
    return {"form": form, "source": source, "csrf_token": context.get("csrf_token")}
