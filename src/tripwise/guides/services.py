"""Writes for guides: create/update from plain data, publish, unpublish, keep the search text current."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from tripwise.core.errors import TripwiseError
from tripwise.core.text import fold
from tripwise.guides.models import Guide, GuideImage
from tripwise.places.models import Destination, Place


def guide_reindex(guide: Guide) -> None:
    """Search finds a guide by its words and by every name of its destination and its place."""
    words = [guide.title, guide.summary, guide.body, guide.destination.name, *guide.destination.aliases]
    if guide.place is not None:
        words += [guide.place.name, *guide.place.aliases]
    guide.search_text = fold(" ".join(words))
    guide.save(update_fields=["search_text"])


def guides_reindex(*, destination: Destination | None = None, place: Place | None = None) -> None:
    guides = Guide.objects.select_related("destination", "place")
    if destination is not None:
        guides = guides.filter(destination=destination)
    if place is not None:
        guides = guides.filter(place=place)
    for guide in guides:
        guide_reindex(guide)


@transaction.atomic
def guide_publish(*, guide: Guide) -> Guide:
    if not guide.body.strip():
        raise TripwiseError(
            "empty_guide", f"{guide.title!r} has no text yet: write the body before publishing."
        )
    guide.status = Guide.Status.PUBLISHED
    guide.published_at = guide.published_at or timezone.now()
    guide.save(update_fields=["status", "published_at", "updated_at"])
    return guide


@transaction.atomic
def guide_unpublish(*, guide: Guide) -> Guide:
    guide.status = Guide.Status.DRAFT
    guide.save(update_fields=["status", "updated_at"])
    return guide


def _images_replace(guide: Guide, images: Sequence[Mapping[str, Any]], folder: Path) -> None:
    for image in guide.images.all():
        image.file.delete(save=False)
        image.delete()
    for position, meta in enumerate(images):
        path = folder / str(meta["file"])
        if not path.is_file():
            raise TripwiseError(
                "missing_image", f"{guide.slug}: image {path} does not exist; add it or drop it."
            )
        if not meta.get("credit"):
            raise TripwiseError("image_credit", f"{guide.slug}: image {path.name} needs a credit line.")
        with path.open("rb") as handle:
            GuideImage.objects.create(
                guide=guide,
                file=File(handle, name=path.name),
                caption=str(meta.get("caption", "")),
                credit=str(meta["credit"]),
                licence=str(meta.get("licence", "")),
                source_url=str(meta.get("source_url", "")),
                position=position,
            )


@transaction.atomic
def guide_upsert(
    *, destination: Destination, data: Mapping[str, Any], body: str, image_folder: Path | None = None
) -> Guide:
    """Create or update a guide (by slug) from plain data and its markdown body; publish it unless draft."""
    place = None
    if data.get("place"):
        place = Place.objects.filter(slug=data["place"]).first()
        if place is None:
            raise TripwiseError(
                "unknown_place", f"Guide {data['slug']!r} names place {data['place']!r}: load it first."
            )
    guide, _ = Guide.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "destination": destination,
            "place": place,
            "title": data["title"],
            "summary": data.get("summary", ""),
            "body": body,
            "featured": bool(data.get("featured", False)),
        },
    )
    if image_folder is not None:
        _images_replace(guide, data.get("images", []), image_folder)
    if data.get("status", "published") == "published":
        guide_publish(guide=guide)
    guide_reindex(guide)
    return guide
