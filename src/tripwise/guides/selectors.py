"""Reads for guides. Drafts are visible only to staff (previews); everyone else sees published guides."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from tripwise.core.errors import NotFound
from tripwise.guides.models import Guide
from tripwise.places.models import Destination, Place


def guides_published(*, destination: Destination | None = None) -> QuerySet[Guide]:
    guides = Guide.objects.filter(status=Guide.Status.PUBLISHED).select_related("destination", "place")
    if destination is not None:
        guides = guides.filter(destination=destination)
    return guides.order_by("-featured", "-published_at", "title")


def guides_featured(*, limit: int = 6) -> QuerySet[Guide]:
    return guides_published().filter(featured=True)[:limit]


def guides_about_place(place: Place) -> QuerySet[Guide]:
    return guides_published().filter(place=place)


def guide_get(*, slug: str, user: AbstractBaseUser | AnonymousUser | None = None) -> Guide:
    guides = Guide.objects.select_related("destination", "place").prefetch_related("images")
    if not (user is not None and user.is_authenticated and getattr(user, "is_staff", False)):
        guides = guides.filter(status=Guide.Status.PUBLISHED)
    try:
        return guides.get(slug=slug)
    except Guide.DoesNotExist:
        raise NotFound("guide", slug) from None
